"""What the tagger sees of each character: the characters around it, jieba's word and its part of
speech, the head words and names that end or start there, and what the rules found.

`character_features` is a pure function of the text, its tokens, the rules' mentions and the
lexicon; the tagger is trained and applied on exactly these features.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Mention, Token
from ..finding import MAX_NAME
from ..segment import word_tag

# Longest head word looked up at each position, in characters (a lexicon name: kg.finding.MAX_NAME).
MAX_LOOKUP = 6
BOS, EOS = "^", "$"
_OPEN_QUOTES = frozenset("“‘「『《〈")
_CLOSE_QUOTES = frozenset("”’」』》〉")


@dataclass(frozen=True)
class Lexicon:
    """Word lists the features consult: head words by type, and names by type (mined from a corpus)."""

    heads: dict[str, str]  # head word → entity type
    names: dict[str, str]  # known name → entity type
    places: dict[str, tuple[str, ...]]  # division name or short form → the codes of the divisions so named
    # Look-up plans, so that a position no word can start or end at costs one dict probe:
    head_sizes: dict[str, tuple[int, ...]]  # last character → the lengths of the head words ending so, shortest first
    name_sizes: dict[str, tuple[int, ...]]  # first two characters → the lengths of the names starting so, longest first
    # word → its cluster at each granularity, coarsest first (words that share contexts in the corpus
    # share clusters: a short name the gold never shows falls in with the names it does)
    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, heads: dict[str, str], names: dict[str, str], places: dict[str, tuple[str, ...]] | None = None,
           clusters: dict[str, tuple[str, ...]] | None = None) -> "Lexicon":
        head_sizes: dict[str, set[int]] = {}
        for word in heads:
            if 1 <= len(word) <= MAX_LOOKUP:
                head_sizes.setdefault(word[-1], set()).add(len(word))
        name_sizes: dict[str, set[int]] = {}
        for name in names:
            if 2 <= len(name) <= MAX_NAME:
                name_sizes.setdefault(name[:2], set()).add(len(name))
        return cls(dict(heads), dict(names), dict(places or {}),
                   {ch: tuple(sorted(sizes)) for ch, sizes in head_sizes.items()},
                   {start: tuple(sorted(sizes, reverse=True)) for start, sizes in name_sizes.items()},
                   dict(clusters or {}))


def char_class(ch: str) -> str:
    """A coarse class: Han, digit, Latin, open or close quote, punctuation."""
    if "\u4e00" <= ch <= "\u9fff":
        return "H"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha() or "Ａ" <= ch <= "ｚ":
        return "L"
    if ch in _OPEN_QUOTES:
        return "Q"
    if ch in _CLOSE_QUOTES:
        return "q"
    return "P"


def character_features(text: str, tokens: list[Token], mentions: list[Mention] | tuple[Mention, ...],
                       lexicon: Lexicon, home: str = "") -> list[list[str]]:
    """One list of feature strings per character of `text`; `home` is the division code of the
    report's subject (a county's short form is a name in its own province's reports, a word elsewhere)."""
    n = len(text)
    padded = BOS + BOS + text + EOS + EOS
    classes = [_class_of(ch) for ch in padded]
    # the five characters around each position, as parallel sequences (zip is far faster than indexing)
    cm2, cm1, c0, cp1, cp2 = padded[0:n], padded[1:n + 1], padded[2:n + 2], padded[3:n + 3], padded[4:n + 4]
    feats = [
        ["c=" + a, "c-1=" + b, "c+1=" + c, "c-2=" + d, "c+2=" + e,
         "b-1=" + b + a, "b+1=" + a + c, "b-2=" + d + b, "b+2=" + c + e,
         "t0=" + b + a + c, "k=" + ka + kb + kc]
        for a, b, c, d, e, ka, kb, kc in zip(c0, cm1, cp1, cm2, cp2, classes[2:n + 2], classes[1:n + 1], classes[3:n + 3])
    ]
    _token_features(feats, tokens)
    _cluster_features(feats, tokens, lexicon.clusters)
    _quote_features(feats, text)
    _lookup_features(feats, text, lexicon, home)
    _mention_features(feats, mentions)
    return feats


