"""OWL-RL consequences of the ontology's axioms, materialised by SPARQL Update rules run on the store.

::

    from alliance_kg.inference import inconsistencies, materialise

    report = materialise(store)          # ontology + facts -> the inferred graph, to a fixpoint
    problems = inconsistencies(store)    # disjoint classes, clashing functional properties... (a tuple)

The rules are data, not Python: ``alliance_kg/rules/`` holds SPARQL 1.1 Update files named after the OWL 2 RL
rules they implement, generic over the axioms of the ontology graph (they read ``rdfs:subClassOf``,
``owl:inverseOf``, ``owl:propertyChainAxiom``... from it, never a class or property of ours by name):

* ``rules/schema/*.ru``: the schema closure (``scm-sco``, ``scm-spo``, ``scm-eqc``, ``scm-eqp``, ``scm-dom``,
  ``scm-rng``), run first to a fixpoint on a scratch copy of the ontology graph (small);
* ``rules/instance/*.ru``: ``cax-sco``, ``prp-dom``, ``prp-rng``, ``prp-spo1``, ``prp-inv``, ``prp-symp``,
  ``prp-trp``, ``prp-spo2`` (chains of two properties; an ontology with other chains is refused with an
  :class:`~alliance_kg.errors.InputError`), run round after round until a round adds nothing;
* ``rules/checks/*.rq``: SELECT queries for the contradictions; those named ``*-violation.rq`` must return no
  rows.

How a round runs (semi-naive evaluation): each rule joins at least one triple that the *previous* round added
(the ``?delta`` graphs: the asserted graphs and the schema closure in the first round) with the closed schema
(one step reaches every super-class, super-property, domain and range) and, for the two-triple rules
(transitivity, chains), with every graph (``?all``: the source graphs and the target). Each rule inserts into
a scratch graph (``?new``) only the triples that no graph read holds (a ``FILTER NOT EXISTS`` for each);
one step (``steps/commit.ru``) then adds them to the target, and they are the next round's delta (round 0:
``steps/seed.ru``, the closed schema's triples that the ontology does not hold). The fixpoint is reached when
a round adds nothing: a cyclic ``rdfs:subClassOf`` or a self-referential chain ends like any other axiom.

The rule files name graphs by placeholder IRIs (``<urn:alliance-kg:rules:schema>``, ``...:new``, ``...:delta``,
``...:all``, ``...:ontology``, ``...:target``) that the engine replaces with the real graph IRIs (checked to
be IRIs) before running them: a rule file stays a valid SPARQL text that a test parses. A text is run once for
each combination of the graphs its placeholders stand for, except that a line naming
``<urn:alliance-kg:rules:each-all>`` is repeated, within the same text, once for each graph of ``all``
(``FILTER NOT EXISTS { GRAPH <urn:alliance-kg:rules:each-all> { ... } }``: in none of them).

Bound to the axioms (:class:`_Axioms`): before a rule runs, the solutions of its group of axioms (``GRAPH
<urn:alliance-kg:rules:schema> { ... }``, or ``...:ontology`` in a check) are read, and the rule is run once
for each, with the IRIs of the classes and properties written in place of the variables that the group
shares with the first data group of the ``WHERE`` clause. The files stay generic (nothing of the ontology is
named in them), and each query the store runs names a predicate or class, which Oxigraph reads from its
indexes, where a join over variables read every triple of a graph (measured at 1M triples:
``benchmarks/inference.md``).

What is not derived, on purpose: ``owl:sameAs`` and its consequences (``eq-*``: the project's IRIs each name a
different thing, so a merge is reported as an inconsistency instead), the axiomatic triples of OWL-RL
(``owl:Thing``, ``rdfs:Resource``, datatype axioms, reflexive sub-classes), class expressions (``cls-*``:
restrictions, unions, intersections; the ontology uses none) and the types of literals.

Contradictions (:func:`inconsistencies`) are reported with the kinds and messages of
:class:`alliance_kg.reasoning.Inconsistency`: ``disjoint-classes``, ``nothing``, ``complement``,
``same-and-different``, ``merged-individuals`` (two of the project's individuals, under ``id:``, that a
functional or inverse-functional property would make one), and ``owl-rl`` with owlrl's wording for an
irreflexive property used reflexively. Unlike owlrl, a clash of a functional property between two individuals
declared different (``owl:AllDifferent``) is reported as ``same-and-different``, and ``owl:Nothing`` is not
made a sub-class of every class (owlrl then reports every disjointness as well).

Budgets: :func:`materialise` stops with a :class:`~alliance_kg.errors.BuildError` that names the budget
(``max_rounds``, ``max_seconds`` or ``max_triples``, with its value) when one runs out before the fixpoint; the
target then holds what was derived so far. The defaults (:data:`DEFAULT_MAX_ROUNDS`,
:data:`DEFAULT_MAX_SECONDS`, :data:`DEFAULT_MAX_TRIPLES`) are generous: the 1M-triple synthetic graph needs 4
rounds, about 3 minutes on disk and 358k inferred triples (``benchmarks/inference.md``). Time is checked between
two updates (a running update is not interrupted), size after each rule file (so a budget is overshot by at
most what one rule file adds). What they guard against is an ontology whose consequences grow without bound in
practice, such as a chain ``p o p`` over a long path (quadratic) or a large ``owl:sameAs`` clique under OWL-RL's
``eq-*`` rules (which these rules do not run: see above; owlrl does).

Errors: :class:`~alliance_kg.errors.BuildError` when a budget runs out, :class:`~alliance_kg.errors.InputError`
for an unsupported axiom, bad graph names or a budget that is not a positive number,
:class:`~alliance_kg.errors.QueryError` from the store.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from rdflib import URIRef

from alliance_kg.errors import BuildError, InputError, QueryError
from alliance_kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, GRAPH_ONTOLOGY, ID, short
from alliance_kg.reasoning import Inconsistency
from alliance_kg.sparql_text import (
    IRIREF,
    code_only,
    code_positions,
    keyword_positions,
    matching_brace,
    term_text,
)

if TYPE_CHECKING:
    from rdflib.term import Node

    from alliance_kg.store import Store

__all__ = [
    "DEFAULT_MAX_ROUNDS",
    "DEFAULT_MAX_SECONDS",
    "DEFAULT_MAX_TRIPLES",
    "RULES",
    "SCRATCH_GRAPHS",
    "InferenceReport",
    "inconsistencies",
    "materialise",
    "rule_files",
]

#: The folder of the rule and check files (it ships inside the package).
RULES: Final = Path(__file__).resolve().parent / "rules"

#: The scratch graphs the engine uses while it runs (emptied before and after): the closed schema, and the
#: triples of the round being computed and of the previous one.
SCRATCH_GRAPHS: Final = (
    "urn:alliance-kg:inference:schema",
    "urn:alliance-kg:inference:round-a",
    "urn:alliance-kg:inference:round-b",
)

_PLACEHOLDER: Final = "urn:alliance-kg:rules:"
_PLACEHOLDERS: Final = re.compile(r"<urn:alliance-kg:rules:([a-z0-9-]+)>")
_EACH: Final = re.compile(r"^.*<urn:alliance-kg:rules:each-([a-z0-9-]+)>.*$", re.MULTILINE)
_MAX_SCHEMA_ROUNDS: Final = 64

#: Rounds of instance rules :func:`materialise` runs at most by default (the project's graphs need 4).
DEFAULT_MAX_ROUNDS: Final = 100
#: Seconds :func:`materialise` may take by default: an hour (the 1M-triple graph takes about 3 minutes on disk).
DEFAULT_MAX_SECONDS: Final = 3600.0
#: Triples :func:`materialise` may add to the target by default: ten million (28 times what the 1M-triple
#: graph infers), so that a run-away ontology stops before it exhausts the memory.
DEFAULT_MAX_TRIPLES: Final = 10_000_000

_SEED: Final = "seed.ru"  # round 0: the schema closure's triples that no graph read holds (steps/)
_COMMIT: Final = "commit.ru"  # add the new triples (each rule inserts only new ones) to the target (steps/)
_COPY: Final = "ADD <urn:alliance-kg:rules:from> TO <urn:alliance-kg:rules:to>"


@dataclass(frozen=True)
class InferenceReport:
    """What :func:`materialise` did.

    ``added[0]`` is the number of schema-closure triples added to the target, ``added[i]`` the number of triples
    round ``i`` added (the last round adds 0: that is the fixpoint); ``round_seconds`` the time of each, and
    ``seconds`` the whole run.
    """

    added: tuple[int, ...]
    round_seconds: tuple[float, ...]
    seconds: float

    @property
    def rounds(self) -> int:
        """The number of rounds of instance rules run (the last one found nothing new)."""
        return len(self.added) - 1

    @property
    def total(self) -> int:
        """The number of triples added to the target."""
        return sum(self.added)


def rule_files(kind: str) -> list[Path]:
    """The files of ``rules/KIND/`` (``schema``, ``instance``, ``checks`` or ``steps``), sorted."""
    folder = RULES / kind
    files = sorted(p for p in folder.iterdir() if p.suffix in (".ru", ".rq")) if folder.is_dir() else []
    if not files:
        from alliance_kg.errors import ResourceError

        raise ResourceError(f"no rule files in {folder} (reinstall alliance-kg)")
    return files


@functools.cache
def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _iri(name: str) -> str:
    text = f"<{name}>"
    if not IRIREF.fullmatch(text) or ":" not in name:
        raise InputError(f"not an absolute IRI for a graph: {name!r}")
    return text


def _instantiate(text: str, graphs: Mapping[str, Sequence[str]]) -> list[tuple[dict[str, str], str]]:
    """The rule text once for each combination of graphs, with its placeholders replaced by IRIs.

    A line that names ``<urn:alliance-kg:rules:each-NAME>`` is first repeated, once for each graph of
    ``graphs[NAME]`` (``FILTER NOT EXISTS { GRAPH <urn:alliance-kg:rules:each-all> { ?s ?p ?o } }``: in none of them).

    A placeholder ``<urn:alliance-kg:rules:NAME>`` stands for each graph of ``graphs[NAME]`` in turn (``all2``
    for a second, independent, graph of ``all``): every text names constant graphs only, which both Oxigraph
    and rdflib join well, where ``GRAPH ?g`` with ``VALUES`` or ``FILTER(?g IN ...)`` joins badly in one or the
    other. Returns ``(graph of each placeholder, text)`` pairs.
    """
    text = _EACH.sub(lambda line: _each(line, graphs), text)
    names = list(dict.fromkeys(_PLACEHOLDERS.findall(text)))
    choices: list[list[str]] = []
    for name in names:
        key = "all" if name == "all2" else name
        if key not in graphs:
            raise InputError(f"a rule names an unknown graph: <{_PLACEHOLDER}{name}>")
        choices.append([_iri(iri) for iri in graphs[key]])
    instances = []
    for combination in itertools.product(*choices):
        done = text
        for name, iri in zip(names, combination, strict=True):
            done = done.replace(f"<{_PLACEHOLDER}{name}>", iri)
        instances.append(({name: iri[1:-1] for name, iri in zip(names, combination, strict=True)}, done))
    return instances


def _each(line: re.Match[str], graphs: Mapping[str, Sequence[str]]) -> str:
    name = line.group(1)
    if name not in graphs:
        raise InputError(f"a rule names an unknown graph: <{_PLACEHOLDER}each-{name}>")
    placeholder = f"<{_PLACEHOLDER}each-{name}>"
    return "\n".join(line.group(0).replace(placeholder, _iri(iri)) for iri in graphs[name])


def _run(
    store: Store,
    text: str,
    graphs: Mapping[str, Sequence[str]],
    budget: _Budget | None = None,
    axioms: _Axioms | None = None,
) -> None:
    for each in [text] if axioms is None else axioms.bind(store, text, graphs):
        for _, update in _instantiate(each, graphs):
            if budget is not None:
                budget.check()
            store.update(update)


_PREFIX_LINE: Final = re.compile(r"^[ \t]*(?:PREFIX|BASE)\b[^\n]*$", re.IGNORECASE | re.MULTILINE)
_VARIABLE: Final = re.compile(r"[?$]([A-Za-z0-9_]+)")


class _Axioms:
    """Rules and checks bound to the axioms they read (the closed schema, or the ontology), one copy each.

    A rule joins a group ``GRAPH <urn:alliance-kg:rules:NAME> { ... }`` (``NAME``: ``schema`` for the instance
    rules, ``ontology`` for the checks) with the data. That group is small: its solutions for the variables it
    shares with the *first* data group of the ``WHERE`` clause (the one that drives the join: the delta, in
    the instance rules) are read first, once a run (the axioms do not change while the rules run), and each
    operation is repeated for each solution, with those variables replaced by the solution's IRIs. The group
    stays, with those IRIs in it, so that each copy means the original restricted to one solution and the
    copies together mean the original; its other variables (a super-class, the second property of a chain)
    still come from it by a join. Oxigraph then reads a predicate or a class by its index where it would join
    every triple of a graph. The projection of a ``SELECT`` keeps its columns (``(<iri> AS ?p)``).

    An operation is left as it is when a solution holds a blank node or a literal (a class expression), or when
    its text is not of the simple shape read here (no such group, or two; a query with a sub-query; a projection
    that is not a list of variables); an operation whose group has no solution is dropped. (A sub-query of an
    update, as in ``prp-dom``, is bound like the rest: its projection gets ``(<iri> AS ?p)``.)
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.marker = f"GRAPH <{_PLACEHOLDER}{name}>"
        self.rows: dict[tuple[str, str], tuple[list[str], list[list[str]]] | None] = {}

    def bind(self, store: Store, text: str, graphs: Mapping[str, Sequence[str]]) -> list[str]:
        """The operations of ``text``, each once for each axiom it reads (a text each, with the prologue)."""
        if self.name not in graphs or len(graphs[self.name]) != 1:
            return [text]
        first = text.split("\n", 1)[0]
        prologue = "\n".join(([first] if first.startswith("#") else []) + _PREFIX_LINE.findall(text))
        kept: list[str] = []
        for operation in _operations(text):
            key = (operation, graphs[self.name][0])
            if key not in self.rows:
                self.rows[key] = self._solutions(store, operation, prologue, graphs)
            found = self.rows[key]
            if found is None:
                kept.append(operation)
                continue
            names, rows = found
            kept.extend(_with_constants(operation, dict(zip(names, row, strict=True))) for row in rows)
        return [f"{prologue}\n{operation}" for operation in kept]

    def _solutions(
        self, store: Store, operation: str, prologue: str, graphs: Mapping[str, Sequence[str]]
    ) -> tuple[list[str], list[list[str]]] | None:
        code = code_only(operation)
        starts = _code_finds(operation, self.marker)
        if len(starts) != 1 or len(list(keyword_positions(operation, "SELECT"))) > 1:
            return None
        start = starts[0]
        brace = operation.index("{", start + len(self.marker))
        end = matching_brace(operation, brace, "a rule")
        group = operation[start : end + 1]
        inside = set(_VARIABLE.findall(code[start : end + 1]))
        where = next(keyword_positions(operation, "WHERE"), None)
        first = next(
            (i for i in _code_finds(operation, "GRAPH") if where is not None and i > where and i != start), None
        )
        if first is None:
            return None
        opening = operation.index("{", first)
        data = _VARIABLE.findall(code[first : matching_brace(operation, opening, "a rule") + 1])
        names = [name for name in dict.fromkeys(data) if name in inside]
        if not names or not _plain_projection(operation):
            return None
        query = f"{prologue}\nSELECT DISTINCT {' '.join('?' + n for n in names)} WHERE {{ {group} }}"
        [(_, text)] = _instantiate(query, {self.name: graphs[self.name]})
        rows: list[list[str]] = []
        for row in store.query(text):
            if len(row) != len(names) or not all(isinstance(term, URIRef) for term in row):
                return None
            try:
                rows.append([term_text(term) for term in row if term is not None])
            except QueryError:
                return None
        return names, rows


