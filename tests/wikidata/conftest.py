"""The Wikidata tests' fixtures: the stand-in server (one per session, reset for each test) and clients on it."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from wikidata_standin import StandIn, start

from alliance_kg.wikidata.client import WikidataClient


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test writes the user's cache or follows endpoints set in the user's environment."""
    monkeypatch.setenv("ALLIANCE_KG_CACHE_DIR", str(tmp_path / "default-cache"))
    monkeypatch.delenv("ALLIANCE_KG_WIKIDATA_API", raising=False)
    monkeypatch.delenv("ALLIANCE_KG_WIKIDATA_SPARQL", raising=False)


@pytest.fixture(scope="session")
def _standin_server() -> Iterator[StandIn]:
    state, server, thread = start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def standin(_standin_server: StandIn) -> StandIn:
    """The stand-in Wikidata (API + SPARQL) on 127.0.0.1, with its request log cleared and failures off."""
    _standin_server.reset()
    return _standin_server


@pytest.fixture
def sleeps() -> list[float]:
    """The back-off waits a client asked for (none happen for real)."""
    return []


@pytest.fixture
def make_client(standin: StandIn, tmp_path: Path, sleeps: list[float]) -> Callable[..., WikidataClient]:
    """A factory of clients on the stand-in, with a cache in tmp_path and a sleep that only records."""

    def make(**overrides: Any) -> WikidataClient:
        settings: dict[str, Any] = {
            "api_url": standin.api_url,
            "sparql_url": standin.sparql_url,
            "cache_dir": tmp_path / "cache",
            "timeout": 2.0,
            "backoff": 0.01,
            "sleep": sleeps.append,
        }
        settings.update(overrides)
        return WikidataClient(**settings)

    return make


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make every socket connection fail; the list records the addresses something tried to reach."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network access attempted in a test that must stay offline")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))  # type: ignore[arg-type]

    def no_lookup(host: object, *args: object, **kwargs: object) -> None:
        attempts.append(host)
        raise socket.gaierror("name lookup attempted in a test that must stay offline")

    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)
    return attempts
