"""Results of SELECT and ASK queries: rows of Python values, DataFrames, SPARQL JSON/CSV/TSV, tables, HTML.

A :class:`QueryResult` keeps the RDF terms a query returned and gives them out as

* :attr:`QueryResult.rows`: one dict per solution, with Python values (``datetime.date``, ``int``,
  ``Decimal``, ``bool``, ``str``; IRIs as strings; ``None`` where a variable is unbound);
* :meth:`QueryResult.to_dataframe`: a pandas DataFrame with proper dtypes (dates as ``datetime64``,
  whole numbers as nullable ``Int64``, other numbers as ``float64``, booleans as ``boolean``);
* :meth:`QueryResult.to_json` (SPARQL 1.1 Query Results JSON), :meth:`QueryResult.to_csv` and
  :meth:`QueryResult.to_tsv` (SPARQL 1.1 CSV and TSV), :meth:`QueryResult.to_table` (for a terminal)
  and ``_repr_html_`` (for Jupyter).

Label columns: for every variable ``?x`` that holds IRIs, the result has a column ``xLabel`` right after it
with the entity's ``rdfs:label`` in the chosen language (falling back to the other language, then to the
IRI's local name). They are computed in Python over the result, never by rewriting the query; a query that
selects its own ``?xLabel`` gets that column's values replaced by labels in the chosen language.

CONSTRUCT and DESCRIBE queries return an :class:`rdflib.Graph`, not a :class:`QueryResult`.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from alliance_kg.named_queries import display_name

if TYPE_CHECKING:
    import pandas

__all__ = ["LabelFunction", "QueryResult", "python_value"]

#: ``label(iri) -> (text, language)``: what the result uses to fill label columns.
LabelFunction = Callable[[str], tuple[str, str | None]]

_MAX_CELL = 48
_HTML_ROWS = 200


def python_value(term: Node | None) -> object:
    """An RDF term as a Python value: IRIs as ``str``, typed literals as ``date``/``int``/``Decimal``/..."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