def _code_finds(text: str, word: str) -> list[int]:
    """Where ``word`` starts as query syntax (not in a comment, a string or an IRI)."""
    in_code = set(code_positions(text))
    return [match.start() for match in re.finditer(re.escape(word), text) if match.start() in in_code]


def _operations(text: str) -> list[str]:
    """The operations of an update (or the one query), split at the ``;`` between them."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i in code_positions(text):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
        elif text[i] == ";" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [part for part in parts if code_only(part).strip()]


def _projection(text: str) -> tuple[int, int] | None:
    """Where the projection of a ``SELECT`` is (from the keyword to the ``WHERE`` group), or ``None``."""
    select = next(keyword_positions(text, "SELECT"), None)
    if select is None:
        return None
    end = next((i for i in code_positions(text, select) if text[i] == "{"), len(text))
    return select + len("SELECT"), end


def _plain_projection(text: str) -> bool:
    """Whether a query's projection is variables only (``DISTINCT ?x ?p``), or the text is no query."""
    span = _projection(text)
    if span is None:
        return True
    words = code_only(text)[span[0] : span[1]].split()
    return bool(words) and all(
        _VARIABLE.fullmatch(word) or word.upper() in ("DISTINCT", "REDUCED", "WHERE") for word in words
    )


def _with_constants(operation: str, constants: Mapping[str, str]) -> str:
    """``operation`` with each variable of ``constants`` replaced by its term (``(<iri> AS ?v)`` if projected)."""
    code = code_only(operation)
    span = _projection(operation) or (0, 0)
    pieces: list[str] = []
    last = 0
    for match in _VARIABLE.finditer(code):
        term = constants.get(match.group(1))
        if term is None:
            continue
        pieces.append(operation[last : match.start()])
        projected = span[0] <= match.start() < span[1]
        pieces.append(f"({term} AS ?{match.group(1)})" if projected else term)
        last = match.end()
    pieces.append(operation[last:])
    return "".join(pieces)


