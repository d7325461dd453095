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
keeps each document's keys and rows (the statements wait in a spill file), sorts the subjects,
copies each document's statements as they are, and writes again only the subjects that several
documents state something of, or that the build's linking changed.
A term whose key this module does not know (a blank node, another built-in datatype) makes the
part `unsupported`, and the build writes graph.ttl from the store as before; so does a build
whose parts would hold more memory than MEMORY_BUDGET. Tests compare both ways on real builds.
"""
from __future__ import annotations

import contextlib
import mmap
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from itertools import chain, groupby
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
# terms whose key and Turtle form a process remembers: predicates, classes, places and programs
# recur across documents (a third of a document's terms), sentences and statements do not
_CACHE_LIMIT = 50_000
# a writer without a spill file keeps the parts while they hold less than this many bytes (about
# 2,000 reports), then writes graph.ttl from the store, as before; with one (a build), it keeps where
# each statement ends, about 5 KB a report
MEMORY_BUDGET = 512 * 2**20
# the rows of statements written again (subjects several documents state) held at once while
# graph.ttl is written: about 250 MB; the whole corpus has two and a half times as many, 300 reports a sixth
MERGE_ROWS = 1_000_000


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
    statements, start = [], 0
    for end in np.flatnonzero(np.concatenate((table[1:, 0] != table[:-1, 0], [True]))).tolist() if len(table) else ():
        pairs = [(verbs[p], pieces[o], p) for p, o in zip(predicates[start:end + 1], objects[start:end + 1])]
        statements.append(_statement(pieces[subjects[start]], pairs).encode("utf-8"))
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

    With `spill` (a file path; the caller removes it), the parts wait in that file and memory keeps
    only where (a whole corpus's keys and rows held 240 MB): graph.ttl copies most statements from
    the file as they are, and reads back the rest of a document when its statements are written again.
    """

    def __init__(self, prefixes: dict[str, str], spill: Path | str | None = None) -> None:
        self.prefixes = prefixes
        self._parts: list[TurtlePart] = []
        self._spill_path = Path(spill) if spill is not None else None
        self._spill = None  # the open spill file, once a part came
        self._offsets: list[dict[str, tuple[int, int]]] = []  # by document: where each spilled field of its part lies in the file
        self._size = 0
        self._spilled_bytes: bytes | mmap.mmap = b""  # the spill file, mapped while write() runs
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
        where = {}
        for name in _SPILLED:
            data = getattr(part, name)
            start = self._spill.tell()
            self._spill.write(data)
            where[name] = (start, start + len(data))
        self._offsets.append(where)
        return replace(part, **{name: b"" for name in _SPILLED})

    def _field(self, doc: int, name: str) -> bytes:
        """A field of a document's part, from memory or from the spill file."""
        if not self._offsets:
            return getattr(self._parts[doc], name)
        start, end = self._offsets[doc][name]
        return self._spilled_bytes[start:end]

    def _release(self) -> None:
        """Drop the spill file's pages from this process (the system's cache keeps them): read at
        random, they would otherwise all count as the build's memory."""
        if isinstance(self._spilled_bytes, mmap.mmap):
            self._spilled_bytes.madvise(mmap.MADV_DONTNEED)

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

    def write(self, out: Path | str, links: Iterable[tuple[str, str]] = (), label: str = "",
              counted: Mapping[str, tuple[str, str | None]] | None = None) -> Counter:
        """Write graph.ttl to `out`: each (short, full) IRI pair of `links` merged as kg.linking does
        it (the short node loses its `label` triples; its other triples, and every triple naming
        it, become the full node's). The subjects are sorted as arrays, not as Python objects: a
        build of the whole corpus has two million of them.

        Returns the triples written ("triples") and, for each name of `counted`, those of its
        (predicate, object or None for any) pattern, N-Triples texts: what a store of the same
        graph would count, for a build that loads none."""
        if not self.usable:
            raise UnsupportedTerm(self.unsupported)
        full_of = {self._info(f"<{short}>")[0]: self._info(f"<{full}>")[:2] for short, full in links}
        patterns = [(name, self._info(predicate)[0], self._info(obj)[0] if obj else None)
                    for name, (predicate, obj) in (counted or {}).items()]
        totals: Counter = Counter()
        header, _ = _rendered(["<urn:kg:render>"], self.prefixes)
        self._close_spill()
        with contextlib.ExitStack() as stack:
            self._spilled_bytes = b""
            if self._offsets and max(end for where in self._offsets for _, end in where.values()) > 0:
                spill = stack.enter_context(open(self._spill_path, "rb"))
                self._spilled_bytes = stack.enter_context(mmap.mmap(spill.fileno(), 0, access=mmap.ACCESS_READ))
            runs, matched = self._runs(full_of, patterns)
            runs = runs[np.lexsort((runs["number"], runs["doc"], runs["low"], runs["high"]))]
            new_key = np.ones(len(runs), dtype=bool)
            new_key[1:] = (runs["high"][1:] != runs["high"][:-1]) | (runs["low"][1:] != runs["low"][:-1])
            group = np.cumsum(new_key) - 1
            again = (np.bincount(group)[group] > 1) | runs["touched"]  # runs of a subject written again (several documents, or a link)
            # every run's rows; _merged takes those of the runs written again out, and their merged triples in
            totals["triples"] = int((runs["end"] - runs["first"])[~again].sum())
            totals.update(matched)
            sink = stack.enter_context(open(out, "wb"))
            if len(runs):
                sink.write(header.encode("utf-8"))  # an empty graph is an empty file, as Oxigraph writes it
            label_key = self._info(f"<{label}>")[0]
            for begin, end in _passes(new_key, np.where(again, runs["end"] - runs["first"], 0)):
                # the statements written again of this stretch of keys, then the stretch: the merges'
                # triples are held for one stretch at a time (a tenth of the whole corpus's at most)
                statements = self._merged(runs[begin:end][again[begin:end]], group[begin:end][again[begin:end]], full_of, label_key,
                                          patterns, totals)
                for start in range(begin, end, 4096):
                    batch = []
                    chunk = slice(start, min(start + 4096, end))
                    for doc, text_start, text_end, written_again, first, number in zip(
                            runs["doc"][chunk].tolist(), runs["text_start"][chunk].tolist(), runs["text_end"][chunk].tolist(),
                            again[chunk].tolist(), new_key[chunk].tolist(), group[chunk].tolist()):
                        if not written_again:
                            batch.append(self._statement_bytes(doc, text_start, text_end))
                        elif first:
                            batch.append(statements.pop(number))
                    sink.write(b"".join(batch))
                    if start // 4096 % 64 == 63:
                        self._release()
                self._release()
            self._spilled_bytes = b""
        return totals

    _RUN = np.dtype([("high", ">u8"), ("low", ">u8"), ("doc", np.int32), ("number", np.int32), ("first", np.int32),
                     ("end", np.int32), ("text_start", np.int64), ("text_end", np.int64), ("touched", bool)])

    def _runs(self, full_of: dict[bytes, tuple[bytes, str]], patterns: list[tuple] = ()) -> tuple[np.ndarray, Counter]:
        """Each document's subjects (runs of its rows): the key's hash, the document, the statement
        number, its rows and bytes, and whether a link changes it; and the rows of all documents
        that each of `patterns` (name, predicate key, object key or None) matches."""
        every, matched = [], Counter()
        for doc in range(len(self._parts)):
            table = _table(self._field(doc, "rows"))
            starts = np.flatnonzero(np.concatenate(([True], table[1:, 0] != table[:-1, 0]))) if len(table) else np.zeros(0, dtype=np.int64)
            runs = np.zeros(len(starts), dtype=self._RUN)
            subjects = table[starts, 0]
            key_ends = np.frombuffer(self._field(doc, "key_ends"), dtype=np.int32)
            key_starts = np.concatenate(([0], key_ends[:-1]))[subjects]
            key_bytes = self._field(doc, "keys")
            keys = np.frombuffer(key_bytes, dtype=np.uint8)
            if len(subjects) and (np.any(key_ends[subjects] - key_starts != 17) or np.any(keys[key_starts] != 1)):
                raise UnsupportedTerm("a subject that is not an IRI")  # kg writes none; the build writes graph.ttl from the store
            hashes = keys[key_starts[:, None] + np.arange(1, 17)].copy().view(">u8").reshape(-1, 2)
            runs["high"], runs["low"] = hashes[:, 0], hashes[:, 1]
            runs["doc"], runs["number"] = doc, np.arange(len(starts))
            runs["first"], runs["end"] = starts, np.append(starts[1:], len(table))
            text_ends = np.frombuffer(self._parts[doc].statement_ends, dtype=np.int64)
            runs["text_start"], runs["text_end"] = np.concatenate(([0], text_ends[:-1])), text_ends
            if full_of and any(short in key_bytes for short in full_of):
                _mark_links(table, _key_list(key_bytes, key_ends), runs, full_of)
            every.append(runs)
            if patterns:
                matched.update(_matches(table, _key_list(key_bytes, key_ends), patterns))
        self._release()
        return (np.concatenate(every) if every else np.zeros(0, dtype=self._RUN)), matched

    def _merged(self, runs: np.ndarray, groups: np.ndarray, full_of: dict[bytes, tuple[bytes, str]], label: bytes,
                patterns: list[tuple] = (), totals: Counter | None = None) -> dict[int, bytes]:
        """The statements written again, by group: the triples of their runs, each once and in the
        keys' order, links applied; each document's terms read back once. A triple is held as its
        predicate's and object's keys (a predicate's is always 17 bytes: an IRI's) and its object.
        Their triples, and those each of `patterns` matches, are added to `totals`, their runs' rows
        taken out of it."""
        rdf_type = self._info(_RDF_TYPE)[0]
        counted = {predicate for _, predicate, _ in patterns}
        rows: Counter = Counter()  # the runs' own rows, by predicate key and by predicate and object keys
        found: dict[int, dict[bytes, str]] = {}
        subject_of: dict[int, str] = {}
        verbs: dict[bytes, str] = {}
        by_doc = np.argsort(runs["doc"], kind="stable")
        for doc, members in groupby(by_doc.tolist(), key=lambda i: int(runs["doc"][i])):
            pieces = self._field(doc, "pieces").decode("utf-8").split("\n")[:-1]
            keys = _key_list(self._field(doc, "keys"), np.frombuffer(self._field(doc, "key_ends"), dtype=np.int32))
            table = _table(self._field(doc, "rows"))
            for i in members:
                group = int(groups[i])
                triples = found.setdefault(group, {})
                for s, p, o in table[runs["first"][i]:runs["end"][i]].tolist():
                    if keys[p] in counted:
                        rows[keys[p]] += 1
                        rows[keys[p] + keys[o]] += 1
                    subject = pieces[s]
                    if keys[s] in full_of:
                        if keys[p] == label:
                            continue
                        subject = full_of[keys[s]][1]
                    subject_of.setdefault(group, subject)
                    o_key, o_piece = full_of[keys[o]] if keys[o] in full_of else (keys[o], pieces[o])
                    triples.setdefault(keys[p] + o_key, o_piece)
                    if keys[p] not in verbs:
                        verbs[keys[p]] = "a" if keys[p] == rdf_type else pieces[p]
        self._release()
        if totals is not None:
            _count_merged(found, patterns, totals, rows)
        return {group: _statement(subject_of[group], [(verbs[key[:17]], triples[key], key[:17]) for key in sorted(triples)]).encode("utf-8")
                for group, triples in _emptied(found)}

    def _statement_bytes(self, doc: int, start: int, end: int) -> bytes:
        if self._offsets:
            at = self._offsets[doc]["statements"][0]
            return self._spilled_bytes[at + start:at + end]
        return self._parts[doc].statements[start:end]

    def _info(self, text: str) -> tuple[bytes, str, str]:
        return _terms((text,), self.prefixes)[0]


