"""Reports in time, on a small multi-year build of real reports: each document's year and issuer in
the graph, facts dated through their sentence, and the named queries across years answer from it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import build
from kg.documents import read_document
from kg.queries import query_text, run_query
from kg.reports import clause_tense, read_report

# two years of three Shanxi cities: enough to follow a city from one report to the next
REPORTS = ("其他地市/长治市-2022.txt", "其他地市/长治市-2023.txt", "主要城市/太原市-2019.txt",
           "主要城市/太原市-2020.txt", "其他地市/晋城市-2022.txt", "其他地市/晋城市-2023.txt")


@pytest.fixture(scope="module")
def years_build(corpus, tmp_path_factory):
    paths = [corpus / name for name in REPORTS]
    out = tmp_path_factory.mktemp("years")
    return out, build(paths, out, html=False), {p.name: p.read_text(encoding="utf-8") for p in paths}


def _rows(out: Path, query: str, **params) -> list[dict]:
    columns, rows = run_query(out, query_text(query), {k: str(v) for k, v in params.items()})
    return [dict(zip(columns, row)) for row in rows]


def _entities(out: Path, doc: str) -> set[tuple[str, str]]:
    annotation = json.loads((out / "extract" / doc.replace(".txt", ".json")).read_text(encoding="utf-8"))
    return {(e["text"], e["type"]) for e in annotation["entities"]} | {(e.get("same_as"), e["type"]) for e in annotation["entities"]}


def test_time_every_document_has_its_year_and_issuer(years_build, knowledge):
    out, result, texts = years_build
    assert result.without_year == 0
    rows = run_query(out, "SELECT ?id ?year ?code ?title WHERE { ?d dcterms:identifier ?id ; dcterms:date ?year ; "
                          "dcterms:title ?title ; dcterms:spatial/kgo:divisionCode ?code }")[1]
    assert len(rows) == len(REPORTS)
    for doc, year, code, title in rows:
        report = read_report(texts[doc], knowledge)
        assert (int(year), code, title) == (report.year, report.issuer, report.title)
        assert doc.startswith(knowledge.divisions[code].name) and doc.endswith(f"-{year}.txt")


def test_time_projects_by_year(years_build):
    out, _, texts = years_build
    rows = _rows(out, "projects-by-year", name="长治市")
    assert {r["year"] for r in rows} == {"2022", "2023"}
    for r in rows:  # each project is named in the place's report of that year, in the sentence given
        assert r["document"] == f"长治市-{r['year']}.txt"
        assert r["sentence"] in texts[r["document"]]
        assert set(filter(None, r["tenses"].split(","))) <= {"done", "planned"}
    assert any(r["tenses"] for r in rows)
    # a short name works as for the other place queries
    assert len(_rows(out, "projects-by-year", name="长治")) == len(rows)


def test_time_programs_across_cities_by_first_year(years_build):
    out, _, texts = years_build
    rows = _rows(out, "programs-across-cities", province="山西省")
    assert rows
    by_program: dict[str, list[dict]] = {}
    for r in rows:
        by_program.setdefault(r["program"], []).append(r)
    for program, cities in by_program.items():
        assert len(cities) == cities[0]["cities"] >= 2
        assert [c["first_year"] for c in cities] == sorted(c["first_year"] for c in cities)
        for c in cities:  # the city's report of that year names it; an earlier one of the build does not
            years = sorted(int(n[-8:-4]) for n in texts if n.startswith(c["city"]))
            assert int(c["first_year"]) in years
            earlier = [y for y in years if y < int(c["first_year"])]
            for y in earlier:
                assert (program, "Program") not in _entities(out, f"{c['city']}-{y}.txt")
    assert any(len({c["first_year"] for c in cities}) > 1 for cities in by_program.values())


def test_time_new_in_report_against_the_previous_year(years_build):
    out, _, texts = years_build
    rows = _rows(out, "new-in-report", name="晋城市", year=2023)
    assert rows and {(r["document"], r["previous"]) for r in rows} == {("晋城市-2023.txt", "晋城市-2022.txt")}
    before = _entities(out, "晋城市-2022.txt")
    now = _entities(out, "晋城市-2023.txt")
    for r in rows:
        assert (r["entity"], r["type"]) in now and (r["entity"], r["type"]) not in before
        assert r["sentence"] in texts["晋城市-2023.txt"]
    # the first report of a place has no previous one: nothing is new against nothing
    assert _rows(out, "new-in-report", name="晋城市", year=2022) == []


def test_time_planned_then_done(years_build, extractor):
    out, _, texts = years_build
    rows = _rows(out, "planned-then-done", name="太原市")
    assert rows
    in_clause = 0
    for r in rows:
        assert int(r["planned_year"]) < int(r["done_year"])
        assert r["planned"] in texts[f"太原市-{r['planned_year']}.txt"] and r["done"] in texts[f"太原市-{r['done_year']}.txt"]
        for tense in ("planned", "done"):  # the clause naming the entity says so (where its label is written as such)
            sentence = r[tense]
            tokens = extractor.segmenter.tokens(sentence)
            if r["entity"] in sentence:
                assert clause_tense(sentence, tokens, sentence.index(r["entity"]), extractor.knowledge) == tense, (r["entity"], sentence)
                in_clause += 1
            else:
                assert tense in sentence_words_tenses(tokens, extractor.knowledge), sentence
    assert in_clause


def sentence_words_tenses(tokens, knowledge) -> set[str]:
    """The tenses some clause of a sentence states."""
    words = [t.text for t in tokens]
    return {tense for tense, vocabulary in (("done", knowledge.done_words), ("planned", knowledge.planned_words))
            if vocabulary & set(words)}


def test_time_update_with_a_later_year_equals_a_clean_build(corpus, years_build, tmp_path):
    out, _, _ = years_build
    paths = [corpus / name for name in REPORTS]
    later = [p for p in paths if p.name.endswith("-2023.txt")]
    updated = tmp_path / "updated"
    build([p for p in paths if p not in later], updated, html=False)
    result = build(later, updated, html=False, update=True)
    assert result.without_year == 0 and result.in_build == len(REPORTS)
    assert (updated / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()
    assert _rows(updated, "new-in-report", name="晋城市", year=2023) == _rows(out, "new-in-report", name="晋城市", year=2023)


def test_time_facts_of_one_clause_share_a_tense_read_once_as_each_alone(corpus, extractor):
    """dated reads a clause's tense once for all its facts (a list of programs): the same tense as
    reading each fact's clause on its own."""
    from kg.reports import _where_stated, dated, sentence_tense
    doc = read_document(corpus / REPORTS[1])
    extraction = extractor.extract(doc)
    sentences = {s.index: s for s in extraction.sentences}
    shared = 0
    clauses = set()
    for fact in dated(extraction, extractor.segmenter, extractor.knowledge).facts:
        sentence = sentences[fact.sentence].text if fact.basis == "text" else None
        if sentence is None:
            continue
        tokens = extractor.segmenter.tokens(sentence)
        at = _where_stated(sentence, fact)
        alone = sentence_tense([t.text for t in tokens], extractor.knowledge) if at is None else clause_tense(sentence, tokens, at, extractor.knowledge)
        assert fact.tense == alone, (fact, sentence)
        key = (fact.sentence, sentence.rfind("，", 0, at or 0))
        shared += key in clauses
        clauses.add(key)
    assert shared > 20  # facts that shared a clause with an earlier one
