"""The sibling finder: institutions listed after one that names its place (某某区人民医院、中医院、妇幼保健院)."""
from __future__ import annotations

import re

from ..knowledge import Knowledge
from ..model import Mention


def sibling_institutions(text: str, mentions: list[Mention], knowledge: Knowledge) -> list[Mention]:
    """Institutions listed after one that names its place (某某区人民医院、中医院、妇幼保健院):
    the bare names that follow are the same place's hospitals or schools, not kinds."""
    out = []
    places = {m.start for m in mentions if m.code}
    for m in mentions:
        if m.type != "Organization" or m.start not in places:
            continue
        end = m.end
        while text.startswith("、", end) and (name := _institution_at(text, end + 1, knowledge)):
            out.append(Mention(end + 1, end + 1 + len(name), name, "Organization", "", "list.sibling_institution"))
            end += 1 + len(name)
    return out


def _institution_at(text: str, pos: int, knowledge: Knowledge) -> str:
    """The longest name of three to eight characters at `pos` that ends in an institution's head word."""
    for size in range(8, 2, -1):
        name = text[pos:pos + size]
        head = knowledge.head_of(name)
        if len(name) == size and re.fullmatch(r"[\u4e00-\u9fff]+", name) and head is not None and head.type == "Organization" and name.endswith(head.word) and name not in knowledge.generic:
            return name
    return ""
