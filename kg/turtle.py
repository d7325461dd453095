"""graph.ttl assembled from the documents' own pieces, in the order Oxigraph's store writes it.

Reading a build's triples back out of the store to write graph.ttl was most of what came after the
last document (6.5 s of 7.4 s, 300 reports): Oxigraph looks each string up again in RocksDB.
The order it writes does not depend on the store, only on the triples. A term's key is its
binary encoding in the store (oxigraph/src/storage/binary_encoder.rs, 0.4-0.5):

- an IRI: type 1, then the SipHash-2-4-128 (keys 0, 0) of its text, big-endian (kg/_siphash.py);
- a string of at most 15 UTF-8 bytes: type 16, its bytes padded with zeros to 15, then its length;
  a longer one: type 17, then its hash; a language-tagged string: type 20-23 (value small or not,
  language small or not), then the language, then the value, each inline or hashed the same way;
- xsd:integer: type 32, the value as a big-endian 64-bit two's complement; xsd:decimal: type 33,
  the value times 10^18 in 128 bits; xsd:date and xsd:gYear (kg writes them as YYYY-MM-DD and
  YYYY): types 36 and 38, then the date's fields, which sort as the text does;
- another datatype: type 24 or 25, the datatype's hash, then the value inline or hashed.

The store writes a graph sorted by (subject, predicate, object) keys, one statement per subject:
`subject predicate object ;` then a tab before the next predicate, `,` between the objects of one
predicate, ` .` at the end. So each document's statements are written where it is extracted
(`document_part`, in the worker processes: a pure function of its triples), each term as Oxigraph's
own Turtle serializer writes it, and the build's process only merges them (`TurtleWriter`): it
sorts the subjects, writes each document's statements as they are, and writes again only the
subjects that several documents state something of, or that the build's linking changed.
A term whose key this module does not know (a blank node, another built-in datatype) makes the
part `unsupported`, and the build writes graph.ttl from the store as before; so does a build
whose parts would hold more memory than MEMORY_BUDGET. Tests compare both ways on real builds.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import chain, groupby, repeat
from operator import itemgetter
from pathlib import Path

import numpy as np
import pyoxigraph as ox

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_SMALL = 15  # the most UTF-8 bytes Oxigraph keeps inline in a key
_DATE, _YEAR = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), re.compile(r"[0-9]{4}")
_ESCAPED = re.compile(r"\\(.)")
_UNESCAPE = {"n": "\n", "r": "\r", '"': '"', "\\": "\\"}  # what kg.rdf.NTriplesTerms escapes
_RENDER = ox.NamedNode("urn:kg:render")
_CACHE_LIMIT = 400_000  # terms whose key and Turtle form a process remembers (predicates, classes, places recur)
# graph.ttl is assembled in memory while the parts hold less than this many characters (the
# 300-report benchmark: about 200 M); a bigger build writes it from the store, as before
MEMORY_BUDGET = 600_000_000


class UnsupportedTerm(ValueError):
    """A term whose place in Oxigraph's order this module does not know."""


@dataclass(frozen=True, slots=True)
class TurtlePart:
    """One document's triples, ready for graph.ttl: its statements as Oxigraph writes them, and
    what a merge with other documents' statements needs."""

    texts: tuple[str, ...] = ()  # the document's distinct terms, as N-Triples
    keys: tuple[bytes, ...] = ()  # each term's key in Oxigraph's order
    pieces: tuple[str, ...] = ()  # each term as Oxigraph's Turtle writes it (as a subject or object)
    rows: bytes = b""  # (subject, predicate, object) numbers into `texts`, int32, sorted by keys
    statements: tuple[str, ...] = ()  # one for each subject, in order
    unsupported: str = ""  # why the document's terms could not be keyed

    def size(self) -> int:
        """About how many characters the part holds."""
        return sum(map(len, self.texts)) + sum(map(len, self.statements)) * 2 + 30 * len(self.texts)

    def table(self) -> np.ndarray:
        return np.frombuffer(self.rows, dtype=np.int32).reshape(-1, 3)


