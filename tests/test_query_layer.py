"""The Python query layer: ``akg.load()``, named queries with typed and entity parameters, result objects."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import pydoc
import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

import alliance_kg as akg
from alliance_kg.errors import ParameterError, QueryError
from alliance_kg.knowledge_graph import KnowledgeGraph
from alliance_kg.named_queries import display_name, expand_name, query_form
from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY
from alliance_kg.results import QueryResult

ID = "https://w3id.org/alliance-kg/id/"
AKG = "https://w3id.org/alliance-kg/ontology#"
INJECTION = 'x" } ; DROP ALL #'

#: What the issue asks the library to cover, by query name.
REQUIRED_QUERIES = {
    "mitsubishi-builds-for-nissan",
    "nissan-supplies-to-mitsubishi",
    "plants-building-for-others",
    "supplies-to-north-america",
    "supplies-by-supplier",
    "supplies-by-customer",
    "supplies-by-market",
    "supplies-by-plant",
    "timeline",
    "plants-and-what-they-build",
    "alliance-gains",
    "describe-entity",
    "fact-provenance",
    "agreements-between",  # issue 10: agreements between two manufacturers, directed or not
}


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return akg.load()


def select(result: QueryResult | Graph) -> QueryResult:
    assert isinstance(result, QueryResult)
    return result


def size(kg: KnowledgeGraph) -> int:
    return len(kg.store)


# -- loading ------------------------------------------------------------------------------------------------------


def test_load_gives_three_named_graphs_queried_as_their_union(kg: KnowledgeGraph) -> None:
    assert kg.store.graph_names() == sorted([GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY])
    asserted = len(kg.graph("facts")) + len(kg.graph("ontology"))
    inferred = len(kg.graph("inferred"))
    assert inferred > 100
    assert asserted > 500
    # an inferred triple (akg:builds is a property chain) is seen by default ...
    builds = "SELECT ?v WHERE { plant:okazaki akg:builds ?v }"
    assert select(kg.sparql(builds)).column("v") == [ID + "vehicle/nissan-rogue-plug-in-hybrid"]
    # ... but not in the asserted facts alone
    assert select(kg.sparql(builds, graph="facts")).rows == []


def test_load_is_computed_once_and_each_graph_is_independent(kg: KnowledgeGraph) -> None:
    started = time.perf_counter()
    other = akg.load()
    assert time.perf_counter() - started < 1.0  # parsing and reasoning are cached
    before = size(kg)
    other.store.add(GRAPH_FACTS, Graph().add((URIRef(ID + "x"), URIRef(AKG + "p"), Literal(1))))
    assert size(kg) == before
    assert size(other) == before + 1


def test_load_other_data_files(tmp_path: Path) -> None:
    data = tmp_path / "one-plant.ttl"
    data.write_text(
        "@prefix akg: <https://w3id.org/alliance-kg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/alliance-kg/id/plant/somewhere> a akg:Plant ; rdfs:label "Somewhere plant"@en .\n'
    )
    small = akg.load(paths=[data], reasoning=False)
    assert len(small.graph("inferred")) == 0
    rows = select(small.sparql("SELECT ?p WHERE { ?p a akg:Plant }")).rows
    assert rows == [{"p": ID + "plant/somewhere", "pLabel": "Somewhere plant"}]


def test_public_api_is_documented() -> None:
    text = pydoc.render_doc(akg)
    for name in ("load", "queries", "KnowledgeGraph", "QueryResult", "to_dataframe"):
        assert name in text
    for function in (akg.load, akg.queries, KnowledgeGraph.query, KnowledgeGraph.sparql, QueryResult.to_dataframe):
        assert function.__doc__
        assert function.__annotations__


# -- the library --------------------------------------------------------------------------------------------------


def test_library_covers_the_issue_and_every_query_runs_with_its_defaults(kg: KnowledgeGraph) -> None:
    library = akg.queries()
    assert set(library) >= REQUIRED_QUERIES
    forms = set()
    for name, query in library.items():
        assert query.description, name
        if query.federated:  # run against a stand-in Wikidata in tests/wikidata/
            continue
        result = kg.query(name)
        forms.add(query.form)
        if query.form == "ASK":
            assert isinstance(result, QueryResult)
            assert result.boolean is True, f"{name} answers false with its defaults"
        else:
            assert len(result) > 0, f"{name} answers nothing with its defaults"
    assert forms == {"SELECT", "ASK", "CONSTRUCT"}


def test_query_form_detection() -> None:
    assert query_form("# c\nPREFIX a: <http://a/>\nBASE <http://b/>\n  select * {}") == "SELECT"
    assert query_form("ASK {}") == "ASK"
    assert query_form("PREFIX x: <http://x/> CONSTRUCT WHERE { ?s ?p ?o }") == "CONSTRUCT"
    assert query_form("DESCRIBE <http://x>") == "DESCRIBE"
    assert query_form("DROP ALL") is None


def test_names_expand_as_in_the_data_files() -> None:
    assert expand_name("plant:okazaki") == ID + "plant/okazaki"
    assert expand_name("id:plant/okazaki") == ID + "plant/okazaki"
    assert expand_name("akg:Plant") == AKG + "Plant"
    assert expand_name("<https://example.org/a>") == "https://example.org/a"
    assert expand_name("https://example.org/a") == "https://example.org/a"
    assert expand_name("Okazaki plant") is None
    assert display_name(ID + "plant/okazaki") == "plant:okazaki"


# -- named queries and parameters ---------------------------------------------------------------------------------


def test_one_prefix_map_the_data_files_and_the_query_layer_agree() -> None:
    """Every prefix the data files declare for a folder of id: is the folder's name, so that a name written as in
    the data (cooperation-area:pickup-development) means the same in queries, parameters and messages."""
    from rdflib import Graph

    from alliance_kg import resources
    from alliance_kg.namespaces import ID, short

    seen = 0
    for path in resources.data_files():
        for prefix, namespace in Graph().parse(path).namespaces():
            folder = str(namespace).removeprefix(str(ID)).rstrip("/")
            if str(namespace).startswith(str(ID)) and folder and "/" not in folder:
                assert prefix == folder, f"{path.name}: @prefix {prefix}: names id:{folder}/"
                assert expand_name(f"{prefix}:x") == f"{namespace}x"
                assert short(URIRef(f"{namespace}x")) == f"id:{folder}/x"
                seen += 1
    assert seen >= 10


def test_supplies_by_market_with_a_label(kg: KnowledgeGraph) -> None:
    result = select(kg.query("supplies-by-market", market="North America"))
    supplies = set(result.column("supply"))
    assert supplies == {ID + "supply/rogue-phev-okazaki", ID + "supply/leaf-derived-bev-north-america"}
    row = next(r for r in result.rows if r["supply"] == ID + "supply/rogue-phev-okazaki")
    assert row["salesEarliest"] == dt.date(2026, 1, 1)
    assert row["salesLatest"] == dt.date(2026, 3, 31)
    assert row["supplierLabel"] == "Mitsubishi Motors"
    assert row["soldInLabel"] == "North America"


@pytest.mark.parametrize(
    "value",
    [
        "North America",
        "north america",
        "Amérique du Nord",
        "region:north-america",
        "id:region/north-america",
        ID + "region/north-america",
        f"<{ID}region/north-america>",
    ],
)
def test_an_entity_parameter_takes_iri_prefixed_name_or_label(kg: KnowledgeGraph, value: str) -> None:
    result = select(kg.query("supplies-by-market", market=value))
    assert len(result) == 2


def test_a_market_contains_the_markets_inside_it(kg: KnowledgeGraph) -> None:
    # What is sold in Japan is under the kei and light-commercial-vehicle agreements, whose direction the article
    # does not state (issue 10): they are no supplies, so Japan has none; they are listed by agreements-between.
    assert select(kg.query("supplies-by-market", market="Japon")).rows == []
    south_east_asia = select(kg.query("supplies-by-market", market="Asie du Sud-Est"))
    assert set(south_east_asia.column("supply")) == {ID + "supply/livina-jakarta"}
    agreements = select(kg.query("agreements-between", first="Mitsubishi Motors", second="Nissan"))
    in_japan = {row["agreement"]: row["direction"] for row in agreements.rows if row["market"] == ID + "country/japan"}
    assert in_japan == {
        ID + "supply/kei-vehicles-japan": "not stated",
        ID + "supply/light-commercial-vehicles-japan": "not stated",
    }


def test_labels_match_whatever_the_apostrophe_and_case(kg: KnowledgeGraph) -> None:
    for value in ("usine d\u2019Okazaki", "USINE D'OKAZAKI", "Okazaki plant", "okazaki"):
        assert kg.entity(value, "akg:Plant") == URIRef(ID + "plant/okazaki")
    assert kg.entity("Okazaki") == URIRef(ID + "city/okazaki")  # the city's label is exactly "Okazaki"


def test_sparql_bindings_are_checked_and_entities_bind_as_iris(kg: KnowledgeGraph) -> None:
    """entity() gives an IRI that binds as one; a binding name the query lacks, or an unknown graph, is an error
    rather than a silent empty or unfiltered answer."""
    text = "SELECT ?supply WHERE { ?supply akg:producedAt ?plant }"
    rows = select(kg.sparql(text, plant=kg.entity("plant:okazaki"))).rows
    assert [row["supply"] for row in rows] == [ID + "supply/rogue-phev-okazaki"]
    with pytest.raises(ParameterError, match=r"no variable \?plnat to bind; its variables: \?plant, \?supply"):
        kg.sparql(text, plnat=kg.entity("plant:okazaki"))
    with pytest.raises(ParameterError, match="no graph named 'fact'; the graphs: ontology, facts, inferred"):
        kg.sparql(text, graph="fact")
    assert len(select(kg.sparql(text, graph="facts")).rows) == 3


def test_ambiguous_entity_lists_the_candidates(kg: KnowledgeGraph) -> None:
    with pytest.raises(ParameterError, match="ambiguous") as info:
        kg.query("describe-entity", entity="Leaf")
    message = str(info.value)
    assert "vehicle:nissan-leaf (Nissan Leaf)" in message
    assert "vehicle:nissan-leaf-new (New Nissan Leaf)" in message
    assert info.value.parameter == "entity"


def test_unknown_entity_lists_candidates(kg: KnowledgeGraph) -> None:
    with pytest.raises(ParameterError, match="no entity of class akg:Plant is named 'Okazki'") as info:
        kg.query("supplies-by-plant", plant="Okazki")
    assert "plant:okazaki (Okazaki plant)" in str(info.value)
    with pytest.raises(ParameterError, match="plant:jakarta") as info:
        kg.query("supplies-by-plant", plant="plant:atlantis")
    # an unknown prefixed name is hinted with the entities of its folder, whatever their class
    with pytest.raises(ParameterError, match="did you mean") as info:
        kg.query("describe-entity", entity="plant:okazakii")
    hinted = str(info.value).split("did you mean:")[1]
    assert "plant:okazaki (Okazaki plant)" in hinted
    assert "city:" not in hinted
    assert "manufacturer:" not in hinted


def test_entity_of_the_wrong_class_is_refused(kg: KnowledgeGraph) -> None:
    with pytest.raises(ParameterError, match="manufacturer:nissan is not an entity of class akg:Market"):
        kg.query("supplies-by-market", market="manufacturer:nissan")
    with pytest.raises(ParameterError, match="no entity of class akg:Market is named 'Nissan'"):
        kg.query("supplies-by-market", market="Nissan")


def test_unknown_parameter_lists_the_valid_ones(kg: KnowledgeGraph) -> None:
    with pytest.raises(ParameterError, match=r"has no parameter 'country'; its parameters: market"):
        kg.query("supplies-by-market", country="Japan")


def test_typed_parameter_is_checked(kg: KnowledgeGraph) -> None:
    with pytest.raises(ParameterError, match="'before' takes a day as YYYY-MM-DD"):
        kg.query("sales-certainly-before", before="next spring")
    assert len(select(kg.query("sales-certainly-before", before=dt.date(2027, 1, 1)))) == 3


def test_injection_in_a_parameter_is_an_error_or_a_harmless_literal(kg: KnowledgeGraph) -> None:
    before = size(kg)
    with pytest.raises(ParameterError):
        kg.query("supplies-by-market", market=INJECTION)
    with pytest.raises(ParameterError):
        kg.query("sales-certainly-before", before=INJECTION)
    with pytest.raises(ParameterError):
        kg.query("timeline", lang=INJECTION)
    # bound as a term, the text is only ever a literal value: it matches nothing and changes nothing
    result = select(kg.sparql("SELECT ?s WHERE { ?s rdfs:label ?name }", name=INJECTION))
    assert result.rows == []
    assert size(kg) == before


def test_unknown_query_name_lists_the_library(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="no query named 'supplies-by-markt'; did you mean supplies-by-market") as info:
        kg.query("supplies-by-markt")
    assert "timeline" in str(info.value)


# -- labels ---------------------------------------------------------------------------------------------------------


def test_labels_beside_iris_in_the_chosen_language(kg: KnowledgeGraph) -> None:
    english = select(kg.query("plants-building-for-others"))
    french = select(kg.query("plants-building-for-others", lang="fr"))
    assert english.column("countryLabel") == ["Indonesia", "Thailand", "Japan"]
    assert french.column("countryLabel") == ["Indonésie", "Thaïlande", "Japon"]
    assert french.column("plantLabel")[2] == "usine d\u2019Okazaki"
    assert french.column("plant") == english.column("plant")
    # label columns are added next to every IRI column of queries that do not select them
    timeline = select(kg.query("timeline", lang="fr"))
    assert timeline.vars[:4] == ("supply", "supplyLabel", "vehicle", "vehicleLabel")
    assert "20 décembre 2025" in timeline.column("dateLabel")  # the Navara's start, reconciled from seven sources
    assert timeline.to_json().count('"xml:lang": "fr"') > 10


def test_label_falls_back_to_the_other_language_then_the_local_name(kg: KnowledgeGraph) -> None:
    assert kg.label(ID + "country/japan", "de") == "Japan"
    result = select(kg.sparql("SELECT ?x WHERE { BIND(<https://example.org/things/unknown-thing> AS ?x) }"))
    assert result.rows == [{"x": "https://example.org/things/unknown-thing", "xLabel": "unknown-thing"}]
    kg_fr = akg.load(lang="fr")
    assert kg_fr.lang == "fr"
    assert select(kg_fr.query("plants-building-for-others")).column("countryLabel")[0] == "Indonésie"
    with pytest.raises(ParameterError, match="language tag"):
        kg.query("timeline", lang="en; DROP")


# -- result objects -----------------------------------------------------------------------------------------------


def test_rows_hold_python_values(kg: KnowledgeGraph) -> None:
    result = select(
        kg.sparql(
            "SELECT ?plant (COUNT(?supply) AS ?supplies) (MIN(?d) AS ?first) WHERE {"
            " ?supply akg:producedAt ?plant ; akg:productionStart/akg:earliest ?d } GROUP BY ?plant ORDER BY ?plant"
        )
    )
    assert result.rows == [
        {
            "plant": ID + "plant/laem-chabang",
            "plantLabel": "Laem Chabang plant",
            "supplies": 1,
            "first": dt.date(2025, 12, 20),  # the reports' day, within the article's "fin décembre 2025"
        },
        {"plant": ID + "plant/okazaki", "plantLabel": "Okazaki plant", "supplies": 1, "first": dt.date(2026, 1, 12)},
    ]


def test_dataframe_has_proper_dtypes(kg: KnowledgeGraph) -> None:
    frame = select(kg.query("timeline")).to_dataframe()
    assert str(frame["earliest"].dtype).startswith("datetime64")
    assert str(frame["latest"].dtype).startswith("datetime64")
    assert frame["supply"].iloc[0].startswith(ID)
    spans = (frame["latest"] - frame["earliest"]).dt.days
    assert spans.max() == 183
    assert spans.min() == 0
    counts = select(
        kg.sparql("SELECT ?c (COUNT(*) AS ?n) (AVG(1.5) AS ?avg) WHERE { ?x a ?c } GROUP BY ?c")
    ).to_dataframe()
    assert str(counts["n"].dtype) == "Int64"
    assert str(counts["avg"].dtype) == "float64"


def test_json_is_sparql_results_json(kg: KnowledgeGraph) -> None:
    result = select(kg.query("supplies-by-plant", plant="Okazaki plant"))
    document = json.loads(result.to_json())
    assert document["head"]["vars"] == list(result.vars)
    binding = document["results"]["bindings"][0]
    assert binding["supply"] == {"type": "uri", "value": ID + "supply/rogue-phev-okazaki"}
    assert binding["productionEarliest"] == {
        "type": "literal",
        "value": "2026-01-12",
        "datatype": "http://www.w3.org/2001/XMLSchema#date",
    }
    assert binding["supplyLabel"]["xml:lang"] == "en"
    parsed = Result.parse(io.StringIO(result.to_json()), format="json")  # rdflib reads it back
    assert len(parsed) == len(result)


def test_csv_and_tsv_follow_the_sparql_formats(kg: KnowledgeGraph) -> None:
    result = select(kg.query("supplies-by-plant", plant="plant:okazaki"))
    rows = list(csv.reader(io.StringIO(result.to_csv())))
    assert rows[0] == list(result.vars)
    assert rows[1][0] == ID + "supply/rogue-phev-okazaki"
    assert result.to_csv().endswith("\r\n")
    tsv = result.to_tsv().splitlines()
    assert tsv[0].split("\t")[0] == "?supply"
    assert f"<{ID}supply/rogue-phev-okazaki>" in tsv[1]
    assert '"2026-01-12"^^<http://www.w3.org/2001/XMLSchema#date>' in tsv[1]
    parsed = Result.parse(io.StringIO(result.to_tsv()), format="tsv")
    assert len(parsed) == 1


def test_html_and_table_for_people(kg: KnowledgeGraph) -> None:
    result = select(kg.query("plants-building-for-others"))
    page = result._repr_html_()
    assert page.startswith('<table class="alliance-kg-result">')
    assert ">plant:okazaki</a>" in page
    table = result.to_table()
    assert "plant:okazaki" in table
    assert "Okazaki plant" in table
    assert table.endswith("(3 rows)")
    assert "<b>" in select(kg.sparql("ASK { ?s ?p ?o }"))._repr_html_()
    markup = select(kg.sparql('SELECT ?x WHERE { BIND("<script>" AS ?x) }'))._repr_html_()
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup


def test_ask_construct_and_describe(kg: KnowledgeGraph) -> None:
    yes = select(kg.sparql("ASK { plant:okazaki akg:operator manufacturer:mitsubishi-motors }"))
    assert yes.kind == "ASK"
    assert yes.boolean is True
    assert bool(yes)
    assert json.loads(yes.to_json()) == {"head": {}, "boolean": True}
    no = select(kg.sparql("ASK { plant:okazaki akg:operator manufacturer:nissan }"))
    assert not no
    graph = kg.sparql("CONSTRUCT { ?p a akg:Plant } WHERE { ?p a akg:Plant }")
    assert isinstance(graph, Graph)
    assert len(graph) == 3
    described = kg.sparql("DESCRIBE plant:okazaki")
    assert isinstance(described, Graph)
    assert (URIRef(ID + "plant/okazaki"), URIRef(AKG + "operator"), URIRef(ID + "manufacturer/mitsubishi-motors")) in (
        described
    )


def test_named_ask_and_construct_files(kg: KnowledgeGraph, tmp_path: Path) -> None:
    ask = tmp_path / "builds-at.rq"
    ask.write_text(
        "# title: Does a plant build for a customer?\n"
        "# description: Does the plant build vehicles for the customer?\n"
        "# param: plant entity(akg:Plant) = plant:okazaki -- the plant\n"
        "# param: customer entity(akg:Manufacturer) = Nissan -- the customer\n"
        "ASK { ?plant akg:buildsFor ?customer }\n"
    )
    assert kg.query(ask)
    assert not kg.query(ask, customer="Mitsubishi Motors")
    construct = tmp_path / "construct-plant-graph.rq"
    construct.write_text(
        "# title: Plants and their operators as a graph\n"
        "CONSTRUCT { ?plant akg:operator ?operator } WHERE { ?plant akg:operator ?operator }\n"
    )
    graph = kg.query(construct)
    assert isinstance(graph, Graph)
    assert len(graph) == 3


def test_parameters_are_one_mapping_so_any_name_can_be_a_parameter(kg: KnowledgeGraph, tmp_path: Path) -> None:
    """Parameters named like the options (lang, timeout, graph, allow_service) go in the mapping."""
    named = tmp_path / "options-as-parameters.rq"
    named.write_text(
        "# title: Options as parameters\n"
        "# param: timeout xsd:integer = 1 -- a number called timeout\n"
        "# param: graph xsd:string = x -- a string called graph\n"
        "# param: allow_service xsd:string = y -- a string called allow_service\n"
        "SELECT ?t ?g ?a WHERE { BIND(?timeout AS ?t) BIND(?graph AS ?g) BIND(?allow_service AS ?a) }\n"
    )
    answer = kg.select(named, {"timeout": 42, "graph": "facts", "allow_service": "no"}, timeout=30)
    assert answer.rows == [{"t": 42, "g": "facts", "a": "no"}]
    by_mapping = kg.query("supplies-by-market", {"market": "Oceania"})
    assert isinstance(by_mapping, QueryResult)
    assert by_mapping.rows == kg.select("supplies-by-market", market="Oceania").rows
    with pytest.raises(ParameterError, match="given twice") as twice:
        kg.query("supplies-by-market", {"market": "Oceania"}, market="Japan")
    assert twice.value.parameter == "market"
    with pytest.raises(ParameterError, match="mapping"):
        kg.query("supplies-by-market", ["Oceania"])  # type: ignore[arg-type]
    assert kg.sparql("SELECT ?y WHERE { BIND(?x + 1 AS ?y) }", {"x": 3}).rows == [{"y": 4}]  # type: ignore[union-attr]


def test_one_return_type_per_query_form(kg: KnowledgeGraph, tmp_path: Path) -> None:
    ask = tmp_path / "any-plant.rq"
    ask.write_text("# title: Is there a plant?\nASK { ?plant a akg:Plant }\n")
    construct = tmp_path / "operators.rq"
    construct.write_text("# title: Operators\nCONSTRUCT { ?p akg:operator ?o } WHERE { ?p akg:operator ?o }\n")
    assert kg.ask(ask) is True
    assert len(kg.construct(construct)) == 3
    assert isinstance(kg.select("timeline"), QueryResult)
    with pytest.raises(QueryError, match="not a SELECT query: use ask"):
        kg.select(ask)
    with pytest.raises(QueryError, match="not an ASK query: use construct"):
        kg.ask(construct)
    with pytest.raises(QueryError, match="not a CONSTRUCT or DESCRIBE query: use select"):
        kg.construct("timeline")


# -- bad input ------------------------------------------------------------------------------------------------------


def test_malformed_sparql_has_line_and_column(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match=r"^line 3, column 6: SPARQL syntax error") as info:
        kg.sparql("SELECT * WHERE {\n  ?s akg:supplier ?o ;\n     ]\n}")
    assert (info.value.line, info.value.column) == (3, 6)
    with pytest.raises(QueryError) as info:
        kg.sparql("SELEC * WHERE { ?s ?p ?o }")
    assert (info.value.line, info.value.column) == (1, 1)  # columns count from the user's text
    with pytest.raises(QueryError, match="Unknown namespace prefix : nope"):
        kg.sparql("SELECT * WHERE { nope:x ?p ?o }")


def test_malformed_query_file_names_file_line_and_column(kg: KnowledgeGraph, tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# title: Bad\nSELECT ?s\nWHERE {\n  ?s ?p ?o\n  FILTER(?o = )\n}\n")
    with pytest.raises(QueryError) as info:
        kg.query(bad)
    assert str(info.value).startswith(f"{bad}:5:3: SPARQL syntax error")
    plain = tmp_path / "plain.rq"
    plain.write_text("SELECT ?p WHERE { ?p a akg:Plant }\n")  # no header: still runs
    assert len(select(kg.query(plain))) == 3


def test_updates_are_refused_and_nothing_changes(kg: KnowledgeGraph) -> None:
    before = size(kg)
    for update in ("DROP ALL", "PREFIX a: <http://a/>\nINSERT DATA { a:x a:y a:z }", "# c\nclear default"):
        with pytest.raises(QueryError, match="read-only"):
            kg.sparql(update)
    assert size(kg) == before


def test_a_query_that_would_run_forever_is_stopped(kg: KnowledgeGraph) -> None:
    started = time.perf_counter()
    with pytest.raises(QueryError, match="stopped after the 1 s timeout"):
        kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=1)
    assert time.perf_counter() - started < 5
    assert len(select(kg.sparql("SELECT ?p WHERE { ?p a akg:Plant }"))) == 3  # still usable


def test_service_is_refused_unless_allowed(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="is not allowed"):
        kg.sparql("SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }")


def test_table_fits_a_terminal(kg: KnowledgeGraph) -> None:
    wide = select(kg.query("supplies-by-market", market="Asie du Sud-Est"))  # Japan has no supply (issue 10)
    table = wide.to_table(width=160)
    assert all(len(line) <= 160 for line in table.splitlines()[:-1])
    assert table.splitlines()[-1].startswith("(to fit, not shown: supply, soldIn, vehicle")
    assert "Mitsubishi Motors" in table
    narrow = select(kg.query("plants-building-for-others")).to_table(width=200)
    assert "plant:okazaki" in narrow  # fits: nothing hidden
    assert "not shown" not in narrow


def test_a_param_line_continues_on_indented_lines() -> None:
    # Regression: the continuation of a param line was dropped.
    manufacturer = akg.queries()["alliance-gains"].parameters[0]
    assert manufacturer.description == "the manufacturer (IRI, prefixed name or label)"
    assert manufacturer.entity_class == AKG + "Manufacturer"


def test_entity_class_must_use_an_ontology_prefix(tmp_path: Path) -> None:
    bad = tmp_path / "bad-class.rq"
    bad.write_text(
        "# title: Bad\n# param: thing entity(plant:Okazaki) = plant:okazaki\nSELECT * WHERE { ?thing ?p ?o }\n"
    )
    with pytest.raises(QueryError, match=r"bad-class\.rq:2: unknown class 'plant:Okazaki'"):
        akg.queries([bad])
