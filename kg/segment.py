"""The jieba adapter: a private tokenizer with kg's domain words, yielding tokens with offsets."""
from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from math import log
from pathlib import Path

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

_ABSENT = object()  # not in the dictionary, not even as the start of a word
# A frequency high enough that jieba keeps a domain word whole against its general dictionary.
DOMAIN_FREQ = 200_000
# Blocks remembered per process: reports repeat their phrases (a quarter of the characters of a
# corpus sample are in blocks seen before), and a bounded cache keeps memory flat on any corpus.
CACHE_BLOCKS = 200_000

jieba.setLogLevel(logging.WARNING)


class Segmenter:
    """Segments text with its own `jieba.Tokenizer`, never touching jieba's global one."""

    def __init__(self, domain_words: Iterable[str] = ()):
        self._words = tuple(domain_words)
        self._loaded = False
        self._cache: dict[str, tuple[str, ...]] = {}
        self._table: dict[str, float | None] = {}
        self._single = 0.0
        self._hmm: dict[str, tuple[str, ...]] = {}

    def _ready(self) -> None:
        # Built lazily so a Segmenter pickles cheaply into worker processes.
        if not self._loaded:
            self._table, self._single = _word_table(self._words)
            self._loaded = True
            _general_dictionary()  # loaded with the table, so forked workers inherit both

    def __getstate__(self):
        return {"_words": self._words}

    def __setstate__(self, state):
        self.__init__(state["_words"])

    def tokens(self, text: str) -> list[Token]:
        """Tokens of `text` in order; `text[t.start:t.end] == t.text` for each.

        jieba cuts each block of Chinese/alphanumeric characters (and each run between them) on its
        own, so cutting block by block and remembering repeated blocks gives exactly its tokens.

        >>> [t.text for t in Segmenter().tokens("大同市新荣区。大同市")]
        ['大同市', '新荣区', '。', '大同市']
        """
        self._ready()
        cache = self._cache
        out: list[Token] = []
        append = out.append
        start = 0
        for block in jieba.re_han_default.split(text):
            if not block:
                continue
            words = cache.get(block)
            if words is None:
                if len(cache) >= CACHE_BLOCKS:
                    cache.clear()
                words = cache[block] = tuple(self._cut_han(block) if jieba.re_han_default.match(block) else _cut_other(block))
            for word in words:
                # Token(word, start, end) at half the cost: a frozen dataclass's __init__ goes through
                # object.__setattr__ by name for each field, and a report has a token every two characters
                token = _new(Token)
                _set_text(token, word)
                _set_start(token, start)
                start += len(word)
                _set_end(token, start)
                append(token)
        return out

    def _cut_han(self, block: str) -> list[str]:
        """jieba's own cut of a block of Chinese characters (`Tokenizer.__cut_DAG`, HMM on), without its overheads.

        Same dictionary, same arithmetic in the same order, same tie-breaking as jieba's `max`, so the
        same words; but the word graph is walked in one loop with one look-up per fragment, in a
        table of each dictionary word's log-probability made once per process (segmentation is most
        of kg's time).
        """
        table, single = self._table, self._single
        n = len(block)
        # jieba's route as two lists: the best log-probability from each position to the end, and
        # where the word starting there ends; max over (probability, end) is >= on the probability,
        # as the ends are tried in increasing order
        score: list[float] = [0.0] * (n + 1)
        ends: list[int] = [0] * n
        for idx in range(n - 1, -1, -1):
            best = None
            end = idx + 1
            weight = table.get(block[idx], _ABSENT)
            while weight is not _ABSENT:  # block[idx:end] is a word or the start of one
                if weight is not None:
                    candidate = weight + score[end]
                    if best is None or candidate >= best:
                        best, last = candidate, end
                if end == n:
                    break
                end += 1
                weight = table.get(block[idx:end], _ABSENT)
            if best is None:  # jieba's fallback: the single character, log(1) - logtotal
                best, last = single + score[idx + 1], idx + 1
            score[idx] = best
            ends[idx] = last
        words: list[str] = []
        buf = ""
        x = 0
        while x < n:
            y = ends[x]
            word = block[x:y]
            if y - x == 1:
                buf += word
            else:
                if buf:
                    self._flush(buf, words)
                    buf = ""
                words.append(word)
            x = y
        if buf:
            self._flush(buf, words)
        return words

    def _flush(self, buf: str, words: list[str]) -> None:
        # single characters in a row: jieba's HMM guesses unknown words among them (the same runs
        # recur across reports, and the HMM's answer depends on the run alone: remembered)
        if len(buf) == 1:
            words.append(buf)
        elif self._table.get(buf) is None:  # jieba's `not FREQ.get(buf)`: no word, or only the start of one
            cut = self._hmm.get(buf)
            if cut is None:
                if len(self._hmm) >= CACHE_BLOCKS:
                    self._hmm.clear()
                cut = self._hmm[buf] = tuple(finalseg.cut(buf))
            words.extend(cut)
        else:
            words.extend(buf)


def _cut_other(block: str) -> list[str]:
    """jieba's cut of a block that is not Chinese (punctuation, spaces, Latin letters and digits run
    together): each whitespace run on its own, every other character alone; no dictionary."""
    words: list[str] = []
    for part in jieba.re_skip_default.split(block):
        if jieba.re_skip_default.match(part):
            words.append(part)
        else:
            words.extend(part)
    return words


# tokens() sets a Token's fields through their slots
_new, _set_text, _set_start, _set_end = object.__new__, Token.text.__set__, Token.start.__set__, Token.end.__set__


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
    """jieba's dictionary with kg's domain words added (each at DOMAIN_FREQ), as the table _cut_han
    walks: each word's log-probability as jieba computes it, None for a fragment that only starts
    words; and a single character's fallback log-probability. From the cache once made."""
    key = "\n".join(domain_words).encode("utf-8") + b"\n" + str(DOMAIN_FREQ).encode()
    return _cached("words", key, lambda: _make_word_table(domain_words))


def _make_word_table(domain_words: tuple[str, ...]) -> tuple[dict[str, float | None], float]:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in domain_words:
        tokenizer.add_word(word, DOMAIN_FREQ)
    logtotal = log(tokenizer.total)
    return {word: log(freq) - logtotal if freq else None for word, freq in tokenizer.FREQ.items()}, 0.0 - logtotal


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
