"""The jieba adapter: a private tokenizer with kg's domain words, yielding tokens with offsets."""
from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
import tempfile
from collections import deque
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate, repeat
from math import log
from pathlib import Path
from typing import NamedTuple

import numpy as np

def _import_jieba():
    """jieba, imported without pkg_resources: jieba 0.42 reads its data files through it when it can
    (importing it is a third of a second, a fifth of kg's start), and opens them beside its own
    modules when it cannot, which reads the same files."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        return
    sys.modules["pkg_resources"] = None  # an ImportError for jieba's `import pkg_resources`
    try:
        import jieba  # noqa: F401
    finally:
        del sys.modules["pkg_resources"]  # anyone else imports it as usual


_import_jieba()
import jieba  # noqa: E402
from jieba import finalseg  # noqa: E402

from .errors import GraphError
from .model import Token
from .writing import atomic_path

# A frequency high enough that jieba keeps a domain word whole against its general dictionary.
DOMAIN_FREQ = 200_000

jieba.setLogLevel(logging.WARNING)


class Segmenter:
    """Segments text as its own `jieba.Tokenizer` would, never touching jieba's global one: jieba's
    dictionary with kg's words walked by numba (kg/_wordgraph.py), its route, its HMM and its
    handling of the characters between blocks, all in one call a text (no cache of cut blocks:
    cutting again costs less than remembering, and keeps memory flat)."""

    def __init__(self, domain_words: Iterable[str] = ()):
        self._words = tuple(domain_words)
        self._graph: WordGraph | None = None

    def _ready(self) -> WordGraph:
        # Built lazily so a Segmenter pickles cheaply into worker processes.
        if self._graph is None:
            graph = _word_graph(self._words)
            graph.cut(np.frombuffer(b"", dtype=np.uint32), True)  # numba's compiled walk, loaded now (a call's types)
            _general_dictionary()  # loaded with the graph, so forked workers inherit all three
            self._graph = graph
        return self._graph

    def __getstate__(self):
        return {"_words": self._words}

    def __setstate__(self, state):
        self.__init__(state["_words"])

    def tokens(self, text: str) -> list[Token]:
        """Tokens of `text` in order, as `jieba.Tokenizer.lcut` cuts it; `text[t.start:t.end] == t.text` for each.

        >>> [t.text for t in Segmenter().tokens("大同市新荣区。大同市")]
        ['大同市', '新荣区', '。', '大同市']
        """
        words, bounds = self.words(text)
        # Token(word, start, end) at a fraction of the cost: a frozen dataclass's __init__ goes
        # through object.__setattr__ by name for each field, and a report has a token every two
        # characters; here each field is set through its slot, by map, in one pass a field
        out = Tokens(map(_new, repeat(Token, len(words))))
        out.words, out.bounds = words, bounds[:]
        deque(map(_set_text, out, words), 0)
        deque(map(_set_start, out, bounds), 0)
        del bounds[0]
        deque(map(_set_end, out, bounds), 0)
        return out

    def words(self, text: str) -> tuple[list[str], list[int]]:
        """The words of `text` as `tokens` cuts it, and where they start, with the text's end after
        the last: what reads only the words needs no Token made (kg.reports dates a fact by its sentence's).

        >>> Segmenter().words("大同市新荣区。")
        (['大同市', '新荣区', '。'], [0, 3, 6, 7])
        """
        graph = self._ready()
        # code points (a lone surrogate, which a str may hold, is one like any other)
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        # jieba's HMM splits its words apart when they were added with frequency 0 (a set global to
        # the process, empty unless someone asks): then the walk leaves its runs to finalseg itself
        compiled_hmm = not finalseg.Force_Split_Words
        ends, kinds = graph.cut(codes, compiled_hmm)
        bounds = [0, *ends.tolist()]  # each word starts where the one before it ends
        words = list(map(text.__getitem__, map(slice, bounds[:-1], bounds[1:])))
        if not compiled_hmm:
            words = [word for piece, kind in zip(words, kinds.tolist()) for word in (finalseg.cut(piece) if kind else (piece,))]
            bounds = list(accumulate(map(len, words), initial=0))
        return words, bounds


class Tokens(list):
    """A text's tokens (a list of Token, as `Segmenter.tokens` cuts it), with their words beside
    them as a list of their own and where they start (with the text's end after the last): the
    finders that look a report's words up read those lists (`words_of`, `token_bounds`) instead of
    each of its some 9,000 Tokens again, one finder after another."""

    __slots__ = ("words", "bounds")


def words_of(tokens: list[Token]) -> list[str]:
    """The tokens' words, in order: the list a Tokens keeps, else read off the tokens."""
    words = getattr(tokens, "words", None)
    return words if words is not None and len(words) == len(tokens) else [t.text for t in tokens]


def token_bounds(tokens: list[Token]) -> list[int] | None:
    """Where the tokens start, with the end of the last after them, when the tokens are a Tokens
    (they follow each other from the start of the text to its end); else None."""
    bounds = getattr(tokens, "bounds", None)
    return bounds if bounds is not None and len(bounds) == len(tokens) + 1 else None


# tokens() sets a Token's fields through their slots
_new, _set_text, _set_start, _set_end = object.__new__, Token.text.__set__, Token.start.__set__, Token.end.__set__


class WordGraph(NamedTuple):
    """jieba's dictionary with kg's words as the trie kg/_wordgraph.py walks: one hash table whose
    slots are the fragments (`keys`), each with its log-probability (`weights`) and whether it is
    a word or only starts words (`words`); `shift` turns a key's hash into a slot; `single` is a
    character's log-probability when it starts no word (jieba's log(1) - logtotal)."""

    keys: np.ndarray
    weights: np.ndarray
    words: np.ndarray
    shift: int
    single: float
    hmm: tuple[np.ndarray, np.ndarray, np.ndarray]  # finalseg's start, transition and emission log-probabilities

    def cut(self, text: np.ndarray, hmm: bool) -> tuple[np.ndarray, np.ndarray]:
        from ._wordgraph import cut_text

        return cut_text(text, self.keys, self.weights, self.words, self.shift, self.single, *self.hmm, hmm)


def _hmm_model() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """finalseg's model as the arrays kg/_wordgraph.py reads (states in its order, BMES): a
    missing entry is its MIN_FLOAT, as its `.get(..., MIN_FLOAT)`; emissions of U+4E00-U+9FD5."""
    from ._wordgraph import HAN_FIRST, HAN_LAST, STATES

    start = np.array([finalseg.start_P.get(y, finalseg.MIN_FLOAT) for y in STATES])
    trans = np.array([[finalseg.trans_P[y0].get(y, finalseg.MIN_FLOAT) for y in STATES] for y0 in STATES])
    emit = np.full((4, HAN_LAST - HAN_FIRST + 1), finalseg.MIN_FLOAT)
    for row, y in enumerate(STATES):
        for char, p in finalseg.emit_P[y].items():
            if len(char) == 1 and HAN_FIRST <= ord(char) <= HAN_LAST:
                emit[row, ord(char) - HAN_FIRST] = p
    return start, trans, emit


# Above this frequency in jieba's general dictionary a word is common (长城 1559, 精品 1959);
# brands are rare there or absent (华阳 58, 中煤 5).
COMMON_FREQ = 1000
COMMON_NOUN_FREQ = 130
# Parts of speech that never name an enterprise: verbs, adjectives, adverbs, numerals, function words.
_NOT_NAME_TAGS = frozenset({"v", "vd", "vn", "a", "ad", "an", "d", "m", "mq", "p", "c", "u", "r", "f", "q", "t", "uj", "ul", "y", "e"})


@lru_cache(maxsize=1)
def _general_dictionary() -> dict[str, tuple[int, str]]:
    """jieba's general dictionary, word → (frequency, part of speech); from the cache once parsed."""
    return _cached("general", b"", _parse_general_dictionary)


def _parse_general_dictionary() -> dict[str, tuple[int, str]]:
    entries = {}
    tags: dict[str, str] = {}
    with jieba.get_dict_file() as fh:
        for line in fh:
            parts = line.decode("utf-8").split()
            if len(parts) == 3:
                entries[parts[0]] = (int(parts[1]), tags.setdefault(parts[2], parts[2]))  # one string per tag
    return entries


def _word_table(domain_words: tuple[str, ...]) -> tuple[dict[str, float | None], float]:
    """jieba's dictionary with kg's domain words added (each at DOMAIN_FREQ), as the table the word
    graph is made from: each word's log-probability as jieba computes it, None for a fragment that
    only starts words; and a single character's fallback log-probability. From the cache once made."""
    key = "\n".join(domain_words).encode("utf-8") + b"\n" + str(DOMAIN_FREQ).encode()
    return _cached("words", key, lambda: _make_word_table(domain_words))


def _make_word_table(domain_words: tuple[str, ...]) -> tuple[dict[str, float | None], float]:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in domain_words:
        tokenizer.add_word(word, DOMAIN_FREQ)
    logtotal = log(tokenizer.total)
    return {word: log(freq) - logtotal if freq else None for word, freq in tokenizer.FREQ.items()}, 0.0 - logtotal


# What kg/_wordgraph.py's `fill` writes and `_child` reads: change it with them, so that a graph
# cached in another layout is not read (tests/test_speed.py compares the cached graph with one
# made afresh, which a stale file fails).
_GRAPH_LAYOUT = b"graph 1: keys (parent << 21) | code point, Fibonacci hashing, linear probing, at most half full"


def _word_graph(domain_words: tuple[str, ...]) -> WordGraph:
    """The word table as the trie kg/_wordgraph.py walks; from the cache once made (its arrays as
    bytes in the marshal file: loaded in a few milliseconds, and shared page for page by forked
    workers, where the table's dict of half a million strings took 80 MB in each process)."""
    key = "\n".join(domain_words).encode("utf-8") + b"\n" + str(DOMAIN_FREQ).encode() + b"\n" + _GRAPH_LAYOUT
    keys, weights, words, shift, single = _cached("graph", key, lambda: _make_word_graph(domain_words))
    return WordGraph(np.frombuffer(keys, dtype=np.int64), np.frombuffer(weights, dtype=np.float64),
                     np.frombuffer(words, dtype=np.uint8), shift, single, _hmm_model())


def _make_word_graph(domain_words: tuple[str, ...]) -> tuple[bytes, bytes, bytes, int, float]:
    from ._wordgraph import fill

    table, single = _word_table(domain_words)
    # shortest first, so each fragment's parent (itself less its last character) has its slot
    # already: jieba's FREQ holds every prefix of every word (gen_pfdict, add_word)
    fragments = sorted(table, key=len)
    index = {fragment: i for i, fragment in enumerate(fragments)}
    parents = np.array([index[f[:-1]] if len(f) > 1 else -1 for f in fragments], dtype=np.int64)
    codes = np.array([ord(f[-1]) for f in fragments], dtype=np.int64)
    bits = max(10, (2 * len(fragments)).bit_length())  # at most half the slots taken: short probes
    keys, slots = fill(parents, codes, 64 - bits, 1 << bits)
    weights = np.zeros(1 << bits)
    words = np.zeros(1 << bits, dtype=np.uint8)
    held = [i for i, fragment in enumerate(fragments) if table[fragment] is not None]
    weights[slots[held]] = [table[fragments[i]] for i in held]
    words[slots[held]] = 1
    return keys.tobytes(), weights.tobytes(), words.tobytes(), 64 - bits, single


# The dictionaries are parsed once and kept in a cache file (marshal: the fastest load of plain
# dicts); its name is a hash of what they are made from (jieba's version and dictionary file,
# kg's domain words, this Python's marshal format), so a changed input is a new file. The folder:
# $KG_CACHE_DIR, else $XDG_CACHE_HOME/kg or ~/.cache/kg, else the system's temporary folder.
CACHE_ENV = "KG_CACHE_DIR"
_CACHE_FORMAT = b"kg-segment-cache 1"


def cache_folder() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kg"


def _cached(kind: str, key: bytes, make):
    """`make()`'s value, from the cache file for (`kind`, `key`) when there is one, else made and stored.
    A file is trusted only when it holds its own name's digest: a damaged one is made again."""
    digest = hashlib.sha256(_CACHE_FORMAT)
    for part in (kind.encode(), key, jieba.__version__.encode(), sys.version.encode(), _dictionary_bytes()):
        digest.update(len(part).to_bytes(8, "little") + part)
    stamp = digest.hexdigest()
    name = f"{kind}-{stamp[:24]}.marshal"
    folders = (cache_folder(), Path(tempfile.gettempdir()) / "kg-cache")
    for folder in folders:
        try:
            held = marshal.loads((folder / name).read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            continue
        if isinstance(held, tuple) and len(held) == 2 and held[0] == stamp:
            return held[1]
    value = make()
    data = marshal.dumps((stamp, value))
    for folder in folders:
        try:  # a cache that cannot be written only costs the next run the parse
            folder.mkdir(parents=True, exist_ok=True)
            with atomic_path(folder / name) as tmp:
                tmp.write_bytes(data)
            break
        except (OSError, GraphError):
            continue
    return value


@lru_cache(maxsize=1)
def _dictionary_bytes() -> bytes:
    """What identifies jieba's dictionary file: its content's hash (5 MB hashed in about 10 ms)."""
    with jieba.get_dict_file() as fh:
        return hashlib.sha256(fh.read()).digest()


def common_word(word: str) -> bool:
    """Is `word` an ordinary word of Chinese (得益于, 一般, 长城) rather than a possible brand?"""
    freq, tag = _general_dictionary().get(word, (0, ""))
    return freq > COMMON_FREQ or tag in _NOT_NAME_TAGS


def common_noun(word: str) -> bool:
    """A common noun or set phrase in jieba's general dictionary (秸秆, 果蔬, 无公害), which an
    enterprise's short name is not; rarer nouns (汾酒 79, 鞍钢 114) may still be brands."""
    freq, tag = _general_dictionary().get(word, (0, ""))
    return tag in ("l", "i") or tag == "n" and freq > COMMON_NOUN_FREQ


def is_verb(word: str) -> bool:
    """Does jieba's general dictionary tag `word` as a verb (实施, 集合)?"""
    return _general_dictionary().get(word, (0, ""))[1].startswith("v")


def unfamiliar(word: str) -> bool:
    """Is `word` unknown to jieba's general dictionary, or only a rare proper name (中煤 5 nt)?
    The names of small enterprises are: jieba's HMM builds them from single characters."""
    freq, tag = _general_dictionary().get(word, (0, ""))
    return freq == 0 or freq < RARE_FREQ and tag in ("nt", "nz", "nr", "nrt")


RARE_FREQ = 50


def place_word(word: str) -> bool:
    """Does jieba's general dictionary tag `word` as a place name (大同, 成都: ns)?"""
    return _general_dictionary().get(word, (0, ""))[1] == "ns"


def word_tag(word: str) -> str:
    """jieba's part-of-speech tag for `word` in its general dictionary, or "x" for a word it does not know."""
    return _general_dictionary().get(word, (0, "x"))[1]
