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
