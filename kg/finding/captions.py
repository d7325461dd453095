"""The caption finder: a photo caption that is only an enterprise's brand and its trade names the enterprise."""
from __future__ import annotations

import re

from ..knowledge import Knowledge
from ..model import Mention
from .brands import brand_of


_MARKUP = re.compile(r"<[^<>\n]*>|\[[^\[\]\n]*\]\([^()\n]*\)|[*#>_`|-]|\s")


_CAPTION = re.compile(r"[\u4e00-\u9fff]{4,12}")


def caption_companies(text: str, knowledge: Knowledge) -> list[Mention]:
    """A photo caption that is only an enterprise's brand and its trade (某某建材, 山西某某特钢)
    names the enterprise. HTML tags and Markdown marks around the caption do not count."""
    out = []
    start = 0
    for line in text.split("\n"):
        caption = _MARKUP.sub("", line)
        if _CAPTION.fullmatch(caption):
            span = brand_of(caption, knowledge)
            trade = caption[span[1]:] if span else ""
            at = start + line.find(caption)
            if trade in knowledge.industry_words and trade not in knowledge.generic and at >= start:
                out.append(Mention(at, at + len(caption), caption, "Company", "", "caption.company"))
        start += len(line) + 1
    return out
