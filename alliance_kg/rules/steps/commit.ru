# A step of every round: the round's new triples join the inferred graph. (Each rule inserts only what no
# graph read holds: its FILTER NOT EXISTS line is repeated by the engine for each graph read.)
ADD <urn:alliance-kg:rules:new> TO <urn:alliance-kg:rules:target>
