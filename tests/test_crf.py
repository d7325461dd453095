"""The CRF applied without crfsuite's string interface: features found as rows (kg.learn.compiled),
scores summed and Viterbi run by kg.learn.crf, checked against crfsuite's own tagger and against the
string features training uses, on real reports."""
from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pycrfsuite
import pytest

from kg.documents import find_files, read_document
from kg.errors import KnowledgeError
from kg.learn.compiled import FeatureIndex
from kg.learn.crf import emissions, read_crfsuite, viterbi
from kg.learn.features import Lexicon, character_features
from kg.learn.model import DEFAULT_MODEL, INNER, OUTER, home_of, trimmed
from kg.learn.tagger import spans_of
from kg.relations import subject_places


def _readings(extractor, paths):
    for path in paths:
        doc = read_document(path)
        reading = extractor.reading(doc)
        subject = subject_places(reading.mentions, extractor.knowledge, doc.id)
        yield doc.text, reading, home_of(subject, extractor.knowledge)


@pytest.fixture(scope="module")
def sample(seed_paths, corpus):
    """The seeds and twelve corpus reports drawn at random (seeded)."""
    reports = sorted(find_files([corpus]))
    return list(seed_paths) + random.Random(15).sample(reports, 12)


def test_crf_features_found_as_rows_are_the_string_features_character_by_character(extractor, sample):
    model = extractor.model
    checked = 0
    for text, reading, home in _readings(extractor, sample):
        strings = character_features(text, reading.tokens, reading.mentions, model.lexicon, home)
        # an index of every feature these strings hold, so that no template can go missing unseen
        index = FeatureIndex({f for features in strings for f in features}, model.lexicon)
        positions, rows = index.incidence(text, reading.tokens, reading.mentions, home)
        found = Counter(zip(positions.tolist(), (index.attributes[r] for r in rows.tolist())))
        expected = Counter((i, f) for i, features in enumerate(strings) for f in features)
        assert found == expected, (text[:30], list((expected - found).items())[:5], list((found - expected).items())[:5])
        checked += len(expected)
    assert checked > 1_000_000


def test_crf_word_codes_kept_across_reports_are_the_codes_of_a_fresh_index(extractor, sample, monkeypatch):
    """The model's index keeps its words' codes from report to report; kept, dropped when full, or
    never seen, they give each report the rows a new index gives it."""
    import kg.learn.compiled as compiled
    monkeypatch.setattr(compiled, "WORD_CACHE", 4000)  # smaller than two reports' words: it empties on the way
    model = extractor.model
    shared = FeatureIndex(model.index.attributes, model.lexicon)
    cleared = 0
    for text, reading, home in _readings(extractor, sample):
        before = len(shared._word_cache)
        kept = shared.incidence(text, reading.tokens, reading.mentions, home)
        cleared += len(shared._word_cache) < before
        fresh = FeatureIndex(model.index.attributes, model.lexicon).incidence(text, reading.tokens, reading.mentions, home)
        assert all(np.array_equal(a, b) for a, b in zip(kept, fresh))
    assert cleared >= 2


def test_crf_token_features_of_tokens_with_gaps_between_them_are_the_string_features(extractor, seed_paths):
    """Tokens that do not follow each other (not the segmenter's) are placed by their own offsets."""
    model = extractor.model
    text, reading, home = next(_readings(extractor, seed_paths[:1]))
    tokens = [t for i, t in enumerate(reading.tokens) if i % 3]
    strings = character_features(text, tokens, reading.mentions, model.lexicon, home)
    index = FeatureIndex({f for features in strings for f in features}, model.lexicon)
    positions, rows = index.incidence(text, tokens, reading.mentions, home)
    found = Counter(zip(positions.tolist(), (index.attributes[r] for r in rows.tolist())))
    assert found == Counter((i, f) for i, features in enumerate(strings) for f in features)
    assert sum(1 for features in strings for f in features if f.startswith("w=")) > 1000