_SPILLED = ("statements", "pieces", "keys", "key_ends", "rows")  # what a part keeps in the spill file


def _table(rows: bytes) -> np.ndarray:
    return np.frombuffer(rows, dtype=np.int32).reshape(-1, 3)


def _key_list(keys: bytes, key_ends: np.ndarray) -> list[bytes]:
    ends = key_ends.tolist()
    return [keys[start:end] for start, end in zip([0, *ends[:-1]], ends)]


def _mark_links(table: np.ndarray, keys: list[bytes], runs: np.ndarray, full_of: dict[bytes, tuple[bytes, str]]) -> None:
    """The runs a link changes: a short node's (its triples join the full node's, under its key),
    and any that names a short node."""
    shorts = [n for n, key in enumerate(keys) if key in full_of]
    if not shorts:
        return
    run_of_row = np.repeat(np.arange(len(runs)), runs["end"] - runs["first"])
    runs["touched"][np.unique(run_of_row[np.isin(table[:, 2], shorts) | np.isin(table[:, 0], shorts)])] = True
    for number, subject in enumerate(table[runs["first"], 0].tolist()):
        if keys[subject] in full_of:
            full = np.frombuffer(full_of[keys[subject]][0][1:], dtype=">u8")
            runs["high"][number], runs["low"][number] = full[0], full[1]


