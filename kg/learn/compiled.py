"""The tagger's features found as row numbers of a CRF's weights, with numpy, instead of as strings.

`features.character_features` defines what the tagger sees of each character, as strings: that is
what training uses. `FeatureIndex` finds the same features in a text for the attributes that some
trained model weighs (any other feature has no weight and changes nothing): each as a pair
(character position, row of the index), so that a CRF's score of each character is a sum of
rows (`kg.learn.crf`). A test checks the two against each other on real reports.
"""
from __future__ import annotations

import weakref
from operator import attrgetter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Mention, Token
from ..segment import token_bounds, word_tag, words_of
from .crf import CrfWeights
from .features import BOS, EOS, MAX_LOOKUP, Lexicon, char_class

# The characters each character template joins, by offset (features.character_features: c=, b-1=, t0=…).
CHARACTERS = {"c": (0,), "c-1": (-1,), "c+1": (1,), "c-2": (-2,), "c+2": (2,),
              "b-1": (-1, 0), "b+1": (0, 1), "b-2": (-2, -1), "b+2": (1, 2), "t0": (-1, 0, 1)}
CLASSES = ("k", (0, -1, 1))  # the classes of the character and its two neighbours
WORDS = ("w", "w-1", "w-2", "w+1", "w+2")
WORD_PAIRS = ("w-1|w", "w|w+1")
SPANS = ("hin", "li", "rI")  # features of the characters inside a head word, a listed name, a rule's mention
_PAD = 2
INCIDENCE = np.int32  # the positions and rows `FeatureIndex.incidence` gives
_TABLE = np.int32  # the rows and indices the compiled passes read: half the memory of 64 bits, and the cache holds more of them
_TAG_BITS = 10  # a word's code (FeatureIndex._word_codes) holds its tag id in this many bits
_TAG_MASK = (1 << _TAG_BITS) - 1
_LENGTH_BITS = 8  # and its length in the lowest bits, up to _LONG (a word as long or longer is measured again)
_LONG = (1 << _LENGTH_BITS) - 1
WORD_CACHE = 100_000  # words whose codes a process keeps (about 15 MB)
_BITS = 21  # a code point fits in 21 bits: three characters make one 63-bit key
_BASE = 0x9E3779B97F4A7C15  # an odd multiplier: the substrings' polynomial hashes modulo 2^64
_UNBASE = pow(_BASE, -1, 1 << 64)
_START, _END = attrgetter("start"), attrgetter("end")
_OPENING_CODES, _CLOSING_CODES = (np.array([ord(ch) for ch in marks], dtype=np.uint64) for marks in ("“‘「『《〈", "”’」』》〉"))