def test_crf_token_features_of_long_words_are_the_string_features(extractor, seed_paths):
    """Words of many characters each (more pairs a word than a report's words have) give the string
    features too: the compiled pass (`_kernels.word_rows`) holds every pair they make."""
    from kg.model import Token
    model = extractor.model
    text, reading, home = next(_readings(extractor, seed_paths[:1]))
    text = text[:3000]
    tokens = [Token(text[i:i + 9], i, min(i + 9, len(text))) for i in range(0, len(text), 9)]
    strings = character_features(text, tokens, (), model.lexicon, home)
    index = FeatureIndex({f for features in strings for f in features}, model.lexicon)
    positions, rows = index.incidence(text, tokens, (), home)
    found = Counter(zip(positions.tolist(), (index.attributes[r] for r in rows.tolist())))
    assert found == Counter((i, f) for i, features in enumerate(strings) for f in features)
    assert sum(1 for features in strings for f in features if f.startswith("wp=M")) > 2000


def test_crf_character_classes_kept_from_report_to_report_are_the_string_features(extractor, seed_paths):
    """The classes of characters met before come from the index's table; those beyond U+FFFF
    (𠀀, 𝟘) are found each time: either way, the string features."""
    model = extractor.model
    text, reading, home = next(_readings(extractor, seed_paths[:1]))
    texts = ["𠀀县𝟘号“𠀀”。" + text[:200], text[:200] + "𠀀", text[:200]]
    strings = [character_features(t, [], (), model.lexicon, home) for t in texts]
    index = FeatureIndex({f for each in strings for features in each for f in features if f.startswith("k=")}, model.lexicon)
    for t, each in zip(texts * 2, strings * 2):  # the second time round, every class below U+10000 is in the table
        positions, rows = index.incidence(t, [], (), home)
        found = Counter(zip(positions.tolist(), (index.attributes[r] for r in rows.tolist())))
        assert found == Counter((i, f) for i, features in enumerate(each) for f in features if f.startswith("k="))
    assert index._class_table.any() and not index._class_table[0x10000 - 1]


def test_crf_keys_found_by_hash_are_where_a_binary_search_finds_them():
    """The index finds its keys by hashing them (`compiled._search`): the same places, and the same
    misses, as a binary search of the sorted keys, for any keys and either integer type; a key
    listed twice is found at its first place."""
    from kg.learn.compiled import _search
    rng = np.random.default_rng(13)
    for dtype in (np.uint64, np.int64):
        for size in (1, 2, 7, 1000):
            keys = np.unique(rng.integers(0, 2**62, size).astype(dtype))
            values = np.concatenate((keys[rng.integers(0, len(keys), 500)], rng.integers(0, 2**62, 500).astype(dtype),
                                     keys + dtype(1), np.arange(50, dtype=dtype)))
            index, hit = _search(values, keys)
            expected = np.searchsorted(keys, values).clip(0, len(keys) - 1)
            assert np.array_equal(hit, keys[expected] == values)
            assert np.array_equal(index[hit], expected[hit]) and hit.sum() >= 500
    twice = np.array([5, 9, 9, 12], dtype=np.uint64)
    assert _search(np.array([9, 12, 4], dtype=np.uint64), twice)[0][:2].tolist() == [1, 3]


def test_crf_tags_are_crfsuites_own_on_every_sentence_and_name(extractor, sample):
    model = extractor.model
    outer_crfsuite, inner_crfsuite = pycrfsuite.Tagger(), pycrfsuite.Tagger()
    outer_crfsuite.open(str(DEFAULT_MODEL / OUTER))
    inner_crfsuite.open(str(DEFAULT_MODEL / INNER))
    names = 0
    for text, reading, home in _readings(extractor, sample):
        strings = character_features(text, reading.tokens, reading.mentions, model.lexicon, home)
        sentences = [(s.start, s.end) for s in reading.sentences if s.end > s.start]
        expected = [span for start, end in sentences for span in spans_of(outer_crfsuite.tag(strings[start:end]), start)]
        positions, rows = model.index.incidence(text, reading.tokens, reading.mentions, home)
        assert model.outer.spans(len(text), positions, rows, sentences) == expected
        outer = [s for s in (trimmed(text, span) for span in expected) if s]
        inner = [span for s in outer for span in spans_of(inner_crfsuite.tag(strings[s.start:s.end]), s.start)]
        assert model.inner.spans(len(text), positions, rows, [(s.start, s.end) for s in outer]) == inner
        names += len(expected)
    assert names > 2000


