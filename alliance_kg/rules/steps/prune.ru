# A step of every round: delete from the round's new triples those already in a graph read (an asserted graph
# or the inferred one), so that the inferred graph gets only what is new and the next round joins only that.
DELETE { GRAPH <urn:alliance-kg:rules:new> { ?s ?p ?o } }
WHERE {
  GRAPH <urn:alliance-kg:rules:new> { ?s ?p ?o }
  GRAPH <urn:alliance-kg:rules:all> { ?s ?p ?o }
}
