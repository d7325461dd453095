"""The CRF's two inner loops, compiled by numba (and cached beside this file, or in $NUMBA_CACHE_DIR).

Imported only when a learned model tags text, so that a build with the rules alone never loads numba.
"""
from __future__ import annotations

import numpy as np
from numba import njit

_LOWEST = -1.7976931348623157e308  # crfsuite's -FLOAT_MAX: any score beats it


@njit(cache=True, nogil=True)
def add_rows(length, positions, rows, weights):  # pragma: no cover - compiled
    scores = np.zeros((length, weights.shape[1]))
    for k in range(positions.shape[0]):
        at = positions[k]
        row = rows[k]
        for label in range(weights.shape[1]):
            scores[at, label] += weights[row, label]
    return scores


@njit(cache=True, nogil=True)
def add_rows_within(length, positions, rows, weights, wanted):  # pragma: no cover - compiled
    """add_rows for the characters `wanted` alone (the others' scores stay zero): the inner tagger
    reads only the characters of names, and skipping the others' pairs here costs less than
    choosing them first."""
    scores = np.zeros((length, weights.shape[1]))
    for k in range(positions.shape[0]):
        at = positions[k]
        if not wanted[at]:
            continue
        row = rows[k]
        for label in range(weights.shape[1]):
            scores[at, label] += weights[row, label]
    return scores


# nnan, nsz: the scores are sums of finite weights, and a zero's sign changes no comparison. They let
# the compiler take the best of a label's predecessors several at a time (Viterbi took a third less);
# the sums themselves are added in the same order as without them.
@njit(cache=True, nogil=True, fastmath={"nnan", "nsz"})
def best_paths(scores, starts, ends, transitions):  # pragma: no cover - compiled
    n, labels = scores.shape
    into = np.ascontiguousarray(transitions.T)  # into[j, i]: from label i to label j
    out = np.full(n, -1, dtype=np.int64)
    forward = np.empty((n, labels))  # the best score of a path to each label, with the label's own
    reached = np.empty((n, labels))  # and without it: the best of its predecessors'
    for s in range(starts.shape[0]):
        first, end = starts[s], ends[s]
        if end <= first:
            continue
        for j in range(labels):
            forward[first, j] = scores[first, j]
        for t in range(first + 1, end):
            for j in range(labels):
                best = _LOWEST
                for i in range(labels):
                    best = max(best, forward[t - 1, i] + into[j, i])
                reached[t, j] = best
                forward[t, j] = best + scores[t, j]
        best = _LOWEST
        arg = 0
        for j in range(labels):
            if best < forward[end - 1, j]:
                best = forward[end - 1, j]
                arg = j
        out[end - 1] = arg
        # back from the last label: the first predecessor whose score is the best one (the same sum,
        # made the same way), as crfsuite keeps the first label of a tie
        for t in range(end - 1, first, -1):
            before = 0
            for i in range(labels):
                if forward[t - 1, i] + transitions[i, arg] == reached[t, arg]:
                    before = i
                    break
            arg = before
            out[t - 1] = arg
    return out


@njit(cache=True, nogil=True)
def marked_spans(best, starts, ends, marks, kinds):  # pragma: no cover - compiled
    """tagger.spans_of over each sequence, on label numbers: `marks` holds each label's letter
    (0 O, 1 B, 2 I, 3 E, 4 S) and `kinds` its type's number."""
    found = []
    for s in range(starts.shape[0]):
        first, end = starts[s], ends[s]
        open_at = -1
        open_kind = -1
        for i in range(first, end + 1):
            if i < end:
                mark = marks[best[i]]
                kind = kinds[best[i]]
            else:
                mark = 0
                kind = -1
            if open_at >= 0 and (mark == 0 or mark == 1 or mark == 4 or kind != open_kind):
                found.append((open_at, i, open_kind))
                open_at = -1
                open_kind = -1
            if mark == 4:
                found.append((i, i + 1, kind))
            elif mark == 3:
                found.append((i if open_at < 0 else open_at, i + 1, kind))
                open_at = -1
                open_kind = -1
            elif (mark == 1 or mark == 2) and open_at < 0:
                open_at = i
                open_kind = kind
    out = np.empty((len(found), 3), dtype=np.int64)
    for k in range(len(found)):
        out[k, 0], out[k, 1], out[k, 2] = found[k]
    return out


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the high bits of key × 2^64/φ spread any keys


