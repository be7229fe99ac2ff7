"""`advise SCENARIO --explain`: why each piece of advice, which advice nearly was, and what unknown facts hide."""
from __future__ import annotations

import json
import time
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
    code, out, err = explain(tmp_path, "as_of: 2026-11-25\nfacts: {work_started: true, request_sent_on: 2026-11-10}\n")
    assert (code, err) == (0, "")
    block = out[out.index("1. The contract has ended automatically"):out.index("\n2. ")]
    assert "   Rule: crowdworks/requests.yaml:" in block and "(contract-ended-automatically)" in block
    assert "     ✓ all of:\n" in block
    assert "       ✓ contract_type = fixed price (fixed) (it is fixed price (fixed))\n" in block
    assert "       ✓ request_sent_on has a value (it is 2026-11-10)\n" in block
    assert "       ✓ days_since_request > 14 [parameter auto_termination_days] (it is 15)\n" in block
    # the issue's own example of a derived fact and how it was computed
    assert "   Computed: days_since_request = 2026-11-25 − 2026-11-10 = 15\n" in block
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
            "request_sent_on were 2026-11-10 (it is 2026-11-20)") in near
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
    code, out, _ = explain(tmp_path, "as_of: 2026-11-25\nfacts: {work_started: true, request_sent_on: 2026-11-10}\n",
                           "--format", "json")
    data = json.loads(out)
    first = data["recommendations"][0]["explanation"]
    assert code == 0 and first["defined_at"].startswith("crowdworks/requests.yaml:")
    assert {"depth": 1, "kind": "test", "held": True, "fact": "days_since_request", "value": 15,
            "test": "days_since_request > 14 [parameter auto_termination_days] (it is 15)"} in first["conditions"]
    assert first["computed"] == [{"fact": "days_since_request", "value": 15,
                                  "how": "days_since_request = 2026-11-25 − 2026-11-10 = 15"}]
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


def _chained_pack(folder: Path, chain: int, others: int = 200) -> Path:
    """`others` rules on n, each firing for a different value of it (so the search runs the engine for each),
    and `chain` rules on color, each suppressing the next: a chain of suppressions that takes a round a step."""
    rules = [rule(f"x{i}", f"{{n: {{gt: {i}}}}}") for i in range(others)]
    rules += [rule(f"c{i}", "{color: red}", "b").replace("  source: s\n", f"  source: s\n  suppresses: [c{i + 1}]\n")
              for i in range(chain - 1)] + [rule(f"c{chain - 1}", "{color: red}", "b")]
    make_pack(folder / "testpack", rules)
    return folder


def _least_time(folder: Path, scenario: Path) -> tuple[float, str]:
    """The least of 3 runs' times of --explain, and what it printed."""
    times, out = [], ""
    for _ in range(3):
        start = time.perf_counter()
        result = CliRunner().invoke(main, ["--rules", str(folder), "--explain", "--lang", "en", str(scenario)])
        times.append(time.perf_counter() - start)
        assert result.exit_code == 0, result.output
        out = result.stdout
    return min(times), out


def test_a_chain_of_suppressions_is_charged_a_round_a_step(tmp_path, monkeypatch):
    """Each round of a chain of suppressions asserts into the shards of the chain, and --explain charges them: with
    a chain of 240 rules it took minutes, every run charged as one round."""
    monkeypatch.setattr(why, "SEARCH_BUDGET", 30_000)
    scenario = tmp_path / "s.yaml"
    scenario.write_text("platform: testpack\nas_of: 2026-11-01\nfacts: {n: 0, color: red}\n", encoding="utf-8")
    plain, plain_out = _least_time(_chained_pack(tmp_path / "plain", 1), scenario)
    chained, chained_out = _least_time(_chained_pack(tmp_path / "chained", 120), scenario)
    assert "stopped at its limit for a pack of 320 rules" in chained_out
    assert "stopped at its limit for a pack of 201 rules" in plain_out
    # measured: twice as long, and up to four times on a busy machine; with every run charged as one round
    # (120 rounds a run), over 50 times
    assert chained < 6 * plain, (chained, plain)


