"""The core vocabulary (rules/core.yaml): the facts and timeline events every platform's pack declares alike.

A scenario written with the core facts (the contract type, the request to end the contract and the answer to
it, what was delivered, the fee) means the same whatever its `platform:`; each pack declares them itself, in
its own words (descriptions, questions and labels name its platform's buttons), and `advise check` reports,
as L209, a core fact or event that a pack leaves out or declares differently (core_findings).

Declarations are compared as written in the pack's facts.yaml and events.yaml, not as validated: a pack's
model holds money in its currency's minor unit, while `min: 1` means the same text in every pack.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import schema
from .diagnostics import Diagnostic, InputError, Message, about_file, msg
from .load import KEY, Document, bundled_rules, read_file
from .model import EVENTS_FILE, FACTS_FILE, Pack

CORE_FILE = "core.yaml"
SHOWN_FILE = "rules/core.yaml"  # how messages name it: where it is in advise's source
# The keys of a fact's declaration that must be as the core says; any other key (description, question,
# labels, max) is the pack's own. A core fact given by the scenario has neither derive: nor set_by_rules:.
FACT_KEYS = ("type", "values", "default", "min", "at_most", "derive", "set_by_rules")
CODE = "L209"


@dataclass(frozen=True)
class Core:
    """rules/core.yaml as read: fact -> its declaration (the FACT_KEYS it has), event -> the core facts it sets
    (fact -> the value as events.yaml writes it: true, worker, {from: date}, {add: count})."""

    path: str
    facts: dict[str, dict[str, Any]]
    events: dict[str, dict[str, Any]]


@lru_cache(maxsize=1)
def core() -> Core:
    """The bundled core vocabulary. Raises InputError (S001 at its line) when core.yaml does not fit its schema:
    a broken installation, not a mistake in the pack being checked."""
    doc = read_file(bundled_rules() / CORE_FILE)
    found = schema.check(doc, "core")
    if found:
        raise InputError(found)
    return Core(doc.path, doc.data["facts"], {name: entry["sets"] for name, entry in doc.data["events"].items()})


def core_findings(pack: Pack, bundled: bool) -> list[Diagnostic]:
    """L209 warnings for `pack`: each core fact or event it declares differently, at the key that differs (or at
    the declaration, for a key it lacks); each it leaves out, at facts.yaml's or events.yaml's first line (the
    folder when it has no events.yaml). A pack that declares none of the core (a user's pack with a vocabulary
    of its own) is told nothing, unless it is `bundled` (in advise's own folder of packs), where every pack
    shares the core. Raises InputError when core.yaml is broken."""
    vocabulary = core()
    folder = Path(pack.directory)
    facts_doc = read_file(folder / FACTS_FILE)
    events_doc = read_file(folder / EVENTS_FILE) if (folder / EVENTS_FILE).is_file() else None
    facts = _entries(facts_doc, "facts")
    events = _entries(events_doc, "events")
    if not bundled and not set(facts) & set(vocabulary.facts) and not set(events) & set(vocabulary.events):
        return []
    found = [finding for name, wanted in vocabulary.facts.items()
             for finding in _fact_findings(facts_doc, name, facts.get(name), wanted)]
    return found + [finding for name, sets in vocabulary.events.items()
                    for finding in _event_findings(events_doc, folder, name, events.get(name), sets)]


def _event_findings(doc: Document | None, folder: Path, name: str, entry: Any,
                    sets: dict[str, Any]) -> list[Diagnostic]:
    """L209 for the core event `name` (its entry in events.yaml, None when it has none): left out, or each core
    fact it sets otherwise than `sets` or not at all."""
    if entry is None:
        return [_missing(doc, "events", folder, msg("c_core_event_missing", event=name, sets=_written(sets),
                                                     file=SHOWN_FILE))]
    assert doc is not None  # the event is declared in it
    written = entry.get("sets") if isinstance(entry, dict) else None
    found = []
    for fact, value in sets.items():
        got = written.get(fact, _ABSENT) if isinstance(written, dict) else _ABSENT
        if not _same(got, value):
            key = "c_core_event_unset" if got is _ABSENT else "c_core_event_differs"
            message = msg(key, event=name, fact=fact, got=_written(got), wanted=_written(value), file=SHOWN_FILE)
            where = ("sets", fact) if got is not _ABSENT else ("sets", KEY) if isinstance(written, dict) else (KEY,)
            found.append(_at(doc, message, "events", name, *where))
    return found


_ABSENT = object()  # a key a declaration does not write


def _entries(doc: Document | None, key: str) -> dict[str, Any]:
    data = doc.data if doc is not None else None
    entries = data.get(key) if isinstance(data, dict) else None
    return entries if isinstance(entries, dict) else {}


def _fact_findings(doc: Document, name: str, entry: Any, wanted: dict[str, Any]) -> list[Diagnostic]:
    if entry is None:
        message = msg("c_core_fact_missing", fact=name, declaration=_written(wanted), file=SHOWN_FILE)
        return [_missing(doc, "facts", Path(doc.path).parent, message)]
    declared = entry if isinstance(entry, dict) else {}
    for key in FACT_KEYS:
        got, value = declared.get(key, _ABSENT), wanted.get(key, _ABSENT)
        if key == "set_by_rules" and got is False:
            got = _ABSENT  # set_by_rules: false is the same as not writing it
        if not _same(got, value):
            which = "c_core_fact_lacks" if got is _ABSENT else "c_core_fact_extra" if value is _ABSENT \
                else "c_core_fact_differs"
            message = msg(which, fact=name, key=key, got=_written(got), wanted=_written(value),
                          declaration=_written(wanted), file=SHOWN_FILE)
            return [_at(doc, message, "facts", name, key if key in declared else KEY)]
    return []


def _same(got: Any, wanted: Any) -> bool:
    """Whether a declared value is the core's: the same value of the same kind (true is not 1), and an enum's
    values in any order (the order only sets how advise ask lists them)."""
    if isinstance(got, list) and isinstance(wanted, list):
        return sorted(map(str, got)) == sorted(map(str, wanted)) and len(set(map(str, got))) == len(got)
    return type(got) is type(wanted) and got == wanted


def _written(value: Any) -> str:
    """A value as YAML writes it on one line: {type: money, min: 1}, [fixed, hourly], true; — when not written."""
    if value is _ABSENT:
        return "—"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_written(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_written(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _at(doc: Document, message: Message, *where: Any) -> Diagnostic:
    return doc.error(message, *where, code=CODE)


def _missing(doc: Document | None, key: str, folder: Path, message: Message) -> Diagnostic:
    """A finding about a declaration a file lacks: at the file's `facts:` or `events:` key, or at the folder
    when the pack has no such file."""
    if doc is None:
        return about_file(folder, message, CODE)
    line, column = doc.mark(key, KEY)
    return Diagnostic(doc.path, line, column, message, CODE)
