"""kg explain: the trace of mention finding accounts for every name proposed, and says why each
dropped one was dropped."""
from click.testing import CliRunner

from kg import Document, Extractor
from kg.cli import main
from kg.explain import explain, format_explanation


def _key(m):
    return m.start, m.end, m.rule


def test_explain_accounts_for_every_proposal_on_the_seeds(extractor, seed_docs):
    for doc in seed_docs:
        explanation = explain(doc, extractor)
        kept = {_key(m) for m in explanation.extraction.mentions}
        dropped = {_key(m) for m, _ in explanation.trace.dropped}
        proposed = {_key(m) for _, m in explanation.trace.proposed}
        assert len(proposed) > 50, doc.id
        # each name proposed is kept or dropped with a reason; each kept one was proposed (or made by the merge)
        assert proposed <= kept | dropped, (doc.id, sorted(proposed - kept - dropped)[:5])
        made = {k for k in kept - proposed}
        assert all(rule == "quote.program.headed" for _, _, rule in made), (doc.id, made)
        assert all(why for _, why in explanation.trace.dropped)


def test_explain_says_why_a_name_was_dropped(knowledge):
    extractor = Extractor(knowledge, model=None)  # the rules' own reasons
    text = "位于山西省大同市新荣区的大同隆基光伏科技有限公司今年扩产。龙门石窟游人如织。"
    explanation = explain(Document("t.txt", text), extractor)
    why = {(m.text, m.rule): reason for m, reason in explanation.trace.dropped}
    assert why[("大同", "gazetteer.short")] == "inside 大同隆基光伏科技有限公司 (Company, head.company.form)"
    assert why[("龙门石窟", "lexicon.landmark")] == "the same span was found first as Place by head.place.landmark"
    lines = format_explanation(explanation, extractor.knowledge.rules)
    assert "[1] 龙门石窟游人如织。" in lines
    assert "  kept     Company              大同隆基光伏科技有限公司  [head.company.form, heads]" in lines
    assert any(line.startswith("  fact     大同隆基光伏科技有限公司 locatedIn 新荣区  [trigger.located.in]") for line in lines)
    assert any(line.startswith("  head.company.form ") and "legal form" in line for line in lines)


def test_explain_command_reads_a_file_or_the_text(seed_paths):
    runner = CliRunner()
    by_file = runner.invoke(main, ["explain", str(seed_paths[0])])
    assert by_file.exit_code == 0 and f"document {seed_paths[0].name}: subject 新荣区" in by_file.output
    assert "  kept     " in by_file.output and "  dropped  " in by_file.output and "  fact     " in by_file.output
    by_text = runner.invoke(main, ["explain", "--rules-only", "推进海淀区万泉河湿地公园建设。"])
    assert by_text.exit_code == 0 and "  kept     Place/Landmark       万泉河湿地公园  [head.place.landmark, heads]" in by_text.output


def test_explain_names_what_the_learned_model_dropped_of_the_rules(extractor, seed_docs):
    explanation = explain(seed_docs[0], extractor)
    by_model = [m for m, why in explanation.trace.dropped if why.startswith("the learned model does not read it")]
    found = {(m.start, m.end, m.type) for m in explanation.extraction.mentions}
    assert by_model and all((m.start, m.end, m.type) not in found for m in by_model)
    assert any(m.rule.startswith("learned.") for m in explanation.extraction.mentions)


def test_explain_command_names_a_missing_file_in_one_line(tmp_path):
    result = CliRunner().invoke(main, ["explain", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert result.output.strip() == f"kg: error: [E200] {tmp_path / 'nope.txt'}: not a readable .txt file (give a file, or the text itself)"


def test_explain_names_what_the_learned_models_merge_dropped_of_its_inner_tagger(extractor, seed_docs):
    """The inner tagger's names that the merge policy does not keep are listed with its reason."""
    explanation = explain(seed_docs[0], extractor)
    text = explanation.doc.text
    found = {(m.start, m.end, m.type) for m in explanation.extraction.mentions}
    inner = [(m, why) for m, why in explanation.trace.dropped if why.startswith("the learned model's merge: ")]
    reasons = {why for _, why in inner}
    assert any("only part of an enterprise's name" in why for why in reasons), reasons
    assert any("only part of a place's name" in why for why in reasons), reasons
    for m, _ in inner:
        assert m.rule == "learned.inner" and text[m.start:m.end] == m.text
        assert (m.start, m.end, m.type) not in found
    lines = format_explanation(explanation, {})
    assert any("learned model's merge: a place that is only part of" in line for line in lines)
