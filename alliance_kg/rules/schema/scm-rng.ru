# scm-rng1 and scm-rng2 (OWL 2 RL): a range holds for its super-classes and for the sub-properties.
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { GRAPH <urn:alliance-kg:rules:schema> { ?p rdfs:range ?c2 } }
WHERE { GRAPH <urn:alliance-kg:rules:schema> { ?p rdfs:range ?c1 . ?c1 rdfs:subClassOf ?c2 } } ;
INSERT { GRAPH <urn:alliance-kg:rules:schema> { ?p1 rdfs:range ?c } }
WHERE { GRAPH <urn:alliance-kg:rules:schema> { ?p1 rdfs:subPropertyOf ?p2 . ?p2 rdfs:range ?c } }
