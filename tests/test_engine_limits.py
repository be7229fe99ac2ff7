"""The engine sees only names and values the compiler chose, and no pack reaches a limit of durable_rules at run
time without `advise check` reporting it first (docs/engine.md, "Names, strings and sizes").

durable_rules finds a property of a fact by a 32-bit FNV-1a hash of its name, compares strings with lengths
kept in 16 bits, and refuses a fact of more than 253 properties (error 302). Each test drives one of these from
YAML and the command line, as a pack author could.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from packs import make_pack, rule

from advisor import engine
from advisor.cli import main
from advisor.compile import (
    ALIAS,
    AS_OF,
    MARK,
    MAX_JUNCTIONS,
    MAX_PROPERTIES,
    OWN_PROPERTIES,
    RESERVED,
    SENTINEL,
    Shard,
    _free,
    assign_names,
    compile_pack,
    durable_hash,
)
from advisor.validate import load_pack

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "platform: testpack\nas_of: 2026-11-25\nfacts: {facts}\n"


def advise(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def recommended(pack: Path, scenario: Path) -> list[str]:
    """The rules `advise --format json` recommends, in rank order."""
    code, out, err = advise("--lang", "en", "--format", "json", "--rules", str(pack), str(scenario))
    assert (code, err) == (0, ""), err
    return [item["rule"] for item in json.loads(out)["recommendations"]]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------- property names

# durable_rules' own hashes of the names it reserves (src/rules/rete.c HASH_*, state.h HASH_ID / HASH_SID).
ENGINE_HASHES = {"all": 321211332, "any": 740945997, "pri": 1450887882, "$lt": 542787579, "$lte": 2350824890,
                 "$neq": 2488026869, "$nex": 2605470202, "$or": 340911698, "$and": 3746487396, "$div": 130502,
                 "$forward": 739185624, "id": 926444256, "sid": 3593476751}
# Found by a meet-in-the-middle search: with the prefix facts used to reach the engine with, the two collide.
COLLIDING = "ku17aaaom"


def test_the_hash_is_the_engines():
    assert {name: durable_hash(name) for name in ENGINE_HASHES} == ENGINE_HASHES


def test_a_fact_named_to_collide_with_another_changes_no_advice(tmp_path):
    """Facts once reached the engine as f_<name>; f_ku17aaaom hashes like f_client_threatening, so this unused fact,
    true by default and declared first, read as a threat ("Report it to CrowdWorks support" for a client who
    made none). The compiler now names the properties, so the pack's names never reach the engine."""
    assert durable_hash(f"f_{COLLIDING}") == durable_hash("f_client_threatening")
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "crowdworks", pack)
    facts = pack / "facts.yaml"
    spare = f"  {COLLIDING}: {{type: bool, default: true, description: {{ja: 予備, en: Spare}}}}\n"
    facts.write_text(facts.read_text(encoding="utf-8").replace("\nfacts:\n", "\nfacts:\n" + spare, 1),
                     encoding="utf-8")
    scenario = write(tmp_path / "s.yaml", "as_of: 2026-11-25\nfacts: {work_started: true}\n")
    bundled = advise("--lang", "en", str(scenario))
    edited = advise("--lang", "en", "--rules", str(pack), str(scenario))
    assert edited == bundled
    assert bundled[0] == 0 and "1. Send the early-termination request\n" in bundled[1]
    assert "Report it to CrowdWorks support" not in edited[1]
    assert advise("check", str(pack)) == (
        1, f"{facts}:6:3: [warning] L206 fact {COLLIDING} is read by no rule, text, draft or derived fact\n", "")


def test_names_the_engine_gives_a_meaning_are_plain_fact_names(tmp_path):
    """Facts named like the engine's own properties, operators, advise's markers or generated names."""
    pack = make_pack(tmp_path / "pack", [rule("by-id", "{id: 3}"), rule("by-sid", "{sid: true}", "b"),
                                         rule("by-mark", "{all: [{advise_fact: 1}, {f1: red}, {pri: 0}]}"),
                                         rule("by-as-of", "{a_as_of: {lt: 5}}", "b")])
    write(pack / "facts.yaml", "facts:\n" + "".join(
        f"  {name}: {{type: {kind}, description: {{ja: x, en: x}}}}\n"
        for name, kind in (("id", "int"), ("sid", "bool"), ("pri", "int"), ("advise_fact", "int"),
                           ("a_as_of", "int"), ("f1", "enum, values: [red, green]"), ("s1", "int"))))
    scenario = write(tmp_path / "s.yaml", SCENARIO.format(facts="{id: 3, sid: true, advise_fact: 1, f1: red, "
                                                                 "a_as_of: 4, s1: 1, pri: 0}"))
    assert recommended(pack, scenario) == ["by-id", "by-sid", "by-mark", "by-as-of"]
    scenario = write(tmp_path / "t.yaml", SCENARIO.format(facts="{id: 2, sid: false, advise_fact: 1, f1: green}"))
    assert recommended(pack, scenario) == []


