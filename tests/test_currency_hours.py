"""Money in a pack's currency (pack.yaml currency: USD, amounts held in cents) and hours (datetime facts, add_hours,
date_of, unit: hours), as a user sees them: the advice in English and Japanese, JSON, --explain, the refusals of a
scenario (path:line:col, exit 2), a pack's mistakes, and advise ask. The pack is tests/data/usd_hours/usdpack: a
fee in dollars shared pro rata, a 48-hour window from a request's date and time (window_ends_at) or from its date
alone (window_ends_from_day), and a large fee compared with a parameter in dollars (unit: money)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli import main
from advisor.units import format_amount, pack_amount, read_amount

PACK = Path(__file__).parent / "data" / "usd_hours" / "usdpack"
SCENARIO = """\
platform: usdpack
as_of: 2026-12-01
facts:
  fee: $1,250.50
  units_total: 3
  units_delivered: 1
  request_sent_on: 2026-11-30
  request_sent_at: 2026-11-30 14:00
"""


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input, prog_name="advise")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_amount_in_dollars_and_a_48_hour_window_in_english(tmp_path):
    code, out, err = run("--rules", str(PACK), "--lang", "en", str(write(tmp_path, SCENARIO)))
    assert (code, err) == (0, "")
    assert out == """\
Your situation
Dollar test · as of 2026-12-01

1. Answer before the window closes
   Answer before 2026-12-02 14:00 (2026-12-02).
   Why: Past it the contract ends by itself.
   Source: Source

2. Answer before the window closes
   From the day alone, answer before 2026-12-02 00:00 at the latest.
   Why: Without the time, the hours are counted from 00:00 that day.
   Source: Source

3. Propose pay for what was delivered
   Propose $416.83 for the 1 deliverables handed in (contract amount $1,250.50).
   Why: It is the pro-rata share.
   Source: Source

4. A large contract
   The contract amount $1,250.50 is $1,000.00 or more.
   Why: It is large.
   Source: Source
"""


def test_an_amount_in_dollars_and_a_48_hour_window_in_japanese(tmp_path):
    code, out, err = run("--rules", str(PACK), "--lang", "ja", str(write(tmp_path, SCENARIO)))
    assert (code, err) == (0, "")
    assert out == """\
あなたの状況
ドルのテスト・2026年12月1日時点

1. 期限までに返事をする
   2026年12月2日 14:00までに返事をしてください（2026年12月2日）。
   理由：期限を過ぎると自動で終わります。
   出典：出典

2. 期限までに返事をする
   日付だけなら、遅くとも2026年12月2日 00:00までに返事をしてください。
   理由：時刻がわからないので、その日の0時から数えています。
   出典：出典

3. 納品分の金額を提案する
   納品した1件分として416.83ドルを提案してください（契約金額1,250.50ドル）。
   理由：按分です。
   出典：出典

4. 高額の契約
   契約金額1,250.50ドルは1,000.00ドル以上です。
   理由：高額です。
   出典：出典
