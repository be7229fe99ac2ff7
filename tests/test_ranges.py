"""A disputed number as a range: parameters with several sourced values (`values:`), the side each rule takes
(`side:`), and what the user sees: every date with its source, the deadline at the safe end, the end of the
contract only after the latest date."""
from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from advisor.cli import main
from tests.packs import FACTS, PACK, rule

D = dt.date


def advise(tmp_path: Path, scenario: str, *args: str) -> tuple[int, str, str]:
    path = tmp_path / "scenario.yaml"
    path.write_text(textwrap.dedent(scenario), encoding="utf-8")
    result = CliRunner().invoke(main, [*args, str(path)])
    return result.exit_code, result.stdout, result.stderr


def titles(out: str) -> list[str]:
    return [line.split(". ", 1)[1] for line in out.splitlines() if line[:1].isdigit() and ". " in line[:4]]


def own_request(sent: str, as_of: str) -> str:
    return f"as_of: {as_of}\nfacts: {{work_started: true, request_sent_on: {sent}}}\n"


def client_request(sent: str, as_of: str, facts: str = "work_started: true") -> str:
    return (f"as_of: {as_of}\nfacts: {{{facts}}}\n"
            f"events:\n  - {{date: {sent}, event: client_requested_termination}}\n")


# ----------------------------------------------------------------- the CrowdWorks period, 7 to 14 days

@pytest.mark.parametrize("as_of, expected", [
    ("2026-11-16", ["Wait for the automatic termination"]),  # day 6: before the earliest end
    ("2026-11-17", ["Wait for the automatic termination"]),  # day 7: it may have ended; check
    ("2026-11-23", ["Wait for the automatic termination"]),  # day 13
    ("2026-11-24", ["Wait for the automatic termination"]),  # day 14: it ends that day by the seed's count
    ("2026-11-25", ["The contract has ended automatically"]),  # day 15: ended, even by the seed's count
])
def test_your_own_request_has_ended_only_after_the_latest_date(tmp_path, as_of, expected):
    code, out, err = advise(tmp_path, own_request("2026-11-10", as_of), "--lang", "en")
    assert (code, err) == (0, "")
    assert [t for t in titles(out) if t in ("Wait for the automatic termination",
                                            "The contract has ended automatically")] == expected


def test_before_the_earliest_end_both_dates_are_shown_with_their_sources(tmp_path):
    code, out, _ = advise(tmp_path, own_request("2026-11-10", "2026-11-16"), "--lang", "en")
    assert ("If the client still does not answer, the contract ends automatically on 2026-11-17 (7 days, as most "
            "guides say) or 2026-11-24 (14 days, as the seed article says). Before 2026-11-17 (days left: 1) it is "
            "certainly still in progress") in out
    code, out, _ = advise(tmp_path, own_request("2026-11-10", "2026-11-16"), "--lang", "ja")
    assert ("契約は2026年11月17日（7日の場合。多くの解説記事）または2026年11月24日（14日の場合。元記事）に自動で終了します。"
            in out)


def test_between_the_two_dates_the_user_is_told_it_may_have_ended(tmp_path):
    code, out, _ = advise(tmp_path, own_request("2026-11-10", "2026-11-20"), "--lang", "en")
    assert ("If the period is 7 days, the contract ended automatically on 2026-11-17; if it is 14, it ends on "
            "2026-11-24. Check on the contract-detail page whether it has ended.") in out
    assert "Because the client ignored the request" not in out  # the no-rating rule waits for the latest date