def _business_days_pack(folder: Path, days: int) -> Path:
    """A pack deriving `due` as `days` business days (parameter k) after the date `sent`."""
    pack = make_pack(folder / "testpack", [rule("late", "{due: {lt: 2030-01-01}}")]
                     + [rule(f"n{i}", f"{{n: {{gt: {i}}}}}", "b") for i in range(1, 21)])
    with open(pack / "parameters.yaml", "a", encoding="utf-8") as parameters:
        parameters.write(f"  k: {{value: {days}, description: {{ja: 日数, en: Days}}, source: s}}\n")
    with open(pack / "facts.yaml", "a", encoding="utf-8") as facts:
        facts.write("  sent: {type: date, description: {ja: 送信日, en: Sent}}\n"
                    "  due: {type: date, derive: {add_business_days: [sent, k]}, description: {ja: 期限, en: Due}}\n")
    (folder / "s.yaml").write_text("platform: testpack\nas_of: 2026-11-01\nfacts: {n: 1, sent: 2026-10-01}\n",
                                   encoding="utf-8")
    return folder


def test_business_days_walked_are_charged_to_the_search(tmp_path, monkeypatch):
    """Deriving a date 10,000 business days on walks each day (about a second): --explain charges each day, where
    it charged each variant 1 and ran for minutes."""
    monkeypatch.setattr(why, "SEARCH_BUDGET", 20_000)
    near, near_out = _least_time(_business_days_pack(tmp_path / "near", 10), tmp_path / "near" / "s.yaml")
    far, far_out = _least_time(_business_days_pack(tmp_path / "far", 5_000), tmp_path / "far" / "s.yaml")
    assert "stopped at its limit" not in near_out
    assert far_out.endswith("(The search for advice that other facts would give stopped at its limit for a pack of 21 "
                            "rules: the lists above may be incomplete.)\n")
    assert far < 30 * near + 5, (far, near)  # 4 variants walked 5,000 days each; unbounded, 20


def test_a_count_past_the_business_day_cap_is_named_at_the_parameter(tmp_path):
    folder = _business_days_pack(tmp_path, 20_000)
    # advise check's own finding on the pack (R106), at the value, before any scenario is read
    for lang, text in (("en", "k: due would count 20000 business days, more than the 10,000 (about 40 years) advise "
                              "can count"),
                       ("ja", "k: due は 20000 営業日を数えますが、advise が数えられるのは 10,000 営業日（約 40 年）"
                              "までです")):
        result = CliRunner().invoke(main, ["--rules", str(folder), "--lang", lang, str(folder / "s.yaml")])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == f"{folder / 'testpack' / 'parameters.yaml'}:3:14: {text}\n"
    folder = _business_days_pack(tmp_path / "fits", 2)  # the pack's own count fits; the scenario pins one that does not
    scenario = folder / "pinned.yaml"
    scenario.write_text("platform: testpack\nas_of: 2026-11-01\nfacts: {sent: 2026-10-01}\nparams: {k: -10001}\n",
                        encoding="utf-8")
    result = CliRunner().invoke(main, ["--rules", str(folder), "--lang", "en", str(scenario)])
    assert (result.exit_code, result.stderr) == (2, f"{scenario}:4:13: k: due would count -10001 business days, more "
                                                    "than the 10,000 (about 40 years) advise can count; no advice can "
                                                    "be given for a date this far\n")


def _wide_pack(folder: Path, width: int) -> Path:
    """200 rules on n, w_i firing for n above i through up to `width` alternatives (any: of `width` tests, n > i,
    n > i + 1, ...): durable calls back into Python once per matching alternative."""
    rules = [rule(f"w{i}", "{any: [" + ", ".join(f"{{n: {{gt: {i + k}}}}}" for k in range(width)) + "]}")
             for i in range(200)]
    make_pack(folder / "testpack", rules)
    return folder


def test_a_search_is_charged_for_every_alternative_that_matches(tmp_path, monkeypatch):
    """A pack whose rules fire through 12 alternatives each costs the engine 12 calls back into Python per rule:
    charged one per rule, --explain ran 12 times as long as on the same rules with one alternative."""
    monkeypatch.setattr(why, "SEARCH_BUDGET", 30_000)
    scenario = tmp_path / "s.yaml"
    scenario.write_text("platform: testpack\nas_of: 2026-11-01\nfacts: {n: 100, color: red}\n", encoding="utf-8")
    narrow, narrow_out = _least_time(_wide_pack(tmp_path / "narrow", 1), scenario)
    wide, wide_out = _least_time(_wide_pack(tmp_path / "wide", 12), scenario)
    assert "stopped at its limit for a pack of 200 rules" in wide_out
    assert wide < 3 * narrow, (wide, narrow)
