"""The polite client against the stand-in: User-Agent, maxlag, retries, timeouts, cache, clean errors."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from wikidata_standin import StandIn

from alliance_kg import __version__
from alliance_kg.errors import AllianceKGError, InputError, ServiceError
from alliance_kg.wikidata import client as client_module
from alliance_kg.wikidata.client import WikidataClient, default_cache_dir, resolve_endpoints

SEARCH = {"action": "wbsearchentities", "search": "Okazaki", "language": "en", "type": "item"}

MakeClient = Callable[..., WikidataClient]


def test_user_agent_maxlag_and_json(standin: StandIn, make_client: MakeClient) -> None:
    data = make_client().api(SEARCH)
    assert [hit["id"] for hit in data["search"]][:1] == ["Q99990001"]
    (request,) = standin.requests
    assert request.params["maxlag"] == "5"
    assert request.params["format"] == "json"
    agent = request.headers["User-Agent"]
    assert agent.startswith(f"alliance-kg/{__version__} (https://w3id.org/alliance-kg;")


def test_second_call_is_served_from_the_cache(standin: StandIn, make_client: MakeClient) -> None:
    first = make_client()
    first.api(SEARCH)
    second = make_client()  # a new client, as in a second run
    assert second.api(SEARCH) == first.api(SEARCH)
    assert second.requests_made == 0
    assert len(standin.requests) == 1


def test_refresh_asks_again_and_no_cache_writes_nothing(
    standin: StandIn, make_client: MakeClient, tmp_path: Path
) -> None:
    make_client(use_cache=False).api(SEARCH)
    assert not (tmp_path / "cache").exists()
    make_client().api(SEARCH)
    make_client(refresh=True).api(SEARCH)
    assert len(standin.requests) == 3


def test_damaged_cache_entry_is_asked_again(standin: StandIn, make_client: MakeClient, tmp_path: Path) -> None:
    make_client().api(SEARCH)
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    make_client().api(SEARCH)
    assert len(standin.requests) == 2


@pytest.mark.parametrize(("mode", "status"), [("429", 429), ("503", 503)])
def test_retry_honours_retry_after(
    standin: StandIn, make_client: MakeClient, sleeps: list[float], mode: str, status: int
) -> None:
    standin.fail(mode, times=2, retry_after="3")
    data = make_client().api(SEARCH)
    assert data["search"]
    assert sleeps == [3.0, 3.0]
    assert len(standin.requests) == 3


def test_retry_after_as_http_date(standin: StandIn, make_client: MakeClient, sleeps: list[float]) -> None:
    standin.fail("429", times=1, retry_after="Wed, 21 Oct 2015 07:28:00 GMT")  # in the past: retry at once
    make_client().api(SEARCH)
    assert sleeps == [0.0]


def test_maxlag_error_is_retried(standin: StandIn, make_client: MakeClient, sleeps: list[float]) -> None:
    standin.fail("maxlag", times=1, retry_after="5")
    assert make_client().api(SEARCH)["search"]
    assert sleeps == [5.0]


def test_exponential_backoff_without_retry_after(make_client: MakeClient, sleeps: list[float]) -> None:
    # nothing listens on this port: a refused connection is retried, then a clean error
    client = make_client(api_url="http://127.0.0.1:9/w/api.php", max_retries=3, backoff=0.5)
    with pytest.raises(ServiceError, match="gave up after 4 attempts: cannot connect"):
        client.api(SEARCH)
    assert sleeps == [0.5, 1.0, 2.0]


def test_rate_limit_beyond_the_budget_fails_at_once(
    standin: StandIn, make_client: MakeClient, sleeps: list[float]
) -> None:
    standin.fail("429", times=5, retry_after="3600")
    with pytest.raises(ServiceError, match="exceed the 120 s budget") as caught:
        make_client().api(SEARCH)
    assert caught.value.status == 429
    assert sleeps == []
    assert len(standin.requests) == 1


def test_service_that_stays_down(standin: StandIn, make_client: MakeClient, sleeps: list[float]) -> None:
    standin.fail("503", times=100, retry_after="1")
    with pytest.raises(ServiceError, match="gave up after 5 attempts: HTTP 503"):
        make_client().api(SEARCH)
    assert sleeps == [1.0] * 4


def test_slow_answer_times_out(standin: StandIn, make_client: MakeClient) -> None:
    standin.slow_seconds = 0.4
    standin.fail("slow", times=10)
    with pytest.raises(ServiceError, match=r"no answer within 0\.1 s"):
        make_client(timeout=0.1, max_retries=1).api(SEARCH)
    assert len(standin.requests) == 2


@pytest.mark.parametrize(
    ("mode", "message"),
    [("html", "answered an HTML page"), ("badjson", "answered broken JSON"), ("html500", "HTTP 500")],
)
def test_garbage_is_a_clean_error_and_not_cached(
    standin: StandIn, make_client: MakeClient, tmp_path: Path, mode: str, message: str
) -> None:
    standin.fail(mode, times=1)
    with pytest.raises(ServiceError, match=message) as caught:
        make_client().api(SEARCH)
    assert isinstance(caught.value, AllianceKGError)
    assert caught.value.url == standin.api_url
    assert not list((tmp_path / "cache").rglob("*.json")) if (tmp_path / "cache").exists() else True
    assert make_client().api(SEARCH)["search"]  # the next run asks again and succeeds


def test_api_error_object(make_client: MakeClient) -> None:
    with pytest.raises(ServiceError, match="API error 'badvalue'"):
        make_client().api({"action": "nonsense"})


def test_one_request_at_a_time(standin: StandIn, make_client: MakeClient) -> None:
    standin.slow_seconds = 0.05
    standin.fail("slow", times=6)
    client = make_client(use_cache=False)
    threads = [threading.Thread(target=client.api, args=({**SEARCH, "search": f"O{i}"},)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(standin.requests) == 6
    assert standin.max_in_flight == 1


def test_sparql_select_and_construct(standin: StandIn, make_client: MakeClient) -> None:
    client = make_client()
    results = client.sparql_select("SELECT ?c WHERE { wd:Q3630 wdt:P17 ?c }")
    assert results["results"]["bindings"] == [{"c": {"type": "uri", "value": "http://www.wikidata.org/entity/Q252"}}]
    turtle, retrieved = client.sparql_construct("CONSTRUCT { wd:Q3630 wdt:P17 ?c } WHERE { wd:Q3630 wdt:P17 ?c }")
    assert "Q252" in turtle
    assert retrieved.tzinfo is not None
    assert standin.requests[0].headers["Accept"] == "application/sparql-results+json"


def test_sparql_html_answer(standin: StandIn, make_client: MakeClient) -> None:
    standin.fail("html")
    with pytest.raises(ServiceError, match="HTML"):
        make_client().sparql_construct("CONSTRUCT WHERE { ?s ?p ?o }")


def test_endpoints_from_arguments_environment_and_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(client_module.ENV_API, raising=False)
    monkeypatch.delenv(client_module.ENV_SPARQL, raising=False)
    assert resolve_endpoints() == (client_module.DEFAULT_API, client_module.DEFAULT_SPARQL)
    monkeypatch.setenv(client_module.ENV_API, "https://wikibase.example/w/api.php")
    monkeypatch.setenv(client_module.ENV_SPARQL, "https://qlever.example/api/wikidata")
    assert resolve_endpoints() == ("https://wikibase.example/w/api.php", "https://qlever.example/api/wikidata")
    assert resolve_endpoints("http://127.0.0.1:1/w/api.php")[0] == "http://127.0.0.1:1/w/api.php"
    with pytest.raises(InputError, match="http"):
        resolve_endpoints("file:///etc/passwd")


def test_cache_dir_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "platform", "linux")  # the user cache folder is chosen by platform
    assert default_cache_dir({"ALLIANCE_KG_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert default_cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "alliance-kg" / "wikidata"


def test_short_queries_by_get_long_ones_by_post(standin: StandIn, make_client: MakeClient) -> None:
    client = make_client()
    short = "SELECT ?c WHERE { wd:Q3630 wdt:P17 ?c }"
    client.sparql_select(short)
    client.sparql_select(short + "\n# " + "padding " * 400)
    assert [r.method for r in standin.requests] == ["GET", "POST"]
    assert standin.requests[1].headers["Content-Type"] == "application/x-www-form-urlencoded"