class FeatureIndex:
    """The attributes of one or more trained CRFs, each a row number, and the look-up tables that
    find them in a text."""

    def __init__(self, attributes: Iterable[str], lexicon: Lexicon):
        self.attributes = tuple(sorted(set(attributes)))
        self.lexicon = lexicon
        row = {attribute: i for i, attribute in enumerate(self.attributes)}
        self.empty = len(self.attributes)  # the zero row every weight matrix ends with
        if self.empty > np.iinfo(_TABLE).max:
            raise ValueError(f"{self.empty} attributes: more than 32-bit rows hold")
        by_template: dict[str, dict[str, int]] = {}
        for attribute, i in row.items():
            template, _, value = attribute.partition("=")
            by_template.setdefault(template, {})[value] = i
        self._named = by_template
        self._characters = {t: _keyed(by_template.get(t, {}), len(offsets)) for t, offsets in CHARACTERS.items()}
        self._grams = _by_width(self._characters, self.empty)
        self._classes = _keyed(by_template.get(CLASSES[0], {}), 3)
        self._class_table = np.zeros(0x10000, dtype=np.uint64)  # a character's class, once met (0: not yet)
        self._words(by_template)
        self._clusters = _cluster_rows(lexicon.clusters, by_template)
        # a word's code (_word_codes): its clusters' entry, vocabulary id, tag id and length, low bits last
        self._id_shift = _LENGTH_BITS + _TAG_BITS
        self._entry_shift = self._id_shift + self._vocabulary_size.bit_length()
        if self._entry_shift + (len(self._clusters[0]) + 1).bit_length() > 63:
            raise ValueError(f"{self._vocabulary_size} words and {len(self._clusters[0])} clustered ones: more than a word code holds")
        self._hashes = _name_hashes(lexicon)
        # the types of the head words and names, by number, and each look-up template's row of each (-1: none)
        self._lookup_types = {typ: i for i, typ in enumerate(sorted({*lexicon.heads.values(), *lexicon.names.values()}))}
        self._type_rows = {template: np.array([by_template.get(template, {}).get(typ, -1) for typ in self._lookup_types] or [-1], dtype=np.int64)
                           for template in ("he", "hin", "ls", "le", "li")}
        heads, names = self._hashes
        self._head_types = np.array([self._lookup_types[lexicon.heads[w]] for w in heads.words], dtype=np.int64)
        self._name_types = np.array([self._lookup_types[lexicon.names[w]] for w in names.words], dtype=np.int64)
        self._placed = np.array([bool(lexicon.places.get(w)) for w in names.words], dtype=bool)  # a division's name

    def weights(self, crf: CrfWeights) -> np.ndarray:
        """`crf`'s state weights as rows of this index (rows it does not weigh, and the last, are zero)."""
        out = np.zeros((self.empty + 1, len(crf.labels)))
        mine = {attribute: i for i, attribute in enumerate(self.attributes)}
        rows = [mine[a] for a in crf.attributes]
        out[rows] = crf.state
        return out

    def incidence(self, text: str, tokens: Sequence[Token], mentions: Sequence[Mention], home: str = "") -> tuple[np.ndarray, np.ndarray]:
        """The features of each character of `text` that this index knows, as (positions, rows): the
        same multiset, character by character, as `character_features` gives for these attributes.
        Both are 32-bit (INCIDENCE): a report's some 200,000 pairs are half the memory to write and
        read again (joining the parts took six times as long in 64 bits)."""
        parts: list[tuple[np.ndarray, np.ndarray]] = []
        self._character_features(text, parts)
        characters = _codes(text)
        prefix, unpower = _prefix_hashes(characters)  # the hashes of the text's words, and of the lexicon's words in it
        words = words_of(tokens)
        starts = token_bounds(tokens)
        if starts is not None and words:  # the segmenter's words, one after another: found by their characters
            codes = self._codes_in_text(characters, prefix, unpower, np.fromiter(starts, dtype=np.int64, count=len(starts)), words)
        else:
            codes = self._word_codes(words)
        bounds = _bounds(tokens, words, codes & _LONG)
        self._token_features(tokens, codes, bounds, parts)
        self._cluster_features(codes, bounds, parts)
        self._quote_features(characters, parts)
        self._lookup_features(text, home, parts, characters, prefix, unpower)
        self._mention_features(mentions, parts)
        if not parts:
            return np.zeros(0, dtype=INCIDENCE), np.zeros(0, dtype=INCIDENCE)
        if len(text) > np.iinfo(INCIDENCE).max or self.empty > np.iinfo(INCIDENCE).max:
            raise ValueError(f"a text of {len(text)} characters or {self.empty} attributes: more than 32-bit positions and rows hold")
        positions = np.concatenate([p for p, _ in parts], dtype=INCIDENCE)
        rows = np.concatenate([r for _, r in parts], dtype=INCIDENCE)
        return positions, rows

    # --- the characters around each one

    def _character_features(self, text: str, parts: list) -> None:
        from ._kernels import gram_rows
        n = len(text)
        padded = _codes(BOS * _PAD + text + EOS * _PAD)
        everywhere = np.arange(n)
        # each character (pair, triple) is looked up once for all the templates of its width, in one compiled pass
        for width, (templates, keys, rows) in self._grams.items():
            if n:
                firsts = np.array([_PAD + offsets[0] for _, offsets in templates], dtype=np.int64)
                parts.append(gram_rows(padded, width, keys, _slots(keys), rows, firsts, n, self.empty))
        keys, rows = self._classes
        if len(keys):
            _look_up(_joined(self._classes_of(padded), CLASSES[1], n), keys, rows, everywhere, parts)

    def _classes_of(self, codes: np.ndarray) -> np.ndarray:
        """Each character's class (`char_class`) as the code point of its letter. The classes of the
        characters below U+10000 are kept in a table, each filled the first time it is met: a report
        no longer sorts its characters to find the distinct ones."""
        table = self._class_table
        classes = table[np.minimum(codes, len(table) - 1)]
        unknown = (classes == 0) | (codes >= len(table))
        if unknown.any():
            missing = np.unique(codes[unknown])
            found = np.array([ord(char_class(chr(c))) for c in missing.tolist()], dtype=np.uint64)
            kept = missing < len(table)
            table[missing[kept]] = found[kept]
            classes[unknown] = found[np.searchsorted(missing, codes[unknown])]
        return classes

    # --- jieba's words

    def _words(self, by_template: dict[str, dict[str, int]]) -> None:
        vocabulary: dict[str, int] = {}

        def word_id(word: str) -> int:
            return vocabulary.setdefault(word, len(vocabulary) + 1)  # 0: a word no attribute names

        singles = {t: {word_id(w): i for w, i in by_template.get(t, {}).items()} for t in WORDS}
        pairs = {}
        for template in WORD_PAIRS:
            keyed = {}
            for value, i in by_template.get(template, {}).items():
                # "a|b|c" is the attribute of a|b then c and of a then b|c: the same string either way
                for cut in [k for k, ch in enumerate(value) if ch == "|" and 0 < k < len(value) - 1]:
                    keyed[(word_id(value[:cut]), word_id(value[cut + 1:]))] = i
            pairs[template] = keyed
        size = len(vocabulary) + 1
        self._vocabulary, self._vocabulary_size = vocabulary, size
        self._singles = {t: _table(size, ids, self.empty) for t, ids in singles.items()}
        self._pairs = {t: _keyed_pairs(ids, size) for t, ids in pairs.items()}
        tags: dict[str, int] = {}
        kinds = {"wp": {}, "p-1": {}, "p+1": {}}
        for template in kinds:
            for value, i in by_template.get(template, {}).items():
                tag = value[1:] if template == "wp" else value
                kinds[template][(value[0] if template == "wp" else "", tags.setdefault(tag, len(tags) + 1))] = i
        self._tags = tags
        if len(tags) > _TAG_MASK:
            raise ValueError(f"{len(tags)} part-of-speech tags: more than a word code holds")
        self._word_cache: dict[str, int] = {}
        self._known = _KnownWords()  # the same words, for the compiled look-up (_codes_in_text)
        self._by_rule: dict[tuple[str, str], tuple[int, int, int, int]] = {}  # _mention_rows
        self._tag_rows = {t: np.full(len(tags) + 1, self.empty, dtype=np.int64) for t in ("p-1", "p+1")}
        for t in ("p-1", "p+1"):
            for (_, tag), i in kinds[t].items():
                self._tag_rows[t][tag] = i
        self._shape_rows = {kind: np.full(len(tags) + 1, self.empty, dtype=np.int64) for kind in "SBME"}
        for (kind, tag), i in kinds["wp"].items():
            if kind in self._shape_rows:
                self._shape_rows[kind][tag] = i
        self._length_rows = by_template.get("wl", {})
        # the same tables as arrays, for the compiled pass (_kernels.word_rows)
        self._word_tables = np.stack([self._singles[t] for t in WORDS]).astype(_TABLE)
        self._shapes = np.stack([self._shape_rows[kind] for kind in "SBME"])
        self._neighbour_tags = np.stack([self._tag_rows["p-1"], self._tag_rows["p+1"]])
        self._lengths = np.array([self._length_rows.get(kind, -1) for kind in ("S1", "S2", "S3", "B1", "B2", "B3", "E1", "E2", "E3", "M3")],
                                 dtype=np.int64)

    def _token_features(self, tokens: Sequence[Token], codes: np.ndarray, bounds: tuple[np.ndarray, np.ndarray, np.ndarray],
                        parts: list) -> None:
        if not tokens:
            return
        from ._kernels import word_rows
        vocabulary, tags, empty = self._vocabulary, self._tags, self.empty
        ids = (codes >> self._id_shift) & ((1 << (self._entry_shift - self._id_shift)) - 1)
        tag_ids = (codes >> _LENGTH_BITS) & _TAG_MASK
        starts, _, lengths = bounds
        bos, eos = vocabulary.get(BOS, 0), vocabulary.get(EOS, 0)
        bos_tag, eos_tag = tags.get(word_tag(BOS), 0), tags.get(word_tag(EOS), 0)
        before, after = self._pairs["w-1|w"], self._pairs["w|w+1"]
        parts.append(word_rows(ids, tag_ids, starts, lengths, self._word_tables, self._shapes, self._neighbour_tags, self._lengths,
                               before[0], _slots(before[0]), before[1], after[0], _slots(after[0]), after[1],
                               self._vocabulary_size, bos, eos, bos_tag, eos_tag, empty))

    def _word_codes(self, words: list[str]) -> np.ndarray:
        """Each word's code: the entry of its clusters' rows (_cluster_rows), its vocabulary id, its
        part-of-speech tag id and its length (_LONG when longer), from the high bits to the low ones;
        one number a word, so that a report's words are looked up in one pass. Reports share most of
        their words: each is looked up once per process (up to WORD_CACHE words)."""
        cache = self._word_cache
        try:  # most reports' words are all kept already: one pass, no set of the distinct ones
            return np.fromiter(map(cache.__getitem__, words), dtype=np.int64, count=len(words))
        except KeyError:
            pass
        distinct = dict.fromkeys(words)
        missing = [w for w in distinct if w not in cache]
        if len(cache) + len(missing) > WORD_CACHE:
            cache.clear()
            missing = list(distinct)
        for w in missing:
            cache[w] = self._code_of(w)
        return np.fromiter(map(cache.__getitem__, words), dtype=np.int64, count=len(words))

    def _code_of(self, word: str) -> int:
        """The word's code (see `_word_codes`)."""
        vocabulary_bits = self._entry_shift - self._id_shift
        code = (self._clusters[0].get(word, 0) << vocabulary_bits | self._vocabulary.get(word, 0)) << _TAG_BITS | self._tags.get(word_tag(word), 0)
        return code << _LENGTH_BITS | min(len(word), _LONG)

    def _codes_in_text(self, characters: np.ndarray, prefix: np.ndarray, unpower: np.ndarray, starts: np.ndarray, words: list[str]) -> np.ndarray:
        """`_word_codes` of the words of a text (its code points, their prefix hashes) that start at
        `starts` (the text's end after the last): those kept are found by their characters in the
        text (`_KnownWords`), with no look-up of a str in a dict (a cache miss each, in a report of
        some 10,000 words); the others' codes are made and kept, the kept words emptied as
        _word_codes empties them."""
        known, cache = self._known, self._word_cache
        codes, hashes = known.find(characters, prefix, unpower, starts)
        missing = np.flatnonzero(codes < 0)
        if not len(missing):
            return codes
        first: dict[str, int] = {}  # each word missing, at its first place
        for i in missing.tolist():
            first.setdefault(words[i], i)
        if len(cache) + len(first) > WORD_CACHE:
            known.clear()
            codes = self._word_codes(words)  # which empties the cache, and keeps this report's words
            first = {}
            for i, w in enumerate(words):
                first.setdefault(w, i)
        else:
            for w in first:
                if w not in cache:
                    cache[w] = self._code_of(w)
            codes[missing] = np.fromiter(map(cache.__getitem__, map(words.__getitem__, missing.tolist())), dtype=np.int64, count=len(missing))
        at = np.fromiter(first.values(), dtype=np.int64, count=len(first))
        known.add(characters, starts, at, hashes[at], codes[at])
        return codes

    # --- the words' clusters

    def _cluster_features(self, codes: np.ndarray, bounds: tuple[np.ndarray, np.ndarray, np.ndarray], parts: list) -> None:
        """Each word's clusters' rows at each of its characters: word by word, a word's rows in
        order (the order of the pairs is the order a CRF's scores add up in). Found in one compiled
        pass: nearly every word of a report has clusters."""
        from ._kernels import cluster_pairs
        entries, first_rows, flat = self._clusters
        if not len(flat) or not len(codes):
            return
        starts, _, lengths = bounds
        parts.append(cluster_pairs(codes >> self._entry_shift, starts, lengths, first_rows, flat))

    # --- quotation marks

    def _quote_features(self, characters: np.ndarray, parts: list) -> None:
        from ._kernels import quoted
        row = self._named.get("inq", {}).get("")
        if row is None:
            return
        at = quoted(characters, _OPENING_CODES, _CLOSING_CODES)
        parts.append((at, np.full(len(at), row, dtype=np.int32)))

    # --- head words ending at a character, known names starting at one

    def _lookup_features(self, text: str, home: str, parts: list, codes: np.ndarray, prefix: np.ndarray, unpower: np.ndarray) -> None:
        from ._kernels import found_words
        lexicon, named = self.lexicon, self._named
        n = len(text)
        if not n:
            return
        province, city = home[:2], home[:4]
        heads, names = self._hashes
        # only where a head word's last character stands can one end; only where a name's first two stand can one start
        # (and only the lengths of the words that end or start so are tried there)
        can_end, end_sizes = _found(codes, heads.last, heads.sizes)
        # (end, length, type) of the shortest head word ending at each character, shortest first
        starts, entries = found_words(codes, prefix, unpower, can_end, end_sizes, heads.tried, True,
                                      heads.hashes, heads.lengths, heads.offsets, heads.flat, heads.slots)
        lengths = heads.lengths[entries]
        ends = np.column_stack((starts + lengths - 1, lengths, self._head_types[entries]))
        can_start, start_sizes = _found((codes[:-1] << np.uint64(_BITS)) | codes[1:], names.first, names.sizes)
        # (start, length, type, home row) of the longest known name starting at each character, longest first
        starts, entries = found_words(codes, prefix, unpower, can_start, start_sizes, names.tried, False,
                                      names.hashes, names.lengths, names.offsets, names.flat, names.slots)
        homes = np.full(len(starts), -1, dtype=np.int64)
        if province:
            home_rows = named.get("home", {})
            for k in np.flatnonzero(self._placed[entries]).tolist():  # the names of divisions: where they lie from the subject
                name = names.words[entries[k]]
                typ = lexicon.names[name]
                places = lexicon.places[name]
                near = "city" if any(c[:4] == city for c in places) else "province" if any(c[:2] == province for c in places) else "far"
                homes[k] = home_rows.get(near + typ, -1)
        found = np.column_stack((starts, names.lengths[entries], self._name_types[entries], homes))
        self._lookup_rows(ends.reshape(-1, 3), found.reshape(-1, 4), parts)

    def _lookup_rows(self, ends: np.ndarray, starts: np.ndarray, parts: list) -> None:
        """The rows of the head words found (end, length, type) and of the names (start, length, type,
        home row): he=, then ls=, home= and le= at single characters, word after word, then hin= and
        li= over the characters inside (the order of the pairs is the order a character's scores add up in)."""
        rows = self._type_rows
        end, size, typ = ends.T
        start, length, kind, home = starts.T
        at = np.concatenate((end, np.column_stack((start, start, start + length - 1)).ravel()))
        row = np.concatenate((rows["he"][typ], np.column_stack((rows["ls"][kind], home, rows["le"][kind])).ravel()))
        known = np.flatnonzero(row >= 0)
        if len(known):
            parts.append((at[known], row[known]))
        first = np.concatenate((end - size + 1, start + 1))
        last = np.concatenate((end, start + length - 1))
        row = np.concatenate((rows["hin"][typ], rows["li"][kind]))
        known = np.flatnonzero((row >= 0) & (first < last))
        if len(known):
            _flush_spans(first[known], last[known] - first[known], row[known], parts)

    # --- the rules' mentions

    def _mention_features(self, mentions: Sequence[Mention], parts: list) -> None:
        """rB=, rr= and rE= at a rule's mention's first and last characters, mention by mention,
        then rI= at the characters after its first (as `_lookup_rows` places its rows)."""
        if not mentions:
            return
        rows = np.array([self._mention_rows(m.rule, m.type) for m in mentions], dtype=np.int64)
        starts = np.fromiter(map(_START, mentions), dtype=np.int64, count=len(mentions))
        ends = np.fromiter(map(_END, mentions), dtype=np.int64, count=len(mentions))
        at = np.column_stack((starts, starts, ends - 1)).ravel()
        row = rows[:, [0, 1, 3]].ravel()
        known = np.flatnonzero(row >= 0)
        if len(known):
            parts.append((at[known], row[known]))
        known = np.flatnonzero((rows[:, 2] >= 0) & (starts + 1 < ends))
        if len(known):
            _flush_spans(starts[known] + 1, ends[known] - starts[known] - 1, rows[known, 2], parts)

    def _mention_rows(self, rule: str, typ: str) -> tuple[int, int, int, int]:
        """The rows (rB, rr, rI, rE; -1 for none) of a mention of a rule and a type: a report's
        mentions are of a few dozen such pairs."""
        key = (rule, typ)
        found = self._by_rule.get(key)
        if found is None:
            named, short = self._named, rule.split(".")[0] if rule else "r"
            found = self._by_rule[key] = tuple(named.get(template, {}).get(value, -1)
                                               for template, value in (("rB", typ), ("rr", short + typ), ("rI", typ), ("rE", typ)))
        return found


