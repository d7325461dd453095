"""Mints every IRI kg writes: ASCII, readable, and stable between runs and builds."""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from pypinyin import lazy_pinyin
from pypinyin.seg.simpleseg import seg as pinyin_words

BASE = "https://kg.example.org/"
ID = BASE + "id/"
GAZETTEER = ID + "source/gb-t-2260"  # the source of the division hierarchy (kg/data/divisions.tsv)

_TYPE_PATH = {"Company": "company", "Project": "project", "Place": "place", "Program": "program", "Organization": "org"}


# pinyin is the slowest step of writing a graph and names repeat: remember the recent ones
@lru_cache(maxsize=65536)
def slug(name: str, limit: int = 48) -> str:
    """Lower-case ASCII pinyin of a name, words joined by '-' (新荣区 → xin-rong-qu).

    >>> slug("新荣区")
    'xin-rong-qu'
    """
    text = "-".join(w for word in pinyin_words(name) for w in _word_pinyin(word) if w)
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:limit].rstrip("-") or "x"


# lazy_pinyin(name) cuts the name into words (pypinyin's own cut, kept here) and reads each word
# on its own; most of its time goes on reading the words, and the words of names repeat (有限公司,
# 项目, 开发区) far more than the names do: each word is read once per process.
@lru_cache(maxsize=65536)
def _word_pinyin(word: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(word, errors=lambda chars: [chars]))


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def entity_iri(entity_type: str, name: str, code: str = "", context: str = "") -> str:
    """A division by its GB/T 2260 code; anything else by the pinyin of its name plus a short hash.

    The hash keeps homophones apart without depending on what else is in the build. A thing that
    its name alone does not identify (a town the gazetteer does not know, 市人民医院) has the IRI
    of the place it lies in as `context`, hashed with its name: the same name in two counties
    gives two nodes.

    >>> entity_iri("Place", "新荣区", "140212")
    'https://kg.example.org/id/place/cn-140212'
    >>> entity_iri("Place", "清水河镇", context=entity_iri("Place", "清水河县", "150124")) != entity_iri("Place", "清水河镇")
    True
    """
    if code:
        return f"{ID}place/cn-{code}"
    key = f"{entity_type}:{name}" + (f"{chr(31)}{context}" if context else "")
    return f"{ID}{_TYPE_PATH[entity_type]}/{slug(name)}-{_digest(key)}"


@lru_cache(maxsize=4096)  # asked for once per cited sentence
def document_iri(doc_id: str) -> str:
    return f"{ID}doc/{slug(doc_id.removesuffix('.txt'), 64)}-{_digest(doc_id)}"


def sentence_iri(doc_id: str, index: int) -> str:
    return f"{document_iri(doc_id)}/s{index}"


def statement_iri(*parts: object) -> str:
    """A fact's statement node, named by what it says and where (same fact, same IRI)."""
    return f"{ID}fact/{_digest(chr(31).join(map(str, parts)))}{_digest(repr(parts))}"
