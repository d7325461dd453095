"""Linking across documents: a company named in full in one report and only by its short name in
another is one node of the build's graph.

Entities are resolved within each document, so that a document's graph never depends on the
others and `kg build --update` gives the same graph as a clean build. A report that writes only
恒信 cannot know that another one wrote 芜湖恒信光伏科技有限公司 (恒信); the build can. Once the
store is loaded, a company whose name is the short name (skos:altLabel) of exactly one company
named in full elsewhere in the build is merged into it, in the store's default graph (the union
that queries, graph.ttl and the HTML view read). A short name two companies share is left alone:
two different companies are never merged. The documents' own named graphs keep what each
document said.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from .vocab import KGO

_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
_TYPE, _COMPANY = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{KGO}Company>"
_LABEL, _ALT = f"<{_RDFS_LABEL}>", f"<{_SKOS_ALT}>"

_SHORT_AND_FULL = f"""
SELECT ?short ?full WHERE {{
  ?short a <{KGO}Company> ; <{_RDFS_LABEL}> ?name .
  ?full a <{KGO}Company> ; <{_SKOS_ALT}> ?name .
  FILTER (?short != ?full)
}}
"""

# The short node's label is already the full node's altLabel; everything else it has moves over.
_MERGE = """
DELETE {{ <{short}> <{label}> ?name }} WHERE {{ <{short}> <{label}> ?name }} ;
DELETE {{ <{short}> ?p ?o }} INSERT {{ <{full}> ?p ?o }} WHERE {{ <{short}> ?p ?o }} ;
DELETE {{ ?s ?p <{short}> }} INSERT {{ ?s ?p <{full}> }} WHERE {{ ?s ?p <{short}> }}
"""


def short_name_links(store: ox.Store) -> list[tuple[str, str]]:
    """(short node, full node) IRI pairs to merge: the short name belongs to one full name only."""
    return _unambiguous((row["short"].value, row["full"].value) for row in store.query(_SHORT_AND_FULL))


def company_names(triples: Iterable[tuple[str, str, str]]) -> tuple[tuple[str, str, str], ...]:
    """A document's name triples of companies (label, altLabel; N-Triples texts, as kg.rdf.NTRIPLES
    writes them): what `links_from_names` needs of it, so that a build without a store links alike."""
    triples = list(triples)
    companies = {s for s, p, o in triples if p == _TYPE and o == _COMPANY}
    return tuple(sorted(t for t in triples if t[0] in companies and t[1] in (_LABEL, _ALT)))


def links_from_names(rows: Iterable[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """`short_name_links` of the union of the documents' `company_names`: the same pairs, without a store.
    An IRI names one type only (kg.iri), and a label comes with its type, so the documents' rows
    join as the store's query joins the union."""
    labelled: dict[str, set[str]] = defaultdict(set)  # name → companies it labels
    alternative: dict[str, set[str]] = defaultdict(set)  # name → companies it is a short name of
    for subject, predicate, name in set(rows):
        (labelled if predicate == _LABEL else alternative)[name].add(subject[1:-1])
    return _unambiguous((short, full) for name, shorts in labelled.items()
                        for short in shorts for full in alternative.get(name, ()) if short != full)


def _unambiguous(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    fulls: dict[str, set[str]] = defaultdict(set)
    for short, full in pairs:
        fulls[short].add(full)
    shorts = set(fulls)
    return sorted(
        (short, next(iter(full)))
        for short, full in fulls.items()
        if len(full) == 1 and not full & shorts  # no chains: the full node is not a short one itself
    )


def link_short_names(store: ox.Store) -> list[tuple[str, str]]:
    """Merge each company known only by a short name into the one company it is short for, in the
    default graph; return the (short, full) IRI pairs merged."""
    links = short_name_links(store)
    for short, full in links:
        store.update(_MERGE.format(short=short, full=full, label=_RDFS_LABEL))
    return links
