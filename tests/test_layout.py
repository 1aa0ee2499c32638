"""The layout shows the pipeline: data flows one way, content -> commands and site, and no stage reaches back.

Read from the sources (every import, at module level or inside a function, except those only for type
checkers), so a lazy import cannot hide a cycle or a layer reaching up.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "commons"

# Each layer may import only the layers listed for it (and itself). Lower layers never import higher ones.
LAYERS: dict[str, set[str]] = {
    "errors": set(),
    "content": set(),
    "gitio": set(),
    "markdown_text": {"content"},
    "analysis": {"content"},
    "sources": {"content", "gitio", "errors"},
    "site": {"content", "analysis", "sources", "gitio", "errors"},
    "commands": {"content", "analysis", "sources", "gitio", "errors", "markdown_text", "site"},
    "cli": {"errors", "commands", "content"},
    "bench": {"content", "analysis", "sources", "gitio", "errors", "markdown_text", "site", "commands"},
    "__main__": {"cli"},
}
# What content/ must never need: it runs in the validator, the editor schemas and every command.
NOT_IN_CONTENT = ("argparse", "mkdocs", "material", "git", "commons.gitio", "commons.site", "commons.commands")
MAX_LINES = 450  # "about 400 lines or fewer, one idea each"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports_of(module: str, path: Path) -> set[str]:
    """Every module `module` imports, absolute, outside `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.add(prefix)
            found.update(f"{prefix}.{alias.name}" for alias in node.names)  # `from pkg import module`
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


@cache
def _graph() -> dict[str, set[str]]:
    sources = _sources()
    return {m: {i for i in _imports_of(m, p) if i in sources and i != m} for m, p in sources.items()}


def _layer(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "__init__"


def test_the_import_graph_is_read_from_real_imports() -> None:
    """The checks below would pass on an empty graph: make sure it holds the edges everyone knows exist."""
    graph = _graph()
    assert "commons.content.load" in graph["commons.content.validate.repository"]  # at module level
    assert "commons.content.validate" in graph["commons.commands.validate"]  # inside a function
    assert "commons.errors" in graph["commons.cli"]


def test_there_are_no_import_cycles() -> None:
    graph = _graph()
    # Importing a package runs its __init__, so `from commons.content import body` depends on both.
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("module", sorted(_sources()))
def test_each_module_imports_only_lower_layers(module: str) -> None:
    layer = _layer(module)
    if layer == "__init__":
        return
    allowed = LAYERS[layer] | {layer}
    wrong = sorted(i for i in _graph()[module] if _layer(i) not in allowed and _layer(i) != "__init__")
    assert not wrong, f"{module} ({layer}) imports {wrong}; {layer} may import only {sorted(allowed)}"


def test_no_module_imports_the_cli() -> None:
    importers = sorted(m for m, deps in _graph().items() if "commons.cli" in deps and m != "commons.__main__")
    assert not importers, f"{importers} import commons.cli: take exit codes and errors from commons.errors"


@pytest.mark.parametrize("module", sorted(m for m in _sources() if _layer(m) == "content"))
def test_content_needs_no_argparse_mkdocs_or_git(module: str) -> None:
    imported = _imports_of(module, _sources()[module])
    wrong = sorted(i for i in imported if any(i == n or i.startswith(n + ".") for n in NOT_IN_CONTENT))
    assert not wrong, f"{module} imports {wrong}: content/ is files -> problems -> Catalog, nothing more"


@pytest.mark.parametrize("module", sorted(_sources()))
def test_modules_are_small_enough_to_read_in_one_sitting(module: str) -> None:
    lines = _sources()[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by idea (about 400 at most)"


def test_the_layout_check_catches_a_cycle_and_a_layer_reaching_up(tmp_path: Path) -> None:
    """The checks can fail: a content module importing the site is seen, relative or absolute."""
    fake = tmp_path / "commons" / "content" / "fake.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from ..site import build\nimport commons.cli\n", encoding="utf-8")
    imported = _imports_of("commons.content.fake", fake)
    assert {"commons.site", "commons.site.build", "commons.cli"} <= imported
