"""The JSON Schemas in rules/schemas/ are real JSON Schema: the reference implementation (jsonschema) accepts
every shipped file, and rejects what advise's own interpreter of them (advisor/schema.py) rejects."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from advisor import schema
from advisor.load import parse, read_file

ROOT = Path(__file__).parent.parent
SCHEMAS = ROOT / "rules" / "schemas"
PACK = ROOT / "rules" / "crowdworks"


def as_json(value):
    """YAML dates are JSON strings in format date, as editors see them."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def reference(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")),
                                           format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("name", ["pack", "parameters", "facts", "rules", "events", "drafts", "scenario"])
def test_schema_is_valid_json_schema(name):
    jsonschema.Draft202012Validator.check_schema(json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8")))


SHIPPED = [(PACK / "pack.yaml", "pack"), (PACK / "parameters.yaml", "parameters"), (PACK / "facts.yaml", "facts"),
           (PACK / "rules.yaml", "rules"), (PACK / "events.yaml", "events"), (PACK / "drafts.yaml", "drafts")] + \
    [(p, "scenario") for p in sorted((ROOT / "scenarios").rglob("*.yaml"))]


@pytest.mark.parametrize("path, name", SHIPPED, ids=[str(p.relative_to(ROOT)) for p, _ in SHIPPED])
def test_shipped_files_name_their_schema_and_both_validators_accept_them(path, name):
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# yaml-language-server: $schema=") and first_line.endswith(f"/{name}.schema.json")
    assert (path.parent / first_line.split("=", 1)[1]).resolve() == (SCHEMAS / f"{name}.schema.json").resolve()
    doc = read_file(path)
    assert schema.check(doc, name) == []
    assert list(reference(name).iter_errors(as_json(doc.data))) == []


BROKEN = [
    ("scenario", "titel: x\n"),
    ("scenario", "as_of: tomorrow\n"),
    ("scenario", "facts: [1, 2]\n"),
    ("scenario", "expect: {actions: send_end_request}\n"),
    ("scenario", "- a list\n"),
    ("pack", "id: Crowd Works\nname: {ja: a, en: b}\nactions: {}\nsources: {}\n"),
    ("pack", "id: x\nname: {ja: a}\nactions: {}\nsources: {}\n"),
    ("pack", "id: x\nname: {ja: a, en: b}\nactions: {}\nsources: {s: {title: {ja: a, en: b}, url: example.com}}\n"),
    ("parameters", "parameters: {days: {value: three, description: {ja: a, en: b}, source: s}}\n"),
    ("facts", "facts: {n: {type: integer, description: {ja: a, en: b}}}\n"),
    ("facts", "facts: {all: {type: int, description: {ja: a, en: b}}}\n"),
    ("facts", "facts: {n: {type: enum, values: [a, a], description: {ja: a, en: b}}}\n"),
    ("rules", "rules:\n  - {id: r, action: a, priority: 0, when: {n: 1}, message: {ja: a, en: b}, "
              "because: {ja: a, en: b}, source: s}\n"),
    ("rules", "rules:\n  - {id: r, action: a, priority: 1, when: {n: {greater: 1}}, message: {ja: a, en: b}, "
              "because: {ja: a, en: b}, source: s}\n"),
    ("rules", "rules:\n  - {id: r, action: a, priority: 1, when: {n: 1, m: 2}, message: {ja: a, en: b}, "
              "because: {ja: a, en: b}, source: s}\n"),
    ("rules", "rules:\n  - {id: r, action: a, priority: 1, when: {all: []}, message: {ja: a, en: b}, "
              "because: {ja: a, en: b}, source: s}\n"),
    ("drafts", "drafts: {a: {body: {ja: 本文}}}\n"),
    ("drafts", "drafts: {a: {subject: {ja: 件名, en: Subject}}}\n"),
    ("drafts", "drafts: {A b: {body: {ja: 本文, en: Body}}}\n"),
    ("rules", "rules:\n  - {id: R, action: a, priority: 1, when: {n: 1}, message: {ja: a, en: b}, "
              "because: {ja: a, en: b}, source: s}\n"),
]


@pytest.mark.parametrize("name, text", BROKEN, ids=[f"{n}-{i}" for i, (n, _) in enumerate(BROKEN)])
def test_both_validators_reject_the_same_broken_files(name, text):
    doc = parse(text.encode(), "broken.yaml")
    assert schema.check(doc, name) != []
    assert list(reference(name).iter_errors(as_json(doc.data))) != []
