"""Fuzzing scenario and pack files: whatever a file holds, `advise` answers with exit 0, 1 or 2, never a
traceback; every exit-2 line is a located diagnostic; and for the bundled pack, the advice is the one the
meaning of the conditions gives (a reference evaluation here, without durable_rules), so a silent
disagreement between the engine and the conditions fails a test.

Four fuzzers, each through the real command (`advisor.cli.main`) in-process with click's CliRunner:
- scenarios for the bundled pack drawn from the pack itself (its facts with their types, enum values, limits
  and the constants its rules compare with; dates around as_of; events; params; facts left out), whose advice
  must equal `reference` below;
- scenario files that are garbage: random bytes, random YAML structures, odd keys, wrong types, huge and
  negative numbers, unicode with control characters;
- a copy of the bundled pack with one file mutated (a node replaced, removed or added, or the file replaced by
  garbage), run on a scenario and checked with `advise check`.

In CI each runs a bounded number of examples, derandomized (the same examples every run) and without the
example database (nothing is written into the checkout). A longer, random run: ADVISE_FUZZ_EXAMPLES=20000
(see README.md, "Fuzzing").
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from advisor.cli import main
from advisor.conditions import constants, holds
from advisor.derive import rule_params, views
from advisor.diagnostics import InputError
from advisor.load import parse
from advisor.messages import report
from advisor.model import Pack, Rule, Scenario
from advisor.validate import load_pack
from advisor.validate_scenario import validate_scenario

REPO = Path(__file__).resolve().parents[1]
# Hypothesis keeps caches (unicode tables, constants) in .hypothesis/ of the current folder: outside the checkout.
set_hypothesis_home_dir(os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY")
                        or Path(tempfile.gettempdir()) / "advise-hypothesis")
BUNDLED = REPO / "rules" / "crowdworks"
PACK = load_pack(BUNDLED)
AS_OF = dt.date(2026, 11, 25)
# path:line:col: message, or path: message for a mistake about a file as a whole (an empty file: docs/json.md)
LOCATED = re.compile(r"^(?P<path>.+?)(?::\d+:\d+)?: \S")

# A longer run replaces every bound with this number of examples, and draws new examples each run.
LONG = int(os.environ.get("ADVISE_FUZZ_EXAMPLES", "0"))


def bounded(examples: int) -> settings:
    """`examples` in CI (derandomized: the same ones every run), ADVISE_FUZZ_EXAMPLES in a longer run."""
    return settings(max_examples=LONG or examples, derandomize=not LONG, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large, HealthCheck.filter_too_much])


_counter = itertools.count()


def fresh(tmp_path: Path) -> Path:
    """A new folder per example: a pack read once is cached by folder and file times, never reused here."""
    folder = tmp_path / f"x{next(_counter)}"
    folder.mkdir()
    return folder


def invoke(args: list[str], where: Path):
    """The command as a user runs it, with what holds for every input: no traceback, exit 0, 1 or 2, and on
    exit 2 nothing on stdout and only diagnostics located in a file under `where` on stderr."""
    result = CliRunner().invoke(main, args, prog_name="advise")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    if result.exit_code == 2:
        assert result.stdout == ""
        # one diagnostic per "\n" (str.splitlines would also split at U+2028, NEL and \x1c-\x1e shown inside one)
        lines = result.stderr.rstrip("\n").split("\n")
        found = [LOCATED.match(line) for line in lines]
        assert lines and all(m and m["path"].startswith(str(where)) for m in found), result.stderr
    return result


# ------------------------------------------------------------------------------- scenarios from the pack

TESTED = constants(PACK)  # for each fact, the values the rules compare it with


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _yaml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return _quoted(value)


def _fact_value(fact, as_of: dt.date, drawn: dict, sloppy: bool) -> st.SearchStrategy:
    """Values of one input fact within its type, limits and `at_most:` (`drawn`: the facts drawn so far);
    `sloppy`: sometimes just outside them (refused, at their line)."""
    if fact.type == "bool":
        return st.booleans()
    if fact.type == "enum":
        return st.sampled_from(fact.values)
    if fact.type == "date":
        return st.integers(-45, 3 if sloppy else 0).map(lambda days: as_of + dt.timedelta(days=days))
    low = fact.min if fact.min is not None else 0
    high = fact.max if fact.max is not None else max([low + 100, *(v for v in TESTED[fact.name] if isinstance(v, int))])
    if not sloppy and isinstance(drawn.get(fact.at_most), int):
        high = min(high, drawn[fact.at_most])
    near = sorted({v + d for v in TESTED[fact.name] if isinstance(v, int) for d in (-1, 0, 1)} | {low, high})
    if sloppy:
        return st.one_of(st.integers(low, high), st.sampled_from(near), st.integers(low - 2, high + 2))
    return st.one_of(st.integers(low, high), st.sampled_from([v for v in near if low <= v <= high] or [low]))


@st.composite
def _timeline(draw, as_of: dt.date) -> tuple[list[str], set[str]]:
    """Events oldest first, each possible after the ones before it (`after:`); with the facts they set."""
    lines: list[str] = []
    happened: set[str] = set()
    for days in sorted(draw(st.lists(st.integers(-40, 0), max_size=5))):
        possible = sorted(name for name, event in PACK.events.items()
                          if not event.after or happened.intersection(event.after))
        name = draw(st.sampled_from(possible))
        happened.add(name)
        counted = f", count: {draw(st.integers(1, 5))}" if PACK.events[name].count else ""
        lines.append(f"  - {{date: {(as_of + dt.timedelta(days=days)).isoformat()}, event: {name}{counted}}}")
    return lines, {fact for name in happened for fact, _, _ in PACK.events[name].sets}


@st.composite
def pack_scenarios(draw) -> str:
    """A scenario for the bundled pack, as YAML text: a timeline, the facts it does not set (a third of them
    left out; one scenario in eight with values just outside their limits), and now and then parameters."""
    as_of = AS_OF + dt.timedelta(days=draw(st.integers(-400, 400)))
    # named, so that a mistake is reported as it is, without the line saying crowdworks was assumed
    lines = ["platform: crowdworks", f"as_of: {as_of.isoformat()}"]
    events, told = draw(_timeline(as_of))
    sloppy = draw(st.integers(0, 7)) == 0
    drawn: dict = {}
    for fact in PACK.facts.values():
        if fact.given_by_user and fact.name not in told and draw(st.integers(0, 2)):
            drawn[fact.name] = draw(_fact_value(fact, as_of, drawn, sloppy))
    facts = [f"  {name}: {_yaml_value(value)}" for name, value in drawn.items()]
    if facts:
        lines += ["facts:", *facts]
    if events:
        lines += ["events:", *events]
    params = [p for p in PACK.parameters.values() if p.type == "int" and draw(st.integers(0, 5)) == 0]
    if params:
        lines.append("params:")
        lines += [f"  {p.name}: {draw(st.integers(p.min or 1, p.max or 365))}" for p in params]
    return "\n".join(lines) + "\n"


def _in_force(rule: Rule, as_of: dt.date) -> bool:
    return (rule.valid_from is None or rule.valid_from <= as_of) and (rule.valid_until is None or as_of <= rule.valid_until)


def reference(pack: Pack, scenario: Scenario) -> list[str] | None:
    """The rule ids advised, best first, as the conditions mean them (conditions.holds, no engine); None when two
    rules set one fact to different values (an error).

    Each rule is evaluated on the facts derived with the parameter values it takes (derive.rule_params) plus the
    facts the rules fired so far set; a rule that a rule fired in the round before suppresses, or outside
    valid_from..valid_until, does not fire. Rounds repeat until neither the facts set nor the rules suppressed
    change; the advice is the last round's."""
    pinned = dict(scenario.params)
    derived = views(pack, scenario.facts, scenario.as_of, pinned)
    own = {rule.id: rule_params(pack, rule, pinned) for rule in pack.rules}
    base = {rule.id: next(view.facts for view in derived if view.params == own[rule.id]) for rule in pack.rules}
    added: dict = {}
    suppressed: set[str] = set()
    while True:
        fired = [rule for rule in pack.rules
                 if rule.id not in suppressed and _in_force(rule, scenario.as_of)
                 and holds(rule.when, base[rule.id] | added, own[rule.id])]
        before, suppressed = (dict(added), suppressed), set()
        for rule in fired:  # pack order
            for name, value in rule.sets:
                if added.setdefault(name, value) != value:
                    return None
            suppressed.update(rule.suppresses)
        if (added, suppressed) == before:
            return [rule.id for rule in sorted(fired, key=lambda r: r.rank)]