class QueryResult:
    """The answer to a SELECT or ASK query.

    ``kind`` is ``"SELECT"`` or ``"ASK"``; ``vars`` the column names (label columns included);
    ``terms`` the RDF terms per row; ``boolean`` the ASK answer (None for SELECT); ``lang`` the label
    language; ``query`` the name (or file) of the query it answers, if any.
    ``bool(result)`` is the ASK answer, or whether a SELECT has rows; ``len(result)`` counts rows.
    """

    def __init__(
        self,
        kind: str,
        vars: Sequence[str] = (),
        terms: Sequence[Mapping[str, Node | None]] = (),
        *,
        boolean: bool | None = None,
        lang: str = "en",
        query: str | None = None,
    ) -> None:
        self.kind = kind
        self.vars: tuple[str, ...] = tuple(vars)
        self.terms: tuple[dict[str, Node | None], ...] = tuple(
            {name: row.get(name) for name in self.vars} for row in terms
        )
        self.boolean = boolean
        self.lang = lang
        self.query = query

    @classmethod
    def from_solutions(
        cls,
        vars: Sequence[str],
        solutions: Sequence[Mapping[str, Node | None]],
        *,
        label: LabelFunction | None,
        lang: str,
        query: str | None = None,
    ) -> QueryResult:
        """A SELECT result from solutions, with a label column added beside each IRI column (if ``label``)."""
        columns = list(vars)
        rows = [dict(row) for row in solutions]
        if label is not None:
            for name in list(vars):
                if not any(isinstance(row.get(name), URIRef) for row in rows):
                    continue
                label_name = f"{name}Label"
                if label_name not in columns:
                    columns.insert(columns.index(name) + 1, label_name)
                for row in rows:
                    value = row.get(name)
                    if isinstance(value, URIRef):
                        text, language = label(str(value))
                        row[label_name] = Literal(text, lang=language)
                    elif label_name not in vars:
                        row[label_name] = None
        return cls("SELECT", columns, rows, lang=lang, query=query)

    # -- Python values ---------------------------------------------------------------------------------------

    @property
    def rows(self) -> list[dict[str, object]]:
        """One dict per solution: every column, with Python values (``None`` where unbound)."""
        return [{name: python_value(row[name]) for name in self.vars} for row in self.terms]

    def column(self, name: str) -> list[object]:
        """The Python values of one column."""
        if name not in self.vars:
            raise KeyError(f"no column {name!r}; columns: {', '.join(self.vars)}")
        return [python_value(row[name]) for row in self.terms]

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[dict[str, object]]:
        return iter(self.rows)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.kind == "ASK" else bool(self.terms)

    def __repr__(self) -> str:
        what = f" {self.query!r}" if self.query else ""
        if self.kind == "ASK":
            return f"<QueryResult{what}: ASK {self.boolean}>"
        return f"<QueryResult{what}: {len(self)} rows x {len(self.vars)} columns ({', '.join(self.vars)})>"

    # -- pandas ------------------------------------------------------------------------------------------------

    def to_dataframe(self) -> pandas.DataFrame:
        """A pandas DataFrame: dates as ``datetime64``, numbers numeric, IRIs and text as strings.

        An ASK result gives one column ``boolean`` with one row.
        """
        import pandas as pd

        if self.kind == "ASK":
            return pd.DataFrame({"boolean": pd.array([self.boolean], dtype="boolean")})
        data: dict[str, Any] = {}
        for name in self.vars:
            data[name] = _series(pd, [python_value(row[name]) for row in self.terms])
        return pd.DataFrame(data, columns=list(self.vars))

    # -- SPARQL result formats ---------------------------------------------------------------------------------

    def to_json(self, *, indent: int | None = None) -> str:
        """SPARQL 1.1 Query Results JSON (``application/sparql-results+json``)."""
        if self.kind == "ASK":
            document: dict[str, Any] = {"head": {}, "boolean": bool(self.boolean)}
        else:
            bindings = [
                {name: _json_term(term) for name, term in row.items() if term is not None} for row in self.terms
            ]
            document = {"head": {"vars": list(self.vars)}, "results": {"bindings": bindings}}
        return json.dumps(document, indent=indent, ensure_ascii=False)

    def to_csv(self) -> str:
        """SPARQL 1.1 Query Results CSV: a header of variable names, plain values, CRLF line ends."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        if self.kind == "ASK":
            writer.writerow(["boolean"])
            writer.writerow(["true" if self.boolean else "false"])
            return out.getvalue()
        writer.writerow(self.vars)
        for row in self.terms:
            writer.writerow([_csv_value(row[name]) for name in self.vars])
        return out.getvalue()

    def to_tsv(self) -> str:
        """SPARQL 1.1 Query Results TSV: ``?var`` header, terms in N-Triples syntax, tab-separated."""
        if self.kind == "ASK":
            return "?boolean\n" + ("true" if self.boolean else "false") + "\n"
        lines = ["\t".join(f"?{name}" for name in self.vars)]
        for row in self.terms:
            lines.append("\t".join(_nt_term(row[name]) for name in self.vars))
        return "\n".join(lines) + "\n"

    # -- for people --------------------------------------------------------------------------------------------

    def to_table(self, *, max_cell: int = _MAX_CELL, width: int | None = None) -> str:
        """A plain-text table for a terminal: IRIs as prefixed names, long cells cut with an ellipsis.

        With ``width`` (the terminal's), cells are cut shorter until the rows fit; if they still do not fit,
        IRI columns that have a label column are left out (and a last line says so).
        """
        if self.kind == "ASK":
            return "yes" if self.boolean else "no"
        columns = list(self.vars)
        header, body, widths = self._layout(columns, max_cell, width, 16)
        hidden: list[str] = []
        if width is not None and _total(widths) > width:
            hidden = [name for name in columns if f"{name}Label" in columns]
            header, body, widths = self._layout([c for c in columns if c not in hidden], max_cell, width, 12)
        lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
        count = len(body)
        lines.append(f"({count} row{'s' if count != 1 else ''})")
        if hidden:
            lines.append(f"(to fit, not shown: {', '.join(hidden)}; --format csv or json has every column)")
        return "\n".join(lines)

    def _layout(
        self, columns: list[str], max_cell: int, width: int | None, floor: int
    ) -> tuple[list[str], list[list[str]], list[int]]:
        texts = [[_text(row[name]) for name in columns] for row in self.terms]
        limit = max_cell
        while True:
            body = [[_cut(cell, limit) for cell in row] for row in texts]
            widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(columns)]
            if width is None or _total(widths) <= width or limit <= floor:
                return columns, body, widths
            limit -= 4

    def _repr_html_(self) -> str:
        title = html.escape(self.query or "query result")
        if self.kind == "ASK":
            return f"<p><b>{title}</b>: ASK &rarr; <code>{'true' if self.boolean else 'false'}</code></p>"
        head = "".join(f"<th>{html.escape(name)}</th>" for name in self.vars)
        body = []
        for row in self.terms[:_HTML_ROWS]:
            cells = "".join(f"<td>{_html_cell(row[name])}</td>" for name in self.vars)
            body.append(f"<tr>{cells}</tr>")
        more = len(self.terms) - _HTML_ROWS
        note = f"<p>&hellip; {more} more rows (use .to_dataframe())</p>" if more > 0 else ""
        caption = f"<caption>{title}: {len(self)} rows, labels in {html.escape(self.lang)}</caption>"
        return (
            f'<table class="alliance-kg-result">{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>{note}"
        )


def _total(widths: list[int]) -> int:
    return sum(widths) + 2 * (len(widths) - 1)


def _series(pd: Any, values: list[object]) -> Any:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pd.array(values, dtype="boolean")
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pd.array(values, dtype="Int64")
    if present and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in present):
        numbers = [float(v) if isinstance(v, int | float | Decimal) else None for v in values]
        return pd.Series(numbers, dtype="float64")
    if present and all(isinstance(v, dt.date) for v in present):
        return pd.to_datetime(pd.Series(values, dtype="object"))
    return pd.Series([None if v is None else str(v) for v in values], dtype="object")


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype != XSD.string:
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "literal", "value": str(term)}  # pragma: no cover - quoted triples are not used


def _csv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _escape_nt(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def _nt_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = f'"{_escape_nt(str(term))}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{text}^^<{term.datatype}>"
        return text
    return str(term)  # pragma: no cover


def _text(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return display_name(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return " ".join(str(term).split())


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _html_cell(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f'<a href="{html.escape(str(term), quote=True)}" title="{html.escape(str(term), quote=True)}">' + (
            f"{html.escape(display_name(str(term)))}</a>"
        )
    return html.escape(_text(term))
