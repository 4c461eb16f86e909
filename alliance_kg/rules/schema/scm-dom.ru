# scm-dom1 and scm-dom2 (OWL 2 RL): a domain holds for its super-classes and for the sub-properties.
# With these closed, prp-dom types a subject with every class it gets from a triple in one step.
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { GRAPH <urn:alliance-kg:rules:schema> { ?p rdfs:domain ?c2 } }
WHERE { GRAPH <urn:alliance-kg:rules:schema> { ?p rdfs:domain ?c1 . ?c1 rdfs:subClassOf ?c2 } } ;
INSERT { GRAPH <urn:alliance-kg:rules:schema> { ?p1 rdfs:domain ?c } }
WHERE { GRAPH <urn:alliance-kg:rules:schema> { ?p1 rdfs:subPropertyOf ?p2 . ?p2 rdfs:domain ?c } }
