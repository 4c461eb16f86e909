"""Reading SPARQL query text without parsing it: a small lexer, and typed bindings as an inline ``VALUES`` block.

Every store (rdflib in memory, Oxigraph, a remote SPARQL 1.1 server) parses a query with its own engine, so
alliance-kg never rewrites a query through one engine's grammar. What it needs of the text is little:
where comments, strings and IRIs are (so that a brace or a keyword inside them is not taken for syntax), and
where the query's top-level ``WHERE`` group opens, to put the bindings there.

Bindings (:func:`with_values`) are RDF terms written in N-Triples syntax (never the caller's text) in a
``VALUES`` block at the start of the top-level group graph pattern, so they have one meaning on every
backend: the variable is bound for the whole ``WHERE`` clause (its ``FILTER``\\ s, ``OPTIONAL``\\ s and
``BIND``\\ s), before any grouping, and the solutions keep the variable's column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Final

from alliance_kg.errors import QueryError

if TYPE_CHECKING:
    from rdflib.term import Node

__all__ = [
    "IRIREF",
    "code_only",
    "code_positions",
    "has_dataset_clause",
    "keyword_at",
    "keyword_positions",
    "matching_brace",
    "next_token",
    "skip_blank",
    "skip_string",
    "term_text",
    "undeclared_prefixes",
    "where_brace",
    "with_rows",
    "with_values",
]

IRIREF: Final = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_VARNAME: Final = re.compile(r"^[A-Za-z_\u00c0-\ufffd][A-Za-z0-9_\u00b7\u00c0-\ufffd]*$")


def skip_string(text: str, i: int) -> int:
    """The end of the string literal that starts at ``i`` (short or long, single or double quotes)."""
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = i + 3
        while end < len(text):
            if text[end] == "\\":
                end += 2
            elif text.startswith(quote * 3, end):
                return end + 3
            else:
                end += 1
        return len(text)
    end = i + 1
    while end < len(text) and text[end] not in (quote, "\n"):
        end += 2 if text[end] == "\\" else 1
    return end + 1


def skip_blank(text: str, i: int) -> int:
    """The first position from ``i`` that is neither white space nor inside a comment."""
    while i < len(text):
        if text[i].isspace():
            i += 1
        elif text[i] == "#":
            newline = text.find("\n", i)
            i = len(text) if newline == -1 else newline + 1
        else:
            break
    return i


def next_token(text: str, i: int) -> int:
    """Skip a comment, string or IRI starting at ``i`` (return its end), or return ``i`` if none starts there."""
    if text[i] == "#":
        newline = text.find("\n", i)
        return len(text) if newline == -1 else newline + 1
    if text[i] in "\"'":
        return skip_string(text, i)
    if text[i] == "<":
        match = IRIREF.match(text, i)
        if match:
            return match.end()
    return i


def code_positions(text: str, start: int = 0) -> Iterator[int]:
    """The positions from ``start`` that are query syntax: outside comments, strings and IRIs."""
    i = start
    while i < len(text):
        skipped = next_token(text, i)
        if skipped != i:
            i = skipped
            continue
        yield i
        i += 1


def keyword_positions(text: str, word: str) -> Iterator[int]:
    """Where the keyword ``word`` (upper case) stands as query syntax, in order."""
    return (i for i in code_positions(text) if keyword_at(text, i, word))


def matching_brace(text: str, start: int, what: str = "a group") -> int:
    """The position of the ``}`` that closes the ``{`` at ``start``."""
    depth = 0
    for i in code_positions(text, start):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    raise QueryError(f"unbalanced braces in {what}")


def keyword_at(text: str, i: int, word: str) -> bool:
    """Whether the keyword ``word`` (upper case) stands at ``i`` as a whole word, in any case."""
    if text[i : i + len(word)].upper() != word:
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + len(word)] if i + len(word) < len(text) else " "
    return not (before.isalnum() or before in "_:?$-") and not (after.isalnum() or after in "_:-")


def where_brace(text: str) -> int:
    """The position of the ``{`` that opens the query's top-level ``WHERE`` group.

    ``CONSTRUCT { template } WHERE { ... }`` skips the template; ``SELECT ... { ... }`` without the ``WHERE``
    keyword takes the first top-level brace. Raises :class:`~alliance_kg.errors.QueryError` when there is none.
    """
    depth = 0
    construct_template = False
    for i in code_positions(text):
        if depth == 0 and keyword_at(text, i, "WHERE"):
            j = skip_blank(text, i + len("WHERE"))
            if j < len(text) and text[j] == "{":
                return j
            raise QueryError("WHERE without a { ... } group")
        if depth == 0 and keyword_at(text, i, "CONSTRUCT"):
            construct_template = True
        if text[i] == "{":
            if depth == 0 and not construct_template:
                return i
            depth += 1
        elif text[i] == "}":
            depth -= 1
    raise QueryError("the query has no WHERE group to bind values in")


def has_dataset_clause(text: str) -> bool:
    """Whether the query names its own dataset (``FROM`` or ``FROM NAMED`` before its ``WHERE`` group)."""
    try:
        end = where_brace(text)
    except QueryError:
        end = len(text)
    return any(i < end for i in keyword_positions(text, "FROM"))


def code_only(text: str) -> str:
    """``text`` with its comments, strings and IRIs blanked out (same length), for scanning its syntax."""
    kept = [" "] * len(text)
    for i in code_positions(text):
        kept[i] = text[i]
    return "".join(kept)


_PREFIX_USE: Final = re.compile(r"(?<![\w.:?$@-])([A-Za-z][\w.-]*)?:(?=[\w%\\]|\s|[,;.)\]}]|$)")
_PREFIX_DECLARATION: Final = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)


def undeclared_prefixes(text: str) -> set[str]:
    """The prefixes of the prefixed names a query uses without a ``PREFIX`` line for them (comments, strings
    and IRIs skipped; the empty prefix left out)."""
    code = code_only(text)
    declared = {match[1] or "" for match in _PREFIX_DECLARATION.finditer(code)}
    return {match[1] for match in _PREFIX_USE.finditer(code) if match[1]} - declared


_ESCAPES: Final = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_LANG: Final = re.compile(r"^[A-Za-z]+(?:-[A-Za-z0-9]+)*$")


def term_text(term: Node) -> str:
    """An IRI or a literal in N-Triples syntax (one line, quotes and line breaks escaped), for a query text."""
    from rdflib import Literal, URIRef

    if isinstance(term, URIRef):
        iri = str(term)
        if IRIREF.fullmatch(f"<{iri}>") is None:
            raise QueryError(f"not an IRI that can be written in a query: {iri!r}")
        return f"<{iri}>"
    if isinstance(term, Literal):
        text = "".join(_ESCAPES.get(char, char) for char in str(term))
        if term.language:
            if not _LANG.match(term.language):
                raise QueryError(f"not a language tag: {term.language!r}")
            return f'"{text}"@{term.language}'
        if term.datatype is not None:
            return f'"{text}"^^{term_text(URIRef(term.datatype))}'
        return f'"{text}"'
    raise QueryError(f"only an IRI or a literal can be written in a query, not {term!r}")


def with_values(text: str, bindings: Mapping[str, Node] | None) -> str:
    """``text`` with ``bindings`` (variable name -> RDF term) as a ``VALUES`` block opening its ``WHERE`` group.

    Terms are written in N-Triples syntax by rdflib; variable names are checked to be SPARQL names. Raises
    :class:`~alliance_kg.errors.QueryError` for a bad name, a term that cannot be bound (a blank node) or a
    query without a ``WHERE`` group.
    """
    if not bindings:
        return text
    names = sorted(bindings)
    return with_rows(text, names, [[bindings[name] for name in names]])


def with_rows(text: str, variables: Sequence[str], rows: Iterable[Sequence[Node]]) -> str:
    """``text`` with a ``VALUES`` block of several rows (one term per variable each) opening its ``WHERE`` group."""
    from rdflib import BNode, Literal, URIRef

    for name in variables:
        if not _VARNAME.match(name):
            raise QueryError(f"not a SPARQL variable name: {name!r}")
    lines: list[str] = []
    for row in rows:
        terms: list[str] = []
        for name, term in zip(variables, row, strict=True):
            if isinstance(term, BNode) or not isinstance(term, URIRef | Literal):
                raise QueryError(f"?{name} can only be bound to an IRI or a literal, not {term!r}")
            terms.append(term_text(term))
        lines.append(f"({' '.join(terms)})")
    brace = where_brace(text)
    head = " ".join(f"?{name}" for name in variables)
    block = f" VALUES ({head}) {{ {' '.join(lines)} }} "
    return text[: brace + 1] + block + text[brace + 1 :]
