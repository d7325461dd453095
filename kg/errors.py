"""The exceptions kg raises; each message names the file, line or value at fault."""


class KGError(Exception):
    """Base class of every error kg reports to its user."""

    code = "E000"

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


class KnowledgeError(KGError):
    """A knowledge file (lexicon, gazetteer, rules) is malformed."""

    code = "E100"


class InputError(KGError):
    """A document or path given by the user cannot be read."""

    code = "E200"


class GraphError(KGError):
    """A graph file cannot be read or written."""

    code = "E300"


class QueryError(KGError):
    """A SPARQL query is malformed or cannot be found."""

    code = "E400"


class SkippedError(InputError):
    """With --strict: files that could not be read (each is in `skipped`); nothing was written."""

    code = "E201"

    def __init__(self, skipped: list):
        self.skipped = list(skipped)
        n = len(self.skipped)
        super().__init__(f"{n} file{'s' if n != 1 else ''} could not be read and --strict is set; no output was written")
