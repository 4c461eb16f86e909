"""The ontology documentation of a release (``ontology.html``): one self-contained HTML page made from the
ontology graph.

It documents the ontology's own terms (those in the ``akg:`` namespace): the header (title, IRI, version,
licence, description), the model diagram (:mod:`alliance_kg.release.diagram`, inline SVG, with its mermaid
source), then each class (labels in English and French, comment, super- and subclasses, disjoint classes, the
properties whose domain or range it is, links to other vocabularies), each object, datatype and annotation
property (labels, comment, characteristics, domain, range, super-properties, inverse, property chain) and each
named individual, and the namespaces. Everything is sorted and escaped (:func:`html.escape`); the page loads
nothing (no script, no stylesheet, no font from elsewhere) and has no timestamp, so the same ontology, version
and date give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from typing import Final

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from alliance_kg.namespaces import AKG, ONTOLOGY_IRI, PREFIXES, short
from alliance_kg.release.diagram import mermaid, model_edges, svg

__all__ = ["ontology_html"]

_CHARACTERISTICS: Final = (
    (OWL.FunctionalProperty, "functional"),
    (OWL.InverseFunctionalProperty, "inverse functional"),
    (OWL.TransitiveProperty, "transitive"),
    (OWL.SymmetricProperty, "symmetric"),
    (OWL.AsymmetricProperty, "asymmetric"),
    (OWL.ReflexiveProperty, "reflexive"),
    (OWL.IrreflexiveProperty, "irreflexive"),
)

_STYLE: Final = """\
body { font-family: sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45;
  color: #1d1d1d; }
h1 { margin-bottom: 0.2rem; } h2 { border-bottom: 1px solid #ccc; margin-top: 2.5rem; }
h3 { margin-bottom: 0.3rem; } code { background: #f4f4f4; padding: 0 0.2rem; }
table { border-collapse: collapse; margin: 0.3rem 0 1rem; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.25rem 0.5rem; border-bottom: 1px solid #eee; }
th { width: 12rem; color: #555; font-weight: normal; }
nav ul { columns: 3; } figure { margin: 1rem 0; overflow-x: auto; } pre { background: #f4f4f4; padding: 0.5rem; }
.term { scroll-margin-top: 1rem; }
"""


def _local(term: Node) -> str:
    return str(term)[len(str(AKG)) :]


def _own(term: Node) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(AKG)) and len(str(term)) > len(str(AKG))


def _sorted_terms(terms: Iterable[Node]) -> list[Node]:
    return sorted(set(terms), key=lambda term: (not _own(term), str(term)))


class _Page:
    """The ontology graph and how its terms are written in HTML."""

    def __init__(self, ontology: Graph) -> None:
        self.g = ontology

    def term(self, node: Node) -> str:
        """A link to ``node``: inside the page for the ontology's terms, to the IRI for others."""
        if isinstance(node, Literal):
            if not node.language:
                return html.escape(str(node))
            lang = html.escape(node.language)
            return f'<span lang="{lang}">{html.escape(str(node))}</span> <small>@{lang}</small>'
        if isinstance(node, BNode):
            return self._anonymous(node)
        if _own(node):
            return f'<a href="#{html.escape(_local(node))}"><code>{html.escape(short(node))}</code></a>'
        return f'<a href="{html.escape(str(node))}"><code>{html.escape(short(node))}</code></a>'

    def _anonymous(self, node: BNode) -> str:
        for keyword, word in ((OWL.unionOf, "one of"), (OWL.intersectionOf, "all of")):
            members = self.g.value(node, keyword)
            if members is not None:
                return f"{word} " + ", ".join(self.term(m) for m in Collection(self.g, members))
        return "an anonymous class"

    def terms(self, nodes: Iterable[Node]) -> str:
        return ", ".join(self.term(node) for node in _sorted_terms(nodes))

    def texts(self, subject: Node, predicate: URIRef) -> str:
        values = sorted(
            (v for v in self.g.objects(subject, predicate) if isinstance(v, Literal)),
            key=lambda v: (v.language or "", str(v)),
        )
        return "<br>".join(self.term(v) for v in values)

    def label(self, subject: Node, lang: str) -> str:
        values = sorted(
            str(v) for v in self.g.objects(subject, RDFS.label) if isinstance(v, Literal) and v.language == lang
        )
        return html.escape(" / ".join(values))

    def rows(self, rows: list[tuple[str, str]]) -> str:
        kept = [f"<tr><th>{html.escape(name)}</th><td>{value}</td></tr>" for name, value in rows if value]
        return "<table>\n" + "\n".join(kept) + "\n</table>"

    def heading(self, subject: Node, kind: str) -> list[str]:
        title = self.label(subject, "en") or html.escape(_local(subject))
        return [
            f'<section class="term" id="{html.escape(_local(subject))}">',
            f"<h3>{title} <small>({html.escape(kind)})</small></h3>",
        ]

    def common(self, subject: Node) -> list[tuple[str, str]]:
        return [
            ("IRI", f"<code>{html.escape(str(subject))}</code>"),
            ("label (en)", self.label(subject, "en")),
            ("label (fr)", self.label(subject, "fr")),
            ("comment", self.texts(subject, RDFS.comment)),
            ("definition", self.texts(subject, SKOS.definition)),
            ("editorial note", self.texts(subject, SKOS.editorialNote)),
        ]

    def links(self, subject: Node) -> list[tuple[str, str]]:
        return [
            ("exact match", self.terms(self.g.objects(subject, SKOS.exactMatch))),
            ("close match", self.terms(self.g.objects(subject, SKOS.closeMatch))),
            ("see also", self.terms(self.g.objects(subject, RDFS.seeAlso))),
        ]


def _own_of_type(g: Graph, *types: URIRef) -> list[Node]:
    return sorted({s for t in types for s in g.subjects(RDF.type, t) if _own(s)}, key=str)


def _disjoint(g: Graph, cls: Node) -> set[Node]:
    found = {*g.objects(cls, OWL.disjointWith), *g.subjects(OWL.disjointWith, cls)}
    for group in g.subjects(RDF.type, OWL.AllDisjointClasses):
        members_list = g.value(group, OWL.members)
        if members_list is None:
            continue
        members = list(Collection(g, members_list))
        if cls in members:
            found.update(member for member in members if member != cls)
    return found


def _classes(page: _Page, classes: list[Node]) -> list[str]:
    g = page.g
    out: list[str] = []
    for cls in classes:
        out += page.heading(cls, "class")
        out.append(
            page.rows(
                [
                    *page.common(cls),
                    ("subclass of", page.terms(g.objects(cls, RDFS.subClassOf))),
                    ("superclass of", page.terms(g.subjects(RDFS.subClassOf, cls))),
                    ("equivalent to", page.terms(g.objects(cls, OWL.equivalentClass))),
                    ("disjoint with", page.terms(_disjoint(g, cls))),
                    ("domain of", page.terms(p for p in g.subjects(RDFS.domain, cls))),
                    ("range of", page.terms(p for p in g.subjects(RDFS.range, cls))),
                    ("instances", page.terms(s for s in g.subjects(RDF.type, cls) if _own(s))),
                    *page.links(cls),
                ]
            )
        )
        out.append("</section>")
    return out


def _properties(page: _Page, properties: list[Node], kind: str) -> list[str]:
    g = page.g
    out: list[str] = []
    for prop in properties:
        characteristics = ", ".join(word for cls, word in _CHARACTERISTICS if (prop, RDF.type, cls) in g)
        chains = [
            " ∘ ".join(page.term(step) for step in Collection(g, chain))
            for chain in g.objects(prop, OWL.propertyChainAxiom)
        ]
        inverses = {*g.objects(prop, OWL.inverseOf), *g.subjects(OWL.inverseOf, prop)}
        out += page.heading(prop, kind)
        out.append(
            page.rows(
                [
                    *page.common(prop),
                    ("characteristics", html.escape(characteristics)),
                    ("domain", page.terms(g.objects(prop, RDFS.domain))),
                    ("range", page.terms(g.objects(prop, RDFS.range))),
                    ("sub-property of", page.terms(g.objects(prop, RDFS.subPropertyOf))),
                    ("super-property of", page.terms(g.subjects(RDFS.subPropertyOf, prop))),
                    ("inverse of", page.terms(inverses)),
                    ("property chain", "<br>".join(sorted(chains))),
                    *page.links(prop),
                ]
            )
        )
        out.append("</section>")
    return out


def _individuals(page: _Page, individuals: list[Node]) -> list[str]:
    g = page.g
    out: list[str] = []
    for individual in individuals:
        types = [t for t in g.objects(individual, RDF.type) if t != OWL.NamedIndividual]
        out += page.heading(individual, "individual")
        out.append(page.rows([*page.common(individual), ("type", page.terms(types)), *page.links(individual)]))
        out.append("</section>")
    return out


def _toc(title: str, anchor: str, terms: list[Node], page: _Page) -> list[str]:
    if not terms:
        return []
    items = "".join(f"<li>{page.term(term)}</li>" for term in terms)
    return [f'<h3><a href="#{anchor}">{html.escape(title)}</a></h3>', f"<ul>{items}</ul>"]


def ontology_html(ontology: Graph, *, version: str, date: dt.date) -> bytes:
    """The documentation page of ``ontology`` for release ``version`` of ``date`` (see the module docstring)."""
    g = ontology
    page = _Page(g)
    header = URIRef(ONTOLOGY_IRI)
    titles = sorted((v for v in g.objects(header, DCTERMS.title) if isinstance(v, Literal)), key=lambda v: str(v))
    english = [t for t in titles if t.language == "en"] or titles
    title = html.escape(str(english[0])) if english else "alliance-kg ontology"
    classes = _own_of_type(g, OWL.Class, RDFS.Class)
    object_properties = _own_of_type(g, OWL.ObjectProperty)
    datatype_properties = _own_of_type(g, OWL.DatatypeProperty)
    annotation_properties = _own_of_type(g, OWL.AnnotationProperty)
    individuals = [s for s in _own_of_type(g, OWL.NamedIndividual) if s not in classes]
    edges = model_edges(g)

    body: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}, release {html.escape(version)}</title>",
        f"<style>\n{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{title}</h1>",
        f"<p>Documentation of the ontology in alliance-kg release {html.escape(version)} of "
        f"{html.escape(date.isoformat())}, generated from the ontology graph.</p>",
        page.rows(
            [
                ("IRI", f"<code>{html.escape(ONTOLOGY_IRI)}</code>"),
                ("title", page.texts(header, DCTERMS.title)),
                ("version IRI", page.terms(g.objects(header, OWL.versionIRI))),
                ("version", page.texts(header, OWL.versionInfo)),
                ("release", f"{html.escape(version)} ({html.escape(date.isoformat())})"),
                ("licence", page.terms(g.objects(header, DCTERMS.license))),
                ("created", page.texts(header, DCTERMS.created)),
                ("description", page.texts(header, DCTERMS.description)),
                ("comment", page.texts(header, RDFS.comment)),
                ("preferred prefix", f"<code>akg:</code> = <code>{html.escape(str(AKG))}</code>"),
            ]
        ),
        "<nav><h2>Contents</h2>",
        '<p><a href="#model">The model</a></p>',
        *_toc("Classes", "classes", classes, page),
        *_toc("Object properties", "object-properties", object_properties, page),
        *_toc("Datatype properties", "datatype-properties", datatype_properties, page),
        *_toc("Annotation properties", "annotation-properties", annotation_properties, page),
        *_toc("Named individuals", "individuals", individuals, page),
        '<p><a href="#namespaces">Namespaces</a></p>',
        "</nav>",
        '<h2 id="model">The model</h2>',
        "<p>Each arrow is an object property of the ontology, from its domain to its range (of two inverse "
        "properties, one is drawn).</p>",
        f"<figure>\n{svg(edges, title=f'{title}: the model')}</figure>",
        "<details><summary>The same as a mermaid flowchart</summary>",
        f"<pre>{html.escape(mermaid(edges))}</pre>",
        "</details>",
        '<h2 id="classes">Classes</h2>',
        *_classes(page, classes),
        '<h2 id="object-properties">Object properties</h2>',
        *_properties(page, object_properties, "object property"),
        '<h2 id="datatype-properties">Datatype properties</h2>',
        *_properties(page, datatype_properties, "datatype property"),
        '<h2 id="annotation-properties">Annotation properties</h2>',
        *_properties(page, annotation_properties, "annotation property"),
        '<h2 id="individuals">Named individuals</h2>',
        *_individuals(page, individuals),
        '<h2 id="namespaces">Namespaces</h2>',
        "<table>",
        *(
            f"<tr><th><code>{html.escape(prefix)}:</code></th><td><code>{html.escape(str(namespace))}</code></td></tr>"
            for prefix, namespace in sorted(PREFIXES.items())
        ),
        "</table>",
        "</body>",
        "</html>",
    ]
    return ("\n".join(body) + "\n").encode("utf-8")
