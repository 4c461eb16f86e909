# scm-spo (OWL 2 RL): rdfs:subPropertyOf is transitive.
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { GRAPH <urn:alliance-kg:rules:schema> { ?p1 rdfs:subPropertyOf ?p3 } }
WHERE { GRAPH <urn:alliance-kg:rules:schema> { ?p1 rdfs:subPropertyOf ?p2 . ?p2 rdfs:subPropertyOf ?p3 } }
