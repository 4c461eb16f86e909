"""The exceptions alliance-kg raises on purpose.

Every one of them derives from :class:`AllianceKGError`, so a caller (and the
command line) can catch that one class::

    AllianceKGError
    ├── InputError              bad user input; carries path, line, column
    │   ├── RDFSyntaxError      a file that is not valid RDF in its format
    │   ├── AccessRefused       a parser or query tried to reach the network or a file
    │   │                       that is not an input (alliance_kg.guard), and was stopped
    │   ├── QueryError          a SPARQL query that is malformed or cannot run
    │   ├── DateExpressionError a date expression the normaliser cannot read (alliance_kg.dates)
    │   ├── SheetError          a fact sheet (alliance_kg.sheets) that is malformed or names an entity
    │   │                       the graph does not hold, or several; carries the field
    │   └── ParameterError      a query parameter unknown, missing or of the wrong type
    ├── ResourceError           files that should ship with the package are missing
    ├── EndpointError           the SPARQL endpoint could not start or serve
    ├── InconsistencyError      OWL-RL reasoning found contradictions; carries them
    ├── ServiceError            a remote service (Wikidata API, SPARQL endpoint) is down, slow,
    │                           rate-limiting or answers garbage; carries url and status
    └── BuildError              a release could not be built
        └── RejectedBuildError  the data does not conform or is inconsistent;
                                the previous release was left as it was

The command line turns any :class:`AllianceKGError` into a message on stderr
and exit status 2 (1 for :class:`RejectedBuildError`), never a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alliance_kg.reasoning import Inconsistency
    from alliance_kg.validation import ValidationReport

__all__ = [
    "AccessRefused",
    "AllianceKGError",
    "BuildError",
    "DateExpressionError",
    "EndpointError",
    "InconsistencyError",
    "InputError",
    "ParameterError",
    "QueryError",
    "RDFSyntaxError",
    "RejectedBuildError",
    "ResourceError",
    "ServiceError",
    "SheetError",
]


class AllianceKGError(Exception):
    """Base class of every error alliance-kg raises on purpose."""


class InputError(AllianceKGError):
    """Input given by the user is wrong: a missing, unreadable or malformed file.

    ``str(error)`` reads ``file:line:column: message`` with the parts that are
    known (``file: message`` when there is no line).
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        super().__init__(message)

    @property
    def location(self) -> str:
        """``file:line:column`` (as much as is known), or the empty string."""
        parts: list[str] = []
        if self.path is not None:
            parts.append(str(self.path))
            if self.line is not None:
                parts.append(str(self.line))
                if self.column is not None:
                    parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        location = self.location
        return f"{location}: {self.message}" if location else self.message


class RDFSyntaxError(InputError):
    """A file is not valid RDF in its format (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD)."""


class AccessRefused(InputError):
    """A parser or query tried to reach the network or a file that is not an input, and was stopped first
    (:mod:`alliance_kg.guard`)."""


class DateExpressionError(InputError):
    """A date expression the normaliser (:mod:`alliance_kg.dates`) cannot read; ``expression`` is the words,
    ``reason`` why."""

    def __init__(self, expression: str, reason: str) -> None:
        self.expression = expression
        self.reason = reason
        super().__init__(f"cannot read the date {expression!r}: {reason}")


class SheetError(InputError):
    """A fact sheet (:mod:`alliance_kg.sheets`) is malformed, fails its schema, or names an entity the graph does
    not hold or several; ``field`` names the field (``claims[3].value``), ``path`` and ``line`` where it is."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
    ) -> None:
        self.field = field
        super().__init__(message, path=path, line=line, column=column)


class ResourceError(AllianceKGError):
    """Files that ship with alliance-kg (ontology, shapes, data, queries) are missing."""


class ServiceError(AllianceKGError):
    """A remote service (the Wikidata API, a SPARQL endpoint) could not give a usable answer.

    Raised only by commands the user ran to reach the network (``link``, ``enrich``, a query with
    ``--allow-service``) when the service is unreachable, too slow, rate-limiting beyond the retry
    budget, or answers HTML or broken JSON. ``url`` is the address asked and ``status`` the HTTP
    status (None when there was no answer).
    """

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None) -> None:
        self.message = message
        self.url = url
        self.status = status
        super().__init__(f"{url}: {message}" if url else message)


class EndpointError(AllianceKGError):
    """The SPARQL endpoint could not start or serve (for example its worker processes did not start)."""


class InconsistencyError(AllianceKGError):
    """OWL-RL reasoning found contradictions; ``inconsistencies`` lists them."""

    def __init__(self, inconsistencies: Sequence[Inconsistency]) -> None:
        self.inconsistencies: tuple[Inconsistency, ...] = tuple(inconsistencies)
        lines = [f"{len(self.inconsistencies)} inconsistencies found by OWL-RL reasoning:"]
        lines += [f"  - {item.message}" for item in self.inconsistencies]
        super().__init__("\n".join(lines))


class BuildError(AllianceKGError):
    """A release could not be built; the previous release, if any, is unchanged."""


class RejectedBuildError(BuildError):
    """The data does not conform to the shapes or is inconsistent, so no release was written.

    ``report`` is the SHACL validation report and ``inconsistencies`` what
    OWL-RL reasoning found; the previous release folder was left untouched.
    """

    def __init__(
        self,
        message: str,
        *,
        report: ValidationReport | None = None,
        inconsistencies: Sequence[Inconsistency] = (),
    ) -> None:
        self.report = report
        self.inconsistencies: tuple[Inconsistency, ...] = tuple(inconsistencies)
        super().__init__(message)


class QueryError(InputError):
    """A SPARQL query is malformed or cannot run; ``query`` names it (a query name or file)."""

    def __init__(
        self,
        message: str,
        *,
        query: str | None = None,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.query = query
        super().__init__(message, path=path, line=line, column=column)


class ParameterError(InputError):
    """A query parameter is unknown, missing or not of its declared type; ``parameter`` names it."""

    def __init__(self, message: str, *, parameter: str | None = None) -> None:
        self.parameter = parameter
        super().__init__(message)
