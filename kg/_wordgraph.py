"""jieba's cut of a text (`Tokenizer.lcut`): its word graph, best route and HMM, compiled by numba
(cached like kg/learn/_kernels.py).

kg/segment.py holds jieba's dictionary (with kg's words) as a trie in one open-addressing hash
table: the node a fragment ends at is the slot that holds its last edge, keyed (parent << 21) |
code point, with the root a node of its own (`size`, one past the last slot). Each slot also
holds the word's log-probability and whether the fragment is a word or only starts words.
jieba's HMM (finalseg) for the runs of single characters is here too: its Viterbi over states
B, M, E, S with the model's log-probabilities as arrays (emissions for U+4E00-U+9FD5, the only
characters it looks up), and its split of the other characters by `re_skip`.
Imported when a Segmenter loads its dictionary.
"""
from __future__ import annotations

import numpy as np
from numba import njit

_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: multiply, keep the top bits
PLAIN, HMM = 0, 1  # a piece is a word as cut, or a run of single characters for jieba's HMM
HAN_FIRST, HAN_LAST = 0x4E00, 0x9FD5  # finalseg's re_han: the characters its Viterbi reads
STATES = "BMES"  # finalseg's order; a tie goes to the later letter (B < E < M < S) as in its max over (probability, state)
_RANK = np.array([0, 2, 1, 3], dtype=np.int64)  # B, M, E, S in letter order
_PREVIOUS = np.array([[2, 3], [1, 0], [0, 1], [3, 2]], dtype=np.int64)  # finalseg's PrevStatus: B ES, M MB, E BM, S SE
_B, _M, _E, _S = 0, 1, 2, 3


@njit(cache=True, nogil=True, inline="always")
def _slot(key, shift):  # pragma: no cover - compiled
    return np.int64((np.uint64(key) * _MIX) >> np.uint64(shift))


@njit(cache=True, nogil=True, inline="always")
def _child(keys, shift, node, code):  # pragma: no cover - compiled
    """The node after `node` on `code`, or -1: the fragment is not in the dictionary."""
    key = (node << 21) | code
    mask = keys.shape[0] - 1
    at = _slot(key, shift)
    while True:
        held = keys[at]
        if held == key:
            return at
        if held == -1:
            return -1
        at = (at + 1) & mask


@njit(cache=True, nogil=True)
def fill(parents, codes, shift, size):  # pragma: no cover - compiled
    """The table's keys for fragments given in order of length (each one's parent an index
    before it, -1 for the root), and each fragment's slot."""
    keys = np.full(size, -1, dtype=np.int64)
    slots = np.empty(parents.shape[0], dtype=np.int64)
    mask = size - 1
    for i in range(parents.shape[0]):
        node = size if parents[i] < 0 else slots[parents[i]]
        key = (node << 21) | codes[i]
        at = _slot(key, shift)
        while keys[at] != -1:
            at = (at + 1) & mask
        keys[at] = key
        slots[i] = at
    return keys, slots


@njit(cache=True, nogil=True)
def cut_text(text, keys, weights, words, shift, single, start_p, trans_p, emit_p, hmm):  # pragma: no cover - compiled
    """jieba's `Tokenizer.lcut` of `text` (code points) as its words' ends (`ends`), each word PLAIN,
    or HMM for a run of single characters left to the caller (`hmm` false) to cut with finalseg.

    As jieba.cut: the blocks of re_han_default's characters are cut with the dictionary
    (`_cut_block`); between them each character is a word, but for "\\r\\n" (re_skip_default's
    `(\\r\\n|\\s)` keeps a whitespace match whole and spells out the rest).
    """
    n = text.shape[0]
    ends = np.empty(n, dtype=np.int64)
    kinds = np.empty(n, dtype=np.uint8)
    score = np.empty(n + 1)
    last = np.empty(n, dtype=np.int64)
    back = np.empty((n, 4), dtype=np.int64)  # the Viterbi's best previous states
    pieces = 0
    at = 0
    while at < n:
        stop = at
        while stop < n and _in_block(text[stop]):
            stop += 1
        if stop > at:
            pieces = _cut_block(text, at, stop, keys, weights, words, shift, single, start_p, trans_p, emit_p, hmm,
                                score, last, back, ends, kinds, pieces)
            at = stop
        else:
            at += 2 if text[at] == 13 and at + 1 < n and text[at + 1] == 10 else 1
            ends[pieces] = at
            kinds[pieces] = PLAIN
            pieces += 1
    return ends[:pieces], kinds[:pieces]


@njit(cache=True, nogil=True, inline="always")
def _in_block(code):  # pragma: no cover - compiled
    """Is `code` one of re_han_default's characters: U+4E00-U+9FD5, ASCII letters and digits, +#&._%-?"""
    return (HAN_FIRST <= code <= HAN_LAST or _alnum(code) or code == 43 or code == 35 or code == 38 or code == 46
            or code == 95 or code == 37 or code == 45)


