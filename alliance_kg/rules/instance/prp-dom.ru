# prp-dom (OWL 2 RL): the subject of a property is an instance of the property's domain (closed by scm-dom).
# Each subject once (DISTINCT), however many values it has: fewer solutions to insert.
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { GRAPH <urn:alliance-kg:rules:new> { ?x rdf:type ?c } }
WHERE {
  { SELECT DISTINCT ?x ?p WHERE { GRAPH <urn:alliance-kg:rules:delta> { ?x ?p ?y } } }
  GRAPH <urn:alliance-kg:rules:schema> { ?p rdfs:domain ?c }
  FILTER NOT EXISTS { GRAPH <urn:alliance-kg:rules:each-all> { ?x rdf:type ?c } }
}