class _Budget:
    """The limits of one :func:`materialise` run: rounds, seconds and triples added (None: no limit)."""

    def __init__(self, max_rounds: int, max_seconds: float | None, max_triples: int | None) -> None:
        if isinstance(max_rounds, bool) or not isinstance(max_rounds, int) or max_rounds < 1:
            raise InputError(f"max_rounds must be a whole number of at least 1, not {max_rounds!r}")
        if max_seconds is not None and not (
            isinstance(max_seconds, int | float) and not isinstance(max_seconds, bool) and 0 < max_seconds < math.inf
        ):
            raise InputError(f"max_seconds must be a positive number of seconds, not {max_seconds!r}")
        if max_triples is not None and (
            isinstance(max_triples, bool) or not isinstance(max_triples, int) or max_triples < 0
        ):
            raise InputError(f"max_triples must be a whole number of triples (0 or more), not {max_triples!r}")
        self.max_rounds = max_rounds
        self.max_seconds = max_seconds
        self.max_triples = max_triples
        self.start = time.perf_counter()

    def check(self) -> None:
        """A :class:`BuildError` when the time budget has run out."""
        if self.max_seconds is not None and time.perf_counter() - self.start > self.max_seconds:
            raise BuildError(
                f"OWL-RL materialisation stopped at its time budget (max_seconds={self.max_seconds:g}) before "
                f"a fixpoint{_STOPPED}"
            )

    def check_size(self, added: int) -> None:
        """A :class:`BuildError` when ``added`` triples are more than the size budget allows."""
        if self.max_triples is not None and added > self.max_triples:
            raise BuildError(
                f"OWL-RL materialisation stopped at its size budget (max_triples={self.max_triples:,}): "
                f"{added:,} triples inferred before a fixpoint{_STOPPED}"
            )


