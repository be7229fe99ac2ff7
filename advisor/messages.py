"""The message catalogs: every sentence the command line prints, in each language, by key.

`advisor/locale/<lang>/*.yaml` map keys to text with {named} placeholders ({{ and }} stand for a brace);
every language has the same keys and placeholders (tests/test_messages.py). A `Message` is a key and its
values, rendered in a language only when printed, so one diagnostic can be shown in Japanese or English.
The JSON Schemas' own English texts (errorMessage, title) are translated in `locale/<lang>/schemas.yaml`,
keyed by the English text, because the schemas are read by editors as they are.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

LOCALE = Path(__file__).parent / "locale"
SCHEMA_TEXTS = "schemas"  # locale/<lang>/schemas.yaml
_FIELD = re.compile(r"\{\{|\}\}|\{([a-z_]+)\}")


@lru_cache(maxsize=None)
def catalog(lang: str, part: str | None = None) -> dict[str, str]:
    """All keys of a language (the files of locale/<lang>/ but schemas.yaml), or one file's (`part`)."""
    from .load import read_file  # load imports diagnostics, which imports this module: import on first use

    if part is not None:
        return read_file(LOCALE / lang / f"{part}.yaml").data
    merged: dict[str, str] = {}
    for path in sorted((LOCALE / lang).glob("*.yaml")):
        if path.stem != SCHEMA_TEXTS:
            merged.update(read_file(path).data)
    return merged


def fill(template: str, values: dict[str, str]) -> str:
    return _FIELD.sub(lambda m: values[m.group(1)] if m.group(1) else m.group(0)[0], template)


def say(lang: str, key: str, /, **values: Any) -> str:
    return fill(catalog(lang)[key], {name: _text(value, lang) for name, value in values.items()})


@dataclass(frozen=True)
class Message:
    """A catalog key with its values (text, numbers, or other Messages), rendered in any language."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    def render(self, lang: str) -> str:
        return say(lang, self.key, **dict(self.values))

    def __str__(self) -> str:
        return self.render("en")

    def __lt__(self, other: Message) -> bool:  # diagnostics are listed in one order whatever the language
        return str(self) < str(other)


@dataclass(frozen=True)
class SchemaText(Message):
    """A JSON Schema's English errorMessage or title, as a message."""

    def render(self, lang: str) -> str:
        return self.key if lang == "en" else catalog(lang, SCHEMA_TEXTS)[self.key]


def msg(key: str, /, **values: Any) -> Message:
    return Message(key, tuple(sorted(values.items())))


def _text(value: Any, lang: str) -> str:
    return value.render(lang) if isinstance(value, Message) else str(value)
