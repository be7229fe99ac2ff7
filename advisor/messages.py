"""The message catalogs: every sentence the command line prints, in each language, by key.

`advisor/locale/<lang>/*.yaml` map keys to text with {named} placeholders ({{ and }} stand for a brace);
every language has the same keys and placeholders (tests/test_messages.py). A `Message` (diagnostics.py) is
a key and its values, rendered here in a language only when printed, so one diagnostic can be shown in
Japanese or English. The catalogs are YAML, read by load.py like every YAML file.
The JSON Schemas' own English texts (errorMessage, title) are translated in `locale/<lang>/schemas.yaml`,
keyed by the English text, because the schemas are read by editors as they are.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from .diagnostics import Diagnostic, Labelled, Message, Quoted, SchemaText, escaped, place
from .load import read_file
from .model import folded

LOCALE = Path(__file__).parent / "locale"
SCHEMA_TEXTS = "schemas"  # locale/<lang>/schemas.yaml
_FIELD = re.compile(r"\{\{|\}\}|\{([a-z_]+)\}")


@lru_cache(maxsize=None)
def catalog(lang: str, part: str | None = None) -> dict[str, str]:
    """All keys of a language (the files of locale/<lang>/ but schemas.yaml), or one file's (`part`). The merged
    catalog is kept in advise's cache (cache.cached_data): every run reads both languages (the explanation is made
    in each), and reading them as YAML took a sixth of a run's start-up."""
    if part is not None:
        return read_file(LOCALE / lang / f"{part}.yaml").data
    from . import cache  # here: `advise --help` needs no cache

    paths = [path for path in sorted((LOCALE / lang).glob("*.yaml")) if path.stem != SCHEMA_TEXTS]

    def merged() -> dict[str, str]:
        found: dict[str, str] = {}
        for path in paths:
            found.update(read_file(path).data)
        return found

    return cache.cached_data(f"catalog-{lang}", paths, merged, _is_catalog)


def _is_catalog(data: Any) -> bool:
    """Whether a cache entry has a catalog's shape: text by key."""
    return isinstance(data, dict) and all(isinstance(key, str) and isinstance(text, str) for key, text in data.items())


def fill(template: str, values: dict[str, str]) -> str:
    return _FIELD.sub(lambda m: values[m.group(1)] if m.group(1) else m.group(0)[0], template)


def say(lang: str, key: str, /, **values: Any) -> str:
    template = catalog(lang)[key]
    if lang == "ja":  # 「fee」を, not 「fee」 を: the space a catalog puts beside an ASCII-quoted value is not wanted
        for name in [name for name, value in values.items() if isinstance(value, Quoted)]:
            template = re.sub(rf"(?<=[^\x00-\x7f]) (?=\{{{name}\}})|(?<=\{{{name}\}}) (?=[^\x00-\x7f])", "",
                              template)
    return fill(template, {name: _text(value, lang) for name, value in values.items()})


def rendered(message: Message, lang: str) -> str:
    """The message in `lang`; a JSON Schema's own English text is translated by locale/<lang>/schemas.yaml."""
    if isinstance(message, SchemaText):
        return message.key if lang == "en" else catalog(lang, SCHEMA_TEXTS)[message.key]
    if isinstance(message, Labelled):
        values = dict(message.values)
        return labelled(values["label"].get(lang), values["value"], lang)
    return say(lang, message.key, **dict(message.values))


def labelled(label: str, value: str, lang: str) -> str:
    """An enum value's label with the value a scenario is written with beside it, unless they are spelled alike:
    "refused (rejected)", 「拒否（rejected）」, "accepted"."""
    if folded(label) == folded(value):
        return label
    return say(lang, "enum_labelled", label=label, value=value)


def located(diagnostic: Diagnostic, lang: str) -> str:
    """`path:line:col: message` in `lang`; `path: message` for a diagnostic about the file as a whole. Always one
    line: whatever a message quotes from a file (a key, a name) has its line breaks and controls escaped."""
    return f"{place(diagnostic)}: {escaped(rendered(diagnostic.message, lang))}"


def report(diagnostics: Iterable[Diagnostic], lang: str) -> str:
    """Diagnostics one to a line, as advise prints them on stderr."""
    return "\n".join(located(d, lang) for d in diagnostics)


def _text(value: Any, lang: str) -> str:
    return rendered(value, lang) if isinstance(value, Message) else str(value)