"""


def test_json_writes_amounts_in_cents_with_the_currency_and_datetimes_to_the_minute(tmp_path):
    code, out, _ = run("--rules", str(PACK), "--lang", "en", "--format", "json", str(write(tmp_path, SCENARIO)))
    document = json.loads(out)
    assert code == 0 and document["scenario"]["currency"] == "USD"
    facts = {name: entry["value"] for name, entry in document["facts"].items()}
    assert {name: facts[name] for name in ("fee", "pro_rata_pay", "request_sent_at", "window_ends_at",
                                           "window_ends_from_day", "window_end_day")} == {
        "fee": 125050, "pro_rata_pay": 41683,  # $1,250.50 / 3 = $416.8333...: rounded down to the cent
        "request_sent_at": "2026-11-30T14:00", "window_ends_at": "2026-12-02T14:00",
        "window_ends_from_day": "2026-12-02T00:00", "window_end_day": "2026-12-02"}
    assert document["parameters"] == {"answer_window_hours": 48, "large_fee_amount": 100000}


def test_a_yen_pack_writes_no_currency_in_json():
    scenario = Path(__file__).parent.parent / "scenarios" / "crowdworks" / "seed-rejected-half-delivered.yaml"
    code, out, _ = run("--lang", "en", "--format", "json", str(scenario))
    assert code == 0 and "currency" not in json.loads(out)["scenario"]


def test_explain_shows_the_hours_and_the_cents(tmp_path):
    code, out, _ = run("--rules", str(PACK), "--lang", "en", "--explain", str(write(tmp_path, SCENARIO)))
    assert code == 0
    assert "   Computed: window_ends_at = 2026-11-30 14:00 + 48 hours = 2026-12-02 14:00\n" in out
    assert "   Computed: window_end_day = the day of 2026-12-02 14:00 = 2026-12-02\n" in out
    assert "   Computed: window_ends_from_day = 2026-11-30 + 48 hours = 2026-12-02 00:00\n" in out
    assert "   Computed: pro_rata_pay = $1,250.50 × 1 ÷ 3 = $416.83 (rounded down)\n" in out
    assert "   Parameters: answer_window_hours = 48 hours\n" in out
    code, out, _ = run("--rules", str(PACK), "--lang", "ja", "--explain", str(write(tmp_path, SCENARIO)))
    assert "   計算：window_ends_at = 2026年11月30日 14:00 + 48時間 = 2026年12月2日 14:00\n" in out
    assert "   計算：pro_rata_pay = 1,250.50ドル × 1 ÷ 3 = 416.83ドル（切り捨て）\n" in out
    assert "   パラメータ：answer_window_hours = 48時間\n" in out


@pytest.mark.parametrize("typed, cents", [
    ("250", 25000), ("250.50", 25050), ("250.5", 25050), ("$250.50", 25050), ("$1,250", 125000),
    ('"1,250.5"', 125050), ("US$250", 25000), ("1.29", 129), ("１２.３４", 1234), ("'$ 7.05'", 705)])
def test_dollars_are_read_in_every_usual_form_exactly(tmp_path, typed, cents):
    scenario = SCENARIO.replace("$1,250.50", typed).replace("units_delivered: 1", "units_delivered: 3")
    code, out, _ = run("--rules", str(PACK), "--format", "json", str(write(tmp_path, scenario)))
    facts = json.loads(out)["facts"]
    assert code == 0 and facts["fee"]["value"] == facts["pro_rata_pay"]["value"] == cents


def test_a_money_parameter_is_pinned_in_dollars(tmp_path):
    code, out, _ = run("--rules", str(PACK), "--lang", "en", "--format", "json",
                       str(write(tmp_path, SCENARIO + "params:\n  large_fee_amount: 2000.01\n")))
    document = json.loads(out)
    assert code == 0 and document["parameters"]["large_fee_amount"] == 200001
    assert "large_fee" not in [item["action"] for item in document["recommendations"]]


REFUSED = """\
platform: usdpack
as_of: 2026-12-01
facts:
  fee: 250.505
  units_total: 3
  request_sent_on: 2026-11-30 14:00
  request_sent_at: 2026-11-30
