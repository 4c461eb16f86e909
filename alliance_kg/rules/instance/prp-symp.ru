# prp-symp (OWL 2 RL): a symmetric property holds in both directions.
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
INSERT { GRAPH <urn:alliance-kg:rules:new> { ?y ?p ?x } }
WHERE {
  GRAPH <urn:alliance-kg:rules:schema> { ?p rdf:type owl:SymmetricProperty }
  GRAPH <urn:alliance-kg:rules:delta> { ?x ?p ?y }
  FILTER(!isLiteral(?y))
  FILTER NOT EXISTS { GRAPH <urn:alliance-kg:rules:each-all> { ?y ?p ?x } }
}