@bounded(200)
@given(text=pack_scenarios())
def test_the_engine_advises_what_the_conditions_mean(tmp_path, text):
    path = fresh(tmp_path) / "s.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke(["run", "--lang", "en", "--format", "json", str(path)], path)
    try:
        scenario = validate_scenario(parse(text.encode("utf-8"), str(path)), PACK, AS_OF)
    except InputError as error:
        assert (result.exit_code, result.stderr) == (2, report(error.diagnostics, "en") + "\n")
        return
    expected = reference(PACK, scenario)
    if expected is None:
        assert result.exit_code == 2
        return
    assert result.exit_code == 0, result.stderr
    advised = [r["rule"] for r in json.loads(result.stdout)["recommendations"]]
    assert advised == expected, text


# --------------------------------------------------------------------------------------------- garbage

# Text a user or a hostile file can hold: any character, control characters and lone surrogates (written in a
# YAML file as "\ud800") included.
TEXT = st.text(st.characters(), max_size=40)
NUMBERS = st.one_of(st.integers(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True),
                    st.sampled_from([0, -1, 10**12, 10**12 + 1, 2**63, -(2**63) - 1, 1e308, float("inf")]))
DATES = st.one_of(st.dates(), st.sampled_from([dt.date(1, 1, 1), dt.date(9999, 12, 31)]))
NAMES = [*PACK.facts, *PACK.parameters, *PACK.events, "title", "platform", "as_of", "facts", "events", "params",
         "expect", "actions", "not_actions", "order", "date", "event", "count", *PACK.actions]
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT, DATES, st.sampled_from(NAMES),
                    st.sampled_from(sorted({v for f in PACK.facts.values() for v in f.values})))
