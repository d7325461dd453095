"""The policy finder: packages named by their number of articles (稳就业20条) in a sentence that publishes them."""
from __future__ import annotations

import re

from ..knowledge import Knowledge
from ..model import Mention
from .common import MAX_NAME, only_descriptive, strip_leading


_ARTICLES = re.compile(r"(\d{1,3})条(?=[、，。；,;和与及等）)\s]|$)")


MAX_ARTICLES = 200  # more "条" than a policy has: a count of things (背街小巷4085条)


def policy_packages(text: str, knowledge: Knowledge) -> list[Mention]:
    """Policy packages named by their number of articles (稳就业20条, 激活民间投资30条) in a
    sentence that publishes them; 新建道路20条 counts roads."""
    out = []
    for match in _ARTICLES.finditer(text):
        # the name runs back to the list separator or the publishing verb: 促进民营经济发展23条 keeps 促进
        start = max(text.rfind(ch, 0, match.start()) for ch in "、，。；：,;:\n“”") + 1
        verb = None
        for verb in knowledge.published.finditer(text, start, match.start()):
            pass
        if verb is not None:
            start = verb.end()
        start += strip_leading(text[start:match.start()], knowledge)
        if match.start() - start > MAX_NAME - 4:
            continue
        name = text[start:match.end()]
        specific = text[start:match.start()]
        sentence_start = max(text.rfind(ch, 0, start) for ch in "。！？\n") + 1
        if int(match.group(1)) > MAX_ARTICLES or len(specific) < 2 or specific.endswith(knowledge.counted_things) or not knowledge.published.search(text, sentence_start, start):
            continue
        if specific in knowledge.generic or only_descriptive(specific, knowledge, with_domains=True):
            continue
        out.append(Mention(start, match.end(), name, "Program", "", "policy.articles"))
    return out
