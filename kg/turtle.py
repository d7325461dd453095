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

import contextlib
import mmap
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
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
    what a merge with other documents' statements needs. A few flat byte strings: cheap to send
    from a worker, to keep, and to write to a spill file."""

    keys: bytes = b""  # each distinct term's key in Oxigraph's order, one after another
    key_ends: bytes = b""  # int32: where each key ends in `keys`
    pieces: bytes = b""  # each term as Oxigraph's Turtle writes it (as a subject or object), UTF-8, a newline after each
    rows: bytes = b""  # int32 (subject, predicate, object) term numbers, sorted by their keys
    statements: bytes = b""  # each subject's statement, UTF-8, in order
    statement_ends: bytes = b""  # int64: where each statement ends in `statements`
    unsupported: str = ""  # why the document's terms could not be keyed

    def size(self) -> int:
        """The bytes the part holds."""
        return sum(len(field) for field in (self.keys, self.key_ends, self.pieces, self.rows, self.statements, self.statement_ends))

    def table(self) -> np.ndarray:
        return np.frombuffer(self.rows, dtype=np.int32).reshape(-1, 3)

    def key_list(self) -> list[bytes]:
        ends = np.frombuffer(self.key_ends, dtype=np.int32).tolist()
        keys = self.keys
        return [keys[start:end] for start, end in zip([0, *ends[:-1]], ends)]

    def statement_ends_list(self) -> list[int]:
        return [0, *np.frombuffer(self.statement_ends, dtype=np.int64).tolist()]


def document_part(triples: Iterable[tuple[str, str, str]], prefixes: dict[str, str]) -> TurtlePart:
    """A document's triples (N-Triples texts, as kg.rdf.NTRIPLES writes them) ready for graph.ttl."""
    triples = list(triples)
    texts = tuple(dict.fromkeys(chain.from_iterable(triples)))
    number = {text: n for n, text in enumerate(texts)}
    try:
        infos = _terms(texts, prefixes)
    except ValueError as exc:  # UnsupportedTerm, or a term pyoxigraph itself refuses (kg's loads are lenient)
        return TurtlePart(unsupported=str(exc) or type(exc).__name__)
    keys = [info[0] for info in infos]
    rank = np.empty(len(keys), dtype=np.int64)
    rank[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
    table = np.fromiter(map(number.__getitem__, chain.from_iterable(triples)), dtype=np.int32, count=3 * len(triples)).reshape(-1, 3)
    ranked = rank[table]
    table = table[np.lexsort((ranked[:, 2], ranked[:, 1], ranked[:, 0]))]
    pieces = [info[1] for info in infos]
    if any("\n" in piece for piece in pieces):  # Oxigraph escapes newlines: never seen, but the pieces are newline-separated
        return TurtlePart(unsupported="a term written with a line break")
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
        statements.append(("".join(words[start:end + 1]) + " .\n").encode("utf-8"))
        start = end + 1
    return TurtlePart(
        keys=b"".join(keys), key_ends=np.cumsum(np.fromiter(map(len, keys), dtype=np.int32, count=len(keys)), dtype=np.int32).tobytes(),
        pieces=("\n".join(pieces) + "\n").encode("utf-8"), rows=table.tobytes(),
        statements=b"".join(statements),
        statement_ends=np.cumsum(np.fromiter(map(len, statements), dtype=np.int64, count=len(statements)), dtype=np.int64).tobytes())


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
    build's links (kg.linking) applied as the store applies them.

    With `spill` (a file path; the caller removes it), a part's statements and its terms' Turtle
    forms wait in that file, and memory keeps only its keys and rows (a tenth of it): graph.ttl
    copies most statements from the file as they are, and reads back only the documents whose
    statements it must write again.
    """

    def __init__(self, prefixes: dict[str, str], spill: Path | str | None = None) -> None:
        self.prefixes = prefixes
        self._parts: list[TurtlePart] = []
        self._spill_path = Path(spill) if spill is not None else None
        self._spill = None  # the open spill file, once a part came
        self._offsets: list[tuple[int, int, int]] = []  # by document: where its statements, then its pieces, start in the spill file, and end
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
        if self._spill_path is not None:
            part = self._spilled(part)
        self._size += part.size()
        if self._size > MEMORY_BUDGET:
            self.give_up(f"the parts would hold more than {MEMORY_BUDGET:,} bytes")
            return
        self._parts.append(part)

    def _spilled(self, part: TurtlePart) -> TurtlePart:
        if self._spill is None:
            self._spill = open(self._spill_path, "wb")  # noqa: SIM115 — open across add() calls; closed by write() or give_up()
        start = self._spill.tell()
        self._spill.write(part.statements)
        self._spill.write(part.pieces)
        self._offsets.append((start, start + len(part.statements), start + len(part.statements) + len(part.pieces)))
        return replace(part, statements=b"", pieces=b"")

    def give_up(self, reason: str) -> None:
        """graph.ttl will be written from the store: `reason` says why."""
        if self.usable:
            self.unsupported = reason
        self._parts, self._offsets = [], []
        self._close_spill()

    def _close_spill(self) -> None:
        if self._spill is not None:
            self._spill.close()
            self._spill = None

    def write(self, out: Path | str, links: Iterable[tuple[str, str]] = (), label: str = "") -> None:
        """Write graph.ttl to `out`: each (short, full) IRI pair of `links` merged as kg.linking does
        it (the short node loses its `label` triples; its other triples, and every triple naming
        it, become the full node's)."""
        if not self.usable:
            raise UnsupportedTerm(self.unsupported)
        full_of = {self._info(f"<{short}>")[0]: self._info(f"<{full}>")[:2] for short, full in links}
        header, _ = _rendered(["<urn:kg:render>"], self.prefixes)
        self._close_spill()
        with contextlib.ExitStack() as stack:
            self._spilled_bytes = b""
            if self._offsets and self._offsets[-1][2] > 0:
                spill = stack.enter_context(open(self._spill_path, "rb"))
                self._spilled_bytes = stack.enter_context(mmap.mmap(spill.fileno(), 0, access=mmap.ACCESS_READ))
            term_keys = [part.key_list() for part in self._parts]
            plan = self._plan(full_of, term_keys)
            triples = self._merge_triples(plan, full_of, self._info(f"<{label}>")[0], term_keys)
            sink = stack.enter_context(open(out, "wb"))
            batch: list[bytes] = []
            for step in plan:
                if not batch and sink.tell() == 0:
                    batch.append(header.encode("utf-8"))  # an empty graph is an empty file, as Oxigraph writes it
                if isinstance(step, tuple):
                    batch.append(self._statement_bytes(*step))
                else:
                    batch.append(_merged_statement([t for run in step for t in triples[run[1], run[2]]]).encode("utf-8"))
                if len(batch) >= 4096:
                    sink.write(b"".join(batch))
                    batch = []
            sink.write(b"".join(batch))
            self._spilled_bytes = b""

    def _plan(self, full_of: dict[bytes, tuple[bytes, str]], term_keys: list[list[bytes]]) -> list:
        """The subjects in the order of their keys: (document, first byte, end byte) of a statement
        written as it came; the list of runs (key, document, statement number, first row, end row,
        first byte, end byte) of a statement written again (stated by several documents, or
        changed by a link)."""
        runs = []
        touched: set[tuple[int, int]] = set()  # (document, statement number) that a link changes
        for doc, part in enumerate(self._parts):
            table = part.table()
            starts = np.flatnonzero(np.concatenate(([True], table[1:, 0] != table[:-1, 0]))) if len(table) else np.zeros(0, dtype=np.int64)
            ends = np.append(starts[1:], len(table))
            keys = [term_keys[doc][subject] for subject in table[starts, 0].tolist()]
            shorts = [n for n, key in enumerate(term_keys[doc]) if key in full_of] if full_of else []
            if shorts:
                run_of_row = np.repeat(np.arange(len(starts)), ends - starts)
                touched.update((doc, number) for number in np.unique(run_of_row[np.isin(table[:, 2], shorts) | np.isin(table[:, 0], shorts)]).tolist())
                keys = [full_of[key][0] if key in full_of else key for key in keys]  # a short node's triples join the full node's
            text_ends = part.statement_ends_list()
            runs.extend(zip(keys, repeat(doc), range(len(keys)), starts.tolist(), ends.tolist(), text_ends[:-1], text_ends[1:]))
        runs.sort()
        plan = []
        for _, group in groupby(runs, key=itemgetter(0)):
            group = list(group)
            _, doc, number, _, _, text_start, text_end = group[0]
            plan.append((doc, text_start, text_end) if len(group) == 1 and (doc, number) not in touched else group)
        return plan

    def _merge_triples(self, plan: list, full_of: dict[bytes, tuple[bytes, str]], label: bytes,
                       term_keys: list[list[bytes]]) -> dict[tuple[int, int], list]:
        """For each (document, statement number) written again: its triples as (predicate key,
        object key, subject, verb, object) in Turtle, links applied; each document read back once."""
        wanted: dict[int, list[tuple[int, int, int]]] = {}
        for step in plan:
            if not isinstance(step, tuple):
                for _, doc, number, start, end, _, _ in step:
                    wanted.setdefault(doc, []).append((number, start, end))
        rdf_type = self._info(_RDF_TYPE)[0]
        triples = {}
        for doc in sorted(wanted):
            part, pieces = self._parts[doc], self._pieces(doc)
            keys, table = term_keys[doc], part.table()
            for number, start, end in wanted[doc]:
                found = []
                for s, p, o in table[start:end].tolist():
                    subject = pieces[s]
                    if keys[s] in full_of:
                        if keys[p] == label:
                            continue
                        subject = full_of[keys[s]][1]
                    o_key, o_piece = full_of[keys[o]] if keys[o] in full_of else (keys[o], pieces[o])
                    found.append((keys[p], o_key, subject, "a" if keys[p] == rdf_type else pieces[p], o_piece))
                triples[doc, number] = found
        return triples

    def _pieces(self, doc: int) -> list[str]:
        if self._offsets:
            _, start, end = self._offsets[doc]
            data = self._spilled_bytes[start:end]
        else:
            data = self._parts[doc].pieces
        return data.decode("utf-8").split("\n")[:-1]

    def _statement_bytes(self, doc: int, start: int, end: int) -> bytes:
        if self._offsets:
            at = self._offsets[doc][0]
            return self._spilled_bytes[at + start:at + end]
        return self._parts[doc].statements[start:end]

    def _info(self, text: str) -> tuple[bytes, str, str]:
        return _terms((text,), self.prefixes)[0]


def _merged_statement(triples: list[tuple[bytes, bytes, str, str, str]]) -> str:
    """One subject's statement from its (predicate key, object key, subject, verb, object) triples,
    each once, in the keys' order."""
    unique = {(p_key, o_key): (verb, obj, p_key) for p_key, o_key, _, verb, obj in triples}
    return _statement(triples[0][2], [unique[key] for key in sorted(unique)])


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