_STOPPED: Final = (
    " (the inferred graph holds what was derived so far; an axiom such as a property chain p o p over long "
    "paths multiplies triples: raise the budget if the graph is meant to be that big)"
)


def materialise(
    store: Store,
    *,
    ontology_graph: str = GRAPH_ONTOLOGY,
    source_graphs: Sequence[str] = (GRAPH_ONTOLOGY, GRAPH_FACTS),
    target: str = GRAPH_INFERRED,
    max_rounds: int = DEFAULT_MAX_ROUNDS,
    max_seconds: float | None = DEFAULT_MAX_SECONDS,
    max_triples: int | None = DEFAULT_MAX_TRIPLES,
) -> InferenceReport:
    """Derive the consequences of ``ontology_graph``'s axioms for ``source_graphs`` into ``target``.

    ``target`` is emptied first, then receives only triples that are in no source graph; the source graphs
    are never changed. Works on any local store (:class:`~alliance_kg.store.MemoryStore`,
    :class:`~alliance_kg.store_oxigraph.OxigraphStore`).

    The budgets (keyword-only; None means no limit for the last two): ``max_rounds`` rounds of instance rules,
    ``max_seconds`` seconds in all (checked between two updates: a running update is not interrupted) and
    ``max_triples`` triples added to ``target`` (checked after each rule file, so overshot by at most what one
    file adds). Raises :class:`~alliance_kg.errors.BuildError` naming the budget when one runs out before the
    fixpoint (the target then holds what was derived so far), :class:`~alliance_kg.errors.InputError` for a
    budget that is not a positive number.
    """
    budget = _Budget(max_rounds, max_seconds, max_triples)
    sources = list(dict.fromkeys(source_graphs))
    for name in [ontology_graph, *sources, target]:
        _iri(name)
    if target in sources or target in SCRATCH_GRAPHS or set(sources) & set(SCRATCH_GRAPHS):
        raise InputError(f"the target graph {target} must not be a source graph or a scratch graph")
    _refuse_unsupported(store, ontology_graph)

    schema, round_a, round_b = SCRATCH_GRAPHS
    data = [*sources, target]
    axioms = _Axioms("schema")
    added: list[int] = []
    seconds: list[float] = []
    for name in SCRATCH_GRAPHS:
        store.clear(name)
    store.clear(target)
    try:
        began = time.perf_counter()
        # round 0: the closed schema, whose new triples go to the target as well
        _run(store, _COPY, {"from": [ontology_graph], "to": [schema]})
        _schema_fixpoint(store, schema, budget)
        new, spare = round_a, round_b
        _run(store, _text(RULES / "steps" / _SEED), {"schema": [schema], "new": [new], "all": data}, budget)
        budget.check_size(store.count(new))
        added.append(_commit(store, new, data, target))
        seconds.append(time.perf_counter() - began)

        delta: list[str] = data
        new, spare = spare, new
        while True:
            if len(added) > budget.max_rounds:
                raise BuildError(
                    f"OWL-RL materialisation reached no fixpoint within {budget.max_rounds} rounds "
                    "(the inferred graph holds what was derived so far)"
                )
            began = time.perf_counter()
            store.clear(new)
            graphs = {"schema": [schema], "new": [new], "delta": delta, "all": data}
            for path in rule_files("instance"):
                _run(store, _text(path), graphs, budget, axioms)
                budget.check_size(sum(added) + store.count(new))
            count = _commit(store, new, data, target)
            added.append(count)
            seconds.append(time.perf_counter() - began)
            if count == 0:
                break
            store.clear(spare)
            delta = [new]
            new, spare = spare, new
    finally:
        for name in SCRATCH_GRAPHS:
            store.clear(name)
    return InferenceReport(added=tuple(added), round_seconds=tuple(seconds), seconds=time.perf_counter() - budget.start)


