# prp-spo1 (OWL 2 RL): a triple holds for every super-property of its property (closed by scm-spo).
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { GRAPH <urn:alliance-kg:rules:new> { ?x ?p2 ?y } }
WHERE {
  GRAPH <urn:alliance-kg:rules:schema> { ?p1 rdfs:subPropertyOf ?p2 }
  FILTER(?p1 != ?p2)
  GRAPH <urn:alliance-kg:rules:delta> { ?x ?p1 ?y }
  FILTER NOT EXISTS { GRAPH <urn:alliance-kg:rules:each-all> { ?x ?p2 ?y } }
}
