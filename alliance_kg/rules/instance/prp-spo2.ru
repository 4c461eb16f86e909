# prp-spo2 (OWL 2 RL) for chains of two properties, such as akg:builds = akg:produces o akg:vehicle.
# (The engine refuses chains of another length rather than ignore them.) Semi-naive as prp-trp; the delta
# comes first in each WHERE clause: the engine binds the axioms' variables it shares with the first group.
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
INSERT { GRAPH <urn:alliance-kg:rules:new> { ?x ?p ?z } }
WHERE {
  GRAPH <urn:alliance-kg:rules:schema> {
    ?p owl:propertyChainAxiom ?l1 . ?l1 rdf:first ?p1 ; rdf:rest ?l2 . ?l2 rdf:first ?p2 ; rdf:rest rdf:nil .
  }
  GRAPH <urn:alliance-kg:rules:delta> { ?x ?p1 ?y }
  GRAPH <urn:alliance-kg:rules:all> { ?y ?p2 ?z }
  FILTER NOT EXISTS { GRAPH <urn:alliance-kg:rules:each-all> { ?x ?p ?z } }
} ;
INSERT { GRAPH <urn:alliance-kg:rules:new> { ?x ?p ?z } }
WHERE {
  GRAPH <urn:alliance-kg:rules:schema> {
    ?p owl:propertyChainAxiom ?l1 . ?l1 rdf:first ?p1 ; rdf:rest ?l2 . ?l2 rdf:first ?p2 ; rdf:rest rdf:nil .
  }
  GRAPH <urn:alliance-kg:rules:delta> { ?y ?p2 ?z }
  GRAPH <urn:alliance-kg:rules:all> { ?x ?p1 ?y }
  FILTER NOT EXISTS { GRAPH <urn:alliance-kg:rules:each-all> { ?x ?p ?z } }
}