@pytest.mark.parametrize("as_of, action, rule_id", [
    ("2026-11-16", "Answer the client's request to end the contract", "answer-client-request"),  # day 6
    ("2026-11-17", "Answer the client's request to end the contract", "answer-client-request-now"),  # day 7
    ("2026-11-23", "Answer the client's request to end the contract", "answer-client-request-now"),  # day 13
    ("2026-11-24", "Answer the client's request to end the contract", "answer-client-request-now"),  # day 14
    ("2026-11-25", "The contract has ended automatically", "client-request-ended-automatically"),  # day 15
])
def test_a_request_the_client_sent_must_be_answered_by_the_earliest_date(tmp_path, as_of, action, rule_id):
    code, out, err = advise(tmp_path, client_request("2026-11-10", as_of), "--lang", "en", "--format", "json")
    assert (code, err) == (0, "")
    recommendations = json.loads(out)["recommendations"]
    assert (recommendations[0]["title"], recommendations[0]["rule"]) == (action, rule_id)
    actions = [r["action"] for r in recommendations]
    assert not {"send_termination_request", "wait_for_auto_termination"} & set(actions)


def test_the_answer_deadline_is_the_earliest_date_and_the_text_names_both(tmp_path):
    code, out, _ = advise(tmp_path, client_request("2026-11-10", "2026-11-12"), "--lang", "en")
    assert "Before 2026-11-17 (days left: 5), choose 同意 (agree) or 拒否 (reject)" in out
    assert ("The end falls on 2026-11-17 (7 days, as most guides say) or 2026-11-24 (14 days, as the seed article "
            "says).") in out


def test_the_calendar_event_is_on_the_last_day_before_the_earliest_end(tmp_path):
    calendar = tmp_path / "deadlines.ics"
    code, out, err = advise(tmp_path, client_request("2026-11-10", "2026-11-12"), "--lang", "en",
                            "--calendar", str(calendar))
    assert (code, err) == (0, "")
    events = [e for e in Calendar.from_ical(calendar.read_bytes()).walk("VEVENT")]
    assert [(str(e["summary"]), e.decoded("dtstart")) for e in events] == [
        ("Answer the client's request to end the contract", D(2026, 11, 16))]
    description = events[0].decoded("description")
    assert "Before 2026-11-17 (days left: 5)" in description
    assert ("The date depends on a period the sources disagree on: 2026-11-16 (7 days, as most guides say) or "
            "2026-11-23 (14 days, as the seed article says).") in description


def test_explain_shows_every_value_and_the_side_the_rule_takes(tmp_path):
    code, out, _ = advise(tmp_path, client_request("2026-11-10", "2026-11-12"), "--lang", "en", "--explain")
    block = out[:out.index("\n2. ")]
    assert ("Disputed: auto_termination_days is 7 (7 days, as most guides say) or 14 (14 days, as the seed article "
            "says); this rule takes the lowest, 7") in block
    assert ("Depends on the disputed value: last_day_before_auto_termination is 2026-11-16 (7 days, as most guides "
            "say) or 2026-11-23 (14 days, as the seed article says)") in block
    assert "days_since_request < 7 [parameter auto_termination_days] (it is 2)" in block


def test_json_lists_the_sourced_values_the_range_of_each_fact_and_the_side(tmp_path):
    code, out, _ = advise(tmp_path, client_request("2026-11-10", "2026-11-12"), "--lang", "en", "--format", "json")
    document = json.loads(out)
    assert document["schema_version"] == 2
    assert [(v["value"], v["label"]) for v in document["parameters"]["auto_termination_days"]] == [
        (7, "7 days, as most guides say"), (14, "14 days, as the seed article says")]
    assert document["parameters"]["auto_termination_days"][1]["source"] == ["seed"]
    fact = document["facts"]["auto_termination_on"]
    assert fact["value"] == "2026-11-17"
    assert fact["range"] == [{"value": "2026-11-17", "label": "7 days, as most guides say"},
                             {"value": "2026-11-24", "label": "14 days, as the seed article says"}]
    assert document["recommendations"][0]["side"] == {"auto_termination_days": "lowest"}
    assert "range" not in document["facts"]["days_since_request"]