def _schema_fixpoint(store: Store, schema: str, budget: _Budget) -> None:
    before = initial = store.count(schema)
    for _ in range(_MAX_SCHEMA_ROUNDS):
        for path in rule_files("schema"):
            _run(store, _text(path), {"schema": [schema]}, budget)
        after = store.count(schema)
        budget.check_size(after - initial)
        if after == before:
            return
        before = after
    raise BuildError(f"the schema closure reached no fixpoint within {_MAX_SCHEMA_ROUNDS} rounds")


def _commit(store: Store, new: str, data: list[str], target: str) -> int:
    """Add the round's new triples (the rules insert only what no graph read holds) to ``target``; how many."""
    count = store.count(new)
    if count:
        _run(store, _text(RULES / "steps" / _COMMIT), {"new": [new], "all": data, "target": [target]})
    return count


def _refuse_unsupported(store: Store, ontology_graph: str) -> None:
    rows = _select(store, "unsupported-chain.rq", {"ontology": [ontology_graph]})
    if rows:
        names = ", ".join(sorted(short(row[0]) for row in rows))
        raise InputError(f"property chains of other than two properties are not supported (rules/): {names}")


def _select(
    store: Store, check: str, graphs: Mapping[str, Sequence[str]], axioms: _Axioms | None = None
) -> list[tuple[Node, ...]]:
    """The rows of a check, over every combination of graphs, without duplicates (in the order found)."""
    return list(dict.fromkeys(row for _, row in _select_in(store, check, graphs, axioms)))


