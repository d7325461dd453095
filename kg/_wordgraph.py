"""jieba's word graph and best route over it, compiled by numba (cached like kg/learn/_kernels.py).

kg/segment.py holds jieba's dictionary (with kg's words) as a trie in one open-addressing hash
table: the node a fragment ends at is the slot that holds its last edge, keyed (parent << 21) |
code point, with the root a node of its own (`size`, one past the last slot). Each slot also
holds the word's log-probability and whether the fragment is a word or only starts words.
Imported when a Segmenter loads its dictionary.
"""
from __future__ import annotations

import numpy as np
from numba import njit

_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: multiply, keep the top bits
PLAIN, HMM = 0, 1  # a piece is a word as cut, or a run of single characters for jieba's HMM


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
def cut_blocks(text, starts, keys, weights, words, shift, single):  # pragma: no cover - compiled
    """jieba's cut (`Tokenizer.__cut_DAG`) of the blocks text[starts[b]:starts[b + 1]] (code points),
    as pieces: piece p ends at ends[p] and is PLAIN or HMM (kinds[p]); block b's pieces are
    firsts[b] to firsts[b + 1].

    The route is jieba's `calc`: from the last character back, the best log-probability to the end
    over the words starting here, each word's log-probability plus the best from its end, tried in
    increasing end with `>=` (jieba's max over (probability, end): a tie goes to the longer word),
    the same float64 additions in the same order; a character that starts no word is a word of its
    own at `single`. Then single characters in a row go together to jieba's HMM unless they make
    a dictionary word (spelled out one by one) or there is only one.
    """
    root = keys.shape[0]
    ends = np.empty(text.shape[0], dtype=np.int64)
    kinds = np.empty(text.shape[0], dtype=np.uint8)
    firsts = np.empty(starts.shape[0], dtype=np.int64)
    score = np.empty(text.shape[0] + 1)
    last = np.empty(text.shape[0], dtype=np.int64)
    pieces = 0
    for b in range(starts.shape[0] - 1):
        firsts[b] = pieces
        begin, stop = starts[b], starts[b + 1]
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
    firsts[starts.shape[0] - 1] = pieces
    return ends[:pieces], kinds[:pieces], firsts
