"""The lexicon finder: national programs (厕所革命) and well-known places and bodies without a head word (黄河, 公安部)."""
from __future__ import annotations


from ..knowledge import Knowledge
from ..model import Mention, Token
from ..segment import words_of


def lexicon_mentions(tokens: list[Token], knowledge: Knowledge) -> list[Mention]:
    """National programs (厕所革命) and well-known places and bodies without a head word (黄河, 公安部)."""
    out = []
    programs, landmarks = knowledge.programs, knowledge.landmarks
    for index in [i for i, word in enumerate(words_of(tokens)) if word in programs or word in landmarks]:
        t = tokens[index]
        if t.text in knowledge.programs:
            out.append(Mention(t.start, t.end, t.text, "Program", "", "lexicon.program"))
        elif t.text in knowledge.landmarks:
            typ, subtype = knowledge.landmarks[t.text]
            out.append(Mention(t.start, t.end, t.text, typ, subtype, "lexicon.landmark"))
    return out