def document_part(triples: Iterable[tuple[str, str, str]], prefixes: dict[str, str]) -> TurtlePart:
    """A document's triples (N-Triples texts, as kg.rdf.NTRIPLES writes them) ready for graph.ttl."""
    triples = list(triples)
    texts = tuple(dict.fromkeys(chain.from_iterable(triples)))
    number = {text: n for n, text in enumerate(texts)}
    try:
        infos = _terms(texts, prefixes)
    except ValueError as exc:  # UnsupportedTerm, or a term pyoxigraph itself refuses (kg's loads are lenient)
        return TurtlePart(unsupported=str(exc) or type(exc).__name__)
    keys = tuple(info[0] for info in infos)
    rank = np.empty(len(keys), dtype=np.int64)
    rank[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
    table = np.fromiter(map(number.__getitem__, chain.from_iterable(triples)), dtype=np.int32, count=3 * len(triples)).reshape(-1, 3)
    ranked = rank[table]
    table = table[np.lexsort((ranked[:, 2], ranked[:, 1], ranked[:, 0]))]
    pieces = tuple(info[1] for info in infos)
    verbs = [info[2] for info in infos]
    subjects, predicates, objects = table[:, 0].tolist(), table[:, 1].tolist(), table[:, 2].tolist()
    new_subject = np.concatenate(([True], table[1:, 0] != table[:-1, 0])) if len(table) else np.zeros(0, dtype=bool)
    new_predicate = new_subject | np.concatenate(([True], table[1:, 1] != table[:-1, 1])) if len(table) else new_subject
    ends = np.flatnonzero(np.concatenate((new_subject[1:], [True]))).tolist() if len(table) else []
    # each triple as the statement writes it: the subject and its first predicate, a next
    # predicate, or one more object of the same predicate
    words = [pieces[s] + " " + verbs[p] + " " + pieces[o] if first
             else (" ;\n\t" + verbs[p] + " " + pieces[o] if next_predicate else " , " + pieces[o])
             for s, p, o, first, next_predicate in zip(subjects, predicates, objects, new_subject.tolist(), new_predicate.tolist())]
    statements, start = [], 0
    for end in ends:
        statements.append("".join(words[start:end + 1]) + " .\n")
        start = end + 1
    return TurtlePart(texts, keys, pieces, table.tobytes(), tuple(statements))


def _statement(subject: str, pairs: list[tuple[str, str, object]]) -> str:
    """One subject's statement: (verb, object, predicate identity) pairs in order."""
    parts = [subject]
    last = None
    for verb, obj, predicate in pairs:
        if predicate != last:
            parts += (" ;\n\t" if last is not None else " ", verb, " ", obj)
        else:
            parts += (" , ", obj)
        last = predicate
    parts.append(" .\n")
    return "".join(parts)


class TurtleWriter:
    """Gathers the documents' parts (`add`) and writes graph.ttl from them (`write`), with the
    build's links (kg.linking) applied as the store applies them."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes
        self._parts: list[TurtlePart] = []
        self._size = 0
        self.unsupported = ""  # why graph.ttl cannot be written from the parts, once it cannot

    @property
    def usable(self) -> bool:
        return not self.unsupported

    def add(self, part: TurtlePart | None) -> None:
        if not self.usable:
            return
        if part is None or part.unsupported:
            self.give_up(part.unsupported if part is not None else "a document came without its part")
            return
        self._size += part.size()
        if self._size > MEMORY_BUDGET:
            self.give_up(f"the parts would hold more than {MEMORY_BUDGET:,} characters")
            return
        self._parts.append(part)

    def give_up(self, reason: str) -> None:
        """graph.ttl will be written from the store: `reason` says why."""
        if self.usable:
            self.unsupported = reason
        self._parts = []

    def write(self, out: Path | str, links: Iterable[tuple[str, str]] = (), label: str = "") -> None:
        """Write graph.ttl to `out`: each (short, full) IRI pair of `links` merged as kg.linking does
        it (the short node loses its `label` triples; its other triples, and every triple naming
        it, become the full node's)."""
        if not self.usable:
            raise UnsupportedTerm(self.unsupported)
        links = dict(links)
        full_of = {f"<{short}>": f"<{full}>" for short, full in links.items()}
        label = f"<{label}>"
        header, _ = _rendered(["<urn:kg:render>"], self.prefixes)
        with open(out, "w", encoding="utf-8", newline="\n") as sink:
            batch: list[str] = []
            for statement in self._statements(full_of, label):
                if not batch and sink.tell() == 0:
                    batch.append(header)  # an empty graph is an empty file, as Oxigraph writes it
                batch.append(statement)
                if len(batch) >= 4096:
                    sink.write("".join(batch))
                    batch = []
            sink.write("".join(batch))

    def _statements(self, full_of: dict[str, str], label: str) -> Iterator[str]:
        """Every subject's statement, in the order of the subjects' keys."""
        runs = []  # (subject key, document, statement number, first row, end row)
        touched: set[tuple[int, int]] = set()  # (document, statement number) that a link changes
        for doc, part in enumerate(self._parts):
            table = part.table()
            starts = np.flatnonzero(np.concatenate(([True], table[1:, 0] != table[:-1, 0]))) if len(table) else np.zeros(0, dtype=np.int64)
            ends = np.append(starts[1:], len(table))
            keys = [part.keys[subject] for subject in table[starts, 0].tolist()]
            shorts = [n for n, text in enumerate(part.texts) if text in full_of] if full_of else []
            if shorts:
                runs_of_rows = np.repeat(np.arange(len(starts)), ends - starts)
                named = np.isin(table[:, 2], shorts) | np.isin(table[:, 0], shorts)
                touched.update((doc, number) for number in np.unique(runs_of_rows[named]).tolist())
                for number, subject in enumerate(table[starts, 0].tolist()):
                    if part.texts[subject] in full_of:  # its triples join the full node's statement
                        keys[number] = self._info(full_of[part.texts[subject]])[0]
            runs.extend(zip(keys, repeat(doc), range(len(keys)), starts.tolist(), ends.tolist()))
        runs.sort()
        for _, group in groupby(runs, key=itemgetter(0)):
            group = list(group)
            _, doc, number, _, _ = group[0]
            if len(group) == 1 and (doc, number) not in touched:
                yield self._parts[doc].statements[number]
            else:
                yield self._merged(group, full_of, label)

    def _merged(self, group, full_of: dict[str, str], label: str) -> str:
        """One subject's statement from several documents' triples, or changed by a link."""
        triples = {}
        subject_piece = ""
        for _, doc, _, start, end in group:
            part = self._parts[doc]
            texts, keys, pieces = part.texts, part.keys, part.pieces
            for s, p, o in part.table()[start:end].tolist():
                if texts[s] in full_of:
                    if texts[p] == label:
                        continue
                    subject_piece = subject_piece or self._info(full_of[texts[s]])[1]
                else:
                    subject_piece = pieces[s]
                o_key, o_piece = self._info(full_of[texts[o]])[:2] if texts[o] in full_of else (keys[o], pieces[o])
                triples[(keys[p], o_key)] = ("a" if texts[p] == _RDF_TYPE else pieces[p], o_piece, keys[p])
        return _statement(subject_piece, [triples[key] for key in sorted(triples)])

    def _key_of(self, text: str) -> bytes:
        return self._info(text)[0]

    def _info(self, text: str) -> tuple[bytes, str, str]:
        return _terms((text,), self.prefixes)[0]


_caches: dict[tuple, dict[str, tuple[bytes, str, str]]] = {}  # by the prefixes' items


def _terms(texts: tuple[str, ...] | list[str], prefixes: dict[str, str]) -> list[tuple[bytes, str, str]]:
    """(key, Turtle form, Turtle form as a predicate) of each N-Triples term; remembered in the process."""
    cache = _caches.setdefault(tuple(prefixes.items()), {})
    new = [text for text in dict.fromkeys(texts) if text not in cache]
    if new:
        if len(cache) + len(new) > _CACHE_LIMIT:
            cache.clear()
        namespaces = tuple(prefixes.values())
        hashed: list[str] = []
        plain = {text: _plain_layout(text, namespaces, hashed) for text in new}
        others = [text for text, layout in plain.items() if layout is None]
        terms = [_stored(text) for text in others]
        layouts = [_layout(term, hashed) for term in terms]
        _, pieces = _rendered(terms, prefixes)
        digests = dict(zip(hashed, _siphash([text.encode("utf-8") for text in hashed])))
        for text, layout, piece in zip(others, layouts, pieces):
            plain[text] = (layout, piece)
        for text in new:
            layout, piece = plain[text]
            if len(layout) == 2 and isinstance(layout[1], str):  # an IRI, or a long string: its type and hash
                key = layout[0] + digests[layout[1]]
            else:
                key = b"".join(part if isinstance(part, bytes) else digests[part] for part in layout)
            cache[text] = (key, piece, "a" if text == _RDF_TYPE else piece)
    return [cache[text] for text in texts]


_UNUSUAL = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")  # escapes and control characters: Oxigraph's serializer writes those


def _plain_layout(text: str, namespaces: tuple[str, ...], hashed: list[str]) -> tuple[tuple, str] | None:
    """The key layout and Turtle form of the common terms, read off their N-Triples text: an IRI
    outside the prefixes' namespaces (written as it is), a string with or without a language
    (written as it is when it holds no escape), a non-negative xsd:integer (written bare).
    None for anything else, which Oxigraph's serializer writes (_rendered)."""
    if text.startswith("<"):
        iri = text[1:-1]
        if iri.startswith(namespaces):
            return None
        hashed.append(iri)
        return (b"\x01", iri), text
    end = text.rfind('"')
    if not text.startswith('"') or end < 1:
        return None
    value, suffix = text[1:end], text[end + 1:]
    if _UNUSUAL.search(value):
        return None
    if not suffix:
        return ((b"\x10", _inline(value)) if _small(value) else (b"\x11", _hashed(value, hashed))), text
    if suffix.startswith("@"):
        language = suffix[1:]
        kind = 20 + (0 if _small(value) else 2) + (0 if _small(language) else 1)
        return (bytes([kind]), _inline_or_hashed(language, hashed), _inline_or_hashed(value, hashed)), text
    if suffix == f"^^<{_XSD}integer>" and value.isascii() and value.isdigit() and int(value) < 1 << 63:
        return (b"\x20", int(value).to_bytes(8, "big", signed=True)), str(int(value))
    return None


def _stored(text: str):
    """An N-Triples term, as kg writes them, as the pyoxigraph term the store gives back: Oxigraph
    keeps a number by its value, so "669000000.0"^^xsd:decimal comes back as 669000000."""
    if text.startswith("<") and text.endswith(">"):
        return ox.NamedNode(text[1:-1])
    if not text.startswith('"'):
        raise UnsupportedTerm(f"no place in Oxigraph's order known for {text!r}")
    end = text.rindex('"')
    value, suffix = text[1:end], text[end + 1:]
    if "\\" in value:
        value = _ESCAPED.sub(lambda m: _UNESCAPE.get(m.group(1), m.group(0)), value)
    if not suffix:
        return ox.Literal(value)
    if suffix.startswith("@"):
        return ox.Literal(value, language=suffix[1:])
    datatype = suffix[3:-1]
    try:
        if datatype == _XSD + "integer":
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(datatype))
        if datatype == _XSD + "decimal":
            number = Decimal(value)
            canonical = str(int(number)) if number == number.to_integral_value() else format(number.normalize(), "f")
            return ox.Literal(canonical, datatype=ox.NamedNode(datatype))
    except (ValueError, InvalidOperation):
        raise UnsupportedTerm(f"no place in Oxigraph's order known for {text!r}") from None
    if datatype == _XSD + "date" and not _DATE.fullmatch(value) or datatype == _XSD + "gYear" and not _YEAR.fullmatch(value):
        raise UnsupportedTerm(f"no place in Oxigraph's order known for {text!r}")
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def _layout(term, hashed: list[str]) -> tuple:
    """A term's key as bytes, and texts whose hash goes in their place."""
    if isinstance(term, ox.NamedNode):
        hashed.append(term.value)
        return (b"\x01", term.value)
    value, datatype = term.value, term.datatype.value
    if term.language:
        kind = 20 + (0 if _small(value) else 2) + (0 if _small(term.language) else 1)
        return (bytes([kind]), _inline_or_hashed(term.language, hashed), _inline_or_hashed(value, hashed))
    if datatype == _XSD + "string":
        return (b"\x10", _inline(value)) if _small(value) else (b"\x11", _hashed(value, hashed))
    if datatype == _XSD + "integer":
        number = int(value)
        if not -(1 << 63) <= number < 1 << 63:
            raise UnsupportedTerm(f"no place in Oxigraph's order known for {term!r}")
        return (b"\x20", number.to_bytes(8, "big", signed=True))
    if datatype == _XSD + "decimal":
        scaled = Decimal(value).scaleb(18)
        if scaled != scaled.to_integral_value() or not -(1 << 127) <= int(scaled) < 1 << 127:
            raise UnsupportedTerm(f"no place in Oxigraph's order known for {term!r}")
        return (b"\x21", int(scaled).to_bytes(16, "big", signed=True))
    if datatype == _XSD + "date":
        return (b"\x24", value.encode("ascii"))
    if datatype == _XSD + "gYear":
        return (b"\x26", value.encode("ascii"))
    if datatype.startswith(_XSD) or datatype.startswith("http://www.w3.org/1999/02/22-rdf-syntax-ns#"):
        raise UnsupportedTerm(f"no place in Oxigraph's order known for {term!r}")
    hashed.append(datatype)
    return (b"\x18" if _small(value) else b"\x19", datatype, _inline_or_hashed(value, hashed))


def _small(text: str) -> bool:
    return len(text.encode("utf-8")) <= _SMALL


def _inline(text: str) -> bytes:
    data = text.encode("utf-8")
    return data.ljust(_SMALL, b"\0") + bytes([len(data)])


def _hashed(text: str, hashed: list[str]) -> str:
    hashed.append(text)
    return text


def _inline_or_hashed(text: str, hashed: list[str]):
    return _inline(text) if _small(text) else _hashed(text, hashed)


def _siphash(messages: list[bytes]) -> list[bytes]:
    if not messages:
        return []
    from ._siphash import siphash128  # numba: loaded when the first part is made
    lengths = np.fromiter(map(len, messages), dtype=np.int64, count=len(messages))
    ends = np.cumsum(lengths)
    digests = siphash128(np.frombuffer(b"".join(messages), dtype=np.uint8), ends - lengths, ends).tobytes()
    return [digests[16 * i:16 * i + 16] for i in range(len(messages))]


def _rendered(terms: list, prefixes: dict[str, str]) -> tuple[str, list[str]]:
    """The header Oxigraph's Turtle serializer writes with these prefixes, and each term as it
    writes an object: each is written once, as the object of a statement of its own, and cut out."""
    terms = [ox.NamedNode(t[1:-1]) if isinstance(t, str) else t for t in terms]
    written = ox.serialize([ox.Triple(ox.NamedNode(f"urn:kg:render:{n}"), _RENDER, term) for n, term in enumerate(terms)],
                           format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")
    start = written.find("<urn:kg:render:0> ")
    header, pieces = written[:start], []
    for n in range(len(terms)):
        begin = start + len(f"<urn:kg:render:{n}> <urn:kg:render> ")
        start = written.find(f" .\n<urn:kg:render:{n + 1}> ", begin) if n + 1 < len(terms) else len(written) - len(" .\n")
        pieces.append(written[begin:start])
        start += len(" .\n")
    return header, pieces