def _matches(table: np.ndarray, keys: list[bytes], patterns: list[tuple]) -> Counter:
    """A document's rows whose predicate, and object unless None, are each pattern's keys, by the pattern's name."""
    number = {key: n for n, key in enumerate(keys)}
    matched: Counter = Counter()
    for name, predicate, obj in patterns:
        if predicate in number and (obj is None or obj in number):
            rows = table[:, 1] == number[predicate]
            if obj is not None:
                rows &= table[:, 2] == number[obj]
            matched[name] += int(np.count_nonzero(rows))
    return matched


def _count_merged(found: dict[int, dict[bytes, str]], patterns: list[tuple], totals: Counter, rows: Counter) -> None:
    """Add the triples of the merged statements (keyed predicate key + object key), and those each
    pattern matches, in place of the `rows` (counted alike) they were merged from."""
    predicates = {predicate for _, predicate, _ in patterns}
    seen: Counter = Counter()
    for triples in found.values():
        totals["triples"] += len(triples)
        for key in triples:
            if key[:17] in predicates:
                seen[key[:17]] += 1
                seen[key] += 1
    for name, predicate, obj in patterns:
        key = predicate + obj if obj is not None else predicate
        totals[name] += seen[key] - rows[key]


def _passes(new_key: np.ndarray, rows_again: np.ndarray) -> list[tuple[int, int]]:
    """Stretches [begin, end) of the sorted runs, each starting at a new key, whose runs written again
    hold about MERGE_ROWS rows at most (a single subject may hold more)."""
    most = MERGE_ROWS
    if not len(new_key):
        return []
    held = np.cumsum(rows_again)
    bounds, begin = [], 0
    while begin < len(new_key):
        end = int(np.searchsorted(held, (held[begin - 1] if begin else 0) + most, side="right"))
        end = max(end, begin + 1)
        while end < len(new_key) and not new_key[end]:  # a subject's runs stay in one stretch
            end += 1
        bounds.append((begin, end))
        begin = end
    return bounds