def test_every_property_of_the_bundled_pack_has_a_hash_of_its_own():
    names = compile_pack(load_pack(ROOT / "rules" / "crowdworks")).names
    properties = [*names.facts.values(), *names.markers.values(), *OWN_PROPERTIES, *RESERVED]
    assert len({durable_hash(name) for name in properties}) == len(properties)
    assert len(names.facts) == len(load_pack(ROOT / "rules" / "crowdworks").facts) and names.markers


def test_a_generated_name_whose_hash_is_taken_is_replaced_deterministically():
    taken = {durable_hash("f1"), durable_hash("f1_1")}
    assert _free("f1", taken) == "f1_2" and durable_hash("f1_2") in taken
    # the search that gives the replacement is the same every time
    assert _free("f1", {durable_hash("f1")}) == _free("f1", {durable_hash("f1")}) == "f1_1"


def test_names_do_not_depend_on_the_scenarios_parameters():
    pack = load_pack(ROOT / "rules" / "crowdworks")
    assert compile_pack(pack, {"auto_termination_days": 10}).names == compile_pack(pack).names == assign_names(pack)


# ------------------------------------------------------------------------------- long strings

@pytest.mark.parametrize("length", [65_536, 70_001])
def test_long_enum_values_that_differ_late_are_told_apart(tmp_path, length):
    """The engine compares strings over a length kept in 16 bits: two values of 65,536 bytes and more that differ
    late compared equal, and one of exactly 65,536 bytes equal to any value. Enum values reach it as codes."""
    x, y = "a" * (length - 1) + "x", "a" * (length - 1) + "y"
    pack = make_pack(tmp_path / "pack", [rule("is-red", "{color: red}"), rule("is-x", f"{{color: {x}}}"),
                                         rule("is-y", f"{{color: {y}}}", "b")])
    write(pack / "facts.yaml", f"facts:\n  color: {{type: enum, values: [red, {x}, {y}], "
                               "description: {ja: 色, en: Colour}}\n")
    assert recommended(pack, write(tmp_path / "y.yaml", SCENARIO.format(facts=f"{{color: {y}}}"))) == ["is-y"]
    assert recommended(pack, write(tmp_path / "x.yaml", SCENARIO.format(facts=f"{{color: {x}}}"))) == ["is-x"]
    assert recommended(pack, write(tmp_path / "r.yaml", SCENARIO.format(facts="{color: red}"))) == ["is-red"]


# ------------------------------------------------------------------------------- properties of the asserted fact

def limit_pack(folder: Path, facts: int, suppressed: int) -> Path:
    """A pack of `facts` facts, each with a default (so each is a property of every evaluation), and a rule `boss`
    (flag: true) suppressing `suppressed` rules t1, t2, ... that hold whenever it does."""
    targets = [f"t{i}" for i in range(1, suppressed + 1)]
    boss = rule("boss", "{flag: true}", "b").replace("  source: s\n",
                                                      f"  source: s\n  suppresses: [{', '.join(targets)}]\n")
    make_pack(folder, [boss] + [rule(target, "{flag: true}") for target in targets])
    write(folder / "facts.yaml", "facts:\n  flag: {type: bool, default: false, description: {ja: 旗, en: Flag}}\n"
          + "".join(f"  g{i}: {{type: int, default: {i}, description: {{ja: 数, en: Number}}}}\n"
                    for i in range(1, facts)))
    return folder


def test_a_pack_past_the_engines_property_limit_is_refused_where_it_passes_it(tmp_path):
    """240 facts and 11 suppressed rules: the engine would refuse the fact (error 302, exit 3) once `boss` fired."""
    pack = limit_pack(tmp_path / "pack", 240, 11)
    message = ("[error] R111 the engine takes at most 253 values at once, and this pack needs 254: one per fact "
               "(240), one per rule that another rule suppresses (11) and 3 of advise's own; remove facts or "
               "suppresses:, or split the pack")
    where = f"{pack / 'rules.yaml'}:{10 + 7 * 10}:5"  # t11, the rule that passes the limit (boss: lines 2 to 9)
    assert advise("check", str(pack)) == (1, f"{where}: {message}\n", "")
    scenario = write(tmp_path / "s.yaml", SCENARIO.format(facts="{flag: true}"))
    code, out, err = advise("--lang", "en", "--rules", str(pack), str(scenario))
    assert (code, out) == (2, "") and err.startswith(f"{where}: ") and err.count("\n") == 1
    assert "R111" not in err and err.endswith("or split the pack\n")


