# scm-eqc1 (OWL 2 RL): equivalent classes are sub-classes of each other (so cax-sco covers cax-eqc1/2).
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { GRAPH <urn:alliance-kg:rules:schema> { ?c1 rdfs:subClassOf ?c2 . ?c2 rdfs:subClassOf ?c1 } }
WHERE { GRAPH <urn:alliance-kg:rules:schema> { ?c1 owl:equivalentClass ?c2 } }