def test_a_scenario_can_pin_one_value(tmp_path):
    scenario = client_request("2026-11-10", "2026-11-12") + "params: {auto_termination_days: 14}\n"
    code, out, _ = advise(tmp_path, scenario, "--lang", "en", "--format", "json")
    document = json.loads(out)
    assert document["parameters"]["auto_termination_days"] == 14
    assert "range" not in document["facts"]["auto_termination_on"]
    assert "The end falls on 2026-11-24." in document["recommendations"][0]["because"]
    assert "Before 2026-11-24 (days left: 12)" in document["recommendations"][0]["message"]


# ------------------------------------------------------------------------- the language, on a small pack

RANGED = """\
parameters:
  limit:
    values:
      - {value: 7, label: {ja: 七, en: seven}, source: s}
      - {value: 14, label: {ja: 十四, en: fourteen}, source: s}
    description: {ja: 上限, en: Limit}
    source: s
"""


def ranged_pack(folder: Path, rules: list[str], parameters: str = RANGED) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(PACK, encoding="utf-8")
    (folder / "parameters.yaml").write_text(parameters, encoding="utf-8")
    (folder / "facts.yaml").write_text(FACTS + "  m: {type: int, derive: {difference: [n, limit]},"
                                               " description: {ja: 差, en: Difference}}\n", encoding="utf-8")
    (folder / "rules.yaml").write_text("rules:\n" + textwrap.indent("".join(rules), "  "), encoding="utf-8")
    return folder