def test_a_pack_at_the_engines_property_limit_runs(tmp_path):
    """240 facts, 10 suppression marks and advise's 3 make 253 properties: the engine takes them all."""
    pack = limit_pack(tmp_path / "pack", 240, 10)
    assert advise("check", "--fail-level", "error", str(pack))[0] == 0
    scenario = write(tmp_path / "s.yaml", SCENARIO.format(facts="{flag: true}"))
    assert recommended(pack, scenario) == ["boss"]


def test_the_limit_is_the_engines(tmp_path):
    """MAX_PROPERTIES is what durable_rules takes: one property more is its error 302."""
    compiled = compile_pack(load_pack(make_pack(tmp_path / "pack", [rule("r", "{flag: true}")])))
    room = MAX_PROPERTIES - len(OWN_PROPERTIES)
    fits = {AS_OF: 1, **{f"x{i}": i for i in range(room)}}
    assert engine.run(compiled.shards, fits) == []
    with pytest.raises(engine.EngineError, match="302"):
        engine.run(compiled.shards, {**fits, "one_more": 1})


# ------------------------------------------------------------------------------- groups in one pattern

def any_of_pairs(count: int) -> str:
    """any of `count` groups of two tests on n: count + 2 groups with the `any` and advise's own."""
    return "{any: [" + ", ".join(f"{{all: [{{n: {{ne: {i}}}}}, {{n: {{lt: {100 + i}}}}}]}}" for i in range(count)) + "]}"


def test_a_condition_past_the_engines_group_limit_is_refused_before_anything_runs(tmp_path):
    """Any of 14 pairs is 16 groups: durable_rules refused the whole rule set (error 113, exit 3) at run time."""
    pack = make_pack(tmp_path / "pack", [rule("r", "{flag: true}"), rule("q", any_of_pairs(14), "b")])
    where = f"{pack / 'rules.yaml'}:9:5"
    message = ("rule q: once compiled, its condition holds 16 groups (all, any, in, not); at most 15 fit the engine: "
               "split it into several rules")
    assert advise("--lang", "en", "check", str(pack)) == (1, f"{where}: [error] R113 {message}\n", "")
    scenario = write(tmp_path / "s.yaml", SCENARIO.format(facts="{n: 5, flag: true}"))
    assert advise("--lang", "en", "--rules", str(pack), str(scenario)) == (2, "", f"{where}: {message}\n")


def test_a_condition_at_the_group_limit_and_one_nested_deep_run(tmp_path):
    """Any of 13 pairs is 15 groups; all inside all, 20 deep, with valid_from and a suppression mark, is one."""
    deep = "{n: {gt: 1}}"
    for _ in range(20):
        deep = "{all: [" + deep + "]}"
    nested = rule("deep", deep, "b", 20).replace("  source: s\n", "  source: s\n  valid_from: 2026-01-01\n")
    boss = rule("boss", "{n: 99}", "b", 5).replace("  source: s\n", "  source: s\n  suppresses: [deep]\n")
    pack = make_pack(tmp_path / "pack", [rule("q", any_of_pairs(13)), nested, boss])
    assert advise("check", "--fail-level", "error", str(pack))[0] == 0
    assert recommended(pack, write(tmp_path / "s.yaml", SCENARIO.format(facts="{n: 5}"))) == ["q", "deep"]
    assert recommended(pack, write(tmp_path / "t.yaml", SCENARIO.format(facts="{n: 99}"))) == ["boss", "q"]


def test_the_group_limit_is_the_engines():
    """MAX_JUNCTIONS is what durable_rules takes in one pattern: one group more is its error 113."""
    def shard(groups: int) -> Shard:
        pattern: dict = {MARK: 1}
        for depth in range(groups):  # alternate, so that no group merges into the one around it
            pattern = {("$and", "$or")[depth % 2]: [pattern, {f"x{depth}": 1}]}
        definition = {SENTINEL: {"all": [{ALIAS: {MARK: 1}}], "pri": 0}, "r1": {"all": [{ALIAS: pattern}], "pri": 1}}
        return Shard(definition, json.dumps(definition, sort_keys=True), 0)
    assert engine.run([shard(MAX_JUNCTIONS)], {"x0": 1}) == []
    with pytest.raises(engine.EngineError, match="113"):
        engine.run([shard(MAX_JUNCTIONS + 1)], {"x0": 1})
