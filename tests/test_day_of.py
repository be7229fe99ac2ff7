"""A datetime fact and the date fact it falls on (facts.yaml `day_of:`), a deadline at a time of day (--calendar),
how a date and time is read (12-hour and Japanese clocks, time zones refused) and an answers file naming another
platform than --platform, as a user sees them: exact output in English and Japanese, and exit codes. The pack is
a copy of tests/data/usd_hours/usdpack whose request_sent_at says `day_of: request_sent_on` and whose rule
answer-in-time has `deadline: window_ends_at`."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli import main

SOURCE = Path(__file__).parent / "data" / "usd_hours" / "usdpack"
HEAD = "platform: usdpack\nas_of: 2026-12-01\nfacts:\n  fee: 100\n  units_total: 3\n  units_delivered: 1\n"


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input, prog_name="advise")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "usdpack"
    shutil.copytree(SOURCE, folder)
    facts = folder / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "request_sent_at: {type: datetime, at_most: as_of,",
        "request_sent_at: {type: datetime, at_most: as_of, day_of: request_sent_on,"), encoding="utf-8")
    rules = folder / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "    when: {days_until_window_end: {gte: 0}}\n",
        "    when: {days_until_window_end: {gte: 0}}\n    deadline: window_ends_at\n"), encoding="utf-8")
    return folder


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_time_on_another_day_than_its_date_is_refused_at_the_time(pack, tmp_path):
    path = write(tmp_path, HEAD + "  request_sent_on: 2026-11-29\n  request_sent_at: 2026-11-30 14:00\n")
    assert run("--rules", str(pack), "--lang", "en", str(path)) == (2, "", (
        f"{path}:8:20: request_sent_at (2026-11-30 14:00) is not on the day of request_sent_on (2026-11-29): the two "
        "are one moment, so they must be the same day; correct one of them, or leave request_sent_on out to take the "
        "day of request_sent_at\n"))
    assert run("--rules", str(pack), "--lang", "ja", str(path)) == (2, "", (
        f"{path}:8:20: request_sent_at（2026-11-30 14:00）が request_sent_on（2026-11-29）と別の日です。二つは同じ時点の"
        "日付と時刻なので、同じ日でなければなりません。どちらかを直すか、request_sent_on を省いて request_sent_at の日付を"
        "使ってください\n"))


def test_a_time_left_over_from_an_earlier_request_is_refused_against_the_timeline(pack, tmp_path):
    # the timeline's last request is on 11-30; the time under facts: is the first request's
    path = write(tmp_path, "platform: usdpack\nas_of: 2026-12-01\nevents:\n"
                 "  - {date: 2026-11-28, event: termination_requested}\n"
                 "  - {date: 2026-11-30, event: termination_requested}\n"
                 "facts:\n  fee: 100\n  units_total: 3\n  request_sent_at: 2026-11-28 10:00\n")
    assert run("--rules", str(pack), "--lang", "en", str(path)) == (2, "", (
        f"{path}:9:20: request_sent_at (2026-11-28 10:00) is not on the day of request_sent_on (2026-11-30): the two "
        "are one moment, so they must be the same day; correct one of them, or leave request_sent_on out to take the "
        "day of request_sent_at\n"))


def test_a_time_alone_gives_its_date_the_day_and_explain_says_so(pack, tmp_path):
    path = write(tmp_path, HEAD + "  request_sent_at: 2026-11-30 14:00\n")
    code, out, err = run("--rules", str(pack), "--lang", "en", "--explain", str(path))
    assert (code, err) == (0, "")
    assert "   Computed: window_ends_from_day = 2026-11-30 (the day of request_sent_at) + 48 hours = 2026-12-02 00:00\n" \
        in out
    assert "2. Answer before the window closes\n   From the day alone, answer before 2026-12-02 00:00 at the latest.\n" \
        in out
    code, out, err = run("--rules", str(pack), "--lang", "ja", "--explain", str(path))
    assert (code, err) == (0, "")
    assert "計算：window_ends_from_day = 2026年11月30日（request_sent_at の日付） + 48時間 = 2026年12月2日 00:00\n" in out
    code, out, err = run("--rules", str(pack), "--format", "json", str(path))
    assert (code, err) == (0, "")
    assert json.loads(out)["facts"]["request_sent_on"] == {"value": "2026-11-30", "origin": "day_of"}


def test_a_condition_on_the_date_taken_shows_where_it_came_from(pack, tmp_path):
    rules = pack / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "when: {window_ends_from_day: {present: true}}", "when: {request_sent_on: {present: true}}"), encoding="utf-8")
    path = write(tmp_path, HEAD + "  request_sent_at: 2026-11-30 14:00\n")
    code, out, _ = run("--rules", str(pack), "--lang", "en", "--explain", str(path))
    assert code == 0
    assert "     ✓ request_sent_on has a value (it is 2026-11-30, the day of request_sent_at)\n" in out
    code, out, _ = run("--rules", str(pack), "--lang", "ja", "--explain", str(path))
    assert "     ✓ request_sent_on に値がある（値：2026年11月30日、request_sent_at の日付）\n" in out


def test_both_on_one_day_are_taken_as_written(pack, tmp_path):
    path = write(tmp_path, HEAD + "  request_sent_on: 2026-11-30\n  request_sent_at: 2026-11-30 23:59\n")
    code, out, err = run("--rules", str(pack), "--format", "json", str(path))
    assert (code, err) == (0, "")
    assert json.loads(out)["facts"]["request_sent_on"] == {"value": "2026-11-30", "origin": "given"}


def test_advise_ask_refuses_a_time_on_another_day_and_fills_a_date_left_unknown(pack):
    code, _, err = run("ask", "--rules", str(pack), "--lang", "en", "--as-of", "2026-12-01",
                       input="100\n3\n1\n2026-11-29\n2026-11-30 14:00\n")
    assert code == 2
    assert err.endswith('<stdin>:5:1: "2026-11-30 14:00" does not answer Q5 (request_sent_at): it is not on the day '
                        "given for request_sent_on (2026-11-29): write a time on that day\n")
    code, _, err = run("ask", "--rules", str(pack), "--lang", "ja", "--as-of", "2026-12-01",
                       input="100\n3\n1\n2026-11-29\n2026-11-30 14:00\n")
    assert code == 2
    assert err.endswith('<stdin>:5:1: 「2026-11-30 14:00」はQ5（request_sent_at）への回答になっていません：'
                        "request_sent_on に答えた日（2026-11-29）と別の日です。その日の時刻を書いてください\n")
    code, out, err = run("ask", "--rules", str(pack), "--lang", "en", "--as-of", "2026-12-01",
                         input="100\n3\n1\n\n2026-11-30 14:00\n")
    assert code == 0
    assert out.endswith("  request_sent_on: 2026-11-30\n  request_sent_at: 2026-11-30 14:00\n")


def test_an_answers_file_with_only_the_time_asks_no_date(pack, tmp_path):
    answers = write(tmp_path, "fee: 100\nunits_total: 3\nunits_delivered: 1\nrequest_sent_at: 2026-11-30 14:00\n",
                    "answers.yaml")
    code, out, err = run("ask", "--rules", str(pack), "--lang", "en", "--as-of", "2026-12-01", "--answers",
                         str(answers), input="")
    assert code == 0
    assert "request_sent_on" not in err  # not asked
    assert out.endswith("  request_sent_on: 2026-11-30\n  request_sent_at: 2026-11-30 14:00\n")


@pytest.mark.parametrize("declared, en, ja", [
    ("day_of: request_sent_typo,", 'day_of names the date fact, given by a scenario, that this time falls on; got '
     '"request_sent_typo"', 'day_of には、この時刻の日付を表す date 型のファクト（シナリオが与えるもの）を指定します。'
     '「request_sent_typo」が指定されています'),
    ("day_of: units_total,", 'day_of names the date fact, given by a scenario, that this time falls on; got '
     '"units_total"', 'day_of には、この時刻の日付を表す date 型のファクト（シナリオが与えるもの）を指定します。'
     '「units_total」が指定されています'),
])
def test_day_of_naming_no_date_fact_is_a_check_error(pack, declared, en, ja):
    facts = pack / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("day_of: request_sent_on,", declared), encoding="utf-8")
    for lang, level, text in (("en", "[error]", en), ("ja", "[エラー]", ja)):
        assert run("check", str(pack), "--lang", lang) == (1, f"{facts}:6:61: {level} R106 {text}\n", "")


def test_day_of_on_a_date_fact_is_a_check_error(pack):
    facts = pack / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "request_sent_on: {type: date, at_most: as_of,", "request_sent_on: {type: date, at_most: as_of, day_of: fee,"),
        encoding="utf-8")
    assert run("check", str(pack), "--lang", "en") == (1, (
        f"{facts}:5:57: [error] R106 day_of is for a datetime fact a scenario gives: it names the date fact that "
        "time falls on\n"), "")


ALARMS = {"en": "Answer before the window closes", "ja": "期限までに返事をする"}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_deadline_at_a_time_is_a_timed_event_in_floating_local_time(pack, tmp_path, lang):
    """At the moment the window closes, with alarms a day and three hours before it (ics.ALARMS_BEFORE): an event
    that rang only at the cut-off would ring once nothing can be done."""
    path = write(tmp_path, HEAD + "  request_sent_at: 2026-11-30 14:00\n")
    ics = tmp_path / "deadlines.ics"
    code, _, err = run("--rules", str(pack), "--lang", lang, "--calendar", str(ics), str(path))
    assert (code, err) == (0, "")
    text = ics.read_bytes().decode("utf-8")
    event = text[text.index("BEGIN:VEVENT"):text.index("BEGIN:VALARM")]
    uid = next(line for line in event.split("\r\n") if line.startswith("UID:"))
    description = {"en": "DESCRIPTION:Answer before 2026-12-02 14:00 (2026-12-02).",
                   "ja": "DESCRIPTION:2026年12月2日 14:00までに返事をしてください（2\r\n 026年12月2日）。"}[lang]  # folded at 75 octets
    assert event == (f"BEGIN:VEVENT\r\nSUMMARY:{ALARMS[lang]}\r\nDTSTART:20261202T140000\r\n"
                     f"DTSTAMP:20261201T000000Z\r\n{uid}\r\n{description}\r\nTRANSP:TRANSPARENT\r\n")
    alarm = "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:{}\r\nTRIGGER:{}\r\nEND:VALARM\r\n"
    assert text[text.index("BEGIN:VALARM"):] == (alarm.format(ALARMS[lang], "-P1D") + alarm.format(ALARMS[lang], "-PT3H")
                                                 + "END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert "DTEND" not in text and "TZID" not in text and text.count("BEGIN:VEVENT") == 1


def test_a_deadline_on_a_date_has_no_alarm(pack, tmp_path):
    """An all-day deadline is already the day to act (the date-only rules take the day before the cut-off)."""
    path = write(tmp_path, HEAD + "  request_sent_on: 2026-11-30\n")
    ics = tmp_path / "deadlines.ics"
    assert run("--rules", str(pack), "--lang", "en", "--calendar", str(ics), str(path))[0] == 0
    assert "VALARM" not in ics.read_text(encoding="utf-8")


def test_a_deadline_naming_an_int_fact_is_refused(pack):
    rules = pack / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("deadline: window_ends_at", "deadline: units_total"),
                     encoding="utf-8")
    assert run("check", str(pack), "--lang", "en") == (1, (
        f"{rules}:22:15: [error] R106 deadline: units_total is int; a deadline is a date or datetime fact\n"), "")
    assert run("check", str(pack), "--lang", "ja") == (1, (
        f"{rules}:22:15: [エラー] R106 deadline: units_total は int です。deadline には date か datetime のファクトを"
        "指定します\n"), "")


@pytest.mark.parametrize("typed", ["2026-11-30 11:30 PM", "2026-11-30 11:30 pm", "2026-11-30 11:30PM",
                                   "2026-11-30 11:30 p.m.", "2026年11月30日 午後11時30分", "2026-11-30 23時30分",
                                   "2026年11月30日午後11時半", "2026-11-30 23:30"])
def test_twelve_hour_and_japanese_clocks_are_read(pack, tmp_path, typed):
    path = write(tmp_path, HEAD + f"  request_sent_at: '{typed}'\n")
    code, out, err = run("--rules", str(pack), "--format", "json", str(path))
    assert (code, err) == (0, "")
    assert json.loads(out)["facts"]["request_sent_at"]["value"] == "2026-11-30T23:30"


@pytest.mark.parametrize("typed, hour", [("2026-11-30 12:05 AM", "00:05"), ("2026-11-30 12 PM", "12:00"),
                                         ("2026-11-30 午前0時", "00:00"), ("2026-11-30 00:30 AM", "00:30"),
                                         ("2026-11-30 0:30 am", "00:30")])
def test_midnight_and_noon_on_a_twelve_hour_clock(pack, tmp_path, typed, hour):
    path = write(tmp_path, HEAD + f"  request_sent_at: '{typed}'\n")
    code, out, _ = run("--rules", str(pack), "--format", "json", str(path))
    assert code == 0
    assert json.loads(out)["facts"]["request_sent_at"]["value"] == f"2026-11-30T{hour}"


# the advice to leave the zone out said once, after why the zone is wrong (the page's own time is wanted)
ZONE_EN = ("it has a time zone (Z, +09:00, JST, EST), and the time wanted is the one the platform's page shows; "
           "write the time as 24-hour HH:MM without a time zone, e.g. 2026-11-24 23:30")
ZONE_JA = ("タイムゾーン（Z、+09:00、JST、EST）が付いています。書くのはプラットフォームの画面に出ている時刻です。"
           "時刻はタイムゾーンを付けずに 24 時間制の HH:MM で、2026-11-24 23:30 のように書いてください")
FORM_EN = "the time of day is not one it can read; write the time as 24-hour HH:MM without a time zone, e.g. 2026-11-24 23:30"
FORM_JA = "時刻が読み取れる形ではありません。時刻はタイムゾーンを付けずに 24 時間制の HH:MM で、2026-11-24 23:30 のように書いてください"
RANGE_EN = ("the time is out of range (00:00 to 23:59); write the time as 24-hour HH:MM without a time zone, "
            "e.g. 2026-11-24 23:30")
RANGE_JA = "時刻が範囲外です（00:00〜23:59）。時刻はタイムゾーンを付けずに 24 時間制の HH:MM で、2026-11-24 23:30 のように書いてください"


@pytest.mark.parametrize("typed, en, ja", [
    ("2026-11-30T23:30Z", ZONE_EN, ZONE_JA), ("2026-11-30 23:30+09:00", ZONE_EN, ZONE_JA),
    ("2026-11-30 23:30 JST", ZONE_EN, ZONE_JA), ("2026-11-30 11:30 PM EST", ZONE_EN, ZONE_JA),
    ("2026-11-30 11:30 XM", FORM_EN, FORM_JA), ("2026-11-30 午後", FORM_EN, FORM_JA),
    ("2026-11-30 13:00 PM", RANGE_EN, RANGE_JA), ("2026-11-30 午後12時", RANGE_EN, RANGE_JA),
    ("2026-11-30 00:30 PM", RANGE_EN, RANGE_JA),  # 12:30 PM or 00:30: not certain
])
def test_a_time_it_cannot_read_gets_a_datetime_message(pack, tmp_path, typed, en, ja):
    path = write(tmp_path, HEAD + f"  request_sent_at: '{typed}'\n")
    assert run("--rules", str(pack), "--lang", "en", str(path)) == (
        2, "", f'{path}:7:20: request_sent_at: cannot read "{typed}" as a date and time: {en}\n')
    assert run("--rules", str(pack), "--lang", "ja", str(path)) == (
        2, "", f'{path}:7:20: request_sent_at: 「{typed}」を日時として読めません。{ja}\n')


def test_advise_ask_refuses_a_time_zone(pack):
    code, _, err = run("ask", "--rules", str(pack), "--lang", "en", "--as-of", "2026-12-01",
                       input="100\n3\n1\n\n2026-11-30 23:30 JST\n")
    assert code == 2
    assert err.endswith('<stdin>:5:1: "2026-11-30 23:30 JST" does not answer Q5 (request_sent_at): cannot read '
                        f'"2026-11-30 23:30 JST" as a date and time: {ZONE_EN}\n')


def test_a_date_in_a_dollar_pack_suggests_no_japanese_form_in_english(pack, tmp_path):
    path = write(tmp_path, HEAD + "  request_sent_on: 30/11/2026\n")
    code, _, err = run("--rules", str(pack), "--lang", "en", str(path))
    assert code == 2
    assert err.endswith("write it as 2026-11-10 or 2026/11/10\n")
    code, _, err = run("--rules", str(pack), "--lang", "ja", str(path))
    assert err.endswith("2026-11-10、2026/11/10、2026年11月10日のように書いてください\n")


def test_an_answers_file_naming_another_platform_than_platform_is_refused(tmp_path):
    answers = write(tmp_path, "platform: craudia\nas_of: 2026-11-25\nfacts:\n  work_started: true\n", "answers.yaml")
    assert run("--lang", "en", "ask", "--platform", "lancers", "--answers", str(answers), input="") == (
        2, "", f'{answers}:1:11: this file is for platform "craudia", but --platform "lancers" was given: the two '
        "disagree; remove --platform or change platform: here\n")
    assert run("--lang", "ja", "ask", "--platform", "lancers", "--answers", str(answers), input="") == (
        2, "", f'{answers}:1:11: このファイルのプラットフォームは「craudia」ですが、--platform 「lancers」が指定されています。'
        "二つが食い違っています。--platform を外すか、ここの platform: を直してください\n")
    code, out, _ = run("--lang", "en", "ask", "--platform", "craudia", "--answers", str(answers), input="")
    assert code == 0 and "platform: craudia\n" in out


@pytest.mark.parametrize("typed", ["USD 250.50", "250.50 USD", "250.50USD"])
def test_an_amount_with_the_code_usd_is_read(pack, tmp_path, typed):
    path = write(tmp_path, HEAD.replace("fee: 100", f"fee: {typed}"))
    code, out, err = run("--rules", str(pack), "--format", "json", str(path))
    assert (code, err) == (0, "")
    assert json.loads(out)["facts"]["fee"]["value"] == 25050


def test_the_code_usd_alone_is_no_amount(pack, tmp_path):
    path = write(tmp_path, HEAD.replace("fee: 100", "fee: USD"))
    assert run("--rules", str(pack), "--lang", "en", str(path)) == (2, "", (
        f'{path}:4:8: fee: cannot read "USD" as an amount in dollars: it needs digits, with at most a $ before them '
        "and cents after a point; write it in digits, e.g. 250, 250.50, $1,250.50 or US$250\n"))


def test_a_number_of_hours_pinned_that_is_no_number_is_told_to_write_hours(pack, tmp_path):
    path = write(tmp_path, HEAD.replace("facts:\n", "params:\n  answer_window_hours: 48h\nfacts:\n"))
    assert run("--rules", str(pack), "--lang", "en", str(path)) == (2, "", (
        f'{path}:4:24: answer_window_hours: cannot read "48h" as a whole number: "h" (U+0068) cannot be part of it; '
        "write the number of hours in digits, e.g. 48\n"))
    assert run("--rules", str(pack), "--lang", "ja", str(path)) == (2, "", (
        f'{path}:4:24: answer_window_hours: 「48h」を整数として読めません。「h」（U+0068）はここに書けません。'
        "時間数を 48 のように数字で書いてください\n"))


def test_as_of_in_a_dollar_pack_suggests_no_japanese_form_in_english(pack, tmp_path):
    path = write(tmp_path, HEAD.replace("as_of: 2026-12-01", "as_of: 01/12/2026"))
    assert run("--rules", str(pack), "--lang", "en", str(path)) == (2, "", (
        f'{path}:2:8: as_of: cannot read "01/12/2026" as a date: it must start with the year in four digits; write it '
        "as 2026-11-10 or 2026/11/10\n"))


HINT_TIME_ALONE = {
    "en": "  (a date and time, YYYY-MM-DD HH:MM; or HH:MM alone, on 2026-11-29; not after 2026-12-01; "
          "Enter if you don't know)\n",
    "ja": "  ［日時を YYYY-MM-DD HH:MM の形で、2026年11月29日の時刻なら HH:MM だけでも可、2026年12月1日以前、"
          "わからなければ Enter］\n",
}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("typed", ["14:30", "2:30 PM", "１４：３０", "14時30分", "午後2時半"])
def test_advise_ask_takes_a_time_alone_on_the_date_answered_before_it(pack, lang, typed):
    code, out, err = run("ask", "--rules", str(pack), "--lang", lang, "--as-of", "2026-12-01",
                         input=f"100\n3\n1\n2026-11-29\n{typed}\n")
    assert code == 0
    assert f"{HINT_TIME_ALONE[lang]}> {typed}\n" in err
    assert out.endswith("  request_sent_on: 2026-11-29\n  request_sent_at: 2026-11-29 14:30\n")


@pytest.mark.parametrize("lang, message", [
    ("en", '<stdin>:5:1: "25:00" does not answer Q5 (request_sent_at): cannot read "2026-11-29 25:00" as a date and '
           f"time: {RANGE_EN}\n"),
    ("ja", "<stdin>:5:1: 「25:00」はQ5（request_sent_at）への回答になっていません：「2026-11-29 25:00」を日時として"
           f"読めません。{RANGE_JA}\n"),
])
def test_advise_ask_refuses_a_time_alone_no_clock_has_as_that_days_time(pack, lang, message):
    code, _, err = run("ask", "--rules", str(pack), "--lang", lang, "--as-of", "2026-12-01",
                       input="100\n3\n1\n2026-11-29\n25:00\n")
    assert code == 2 and err.endswith(message)


def test_advise_ask_wants_the_date_with_the_time_when_the_date_is_not_known(pack):
    code, _, err = run("ask", "--rules", str(pack), "--lang", "en", "--as-of", "2026-12-01",
                       input="100\n3\n1\n\n14:30\n")
    assert code == 2
    assert "or HH:MM alone" not in err
    assert err.endswith('<stdin>:5:1: "14:30" does not answer Q5 (request_sent_at): cannot read "14:30" as a date '
                        "and time: it must start with the year in four digits; write the time as 24-hour HH:MM without "
                        "a time zone, e.g. 2026-11-24 23:30\n")
