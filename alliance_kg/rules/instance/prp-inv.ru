# prp-inv1 and prp-inv2 (OWL 2 RL): owl:inverseOf, read in both directions.
PREFIX owl: <http://www.w3.org/2002/07/owl#>
INSERT { GRAPH <urn:alliance-kg:rules:new> { ?y ?q ?x } }
WHERE {
  GRAPH <urn:alliance-kg:rules:schema> { { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } }
  GRAPH <urn:alliance-kg:rules:delta> { ?x ?p ?y }
  FILTER(!isLiteral(?y))
  FILTER NOT EXISTS { GRAPH <urn:alliance-kg:rules:each-all> { ?y ?q ?x } }
}
