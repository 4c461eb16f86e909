"""The knowledge graph as analysts use it: :func:`load` it once, then run named queries or any SPARQL.

::

    import alliance_kg as akg

    kg = akg.load()                                        # the packaged graph, asserted + inferred
    kg.query("supplies-by-market", market="North America").to_dataframe()
    kg.query("describe-entity", entity="Okazaki", lang="fr").rows
    kg.sparql("SELECT ?plant WHERE { ?plant a akg:Plant }")
    akg.queries()                                          # the library of named queries

:func:`load` parses the ontology and the data, computes the OWL-RL inferences with the product's rules
(:func:`alliance_kg.engine.check`, once per process for the same files) and puts three named graphs in a
:class:`~alliance_kg.store.Store` (the in-memory :class:`~alliance_kg.store.MemoryStore` unless another is
given): :data:`~alliance_kg.namespaces.GRAPH_ONTOLOGY`, :data:`~alliance_kg.namespaces.GRAPH_FACTS` (asserted)
and :data:`~alliance_kg.namespaces.GRAPH_INFERRED`. **Queries run on the union of the three graphs** unless a
``graph`` is named. Graphs given by the caller are never changed.

Every query may use, without declaring them, the prefixes of :data:`alliance_kg.namespaces.PREFIXES` and one
prefix per folder of the ``id:`` namespace as in the data files (``plant:``, ``manufacturer:``, ``region:``...).

SELECT and ASK queries return a :class:`~alliance_kg.results.QueryResult` (with label columns in ``lang``);
CONSTRUCT and DESCRIBE return an :class:`rdflib.Graph`. Updates are refused: the graph is read-only here.
A ``SERVICE`` clause is refused unless its endpoint is allowed (``allow_service=["wikidata"]``); allowed ones
are called through :func:`alliance_kg.wikidata.federation.run_federated` (see that module).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, cast

from alliance_kg.errors import AllianceKGError, ParameterError, QueryError
from alliance_kg.named_queries import (
    NamedQuery,
    is_update,
    mentions_service,
    named_queries,
    parse_named_query,
    read_query_file,
)

if TYPE_CHECKING:
    from rdflib import Graph, URIRef
    from rdflib.term import Node

    from alliance_kg.entities import StoreEntities
    from alliance_kg.results import QueryResult
    from alliance_kg.store import QueryAnswer, Store

__all__ = ["LANGUAGES", "KnowledgeGraph", "load", "queries"]


#: Label languages the data has; any language tag is accepted, these are the ones with labels.
LANGUAGES: Final = ("en", "fr")

_LANG_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class _Built:
    ontology: Graph
    facts: Graph
    inferred: Graph


_CACHE: dict[tuple[tuple[str, int, int], ...], _Built] = {}
_CACHE_LOCK = threading.Lock()


def _file_key(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    key = []
    for path in paths:
        try:
            stat = path.stat()
            key.append((str(path.resolve()), stat.st_mtime_ns, stat.st_size))
        except OSError:
            key.append((str(path), -1, -1))
    return tuple(key)


def _input_key(
    ontology_paths: list[Path] | None, data_paths: list[Path] | None, reasoning: bool
) -> tuple[tuple[str, int, int], ...]:
    """What the built graph depends on: each input file's path, modification time and size; None means the
    packaged files (the facts with the curated links of data/mappings/, as load_project reads them)."""
    from alliance_kg import resources

    ontology_key = resources.ontology_files() if ontology_paths is None else ontology_paths
    if data_paths is None:
        data_key = [*resources.data_files(), *sorted(resources.resource_root("data").rglob("*.tsv"))]
    else:
        data_key = data_paths
    return (*_file_key(ontology_key), ("--", 0, 0), *_file_key(data_key), ("reasoning", int(reasoning), 0))


def _build(ontology_paths: list[Path] | None, data_paths: list[Path] | None, reasoning: bool) -> _Built:
    """Parse and reason (once per process for the same files); None means the packaged files."""
    from rdflib import Graph

    from alliance_kg.engine import check
    from alliance_kg.loading import load_project
    from alliance_kg.namespaces import bind_prefixes

    key = _input_key(ontology_paths, data_paths, reasoning)
    with _CACHE_LOCK:
        built = _CACHE.get(key)
        if built is None:
            # the packaged facts (with the curated links) or the given files, with their claims reconciled
            project = load_project(data_paths=data_paths, ontology_paths=ontology_paths)
            ontology, facts = project.ontology, project.facts
            inferred = bind_prefixes(Graph())
            if reasoning:
                inferred = check(ontology, facts).inferred
            built = _CACHE[key] = _Built(ontology, facts, inferred)
    return built


def load(
    paths: Iterable[str | Path] | None = None,
    *,
    ontology_paths: Iterable[str | Path] | None = None,
    reasoning: bool = True,
    lang: str = "en",
    store: Store | str | None = None,
) -> KnowledgeGraph:
    """Load the knowledge graph: ontology + facts + OWL-RL inferences, as three named graphs.

    ``store`` says where the graph lives:

    * ``None`` or ``"memory"``: a new :class:`~alliance_kg.store.MemoryStore`, filled by parsing the files
      (the packaged facts, or ``paths``) and reasoning over them, once per process for the same files;
    * ``"oxigraph"``: the same in a new in-memory :class:`~alliance_kg.store_oxigraph.OxigraphStore`;
    * ``"oxigraph:PATH"`` or ``"sparql:URL"``: an existing store (built by ``alliance-kg build --store`` or
      published with ``alliance-kg publish``), opened as it is: nothing is parsed or reasoned again, and
      ``paths`` must not be given;
    * a :class:`~alliance_kg.store.Store`: used as it is when it holds graphs, else filled like ``memory``.

    ``paths`` are data files to use instead of the packaged facts (``data/`` and the curated links of
    ``data/mappings/``); the packaged ontology is still used unless ``ontology_paths`` is given. With
    ``reasoning=False`` the inferred graph is empty. ``lang`` is the default label language of results.
    Raises :class:`~alliance_kg.errors.InputError` for unreadable or malformed files or a missing store.
    """
    from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY

    if isinstance(store, str) and ":" in store:
        from alliance_kg.store import open_store

        if paths is not None or ontology_paths is not None:
            raise ParameterError(
                f"{store} is a built store: it is queried as it is (build it again to change its data)",
                parameter="store",
            )
        return KnowledgeGraph(open_store(store), lang=lang)
    target = _new_store(store)
    if isinstance(store, str) or store is None or not target.graph_names():
        ontology_files = None if ontology_paths is None else [Path(p) for p in ontology_paths]
        data_files = None if paths is None else [Path(p) for p in paths]
        built = _build(ontology_files, data_files, reasoning)
        target.add(GRAPH_ONTOLOGY, built.ontology)
        target.add(GRAPH_FACTS, built.facts)
        target.add(GRAPH_INFERRED, built.inferred)
    return KnowledgeGraph(target, lang=lang)


def _new_store(store: Store | str | None) -> Store:
    """The store :func:`load` fills: the one given, or a new one of the kind named."""
    if store is None or store == "memory":
        from alliance_kg.store import MemoryStore

        return MemoryStore()
    if store == "oxigraph":
        from alliance_kg.store_oxigraph import OxigraphStore

        return OxigraphStore()
    if isinstance(store, str):
        raise ParameterError(
            f"store must be 'memory', 'oxigraph', 'oxigraph:PATH', 'sparql:URL' or a Store, not {store!r}",
            parameter="store",
        )
    return store


def queries(paths: Iterable[str | Path] | None = None) -> dict[str, NamedQuery]:
    """The library of named queries by name: the packaged ``queries/*.rq`` (or the given files).

    Each :class:`~alliance_kg.named_queries.NamedQuery` has a ``title``, a ``description``, its
    ``parameters`` (name, type, default, description) and its ``text``.
    """
    return named_queries(None if paths is None else [Path(p) for p in paths])


def _check_lang(lang: str) -> str:
    if not _LANG_TAG.match(lang):
        raise ParameterError(f"language must be a language tag such as en or fr, not {lang!r}", parameter="lang")
    return lang.lower()


class KnowledgeGraph:
    """A read-only view of the knowledge graph held in a :class:`~alliance_kg.store.Store`.

    Build it with :func:`load`. ``lang`` is the default label language of results. The store's named
    graphs are :data:`~alliance_kg.namespaces.GRAPH_ONTOLOGY`, :data:`~alliance_kg.namespaces.GRAPH_FACTS`
    and :data:`~alliance_kg.namespaces.GRAPH_INFERRED`; queries see their union.
    """

    def __init__(self, store: Store, *, lang: str = "en", library: Mapping[str, NamedQuery] | None = None) -> None:
        from alliance_kg.entities import StoreEntities

        self._store = store
        self._lang = _check_lang(lang)
        self._library = dict(library) if library is not None else None
        self._entities = StoreEntities(store)
        self._folders: dict[str, bool] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"<KnowledgeGraph on a {self._store.kind} store: {len(self._store.graph_names())} graphs, lang={self.lang}>"
        )

    def close(self) -> None:
        """Let go of the store (an on-disk store is flushed and closed)."""
        self._store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- properties -----------------------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        """The :class:`~alliance_kg.store.Store` holding the named graphs."""
        return self._store

    @property
    def lang(self) -> str:
        """The default label language of results (``en`` or ``fr``)."""
        return self._lang

    @lang.setter
    def lang(self, value: str) -> None:
        self._lang = _check_lang(value)

    def graph(self, name: str | None = None) -> Graph:
        """A copy of one named graph (``ontology``, ``facts``, ``inferred`` or its IRI), or of the union.

        The copy is an in-memory rdflib graph: meant for small graphs; query a big one instead.
        """
        from alliance_kg.store import union_graph

        graph_name = self._graph_name(name)
        return union_graph(self._store) if graph_name is None else self._store.graph(graph_name)

    def queries(self) -> dict[str, NamedQuery]:
        """The named queries this graph runs by name (the packaged library unless others were given)."""
        if self._library is None:
            self._library = named_queries()
        return dict(self._library)

    # -- entities and labels -----------------------------------------------------------------------------

    @property
    def entities(self) -> StoreEntities:
        """Labels and types of the entities, asked of the store when needed (for parameters and label columns)."""
        return self._entities

    def label(self, iri: str, lang: str | None = None) -> str:
        """The label of ``iri`` in ``lang`` (default :attr:`lang`), else in another language, else its local name."""
        return self._label(iri, _check_lang(lang or self._lang))[0]

    def _label(
        self, iri: str, lang: str, labels: Mapping[str, Mapping[str, str]] | None = None
    ) -> tuple[str, str | None]:
        found = (labels if labels is not None else self._entities.labels([iri])).get(iri, {})
        if lang in found:
            return found[lang], lang
        for other in (*LANGUAGES, *sorted(found)):
            if other in found and other:
                return found[other], other
        if "" in found:
            return found[""], None
        local = re.split(r"[/#]", iri.rstrip("/#"))[-1]
        return local or iri, None

    def entity(self, text: str, cls: str | None = None) -> URIRef:
        """The IRI of the entity ``text`` names: an IRI, a prefixed name (``plant:okazaki``) or a label.

        ``cls`` (a prefixed class name such as ``akg:Plant``) restricts the candidates. Raises
        :class:`~alliance_kg.errors.ParameterError` listing candidates for an unknown or ambiguous name.
        """
        from rdflib import URIRef

        from alliance_kg.named_queries import Parameter

        parameter = Parameter(name="entity", type=f"entity({cls})" if cls else "entity")
        return URIRef(self._entities.resolve(text, parameter))

    # -- queries -----------------------------------------------------------------------------------------

    def query(
        self,
        name: str | Path | NamedQuery,
        params: Mapping[str, object] | None = None,
        /,
        *,
        lang: str | None = None,
        timeout: float | None = None,
        allow_service: Iterable[str] = (),
        **keyword_params: object,
    ) -> QueryResult | Graph:
        """Run a named query with its parameters: ``kg.query("supplies-by-market", {"market": "Oceania"})``.

        ``name`` is a query of the library (``kg.queries()``), a path to an ``.rq`` file or a
        :class:`~alliance_kg.named_queries.NamedQuery`. ``params`` maps parameter names to values; any name
        may be used there, ``lang``, ``timeout`` or ``graph`` included. Keyword arguments are a shorthand for
        parameters whose names are not options (``kg.query("supplies-by-market", market="Oceania")``); a
        parameter given both ways is an error. Parameters not given take their declared defaults; a declared
        ``lang`` parameter not given takes the option ``lang``. Entity parameters accept an IRI, a prefixed
        name or a label. ``timeout`` (seconds) stops a query that runs longer. ``allow_service`` lists the
        remote endpoints a ``SERVICE`` clause may call (``wikidata`` or full URLs); none by default, so a
        query never reaches the network unless asked to.

        Returns a :class:`~alliance_kg.results.QueryResult` for SELECT and ASK, an :class:`rdflib.Graph` for
        CONSTRUCT and DESCRIBE; :meth:`select`, :meth:`ask` and :meth:`construct` return one type each.
        Raises :class:`~alliance_kg.errors.QueryError` for an unknown query name (listing the known ones)
        or a malformed query, :class:`~alliance_kg.errors.ParameterError` for a bad parameter.
        """
        query = self._named(name)
        language = _check_lang(lang or self._lang)
        values = _parameters(params, keyword_params)
        if "lang" in {p.name for p in query.parameters} and "lang" not in values:
            values["lang"] = language
        bindings = query.bindings(values, entities=self.entities)
        path = query.path if isinstance(name, Path | str) and not self._is_library_name(name) else None
        return self._run(
            query.text,
            bindings,
            lang=language,
            label=query.name,
            path=path,
            timeout=timeout,
            allow_service=allow_service,
        )

    def select(
        self,
        name: str | Path | NamedQuery,
        params: Mapping[str, object] | None = None,
        /,
        *,
        lang: str | None = None,
        timeout: float | None = None,
        allow_service: Iterable[str] = (),
        **keyword_params: object,
    ) -> QueryResult:
        """Run a named SELECT query (as :meth:`query`) and return its table; a query of another form is a
        :class:`~alliance_kg.errors.QueryError`."""
        answer = self._of_form("select", name, _parameters(params, keyword_params), lang, timeout, allow_service)
        return cast("QueryResult", answer)

    def ask(
        self,
        name: str | Path | NamedQuery,
        params: Mapping[str, object] | None = None,
        /,
        *,
        timeout: float | None = None,
        allow_service: Iterable[str] = (),
        **keyword_params: object,
    ) -> bool:
        """Run a named ASK query (as :meth:`query`) and return its answer; another form is a
        :class:`~alliance_kg.errors.QueryError`."""
        answer = self._of_form("ask", name, _parameters(params, keyword_params), None, timeout, allow_service)
        return bool(cast("QueryResult", answer).boolean)

    def construct(
        self,
        name: str | Path | NamedQuery,
        params: Mapping[str, object] | None = None,
        /,
        *,
        lang: str | None = None,
        timeout: float | None = None,
        allow_service: Iterable[str] = (),
        **keyword_params: object,
    ) -> Graph:
        """Run a named CONSTRUCT or DESCRIBE query (as :meth:`query`) and return its graph; a SELECT or ASK
        query is a :class:`~alliance_kg.errors.QueryError`."""
        answer = self._of_form("construct", name, _parameters(params, keyword_params), lang, timeout, allow_service)
        return cast("Graph", answer)

    def _of_form(
        self,
        method: str,
        name: str | Path | NamedQuery,
        params: Mapping[str, object],
        lang: str | None,
        timeout: float | None,
        allow_service: Iterable[str],
    ) -> QueryResult | Graph:
        """:meth:`query`'s answer when it is the form ``method`` (select, ask, construct) returns, else a
        :class:`~alliance_kg.errors.QueryError` naming the method to use."""
        answer = self.query(name, params, lang=lang, timeout=timeout, allow_service=allow_service)
        found = _method_for(answer)
        if found != method:
            form = _FORM_NAMES[method]
            raise QueryError(f"{self._named(name).name} is not {form} query: use {found}()")
        return answer

    def sparql(
        self,
        text: str,
        bindings: Mapping[str, object] | None = None,
        /,
        *,
        lang: str | None = None,
        graph: str | None = None,
        timeout: float | None = None,
        allow_service: Iterable[str] = (),
        **keyword_bindings: object,
    ) -> QueryResult | Graph:
        """Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE) on the union of the named graphs.

        ``bindings`` (a mapping, or keyword arguments for variables whose names are not options) bind
        variables to values without touching the query text: rdflib terms as they are,
        ``date``/``int``/``float``/``Decimal``/``bool``/``str`` as typed literals (use :meth:`entity` or
        :class:`rdflib.URIRef` for IRIs). ``graph`` names one graph to query instead of the union.
        ``timeout`` and ``allow_service`` are as for :meth:`query`.
        Raises :class:`~alliance_kg.errors.QueryError` (with line and column) for a malformed query or an update.
        """
        from rdflib import Literal
        from rdflib.term import Node

        bindings = _parameters(bindings, keyword_bindings)

        used = set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", text))
        unknown = sorted(set(bindings) - used)
        if unknown:
            raise ParameterError(
                f"the query has no variable ?{unknown[0]} to bind; its variables: "
                + (", ".join(f"?{v}" for v in sorted(used)) or "none"),
                parameter=unknown[0],
            )
        terms: dict[str, Node] = {}
        for key, value in bindings.items():
            terms[key] = value if isinstance(value, Node) else Literal(value)
        return self._run(
            text,
            terms,
            lang=_check_lang(lang or self._lang),
            graph=graph,
            timeout=timeout,
            allow_service=allow_service,
        )

    # -- internals ---------------------------------------------------------------------------------------

    def _is_library_name(self, name: str | Path) -> bool:
        return isinstance(name, str) and name in self.queries()

    def _named(self, name: str | Path | NamedQuery) -> NamedQuery:
        if isinstance(name, NamedQuery):
            return name
        library = self.queries()
        if isinstance(name, str) and name in library:
            return library[name]
        if isinstance(name, Path) or name.endswith(".rq"):
            return _query_file(Path(name))
        import difflib

        close = difflib.get_close_matches(name, list(library), n=3)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise QueryError(f"no query named {name!r}; {hint}known queries: {', '.join(sorted(library))}", query=name)

    def prefixes(self, text: str | None = None) -> dict[str, str]:
        """The prefixes a query may use without declaring them: prefix -> namespace IRI.

        Those of :data:`alliance_kg.namespaces.PREFIXES` and one per folder of the ``id:`` namespace that holds
        entities, as in the data files (``plant:`` is ``https://w3id.org/alliance-kg/id/plant/``). With
        ``text``, only the folders that query uses are looked up (a few cheap questions to the store, however
        big it is); without, every folder the store holds.
        """
        from alliance_kg.namespaces import ID, PREFIXES
        from alliance_kg.sparql_text import undeclared_prefixes

        declared = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        names = undeclared_prefixes(text) - set(declared) if text is not None else self._all_folders()
        for folder in sorted(names):
            if self._has_folder(folder):
                declared[folder] = f"{ID}{folder}/"
        return declared

    def prologue(self, text: str | None = None) -> str:
        """The ``PREFIX`` declarations of :meth:`prefixes`, as one line (prepended to every query)."""
        # one line of its own: rdflib 7.6 misreads a SERVICE clause on the line of a '#'-ending PREFIX
        return " ".join(f"PREFIX {prefix}: <{iri}>" for prefix, iri in self.prefixes(text).items()) + "\n"

    def _has_folder(self, folder: str) -> bool:
        if folder not in self._folders:
            from rdflib import Literal

            from alliance_kg.namespaces import ID

            if not re.fullmatch(r"[A-Za-z][\w-]*", folder):
                return False
            ask = "ASK { ?s ?p ?o . FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?start)) }"
            answer = self._store.query(ask, bindings={"start": Literal(f"{ID}{folder}/")})
            self._folders[folder] = bool(answer.boolean)
        return self._folders[folder]

    def _all_folders(self) -> set[str]:
        from alliance_kg.namespaces import ID

        query = (
            "SELECT DISTINCT ?folder WHERE { ?s a ?type . FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?id)) "
            'BIND(STRBEFORE(STRAFTER(STR(?s), ?id), "/") AS ?folder) }'
        )
        from rdflib import Literal

        folders = {str(row[0]) for row in self._store.query(query, bindings={"id": Literal(str(ID))}) if row[0]}
        for folder in folders:
            self._folders[folder] = True
        return folders

    def _run(
        self,
        text: str,
        bindings: Mapping[str, Node],
        *,
        lang: str,
        label: str | None = None,
        path: Path | None = None,
        graph: str | None = None,
        timeout: float | None = None,
        allow_service: Iterable[str] = (),
    ) -> QueryResult | Graph:
        from alliance_kg.results import QueryResult

        if is_update(text):
            raise QueryError(
                "SPARQL updates are refused: the knowledge graph is read-only", query=label, path=path, line=None
            )
        full = self.prologue(text) + text
        # An engine would call SERVICE endpoints itself: apply the federation policy, on the parsed algebra, to
        # every query that may hold a SERVICE clause (mentions_service decodes escapes such as SERV\u0049CE; the
        # exact check parses the query, so queries that cannot hold one skip it).
        services: list[str] = []
        if mentions_service(full):
            from alliance_kg.service_policy import check_services

            services = check_services(full, allow=allow_service, name=label)
        try:
            if services:
                answer = self._federated(full, bindings, allow_service, timeout, label)
            else:
                answer = self._store.query(full, bindings=bindings, graph=self._graph_name(graph), timeout=timeout)
            form = answer.form
            if form in ("CONSTRUCT", "DESCRIBE"):
                return answer.graph()
            if form == "ASK":
                return QueryResult("ASK", boolean=bool(answer.boolean), lang=lang, query=label)
            hidden = set(bindings)
            names = [n for n in answer.variables if n not in hidden]
            keep = [i for i, n in enumerate(answer.variables) if n not in hidden]
            solutions = [{names[j]: row[i] for j, i in enumerate(keep)} for row in answer]
        except QueryError as error:
            if error.query is not None or error.path is not None:
                raise
            raise _in_user_text(self._pointed(error, full), label, path) from None
        except AllianceKGError:  # ServiceError (an allowed endpoint or a remote store failed), ParameterError
            raise
        except Exception as error:
            raise QueryError(f"query failed: {type(error).__name__}: {error}", query=label, path=path) from None
        from rdflib import URIRef

        iris = {str(value) for row in solutions for value in row.values() if isinstance(value, URIRef)}
        labels = self._entities.labels(iris)
        return QueryResult.from_solutions(
            names, solutions, label=lambda iri: self._label(iri, lang, labels), lang=lang, query=label
        )

    def _pointed(self, error: QueryError, full: str) -> QueryError:
        """The engine's syntax error, or rdflib's for the same text when rdflib also rejects it: rdflib points at
        the token where the text goes wrong, where an engine may point past it. rdflib only helps to locate an
        error the engine found; it never decides what the engine may run."""
        if error.line is None or self._store.kind == "memory":
            return error
        from alliance_kg.store import rdflib_parse

        try:
            rdflib_parse(full, {})
        except QueryError as located:
            if located.line is not None:
                return located
        return error

    def _federated(
        self,
        full: str,
        bindings: Mapping[str, Node],
        allow_service: Iterable[str],
        timeout: float | None,
        label: str | None,
    ) -> QueryAnswer:
        from alliance_kg.store import QueryAnswer
        from alliance_kg.wikidata.federation import run_federated

        result = run_federated(
            self.graph(), full, allow=allow_service, bindings=bindings, timeout=timeout or 120.0, name=label
        )
        if result.type == "ASK":
            return QueryAnswer("ASK", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return QueryAnswer(result.type, items=[tuple(t) for t in result])  # type: ignore[arg-type]
        variables = [str(v) for v in (result.vars or [])]
        return QueryAnswer("SELECT", variables=variables, items=[tuple(row) for row in result])  # type: ignore[arg-type]

    def _graph_name(self, graph: str | None) -> str | None:
        if graph is None:
            return None
        from alliance_kg.namespaces import NAMED_GRAPHS

        iri = NAMED_GRAPHS.get(graph, graph)
        present = self._store.graph_names()
        if iri not in present and iri not in NAMED_GRAPHS.values():  # the three may be empty
            known = ", ".join([*NAMED_GRAPHS, *sorted(set(present) - set(NAMED_GRAPHS.values()))])
            raise ParameterError(f"no graph named {graph!r}; the graphs: {known}", parameter="graph")
        return iri


def _parameters(params: Mapping[str, object] | None, keyword_params: Mapping[str, object]) -> dict[str, object]:
    """The parameters of a call: the mapping and the keyword shorthand together; one name given twice is an
    error."""
    if params is not None and not isinstance(params, Mapping):
        raise ParameterError(
            f"parameters are a mapping of names to values, not {type(params).__name__}", parameter="params"
        )
    values = dict(params or {})
    for key, value in keyword_params.items():
        if key in values:
            raise ParameterError(f"parameter {key!r} is given twice (in the mapping and as a keyword)", parameter=key)
        values[key] = value
    return values


#: The query forms :meth:`KnowledgeGraph.select`, ``ask`` and ``construct`` return, as messages name them.
_FORM_NAMES: Final = {"select": "a SELECT", "ask": "an ASK", "construct": "a CONSTRUCT or DESCRIBE"}


def _method_for(answer: object) -> str:
    from alliance_kg.results import QueryResult

    if not isinstance(answer, QueryResult):
        return "construct"
    return "select" if answer.boolean is None else "ask"


def _query_file(path: Path) -> NamedQuery:
    """A query file: with its header when it has one, else as a query without title or parameters."""
    text = read_query_file(path)
    if re.search(r"^#\s?title:", text, re.MULTILINE):
        return parse_named_query(path, text)
    return NamedQuery(name=path.stem, path=path, title=path.stem, description="", parameters=(), text=text)


def _in_user_text(error: QueryError, label: str | None, path: Path | None) -> QueryError:
    """A store's QueryError as the user reads it: lines counted in their text (the prologue line left out),
    and named after their query or file."""
    line, column = error.line, error.column
    if line is not None:
        column = column if line > 1 else 1  # an error in the prologue is the start of their text
        line = max(line - 1, 1)
    return _located(error.message, label, path, line, column)


def _located(message: str, label: str | None, path: Path | None, line: int | None, column: int | None) -> QueryError:
    """A QueryError whose message starts with where in the query text it is, unless a file names it."""
    if path is None:
        where = f"line {line}, column {column or 1}: " if line is not None else ""
        message = (f"query {label!r}: " if label else "") + where + message
    return QueryError(message, query=label, path=path, line=line, column=column)
