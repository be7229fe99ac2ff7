"""The code itself: no function too complex to read (radon's cyclomatic complexity, the measure the project
keeps under 16), and no import cycle between the modules of advisor/."""
from __future__ import annotations

import ast
from pathlib import Path

from radon.complexity import cc_visit

PACKAGE = Path(__file__).parent.parent / "advisor"
MAX_COMPLEXITY = 15  # ruff's C901 is set to the same (pyproject.toml); radon also counts boolean operators


def _blocks(path: Path):
    for block in cc_visit(path.read_text(encoding="utf-8")):
        yield block
        yield from getattr(block, "methods", ())


def test_no_function_is_above_the_complexity_limit():
    found = [f"{path.name}:{block.lineno} {block.name} ({block.complexity})"
             for path in sorted(PACKAGE.glob("*.py")) for block in _blocks(path)
             if block.complexity > MAX_COMPLEXITY]
    assert found == []


def _imports(path: Path) -> set[str]:
    """The advisor modules a module imports when it is imported (module level, not inside functions)."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names.update([node.module] if node.module else [alias.name for alias in node.names])
    return names


def test_modules_import_each_other_without_cycles():
    graph = {path.stem: _imports(path) for path in PACKAGE.glob("*.py")}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, "import cycle: " + " -> ".join(path + (module,))
        if module in done:
            return
        for imported in sorted(graph.get(module, ())):
            visit(imported, path + (module,))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())
