"""One located diagnostic type, used by every input error; its message is a catalog Message (messages.py)."""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from .messages import Message, msg


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    message: Message
    code: str = ""  # the check that found it, for rule packs (advisor/check.py); "" for other input

    def says(self, lang: str = "en") -> str:
        """The message alone, in `lang`."""
        return self.message.render(lang)

    def text(self, lang: str = "en") -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.says(lang)}"

    def __str__(self) -> str:
        return self.text("en")


class InputError(Exception):
    """A user's or rule author's mistake: reported as located diagnostics, exit code 2."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics))
        super().__init__("\n".join(map(str, self.diagnostics)))


def report(diagnostics: Iterable[Diagnostic], lang: str = "en") -> str:
    """Diagnostics one to a line, `path:line:col: message` in `lang`, as advise prints them on stderr."""
    return "\n".join(d.text(lang) for d in diagnostics)


def did_you_mean(name: object, choices: Iterable[str]) -> Message | str:
    """The catalog's ' (did you mean "x"?)' for a close match, else ''."""
    close = difflib.get_close_matches(str(name), sorted(choices), n=1, cutoff=0.6)
    return msg("did_you_mean", name=close[0]) if close else ""


def show(value: object) -> Message | str:
    """A value as a message quotes it: "text", 12, true, 2026-11-25, a mapping."""
    if isinstance(value, bool):
        return "true" if value else "false"  # as written in YAML, in every language
    if value is None:
        return msg("value_nothing")
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (dict, list)):
        return msg("value_mapping" if isinstance(value, dict) else "value_list")
    return str(value)


def kind_of(value: object) -> Message | str:
    """What a value is, for "must be a mapping, not ...": a list, nothing, the value 3."""
    if isinstance(value, (dict, list)) or value is None:
        return show(value)
    return msg("value_the", value=show(value))
