# prp-rng (OWL 2 RL): the object of a property is an instance of the property's range (closed by scm-rng).
# Literal objects are left out: a literal cannot be the subject of a triple. Each object once (DISTINCT),
# however many subjects point to it (a country, a market): fewer solutions to insert.
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { GRAPH <urn:alliance-kg:rules:new> { ?y rdf:type ?c } }
WHERE {
  { SELECT DISTINCT ?y ?p WHERE { GRAPH <urn:alliance-kg:rules:delta> { ?x ?p ?y } FILTER(!isLiteral(?y)) } }
  GRAPH <urn:alliance-kg:rules:schema> { ?p rdfs:range ?c }
  FILTER NOT EXISTS { GRAPH <urn:alliance-kg:rules:each-all> { ?y rdf:type ?c } }
}
