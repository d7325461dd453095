"""The package's shape: modules import one another without cycles, and kg's public names do not
hide its modules."""
import ast
import importlib
import sys
from pathlib import Path

import networkx as nx

import kg

PACKAGE = Path(kg.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The kg modules `path` imports, at its top or inside functions (a lazy import is still a dependency)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}  # from . import rdf: the module kg.rdf
    return {m for m in found if m in modules and m != name}


def import_graph() -> nx.DiGraph:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {_module_name(p) for p in paths}
    graph = nx.DiGraph()
    for path in paths:
        if path.name == "__init__.py":
            continue  # a package's __init__ gathers its public names; importing from it is not a cycle of modules
        graph.add_node(_module_name(path))
        graph.add_edges_from((_module_name(path), other) for other in _imports(path, modules) if other != "kg")
    return graph


def test_structure_modules_import_one_another_without_cycles():
    graph = import_graph()
    assert graph.number_of_edges() > 40  # the walk does see kg's imports,
    assert ("kg.cli", "kg.serve") in graph.edges  # those made inside functions too
    cycles = sorted(sorted(cycle) for cycle in nx.simple_cycles(graph))
    assert not cycles, f"import cycles: {cycles}"
def test_structure_public_names_do_not_hide_modules():
    """`kg.<name>` is one thing: a public function named like a module would make `import kg.<name>`
    hand back the function instead of the module."""
    modules = {_module_name(p).rpartition(".")[2] for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    assert {"extractor", "builder", "store"} <= modules
    assert not set(kg.__all__) & modules, set(kg.__all__) & modules
    for name in sorted(modules):
        module = importlib.import_module(f"kg.{name}")
        assert getattr(kg, name, module) is module is sys.modules[f"kg.{name}"], name
