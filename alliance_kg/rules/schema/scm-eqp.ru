# scm-eqp1 (OWL 2 RL): equivalent properties are sub-properties of each other (so prp-spo1 covers prp-eqp1/2).
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { GRAPH <urn:alliance-kg:rules:schema> { ?p1 rdfs:subPropertyOf ?p2 . ?p2 rdfs:subPropertyOf ?p1 } }
WHERE { GRAPH <urn:alliance-kg:rules:schema> { ?p1 owl:equivalentProperty ?p2 } }
