# scm-sco (OWL 2 RL): rdfs:subClassOf is transitive.
# Reads and writes the schema graph only (small); run to a fixpoint before the instance rules, so that each
# instance rule needs one step where a chain of axioms would need several.
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { GRAPH <urn:alliance-kg:rules:schema> { ?c1 rdfs:subClassOf ?c3 } }
WHERE { GRAPH <urn:alliance-kg:rules:schema> { ?c1 rdfs:subClassOf ?c2 . ?c2 rdfs:subClassOf ?c3 } }
