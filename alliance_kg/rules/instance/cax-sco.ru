# cax-sco (OWL 2 RL): an instance of a class is an instance of its super-classes.
# Semi-naive: ?delta is the triples the previous round added (the whole data in the first round); the schema
# graph holds the closed hierarchy, so one step reaches every super-class.
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { GRAPH <urn:alliance-kg:rules:new> { ?x rdf:type ?c2 } }
WHERE {
  GRAPH <urn:alliance-kg:rules:schema> { ?c1 rdfs:subClassOf ?c2 }
  FILTER(?c1 != ?c2)
  GRAPH <urn:alliance-kg:rules:delta> { ?x rdf:type ?c1 }
  FILTER NOT EXISTS { GRAPH <urn:alliance-kg:rules:each-all> { ?x rdf:type ?c2 } }
}
