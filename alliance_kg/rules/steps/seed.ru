# A step of round 0: the triples of the closed schema that no graph read holds (the ontology, the facts, the
# inferred graph) are the first new triples (the engine repeats the FILTER line for each graph read).
INSERT { GRAPH <urn:alliance-kg:rules:new> { ?s ?p ?o } }
WHERE {
  GRAPH <urn:alliance-kg:rules:schema> { ?s ?p ?o }
  FILTER NOT EXISTS { GRAPH <urn:alliance-kg:rules:each-all> { ?s ?p ?o } }
}