@njit(cache=True, nogil=True)
def _empty_slots(count):  # pragma: no cover - compiled
    """An empty open-addressing table for `count` entries (every slot -1: at least twice as many
    slots as entries, a power of two), and the shift and mask that Fibonacci hashing into it takes."""
    bits = 1
    while (1 << bits) < 2 * count:
        bits += 1
    return np.full(1 << bits, -1, dtype=np.int64), np.uint64(64 - bits), np.uint64((1 << bits) - 1)


@njit(cache=True, nogil=True)
def hash_slots(keys):  # pragma: no cover - compiled
    """An open-addressing table of `keys`: for each slot, the index of the key it holds (-1: none),
    at least twice as many slots as keys (a power of two); a key held twice keeps its first index."""
    slots, shift, mask = _empty_slots(keys.shape[0])
    for i in range(keys.shape[0]):
        key = np.uint64(keys[i])
        at = (key * _GOLDEN) >> shift
        while slots[at] >= 0 and np.uint64(keys[slots[at]]) != key:
            at = (at + np.uint64(1)) & mask
        if slots[at] < 0:
            slots[at] = i
    return slots


@njit(cache=True, nogil=True)
def find_keys(values, keys, slots):  # pragma: no cover - compiled
    """For each of `values`, the index of the same key in `keys` (0 where there is none), and whether there is one."""
    bits = 0
    while (1 << bits) < slots.shape[0]:
        bits += 1
    shift = np.uint64(64 - bits)
    mask = np.uint64(slots.shape[0] - 1)
    index = np.zeros(values.shape[0], dtype=np.int64)
    hit = np.zeros(values.shape[0], dtype=np.bool_)
    for k in range(values.shape[0]):
        value = np.uint64(values[k])
        at = (value * _GOLDEN) >> shift
        while True:
            i = slots[at]
            if i < 0:
                break
            if np.uint64(keys[i]) == value:
                index[k] = i
                hit[k] = True
                break
            at = (at + np.uint64(1)) & mask
    return index, hit


@njit(cache=True, nogil=True, inline="always")
def _index_of(value, keys, slots, shift, mask):  # pragma: no cover - compiled
    """find_keys for one value: the index of the same key in `keys`, or -1."""
    at = (value * _GOLDEN) >> shift
    while True:
        i = slots[at]
        if i < 0 or np.uint64(keys[i]) == value:
            return i
        at = (at + np.uint64(1)) & mask


@njit(cache=True, nogil=True)
def gram_rows(padded, width, keys, slots, rows, firsts, n, empty):  # pragma: no cover - compiled
    """The character n-gram features of one width (compiled._character_features): the key of the
    `width` code points from each place of `padded` (21 bits each), found in `keys` (by its hash
    `slots`), and for each template (a column of `rows`, the row of each key; a last line for no
    key) the (position, row) pairs of the n characters whose gram starts `firsts[column]` places
    further, template after template, the characters in order: the pairs the numpy passes gave,
    in their order, without the arrays between them."""
    bits = 0
    while (1 << bits) < slots.shape[0]:
        bits += 1
    shift = np.uint64(64 - bits)
    mask = np.uint64(slots.shape[0] - 1)
    places = padded.shape[0] - width + 1
    columns = rows.shape[1]
    found = np.empty((columns, places), dtype=np.int32)  # each template's row at each place, read in order below
    for p in range(places):
        key = np.uint64(0)
        for o in range(width):
            key = (key << np.uint64(21)) | np.uint64(padded[p + o])
        i = _index_of(key, keys, slots, shift, mask)
        line = i if i >= 0 else keys.shape[0]
        for c in range(columns):
            found[c, p] = rows[line, c]
    positions = np.empty(n * columns, dtype=np.int32)
    out = np.empty(n * columns, dtype=np.int32)
    k = 0
    for c in range(columns):
        first = firsts[c]
        for i in range(n):
            # written whether known or not, kept only when known: no branch to mispredict (whether a
            # character's gram has a row is a coin toss, and a missed guess cost more than the rest)
            row = found[c, first + i]
            positions[k] = i
            out[k] = row
            k += row != empty
    return positions[:k], out[:k]


