"""The authoring tutorial (docs/authoring.md), done on a copy of the shipped pack: YAML edits only, and the
advice changes accordingly with --rules."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli import main

ROOT = Path(__file__).parent.parent
SCENARIO = """\
as_of: 2026-11-25
facts:
  work_started: true
  request_sent_on: 2026-11-17
  payment_refused: true
  units_total: 10
  units_delivered: 4
  fee: 40000
"""


@pytest.fixture
def pack(tmp_path) -> Path:
    copy = tmp_path / "my-pack"
    shutil.copytree(ROOT / "rules" / "crowdworks", copy)
    (tmp_path / "situation.yaml").write_text(SCENARIO, encoding="utf-8")
    return copy


def advise(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def titles(pack: Path, *extra: str) -> list[str]:
    code, out, err = advise("--lang", "en", "--rules", str(pack), *extra, str(pack.parent / "situation.yaml"))
    assert (code, err) == (0, "")
    return [line for line in out.splitlines() if line[:1].isdigit()]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


EIGHT_DAYS = """\
title: Request sent 8 days ago, no answer
as_of: 2026-11-25
facts:
  work_started: true
  request_sent_on: 2026-11-17
"""


def first_item(pack: Path) -> str:
    """The first recommendation as printed: its title and the lines under it."""
    code, out, err = advise("--lang", "en", "--rules", str(pack), str(pack.parent / "situation.yaml"))
    assert (code, err) == (0, "")
    return out[out.index("\n1. ") + 1:].split("\n\n")[0]


def test_each_value_of_the_disputed_period_can_be_tried_for_one_scenario(pack):
    """Step 1: the advice gives both dates of the disputed period; params: pins 7 days, then 14, for the
    scenario only, and each reading gives its own advice."""
    situation = pack.parent / "situation.yaml"
    situation.write_text(EIGHT_DAYS, encoding="utf-8")
    item = first_item(pack)
    assert item.startswith("1. Wait for the automatic termination\n")
    assert "2026-11-24" in item and "2026-12-01" in item and "\n   Note: " in item
    edit(situation, "as_of: 2026-11-25\n", "as_of: 2026-11-25\nparams:\n  auto_termination_days: 7\n")
    advice = " ".join(titles(pack))
    assert "The contract has ended automatically" in advice
    assert "Wait for the automatic termination" not in advice
    item = first_item(pack)
    assert "2026-11-24" in item and "2026-12-01" not in item and "\n   Note: " in item
    edit(situation, "  auto_termination_days: 7\n", "  auto_termination_days: 14\n")
    assert titles(pack)[0] == "1. Wait for the automatic termination"
    assert "The contract has ended automatically" not in " ".join(titles(pack))
    item = first_item(pack)
    assert "2026-12-01" in item and "2026-11-24" not in item
    shipped = ROOT / "rules" / "crowdworks"
    assert all((pack / f.name).read_bytes() == f.read_bytes() for f in shipped.iterdir())  # the pack is untouched


def test_a_scenario_can_override_the_period_without_editing_the_pack(pack):
    path = pack.parent / "situation.yaml"
    path.write_text(SCENARIO.replace("as_of: 2026-11-25\n", "as_of: 2026-11-25\nparams: {auto_termination_days: 7}\n"),
                    encoding="utf-8")
    assert "The contract has ended automatically" in " ".join(titles(pack))


NEW_RULE = """
  - id: keep-copies-of-delivered-work
    action: keep_evidence
    priority: 35
    when:
      all:
        - payment_refused: true
        - units_delivered: {gt: 0}
    message:
      ja: 納品した{units_delivered}件の成果物と、やり取りのスクリーンショットを手元に保存してください。
      en: Keep copies of the {units_delivered} deliverables you handed in and screenshots of the messages.
    because:
      ja: 支払いの話し合いで、何を納品したかを示す必要があります。
      en: In a payment dispute you will need to show what you delivered.
    source: seed
"""
NEW_ACTION = """  keep_evidence:
    ja: 納品物とやり取りの記録を残す
    en: Keep a record of the work and the messages