KEYS = st.one_of(st.sampled_from(NAMES), TEXT, st.none(), st.booleans(), st.integers(), DATES)  # YAML reads some as values
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(KEYS, inner, max_size=4)), max_leaves=20)

def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)


SCENARIO_DOCS = st.one_of(
    st.fixed_dictionaries({}, optional={"title": VALUES, "platform": st.one_of(st.just("crowdworks"), VALUES),
                                        "as_of": st.one_of(DATES, VALUES), "facts": VALUES, "events": VALUES,
                                        "params": VALUES, "expect": VALUES}).map(_dump),
    VALUES.map(_dump),
    st.dictionaries(KEYS, VALUES, max_size=6).map(_dump),
)
BYTES = st.one_of(st.binary(max_size=200), TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
                  SCENARIO_DOCS.map(lambda t: t.encode("utf-8")),
                  st.tuples(SCENARIO_DOCS, st.integers(0, 400), st.binary(max_size=8)).map(
                      lambda cut: (cut[0][:cut[1]]).encode("utf-8") + cut[2]))


# --explain searches for near misses and takes seconds per scenario: in the longer run only
FLAGS = st.sampled_from(["", "--drafts", "--calendar", *(["--explain"] if LONG else [])])


def _options(flag: str, folder: Path) -> list[str]:
    """The command-line options for one drawn flag; --calendar writes into the example's own folder."""
    return ["--calendar", str(folder / "deadlines.ics")] if flag == "--calendar" else [flag] if flag else []