@njit(cache=True, nogil=True, inline="always")
def _put(positions, out, k, at, row, empty):  # pragma: no cover - compiled
    """Append (at, row) unless `row` is `empty`; the count of pairs after. Written either way and
    kept or not, without a branch (see gram_rows)."""
    positions[k] = at
    out[k] = row
    return k + (row != empty)


@njit(cache=True, nogil=True)
def word_rows(ids, tags, starts, lengths, singles, shapes, neighbour_tags, length_rows,
              before_keys, before_slots, before_rows, after_keys, after_slots, after_rows,
              size, bos, eos, bos_tag, eos_tag, empty):  # pragma: no cover - compiled
    """The features of jieba's words (compiled._token_features) as (position, row) pairs, in the
    order its numpy passes gave them, template after template, each in the words' order:
    w= at each character of a word; wp= S, B, E, M (`shapes`' lines); wl= S1 S2 S3 B1 B2 B3 E1
    E2 E3 M3 (`length_rows`, -1 for none); w-1=, w-2= (`singles`' lines 1, 2), p-1= and the
    w-1|w= pairs at a word's first character, w+1=, w+2= (lines 3, 4), p+1= and w|w+1= at its last.
    `size` is the vocabulary's: a pair's key is first * size + second."""
    count = ids.shape[0]
    total = 0
    for w in range(count):
        total += lengths[w]
    capacity = 3 * total + 12 * count  # w=, wp=M and wl=M3 at most a pair a character each, the others a few a word
    positions = np.empty(capacity, dtype=np.int32)
    out = np.empty(capacity, dtype=np.int32)
    k = 0
    for w in range(count):  # w=
        row = singles[0, ids[w]]
        for at in range(starts[w], starts[w] + lengths[w]):
            k = _put(positions, out, k, at, row, empty)
    for w in range(count):  # wp=S
        if lengths[w] == 1:
            k = _put(positions, out, k, starts[w], shapes[0, tags[w]], empty)
    for w in range(count):  # wp=B
        if lengths[w] > 1:
            k = _put(positions, out, k, starts[w], shapes[1, tags[w]], empty)
    for w in range(count):  # wp=E
        if lengths[w] > 1:
            k = _put(positions, out, k, starts[w] + lengths[w] - 1, shapes[3, tags[w]], empty)
    for w in range(count):  # wp=M
        row = shapes[2, tags[w]]
        for at in range(starts[w] + 1, starts[w] + lengths[w] - 1):
            k = _put(positions, out, k, at, row, empty)
    for kind in range(3):  # wl=: S (one character), B and E (more), each by its length up to 3
        for s in range(1, 4):
            row = length_rows[3 * kind + s - 1]
            if row < 0:
                continue
            for w in range(count):
                n = lengths[w]
                if (n == 1) != (kind == 0) or min(n, 3) != s:
                    continue
                positions[k] = starts[w] + n - 1 if kind == 2 else starts[w]
                out[k] = row
                k += 1
    row = length_rows[9]
    if row >= 0:  # wl=M3
        for w in range(count):
            for at in range(starts[w] + 1, starts[w] + lengths[w] - 1):
                positions[k] = at
                out[k] = row
                k += 1
    before_bits = _bits_of(before_slots)
    after_bits = _bits_of(after_slots)
    for template in range(8):
        for w in range(count):
            first = starts[w]
            last = starts[w] + lengths[w] - 1
            previous = ids[w - 1] if w >= 1 else bos
            if template == 0:
                k = _put(positions, out, k, first, singles[1, previous], empty)
            elif template == 1:
                k = _put(positions, out, k, first, singles[2, ids[w - 2] if w >= 2 else bos], empty)
            elif template == 2:
                k = _put(positions, out, k, first, neighbour_tags[0, tags[w - 1] if w >= 1 else bos_tag], empty)
            elif template == 3:
                if before_keys.shape[0]:
                    i = _index_of(np.uint64(previous * size + ids[w]), before_keys, before_slots, np.uint64(64 - before_bits), np.uint64(before_slots.shape[0] - 1))
                    if i >= 0:
                        positions[k] = first
                        out[k] = before_rows[i]
                        k += 1
            elif template == 4:
                k = _put(positions, out, k, last, singles[3, ids[w + 1] if w + 1 < count else eos], empty)
            elif template == 5:
                k = _put(positions, out, k, last, singles[4, ids[w + 2] if w + 2 < count else eos], empty)
            elif template == 6:
                k = _put(positions, out, k, last, neighbour_tags[1, tags[w + 1] if w + 1 < count else eos_tag], empty)
            else:
                if after_keys.shape[0]:
                    following = ids[w + 1] if w + 1 < count else eos
                    i = _index_of(np.uint64(ids[w] * size + following), after_keys, after_slots, np.uint64(64 - after_bits), np.uint64(after_slots.shape[0] - 1))
                    if i >= 0:
                        positions[k] = last
                        out[k] = after_rows[i]
                        k += 1
    return positions[:k], out[:k]


