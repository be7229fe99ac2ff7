"""Deadlines you can act on: business days with Japanese public holidays (derive add_business_days), the
contact-prompt review rule, `deadline:` on rules, and `advise SCENARIO --calendar FILE.ics`."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import jpholiday
import pytest
from click.testing import CliRunner
from icalendar import Calendar

from advisor.cli import main
from advisor.derive import OPERATIONS, add_business_days, is_business_day
from advisor.pipeline import advise_file

ROOT = Path(__file__).parent.parent
SCENARIOS = ROOT / "scenarios" / "crowdworks"
HOLIDAY_WEEKEND = SCENARIOS / "contact-prompt-before-holiday-weekend.yaml"  # asked Fri 2026-11-20, as_of 11-21
NEW_YEAR = SCENARIOS / "contact-prompt-over-new-year.yaml"  # asked Wed 2026-12-30, request sent 2026-12-25
HOURLY_PENDING = SCENARIOS / "hourly-end-request-pending.yaml"  # hourly, request sent 2026-11-18, as_of 11-25
D = dt.date


# ------------------------------------------------------------------------------------------- business days

def test_the_library_knows_the_2026_holidays_these_tests_rely_on():
    assert jpholiday.is_holiday_name(D(2026, 11, 23)) == "勤労感謝の日"  # a Monday
    assert jpholiday.is_holiday_name(D(2027, 1, 1)) == "元日"  # a Friday
    assert jpholiday.is_holiday_name(D(2026, 5, 6)) == "憲法記念日 振替休日"  # substitute for Sunday 2026-05-03
    assert jpholiday.is_holiday_name(D(2026, 9, 22)) == "国民の休日"  # between 敬老の日 and 秋分の日
    assert not jpholiday.is_holiday(D(2026, 12, 31))  # not a public holiday: a business day here


@pytest.mark.parametrize("start, count, expected", [
    (D(2026, 11, 18), 2, D(2026, 11, 20)),  # Wednesday + 2: no weekend in between
    (D(2026, 11, 19), 2, D(2026, 11, 24)),  # Thursday + 2: Friday, then Tuesday (Sat, Sun, Mon 11-23 skipped)
    (D(2026, 11, 20), 2, D(2026, 11, 25)),  # Friday before the holiday weekend
    (D(2026, 11, 21), 1, D(2026, 11, 24)),  # from a Saturday
    (D(2026, 12, 30), 2, D(2027, 1, 4)),  # Thursday 12-31, then Monday: New Year's Day and the weekend skipped
    (D(2026, 12, 31), 1, D(2027, 1, 4)),
    (D(2026, 5, 1), 1, D(2026, 5, 7)),  # Golden Week: 5-2 to 5-6, with the substitute holiday 5-6
    (D(2026, 9, 18), 1, D(2026, 9, 24)),  # Silver Week: 9-21 敬老の日, 9-22 国民の休日, 9-23 秋分の日
    (D(2026, 11, 20), 0, D(2026, 11, 20)),
    (D(2026, 11, 25), -2, D(2026, 11, 20)),  # backwards, skipping the same days
])
def test_add_business_days_skips_weekends_and_japanese_holidays(start, count, expected):
    assert add_business_days(start, count) == expected
    assert (OPERATIONS["add_business_days"].args, OPERATIONS["add_business_days"].gives) == (("date", "int"), "date")


def test_business_days_are_weekdays_that_are_not_holidays():
    assert [is_business_day(D(2026, 11, d)) for d in range(20, 26)] == [True, False, False, False, True, True]


def test_the_last_day_of_the_calendar_is_a_business_day_and_a_count_may_end_on_it():
    # 9999-12-31 is a Friday, no public holiday, and 国民の休日 would need a holiday on a day that does not exist
    assert is_business_day(D(9999, 12, 31))
    assert add_business_days(D(9999, 12, 29), 2) == D(9999, 12, 31)
    assert add_business_days(D(9999, 12, 31), -2) == D(9999, 12, 29)
    with pytest.raises(OverflowError):  # the day after it is no such day
        add_business_days(D(9999, 12, 29), 3)


@pytest.mark.parametrize("lang, line", [
    ("en", "   Support reviews a contact-prompt request within 2 business days: you asked on 9999-12-29, so by "
           "9999-12-31 (days left: 0; weekends and Japanese public holidays do not count, and days support is closed "
           "for other reasons, such as the New Year holidays, may push it later). On that day, check whether the "
           "client has replied and whether support has written to you."),
    ("ja", "   事務局は連絡催促の依頼を2営業日以内に確認します。9999年12月29日の依頼なので、9999年12月31日までです（残り0日。"
           "土日祝日は数えません。年末年始など事務局の休業日が重なると、さらに遅れることがあります）。その日に、クライアントから"
           "返信があったか、事務局から連絡が来ていないかを確認してください。"),
])
def test_a_review_due_on_the_last_day_of_the_calendar_is_advised(tmp_path, lang, line):
    scenario = tmp_path / "last-day.yaml"
    scenario.write_text("platform: crowdworks\nas_of: 9999-12-31\nfacts:\n  work_started: true\n"
                        "  client_unresponsive: true\n  contact_prompt_requested_on: 9999-12-29\n", encoding="utf-8")
    code, out, err = run("--lang", lang, str(scenario))
    assert (code, err) == (0, "")
    assert line in out.splitlines()


def test_a_count_beyond_any_sensible_period_gives_no_date_rather_than_running_for_minutes():
    with pytest.raises(OverflowError):
        add_business_days(D(2026, 1, 1), 10**12)


# ---------------------------------------------------------------------------------------------- the rule

def test_the_review_date_skips_the_holiday_and_the_days_left_are_shown():
    advice = advise_file(HOLIDAY_WEEKEND)
    assert advice.facts["contact_prompt_review_by"] == D(2026, 11, 25)
    assert advice.facts["days_until_contact_prompt_review"] == 4
    assert "wait_for_contact_prompt_review" in advice.actions
    assert "request_contact_prompt" not in advice.actions  # already asked: not advised again
    item = next(r for r in advice.recommendations if r.rule.action == "wait_for_contact_prompt_review")
    assert "by 2026-11-25 (days left: 4;" in item.message.en
    assert "2026年11月25日までです（残り4日。" in item.message.ja
    assert item.rule.sources == ("cw-faq-10549",)


def test_over_new_year_both_waits_have_a_date_and_days_left():
    advice = advise_file(NEW_YEAR)
    assert advice.facts["contact_prompt_review_by"] == D(2027, 1, 4)
    messages = {r.rule.action: r.message.en for r in advice.recommendations}
    assert ("on 2027-01-01 (7 days, as most guides say) or 2027-01-08 (14 days, as the seed article says). Before "
            "2027-01-01 (days left: 2)") in messages["wait_for_auto_termination"]
    assert "by 2027-01-04 (days left: 5;" in messages["wait_for_contact_prompt_review"]


def test_once_the_review_was_due_the_rule_no_longer_advises_waiting(tmp_path):
    result = CliRunner().invoke(main, ["--lang", "en", "--format", "json", "--as-of", "2026-11-26", str(HOLIDAY_WEEKEND)])
    assert result.exit_code == 1  # its expect: lists the waiting action, which no longer applies
    assert "wait_for_contact_prompt_review" not in result.stdout.split('"facts"')[0]
    assert '"request_contact_prompt"' not in result.stdout


@pytest.mark.parametrize("as_of, action, text", [
    ("2026-11-20", "wait_for_end_request_answer", "until 2026-11-25 (days left: 5)"),
    ("2026-11-25", "wait_for_end_request_answer", "until 2026-11-25 (days left: 0)"),
    ("2026-11-26", "request_contact_prompt", "has had no answer for 8 days"),
])
def test_an_hourly_request_has_a_follow_up_date_though_the_platform_sets_none(as_of, action, text):
    advice = advise_file(HOURLY_PENDING, as_of=D.fromisoformat(as_of))
    first = advice.recommendations[0]
    assert (first.rule.action, text in first.message.en) == (action, True)
    assert "not a platform rule" in first.notes[0].en and "クラウドワークスの決まりではありません" in first.notes[0].ja
    other, = {"wait_for_end_request_answer", "request_contact_prompt"} - {action}
    assert other not in advice.actions  # waiting and asking for the prompt never both


# ---------------------------------------------------------------------------------------------- --calendar

def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def events(path: Path) -> list:
    return Calendar.from_ical(path.read_bytes()).walk("VEVENT")


@pytest.mark.parametrize("lang, titles", [
    ("en", ["Wait for the automatic termination", "Wait for support to review the contact prompt"]),
    ("ja", ["自動終了を待つ", "事務局による連絡催促の確認を待つ"]),
])
def test_the_calendar_has_one_all_day_event_per_deadline(tmp_path, lang, titles):
    target = tmp_path / "deadlines.ics"
    code, out, err = run("--lang", lang, str(NEW_YEAR), "--calendar", str(target))
    assert (code, err) == (0, "")
    assert titles[0] in out  # the advice is printed as usual
    found = events(target)
    assert [str(e["SUMMARY"]) for e in found] == titles
    assert [e.decoded("DTSTART") for e in found] == [D(2027, 1, 1), D(2027, 1, 4)]  # the earliest end
    assert [e.decoded("DTEND") for e in found] == [D(2027, 1, 2), D(2027, 1, 5)]
    assert all(e.decoded("DTSTAMP") == dt.datetime(2026, 12, 30, tzinfo=dt.timezone.utc) for e in found)
    advice = advise_file(NEW_YEAR)
    messages = {r.title.get(lang): r.message.get(lang) for r in advice.recommendations}
    descriptions = [e.decoded("DESCRIPTION") for e in found]
    assert [d.split("\n\n")[0] for d in descriptions] == [messages[t] for t in titles]
    assert descriptions[0].split("\n\n")[1] == {  # a date the sources disagree on: every date, with its source
        "en": "The date depends on a period the sources disagree on: 2027-01-01 (7 days, as most guides say) or "
              "2027-01-08 (14 days, as the seed article says).",
        "ja": "この日付は、情報源によって異なる期間から計算しています：2027年1月1日（7日の場合。多くの解説記事）または"
              "2027年1月8日（14日の場合。元記事）。"}[lang]
    assert len({str(e["UID"]) for e in found}) == 2


def test_the_same_input_gives_the_same_bytes(tmp_path):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert run("--lang", "ja", str(HOLIDAY_WEEKEND), "--calendar", str(first))[0] == 0
    assert run("--lang", "ja", str(HOLIDAY_WEEKEND), "--calendar", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    assert b"DTSTART;VALUE=DATE:20261125" in first.read_bytes()


def test_an_existing_file_is_refused_before_anything_is_printed_unless_force(tmp_path):
    target = tmp_path / "deadlines.ics"
    target.write_text("keep me\n", encoding="utf-8")
    code, out, err = run("--lang", "en", str(HOLIDAY_WEEKEND), "--calendar", str(target))
    assert (code, out) == (2, "")
    assert err == f"{target}: already exists; add --force to replace it\n"
    assert target.read_text(encoding="utf-8") == "keep me\n"
    code, out, err = run("--lang", "en", str(HOLIDAY_WEEKEND), "--calendar", str(target), "--force")
    assert (code, err) == (0, "")
    assert [str(e["SUMMARY"]) for e in events(target)] == ["Wait for support to review the contact prompt"]


def test_the_file_is_written_whole_and_no_temporary_file_is_left(tmp_path, monkeypatch):
    target = tmp_path / "deadlines.ics"
    assert run(str(HOLIDAY_WEEKEND), "--calendar", str(target))[0] == 0
    assert [p.name for p in tmp_path.iterdir()] == ["deadlines.ics"]

    def failing(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("advisor.write.os.link", failing)
    other = tmp_path / "other.ics"
    code, out, err = run("--lang", "en", str(HOLIDAY_WEEKEND), "--calendar", str(other))
    assert (code, out) == (2, "")
    assert err == f"{other}: cannot write: no space left on the disk\n"
    assert [p.name for p in tmp_path.iterdir()] == ["deadlines.ics"]  # no other.ics, no .advise-*.tmp


def test_without_deadlines_the_calendar_has_no_events_and_stderr_says_so(tmp_path):
    target = tmp_path / "deadlines.ics"
    code, out, err = run("--lang", "en", str(SCENARIOS / "hourly-accepted.yaml"), "--calendar", str(target))
    assert code == 0 and out
    assert err == f"advise: no advice has a deadline; {target} has no events\n"
    assert events(target) == [] and Calendar.from_ical(target.read_bytes())["VERSION"] == "2.0"


# ---------------------------------------------------------------------------------------------- deadline:

@pytest.mark.parametrize("value, code, message", [
    ("days_until_auto_termination", "R106",
     "deadline: days_until_auto_termination is int; a deadline is a date or datetime fact"),
    ("auto_termination_of", "R102", 'deadline: unknown fact "auto_termination_of" (did you mean "auto_termination_on"?)'),
])
def test_a_deadline_that_is_not_a_date_fact_is_refused_at_its_line(tmp_path, value, code, message):
    pack = tmp_path / "crowdworks"
    shutil.copytree(ROOT / "rules" / "crowdworks", pack)
    rules = pack / "requests.yaml"  # the request rules, whose deadlines are auto_termination_on
    text = rules.read_text(encoding="utf-8").replace("deadline: auto_termination_on", f"deadline: {value}", 1)
    rules.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"    deadline: {value}") + 1
    result = CliRunner().invoke(main, ["check", str(pack)])
    assert result.exit_code == 1
    assert f"{rules}:{line}:15: [error] {code} {message}" in result.stdout.splitlines()


def test_the_bundled_rules_declare_their_deadlines():
    advice = advise_file(NEW_YEAR)
    declared = {r.rule.id: r.rule.deadline for r in advice.recommendations if r.rule.deadline}
    assert declared == {"wait-for-auto-termination": "auto_termination_on",
                        "wait-for-contact-prompt-review-request-pending": "contact_prompt_review_by"}
    advice = advise_file(HOURLY_PENDING)
    assert {r.rule.id: r.rule.deadline for r in advice.recommendations if r.rule.deadline} == {
        "wait-for-end-request-answer": "end_request_follow_up_on"}
