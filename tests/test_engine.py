"""The durable_rules hazards (docs/engine.md), each driven from YAML the way an author could reach it.

Cases that would crash or hang the process if the wrapper failed run in a subprocess with a timeout,
so a regression shows up as a failed test instead of a dead test run.
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from packs import make_pack, rule

from advisor import engine
from advisor.load import parse
from advisor.pipeline import advise_document

AS_OF = dt.date(2026, 11, 25)

def rules_fired(pack: Path, facts: str) -> list[str]:
    doc = parse(f"platform: testpack\nas_of: {AS_OF}\nfacts: {facts}\n".encode(), "scenario.yaml")
    return [r.rule.id for r in advise_document(doc, pack, AS_OF).recommendations]


def run_isolated(code: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout, cwd=Path(__file__).parent.parent)


def test_or_firing_twice_counts_once(tmp_path):
    # durable fires a rule once per matching `$or` branch; both branches match here.
    pack = make_pack(tmp_path, [rule("either", "{any: [{n: {gt: 1}}, {flag: true}]}"),
                                rule("in-list", "{color: {in: [red, green]}}")])
    assert rules_fired(pack, "{n: 5, flag: true, color: red}") == ["either", "in-list"]


def test_priority_one_comes_first_whatever_the_file_order(tmp_path):
    # durable fires lower `pri` first; advise shows priority 1 first and keeps file order for ties.
    pack = make_pack(tmp_path, [rule("late", "{n: {gt: 0}}", priority=900),
                                rule("tie-first", "{n: {gt: 0}}", priority=50),
                                rule("tie-second", "{flag: false}", priority=50),
                                rule("early", "{flag: false}", priority=1)])
    assert rules_fired(pack, "{n: 1}") == ["early", "tie-first", "tie-second", "late"]


def test_absent_fact_makes_tests_false_and_their_negation_true(tmp_path):
    # `$neq` does not match a missing property in durable; advise defines the semantics itself.
    pack = make_pack(tmp_path, [rule("n-is-not-3", "{n: {ne: 3}}"),
                                rule("not-n-is-3", "{not: {n: 3}}"),
                                rule("n-absent", "{n: {present: false}}")])
    assert rules_fired(pack, "{}") == ["not-n-is-3", "n-absent"]
    assert rules_fired(pack, "{n: 4}") == ["n-is-not-3", "not-n-is-3"]
    assert rules_fired(pack, "{n: 3}") == []


def test_no_background_threads_are_started(tmp_path):
    # The stock Host starts timer threads that steal actions and segfault on deletes.
    pack = make_pack(tmp_path, [rule("r", "{flag: false}")])
    before = threading.active_count()
    for _ in range(20):
        assert rules_fired(pack, "{}") == ["r"]
    assert threading.active_count() == before


def test_evaluations_are_isolated(tmp_path):
    # A fresh session per evaluation: nothing asserted for one scenario is seen by the next.
    pack = make_pack(tmp_path, [rule("big", "{n: {gte: 100}}"), rule("flag", "{flag: true}")])
    assert rules_fired(pack, "{n: 100, flag: true}") == ["big", "flag"]
    assert rules_fired(pack, "{n: 1}") == []
    assert rules_fired(pack, "{n: 100, flag: true}") == ["big", "flag"]


def test_sessions_where_no_rule_matched_are_deleted_safely(tmp_path):
    # delete_state on a session where nothing fired crashes durable; the sentinel rule prevents it.
    # More than 1,024 evaluations also proves sessions do not pile up (the 1,025th live one segfaults).
    pack = make_pack(tmp_path, [rule("never", "{n: {lt: 0}}")])
    result = run_isolated(f"""
        import datetime as dt
        from advisor.load import parse
        from advisor.pipeline import advise_document
        doc = parse(b"platform: testpack\\nas_of: 2026-11-25\\nfacts: {{n: 5}}\\n", "s.yaml")
        for _ in range(1100):
            assert advise_document(doc, {str(pack)!r}, dt.date(2026, 11, 25)).recommendations == ()
        print("done")
    """)
    assert (result.returncode, result.stdout) == (0, "done\n"), result.stderr


def test_a_condition_of_only_absence_tests_does_not_loop(tmp_path):
    # A durable pattern made only of `$nex` matches the engine's own state fact and loops forever;
    # every compiled pattern starts with the marker test.
    pack = make_pack(tmp_path, [rule("nothing-known", "{all: [{n: {present: false}}, {color: {present: false}}]}")])
    result = run_isolated(f"""
        from advisor.load import parse
        from advisor.pipeline import advise_document
        doc = parse(b"platform: testpack\\nas_of: 2026-11-25\\nfacts: {{}}\\n", "s.yaml")
        print([r.rule.id for r in advise_document(doc, {str(pack)!r}).recommendations])
    """, timeout=30)
    assert result.stdout == "['nothing-known']\n", result.stderr


def test_many_rules_with_distinct_first_tests_neither_hang_nor_fail(tmp_path):
    # 512+ distinct sibling conditions hang durable (compile or first assert), and more than 64
    # matching branches under one node fail with error 303; advise shards the rules.
    rules = [rule(f"n-is-{i}", f"{{n: {i}}}") for i in range(600)]
    rules += [rule(f"n-above-{i}", f"{{n: {{gt: {i}}}}}", action="b") for i in range(70)]
    pack = make_pack(tmp_path, rules)
    result = run_isolated(f"""
        from advisor.load import parse
        from advisor.pipeline import advise_document, read_pack
        print(len(read_pack({str(pack)!r})[1].shards))
        doc = parse(b"platform: testpack\\nas_of: 2026-11-25\\nfacts: {{n: 321}}\\n", "s.yaml")
        print(" ".join(r.rule.id for r in advise_document(doc, {str(pack)!r}).recommendations))
    """, timeout=60)
    assert result.returncode == 0, result.stderr
    shards, fired = result.stdout.splitlines()
    assert int(shards) == 15  # 670 single-branch rules, 47 to a shard beside its sentinel
    assert fired.split() == ["n-is-321"] + [f"n-above-{i}" for i in range(70)]


def test_same_input_gives_byte_identical_output():
    scenario = Path(__file__).parent.parent / "scenarios" / "crowdworks" / "seed-rejected-half-delivered.yaml"
    runs = [subprocess.run([sys.executable, "-m", "advisor", "--lang", lang, "--format", fmt, str(scenario)],
                           capture_output=True, timeout=60).stdout
            for lang in ("ja", "en") for fmt in ("text", "json") for _ in range(2)]
    assert all(runs) and runs[0::2] == runs[1::2]


def test_each_shard_is_registered_once_per_process(tmp_path):
    # durable cannot register a ruleset name twice nor unregister one: identical shards share one ruleset.
    first = make_pack(tmp_path / "one", [rule("r", "{flag: false}")])
    second = make_pack(tmp_path / "two", [rule("r", "{flag: false}")])
    assert rules_fired(first, "{}") == ["r"]
    registered = len(engine._RULESETS)
    assert rules_fired(second, "{}") == ["r"]
    assert len(engine._RULESETS) == registered
    assert all("$" not in name for name, _ in engine._RULESETS.values())
