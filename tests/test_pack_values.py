"""Values a pack writes outside rules, as a user and an author see them: an amount an event sets or adds in a pack
in dollars (read in the pack's currency, as a rule's sets: and a fact's default are), dollars typed with ドル or
米ドル, and a parameter's own values checked by `advise check` against its min:, max: and the calendar."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli import main

ROOT = Path(__file__).parent.parent
USD_PACK = Path(__file__).parent / "data" / "usd_hours" / "usdpack"


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input, prog_name="advise")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def edited(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def tip_pack(tmp_path: Path, sets: str) -> Path:
    """The dollar test pack with a tip (money, default $2.50) that the event tip_paid sets (`sets`) and tip_raised
    raises by $12.50, and a rule showing it from $3.00."""
    folder = tmp_path / "usdpack"
    shutil.copytree(USD_PACK, folder)
    with (folder / "facts.yaml").open("a", encoding="utf-8") as facts:
        facts.write("  tip: {type: money, min: 0, default: 2.50, description: {ja: チップ, en: Tip}}\n")
    with (folder / "events.yaml").open("a", encoding="utf-8") as events:
        events.write("  tip_paid:\n    description: {ja: チップが払われた, en: A tip was paid}\n"
                     f"    sets: {{tip: {sets}}}\n"
                     "  tip_raised:\n    description: {ja: チップが増えた, en: The tip was raised}\n"
                     "    sets: {tip: {add: 12.50}}\n")
    with (folder / "rules.yaml").open("a", encoding="utf-8") as rules:
        rules.write("  - id: tip\n    action: large_fee\n    priority: 30\n    when: {tip: {gte: 3}}\n"
                    "    message: {ja: \"チップは{tip}です。\", en: \"The tip is {tip}.\"}\n"
                    "    because: {ja: 払われました。, en: It was paid.}\n    source: s\n")
    return folder


TIPS = """\
platform: usdpack
as_of: 2026-12-01
facts:
  fee: 250
  units_total: 1
  units_delivered: 1
events:
  - {date: 2026-11-20, event: tip_paid}
"""


def advice(tip: str, lang: str) -> str:
    """The advice of the tip pack, the tip shown as `tip`."""
    if lang == "en":
        return ("Your situation\nDollar test · as of 2026-12-01\n\n1. Propose pay for what was delivered\n"
                "   Propose $250.00 for the 1 deliverables handed in (contract amount $250.00).\n"
                "   Why: It is the pro-rata share.\n   Source: Source\n\n"
                f"2. A large contract\n   The tip is {tip}.\n   Why: It was paid.\n   Source: Source\n")
    return ("あなたの状況\nドルのテスト・2026年12月1日時点\n\n1. 納品分の金額を提案する\n"
            "   納品した1件分として250.00ドルを提案してください（契約金額250.00ドル）。\n   理由：按分です。\n   出典：出典\n\n"
            f"2. 高額の契約\n   チップは{tip}です。\n   理由：払われました。\n   出典：出典\n")


@pytest.mark.parametrize("lang, tip", [("en", "$3.00"), ("ja", "3.00ドル")])
def test_an_amount_an_event_sets_is_in_the_packs_currency(tmp_path, lang, tip):
    folder = tip_pack(tmp_path, "3")
    assert run("check", "--lang", "en", str(folder))[1].count("[error]") == 0
    assert run("--rules", str(folder), "--lang", lang, str(write(tmp_path / "s.yaml", TIPS))) == (
        0, advice(tip, lang), "")


@pytest.mark.parametrize("lang, tip", [("en", "$15.50"), ("ja", "15.50ドル")])
def test_an_event_sets_dollars_and_cents_and_adds_them(tmp_path, lang, tip):
    folder = tip_pack(tmp_path, "3.00")
    scenario = write(tmp_path / "s.yaml", TIPS + "  - {date: 2026-11-21, event: tip_raised}\n")
    assert run("--rules", str(folder), "--lang", lang, str(scenario)) == (0, advice(tip, lang), "")


def test_an_amount_an_event_sets_in_a_fraction_of_a_cent_or_below_the_minimum_is_refused_at_its_line(tmp_path):
    folder = tip_pack(tmp_path, "0.125")
    events = folder / "events.yaml"
    expected = {"en": f"{events}:7:17: [error] R106 sets: tip: expected a whole number; got 0.125",
                "ja": f"{events}:7:17: [エラー] R106 sets: tip: 整数が必要ですが、0.125 が指定されています"}
    for lang, line in expected.items():
        code, out, _ = run("check", "--lang", lang, str(folder))
        assert code == 1 and [found for found in out.splitlines() if "R106" in found] == [line]
    edited(events, "sets: {tip: 0.125}", "sets: {tip: -1}")
    expected = {"en": f"{events}:7:17: [error] R106 sets: tip: must be at least $0.00; got -$1.00",
                "ja": f"{events}:7:17: [エラー] R106 sets: tip: 0.00ドル 以上でなければなりませんが、-1.00ドル が指定されています"}
    for lang, line in expected.items():
        code, out, _ = run("check", "--lang", lang, str(folder))
        assert code == 1 and [found for found in out.splitlines() if "R106" in found] == [line]


FIVERR = """\
platform: fiverr
as_of: 2026-11-25
facts:
  fee: "{fee}"
