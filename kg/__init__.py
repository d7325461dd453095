"""kg: knowledge graphs of Chinese regional-development reports.

The public API: read documents, extract one, build a folder, query the graph.
"""
from .builder import BuildResult, KnowledgeGraph, build
from .documents import iter_documents, read_document
from .errors import GraphError, InputError, KGError, KnowledgeError, QueryError
from .extractor import Extractor, extract
from .knowledge import default_knowledge, load_knowledge
from .model import Document, Extraction, Fact, Mention, Sentence
from .queries import named_queries, run_query

__all__ = [
    "BuildResult", "KnowledgeGraph", "build", "iter_documents", "read_document",
    "GraphError", "InputError", "KGError", "KnowledgeError", "QueryError",
    "Extractor", "extract", "default_knowledge", "load_knowledge",
    "Document", "Extraction", "Fact", "Mention", "Sentence", "named_queries", "run_query",
]
__version__ = "0.1.0"
