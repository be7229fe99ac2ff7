"""The JSON Schemas in rules/schemas/ are real JSON Schema: the reference implementation (jsonschema) accepts
every shipped file, and rejects what advise's own interpreter of them (advisor/schema.py) rejects."""
from __future__ import annotations

import copy
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


NAMES = ["pack", "parameters", "facts", "rules", "events", "drafts", "scenario"]


@pytest.mark.parametrize("name", NAMES)
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


# ------------------------------------------------------------------ the fast test and the message-building walk

def words(node) -> set[str]:
    """Every text in a schema (keys, enum values, patterns' literals are left out): what mutated files are made of."""
    if isinstance(node, dict):
        return set(node) | {word for item in node.values() for word in words(item)}
    if isinstance(node, list):
        return {word for item in node for word in words(item)}
    return {node} if isinstance(node, str) and len(node) < 30 else set()


def paths(value, where=()):
    """Every path of keys and indexes in a file's data, the root included."""
    yield where
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield from paths(item, where + (key,))


def mutated(data, where: tuple, how: str, new):
    """`data` with the value at `where` replaced by `new`, removed, or given a key or item `new`."""
    if not where:
        return new if how == "replace" else data
    parent = data
    for key in where[:-1]:
        parent = parent[key]
    if how == "replace":
        parent[where[-1]] = new
    elif how == "remove":
        del parent[where[-1]]
    elif isinstance(parent[where[-1]], dict):
        parent[where[-1]][str(new)[:12] if not isinstance(new, str) else new] = new
    elif isinstance(parent[where[-1]], list):
        parent[where[-1]].append(new)
    return data


SHIPPED = sorted(path for path in [*PACK.glob("*.yaml"), *(ROOT / "scenarios").rglob("*.yaml")]
                 if parse(path.read_bytes(), str(path)).data is not None)


def _schema_name(path: Path) -> str:
    return "scenario" if "scenarios" in path.parts else {"requests": "events"}.get(path.stem, path.stem)


def test_the_fast_test_accepts_exactly_what_the_walk_finds_no_mistake_in(monkeypatch):
    """schema._accepts answers "fits" without building messages; a value it accepted that the walk would have found
    a mistake in would be a mistake never reported. Mutations of shipped files (a value replaced, removed or
    added, made of the schema's own words) must get the same answer from both."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    leaves = st.one_of(st.none(), st.booleans(), st.integers(-3, 1002), st.just(10 ** 12 + 1),
                       st.dates(dt.date(1999, 1, 1), dt.date(2100, 1, 1)), st.text(max_size=4),
                       st.sampled_from(sorted(set().union(*(words(schema.schema(n)) for n in NAMES)))))
    values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(sorted(words(schema.schema("rules")) | words(schema.schema("scenario")))), inner,
        max_size=3), max_leaves=6)
    fast = schema._accepts

    @settings(max_examples=400, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def agree(data):
        path = data.draw(st.sampled_from(SHIPPED))
        name = _schema_name(path)
        original = copy.deepcopy(parse(path.read_bytes(), str(path)).data)
        where = data.draw(st.sampled_from(list(paths(original))))
        value = mutated(original, where, data.draw(st.sampled_from(["replace", "remove", "add"])), data.draw(values))
        root = schema.schema(name)
        accepted = fast(root, root)(value)
        with monkeypatch.context() as patch:
            patch.setattr(schema, "_accepts", lambda node, root: lambda value: False)  # every node walked
            found = schema._errors(value, root, root, (), schema.STRUCTURE)
        assert accepted == (found == []), (path.name, where, found)

    agree()