"""


@pytest.mark.parametrize("typed", ["250.50ドル", "250.50 ドル", "250.50米ドル", "２５０．５０ドル"])
def test_dollars_written_with_doru_are_read_as_the_output_writes_them(tmp_path, typed):
    plain = run("--lang", "ja", "--format", "json", str(write(tmp_path / "a.yaml", FIVERR.format(fee="250.50"))))
    code, out, err = run("--lang", "ja", "--format", "json", str(write(tmp_path / "a.yaml", FIVERR.format(fee=typed))))
    assert (code, err) == (0, "") and out == plain[1]
    assert '"fee": {\n      "value": 25050' in out


def test_thousands_of_dollars_with_doru(tmp_path):
    code, out, err = run("--lang", "ja", "--format", "json", str(write(tmp_path / "a.yaml", FIVERR.format(
        fee="1,250ドル"))))
    assert (code, err) == (0, "") and '"fee": {\n      "value": 125000' in out


def test_a_fraction_of_a_cent_in_doru_is_refused(tmp_path):
    path = write(tmp_path / "a.yaml", FIVERR.format(fee="250.505ドル"))
    assert run("--lang", "ja", str(path)) == (2, "", (
        f"{path}:4:8: fee: 「250.505ドル」をドルの金額として読めません。小数が2桁を超えています（1セントより細かい金額は"
        "ありません）。250、250.50、"
        "$1,250.50、US$250 のように数字で書いてください\n"))


def test_advise_ask_reads_the_doru_its_hint_writes():
    code, out, err = run("ask", "--rules", str(USD_PACK), "--lang", "ja", "--as-of", "2026-12-01",
                         input="1,250.50ドル\n3\n1\n2026-11-30\n2026/11/30 14:00\n\n")
    assert code == 0
    assert "Q1. 契約金額はいくらですか？（ドル）\n" in err and "> 1,250.50ドル\n" in err
    assert "   納品した1件分として416.83ドルを提案してください（契約金額1,250.50ドル）。\n" in err
    assert "facts:\n  fee: 1250.50\n" in out


def test_doru_in_a_yen_pack_is_told_to_be_dollars(tmp_path):
    path = write(tmp_path / "a.yaml", 'platform: crowdworks\nas_of: 2026-11-25\nfacts:\n  fee: "50000ドル"\n')
    assert run("--lang", "en", str(path)) == (2, "", (
        f'{path}:4:8: fee: cannot read "50000ドル" as a whole number: "ドル" is for dollars, and this pack counts yen; '
        "write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円\n"))
    assert run("--lang", "ja", str(path)) == (2, "", (
        f"{path}:4:8: fee: 「50000ドル」を整数として読めません。「ドル」はドルに付けるもので、このパックの金額は円です。"
        "50000、50,000、¥50,000、50000円、5万円のように数字で書いてください\n"))


def copied(tmp_path: Path, platform: str) -> Path:
    folder = tmp_path / platform
    shutil.copytree(ROOT / "rules" / platform, folder)
    return folder


def findings(folder: Path, lang: str) -> tuple[int, list[str]]:
    code, out, err = run("check", "--lang", lang, str(folder))
    assert err == ""
    return code, out.splitlines()


def test_a_parameter_value_outside_its_own_min_and_max_is_refused_at_it(tmp_path):
    folder = copied(tmp_path, "fiverr")
    parameters = folder / "parameters.yaml"
    edited(parameters, "      - value: 24\n", "      - value: -24\n")
    edited(parameters, "      - value: 72\n", "      - value: 721\n")
    edited(parameters, "    value: 3\n    min: 1\n", "    value: 0\n    min: 1\n")
    assert findings(folder, "en") == (1, [
        f"{parameters}:11:16: [error] R106 cancellation_window_hours: must be at least 1; got -24",
        f"{parameters}:21:16: [error] R106 cancellation_window_hours: must be at most 720; got 721",
        f"{parameters}:45:12: [error] R106 auto_complete_days: must be at least 1; got 0"])
    assert findings(folder, "ja") == (1, [
        f"{parameters}:11:16: [エラー] R106 cancellation_window_hours: 1 以上でなければなりませんが、-24 が指定されています",
        f"{parameters}:21:16: [エラー] R106 cancellation_window_hours: 720 以下でなければなりませんが、721 が指定されています",
        f"{parameters}:45:12: [エラー] R106 auto_complete_days: 1 以上でなければなりませんが、0 が指定されています"])
    scenario = write(tmp_path / "s.yaml", FIVERR.format(fee="250"))
    code, out, err = run("--rules", str(folder), "--lang", "en", str(scenario))
    assert (code, out, err.splitlines()[0]) == (
        2, "", f"{parameters}:11:16: cancellation_window_hours: must be at least 1; got -24")


def test_a_parameter_that_takes_any_date_off_the_calendar_is_refused_at_it(tmp_path):
    fiverr, crowdworks = copied(tmp_path, "fiverr"), copied(tmp_path, "crowdworks")
    hours, days = fiverr / "parameters.yaml", crowdworks / "parameters.yaml"
    edited(hours, "      - value: 72\n", "      - value: 87649416\n")  # 9999-12-31 23:59 - 0001-01-01 00:00, + 1
    edited(hours, "      - value: 48\n", "      - value: 87649415\n")  # fits from 0001-01-01 00:00
    edited(hours, "    min: 1\n    max: 720\n", "    min: 1\n")
    edited(days, "      - value: 14\n", "      - value: 3652059\n")  # 9999-12-31 - 0001-01-01, + 1
    text = days.read_text(encoding="utf-8")
    days.write_text(text.replace("    max: 365\n", "", 1), encoding="utf-8")
    edited(days, "    value: 2\n    min: 1\n    max: 365\n", "    value: 10001\n    min: 1\n")  # business days
    assert findings(fiverr, "en") == (1, [
        f"{hours}:21:16: [error] R106 cancellation_window_hours: auto_cancel_from adds 87649416 hours to a date, "
        "which takes any date off the calendar (0001-01-01 to 9999-12-31)"])
    assert findings(fiverr, "ja") == (1, [
        f"{hours}:21:16: [エラー] R106 cancellation_window_hours: auto_cancel_from は日付に 87649416 時間を足すので、"
        "どの日付からでも暦（0001-01-01〜9999-12-31）の外に出ます"])
    assert findings(crowdworks, "en") == (1, [
        f"{days}:15:16: [error] R106 auto_termination_days: auto_termination_on adds 3652059 days to a date, which "
        "takes any date off the calendar (0001-01-01 to 9999-12-31)",
        f"{days}:35:12: [error] R106 contact_prompt_review_business_days: contact_prompt_review_by would count "
        "10001 business days, more than the 10,000 (about 40 years) advise can count"])
    assert findings(crowdworks, "ja") == (1, [
        f"{days}:15:16: [エラー] R106 auto_termination_days: auto_termination_on は日付に 3652059 日を足すので、"
        "どの日付からでも暦（0001-01-01〜9999-12-31）の外に出ます",
        f"{days}:35:12: [エラー] R106 contact_prompt_review_business_days: contact_prompt_review_by は 10001 "
        "営業日を数えますが、advise が数えられるのは 10,000 営業日（約 40 年）までです"])
