# prp-dom (OWL 2 RL): the subject of a property is an instance of the property's domain (closed by scm-dom).
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { GRAPH <urn:alliance-kg:rules:new> { ?x rdf:type ?c } }
WHERE {
  GRAPH <urn:alliance-kg:rules:schema> { ?p rdfs:domain ?c }
  GRAPH <urn:alliance-kg:rules:delta> { ?x ?p ?y }
}