"""


def test_what_cannot_be_read_is_refused_at_its_place_in_both_languages(tmp_path):
    path = write(tmp_path, REFUSED)
    code, out, err = run("--rules", str(PACK), "--lang", "en", str(path))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{path}:4:8: fee: cannot read \"250.505\" as an amount in dollars: it has more than 2 decimals, and a cent "
        "is the smallest amount; write it in digits, e.g. 250, 250.50, $1,250.50 or US$250",
        f"{path}:6:20: request_sent_on: cannot read \"2026-11-30 14:00\" as a date: a date has no time of day; "
        "leave the time out; write it as 2026-11-10 or 2026/11/10",
        f"{path}:7:20: request_sent_at: cannot read \"2026-11-30\" as a date and time: it has no time of day: add the "
        "time shown on the platform's page; write the time as 24-hour HH:MM without a time zone, e.g. 2026-11-24 23:30"]
    code, out, err = run("--rules", str(PACK), "--lang", "ja", str(path))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{path}:4:8: fee: 「250.505」をドルの金額として読めません。小数が2桁を超えています（1セントより細かい金額は"
        "ありません）。250、250.50、$1,250.50、US$250 のように数字で書いてください",
        f"{path}:6:20: request_sent_on: 「2026-11-30 14:00」を日付として読めません。日付に時刻は書けません（時刻を"
        "消してください）。2026-11-10、2026/11/10、2026年11月10日のように書いてください",
        f"{path}:7:20: request_sent_at: 「2026-11-30」を日時として読めません。時刻がありません（プラットフォームの"
        "画面に出ている時刻を書き足してください）。時刻はタイムゾーンを付けずに 24 時間制の HH:MM で、2026-11-24 23:30 のように"
        "書いてください"]


@pytest.mark.parametrize("typed, en, ja", [
    ("5万円", '"万" (U+4E07) is for yen, and this pack counts dollars', "「万」（U+4E07）は円に付けるもので、このパックの金額はドルです"),
    ("¥500", '"¥" (U+00A5) is for yen, and this pack counts dollars', "「¥」（U+00A5）は円に付けるもので、このパックの金額はドルです"),
    ("500円", '"円" (U+5186) is for yen, and this pack counts dollars', "「円」（U+5186）は円に付けるもので、このパックの金額はドルです"),
    ("$5#0", '"#" (U+0023) cannot be part of it', "「#」（U+0023）はここに書けません"),
    ("lots", '"l" (U+006C) cannot be part of it', "「l」（U+006C）はここに書けません"),
    ("$", "it needs digits, with at most a $ before them and cents after a point",
     "数字で書き、前に付けられるのは $ だけ、セントは小数点の後に書きます"),
])
def test_yen_in_a_dollar_pack_is_refused(tmp_path, typed, en, ja):
    path = write(tmp_path, SCENARIO.replace("$1,250.50", f"'{typed}'"))
    for lang, why, sentence in (("en", en, f"fee: cannot read \"{typed}\" as an amount in dollars: {en}; write it in "
                                 "digits, e.g. 250, 250.50, $1,250.50 or US$250"),
                                ("ja", ja, f"fee: 「{typed}」をドルの金額として読めません。{ja}。250、250.50、"
                                 "$1,250.50、US$250 のように数字で書いてください")):
        assert run("--rules", str(PACK), "--lang", lang, str(path)) == (2, "", f"{path}:4:8: {sentence}\n")


def test_a_dollar_in_a_yen_pack_is_refused(tmp_path):
    path = write(tmp_path, "as_of: 2026-11-25\nfacts:\n  fee: $500\n")
    packs = "craudia, crowdworks, fiverr, lancers, upwork"  # the scenario names no platform: so it says so first
    assert run("--lang", "en", str(path)) == (2, "", (
        f"{path}: no platform: given, so crowdworks was assumed; rule packs: {packs}\n"
        f'{path}:3:8: fee: cannot read "$500" as a whole number: "$" (U+0024) is for dollars, and this pack counts '
        "yen; write it in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円\n"))
    assert run("--lang", "ja", str(path)) == (2, "", (
        f"{path}: platform: がないため、crowdworks として扱いました。ルールパック：{packs}\n"
        f'{path}:3:8: fee: 「$500」を整数として読めません。「$」（U+0024）はドルに付けるもので、このパックの金額は円です。'
        "50000、50,000、¥50,000、50000円、5万円のように数字で書いてください\n"))


def test_an_amount_below_the_packs_minimum_is_shown_in_dollars(tmp_path):
    path = write(tmp_path, SCENARIO.replace("$1,250.50", "0.50"))
    assert run("--rules", str(PACK), "--lang", "en", str(path)) == (
        2, "", f"{path}:4:8: fee: must be at least $1.00; got $0.50\n")
    assert run("--rules", str(PACK), "--lang", "ja", str(path)) == (
        2, "", f"{path}:4:8: fee: 1.00ドル 以上でなければなりませんが、0.50ドル が指定されています\n")


TIMELINE = """\
platform: usdpack
as_of: {as_of}
facts:
  fee: 250
events:
  - {{date: {date}, event: termination_requested}}
