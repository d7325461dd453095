"""SPARQL as kg's user writes it: the built-in prefixes every query may use, and one-line syntax errors.

`kg query` and `kg serve` accept the same queries: both declare these prefixes for a query that
does not declare them itself (kg query passes them to Oxigraph, kg serve's proxy writes the PREFIX
lines in front of the query). A query's own PREFIX line always wins.
"""
from __future__ import annotations

import re

# prefix → namespace; the README's table lists the same
BUILTIN_PREFIXES = {
    "kgo": "https://kg.example.org/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
}
_DECLARED = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:")
# a prefixed name's prefix: not inside an <IRI> (http: is followed by //), not a variable
_USED = re.compile(r"(?<![\w<?$:/.-])([A-Za-z][\w.-]*)?:(?=[\w\u00c0-\uffff(%\\])")
_POSITION = re.compile(r"error at (\d+):(\d+): ?(.*)", re.S)
# Oxigraph lists the characters a name may hold as Unicode ranges: read as "a name"
_CHAR_CLASS = re.compile(r"\[[^\[\]]*(?:\\u\{|\.\.=)[^\[\]]*\]")


def declared_prefixes(query: str) -> set[str]:
    return {m.group(1) or "" for m in _DECLARED.finditer(query)}


def with_builtin_prefixes(query: str) -> str:
    """The query with a PREFIX line for each built-in prefix it does not declare itself.

    >>> with_builtin_prefixes("PREFIX kgo: <urn:x#> SELECT * {}").count("PREFIX kgo:")
    1
    """
    return builtin_header(query) + query


def builtin_header(query: str) -> str:
    """The PREFIX declarations with_builtin_prefixes puts in front of `query`: on its first line, so
    the parser's line numbers stay the user's (explain takes the header's length off its columns)."""
    declared = declared_prefixes(query)
    return "".join(f"PREFIX {p}: <{ns}> " for p, ns in BUILTIN_PREFIXES.items() if p not in declared)


def undeclared_prefixes(query: str) -> list[str]:
    """Prefixes the query uses that neither it nor kg declares (string literals aside).

    >>> undeclared_prefixes('SELECT * { ?s foaf:name "a:b" ; kgo:x <http://x/> }')
    ['foaf']
    """
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|<[^<>\s]*>|#[^\n]*', " ", query)
    known = declared_prefixes(query) | set(BUILTIN_PREFIXES)
    return sorted({m.group(1) or "" for m in _USED.finditer(text)} - known)


def explain(message: str, query: str, header: int = 0) -> str:
    """A parser's error as one line that points at the problem: line, column, the text there, what was expected.

    >>> explain("error at 1:8: expected one of REDUCED, [_]", "SELECT WHERE {")
    'syntax error at line 1, column 8, at "WHERE {": expected one of REDUCED (or a name)'
    """
    missing = undeclared_prefixes(query)
    if "Prefix not found" in message or "prefix" in message.lower() and missing:
        names = "".join(f" {p}:" for p in missing)
        return (f"undeclared prefix{names} (add a PREFIX line for it; built in: "
                f"{' '.join(p + ':' for p in BUILTIN_PREFIXES)})")
    found = _POSITION.match(message.strip())
    if not found:
        return " ".join(message.split())[:300]
    line, column, expected = int(found.group(1)), int(found.group(2)), found.group(3)
    if line == 1:
        column = max(1, column - header)  # `header` characters of PREFIX lines were put in front of the user's query
    lines = query.split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    near = text[column - 1:column + 19].strip() if column > 0 else ""
    expected = _expected(expected)
    where = f"at line {line}, column {column}" + (f', at "{near}"' if near else " (the end of the line)")
    return f"syntax error {where}" + (f": {expected}" if expected else "")


def _expected(text: str) -> str:
    """Oxigraph's "expected one of …" list without its character ranges: the keywords and punctuation, each once.

    >>> _expected('expected one of ",", "}", [a ..= z], ",", DISTINCT')
    'expected one of , } DISTINCT (or a name)'
    """
    bare = _CHAR_CLASS.sub(" ", text)
    tokens = list(dict.fromkeys(m.group(1) or m.group(2) for m in re.finditer(r'"([^"]+)"|\b([A-Z][A-Z_]{2,})\b', bare)))
    if not text.startswith("expected"):
        return " ".join(text.split())[:200]
    names = " (or a name)" if "[" in bare or bare != text else ""  # [_], ['%'] …: the characters a name or variable may start with
    if not tokens:
        return "expected a name" if names else ""
    return ("expected " if len(tokens) == 1 and not names else "expected one of ") + " ".join(tokens) + names