_CLASSES: dict[str, str] = {}


def _class_of(ch: str) -> str:
    cls = _CLASSES.get(ch)
    if cls is None:
        cls = _CLASSES[ch] = char_class(ch)
    return cls


def _token_features(feats: list[list[str]], tokens: list[Token]) -> None:
    before = previous = BOS
    last = len(tokens) - 1
    for index, token in enumerate(tokens):
        word, start, end = token.text, token.start, token.end
        tag = word_tag(word)
        following = tokens[index + 1].text if index < last else EOS
        length = end - start
        this = "w=" + word
        if length == 1:
            feats[start].extend((this, "wp=S" + tag, "wl=S1"))
        else:
            size = "3" if length > 3 else str(length)
            feats[start].extend((this, "wp=B" + tag, "wl=B" + size))
            if length > 2:
                middle = ("wp=M" + tag, "wl=M" + size)
                for pos in range(start + 1, end - 1):
                    feats[pos].extend((this, *middle))
            feats[end - 1].extend((this, "wp=E" + tag, "wl=E" + size))
        after = tokens[index + 2].text if index + 1 < last else EOS
        feats[start].extend(("w-1=" + previous, "w-1|w=" + previous + "|" + word, "w-2=" + before, "p-1=" + word_tag(previous)))
        feats[end - 1].extend(("w+1=" + following, "w|w+1=" + word + "|" + following, "w+2=" + after, "p+1=" + word_tag(following)))
        before, previous = previous, word


def _cluster_features(feats: list[list[str]], tokens: list[Token], clusters: dict[str, tuple[str, ...]]) -> None:
    """Each word's clusters at every character of it: q0=, q1=… coarsest first."""
    for token in tokens:
        own = clusters.get(token.text)
        if own:
            marks = [f"q{level}={c}" for level, c in enumerate(own)]
            for pos in range(token.start, token.end):
                feats[pos].extend(marks)


def _quote_features(feats: list[list[str]], text: str) -> None:
    depth = 0
    for i, ch in enumerate(text):
        if ch in _CLOSE_QUOTES:
            depth = max(depth - 1, 0)
        if depth:
            feats[i].append("inq")
        if ch in _OPEN_QUOTES:
            depth += 1
        elif ch == "\n":
            depth = 0


def _lookup_features(feats: list[list[str]], text: str, lexicon: Lexicon, home: str) -> None:
    heads, names, places = lexicon.heads, lexicon.names, lexicon.places
    head_sizes, name_sizes = lexicon.head_sizes, lexicon.name_sizes
    province, city = home[:2], home[:4]
    n = len(text)
    for i in range(n):
        sizes = head_sizes.get(text[i])
        if sizes:
            for size in sizes:  # the shortest head word ending here
                if size > i + 1:
                    break
                typ = heads.get(text[i - size + 1:i + 1])
                if typ:
                    feats[i].append("he=" + typ)
                    for k in range(i - size + 1, i):
                        feats[k].append("hin=" + typ)
                    break
        sizes = name_sizes.get(text[i:i + 2])
        if sizes:
            for size in sizes:  # the longest name starting here
                if size > n - i:
                    continue
                typ = names.get(text[i:i + size])
                if typ:
                    feats[i].append("ls=" + typ)
                    codes = places.get(text[i:i + size], ()) if province else ()
                    if codes:
                        near = "city" if any(c[:4] == city for c in codes) else "province" if any(c[:2] == province for c in codes) else "far"
                        feats[i].append("home=" + near + typ)
                    for k in range(i + 1, i + size - 1):
                        feats[k].append("li=" + typ)
                    feats[i + size - 1].append("le=" + typ)
                    break


def _mention_features(feats: list[list[str]], mentions) -> None:
    # The rules' mentions nest (a brand inside a project): the outer one marks its characters first.
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        rule = m.rule.split(".")[0] if m.rule else "r"
        feats[m.start].append("rB=" + m.type)
        feats[m.start].append("rr=" + rule + m.type)
        for k in range(m.start + 1, m.end):
            feats[k].append("rI=" + m.type)
        feats[m.end - 1].append("rE=" + m.type)
