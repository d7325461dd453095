"""Can graph.ttl be written without reading the store back? Oxigraph's order, reproduced and timed.

    python bench/turtle_order.py BUILD_DIR

BUILD_DIR is what `kg build` wrote (graph.ttl, shards/, store/). This takes the triples of its shards,
merges short names across documents as kg.linking does, sorts them in the order Oxigraph's store
writes them, writes them with Oxigraph's Turtle serializer, and checks the bytes against graph.ttl;
it prints the time of each part beside the store's own dump (issue 15: the dump is most of the tail).

Oxigraph writes a graph in the order of its index keys, and a term's key is its binary encoding in
the store (`oxigraph/src/storage/binary_encoder.rs`, 0.5):
- an IRI: type 1, then the SipHash-2-4-128 (keys 0, 0) of its text, big-endian;
- a string of at most 15 UTF-8 bytes: type 16, its bytes padded with zeros to 15, then its length;
  a longer one: type 17, then its hash; a language-tagged string: type 20-23 (value small or not,
  language small or not), then the language, then the value, each inline or hashed the same way;
- xsd:integer: type 32, then the value as a big-endian 64-bit two's complement; xsd:decimal: type
  33, then the value times 10^18 as 128 bits; xsd:date and xsd:gYear: types 36 and 38; another
  datatype: type 24 or 25, the datatype's hash, the value.
The store keeps numbers by value, so "669000000.0"^^xsd:decimal comes back "669000000"^^xsd:decimal.

Measured (session 8; 300 reports, 624k triples, 197k distinct terms): the same bytes as the store's
dump, but no faster in Python: reading the shards' lines 1.3-1.7 s, keys and ranks about 1.5 s,
sorting 0.1 s, and handing 624k triples to Oxigraph's serializer 1.6-2 s, against 4.2 s for the dump.
A build gains only when the lines are split and keyed in the worker processes (per document, in
parallel) and the sorted triples are written without making a Python object for each.
"""
from __future__ import annotations

import re
from array import array
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyoxigraph as ox

_XSD = "http://www.w3.org/2001/XMLSchema#"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"  # what a merged short node loses (kg.linking)
_SMALL = 15  # the most UTF-8 bytes Oxigraph keeps inline in a key
_PLACEHOLDER = b"<urn:kg:term> <urn:kg:term> "
_DATE, _YEAR = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), re.compile(r"[0-9]{4}")


class UnsupportedTerm(ValueError):
    """A term whose place in Oxigraph's order this module does not know."""


