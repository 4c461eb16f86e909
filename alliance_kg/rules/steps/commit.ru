# A step of every round: the round's new triples (pruned) join the inferred graph.
ADD <urn:alliance-kg:rules:new> TO <urn:alliance-kg:rules:target>
