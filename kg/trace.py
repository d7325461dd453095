"""What mention finding did, for `kg explain`: each finder's proposals and each mention the merge
dropped, with the reason. Extraction passes no trace and pays nothing for it."""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import Mention


@dataclass
class MentionTrace:
    proposed: list[tuple[str, Mention]] = field(default_factory=list)  # (finder, mention), in the order found
    dropped: list[tuple[Mention, str]] = field(default_factory=list)  # (mention, why)

    def propose(self, finder: str, mentions: list[Mention]) -> list[Mention]:
        """Record `mentions` as `finder`'s proposals; returns them, so a call wraps a finder's result."""
        self.proposed += [(finder, m) for m in mentions]
        return mentions

    def drop(self, mention: Mention, why: str) -> None:
        self.dropped.append((mention, why))

    def drop_missing(self, before: list[Mention], after: list[Mention], why: str) -> None:
        """Record as dropped, for `why`, each mention of `before` that `after` no longer holds."""
        kept = {id(m) for m in after}
        for m in before:
            if id(m) not in kept:
                self.drop(m, why)

    def finder_of(self, mention: Mention) -> str:
        """The finder that proposed `mention` (the same object, or the same span and rule)."""
        for finder, m in self.proposed:
            if m is mention:
                return finder
        for finder, m in self.proposed:
            if (m.start, m.end, m.rule) == (mention.start, mention.end, mention.rule):
                return finder
        return "merge"  # made by the merge itself (a quote joined with the headed name after it)