@njit(cache=True, nogil=True, inline="always")
def _bits_of(slots):  # pragma: no cover - compiled
    bits = 0
    while (1 << bits) < slots.shape[0]:
        bits += 1
    return bits


@njit(cache=True, nogil=True)
def word_slots(hashes):  # pragma: no cover - compiled
    """An open-addressing table of every word's hash (`found_words`): for each slot, the index of
    the word it holds (-1: none); words of the same hash each hold a slot of their own."""
    slots, shift, mask = _empty_slots(hashes.shape[0])
    for i in range(hashes.shape[0]):
        at = (hashes[i] * _GOLDEN) >> shift
        while slots[at] >= 0:
            at = (at + np.uint64(1)) & mask
        slots[at] = i
    return slots


@njit(cache=True, nogil=True)
def found_words(codes, prefix, unpower, places, masks, tried, ending, hashes, lengths, offsets, flat, slots):  # pragma: no cover - compiled
    """The words of a list found in a text (`codes`): at each of `places`, the first length in the
    order `tried` that its bits in `masks` hold and that a word of the list has there, ending there
    (`ending`: head words) or starting there (names). A word is looked up by its hash (the text's
    `prefix` hashes, `unpower` undoing the base's powers: compiled._prefix_hashes) and taken when
    its characters are the text's. Returns where each word found starts, and its index in the list,
    length after length in the order tried, place after place (the order the pairs add up in)."""
    n = codes.shape[0]
    shift = np.uint64(64 - _bits_of(slots))
    mask = np.uint64(slots.shape[0] - 1)
    starts = np.empty(places.shape[0], dtype=np.int64)  # a word at most a place
    found = np.empty(places.shape[0], dtype=np.int64)
    ranks = np.empty(places.shape[0], dtype=np.int64)  # the place in `tried` of each word's length
    k = 0
    for j in range(places.shape[0]):
        place = places[j]
        bits = np.uint64(masks[j])
        for rank in range(tried.shape[0]):
            size = tried[rank]
            if (bits >> np.uint64(size)) & np.uint64(1) == 0:
                continue
            start = place - size + 1 if ending else place
            if start < 0 or start + size > n:
                continue
            word = _word_at(codes, start, size, (prefix[start + size] - prefix[start]) * unpower[start],
                            hashes, lengths, offsets, flat, slots, shift, mask)
            if word >= 0:
                starts[k] = start
                found[k] = word
                ranks[k] = rank
                k += 1
                break
    # length after length, place after place: a stable counting sort of the words by their lengths' ranks
    first = np.zeros(tried.shape[0] + 1, dtype=np.int64)
    for i in range(k):
        first[ranks[i] + 1] += 1
    for r in range(tried.shape[0]):
        first[r + 1] += first[r]
    ordered_starts = np.empty(k, dtype=np.int64)
    ordered = np.empty(k, dtype=np.int64)
    for i in range(k):
        at = first[ranks[i]]
        first[ranks[i]] += 1
        ordered_starts[at] = starts[i]
        ordered[at] = found[i]
    return ordered_starts, ordered


