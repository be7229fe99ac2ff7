"""Business days follow the pack's calendar (pack.yaml `calendar:`): JP, Japan's national holidays (the
default), or US, the United States' federal holidays, both computed offline."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from packs import PACK, make_pack, rule

from advisor.cli import main
from advisor.derive import add_business_days, is_business_day
from advisor.validate import load_pack

D = dt.date


@pytest.mark.parametrize("start, count, expected", [
    (D(2026, 11, 25), 1, D(2026, 11, 27)),  # Wednesday + 1: Thanksgiving (Thursday 11-26) skipped
    (D(2026, 11, 24), 3, D(2026, 11, 30)),  # Wed, (Thanksgiving), Fri, (weekend), Mon
    (D(2026, 11, 27), -1, D(2026, 11, 25)),  # backwards over Thanksgiving
    (D(2026, 7, 2), 1, D(2026, 7, 6)),  # Thursday + 1: July 4th is a Saturday, observed on Friday 07-03
    (D(2026, 12, 24), 1, D(2026, 12, 28)),  # Christmas Day (Friday 12-25) and the weekend
    (D(2026, 11, 20), 2, D(2026, 11, 24)),  # Monday 11-23 (勤労感謝の日 in Japan) is a US business day
])
def test_a_us_calendar_skips_the_federal_holidays(start, count, expected):
    assert add_business_days(start, count, "US") == expected


def test_the_japanese_calendar_is_unchanged_and_the_default():
    assert add_business_days(D(2026, 11, 20), 2) == add_business_days(D(2026, 11, 20), 2, "JP") == D(2026, 11, 25)
    assert add_business_days(D(2026, 11, 25), 1, "JP") == D(2026, 11, 26)  # Thanksgiving is no holiday in Japan
    assert is_business_day(D(2026, 11, 26)) and not is_business_day(D(2026, 11, 26), "US")
    assert not is_business_day(D(2026, 11, 23)) and is_business_day(D(2026, 11, 23), "US")
    assert is_business_day(D(9999, 12, 31), "US") and add_business_days(D(9999, 12, 29), 2, "US") == D(9999, 12, 31)


FACTS = """\
facts:
  sent: {type: date, description: {ja: 送った日, en: Sent on}}
  due: {type: date, derive: {add_business_days: [sent, days]}, description: {ja: 期限, en: Due}}
"""
PARAMETERS = """\
parameters:
  days: {value: 1, description: {ja: 日数, en: Days}, source: s}
"""


def _pack(folder: Path, calendar: str | None) -> Path:
    make_pack(folder, [rule("r", "{due: {present: true}}")])
    (folder / "pack.yaml").write_text(PACK + (f"calendar: {calendar}\n" if calendar else ""), encoding="utf-8")
    (folder / "facts.yaml").write_text(FACTS, encoding="utf-8")
    (folder / "parameters.yaml").write_text(PARAMETERS, encoding="utf-8")
    rules = (folder / "rules.yaml").read_text(encoding="utf-8")
    (folder / "rules.yaml").write_text(rules.replace("{ja: r, en: r}", '{ja: "期限 {due}", en: "due {due}"}'),
                                       encoding="utf-8")
    return folder


@pytest.mark.parametrize("calendar, due", [("US", "2026-11-27"), ("JP", "2026-11-26"), (None, "2026-11-26")])
def test_a_packs_derived_business_day_follows_its_calendar(tmp_path, calendar, due):
    pack = _pack(tmp_path / "pack", calendar)
    assert load_pack(pack).calendar == (calendar or "JP")
    scenario = tmp_path / "s.yaml"
    scenario.write_text("platform: testpack\nas_of: 2026-11-25\nfacts:\n  sent: 2026-11-25\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", "en", str(scenario), "--rules", str(pack), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert f'"due {due}"' in result.output
    explained = CliRunner().invoke(main, ["--lang", "en", str(scenario), "--rules", str(pack), "--explain"])
    note = " (US federal holidays skipped)" if calendar == "US" else ""  # Japan's, the default, goes unsaid
    assert f"   Computed: due = 2026-11-25 + 1 business days = {due}{note}\n" in explained.output
    explained = CliRunner().invoke(main, ["--lang", "ja", str(scenario), "--rules", str(pack), "--explain"])
    note = "（米国の連邦祝日を除く）" if calendar == "US" else ""
    shown = f"2026年11月{int(due[-2:])}日"
    assert f"   計算：due = 2026年11月25日 + 1営業日 = {shown}{note}\n" in explained.output


def test_a_calendar_other_than_jp_or_us_is_refused_at_its_line(tmp_path):
    pack = _pack(tmp_path / "pack", "UK")
    result = CliRunner().invoke(main, ["--lang", "en", "check", str(pack)])
    assert result.exit_code == 1
    assert result.output == (f"{pack}/pack.yaml:8:11: [error] S001 expected one of JP, US; got \"UK\"\n")