def _select_in(
    store: Store, check: str, graphs: Mapping[str, Sequence[str]], axioms: _Axioms | None = None
) -> Iterable[tuple[dict[str, str], tuple[Node, ...]]]:
    """The rows of a check with the graphs they were found in (bound to the ontology's axioms if given)."""
    text = _text(RULES / "checks" / check)
    for each in [text] if axioms is None else axioms.bind(store, text, graphs):
        for combination, query in _instantiate(each, graphs):
            for row in store.query(query):
                yield combination, tuple(term for term in row if term is not None)


# -- contradictions ------------------------------------------------------------------------------------------------


def inconsistencies(
    store: Store,
    *,
    ontology_graph: str = GRAPH_ONTOLOGY,
    source_graphs: Sequence[str] = (GRAPH_ONTOLOGY, GRAPH_FACTS),
    target: str = GRAPH_INFERRED,
) -> tuple[Inconsistency, ...]:
    """The contradictions in the source graphs and the inferred graph ``target`` (run :func:`materialise` first).

    Sorted, without duplicates; empty when the graphs are consistent. See the module docstring for the kinds.
    """
    sources = list(dict.fromkeys(source_graphs))
    graphs: dict[str, Sequence[str]] = {"ontology": [ontology_graph], "all": [*sources, target]}
    axioms = _Axioms("ontology")
    found: set[Inconsistency] = set()

    for x, c1, c2 in _select(store, "disjoint-classes-violation.rq", graphs, axioms):
        first, second = sorted((c1, c2), key=str)
        found.add(_in_both(x, first, second, kind="disjoint-classes", declared="disjoint"))
    for x, c1, c2 in _select(store, "complement-violation.rq", graphs, axioms):
        found.add(_in_both(x, c1, c2, kind="complement", declared="complementary"))
    for (x,) in _select(store, "nothing-violation.rq", graphs, axioms):
        found.add(
            Inconsistency(
                kind="nothing",
                resources=(str(x),),
                message=f"{short(x)} is an instance of owl:Nothing (the empty class), which nothing can be",
            )
        )
    for x, p in _select(store, "irreflexive-violation.rq", graphs, axioms):
        found.add(
            Inconsistency(
                kind="owl-rl",
                resources=(str(x), str(p)),
                message=f"OWL-RL: Irreflexive property used on {x} with {p}",
            )
        )
    found.update(_merges(store, graphs, set(sources), axioms))
    return tuple(sorted(found))