class TurtleWriter:
    """Takes a build's triples as N-Triples text (document by document), writes them as Turtle."""

    def __init__(self) -> None:
        self._ids: dict[bytes, int] = {}
        self._rows = array("i")  # subject, predicate, object ids, three by three

    def add(self, ntriples: bytes) -> None:
        """The lines of one N-Triples text (`<s> <p> o .`); a triple given twice is written once."""
        number, append = self._ids.setdefault, self._rows.append
        for line in ntriples.splitlines():
            if line:
                subject, predicate, rest = line.split(b" ", 2)
                append(number(subject, len(self._ids)))
                append(number(predicate, len(self._ids)))
                append(number(rest[:-2] if rest.endswith(b" .") else rest.rstrip(b" ."), len(self._ids)))

    def merge(self, links: list[tuple[str, str]], label: str) -> None:
        """What kg.linking does to the store, done to these triples: each (short, full) IRI pair's
        short node loses its `label` triples and its other triples become the full node's."""
        if not links:
            return
        rows = np.frombuffer(self._rows, dtype=np.int32).reshape(-1, 3).astype(np.int64)
        remap = np.arange(len(self._ids), dtype=np.int64)
        shorts = []
        for short, full in links:
            short_id, full_id = self._ids.get(_iri(short)), self._ids.get(_iri(full))
            if short_id is None or full_id is None:
                continue
            remap[short_id] = full_id
            shorts.append(short_id)
        label_id = self._ids.get(_iri(label), -1)
        dropped = np.isin(rows[:, 0], shorts) & (rows[:, 1] == label_id)
        rows = rows[~dropped]
        rows[:, 0], rows[:, 2] = remap[rows[:, 0]], remap[rows[:, 2]]
        self._rows = array("i", rows.astype(np.int32).tobytes())

    def write(self, out: Path | str, prefixes: dict[str, str]) -> int:
        """Write the triples (each once) as Turtle to `out`, in Oxigraph's order; return their number."""
        terms = [_as_stored(term) for term in _parse_terms(list(self._ids))]  # by id
        keys = _keys(terms)
        # a term written two ways (escaped or not) is one term: one key, one rank
        rank_of = {key: rank for rank, key in enumerate(sorted(set(keys)))}
        ranks = np.fromiter((rank_of[key] for key in keys), dtype=np.int64, count=len(keys))
        texts = [b""] * len(rank_of)  # by rank: each term as N-Triples, as the store holds it
        for term, rank in zip(terms, ranks.tolist()):
            texts[rank] = str(term).encode("utf-8")
        rows = _sorted_unique(ranks[np.frombuffer(self._rows, dtype=np.int32).reshape(-1, 3)], len(rank_of))
        # Oxigraph parses the sorted lines and writes them with its own Turtle serializer
        document = b"".join(texts[s] + b" " + texts[p] + b" " + texts[o] + b" .\n" for s, p, o in rows.tolist())
        ox.serialize(ox.parse(document, ox.RdfFormat.N_TRIPLES), str(out), ox.RdfFormat.TURTLE, prefixes=prefixes)
        return len(rows)


def _sorted_unique(rows: np.ndarray, terms: int) -> np.ndarray:
    """The rows (subject, predicate, object ranks) sorted, each once."""
    if terms >= 1 << 21:  # three ranks do not fit in one 64-bit number
        return np.unique(rows, axis=0)
    packed = np.unique((rows[:, 0] << 42) | (rows[:, 1] << 21) | rows[:, 2])
    mask = (1 << 21) - 1
    return np.stack([packed >> 42, (packed >> 21) & mask, packed & mask], axis=1)


def _iri(value: str) -> bytes:
    return b"<" + value.encode("utf-8") + b">"


def _parse_terms(texts: list[bytes]) -> list:
    """The N-Triples texts of terms as pyoxigraph terms: an IRI made directly, anything else parsed
    by Oxigraph (escapes and all)."""
    terms: list = [None] * len(texts)
    others = []
    for number, text in enumerate(texts):
        if text[:1] == b"<" and b"\\" not in text:
            terms[number] = ox.NamedNode(text[1:-1].decode("utf-8"))
        else:
            others.append(number)
    document = b"".join(_PLACEHOLDER + texts[number] + b" .\n" for number in others)
    try:
        parsed = [triple.object for triple in ox.parse(document, ox.RdfFormat.N_TRIPLES)]
    except (SyntaxError, ValueError) as exc:
        raise UnsupportedTerm(str(exc)) from None
    if len(parsed) != len(others):
        raise UnsupportedTerm("a term did not parse as one")
    for number, term in zip(others, parsed):
        terms[number] = term
    return terms


def _as_stored(term):
    """The term as the store gives it back: Oxigraph keeps a number by its value, so it writes
    "669000000.0"^^xsd:decimal as "669000000"^^xsd:decimal and "007"^^xsd:integer as 7."""
    if not isinstance(term, ox.Literal) or term.language:
        return term
    datatype = term.datatype.value
    if datatype == _XSD + "integer":
        return ox.Literal(str(int(term.value)), datatype=term.datatype)
    if datatype == _XSD + "decimal":
        value = Decimal(term.value)
        text = str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
        return ox.Literal(text, datatype=term.datatype)
    if datatype == _XSD + "date" and not _DATE.fullmatch(term.value) or datatype == _XSD + "gYear" and not _YEAR.fullmatch(term.value):
        raise UnsupportedTerm(f"no place in Oxigraph's order known for {term!r}")
    return term