def test_crf_a_tie_goes_to_the_first_label_as_in_crfsuite(tmp_path):
    # Characters whose features the model never saw score zero for every label: only the
    # transitions decide, and where they tie too, crfsuite keeps the first label.
    # Trained on sequences of one item, the model has no transition weights: every tie is complete.
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, label in ((["a"], "X"), (["b"], "Y"), (["c"], "X"), (["b", "d"], "Y")):
        trainer.append([features], [label])
    trainer.set_params({"c2": 1.0, "max_iterations": 20})
    trainer.train(str(tmp_path / "toy.crfsuite"))
    crfsuite = pycrfsuite.Tagger()
    crfsuite.open(str(tmp_path / "toy.crfsuite"))
    weights = read_crfsuite(tmp_path / "toy.crfsuite")
    assert set(weights.labels) == {"X", "Y"} and {"a", "b", "c"} <= set(weights.attributes) and not weights.transitions.any()
    index = FeatureIndex(weights.attributes, _empty_lexicon())
    row = {a: i for i, a in enumerate(index.attributes)}
    tags = []
    for features in (["unseen"] * 4, ["a", "unseen", "unseen", "b"], ["c", "c", "a"], ["unseen"], ["d", "unseen"]):
        positions = np.array([i for i, f in enumerate(features) if f in row], dtype=np.int64)
        rows = np.array([row[f] for f in features if f in row], dtype=np.int64)
        best = viterbi(emissions(len(features), positions, rows, index.weights(weights)),
                       np.array([0]), np.array([len(features)]), weights.transitions)
        assert [weights.labels[k] for k in best] == crfsuite.tag([[f] for f in features]), features
        tags += [weights.labels[k] for k in best]
    assert {"X", "Y"} <= set(tags)


def _empty_lexicon() -> Lexicon:
    return Lexicon.of({}, {})


def test_crf_a_file_that_is_not_a_crfsuite_model_is_refused_with_its_name(tmp_path):
    broken = tmp_path / "outer.crfsuite"
    broken.write_bytes(b"lCRF" + b"\0" * 10)
    with pytest.raises(KnowledgeError, match="outer.crfsuite"):
        read_crfsuite(broken)
    broken.write_bytes(b"not a model at all, but long enough to have a header of 48 bytes")
    with pytest.raises(KnowledgeError, match="not a CRFsuite linear-chain model"):
        read_crfsuite(broken)


def test_crf_pairs_skipped_without_crfsuite_are_below_its_threshold_and_change_no_fact(extractor, sample):
    from kg.extractor import rule_facts
    from kg.learn.model import merge, trigger_words
    from kg.learn.pairs import THRESHOLD, YES, PairFeatures, _Sums, _weighed, candidates, facts_of

    model, knowledge = extractor.model, extractor.knowledge
    classifier = model.pairs
    skipped = kept = 0
    for path in sample[:8]:
        doc = read_document(path)
        reading = extractor.reading(doc)
        subject = subject_places(reading.mentions, knowledge, doc.id)
        outer, inner = model.spans(doc.text, reading, subject)
        mentions = merge(doc.text, outer, inner, reading.mentions, knowledge)
        facts = rule_facts(doc.text, mentions, reading.sentences, subject, knowledge)
        document = PairFeatures(doc.text, mentions, reading.sentences, facts, trigger_words(knowledge))
        pairs = candidates(mentions, reading.sentences, bool(subject))
        sums = _Sums(classifier._margin, document)
        for c in pairs:
            f = document.of(c)
            # the weight sum found without the strings is theirs (up to the order it is added in)
            assert sums.of(c) == pytest.approx(sum(classifier._margin.get(a, 0.0) for a in f), abs=1e-9), f
            classifier._tagger.set([f])
            exact = classifier._tagger.marginal(YES, 0)
            if classifier._surely_no(f):
                skipped += 1
                assert exact < THRESHOLD, f
            else:
                kept += 1
                assert classifier.probability(f) == exact
        # CRFsuite asked only where its probability decides a fact: the same facts as asked for every pair
        exactly = [(_weighed(classifier.probability(document.of(c)), c), c) for c in pairs]
        by_subject = subject[0] if subject else ""
        assert classifier.facts(document, pairs, by_subject) == facts_of(exactly, by_subject)
    assert skipped > 2 * kept > 0  # most pairs are far below the threshold (seven in ten on these reports)
