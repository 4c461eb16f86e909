"""``alliance-kg serve``: a read-only SPARQL 1.1 endpoint over the knowledge graph."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from alliance_kg.cli._args import add_data_source_note, add_store_argument, data_source, load_graph, positive_seconds

if TYPE_CHECKING:
    from alliance_kg.endpoint import Endpoint

NAME = "serve"
HELP = "Serve the knowledge graph over the SPARQL 1.1 Protocol, read-only."
DESCRIPTION = (
    "Serve the built graph (ontology, facts and OWL-RL inferences as three named graphs; the default graph is "
    "their union) at http://HOST:PORT/query, evaluated by Oxigraph. SELECT/ASK answers in JSON, XML, CSV or "
    "TSV and CONSTRUCT/DESCRIBE in Turtle, N-Triples, JSON-LD or RDF/XML by content negotiation; CORS "
    "allowed; updates refused (403); each query stopped after --timeout seconds (503). A store rebuilt while "
    "serving (build --store oxigraph:PATH, or the data files changed for the default store) is picked up "
    "between queries, each answer coming from the old or the new graph whole. Stop with Ctrl-C."
)

#: Seconds between two looks at the data files of the default store.
WATCH_SECONDS = 2.0
#: Seconds to wait after a failed rebuild of the default store before trying again.
RETRY_SECONDS = 30.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_source_note(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine)")
    parser.add_argument("--port", type=int, default=7878, help="port to listen on (default 7878; 0: any free port)")
    parser.add_argument(
        "--timeout", metavar="SECONDS", type=positive_seconds, default=30.0, help="per-query time limit (default 30)"
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="queries evaluated at once (default: 2 to 4, by CPU count)"
    )
    parser.add_argument(
        "--memory-limit",
        metavar="MB",
        type=int,
        default=2048,
        help="address space each query worker may use, in MiB (default 2048; 0: no limit)",
    )
    parser.add_argument("--no-cors", action="store_true", help="do not allow cross-origin requests from browsers")
    parser.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    add_store_argument(
        parser, "what to serve: an on-disk Oxigraph store is opened read-only by every worker, not copied", cached=True
    )


def run(args: argparse.Namespace) -> int:
    from alliance_kg.cli import EXIT_ERROR, EXIT_OK
    from alliance_kg.endpoint import Endpoint
    from alliance_kg.store import ENV_STORE

    if args.timeout <= 0 or (args.workers is not None and args.workers < 1):
        print("alliance-kg serve: error: --timeout and --workers must be positive", file=sys.stderr)
        return EXIT_ERROR
    kg = load_graph(args.store, None)
    endpoint = Endpoint(
        kg,
        host=args.host,
        port=args.port,
        timeout=args.timeout,
        workers=args.workers,
        memory_limit_mb=args.memory_limit,
        cors=not args.no_cors,
        log=not args.quiet,
    )
    try:
        endpoint.start()
    except OSError as error:
        print(f"alliance-kg serve: error: cannot listen on {args.host}:{args.port}: {error.strerror}", file=sys.stderr)
        return EXIT_ERROR
    if endpoint.data_path is not None and endpoint.data_path.is_dir():
        kg.close()  # the workers open the store themselves: do not hold a generation a build may replace
    stop_watching = threading.Event()
    if args.store is None and not os.environ.get(ENV_STORE):
        threading.Thread(
            target=_follow_default_store, args=(endpoint, stop_watching), name="alliance-kg-data-watch", daemon=True
        ).start()

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(f"alliance-kg SPARQL endpoint (read-only): {endpoint.url}", flush=True)
    print(endpoint.about(), file=sys.stderr, flush=True)
    print(f"data: {data_source(args.store)}", file=sys.stderr, flush=True)
    try:
        endpoint.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop_watching.set()
        endpoint.stop()
        kg.close()
    return EXIT_OK


def _follow_default_store(endpoint: Endpoint, stop: threading.Event) -> None:
    """Serve the default store of the data files as they are now: every :data:`WATCH_SECONDS`, look them up
    (:func:`~alliance_kg.store_cache.cached_store`: their paths, sizes and times; a new store is built when they
    changed) and switch the endpoint to it. A build that fails leaves the store served as it was."""
    from alliance_kg.errors import AllianceKGError
    from alliance_kg.store_cache import cached_store

    wait = WATCH_SECONDS
    while not stop.wait(wait):
        wait = WATCH_SECONDS
        try:
            store = Path(cached_store(None))
        except Exception as error:  # whatever the new files hold, the endpoint goes on serving the store it has
            known = isinstance(error, AllianceKGError | OSError)
            reason = str(error) if known else f"{type(error).__name__}: {error}"
            print(f"alliance-kg serve: the data files changed but cannot be served: {reason}", file=sys.stderr)
            wait = RETRY_SECONDS
            continue
        if store != endpoint.data_path and not stop.is_set():
            endpoint.switch(store)
            print(f"alliance-kg serve: the data files changed; now serving {store}", file=sys.stderr, flush=True)