def check(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--lang", "en", str(folder)])
    return result.exit_code, result.stdout.replace(str(folder) + "/", "")


def with_side(text: str, side: str) -> str:
    return text.replace("  priority:", f"  side: {side}\n  priority:", 1)


def test_a_rule_that_depends_on_a_range_must_say_which_side_it_takes(tmp_path):
    folder = ranged_pack(tmp_path / "p", [rule("r", "{n: {lt: {param: limit}}}"), rule("q", "{m: {gt: 0}}", "b")])
    assert check(folder) == (1, (
        "rules.yaml:5:11: [error] R110 the rule depends on limit, which has several values: say which it takes with "
        "side: {limit: lowest} or side: {limit: highest}\n"
        "rules.yaml:12:11: [error] R110 the rule depends on limit through m, and limit has several values: say which "
        "it takes with side: {limit: lowest} or side: {limit: highest}\n"))


def test_side_is_only_for_parameters_with_several_values(tmp_path):
    single = "parameters:\n  limit: {value: 14, description: {ja: 上限, en: Limit}, source: s}\n"
    folder = ranged_pack(tmp_path / "p", [with_side(rule("r", "{n: {lt: {param: limit}}}"), "{limit: lowest}")],
                         single)
    code, out = check(folder)
    assert (code, out.splitlines()[0]) == (1, "rules.yaml:4:12: [error] R110 side: limit has one value; side: is for "
                                              "parameters with several values (values:)")


@pytest.mark.parametrize("values, finding", [
    ("      - {value: 7, label: {ja: 七, en: seven}, source: s}\n"
     "      - {value: 7, label: {ja: 七, en: seven}, source: s}\n",
     "parameters.yaml:5:17: [error] R106 values: 7 is listed twice"),
    ("      - {value: true, label: {ja: 真, en: t}, source: s}\n"
     "      - {value: false, label: {ja: 偽, en: f}, source: s}\n",
     "parameters.yaml:4:17: [error] R106 values: true cannot be ordered; several values are whole numbers or dates, "
     "so that rules can take the lowest or the highest"),
    ("      - {value: 7, label: {ja: 七, en: seven}, source: s}\n"
     "      - {value: 2026-11-01, label: {ja: 日, en: day}, source: s}\n",
     "parameters.yaml:5:17: [error] R106 values: 2026-11-01 is not of the same type as 7"),
])
def test_several_values_are_distinct_numbers_or_dates_of_one_type(tmp_path, values, finding):
    parameters = ("parameters:\n  limit:\n    values:\n" + values
                  + "    description: {ja: 上限, en: Limit}\n    source: s\n")
    folder = ranged_pack(tmp_path / "p", [rule("r", "{flag: true}")], parameters)
    code, out = check(folder)
    assert (code, out.splitlines()[0]) == (1, finding)


def test_value_and_values_together_are_refused(tmp_path):
    parameters = RANGED.replace("    values:\n", "    value: 7\n    values:\n")
    folder = ranged_pack(tmp_path / "p", [rule("r", "{flag: true}")], parameters)
    assert check(folder) == (1, "parameters.yaml:5:7: [error] R108 write either value: (one value) or values: "
                                "(several sourced values), not both or neither\n")


def test_each_side_is_run_by_the_engine_with_its_own_value(tmp_path):
    folder = ranged_pack(tmp_path / "p", [
        with_side(rule("early", "{n: {gte: {param: limit}}}"), "{limit: lowest}"),
        with_side(rule("late", "{m: {gte: 0}}", "b"), "{limit: highest}"),
    ])
    assert "[error]" not in check(folder)[1]
    for n, expected in ((6, []), (7, ["early"]), (13, ["early"]), (14, ["early", "late"])):
        scenario = f"platform: testpack\nfacts: {{n: {n}}}\n"
        result = CliRunner().invoke(main, ["--rules", str(folder), "--lang", "en", "--format", "json", "-"],
                                    input=scenario)
        assert [r["rule"] for r in json.loads(result.stdout)["recommendations"]] == expected, n


def test_lowest_and_highest_placeholders_exist_only_for_values_that_depend_on_a_range(tmp_path):
    text = rule("r", "{flag: true}").replace("message: {ja: r, en: r}",
                                             "message: {ja: '{m.lowest} {n.lowest}', en: '{m.lowest} {n.lowest}'}")
    folder = ranged_pack(tmp_path / "p", [text])
    code, out = check(folder)
    assert code == 1 and "R107 message.ja: unknown placeholder {n.lowest}" in out and "{m.lowest}" not in out


def test_explain_handles_a_derived_date_from_a_disputed_date_parameter(tmp_path):
    """A derived fact may start from as_of or from a parameter (here a disputed date): near misses only search
    the facts a scenario gives, and --explain shows both dates."""
    folder = ranged_pack(tmp_path / "p", [with_side(rule("r", "{left: {gte: 0}}"), "{cutoff: lowest}")],
                         "parameters:\n  zero: {value: 0, description: {ja: 零, en: Zero}, source: s}\n"
                         "  cutoff:\n    values:\n"
                         "      - {value: 2026-11-18, label: {ja: 早い説, en: early}, source: s}\n"
                         "      - {value: 2026-11-30, label: {ja: 遅い説, en: late}, source: s}\n"
                         "    description: {ja: 締切, en: Cutoff}\n    source: s\n")
    facts = folder / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("  m: {type: int, derive: {difference: [n, limit]},",
                     "  cutoff_on: {type: date, derive: {add_days: [cutoff, zero]}, description: {ja: 締切日, en: Cutoff}}\n"
                     "  left: {type: int, derive: {days_until: cutoff_on}, description: {ja: 残り, en: Left}}\n"
                     "  m: {type: int, derive: {difference: [n, zero]},"), encoding="utf-8")
    result = CliRunner().invoke(main, ["--rules", str(folder), "--lang", "en", "--explain", "--as-of", "2026-11-16",
                                       "-"], input="platform: testpack\nfacts: {n: 1}\n")
    assert (result.exit_code, result.stderr) == (0, "")
    assert "Depends on the disputed value: left is 2 (early) or 14 (late)" in result.stdout


def test_a_broken_range_is_reported_once_not_again_at_each_placeholder_of_it(tmp_path):
    text = rule("r", "{flag: true}").replace("message: {ja: r, en: r}",
                                             "message: {ja: '{m.lowest}', en: '{limit.highest}'}")
    parameters = RANGED.replace("{value: 14,", "{value: 7,")
    folder = ranged_pack(tmp_path / "p", [text], parameters)
    assert check(folder) == (1, "parameters.yaml:5:17: [error] R106 values: 7 is listed twice\n")
