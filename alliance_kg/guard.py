"""What reading the user's input may make the Python RDF stack do: read those files, and nothing else.

Two guards, both applied by :mod:`alliance_kg.loading` (the rdflib parsers, the ``memory`` store) and by
:meth:`alliance_kg.store_oxigraph.OxigraphStore.load`; a query evaluated inside ``with guarded("a query"):`` gets
the first one as a second line behind :mod:`alliance_kg.service_policy`:

**No network or file access the user did not ask for.** Parsers reach out on a document's say-so: rdflib's
JSON-LD parser fetches a remote ``@context`` (``http://169.254.169.254/...``) and opens a ``file:///etc/passwd``
one, rdflib evaluates ``SERVICE`` by calling the endpoint. :func:`guarded` is a *guarded section*: while it runs
in the current thread (a :mod:`contextvars` variable, so other threads and the explicit network commands such as
``link``, ``enrich``, ``publish``, an allowed federated query or a ``sparql:URL`` store are not affected), an audit
hook (:func:`sys.addaudithook`, the mechanism rdflib's *security considerations* document) refuses, before
anything is sent or opened:

* ``urllib.Request``, ``http.client.connect``, ``socket.getaddrinfo`` / ``gethostbyname`` and ``socket.connect``
  (and ``sendto``) to any host but those the section allows by exact name (none by default);
* ``open`` of any file but the section's ``inputs``, except reading Python's own code (the interpreter, the
  virtualenv and the ``alliance_kg`` package: a parser plugin imported on first use) and writing its bytecode
  cache.

The refusal is an :class:`AccessRefused` (an :class:`~alliance_kg.errors.InputError` naming the input file) raised
where the access was attempted; should the library swallow it (rdflib's JSON-LD loader turns some errors into
others), it is raised again when the section ends. Audit hooks cannot be removed, so the hook is installed once,
on the first guarded section, and costs one set lookup per audited event outside one. Native code raises no
audit events: Oxigraph's parsers, which load no remote context, entity or import anyway, and its SERVICE client,
which :mod:`alliance_kg.service_policy` stops first. A thread started inside a section is not guarded. As
Python's documentation warns, an audit hook is no sandbox against hostile *code*; it stops hostile *data* from
steering trusted parsers.

**RDF/XML without entity expansion attacks.** :func:`check_rdfxml` reads the document type declaration of an
RDF/XML document with the standard library's expat parser, before either parser sees the document, and refuses
(an :class:`~alliance_kg.errors.RDFSyntaxError` with file and line, quoting nothing of any other file):

* an external entity (``<!ENTITY x SYSTEM "file:///etc/passwd">``, XXE) or an external DTD subset,
* a parameter entity (``<!ENTITY % x ...>``),
* an entity whose value refers to another entity (nested expansion: the *billion laughs*),
* entities whose expansion, counted over every reference in the document, would exceed
  :data:`MAX_ENTITY_EXPANSION` characters (the *quadratic blow-up*).

Plain internal entities stay accepted: Protégé and the OWL API write ``<!ENTITY owl "http://www.w3.org/2002/07/
owl#">`` abbreviations into every RDF/XML ontology they save. That is why alliance-kg does not use ``defusedxml``
(whose default forbids every entity declaration, so it refuses those ontologies, and which only protects the
``xml.sax`` path of rdflib, while Oxigraph parses RDF/XML with its own parser that expanded the billion laughs
just the same): one check on the bytes covers both stores and adds no dependency.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from alliance_kg.errors import AccessRefused, RDFSyntaxError

__all__ = [
    "MAX_ENTITY_EXPANSION",
    "WATCHED_EVENTS",
    "AccessRefused",
    "Section",
    "check_rdfxml",
    "guarded",
    "install",
]

#: The audit events a guarded section judges; every other event passes untouched.
WATCHED_EVENTS: Final = frozenset(
    {
        "urllib.Request",
        "http.client.connect",
        "socket.connect",
        "socket.sendto",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "open",
    }
)

#: The most characters the internal entities of one RDF/XML document may expand to, all references together.
MAX_ENTITY_EXPANSION: Final = 1_000_000

_NETWORK_EVENTS: Final = WATCHED_EVENTS - {"open"}
_WRITE_FLAGS: Final = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


@dataclass
class Section:
    """One guarded section: what it may read, which hosts it may reach, and what it saw."""

    what: str
    path: Path | None
    inputs: frozenset[str]
    hosts: frozenset[str]
    #: How many watched audit events ran inside the section (allowed or not), by event name.
    events: dict[str, int] = field(default_factory=dict)
    #: What was refused, in order (each a short description: the URL, host or file).
    refused: list[str] = field(default_factory=list)

    def refusal(self) -> AccessRefused:
        return AccessRefused(
            f"refused to reach {self.refused[0]} while {self.what}: alliance-kg reads only the files it is given "
            "and reaches no host the user did not name (a JSON-LD @context, an XML entity or a SERVICE clause "
            "inside the input is not followed)",
            path=self.path,
        )


_SECTION: contextvars.ContextVar[Section | None] = contextvars.ContextVar("alliance_kg_guard", default=None)
_INSIDE_HOOK = threading.local()
_INSTALL_LOCK = threading.Lock()
_installed = False


def install() -> None:
    """Install the audit hook (once per process; :func:`guarded` does it on first use)."""
    global _installed
    with _INSTALL_LOCK:
        if not _installed:
            sys.addaudithook(_hook)
            _installed = True


@contextmanager
def guarded(
    what: str,
    *,
    path: str | os.PathLike[str] | None = None,
    inputs: Iterable[str | os.PathLike[str]] = (),
    hosts: Iterable[str] = (),
) -> Iterator[Section]:
    """A guarded section (see the module's documentation) for ``what`` (``"parsing"``, ``"a query"``...).

    ``path`` names the input in the error; ``inputs`` are the only files that may be opened (``path`` is one);
    ``hosts`` the only host names (exact, case-insensitive) that may be reached: a name is looked up once, here,
    so that a connection to one of its addresses is let through too. Nested sections: the inner one
    rules while it runs. Raises :class:`AccessRefused` for the first refused access.
    """
    install()
    files = [*inputs, *([path] if path is not None else [])]
    section = Section(
        what=what,
        path=None if path is None else Path(path),
        inputs=frozenset(os.path.realpath(os.fspath(name)) for name in files),
        hosts=_with_addresses(host.lower().strip("[]") for host in hosts),
    )
    token = _SECTION.set(section)
    try:
        yield section
    except Exception as error:
        _SECTION.reset(token)
        if section.refused and not isinstance(error, AccessRefused):
            raise section.refusal() from None  # the library turned the refusal into another error
        raise
    except BaseException:
        _SECTION.reset(token)
        raise
    _SECTION.reset(token)
    if section.refused:
        raise section.refusal()


def _with_addresses(hosts: Iterable[str]) -> frozenset[str]:
    """The host names and the addresses they resolve to now (a connection names an address, not a name)."""
    import ipaddress
    import socket

    allowed: set[str] = set()
    for host in hosts:
        allowed.add(host)
        try:
            ipaddress.ip_address(host)
            continue
        except ValueError:
            pass
        with contextlib.suppress(OSError):  # not resolvable now: the request will fail on its own
            allowed.update(str(info[4][0]) for info in socket.getaddrinfo(host, None))
    return frozenset(allowed)


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event not in WATCHED_EVENTS:
        return
    section = _SECTION.get()
    if section is None or getattr(_INSIDE_HOOK, "active", False):
        return
    _INSIDE_HOOK.active = True
    try:
        section.events[event] = section.events.get(event, 0) + 1
        refused = _judge(section, event, args)
    finally:
        _INSIDE_HOOK.active = False
    if refused is not None:
        section.refused.append(refused)
        raise section.refusal()


def _judge(section: Section, event: str, args: tuple[object, ...]) -> str | None:
    """None when the event is allowed, else what was refused."""
    if event in _NETWORK_EVENTS:
        host = _host_of(event, args)
        if host is not None and host.lower().strip("[]") in section.hosts:
            return None
        return f"{host or 'the network'} ({event})"
    target, mode, flags = [*args, None, None, None][:3]
    if isinstance(target, int):  # an already open descriptor
        return None
    if not isinstance(target, str | bytes | os.PathLike):
        return None
    name = os.fsdecode(os.fspath(target))
    real = os.path.realpath(name)
    if real in section.inputs:
        return None if not _writes(mode, flags) else f"the input {name} for writing (open)"
    if _is_code(real, writing=_writes(mode, flags)):
        return None
    return f"the file {name} (open)"


def _host_of(event: str, args: tuple[object, ...]) -> str | None:
    if event == "urllib.Request" and args and isinstance(args[0], str):
        return urlsplit(args[0]).hostname or args[0]
    if event in ("http.client.connect",) and len(args) > 1:
        return str(args[1])
    if event in ("socket.connect", "socket.sendto") and len(args) > 1:
        address = args[1]
        if isinstance(address, tuple) and address:
            return str(address[0])
        return str(address)
    if args:
        return str(args[0])
    return None


def _writes(mode: object, flags: object) -> bool:
    if isinstance(mode, str) and any(letter in mode for letter in "wax+"):
        return True
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


def _code_roots() -> tuple[str, ...]:
    import site

    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    roots.update(site.getsitepackages())
    roots.add(str(Path(__file__).resolve().parent))
    return tuple(sorted(os.path.realpath(root) + os.sep for root in roots))


_ROOTS: tuple[str, ...] | None = None


def _is_code(real: str, *, writing: bool) -> bool:
    """Python's own files: read anything under the interpreter, the virtualenv or this package (modules, their
    metadata and data); write only a bytecode cache there."""
    global _ROOTS
    if _ROOTS is None:
        _ROOTS = _code_roots()
    if not real.startswith(_ROOTS):
        return False
    return not writing or f"{os.sep}__pycache__{os.sep}" in real


# -- RDF/XML ----------------------------------------------------------------------------------------------------

_DOCTYPE: Final = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def check_rdfxml(data: bytes, path: str | os.PathLike[str] | None = None) -> None:
    """Refuse an RDF/XML document whose DTD could expand entities dangerously or load a file (see the module's
    documentation); a document without ``<!DOCTYPE`` costs one search."""
    if _DOCTYPE.search(data) is None:
        return
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    entities: dict[str, int] = {}
    where = None if path is None else Path(path)

    class _Refused(Exception):
        pass

    def refuse(message: str) -> None:
        raise _Refused(message)

    def doctype(name: str, system_id: str | None, public_id: str | None, has_internal_subset: int) -> None:
        if system_id is not None or public_id is not None:
            refuse("an RDF/XML document with an external DTD is refused (it is never loaded)")

    def entity(
        name: str,
        is_parameter: int,
        value: str | None,
        base: str | None,
        system_id: str | None,
        public_id: str | None,
        notation: str | None,
    ) -> None:
        if is_parameter:
            refuse(f"the parameter entity %{name}; is refused (RDF/XML needs none)")
        if value is None or system_id is not None or public_id is not None or notation is not None:
            refuse(f"the external entity &{name}; is refused (an entity may not load a file or URL)")
        assert value is not None
        if "&" in value:  # after expat's own replacement of character references
            refuse(f"the entity &{name}; refers to another entity: nested entities are refused (billion laughs)")
        entities[name] = len(value)

    def end_doctype() -> None:
        raise _DoctypeDone

    class _DoctypeDone(Exception):
        pass

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.EndDoctypeDeclHandler = end_doctype
    try:
        parser.Parse(data, True)
    except _DoctypeDone:
        pass
    except _Refused as refused:
        raise RDFSyntaxError(str(refused), path=where, line=parser.CurrentLineNumber) from None
    except expat.ExpatError as error:
        raise RDFSyntaxError(
            f"RDF/XML syntax error: {expat.ErrorString(error.code)}",
            path=where,
            line=error.lineno,
            column=error.offset + 1,
        ) from None
    if not entities:
        return
    expansion = 0
    for name, size in entities.items():
        expansion += data.count(b"&" + name.encode("utf-8") + b";") * size
    if expansion > MAX_ENTITY_EXPANSION:
        raise RDFSyntaxError(
            f"the document's entities would expand to {expansion} characters, more than the limit of "
            f"{MAX_ENTITY_EXPANSION}",
            path=where,
        )
