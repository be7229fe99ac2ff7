"""How compile_pack groups rules into shards: the rules whose answer may change between the rounds of one
evaluation (they read a fact rules set, or another rule suppresses them) are kept apart from the others, so a
round after the first asserts only into their few shards, and the advice is the same (docs/engine.md, "One
evaluation")."""
from __future__ import annotations

import json

from click.testing import CliRunner
from packs import make_pack, rule

from advisor import engine
from advisor.cli import main
from advisor.compile import compile_pack
from advisor.validate import load_pack

SETS = "  source: s\n  sets: {done: true}\n"
DONE = "  done: {type: bool, set_by_rules: true, description: {ja: 済み, en: Done}}\n"


def _pack(tmp_path):
    """240 rules `x<i>` (n > i), with, after every 40th, a rule reading the fact `done` that `setter` sets, and a
    rule `hidden<i>` that `hider<i>` suppresses: 12 rules of 252 whose answer may change after the first round."""
    rules = []
    for i in range(240):
        rules.append(rule(f"x{i}", f"{{n: {{gt: {i}}}}}"))
        if i % 40 == 39:
            rules += [rule(f"reader{i}", "{done: true}", "b"),
                      rule(f"hidden{i}", "{color: red}", "b"),
                      rule(f"hider{i}", "{flag: false}", "b").replace("  source: s\n",
                                                                        f"  source: s\n  suppresses: [hidden{i}]\n")]
    rules.append(rule("setter", "{color: red}", "b").replace("  source: s\n", SETS))
    pack = make_pack(tmp_path / "testpack", rules)
    with (pack / "facts.yaml").open("a", encoding="utf-8") as facts:
        facts.write(DONE)
    scenario = tmp_path / "s.yaml"
    scenario.write_text("platform: testpack\nas_of: 2026-11-01\nfacts: {n: 1000, color: red}\n", encoding="utf-8")
    return pack, scenario


def test_rules_that_read_a_set_fact_or_can_be_suppressed_share_no_shard_with_the_others(tmp_path):
    pack, _ = _pack(tmp_path)
    compiled = compile_pack(load_pack(pack))
    moving = {f"{kind}{i}" for kind in ("reader", "hidden") for i in range(39, 240, 40)}
    kinds = [{compiled.rules[name].id in moving for name in shard.definition if name in compiled.rules}
             for shard in compiled.shards]
    assert kinds.count({True}) == 1 and kinds.count({False}) == 6 and len(kinds) == 7  # 246 rules, 47 a shard
    # in each group the rules keep the pack's order
    ids = [compiled.rules[name].id for shard in compiled.shards for name in shard.definition if name in compiled.rules]
    assert [i for i in ids if i in moving] == [f"{kind}{i}" for i in range(39, 240, 40) for kind in ("reader", "hidden")]


def test_the_second_round_asserts_only_into_the_shard_of_those_rules_and_the_advice_is_the_same(tmp_path,
                                                                                                 monkeypatch):
    pack, scenario = _pack(tmp_path)
    asserted: list[int] = []
    run = engine.run_shards
    monkeypatch.setattr(engine, "run_shards", lambda shards, facts: asserted.append(len(shards)) or run(shards, facts))
    result = CliRunner().invoke(main, ["--no-cache", "run", "--format", "json", "--lang", "en", "--rules", str(pack),
                                       str(scenario)])
    assert result.exit_code == 0, result.output
    advised = [item["rule"] for item in json.loads(result.output)["recommendations"]]
    # priority 10 each: pack order; every hidden<i> suppressed, every reader<i> fired once `done` was set
    expected = []
    for i in range(240):
        expected.append(f"x{i}")
        if i % 40 == 39:
            expected += [f"reader{i}", f"hider{i}"]
    assert advised == expected + ["setter"]
    assert asserted == [7, 1]  # every shard; then only the one whose rules read `done` or gained a mark