def _in_both(x: Node, c1: Node, c2: Node, *, kind: str, declared: str) -> Inconsistency:
    return Inconsistency(
        kind=kind,
        resources=(str(x), str(c1), str(c2)),
        message=f"{short(x)} is both {short(c1)} and {short(c2)}, which the ontology declares {declared}",
    )


def _merges(
    store: Store, graphs: dict[str, Sequence[str]], sources: set[str], axioms: _Axioms
) -> Iterable[Inconsistency]:
    """``merged-individuals`` and ``same-and-different``, from what functional properties and owl:sameAs merge.

    As OWL-RL does (prp-fp, prp-ifp, eq-sym, eq-trans), individuals are merged into groups; the causes named
    are the asserted triples that clash directly.
    """
    parent: dict[str, str] = {}

    def find(item: str) -> str:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    causes: dict[tuple[str, str], set[str]] = {}
    for check, functional in (("functional-violation.rq", True), ("inverse-functional-violation.rq", False)):
        for where, (x, p, a, b) in _select_in(store, check, graphs, axioms):
            pair = (str(a), str(b)) if str(a) < str(b) else (str(b), str(a))
            union(*pair)
            reasons = causes.setdefault(pair, set())
            if where["all"] in sources and where["all2"] in sources:
                reasons.add(f"{short(x)} {short(p)} both" if functional else f"both {short(p)} {short(x)}")
    stated_same: set[tuple[str, str]] = set()
    for a, b in _select(store, "same-as.rq", graphs, axioms):
        stated_same.add((str(a), str(b)))
        union(str(a), str(b))
    groups: dict[str, list[str]] = {}
    for item in list(parent):
        groups.setdefault(find(item), []).append(item)

    namespace = str(ID)
    for members in groups.values():
        members.sort()
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                if not (first.startswith(namespace) and second.startswith(namespace)):
                    continue
                if (first, second) in stated_same or (second, first) in stated_same:
                    continue
                named = sorted(causes.get((first, second), ()))
                why = f" ({'; '.join(named)}, and that property takes one value)" if named else ""
                yield Inconsistency(
                    kind="merged-individuals",
                    resources=(first, second),
                    message=(
                        f"{short(first)} and {short(second)} would be one and the same individual{why}: "
                        "the graph names them as different things"
                    ),
                )
    for a, b in _select(store, "different-from.rq", graphs, axioms):
        first, second = sorted((str(a), str(b)))
        if first in parent and second in parent and find(first) == find(second):
            yield Inconsistency(
                kind="same-and-different",
                resources=(first, second),
                message=(
                    f"{short(first)} and {short(second)} are stated (or inferred) to be "
                    "the same individual (owl:sameAs) and different individuals "
                    "(owl:differentFrom)"
                ),
            )
