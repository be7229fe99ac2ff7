"""Stage 7, render: advice -> the text a person reads, or JSON for programs (docs/json.md).

Every sentence comes from the pack (in the chosen language) or from the catalogs in locale/, so the
output is in one language only. Output is built whole before anything is printed.
"""
from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

from .explain import Advice, format_value
from .load import read_file
from .validate import PLACEHOLDER

SCHEMA_VERSION = 1
FORMATS = ("text", "json")


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    return read_file(Path(__file__).parent / "locale" / f"{lang}.yaml").data


def say(lang: str, key: str, **values: str) -> str:
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], catalog(lang)[key])


def render(advice: Advice, fmt: str, lang: str) -> str:
    return render_json(advice, lang) if fmt == "json" else render_text(advice, lang)


def render_text(advice: Advice, lang: str) -> str:
    scenario = advice.scenario
    lines = [scenario.title or say(lang, "untitled"),
             say(lang, "heading", platform=advice.pack.name.get(lang),
                 as_of=format_value(scenario.as_of, "date", lang)),
             ""]
    if not advice.recommendations:
        lines += [say(lang, "no_advice"), ""]
    for rank, item in enumerate(advice.recommendations, 1):
        lines.append(f"{rank}. {item.title.get(lang)}")
        lines.append(f"   {item.message.get(lang)}")
        lines.append("   " + say(lang, "why", text=item.because.get(lang)))
        lines += ["   " + say(lang, "note", text=note.get(lang)) for note in item.notes]
        cited = [s.title.get(lang) + (f" <{s.url}>" if s.url else "") for s in item.sources]
        lines.append("   " + say(lang, "source", text=say(lang, "source_separator").join(cited)))
        lines.append("")
    return "\n".join(lines)


def render_json(advice: Advice, lang: str) -> str:
    scenario = advice.scenario
    pack = advice.pack
    document = {
        "schema_version": SCHEMA_VERSION,
        "lang": lang,
        "scenario": {"path": scenario.path, "title": scenario.title, "platform": scenario.platform,
                     "as_of": scenario.as_of.isoformat()},
        "recommendations": [
            {"rank": rank, "action": item.rule.action, "title": item.title.get(lang), "rule": item.rule.id,
             "priority": item.rule.priority, "message": item.message.get(lang), "because": item.because.get(lang),
             "notes": [note.get(lang) for note in item.notes],
             "source": [{"id": s.id, "title": s.title.get(lang), "url": s.url} for s in item.sources]}
            for rank, item in enumerate(advice.recommendations, 1)],
        "facts": {name: {"value": _plain(value), "origin": _origin(advice, name)}
                  for name, value in advice.facts.items()},
        "parameters": {name: _plain(value) for name, value in advice.params.items()},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _origin(advice: Advice, name: str) -> str:
    fact = advice.pack.facts[name]
    if fact.derive is not None:
        return "derived"
    if fact.set_by_rules:
        return "set_by_rules"
    return "given" if name in advice.scenario.given else "default"


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value