@njit(cache=True, nogil=True)
def _cut_block(text, begin, stop, keys, weights, words, shift, single, start_p, trans_p, emit_p, hmm,
               score, last, back, ends, kinds, pieces):  # pragma: no cover - compiled
    """jieba's cut of one block text[begin:stop] (`Tokenizer.__cut_DAG`), its words' ends added from
    `pieces` on; the new count.

    The route is jieba's `calc`: from the last character back, the best log-probability to the end
    over the words starting here, each word's log-probability plus the best from its end, tried in
    increasing end with `>=` (jieba's max over (probability, end): a tie goes to the longer word),
    the same float64 additions in the same order; a character that starts no word is a word of its
    own at `single`. Then single characters in a row go together to jieba's HMM unless they make
    a dictionary word (spelled out one by one) or there is only one: cut here by `_finalseg` when
    `hmm`, else left to the caller as one HMM piece.
    """
    root = keys.shape[0]
    score[stop] = 0.0
    for at in range(stop - 1, begin - 1, -1):
        found = False
        best = 0.0
        end = at + 1
        node = _child(keys, shift, root, text[at])
        while node >= 0:  # text[at:end] is a word or the start of one
            if words[node]:
                candidate = weights[node] + score[end]
                if not found or candidate >= best:
                    best = candidate
                    last[at] = end
                    found = True
            if end == stop:
                break
            node = _child(keys, shift, node, text[end])
            end += 1
        if not found:
            best = single + score[at + 1]
            last[at] = at + 1
        score[at] = best
    run = -1  # where the current run of single characters starts
    at = begin
    while at <= stop:
        end = last[at] if at < stop else stop
        if at < stop and end - at == 1:
            if run < 0:
                run = at
        else:
            if run >= 0:  # the run so far, as jieba flushes its `buf`
                if at - run == 1:
                    ends[pieces] = at
                    kinds[pieces] = PLAIN
                    pieces += 1
                else:
                    node = root
                    for k in range(run, at):
                        node = _child(keys, shift, node, text[k])
                        if node < 0:
                            break
                    if node >= 0 and words[node]:  # a word: its characters one by one
                        for k in range(run + 1, at + 1):
                            ends[pieces] = k
                            kinds[pieces] = PLAIN
                            pieces += 1
                    elif hmm:
                        pieces = _finalseg(text, run, at, start_p, trans_p, emit_p, back, ends, kinds, pieces)
                    else:
                        ends[pieces] = at
                        kinds[pieces] = HMM
                        pieces += 1
                run = -1
            if at == stop:
                break
            ends[pieces] = end
            kinds[pieces] = PLAIN
            pieces += 1
        at = end
    return pieces


@njit(cache=True, nogil=True, inline="always")
def _han(code):  # pragma: no cover - compiled
    return HAN_FIRST <= code <= HAN_LAST


@njit(cache=True, nogil=True, inline="always")
def _alnum(code):  # pragma: no cover - compiled
    return 48 <= code <= 57 or 65 <= code <= 90 or 97 <= code <= 122


@njit(cache=True, nogil=True)
def _finalseg(text, begin, stop, start_p, trans_p, emit_p, back, ends, kinds, pieces):  # pragma: no cover - compiled
    """jieba's `finalseg.cut` of text[begin:stop], its words' ends added from `pieces` on; the new count.

    Stretches of U+4E00-U+9FD5 go through its Viterbi (`viterbi`, `__cut`), the same float64 sums in
    the same order, ties to the later state letter; each other stretch is split as `re_skip.split`
    does (`[a-zA-Z0-9]+(?:\\.\\d+)?%?` and what lies between, each a word; a run holds no other digits).
    """
    at = begin
    while at < stop:
        end = at
        if _han(text[at]):
            while end < stop and _han(text[end]):
                end += 1
            previous = np.empty(4)
            current = np.empty(4)
            for y in range(4):
                previous[y] = start_p[y] + emit_p[y, text[at] - HAN_FIRST]
            for t in range(at + 1, end):
                for y in range(4):
                    emit = emit_p[y, text[t] - HAN_FIRST]
                    first, second = _PREVIOUS[y, 0], _PREVIOUS[y, 1]
                    one = previous[first] + trans_p[first, y] + emit
                    two = previous[second] + trans_p[second, y] + emit
                    if one > two or one == two and _RANK[first] > _RANK[second]:
                        current[y], back[t, y] = one, first
                    else:
                        current[y], back[t, y] = two, second
                for y in range(4):
                    previous[y] = current[y]
            state = _S if previous[_S] >= previous[_E] else _E
            # the best path, from its end back, written over column 0 (each row read before it is written)
            for t in range(end - 1, at, -1):
                following = back[t, state]
                back[t, 0] = state
                state = following
            back[at, 0] = state
            nexti = at
            for t in range(at, end):
                state = back[t, 0]
                if state == _E or state == _S:  # a word ends here (B starts one where the last ended)
                    ends[pieces] = t + 1
                    kinds[pieces] = PLAIN
                    pieces += 1
                    nexti = t + 1
            if nexti < end:
                ends[pieces] = end
                kinds[pieces] = PLAIN
                pieces += 1
        else:
            while end < stop and not _han(text[end]):
                end += 1
            k = at
            while k < end:
                match = k
                while match < end and not _alnum(text[match]):
                    match += 1
                if match > k:  # what lies before the next match
                    ends[pieces] = match
                    kinds[pieces] = PLAIN
                    pieces += 1
                if match == end:
                    break
                k = match
                while k < end and _alnum(text[k]):
                    k += 1
                if k + 1 < end and text[k] == 46 and 48 <= text[k + 1] <= 57:  # .digits
                    k += 2
                    while k < end and 48 <= text[k] <= 57:
                        k += 1
                if k < end and text[k] == 37:  # %
                    k += 1
                ends[pieces] = k
                kinds[pieces] = PLAIN
                pieces += 1
        at = end
    return pieces
