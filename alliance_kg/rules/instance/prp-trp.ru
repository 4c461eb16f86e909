# prp-trp (OWL 2 RL): a transitive property (akg:locatedIn) composes with itself.
# Semi-naive: a new triple is a join with at least one triple of the previous round (?delta) on either side;
# ?all is every graph read (the asserted graphs and the inferred one).
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
INSERT { GRAPH <urn:alliance-kg:rules:new> { ?x ?p ?z } }
WHERE {
  GRAPH <urn:alliance-kg:rules:schema> { ?p rdf:type owl:TransitiveProperty }
  GRAPH <urn:alliance-kg:rules:delta> { ?x ?p ?y }
  GRAPH <urn:alliance-kg:rules:all> { ?y ?p ?z }
  FILTER NOT EXISTS { GRAPH <urn:alliance-kg:rules:each-all> { ?x ?p ?z } }
} ;
INSERT { GRAPH <urn:alliance-kg:rules:new> { ?x ?p ?z } }
WHERE {
  GRAPH <urn:alliance-kg:rules:schema> { ?p rdf:type owl:TransitiveProperty }
  GRAPH <urn:alliance-kg:rules:delta> { ?y ?p ?z }
  GRAPH <urn:alliance-kg:rules:all> { ?x ?p ?y }
  FILTER NOT EXISTS { GRAPH <urn:alliance-kg:rules:each-all> { ?x ?p ?z } }
}
