"""What changed since the previous release: a diff of the asserted graphs (ontology and facts, never the
inferences) that ignores blank-node renaming.

Both graphs are canonicalised (:func:`rdflib.compare.graph_diff`, which compares
:func:`~rdflib.compare.to_canonical_graph` forms), so a blank node that only got another label is no change; a
blank node whose content changed shows as its triples removed and added under a new canonical label. The triples
only in the previous release are *removed*, those only in this one *added*; they are grouped by subject, and where
one subject and predicate lost some objects and gained others, that is a *change* (``rdfs:label "A"@en`` to
``"B"@en``), listed as such rather than as a removal and an addition.

:func:`compare` gives a :class:`Changes`; :meth:`Changes.markdown` is ``CHANGELOG.md`` for people (labels and short
names) and :meth:`Changes.json` is ``changes.json`` for programs (terms in N-Triples syntax, so that a literal keeps
its datatype and language). A first release, with nothing to compare with, says so.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from alliance_kg.namespaces import short

__all__ = ["Changes", "SubjectChanges", "compare", "first_release"]


def _key(term: Node) -> str:
    return term.n3()


@dataclass(frozen=True)
class SubjectChanges:
    """What changed about one subject: objects per predicate added and removed, and predicates whose objects
    were replaced (``changed``: predicate -> (removed objects, added objects))."""

    subject: Node
    label: str
    added: tuple[tuple[Node, Node], ...] = ()
    removed: tuple[tuple[Node, Node], ...] = ()
    changed: tuple[tuple[Node, tuple[Node, ...], tuple[Node, ...]], ...] = ()


@dataclass(frozen=True)
class Changes:
    """The difference between two releases (``previous`` is None for a first release)."""

    version: str
    date: dt.date
    previous: str | None
    triples: int
    subjects: tuple[SubjectChanges, ...] = field(default=())

    @property
    def counts(self) -> dict[str, int]:
        """Triples added and removed (outside changes), and (subject, predicate) pairs changed."""
        return {
            "added": sum(len(s.added) for s in self.subjects),
            "removed": sum(len(s.removed) for s in self.subjects),
            "changed": sum(len(s.changed) for s in self.subjects),
        }

    def json(self) -> bytes:
        """``changes.json``: the changes with terms in N-Triples syntax, sorted; UTF-8, final newline."""

        def pairs(items: tuple[tuple[Node, Node], ...]) -> list[dict[str, str]]:
            return [{"predicate": _key(p), "object": _key(o)} for p, o in items]

        document: dict[str, Any] = {
            "version": self.version,
            "date": self.date.isoformat(),
            "previous": self.previous,
            "first_release": self.previous is None,
            "triples": self.triples,
            "counts": self.counts,
            "subjects": [
                {
                    "subject": _key(s.subject),
                    "label": s.label,
                    "added": pairs(s.added),
                    "removed": pairs(s.removed),
                    "changed": [
                        {"predicate": _key(p), "from": [_key(o) for o in old], "to": [_key(o) for o in new]}
                        for p, old, new in s.changed
                    ],
                }
                for s in self.subjects
            ],
        }
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    def markdown(self) -> bytes:
        """``CHANGELOG.md``: the changes for people, by subject with its label."""
        lines = [f"# alliance-kg {self.version} ({self.date.isoformat()})", ""]
        if self.previous is None:
            lines += [f"First release: {self.triples} triples (ontology and facts), nothing to compare with.", ""]
            return "\n".join(lines).encode("utf-8")
        counts = self.counts
        lines += [
            f"Changes since {self.previous}, in the asserted triples (ontology and facts; blank nodes compared by "
            f"content): {counts['changed']} changed, {counts['added']} added, {counts['removed']} removed. "
            f"{self.triples} triples in all.",
            "",
        ]
        if not self.subjects:
            lines += ["No fact changed.", ""]
        changed = [s for s in self.subjects if s.changed]
        if changed:
            lines += ["## Changed", ""]
            for item in changed:
                lines.append(_subject_line(item))
                for p, old, new in item.changed:
                    before = ", ".join(_code(short(o)) for o in old)
                    after = ", ".join(_code(short(o)) for o in new)
                    lines.append(f"  - {_code(short(p))}: {before} → {after}")
            lines.append("")
        for title, kind in (("Added", "added"), ("Removed", "removed")):
            listed = [(s, s.added if kind == "added" else s.removed) for s in self.subjects]
            listed = [(s, pairs) for s, pairs in listed if pairs]
            if not listed:
                continue
            lines += [f"## {title}", ""]
            for item, pairs in listed:
                lines.append(_subject_line(item))
                lines += [f"  - {_code(short(p))} {_code(short(o))}" for p, o in pairs]
            lines.append("")
        return "\n".join(lines).encode("utf-8")


def _subject_line(item: SubjectChanges) -> str:
    name = _code(short(item.subject))
    return f"- **{_text(item.label)}** {name}" if item.label else f"- {name}"


def _text(value: str) -> str:
    """Plain text on one Markdown line: newlines as spaces, Markdown's markers escaped."""
    flat = " ".join(value.split())
    return "".join("\\" + char if char in "\\`*_[]<>#|" else char for char in flat)


def _code(value: str) -> str:
    """``value`` as one Markdown code span (on one line; a fence longer than any run of backticks in it)."""
    flat = value.replace("\r", "\\r").replace("\n", "\\n")
    longest = run = 0
    for char in flat:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _label(subject: Node, *graphs: Graph) -> str:
    for graph in graphs:
        for predicate in (RDFS.label, SKOS.prefLabel):
            values = [v for v in graph.objects(subject, predicate) if isinstance(v, Literal)]
            for lang in ("en", "fr", None):
                chosen = sorted(str(v) for v in values if v.language == lang)
                if chosen:
                    return chosen[0]
    return ""


def first_release(version: str, date: dt.date, current: Graph) -> Changes:
    """The changes of a first release: none to list."""
    return Changes(version=version, date=date, previous=None, triples=len(current))


def compare(previous: Graph, current: Graph, *, version: str, date: dt.date, previous_version: str) -> Changes:
    """The changes from ``previous`` to ``current`` (see the module docstring)."""
    from rdflib.compare import graph_diff, to_isomorphic

    _, only_previous, only_current = graph_diff(to_isomorphic(previous), to_isomorphic(current))
    removed: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
    added: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in only_previous:
        removed[s][p].add(o)
    for s, p, o in only_current:
        added[s][p].add(o)
    subjects: list[SubjectChanges] = []
    for subject in sorted({*removed, *added}, key=_key):
        gone, new = removed.get(subject, {}), added.get(subject, {})
        changed = [
            (p, tuple(sorted(gone[p], key=_key)), tuple(sorted(new[p], key=_key)))
            for p in sorted(set(gone) & set(new), key=_key)
        ]
        replaced = {p for p, _, _ in changed}
        subjects.append(
            SubjectChanges(
                subject=subject,
                label=_label(subject, current, previous),
                added=tuple((p, o) for p in sorted(set(new) - replaced, key=_key) for o in sorted(new[p], key=_key)),
                removed=tuple(
                    (p, o) for p in sorted(set(gone) - replaced, key=_key) for o in sorted(gone[p], key=_key)
                ),
                changed=tuple(changed),
            )
        )
    return Changes(
        version=version, date=date, previous=previous_version, triples=len(current), subjects=tuple(subjects)
    )