def _keys(terms: list) -> list[bytes]:
    """Each term's key in Oxigraph's index: the bytes its store sorts by."""
    hashed: list[str] = []  # the literals' texts to hash
    layouts = [None if isinstance(term, ox.NamedNode) else _layout(term, hashed) for term in terms]
    texts = [term.value for term in terms if isinstance(term, ox.NamedNode)] + hashed
    digests = dict(zip(texts, siphash128_many([text.encode("utf-8") for text in texts])))
    return [b"\x01" + digests[term.value] if layout is None else
            b"".join(part if isinstance(part, bytes) else digests[part] for part in layout)
            for term, layout in zip(terms, layouts)]


def _layout(term, hashed: list[str]) -> tuple:
    """A term's key as bytes and texts whose hash goes in their place."""
    if not isinstance(term, ox.Literal):
        raise UnsupportedTerm(f"no place in Oxigraph's order known for {term!r}")
    value, datatype = term.value, term.datatype.value
    if term.language:
        value_small, language_small = _small(value), _small(term.language)
        kind = 20 + (0 if value_small else 2) + (0 if language_small else 1)
        return (bytes([kind]), _inline_or_hash(term.language, hashed), _inline_or_hash(value, hashed))
    if datatype == _XSD + "string":
        return (b"\x10", _inline(value)) if _small(value) else (b"\x11", _hashed(value, hashed))
    if datatype == _XSD + "integer":
        return (b"\x20", int(value).to_bytes(8, "big", signed=True))
    if datatype == _XSD + "decimal":
        return (b"\x21", int(Decimal(value).scaleb(18)).to_bytes(16, "big", signed=True))
    if datatype in (_XSD + "date", _XSD + "gYear"):  # YYYY-MM-DD or YYYY (_as_stored): in date order
        return (b"\x24" if datatype.endswith("date") else b"\x26", value.encode("ascii"))
    if datatype.startswith(_XSD):
        raise UnsupportedTerm(f"no place in Oxigraph's order known for {term!r}")
    kind = b"\x18" if _small(value) else b"\x19"
    return (kind, _hashed(datatype, hashed), _inline_or_hash(value, hashed))


def _small(text: str) -> bool:
    return len(text.encode("utf-8")) <= _SMALL


def _inline(text: str) -> bytes:
    data = text.encode("utf-8")
    return data.ljust(_SMALL, b"\0") + bytes([len(data)])


def _hashed(text: str, hashed: list[str]) -> str:
    hashed.append(text)
    return text


def _inline_or_hash(text: str, hashed: list[str]):
    return _inline(text) if _small(text) else _hashed(text, hashed)


def _rotl(x: np.ndarray, bits: int) -> np.ndarray:
    return (x << np.uint64(bits)) | (x >> np.uint64(64 - bits))


def _sip_round(v0, v1, v2, v3):
    v0 += v1; v1 = _rotl(v1, 13); v1 ^= v0; v0 = _rotl(v0, 32)  # noqa: E702 — the round as SipHash's paper writes it
    v2 += v3; v3 = _rotl(v3, 16); v3 ^= v2  # noqa: E702
    v0 += v3; v3 = _rotl(v3, 21); v3 ^= v0  # noqa: E702
    v2 += v1; v1 = _rotl(v1, 17); v1 ^= v2; v2 = _rotl(v2, 32)  # noqa: E702
    return v0, v1, v2, v3