@njit(cache=True, nogil=True, inline="always")
def _word_at(codes, start, size, value, hashes, lengths, offsets, flat, slots, shift, mask):  # pragma: no cover - compiled
    """The index of the word of `size` characters at `start` of `codes` (its hash: `value`) in a
    table of words (`word_slots`), or -1."""
    at = (value * _GOLDEN) >> shift
    while slots[at] >= 0:
        word = slots[at]
        if hashes[word] == value and lengths[word] == size:
            same = True
            for c in range(size):
                if flat[offsets[word] + c] != codes[start + c]:
                    same = False
                    break
            if same:
                return word
        at = (at + np.uint64(1)) & mask
    return -1


@njit(cache=True, nogil=True)
def add_slots(slots, hashes, first, count):  # pragma: no cover - compiled
    """Put words first… count - 1 into `slots` (an open-addressing table as `word_slots` makes,
    at most half full with them)."""
    shift = np.uint64(64 - _bits_of(slots))
    mask = np.uint64(slots.shape[0] - 1)
    for i in range(first, count):
        at = (hashes[i] * _GOLDEN) >> shift
        while slots[at] >= 0:
            at = (at + np.uint64(1)) & mask
        slots[at] = i


@njit(cache=True, nogil=True)
def known_words(codes, prefix, unpower, bounds, hashes, lengths, offsets, flat, slots, values):  # pragma: no cover - compiled
    """For each word of a text (`codes`; the words start at `bounds`, the text's end after the
    last), the value of the same word in a table of words (`values`; -1 where it has none), found
    by its hash (from the text's `prefix` hashes, as found_words) and its characters; and each
    word's hash."""
    count = bounds.shape[0] - 1
    shift = np.uint64(64 - _bits_of(slots))
    mask = np.uint64(slots.shape[0] - 1)
    out = np.full(count, -1, dtype=np.int64)
    found_hashes = np.empty(count, dtype=np.uint64)
    for w in range(count):
        start = bounds[w]
        size = bounds[w + 1] - start
        value = (prefix[start + size] - prefix[start]) * unpower[start]
        found_hashes[w] = value
        word = _word_at(codes, start, size, value, hashes, lengths, offsets, flat, slots, shift, mask)
        if word >= 0:
            out[w] = values[word]
    return out, found_hashes


@njit(cache=True, nogil=True)
def cluster_pairs(entries, starts, lengths, first_rows, flat):  # pragma: no cover - compiled
    """The words' clusters' rows at each of their characters (compiled._cluster_features): word by
    word, each of its rows (flat[first_rows[entry]:first_rows[entry + 1]]) at each character in turn."""
    total = 0
    for w in range(entries.shape[0]):
        total += (first_rows[entries[w] + 1] - first_rows[entries[w]]) * lengths[w]
    positions = np.empty(total, dtype=np.int32)
    out = np.empty(total, dtype=np.int32)
    k = 0
    for w in range(entries.shape[0]):
        for r in range(first_rows[entries[w]], first_rows[entries[w] + 1]):
            row = flat[r]
            for at in range(starts[w], starts[w] + lengths[w]):
                positions[k] = at
                out[k] = row
                k += 1
    return positions, out


@njit(cache=True, nogil=True)
def quoted(codes, opening, closing):  # pragma: no cover - compiled
    """The characters inside quotation marks (compiled._quote_features), in order: a closing mark
    closes one level before it is read, an opening one opens one after, a line's end closes them all."""
    out = np.empty(codes.shape[0], dtype=np.int32)
    k = 0
    depth = 0
    for i in range(codes.shape[0]):
        c = codes[i]
        for mark in closing:
            if c == mark:
                depth = max(depth - 1, 0)
        out[k] = i
        k += depth > 0
        for mark in opening:
            if c == mark:
                depth += 1
        if c == 10:
            depth = 0
    return out[:k]