"""


def test_an_event_at_a_time_of_day_sets_the_datetime_and_its_date_the_date(tmp_path):
    path = write(tmp_path, TIMELINE.format(as_of="2026-12-03", date="2026-11-30T09:15"))
    code, out, _ = run("--rules", str(PACK), "--lang", "en", "--format", "json", str(path))
    facts = {name: entry["value"] for name, entry in json.loads(out)["facts"].items()}
    assert code == 0
    assert (facts["request_sent_on"], facts["request_sent_at"], facts["window_ends_at"]) == (
        "2026-11-30", "2026-11-30T09:15", "2026-12-02T09:15")
    code, out, _ = run("--rules", str(PACK), "--lang", "en", str(path))
    assert "1. The window has closed\n   The window closed at 2026-12-02 09:15.\n" in out


def test_an_event_on_a_date_alone_leaves_the_datetime_unknown_and_the_window_counts_from_00_00(tmp_path):
    path = write(tmp_path, TIMELINE.format(as_of="2026-12-01", date="2026-11-30"))
    code, out, _ = run("--rules", str(PACK), "--lang", "en", "--format", "json", str(path))
    facts = json.loads(out)["facts"]
    assert code == 0 and "request_sent_at" not in facts and "window_ends_at" not in facts
    assert facts["window_ends_from_day"] == {"value": "2026-12-02T00:00", "origin": "derived"}


def test_a_datetime_after_as_of_is_refused_and_any_time_on_as_of_is_not(tmp_path):
    late = write(tmp_path, SCENARIO.replace("2026-11-30 14:00", "2026-12-02 00:00"))
    assert run("--rules", str(PACK), "--lang", "en", str(late)) == (
        2, "", f"{late}:8:20: request_sent_at (2026-12-02 00:00) is more than as_of (2026-12-01)\n")
    same_day = write(tmp_path, SCENARIO.replace("2026-11-30 14:00", "2026-12-01 23:59"), "same.yaml")
    assert run("--rules", str(PACK), "--lang", "en", str(same_day))[0] == 0


def test_advise_ask_reads_dollars_and_a_date_with_its_time(tmp_path):
    answers = "$1,250.50\n3\n1\n2026-11-30\n2026/11/30 14:00\n\n"
    code, out, err = run("ask", "--rules", str(PACK), "--lang", "en", "--as-of", "2026-12-01", input=answers)
    assert code == 0
    assert "Q1. What is the contract amount, in dollars?\n  (an amount, e.g. 250.50; $1.00 or more; Enter if you " \
           "don't know)\n" in err
    assert "Q5. When was the request sent? (YYYY-MM-DD HH:MM)\n  (a date and time, YYYY-MM-DD HH:MM; not after " \
           "2026-12-01; Enter if you don't know)\n" in err
    assert "   Propose $416.83 for the 1 deliverables handed in (contract amount $1,250.50).\n" in err
    assert out.endswith("facts:\n  fee: 1250.50\n  units_total: 3\n  units_delivered: 1\n  request_sent_on: 2026-11-30\n"
                        "  request_sent_at: 2026-11-30 14:00\n")
    assert run("--rules", str(PACK), "--lang", "en", str(write(tmp_path, out)))[0] == 0  # read back the same


def test_advise_ask_refuses_a_fraction_of_a_cent_and_a_date_without_its_time():
    code, _, err = run("ask", "--rules", str(PACK), "--lang", "ja", "--as-of", "2026-12-01", input="1250.505\n")
    assert code == 2
    assert err.endswith('<stdin>:1:1: 「1250.505」はQ1（fee）への回答になっていません：「1250.505」をドルの金額として'
                        "読めません。小数が2桁を超えています（1セントより細かい金額はありません）。250、250.50、"
                        "$1,250.50、US$250 のように数字で書いてください\n")
    code, _, err = run("ask", "--rules", str(PACK), "--lang", "en", "--as-of", "2026-12-01",
                       input="250\n3\n1\n2026-11-30\n2026-11-30\n")
    assert code == 2
    assert err.endswith('<stdin>:5:1: "2026-11-30" does not answer Q5 (request_sent_at): cannot read "2026-11-30" as '
                        "a date and time: it has no time of day: add the time shown on the platform's page; write the "
                        "time as 24-hour HH:MM without a time zone, e.g. 2026-11-24 23:30\n")


def copy_pack(tmp_path: Path) -> Path:
    folder = tmp_path / "usdpack"
    shutil.copytree(PACK, folder)
    return folder


def test_a_pack_comparing_an_amount_with_a_plain_number_is_refused(tmp_path):
    folder = copy_pack(tmp_path)
    parameters = folder / "parameters.yaml"
    parameters.write_text(parameters.read_text(encoding="utf-8").replace("    unit: money\n", ""), encoding="utf-8")
    code, out, _ = run("check", "--lang", "en", str(folder))
    assert code == 1
    assert (f"{folder / 'rules.yaml'}:14:23: [error] R106 fee is an amount in the pack's currency, and "
            "large_fee_amount is no amount: give large_fee_amount unit: money") in out.splitlines()


def test_a_packs_amounts_are_in_its_currency(tmp_path):
    folder = copy_pack(tmp_path)
    rules = folder / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("{param: large_fee_amount}", "999.99"), encoding="utf-8")
    path = write(tmp_path, SCENARIO.replace("$1,250.50", "999.99"))
    code, out, _ = run("--rules", str(folder), "--lang", "en", str(path))
    assert code == 0 and "4. A large contract\n   The contract amount $999.99 is $1,000.00 or more." in out
    rules.write_text(rules.read_text(encoding="utf-8").replace("999.99", "999.999"), encoding="utf-8")
    code, out, err = run("--rules", str(folder), "--lang", "en", str(path))
    assert code == 2 and "fee: expected a whole number; got 999.999" in err


def test_units_hold_amounts_exactly():
    assert pack_amount(0.29, "USD") == 29 and pack_amount(12.5, "USD") == 1250 and pack_amount(50000, "JPY") == 50000
    assert pack_amount(0.125, "USD") == 0.125  # a fraction of a cent is left for the type check to refuse
    assert pack_amount(1e300, "USD") == 1e300 and pack_amount(True, "USD") is True
    assert read_amount("-$5", "USD") == (-500, None)
    assert [format_amount(value, "USD", lang) for value in (25000, 5, -125050) for lang in ("en", "ja")] == [
        "$250.00", "250.00ドル", "$0.05", "0.05ドル", "-$1,250.50", "-1,250.50ドル"]
    assert [format_amount(25000, "JPY", lang) for lang in ("en", "ja")] == ["¥25,000", "25,000円"]


@pytest.mark.parametrize("written, fires", [('"2026-11-30 14:01"', True), ('"2026-11-30 14:00"', False)])
def test_a_rule_compares_a_datetime_with_one_it_writes(tmp_path, written, fires):
    folder = copy_pack(tmp_path)
    rules = folder / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "when: {days_until_window_end: {lt: 0}}", f"when: {{request_sent_at: {{lt: {written}}}}}"), encoding="utf-8")
    code, out, _ = run("--rules", str(folder), "--lang", "en", str(write(tmp_path, SCENARIO)))
    assert code == 0 and ("The window closed at 2026-12-02 14:00." in out) == fires


def test_events_on_one_day_are_in_the_order_of_their_times(tmp_path):
    path = write(tmp_path, TIMELINE.format(as_of="2026-12-03", date="2026-11-30 14:00")
                 + "  - {date: 2026-11-30, event: termination_requested}\n"  # no time: anywhere in its day
                 + "  - {date: 2026-11-30 09:00, event: termination_requested}\n")
    assert run("--rules", str(PACK), "--lang", "en", str(path)) == (
        2, "", f"{path}:8:12: events must be oldest first: 2026-11-30 09:00 comes after 2026-11-30 14:00\n")
    assert run("--rules", str(PACK), "--lang", "ja", str(path)) == (
        2, "", f"{path}:8:12: events は古い順に並べてください。2026-11-30 09:00 が 2026-11-30 14:00 の後にあります\n")


def test_a_money_parameter_pinned_below_its_minimum_is_refused_in_dollars(tmp_path):
    folder = copy_pack(tmp_path)
    parameters = folder / "parameters.yaml"
    parameters.write_text(parameters.read_text(encoding="utf-8").replace("    unit: money\n", "    unit: money\n    min: 100\n"),
                          encoding="utf-8")
    path = write(tmp_path, SCENARIO + "params:\n  large_fee_amount: 99.99\n")
    assert run("--rules", str(folder), "--lang", "en", str(path)) == (
        2, "", f"{path}:10:21: large_fee_amount: must be at least $100.00; got $99.99\n")
    assert run("--rules", str(folder), "--lang", "ja", str(path)) == (
        2, "", f"{path}:10:21: large_fee_amount: 100.00ドル 以上でなければなりませんが、99.99ドル が指定されています\n")


def test_the_schemas_name_every_currency_and_unit_the_code_knows():
    from advisor.model import CURRENCIES
    schemas = Path(__file__).parent.parent / "rules" / "schemas"
    pack = json.loads((schemas / "pack.schema.json").read_text(encoding="utf-8"))
    parameters = json.loads((schemas / "parameters.schema.json").read_text(encoding="utf-8"))
    assert pack["properties"]["currency"]["enum"] == list(CURRENCIES)
    assert parameters["properties"]["parameters"]["additionalProperties"]["properties"]["unit"]["enum"] == [
        "hours", "money"]
