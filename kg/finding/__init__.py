"""The mention-finding stage: components that each propose names with a rule id (gazetteer, heads,
lexicon, quotes, lists, policy, brands, captions, siblings) and the merge policy that decides
between them (merge.py), declared in pipeline.py."""
from .common import MAX_NAME
from .pipeline import COMPONENTS, Component, find_mentions

__all__ = ["COMPONENTS", "Component", "MAX_NAME", "find_mentions"]
