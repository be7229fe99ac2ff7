"""One located diagnostic type, used by every input error."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    message: str
    code: str = ""  # the check that found it, for rule packs (advisor/check.py); "" for other input

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class InputError(Exception):
    """A user's or rule author's mistake: reported as located diagnostics, exit code 2."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics))
        super().__init__("\n".join(map(str, self.diagnostics)))


def did_you_mean(name: object, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' for a close match, else ''."""
    close = difflib.get_close_matches(str(name), sorted(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def show(value: object) -> str:
    """A value as a message quotes it: "text", 12, true, 2026-11-25, a mapping."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return str(value)


def kind_of(value: object) -> str:
    """What a value is, for "must be a mapping, not ...": a list, nothing, the value 3."""
    if isinstance(value, (dict, list)) or value is None:
        return show(value)
    return f"the value {show(value)}"
