"""`advise SCENARIO --explain`: why each piece of advice, which advice nearly was, and what unknown facts hide."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from packs import make_pack, rule
from scale_packs import write_pack, write_scenario

from advisor import pipeline, why
from advisor.cli import main
from advisor.pipeline import pack_named

ROOT = Path(__file__).parent.parent


def explain(tmp_path, scenario: str, *args: str) -> tuple[int, str, str]:
    path = tmp_path / "scenario.yaml"
    path.write_text(scenario, encoding="utf-8")
    result = CliRunner().invoke(main, ["--explain", "--lang", "en", *args, str(path)])
    return result.exit_code, result.stdout, result.stderr


def test_each_condition_is_shown_with_the_value_and_whether_it_held(tmp_path):
    code, out, err = explain(tmp_path, "as_of: 2026-11-25\nfacts: {work_started: true, request_sent_on: 2026-11-11}\n")
    assert (code, err) == (0, "")
    block = out[out.index("1. The contract has ended automatically"):out.index("\n2. ")]
    assert "   Rule: crowdworks/requests.yaml:" in block and "(contract-ended-automatically)" in block
    assert "     ✓ all of:\n" in block
    assert "       ✓ contract_type = fixed price (fixed) (it is fixed price (fixed))\n" in block
    assert "       ✓ request_sent_on has a value (it is 2026-11-11)\n" in block
    assert "       ✓ days_since_request ≥ 14 [parameter auto_termination_days] (it is 14)\n" in block
    # the issue's own example of a derived fact and how it was computed
    assert "   Computed: days_since_request = 2026-11-25 − 2026-11-11 = 14\n" in block
    assert "   Parameters: auto_termination_days = 14\n" in block


def test_a_failed_test_under_not_and_facts_set_by_rules(tmp_path):
    code, out, _ = explain(tmp_path, "as_of: 2026-11-25\nfacts: {work_started: true, request_sent_on: 2026-11-01, "
                                     "units_total: 10, units_delivered: 3, fee: 30000}\n")
    assert code == 0
    block = out[out.index("(unpaid-work-after-termination)"):]
    assert "       ✓ contract_ended = yes (it is yes)\n" in block
    assert "   Set by rules: contract_ended (rule contract-ended-automatically)\n" in block


def test_near_misses_say_which_fact_would_change_the_advice(tmp_path):
    code, out, _ = explain(tmp_path, "as_of: 2026-11-25\nfacts: {work_started: true, request_sent_on: 2026-11-20}\n")
    near = out[out.index("Nearly advised"):].splitlines()
    assert code == 0
    assert ("  - Explain your reasons politely and send the request again (resubmit-with-reasons) would be advised "
            "if client_response were refused (rejected) (it is no answer yet (none))") in near
    assert ("  - The contract has ended automatically (contract-ended-automatically) would be advised if "
            "request_sent_on were 2026-11-11 (it is 2026-11-20)") in near
    assert not any("(wait-for-auto-termination)" in line for line in near)  # it was advised


def test_unknown_is_not_false_missing_facts_and_what_they_could_unlock(tmp_path):
    code, out, _ = explain(tmp_path, "as_of: 2026-11-25\nfacts: {work_started: true}\n")
    unknown = out[out.index("Facts not given that could change the advice:"):].splitlines()
    assert code == 0
    assert unknown[1].startswith("  - request_sent_on: a value could lead to ")
    assert "Wait for the automatic termination (wait-for-auto-termination)" in unknown[1]
    assert any(line.startswith("  - units_delivered: a value could lead to ") and "(negotiate-partial-pay" in line
               for line in unknown)


def test_json_carries_the_same_explanation(tmp_path):
    code, out, _ = explain(tmp_path, "as_of: 2026-11-25\nfacts: {work_started: true, request_sent_on: 2026-11-11}\n",
                           "--format", "json")
    data = json.loads(out)
    first = data["recommendations"][0]["explanation"]
    assert code == 0 and first["defined_at"].startswith("crowdworks/requests.yaml:")
    assert {"depth": 1, "kind": "test", "held": True, "fact": "days_since_request", "value": 14,
            "test": "days_since_request ≥ 14 [parameter auto_termination_days] (it is 14)"} in first["conditions"]
    assert first["computed"] == [{"fact": "days_since_request", "value": 14,
                                  "how": "days_since_request = 2026-11-25 − 2026-11-11 = 14"}]
    assert first["parameters"] == {"auto_termination_days": 14}
    assert any(n["rule"] == "resubmit-with-reasons" and n["changes"] == [
        {"fact": "client_response", "value": "rejected", "current": "none"}] for n in data["near_misses"])
    assert isinstance(data["unknown"], list)


def test_without_explain_the_output_has_no_explanation(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("as_of: 2026-11-25\nfacts: {work_started: true}\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["--lang", "en", str(path)]).stdout
    assert "Rule:" not in out and "Nearly advised" not in out
    assert "near_misses" not in CliRunner().invoke(main, ["--format", "json", str(path)]).stdout


def test_a_search_cut_at_its_bound_says_so_in_every_format(tmp_path, monkeypatch):
    scenario = "as_of: 2026-11-25\nfacts: {work_started: true, request_sent_on: 2026-11-11}\n"
    code, out, _ = explain(tmp_path, scenario, "--format", "json")
    assert (code, json.loads(out)["search_complete"]) == (0, True)
    assert "search for advice" not in explain(tmp_path, scenario)[1]
    monkeypatch.setattr(why, "SEARCH_BUDGET", 100)
    rules = len(pack_named("crowdworks").rules)
    _, text, _ = explain(tmp_path, scenario)
    assert text.endswith(f"(The search for advice that other facts would give stopped at its limit for a pack of {rules} "
                         "rules: the lists above may be incomplete.)\n")
    assert json.loads(explain(tmp_path, scenario, "--format", "json")[1])["search_complete"] is False
    result = CliRunner().invoke(main, ["--explain", "--lang", "ja", "--format", "markdown", str(tmp_path / "scenario.yaml")])
    assert result.stdout.endswith(f"（ファクトを変えると出る推奨の探索は、ルール {rules} 件のルールパックでの上限に達して"
                                  "打ち切りました。上の一覧は不完全な可能性があります。）\n")


def test_a_pack_of_a_thousand_rules_is_explained_within_the_bound(tmp_path, monkeypatch):
    """The engine runs at most SEARCH_BUDGET / 1,000 times for --explain (unbounded, this took minutes)."""
    write_pack(tmp_path / "scalepack", 1000)
    runs = []
    chain = pipeline.chain
    monkeypatch.setattr(pipeline, "chain", lambda *args: runs.append(1) or chain(*args))
    result = CliRunner().invoke(main, ["--rules", str(tmp_path), "--explain", "--lang", "en",
                                       str(write_scenario(tmp_path / "s.yaml"))])
    assert result.exit_code == 0 and "stopped at its limit for a pack of 1000 rules" in result.stdout
    assert 1 < len(runs) <= 1 + why.SEARCH_BUDGET // 1000  # the scenario's own run, then the search


def test_a_near_miss_down_a_chain_of_suppressions_is_found(tmp_path):
    # p (flag) suppresses q, q (n > 2) suppresses r (n > 3). With n = 5 and no flag, q is shown and hides r; with
    # the flag, p would hide q, and q, hidden, would hide nothing: r would be advised, though it reads no flag.
    def suppressing(text: str, target: str) -> str:
        return text.replace("  source: s\n", f"  source: s\n  suppresses: [{target}]\n")
    pack = make_pack(tmp_path / "pack", [suppressing(rule("p", "{flag: true}"), "q"),
                                         suppressing(rule("q", "{n: {gt: 2}}", "b"), "r"), rule("r", "{n: {gt: 3}}")])
    code, out, err = explain(tmp_path, "platform: testpack\nas_of: 2026-11-01\nfacts: {n: 5, flag: false}\n",
                             "--rules", str(pack))
    assert (code, err) == (0, "")
    assert out.split("Nearly advised (one or two facts different):\n")[1].splitlines() == [
        "  - A (p) would be advised if flag were yes (it is no)",
        "  - A (r) would be advised if flag were yes (it is no)"]