class _KnownWords:
    """Words and their codes (FeatureIndex._word_codes) as arrays that `_kernels.known_words`
    searches: each word's hash (`_hash`), length, code points (at its offset in `flat`) and code,
    and an open-addressing table of the hashes, at most half full (small: it is read at random,
    word after word, and what it holds in the caches the rules' data no longer can)."""

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        self.count = self.used = 0  # words held, code points held
        self.hashes = np.zeros(1024, dtype=np.uint64)
        self.lengths = np.zeros(1024, dtype=_TABLE)
        self.offsets = np.zeros(1024, dtype=_TABLE)
        self.values = np.zeros(1024, dtype=np.int64)
        self.flat = np.zeros(4096, dtype=np.uint32)
        self.slots = np.full(4096, -1, dtype=_TABLE)

    def find(self, characters: np.ndarray, prefix: np.ndarray, unpower: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The code of each word of a text starting at `starts` (-1: not held), and each word's hash."""
        from ._kernels import known_words
        return known_words(characters, prefix, unpower, starts, self.hashes, self.lengths, self.offsets, self.flat, self.slots, self.values)

    def add(self, characters: np.ndarray, starts: np.ndarray, at: np.ndarray, hashes: np.ndarray, values: np.ndarray) -> None:
        """Hold the words `at` (indices of the words of a text starting at `starts`), none held yet."""
        from ._kernels import add_slots
        first, count = self.count, self.count + len(at)
        lengths = starts[at + 1] - starts[at]
        used = self.used + int(lengths.sum())
        if count > len(self.hashes):
            self.hashes, self.lengths, self.offsets, self.values = (_grown(a, count) for a in (self.hashes, self.lengths, self.offsets, self.values))
        if used > len(self.flat):
            self.flat = _grown(self.flat, used)
        self.hashes[first:count], self.lengths[first:count], self.values[first:count] = hashes, lengths, values
        self.offsets[first:count] = self.used + np.cumsum(lengths) - lengths
        self.flat[self.used:used] = characters[np.repeat(starts[at] - self.offsets[first:count], lengths) + np.arange(self.used, used)]
        self.count, self.used = count, used
        if 2 * count > len(self.slots):  # a new table, a third full at most, with all of them
            self.slots = np.full(1 << (3 * count - 1).bit_length(), -1, dtype=_TABLE)
            first = 0
        add_slots(self.slots, self.hashes, first, count)


def _grown(array: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros(max(size, 2 * len(array)), dtype=array.dtype)
    out[:len(array)] = array
    return out


def _cluster_rows(clusters: dict[str, tuple[str, ...]], by_template: dict[str, dict[str, int]]) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    """The rows of the words' clusters (q0=, q1=…), for the words some row concerns: word → its
    entry (from 1), where each entry's rows start in the flat array of rows (with the end of the
    last one after it, and entry 0 of no rows first), and that array."""
    levels = [by_template.get(f"q{level}", {}) for level in range(max((len(c) for c in clusters.values()), default=0))]
    entries: dict[str, int] = {}
    first_rows, flat = [0, 0], []
    for word, codes in clusters.items():
        rows = [row for level, code in enumerate(codes) if (row := levels[level].get(code)) is not None]
        if rows:
            entries[word] = len(entries) + 1
            flat += rows
            first_rows.append(len(flat))
    return entries, np.array(first_rows, dtype=_TABLE), np.array(flat, dtype=_TABLE)


def _bounds(tokens: Sequence[Token], words: list[str], lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The tokens' starts, ends and lengths, given their words and their lengths up to _LONG."""
    count = len(tokens)
    if (lengths == _LONG).any():
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=count)
    if not count:
        return lengths, lengths, lengths
    ends = np.cumsum(lengths) + tokens[0].start
    if ends[-1] == tokens[-1].end:  # the segmenter's tokens follow each other: their ends add up
        return ends - lengths, ends, lengths
    starts = np.fromiter(map(_START, tokens), dtype=np.int64, count=count)
    ends = np.fromiter(map(_END, tokens), dtype=np.int64, count=count)
    return starts, ends, ends - starts


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)


def _key(value: str) -> int:
    key = 0
    for ch in value:
        key = key << _BITS | ord(ch)
    return key


def _keyed(values: dict[str, int], width: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted keys of the values `width` characters long, and their rows."""
    items = sorted((_key(v), i) for v, i in values.items() if len(v) == width)
    return np.array([k for k, _ in items], dtype=np.uint64), np.array([i for _, i in items], dtype=np.int64)


def _by_width(characters: dict[str, tuple[np.ndarray, np.ndarray]], empty: int) -> dict[int, tuple[list, np.ndarray, np.ndarray]]:
    """The character templates of each width that some attribute names (in CHARACTERS' order), the
    keys any of them knows, and each key's row for each template (`empty` where it has none; a
    last line of `empty` for a key none knows)."""
    out = {}
    for width in (1, 2, 3):
        templates = [(t, offsets) for t, offsets in CHARACTERS.items() if len(offsets) == width and len(characters[t][0])]
        if not templates:
            continue
        keys = np.unique(np.concatenate([characters[t][0] for t, _ in templates]))
        rows = np.full((len(keys) + 1, len(templates)), empty, dtype=_TABLE)
        for column, (template, _) in enumerate(templates):
            known, known_rows = characters[template]
            rows[np.searchsorted(keys, known), column] = known_rows
        out[width] = (templates, keys, rows)
    return out


def _keyed_pairs(ids: dict[tuple[int, int], int], size: int) -> tuple[np.ndarray, np.ndarray]:
    items = sorted((a * size + b, i) for (a, b), i in ids.items())
    return np.array([k for k, _ in items], dtype=np.int64), np.array([i for _, i in items], dtype=np.int64)


def _table(size: int, ids: dict[int, int], empty: int) -> np.ndarray:
    table = np.full(size, empty, dtype=np.int64)
    for word, i in ids.items():
        table[word] = i
    return table


def _joined(padded: np.ndarray, offsets: tuple[int, ...], n: int, at: int = _PAD) -> np.ndarray:
    """Each character's key for a template: the code points at `offsets` from it, 21 bits each."""
    key = np.zeros(n, dtype=np.uint64)
    for offset in offsets:
        key = (key << np.uint64(_BITS)) | padded[at + offset:at + offset + n]
    return key


def _search(values: np.ndarray, table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of `values` stands in the array `table` (each key once; 0 where it is not there),
    and whether it is there. By a hash of the table's keys, made the first time it is searched: a
    report's hundreds of thousands of look-ups cost a probe each, where a binary search costs a
    dozen steps through memory (the search was a third of the features' time)."""
    if not len(table) or not len(values):
        return np.zeros(len(values), dtype=np.int64), np.zeros(len(values), dtype=bool)
    from ._kernels import find_keys
    return find_keys(values, table, _slots(table))


_SLOTS: dict[int, tuple[weakref.ref, np.ndarray]] = {}  # each table searched: its hash slots, by the table's id


def _slots(table: np.ndarray) -> np.ndarray:
    """The hash slots of `table` (`_kernels.hash_slots`), kept while the table lives."""
    key = id(table)
    kept = _SLOTS.get(key)
    if kept is None or kept[0]() is not table:
        from ._kernels import hash_slots
        # 32-bit: half the memory a look-up reads (the tables' indices fit)
        kept = _SLOTS[key] = (weakref.ref(table, lambda _, key=key: _SLOTS.pop(key, None)), hash_slots(table).astype(_TABLE))
    return kept[1]


def _rows_of(keys: np.ndarray, table: np.ndarray, rows: np.ndarray, empty: int) -> np.ndarray:
    """The row of each key in (table, rows), or `empty`."""
    index, hit = _search(keys, table)
    return np.where(hit, rows[index], empty) if len(rows) else np.full(len(keys), empty, dtype=np.int64)


def _look_up(keys: np.ndarray, table: np.ndarray, rows: np.ndarray, at: np.ndarray, parts: list) -> None:
    index, hit = _search(keys, table)
    parts.append((at[hit], rows[index[hit]] if len(rows) else np.zeros(0, dtype=np.int64)))




def _found(values: np.ndarray, table: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The indices of `values` found in the sorted array `table`, and the `sizes` of what they found."""
    index, hit = _search(values, table)
    at = np.flatnonzero(hit)
    return at, sizes[index[at]] if len(sizes) else np.zeros(0, dtype=np.uint64)










def _flush_spans(starts: np.ndarray, lengths: np.ndarray, rows: np.ndarray, parts: list) -> None:
    """Each span's row at each of its characters, span by span."""
    at = np.repeat(starts - np.cumsum(np.concatenate(([0], lengths[:-1]))), lengths) + np.arange(lengths.sum())
    parts.append((at, np.repeat(rows, lengths)))


def _hash(word: str) -> int:
    value, power = 0, 1
    for ch in word:
        value = (value + ord(ch) * power) % (1 << 64)
        power = power * _BASE % (1 << 64)
    return value


@dataclass(frozen=True)
class _Hashed:
    """The words of one list, with the lengths in the order they are tried and the characters they
    end or start with, as arrays that `_kernels.found_words` reads."""

    words: tuple[str, ...]  # the list's words with a type, in the order of the arrays below
    tried: np.ndarray  # the lengths tried, in order (shortest head words first, longest names first)
    hashes: np.ndarray  # each word's hash (`_hash`)
    lengths: np.ndarray  # each word's length
    offsets: np.ndarray  # where each word's code points start in `flat`
    flat: np.ndarray  # the words' code points, one after another
    slots: np.ndarray  # an open-addressing table of `hashes` (`_kernels.word_slots`)
    last: np.ndarray  # sorted code points of the words' last characters (head words)
    first: np.ndarray  # sorted keys of the words' first two characters (names)
    sizes: np.ndarray  # for each of `last` or `first`, the lengths of its words as bits (1 << length)

    @classmethod
    def of(cls, words: list[str], tried: list[int], last: list[tuple[int, int]], first: list[tuple[int, int]]) -> "_Hashed":
        from ._kernels import word_slots
        lengths = np.array([len(w) for w in words], dtype=_TABLE)
        hashes = np.array([_hash(w) for w in words], dtype=np.uint64)
        flat = _codes("".join(words)).astype(np.uint32)
        column = lambda pairs, k: np.array([pair[k] for pair in pairs], dtype=np.uint64)  # noqa: E731
        return cls(tuple(words), np.array(tried, dtype=np.int64), hashes, lengths, (np.cumsum(lengths) - lengths).astype(_TABLE), flat,
                   word_slots(hashes).astype(_TABLE), column(last, 0), column(first, 0), column(last or first, 1))


def _name_hashes(lexicon: Lexicon) -> tuple[_Hashed, _Hashed]:
    """The head words by length (shortest first) and the names (longest first), hashed: the words
    the look-up features find (a word of no type finds nothing)."""
    heads = [word for word, typ in lexicon.heads.items() if 1 <= len(word) <= MAX_LOOKUP and typ]
    tried_names = sorted({size for sizes in lexicon.name_sizes.values() for size in sizes}, reverse=True)
    names = [name for name, typ in lexicon.names.items() if len(name) in tried_names and name[:2] in lexicon.name_sizes and typ]
    last = sorted((ord(ch), sum(1 << size for size in sizes)) for ch, sizes in lexicon.head_sizes.items())
    first = sorted((_key(start), sum(1 << size for size in sizes)) for start, sizes in lexicon.name_sizes.items())
    return (_Hashed.of(heads, sorted({len(word) for word in lexicon.heads if 1 <= len(word) <= MAX_LOOKUP}), last, []),
            _Hashed.of(names, tried_names, [], first))


def _prefix_hashes(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """prefix[i] = the hash of the first i characters as `_hash` computes it, and the inverse powers
    of the base, so that the hash of text[i:i + k] is (prefix[i + k] - prefix[i]) * unpower[i]
    (all modulo 2^64, as numpy's unsigned integers wrap)."""
    n = len(codes)
    base = np.full(n, _BASE, dtype=np.uint64)
    base[:1] = 1
    unbase = np.full(n + 1, _UNBASE, dtype=np.uint64)
    unbase[0] = 1
    prefix = np.zeros(n + 1, dtype=np.uint64)
    prefix[1:] = np.cumsum(codes * np.cumprod(base, dtype=np.uint64), dtype=np.uint64)
    return prefix, np.cumprod(unbase, dtype=np.uint64)