"""


def test_a_new_rule_with_a_new_action_appears_in_the_advice_and_passes_check(pack):
    edit(pack / "pack.yaml", "\nactions:\n", "\nactions:\n" + NEW_ACTION)
    (pack / "rules.yaml").write_text((pack / "rules.yaml").read_text(encoding="utf-8") + NEW_RULE, encoding="utf-8")
    assert "Keep a record of the work and the messages" in " ".join(titles(pack))
    code, out, _ = advise("--lang", "en", "--rules", str(pack), str(pack.parent / "situation.yaml"))
    assert "Keep copies of the 4 deliverables you handed in" in out
    assert advise("check", str(pack)) == (0, "", "")


def test_a_new_fact_and_a_scenario_that_proves_it(pack, tmp_path):
    (pack / "facts.yaml").write_text((pack / "facts.yaml").read_text(encoding="utf-8").replace(
        "\n  # Set by rules while they run", """
  client_requested_off_platform_contact:
    type: bool
    default: false
    description:
      ja: クライアントがサイト外での連絡を求めてきた
      en: The client asked to communicate outside the platform

  # Set by rules while they run"""), encoding="utf-8")
    (pack / "rules.yaml").write_text((pack / "rules.yaml").read_text(encoding="utf-8") + """
  - id: report-off-platform-contact
    action: escalate_to_support
    priority: 6
    when:
      client_requested_off_platform_contact: true
    message:
      ja: サイト外での連絡を求められたら、応じずに「違反報告する」から報告してください。
      en: Do not move the conversation off the platform; report the request with 「違反報告する」.
    because:
      ja: サイト外での連絡の要求は禁止されています。
      en: Asking for contact outside the platform is prohibited.
    source: cw-faq-10596
""", encoding="utf-8")
    scenarios = tmp_path / "my-scenarios"
    scenarios.mkdir()
    (scenarios / "off-platform.yaml").write_text(
        "title: Off-platform contact\nas_of: 2026-11-25\nfacts:\n  client_requested_off_platform_contact: true\n"
        "expect:\n  actions: [escalate_to_support]\n", encoding="utf-8")
    code, out, err = advise("test", "--lang", "en", "--rules", str(pack), str(scenarios))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"PASS {scenarios / 'off-platform.yaml'}  Off-platform contact"
    assert out.splitlines()[-1] == "1 passed, 0 failed"
    edit(scenarios / "off-platform.yaml", "actions: [escalate_to_support]", "actions: [send_end_request]")
    code, out, _ = advise("test", "--lang", "en", "--rules", str(pack), str(scenarios))
    assert code == 1
    assert out.splitlines()[:2] == [f"FAIL {scenarios / 'off-platform.yaml'}  Off-platform contact",
                                    '     expected action "send_end_request" was not recommended']
    assert out.splitlines()[-1] == "0 passed, 1 failed"


def test_check_points_at_an_unused_action_until_a_rule_uses_it(pack):
    text = (pack / "pack.yaml").read_text(encoding="utf-8")
    line = text[:text.index("\nactions:\n")].count("\n") + 3
    edit(pack / "pack.yaml", "\nactions:\n", "\nactions:\n" + NEW_ACTION)
    code, out, _ = advise("check", str(pack))
    assert code == 1
    assert out == f"{pack / 'pack.yaml'}:{line}:3: [warning] L203 action keep_evidence is recommended by no rule\n"
    (pack / "rules.yaml").write_text((pack / "rules.yaml").read_text(encoding="utf-8") + NEW_RULE, encoding="utf-8")
    assert advise("check", str(pack)) == (0, "", "")


@pytest.mark.parametrize("file, old, new, line, message", [
    ("rules.yaml", "    priority: 13\n", "    priority: [13\n", None, "invalid YAML"),
    ("rules.yaml", "      violation_job: true\n", "      violaton_job: true\n", None,
     'unknown fact "violaton_job" (did you mean "violation_job"?)'),
    ("rules.yaml", "      damages_demanded: true\n", "      damages_demanded: {over: true}\n", None,
     'unknown key "over"'),
    ("parameters.yaml", "      - value: 14\n", "      - value: two weeks\n", None,
     "a parameter value must be a whole number, a date or true/false"),
])
def test_a_broken_rule_file_is_reported_at_its_own_line(pack, file, old, new, line, message):
    text = (pack / file).read_text(encoding="utf-8")
    edit(pack / file, old, new)
    expected_line = text[:text.index(old)].count("\n") + 1
    code, out, err = advise("--rules", str(pack), str(pack.parent / "situation.yaml"))
    assert (code, out) == (2, "")
    assert err.startswith(f"{pack / file}:{expected_line}:") and message in err, err
    assert err.count("\n") == 1
