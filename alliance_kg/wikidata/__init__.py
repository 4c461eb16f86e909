"""Linking alliance-kg to Wikidata: curated links, reconciliation, enrichment and federated queries.

Modules (nothing here reaches the network unless a function that says so is called):

* :mod:`~alliance_kg.wikidata.sssom`: the links and review candidates as SSSOM mapping sets, compiled into
  ``skos:exactMatch`` triples by :func:`links_graph`;
* :mod:`~alliance_kg.wikidata.client`: :class:`WikidataClient`, the polite HTTP client for the Wikidata API
  and SPARQL endpoints (User-Agent, one request at a time, ``maxlag``, retries honouring ``Retry-After``,
  timeouts, on-disk cache);
* :mod:`~alliance_kg.wikidata.reconcile`: candidates for unlinked entities (``reconcile.reconcile``, network),
  :func:`accept` and :func:`link_report` (offline);
* :mod:`~alliance_kg.wikidata.enrich`: :func:`fetch_enrichment` (network) of labels, coordinates, countries and
  parents of linked items into a separate file with provenance; :func:`for_build` and :func:`disagreements`
  (offline) for ``build``;
* :mod:`~alliance_kg.wikidata.federation`: :func:`check_services`, the policy for ``SERVICE`` clauses
  (offline), and :func:`run_federated`, the runner (network, only for endpoints the user allowed).

Names are imported on first use, so ``import alliance_kg.wikidata`` loads neither rdflib nor urllib.
"""

from __future__ import annotations

import typing as _typing

from alliance_kg._lazy import lazy_exports as _lazy_exports

__all__ = [
    "WikidataClient",
    "accept",
    "check_services",
    "disagreements",
    "fetch_enrichment",
    "for_build",
    "link_report",
    "links_graph",
    "read_mapping_set",
    "run_federated",
    "write_mapping_set",
]

_LAZY: dict[str, str] = {
    "WikidataClient": "alliance_kg.wikidata.client",
    "accept": "alliance_kg.wikidata.reconcile",
    "check_services": "alliance_kg.wikidata.federation",
    "disagreements": "alliance_kg.wikidata.enrich",
    "fetch_enrichment": "alliance_kg.wikidata.enrich",
    "for_build": "alliance_kg.wikidata.enrich",
    "link_report": "alliance_kg.wikidata.reconcile",
    "links_graph": "alliance_kg.wikidata.sssom",
    "read_mapping_set": "alliance_kg.wikidata.sssom",
    "run_federated": "alliance_kg.wikidata.federation",
    "write_mapping_set": "alliance_kg.wikidata.sssom",
}

if _typing.TYPE_CHECKING:
    from alliance_kg.wikidata.client import WikidataClient
    from alliance_kg.wikidata.enrich import disagreements, fetch_enrichment, for_build
    from alliance_kg.wikidata.federation import check_services, run_federated
    from alliance_kg.wikidata.reconcile import accept, link_report
    from alliance_kg.wikidata.sssom import links_graph, read_mapping_set, write_mapping_set


__getattr__, __dir__ = _lazy_exports(__name__, _LAZY, globals())