@bounded(200)
@given(content=BYTES, lang=st.sampled_from(["en", "ja"]), fmt=st.sampled_from(["text", "json"]), flags=FLAGS)
@example(content=b"\xc2\x88\x9f", lang="en", fmt="text", flags="")  # UTF-8 stops inside a Shift_JIS character
def test_any_scenario_file_is_advice_or_located_errors(tmp_path, content, lang, fmt, flags):
    path = fresh(tmp_path) / "s.yaml"
    path.write_bytes(content)
    invoke(["run", "--lang", lang, "--format", fmt, *_options(flags, path.parent), str(path)], path)


def test_a_byte_inside_a_shift_jis_character_names_that_character(tmp_path):
    # found by fuzzing: the byte UTF-8 cannot read is the second byte of a two-byte Shift_JIS character (亜)
    path = tmp_path / "s.yaml"
    path.write_bytes(b"\xc2\x88\x9f")
    result = invoke(["run", "--lang", "en", str(path)], path)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", (
        f'{path}:1:2: the file is not UTF-8: it looks saved as Shift_JIS (CP932), in which this reads "亜"; '
        "save the file as UTF-8 (Windows Notepad: File > Save As, Encoding: UTF-8)\n"))


# ------------------------------------------------------------------------------------------ mutated packs

PACK_FILES = sorted(path.name for path in BUNDLED.glob("*.yaml"))
SEED = REPO / "scenarios" / "crowdworks" / "seed-rejected-half-delivered.yaml"


def _nodes(data, at: tuple = ()) -> list[tuple]:
    """The path of every node of a YAML document, the root first."""
    found = [at]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _nodes(value, (*at, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _nodes(value, (*at, index))
    return found


def _mutate(data, at: tuple, how: str, value, key):
    """`data` with the node at `at` replaced by `value`, removed, or given one more entry (`key`: `value`)."""
    if not at:
        return value
    parent = data
    for step in at[:-1]:
        parent = parent[step]
    if how == "replace":
        parent[at[-1]] = value
    elif how == "remove":
        del parent[at[-1]]
    elif isinstance(parent[at[-1]], dict):
        parent[at[-1]][key] = value
    elif isinstance(parent[at[-1]], list):
        parent[at[-1]].append(value)
    else:
        parent[at[-1]] = [parent[at[-1]], value]
    return data


@st.composite
def mutated_packs(draw) -> tuple[str, bytes]:
    """(a file of the bundled pack, its new content)."""
    name = draw(st.sampled_from(PACK_FILES))
    if draw(st.integers(0, 9)) == 0:
        return name, draw(BYTES)
    data = yaml.safe_load((BUNDLED / name).read_text(encoding="utf-8"))
    nodes = _nodes(data)
    at = nodes[draw(st.integers(0, len(nodes) - 1))]
    how = draw(st.sampled_from(["replace", "replace", "remove", "add"]))
    return name, _dump(_mutate(data, at, how, draw(VALUES), draw(KEYS))).encode("utf-8")


def _copy(tmp_path: Path, name: str, content: bytes) -> Path:
    folder = fresh(tmp_path) / "crowdworks"
    shutil.copytree(BUNDLED, folder)
    (folder / name).write_bytes(content)
    return folder


@bounded(30)
@given(mutation=mutated_packs(), lang=st.sampled_from(["en", "ja"]), flags=FLAGS)
def test_any_pack_gives_advice_or_located_errors(tmp_path, mutation, lang, flags):
    folder = _copy(tmp_path, *mutation)
    invoke(["run", "--lang", lang, "--format", "text", *_options(flags, folder), "--rules", str(folder), str(SEED)],
           folder)


@bounded(12)
@given(mutation=mutated_packs())
def test_any_pack_is_checked_or_refused_at_its_lines(tmp_path, mutation):
    folder = _copy(tmp_path, *mutation)
    result = invoke(["check", "--lang", "en", str(folder)], folder)
    # findings (exit 1) are located too, each with its level and code (docs/checks.md)
    findings = result.stdout.rstrip("\n").split("\n") if result.stdout else []
    assert result.exit_code != 1 or findings, result.stderr
    assert all(re.match(rf"^{re.escape(str(folder))}/[^:]+(:\d+:\d+)?: \[(error|warning)\] [A-Z]\d+ \S", line)
               for line in findings), result.stdout
