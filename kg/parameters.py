"""Query parameters, checked the same way for rdflib (kg.rdf) and Oxigraph (kg.store): each names a
variable of the query, and its value becomes an RDF term, never text pasted into the query."""
from __future__ import annotations

import re
from collections.abc import Mapping

from .errors import QueryError

_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parameter_terms(sparql: str, params: Mapping[str, str], make_term) -> dict:
    """Check each parameter names a variable of the query, and turn its value into an RDF term with `make_term`."""
    terms = {}
    for name, value in params.items():
        if not _PARAM_NAME.fullmatch(name):
            raise QueryError(f"parameter {name!r}: not a SPARQL variable name")
        if not re.search(rf"[?$]{name}\b", sparql):
            raise QueryError(f"parameter {name!r}: the query has no variable ?{name}")
        terms[name] = make_term(value)
    return terms