def siphash128_many(messages: list[bytes]) -> list[bytes]:
    """SipHash-2-4 with 128-bit output and keys 0, 0 (Rust's `siphasher::sip128::SipHasher24::new()`,
    which Oxigraph hashes its strings with) of each message, as 16 big-endian bytes of the u128.

    All messages are hashed at once, word by word (numpy), the longest ones alone at the end.
    """
    if not messages:
        return []
    order = sorted(range(len(messages)), key=lambda i: -len(messages[i]))
    lengths = np.array([len(messages[i]) for i in order], dtype=np.int64)
    full = lengths // 8  # whole 8-byte words before the last one
    # each message padded with zeros to whole words and one more: its last word holds the rest
    padded = b"".join(messages[i].ljust((len(messages[i]) // 8 + 1) * 8, b"\0") for i in order)
    words = np.frombuffer(padded, dtype="<u8").astype(np.uint64)
    starts = np.concatenate(([0], np.cumsum(full + 1)[:-1]))
    n = len(order)
    with np.errstate(over="ignore"):
        v0 = np.full(n, 0x736F6D6570736575, dtype=np.uint64)
        v1 = np.full(n, 0x646F72616E646F6D ^ 0xEE, dtype=np.uint64)
        v2 = np.full(n, 0x6C7967656E657261, dtype=np.uint64)
        v3 = np.full(n, 0x7465646279746573, dtype=np.uint64)
        for j in range(int(full[0]) if n else 0):
            active = int(np.count_nonzero(full > j))  # the messages still this long (longest first)
            m = words[starts[:active] + j]
            a0, a1, a2, a3 = v0[:active], v1[:active], v2[:active], v3[:active] ^ m
            a0, a1, a2, a3 = _sip_round(a0, a1, a2, a3)
            a0, a1, a2, a3 = _sip_round(a0, a1, a2, a3)
            v0[:active], v1[:active], v2[:active], v3[:active] = a0 ^ m, a1, a2, a3
        last = words[starts + full] | ((lengths.astype(np.uint64) & np.uint64(0xFF)) << np.uint64(56))
        v3 ^= last
        v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
        v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
        v0 ^= last
        v2 ^= np.uint64(0xEE)
        for _ in range(4):
            v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
        low = v0 ^ v1 ^ v2 ^ v3
        v1 ^= np.uint64(0xDD)
        for _ in range(4):
            v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
        high = v0 ^ v1 ^ v2 ^ v3
    digests = np.stack([high, low], axis=1).astype(">u8").tobytes()
    out: list[bytes] = [b""] * n
    for position, i in enumerate(order):
        out[i] = digests[16 * position:16 * position + 16]
    return out


def _links(shards: list[Path]) -> list[tuple[str, str]]:
    """The short names kg.linking merges, found in the union of the shards (the build's store has merged them already)."""
    from kg import linking, store
    union = ox.Store()
    union.bulk_load(b"".join(store.as_triples(p.read_bytes()) for p in shards), ox.RdfFormat.N_TRIPLES)
    return linking.short_name_links(union)


def main() -> None:
    import sys
    import tempfile
    import time
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from kg import store
    from kg.builder import turtle_prefixes

    build = Path(sys.argv[1]) if len(sys.argv) > 1 else sys.exit(__doc__)
    shards = sorted((build / "shards").glob("*.nq"))
    writer = TurtleWriter()
    start = time.perf_counter()
    for shard in shards:
        writer.add(store.as_triples(shard.read_bytes()))
    read = time.perf_counter() - start
    writer.merge(_links(shards), _LABEL)
    with tempfile.TemporaryDirectory() as scratch:
        ordered, dumped = Path(scratch) / "ordered.ttl", Path(scratch) / "dumped.ttl"
        start = time.perf_counter()
        count = writer.write(ordered, turtle_prefixes())
        written = time.perf_counter() - start
        start = time.perf_counter()
        store.write_turtle(build / "store", dumped, turtle_prefixes())
        dump = time.perf_counter() - start
        same = ordered.read_bytes() == dumped.read_bytes() == (build / "graph.ttl").read_bytes()
    print(f"{len(shards)} shards, {count:,} triples: lines read {read:.2f} s, sorted and written {written:.2f} s; "
          f"the store's dump {dump:.2f} s; the same bytes as graph.ttl: {'yes' if same else 'NO'}")

if __name__ == "__main__":
    main()
