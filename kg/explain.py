"""`kg explain`: sentence by sentence, the names each finder proposed, which were kept, which the
merge dropped and why, and the facts read, each with its rule id (kg/data/rules.tsv)."""
from __future__ import annotations

from dataclasses import dataclass, replace

from .convert import simplified_for_matching
from .extractor import Extractor
from .finding import find_mentions
from .model import Document, Extraction, Fact, Mention, Sentence
from .relations import subject_places
from .sentences import sentence_at
from .trace import MentionTrace


@dataclass(frozen=True)
class Explanation:
    """A document's extraction and the trace of how its mentions were found."""

    doc: Document
    extraction: Extraction
    trace: MentionTrace


def explain(doc: Document, extractor: Extractor) -> Explanation:
    """Extract `doc`, and find its mentions once more with a trace (the same text the extractor matches)."""
    simplified = simplified_for_matching(doc.text)
    matched = doc if simplified is None else replace(doc, text=simplified)
    trace = MentionTrace()
    ruled = find_mentions(matched, extractor.segmenter.tokens(matched.text), extractor.knowledge, trace)
    extraction = extractor.extract(doc)
    if extractor.model is not None:
        _note_the_model(trace, ruled, extraction, _inner_names_dropped(matched, extractor))
    return Explanation(doc, extraction, trace)


def _inner_names_dropped(doc: Document, extractor: Extractor) -> list[tuple[Mention, str]]:
    """The names the model's inner tagger read that its merge policy does not keep, with the reason."""
    reading = extractor.reading(doc)
    subject = subject_places(reading.mentions, extractor.knowledge, doc.id)
    dropped: list = []
    extractor.model.mentions(doc.text, reading, extractor.knowledge, subject, dropped)
    return [(Mention(s.start, s.end, doc.text[s.start:s.end], s.type, rule="learned.inner"), why) for s, why in dropped]


def _note_the_model(trace: MentionTrace, ruled: list[Mention], extraction: Extraction,
                    inner_dropped: list[tuple[Mention, str]]) -> None:
    """The learned model decides which names there are (kg/learn/model.py, merge): its own names are
    its proposals, a name the rules kept that it does not read is dropped by it, and so is a name its
    inner tagger read that the merge policy does not keep (with the policy's reason)."""
    final = {(m.start, m.end, m.type) for m in extraction.mentions}
    # an inner name the outer tagger read as well (the whole of the name it tagged inside) is no loss
    inner_dropped = [(m, why) for m, why in inner_dropped if (m.start, m.end, m.type) not in final]
    trace.propose("model", [m for m in extraction.mentions if m.rule.startswith("learned.")] + [m for m, _ in inner_dropped])
    for m in ruled:
        if (m.start, m.end, m.type) not in final:
            trace.drop(m, "the learned model does not read it as a name here (the rules' names are among what it weighs)")
    for m, why in inner_dropped:
        trace.drop(m, f"the learned model's merge: {why}")


def format_explanation(explanation: Explanation, rules: dict) -> list[str]:
    """Lines of text: each sentence where something was proposed, then the rules used and what they read."""
    ex, trace, text = explanation.extraction, explanation.trace, explanation.doc.text
    lines = [f"document {explanation.doc.id}: subject {', '.join(ex.subject_places) or '(none)'}"]
    used: set[str] = set()
    by_sentence = _by_sentence(ex, trace)
    for sentence in ex.sentences:
        kept, dropped, facts = by_sentence.get(sentence.index, ([], [], []))
        if not (kept or dropped or facts):
            continue
        lines.append("")
        lines.append(f"[{sentence.index}] {sentence.text.strip()}")
        rows = [(m.start, m.end, 0, _mention_line("kept", m, text, trace.finder_of(m))) for m in kept]
        rows += [(m.start, m.end, 1, _mention_line("dropped", m, text, trace.finder_of(m)) + f": {why}") for m, why in dropped]
        lines += [row for *_, row in sorted(rows)]
        lines += [_fact_line(f) for f in facts]
        used |= {m.rule for m in kept} | {m.rule for m, _ in dropped} | {f.rule for f in facts}
    kept_count = sum(len(k) for k, _, _ in by_sentence.values())
    lines += ["", f"{kept_count} mentions kept, {len(trace.dropped)} dropped, {len(ex.facts)} facts", "", "rules:"]
    lines += [f"  {rule:<28} {rules[rule].description if rule in rules else '(not declared in rules.tsv)'}" for rule in sorted(used)]
    return lines


def _by_sentence(ex: Extraction, trace: MentionTrace) -> dict[int, tuple[list[Mention], list[tuple[Mention, str]], list[Fact]]]:
    out: dict[int, tuple[list, list, list]] = {}

    def slot(index: int | None):
        return out.setdefault(-1 if index is None else index, ([], [], []))

    for m in ex.mentions:
        slot(_index(ex.sentences, m.start))[0].append(m)
    for m, why in trace.dropped:
        slot(_index(ex.sentences, m.start))[1].append((m, why))
    for f in ex.facts:
        slot(f.sentence)[2].append(f)
    return out


def _index(sentences: tuple[Sentence, ...], offset: int) -> int | None:
    sentence = sentence_at(sentences, offset)
    return sentence.index if sentence else None


def _mention_line(status: str, m: Mention, text: str, finder: str) -> str:
    name = text[m.start:m.end]  # as written, when a traditional text was matched in simplified form
    kind = f"{m.type}/{m.subtype}" if m.subtype else m.type
    return f"  {status:<8} {kind:<20} {name}  [{m.rule}, {finder}]"


def _fact_line(f: Fact) -> str:
    tail = f.amount.wording if f.amount else f.tail
    basis = "" if f.basis == "text" else f" ({f.basis})"
    return f"  fact     {f.head} {f.relation} {tail}  [{f.rule}]{basis}"