def _emptied(found: dict) -> Iterator[tuple]:
    """The items of `found`, each dropped from it as it is taken (what they become replaces them)."""
    while found:
        yield found.popitem()


_caches: dict[tuple, dict[str, tuple[bytes, str, str]]] = {}  # by the prefixes' items


def _terms(texts: tuple[str, ...] | list[str], prefixes: dict[str, str]) -> list[tuple[bytes, str, str]]:
    """(key, Turtle form, Turtle form as a predicate) of each N-Triples term; remembered in the process."""
    cache = _caches.setdefault(tuple(prefixes.items()), {})
    new = [text for text in dict.fromkeys(texts) if text not in cache]
    if new:
        if len(cache) + len(new) > _CACHE_LIMIT:  # forget them all, and make the document's again
            cache.clear()
            new = list(dict.fromkeys(texts))
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
        return _literal_layout(value, "", _XSD + "string", hashed), text
    if suffix.startswith("@"):
        return _literal_layout(value, suffix[1:], "", hashed), text
    if suffix == f"^^<{_XSD}integer>" and value.isascii() and value.isdigit() and int(value) < 1 << 63:
        return _literal_layout(value, "", _XSD + "integer", hashed), str(int(value))
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
    return _literal_layout(term.value, term.language or "", term.datatype.value, hashed)


def _literal_layout(value: str, language: str, datatype: str, hashed: list[str]) -> tuple:
    """A literal's key, from its value and its language or datatype (see the module's docstring)."""
    if language:
        kind = 20 + (0 if _small(value) else 2) + (0 if _small(language) else 1)
        return (bytes([kind]), _inline_or_hashed(language, hashed), _inline_or_hashed(value, hashed))
    if datatype == _XSD + "string":
        return (b"\x10", _inline(value)) if _small(value) else (b"\x11", _hashed(value, hashed))
    if datatype == _XSD + "integer":
        number = int(value)
        if not -(1 << 63) <= number < 1 << 63:
            raise UnsupportedTerm(f"no place in Oxigraph's order known for the integer {value}")
        return (b"\x20", number.to_bytes(8, "big", signed=True))
    if datatype == _XSD + "decimal":
        scaled = Decimal(value).scaleb(18)
        if scaled != scaled.to_integral_value() or not -(1 << 127) <= int(scaled) < 1 << 127:
            raise UnsupportedTerm(f"no place in Oxigraph's order known for the decimal {value}")
        return (b"\x21", int(scaled).to_bytes(16, "big", signed=True))
    if datatype == _XSD + "date":
        return (b"\x24", value.encode("ascii"))
    if datatype == _XSD + "gYear":
        return (b"\x26", value.encode("ascii"))
    if datatype.startswith(_XSD) or datatype.startswith("http://www.w3.org/1999/02/22-rdf-syntax-ns#"):
        raise UnsupportedTerm(f"no place in Oxigraph's order known for the datatype {datatype}")
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
