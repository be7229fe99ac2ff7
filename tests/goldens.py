"""Golden files: exact outputs kept in tests/golden/ and compared byte for byte.

After a deliberate change to an output, regenerate the golden files and review the diff:
    ADVISE_UPDATE_GOLDEN=1 python -m pytest tests
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, text: str) -> None:
    """`text` is tests/golden/<name> exactly; with ADVISE_UPDATE_GOLDEN=1 it becomes that file's content."""
    __tracebackhide__ = True
    path = GOLDEN / name
    if os.environ.get("ADVISE_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = difflib.unified_diff(expected.splitlines(keepends=True), text.splitlines(keepends=True),
                                    f"tests/golden/{name}", "output")
        pytest.fail(f"the output differs from tests/golden/{name}; if the change is deliberate, regenerate it with "
                    f"ADVISE_UPDATE_GOLDEN=1 and review the diff\n" + "".join(_visible(line) for line in diff))


def _visible(line: str) -> str:
    """A diff line, with a line that lacks its final newline marked as such (as `diff` does)."""
    return line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
