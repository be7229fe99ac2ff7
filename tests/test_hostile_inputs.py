"""Input a user or a hostile pack author can write that once ended in a traceback, touched a path it named or
put raw control characters on the terminal: each is one located `path:line:col: message` line per mistake, in
the --lang language, exit code 2 and nothing on stdout.

Scenarios run through the real command line (`advisor.cli.main` under click's CliRunner); what depends on the
process's own streams and locale (a file name that is not UTF-8) runs `python -m advisor` in a subprocess.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli import main
from advisor.diagnostics import REFUSED, InputError
from advisor.load import pack_folders, read_file

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "rules" / "crowdworks"
BASE = "as_of: 2026-11-25\nfacts:\n  work_started: true\n"
_BUNDLED_PACKS = ", ".join(folder.name for folder in pack_folders())  # every bundled pack, by its folder's name
PACKS = {"en": f"rule packs: {_BUNDLED_PACKS}", "ja": f"ルールパック：{_BUNDLED_PACKS}"}


def invoke(*args: str, input: str | None = None):
    result = CliRunner().invoke(main, list(args), input=input, prog_name="advise")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def write(folder: Path, content: str, name: str = "scenario.yaml") -> Path:
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


ASSUMED = {"en": f" no platform: given, so crowdworks was assumed; {PACKS['en']}",
           "ja": f" platform: がないため、crowdworks として扱いました。{PACKS['ja']}"}


def refused(path: Path, *diagnostics: str, lang: str = "en", assumed: bool = True) -> tuple[int, str, str]:
    """Exit 2, nothing on stdout, these diagnostics on stderr: first, for a file that reads as a scenario naming no
    platform:, the line saying crowdworks was assumed (the cases here are about the CrowdWorks pack), unless
    `assumed` is False (--rules names one pack, which such a scenario takes)."""
    try:
        data = read_file(path).data
    except InputError:  # not YAML: the mistake is the file's, whatever the pack
        data = None
    note = [ASSUMED[lang]] if assumed and isinstance(data, dict) and "platform" not in data else []
    return 2, "", "".join(f"{path}:{d}\n" for d in [*note, *diagnostics])


def seen(result) -> tuple[int, str, str]:
    return result.exit_code, result.stdout, result.stderr


def unknown_platform(lang: str, name: str) -> str:
    if lang == "ja":
        return f'プラットフォーム「{name}」は不明です。{PACKS["ja"]}'
    return f'unknown platform "{name}"; {PACKS["en"]}'


# ------------------------------------------------------------------------------------ platform: as a name

@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("platform", ["a" * 256, "../../x", "/tmp", "ABC", "a b", "x/.."])
def test_a_platform_that_is_not_a_name_is_unknown_and_never_a_path(tmp_path, lang, platform):
    path = write(tmp_path, f'platform: "{platform}"\n' + BASE)
    shown = platform if len(platform) <= 80 else platform[:79] + "…"  # a long value is quoted cut
    assert seen(invoke("--lang", lang, str(path))) == refused(path, "1:11: " + unknown_platform(lang, shown), lang=lang)


@pytest.mark.parametrize("lang, got", [("en", 'client_response: expected one of no answer yet (none), accepted, refused '
                                               '(rejected); got "{value}"'),
                                       ("ja", 'client_response: 応答なし（none）、同意（accepted）、拒否（rejected） '
                                              'のいずれかが必要ですが、「{value}」が指定されています')])
def test_a_long_value_is_quoted_cut_at_80_characters_with_an_ellipsis(tmp_path, lang, got):
    """A 10,000-character value made a 10,000-character diagnostic line: it is quoted by its first 79
    characters and an ellipsis; a value of 80 characters is quoted whole, as every shorter one."""
    for value, shown in (("ab" * 5000, "ab" * 39 + "a…"), ("é" * 80, "é" * 80), ("x" * 81, "x" * 79 + "…")):
        path = write(tmp_path, BASE + f'  client_response: "{value}"\n')
        assert seen(invoke("--lang", lang, str(path))) == refused(path, "4:20: " + got.format(value=shown), lang=lang)
    path = write(tmp_path, BASE + f"  {'k' * 500}: 1\n")
    result = invoke("--lang", "en", str(path))
    assert (result.exit_code, result.stderr.startswith(f'{path}:{ASSUMED["en"]}\n{path}:4:3: unknown fact "{"k" * 79}…"; '
                                                       "facts: ")) == (2, True)


def test_a_platform_naming_a_foreign_pack_by_path_never_reads_it(tmp_path):
    """`platform: ../other` next to a pack whose files are broken: were the pack read, its mistakes (and its
    keys) would be shown; it is refused as a name instead, listing the packs there are."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "pack.yaml").write_text("secret_key: 1\n", encoding="utf-8")
    (other / "facts.yaml").write_text("facts: {}\n", encoding="utf-8")
    path = write(tmp_path, f'platform: "{other}"\n' + BASE)
    assert seen(invoke("--lang", "en", str(path))) == refused(path, "1:11: " + unknown_platform("en", str(other)))
    path = write(tmp_path, 'platform: "../other"\n' + BASE)
    assert seen(invoke("--lang", "en", str(path))) == refused(path, "1:11: " + unknown_platform("en", "../other"))


def test_a_platform_named_like_a_fifo_in_the_rules_folder_does_not_block(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(BUNDLED, rules / "crowdworks")
    os.mkfifo(rules / "pipe")
    os.mkfifo(rules / "crowdworks" / "pipe.yml.d")  # not a pack file, never opened
    path = write(tmp_path, "platform: pipe\n" + BASE)
    # run in a subprocess with a timeout: a read of the FIFO would wait for a writer forever
    done = subprocess.run([sys.executable, "-m", "advisor", "--lang", "en", "--rules", str(rules), str(path)],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    assert (done.returncode, done.stdout, done.stderr) == refused(
        path, '1:11: unknown platform "pipe"; rule packs: crowdworks')


@pytest.mark.parametrize(("name", "make"), [("rules.yaml", os.mkfifo), ("extra.yaml", os.mkfifo),
                                            ("facts.yaml", os.mkdir)])
@pytest.mark.parametrize(("lang", "message"), [
    ("en", "not a regular file: a rule pack is read from regular files only, never from a named pipe, a device or a "
           "folder"),
    ("ja", "通常のファイルではありません。ルールパックは通常のファイルからだけ読みます（名前付きパイプ、デバイス、"
           "フォルダからは読みません）")])
def test_a_pack_file_that_is_not_a_regular_file_is_refused_without_reading_it(tmp_path, name, make, lang, message):
    pack = tmp_path / "crowdworks"
    shutil.copytree(BUNDLED, pack)
    if (pack / name).exists():
        (pack / name).unlink()
    make(pack / name)
    for command in (["check", str(pack)], ["--rules", str(tmp_path), str(write(tmp_path, BASE))]):
        # in a subprocess with a timeout: a read of the FIFO would wait for a writer forever
        done = subprocess.run([sys.executable, "-m", "advisor", "--lang", lang, *command],
                              capture_output=True, text=True, timeout=120, cwd=REPO)
        assert (done.returncode, done.stdout, done.stderr) == (2, "", f"{pack / name}: {message}\n")


def test_the_platform_option_is_a_name_too():
    result = invoke("--lang", "en", "rules", "--platform", "../x")
    assert seen(result) == (2, "", f"{BUNDLED.parent}: " + unknown_platform("en", "../x") + "\n")


# ---------------------------------------------------------------- characters that cannot be shown as text

@pytest.mark.parametrize("lang, message", [
    ("en", "title: \\uD800 is half of a character (a lone surrogate), which cannot be stored or shown as text; "
           "remove it or write the whole character"),
    ("ja", "title: \\uD800 は文字の半分（対になっていないサロゲート）で、テキストとして保存も表示もできません。"
           "削除するか、文字全体を書いてください"),
])
def test_a_lone_surrogate_in_a_scenario_is_refused_at_its_line(tmp_path, lang, message):
    path = write(tmp_path, BASE + 'title: "\\ud800"\n')
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"4:8: {message}", lang=lang)


@pytest.mark.parametrize("escape, code", [("\\e[31m", "1b"), ("\\e]0;title\\a", "1b"), ("\\x9b", "9b"),
                                          ("\\x85", "85"), ("\\r", "0d"), ("\\x7f", "7f"), ("\\0", "00"),
                                          ("\\b", "08")])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_control_character_in_a_scenario_value_is_refused_at_its_line(tmp_path, escape, code, lang):
    message = {"en": f"control character #x{code} is not allowed; remove it",
               "ja": f"制御文字 #x{code} は使えません。削除してください"}[lang]
    path = write(tmp_path, BASE + f'  client_response: "accepted{escape}"\n')
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"4:20: client_response: {message}", lang=lang)
    path = write(tmp_path, f'title: "x{escape}"\n' + BASE)
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"1:8: title: {message}", lang=lang)


FORMATTING = {"en": "formatting character U+{code} ({name}) is not allowed: it reorders or breaks the line it is "
                    "shown on; remove it",
              "ja": "書式制御文字 U+{code}（{name}）は使えません。表示される行の並びを変えたり行を分けたりします。"
                    "削除してください"}


@pytest.mark.parametrize("escape, code, name", [
    ("\\u202E", "202E", "RIGHT-TO-LEFT OVERRIDE"), ("\\u202A", "202A", "LEFT-TO-RIGHT EMBEDDING"),
    ("\\u2066", "2066", "LEFT-TO-RIGHT ISOLATE"), ("\\u2069", "2069", "POP DIRECTIONAL ISOLATE"),
    ("\\u200F", "200F", "RIGHT-TO-LEFT MARK"), ("\\u200E", "200E", "LEFT-TO-RIGHT MARK"),
    ("\\u061C", "061C", "ARABIC LETTER MARK"), ("\\L", "2028", "LINE SEPARATOR"),
    ("\\P", "2029", "PARAGRAPH SEPARATOR")])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_bidi_or_line_separator_escape_in_a_scenario_is_refused_at_its_value(tmp_path, escape, code, name, lang):
    """U+202E and its kin reorder what a terminal, a Markdown viewer or a calendar shows after them; U+2028 and
    U+2029 end a line for splitlines() and many terminals: refused where a value or key holds them."""
    message = FORMATTING[lang].format(code=code, name=name)
    path = write(tmp_path, f'title: "x{escape}y"\n' + BASE)
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"1:8: title: {message}", lang=lang)
    path = write(tmp_path, BASE + f'  client_response: "accepted{escape}"\n')
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"4:20: client_response: {message}", lang=lang)
    path = write(tmp_path, BASE + f'  "fee{escape}": 5\n')
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"4:3: {message}", lang=lang)


@pytest.mark.parametrize("char, code, name", [("\u202e", "202E", "RIGHT-TO-LEFT OVERRIDE"),
                                              ("\u2067", "2067", "RIGHT-TO-LEFT ISOLATE"),
                                              ("\u2028", "2028", "LINE SEPARATOR")])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_bidi_or_line_separator_character_in_a_file_is_refused_at_its_column(tmp_path, char, code, name, lang):
    """Written as it is, even in a comment (where a reviewer reads it): at its own line and column."""
    message = FORMATTING[lang].format(code=code, name=name)
    path = write(tmp_path, BASE + f"title: 送信{char}済み\n")
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"4:10: {message}", lang=lang)
    path = write(tmp_path, BASE + f"  fee: 50000  # 5万{char}円\n")
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"4:19: {message}", lang=lang)


def test_the_bundled_packs_scenarios_and_catalogs_hold_no_refused_character():
    """No bidi control, line separator or invisible character (diagnostics.REFUSED)."""
    folders = [REPO / "rules", REPO / "scenarios", REPO / "advisor" / "locale"]
    found = [(str(path), char) for folder in folders for path in sorted(folder.rglob("*.yaml"))
             for char in set(path.read_text(encoding="utf-8")) & set(REFUSED)]
    assert found == []
    assert invoke("check", str(BUNDLED)).exit_code == 0


def test_a_control_character_in_a_key_is_refused(tmp_path):
    path = write(tmp_path, BASE + '  "fee\\e[2J": 5\n')
    assert seen(invoke("--lang", "en", str(path))) == refused(path, "4:3: control character #x1b is not allowed; "
                                                                    "remove it")


def test_tab_and_line_break_stay_allowed_in_text(tmp_path):
    """A block text keeps its line breaks, and a tab is text: a title with them is refused by its own rule
    (one line), with the characters shown escaped."""
    path = write(tmp_path, BASE + 'title: "a\\tb\\nc"\n')
    assert seen(invoke("--lang", "en", str(path))) == refused(
        path, "4:8: title must be one line of text without control characters")


def pack_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "crowdworks"
    shutil.copytree(BUNDLED, folder)
    return folder


def replace_in(path: Path, old: str, new: str) -> int:
    """Replace `old` (once) and return the 1-based line it was on."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


@pytest.mark.parametrize("value, message", [
    ('"Send \\e[31mnow"', "control character #x1b is not allowed; remove it"),
    ('"Send \\x9b2J"', "control character #x9b is not allowed; remove it"),
    ('"Send \\u202Enow"', FORMATTING["en"].format(code="202E", name="RIGHT-TO-LEFT OVERRIDE")),
    ('"Send\\Lnow"', FORMATTING["en"].format(code="2028", name="LINE SEPARATOR")),
    ('"\\ud800"', "\\uD800 is half of a character (a lone surrogate), which cannot be stored or shown as text; "
                  "remove it or write the whole character"),
])
def test_a_pack_text_that_cannot_be_shown_is_refused_by_check_and_by_run(tmp_path, value, message):
    pack = pack_copy(tmp_path)
    line = replace_in(pack / "pack.yaml", "    en: Send the early-termination request\n", f"    en: {value}\n")
    expected = f"{pack / 'pack.yaml'}:{line}:9: en: {message}\n"
    assert seen(invoke("--lang", "en", "check", str(pack))) == (2, "", expected)
    scenario = write(tmp_path, BASE)
    assert seen(invoke("--lang", "en", "--rules", str(pack), str(scenario))) == (2, "", expected)


# ------------------------------------------------------------------------------------ keys that are not names

KEY_CASES = [("null", "null"), ("~", "~"), ("5", "5"), ("true", "true"), ("2026-01-01", "2026-01-01"),
             ("1.5", "1.5")]


@pytest.mark.parametrize("key, text", KEY_CASES)
@pytest.mark.parametrize("section", ["facts", "params"])
def test_a_scenario_key_that_yaml_reads_as_a_value_is_refused(tmp_path, key, text, section):
    path = write(tmp_path, f"as_of: 2026-11-25\n{section}:\n  {key}: 1\n")
    assert seen(invoke("--lang", "en", str(path))) == refused(
        path, f'3:3: YAML reads the key {text} as a value, not as a name: write it in quotes ("{text}") if it is a name')


def test_a_key_that_yaml_reads_as_a_value_is_refused_in_japanese(tmp_path):
    path = write(tmp_path, "as_of: 2026-11-25\nevents:\n  - {date: 2026-11-01, event: units_delivered, 5: 1}\n")
    assert seen(invoke("--lang", "ja", str(path))) == refused(
        path, '3:48: キー 5 は YAML では名前ではなく値として読まれます。名前なら引用符で囲んでください（"5"）')


@pytest.mark.parametrize("file, old, new", [
    ("pack.yaml", "  send_termination_request:\n", "  null:\n"),
    ("pack.yaml", "  send_termination_request:\n", "  5:\n"),
    ("facts.yaml", "  days_since_request:\n", "  true:\n"),
    ("facts.yaml", "  days_since_request:\n", "  2026-01-01:\n"),
    ("parameters.yaml", "  auto_termination_days:\n", "  14:\n"),
    ("events.yaml", "  work_started:\n", "  ~:\n"),
])
def test_a_pack_key_that_yaml_reads_as_a_value_is_refused(tmp_path, file, old, new):
    pack = pack_copy(tmp_path)
    line = replace_in(pack / file, old, new)
    text = new.strip().rstrip(":")
    expected = (f"{pack / file}:{line}:3: YAML reads the key {text} as a value, not as a name: write it in quotes "
                f'("{text}") if it is a name\n')
    assert seen(invoke("--lang", "en", "check", str(pack))) == (2, "", expected)


# ------------------------------------------------------------------------------------ derive: of any shape

@pytest.mark.parametrize("derive, column, message", [
    ("{days_since: {a: 1}}", 27, "S001 the arguments of derive are names of facts or parameters: one name, or a "
                                 'list of names; unknown key "a"'),
    ("{days_since: [request_sent_on, 1]}", 44, "S001 expected text; got 1"),
    ("{days_since: null}", 26, "S001 the arguments of derive are names of facts or parameters: one name, or a list "
                               "of names; got nothing"),
    ("{days_since: [[request_sent_on]]}", 27, "S001 expected text; got a list"),
    ("[days_since]", 13, "S001 derive takes one operation, e.g. derive: {days_since: request_sent_on}, not a list"),
    ("{days_since: request_sent_on, day_before: request_sent_on}", 13,
     "S001 derive takes one operation, e.g. derive: {days_since: request_sent_on}"),
    ("{days_since: [request_sent_on, request_sent_on]}", 26,
     "R108 days_since takes 1 fact or parameter name, of type date"),
    ("{days_since: fee}", 26, "R106 days_since needs type date as argument 1; fee is money"),
    ("{}", 13, "S001 derive takes one operation, e.g. derive: {days_since: request_sent_on}"),
])
def test_a_malformed_derive_is_a_finding_at_its_line(tmp_path, derive, column, message):
    pack = pack_copy(tmp_path)
    line = replace_in(pack / "facts.yaml", "derive: {days_since: request_sent_on}", f"derive: {derive}")
    code, out, err = seen(invoke("--lang", "en", "check", str(pack)))
    assert (code, err) == (1, "")
    assert out == f"{pack / 'facts.yaml'}:{line}:{column}: [error] {message}\n"


def test_a_piped_answer_is_echoed_escaped(tmp_path):
    """advise ask shows each piped answer after its question, as if typed: escaped, as messages show text."""
    result = invoke("--lang", "en", "ask", "--platform", "crowdworks", input="\x1b]0;pwn\x07fixed\n")
    assert result.exit_code == 2 and "\x1b" not in result.stdout + result.stderr
    assert "> \\u001B]0;pwn\\u0007fixed\n" in result.stdout + result.stderr
    assert result.stderr.endswith('<stdin>:1:1: "\\u001B]0;pwn\\u0007fixed" does not answer Q1 (contract_type): '
                                  "Please type a number from 1 to 2, or one of: fixed price (fixed), paid by the hour "
                                  "(hourly).\n")


# -------------------------------------------------------------------------------------- sets: in a loop

@pytest.mark.parametrize("lang, message", [
    ("en", "the rule depends on a fact it sets: contract-ended-by-agreement → contract_ended → "
           "contract-ended-by-agreement; whether it fires would depend on whether it has fired: test the facts the "
           "chain starts from instead"),
    ("ja", "このルールは自分が設定する事実に依存しています：contract-ended-by-agreement → contract_ended → "
           "contract-ended-by-agreement。発火するかどうかが発火したかどうかで決まってしまいます。連鎖の元になる事実を"
           "条件にしてください"),
])
def test_explain_on_a_rule_that_tests_what_it_sets_is_refused_at_the_rule(tmp_path, lang, message):
    pack = pack_copy(tmp_path)
    line = replace_in(pack / "requests.yaml", "        - client_response: accepted\n    sets: {contract_ended: true}\n",
                      "        - client_response: accepted\n        - contract_ended: {present: false}\n"
                      "    sets: {contract_ended: true}\n")
    scenario = REPO / "scenarios" / "crowdworks" / "accepted-after-14-days-ended-by-agreement.yaml"
    result = invoke("--lang", lang, "--rules", str(pack), "--explain", str(scenario))
    assert seen(result) == (2, "", f"{pack / 'requests.yaml'}:{line - 7}:5: {message}\n")


# ------------------------------------------------------------------------------ a date at the calendar's end

def test_a_deadline_on_the_last_day_of_the_calendar_is_a_one_day_event(tmp_path):
    """Delivered on 9999-12-24, acceptance is due 9999-12-31, whose next day (the usual DTEND of an all-day
    event) is no date: the event has no DTEND, which in iCalendar makes it last that one day."""
    scenario = write(tmp_path, "as_of: 9999-12-25\nfacts: {units_total: 1, fee: 1000}\n"
                               "events:\n  - {date: 9999-12-24, event: units_delivered, count: 1}\n")
    ics = tmp_path / "out.ics"
    result = invoke("--lang", "en", "--calendar", str(ics), str(scenario))
    assert (result.exit_code, result.stderr) == (0, "")
    text = ics.read_bytes().decode("utf-8")
    assert "DTSTART;VALUE=DATE:99991231\r\n" in text and "DTEND" not in text


AFTER_CALENDAR = {"en": "{name}: {fact}, worked out from {value}, would be after 9999-12-31, the last day advise can "
                        "count to; no advice can be given for a date this late",
                  "ja": "{name}: {value} から計算する {fact} が、advise が数えられる最後の日 9999-12-31 より後になります。"
                        "これほど遅い日付ではアドバイスできません"}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_date_whose_deadline_falls_after_the_calendar_is_refused_at_its_line(tmp_path, lang):
    """Delivered on 9999-12-29, acceptance would be due 7 days later, which no date can hold: the deadline was
    left unknown, so the advice said no rule matched and --calendar wrote an empty calendar (exit 0). Refused
    at the date it is worked out from, under facts: or in the timeline, and nothing is written."""
    ics = tmp_path / "out.ics"
    scenario = write(tmp_path, "as_of: 9999-12-30\nfacts: {units_total: 1, fee: 1000}\n"
                               "events:\n  - {date: 9999-12-29, event: units_delivered, count: 1}\n")
    message = AFTER_CALENDAR[lang].format(name="last_delivered_on", fact="acceptance_due_on", value="9999-12-29")
    assert seen(invoke("--lang", lang, "--calendar", str(ics), str(scenario))) == refused(scenario, f"4:5: {message}", lang=lang)
    assert not ics.exists()
    scenario = write(tmp_path, "as_of: 9999-12-30\nfacts:\n  contract_type: fixed\n  work_started: true\n"
                               "  request_sent_on: 9999-12-29\n  request_sent_by: worker\n")
    message = AFTER_CALENDAR[lang].format(name="request_sent_on", fact="auto_termination_on", value="9999-12-29")
    assert seen(invoke("--lang", lang, str(scenario))) == refused(scenario, f"5:20: {message}", lang=lang)


@pytest.mark.parametrize("lang, message", [
    ("en", "request_sent_on: day_before_request, worked out from 0001-01-01, would be before 0001-01-01, the first "
           "day advise can count from; no advice can be given for a date this early"),
    ("ja", "request_sent_on: 0001-01-01 から計算する day_before_request が、advise が数えられる最初の日 0001-01-01 より"
           "前になります。これほど早い日付ではアドバイスできません")])
def test_a_date_whose_derived_date_falls_before_the_calendar_is_refused_at_its_line(tmp_path, lang, message):
    pack = pack_copy(tmp_path)
    replace_in(pack / "facts.yaml", "  last_day_before_auto_termination:\n",
               "  day_before_request:\n    type: date\n    derive: {day_before: request_sent_on}\n"
               "    description: {ja: 前日, en: The day before}\n  last_day_before_auto_termination:\n")
    scenario = write(tmp_path, "as_of: 0001-01-05\nfacts:\n  request_sent_on: 0001-01-01\n")
    assert seen(invoke("--lang", lang, "--rules", str(pack), str(scenario))) == refused(
        scenario, f"3:20: {message}", lang=lang, assumed=False)


# ---------------------------------------------------------------------------- file names that are not UTF-8

@pytest.mark.parametrize("environment", [{"LC_ALL": "C"}, {"LC_ALL": "C.UTF-8"}, {"PYTHONIOENCODING": "latin-1"},
                                         {"PYTHONIOENCODING": "utf-8"}, {"PYTHONIOENCODING": "ascii"}],
                         ids=["C", "C.UTF-8", "latin-1", "strict-utf-8", "ascii"])
def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path, environment):
    folder = os.fsencode(tmp_path)
    broken = folder + b"/caf\xe9.yaml"
    with open(broken, "wb") as file:
        file.write(b"title: [\n")
    env = {**os.environ, **environment, "PYTHONPATH": str(REPO)}
    env.pop("LANG", None) if "LC_ALL" in environment else None
    done = subprocess.run([sys.executable, "-m", "advisor", "--lang", "en", broken], capture_output=True, env=env,
                          timeout=120, cwd=REPO)
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr == folder + b"/caf\\xe9.yaml:2:1: invalid YAML: expected the node content, but found " \
                                   b"'<stream end>'\n"
    done = subprocess.run([sys.executable, "-m", "advisor", "test", folder], capture_output=True, env=env,
                          timeout=120, cwd=REPO)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert done.stderr.startswith(folder + b"/caf\\xe9.yaml:2:1: "), done.stderr


def test_a_file_name_with_a_line_break_stays_on_one_line(tmp_path):
    path = tmp_path / "two\nlines.yaml"
    path.write_text("title: [\n", encoding="utf-8")
    result = invoke("--lang", "en", str(path))
    assert seen(result) == (2, "", f"{tmp_path}/two\\nlines.yaml:2:1: invalid YAML: expected the node content, "
                                   "but found '<stream end>'\n")


# ------------------------------------------------------------------------------------------- the examples

def test_the_bundled_scenarios_still_give_advice():
    result = invoke("--lang", "en", str(REPO / "scenarios" / "crowdworks" / "seed-rejected-half-delivered.yaml"))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.strip()


# ------------------------------------------------------------------- a date pushed off the calendar by a parameter

PARAM_AFTER_CALENDAR = {"en": "{name}: with {value}, {fact} would be after 9999-12-31, the last day advise can count "
                              "to; no advice can be given for a date this late",
                        "ja": "{name}: {value} で計算する {fact} が、advise が数えられる最後の日 9999-12-31 より後になります。"
                              "これほど遅い日付ではアドバイスできません"}


# A pack's own value is refused whatever the date it is added to (advise check, R106)
PACK_PARAM_OFF_CALENDAR = {
    "en": "{name}: {fact} adds {value} days to a date, which takes any date off the calendar (0001-01-01 to 9999-12-31)",
    "ja": "{name}: {fact} は日付に {value} 日を足すので、どの日付からでも暦（0001-01-01〜9999-12-31）の外に出ます"}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_pinned_parameter_that_pushes_a_date_off_the_calendar_is_refused_at_its_value(tmp_path, lang):
    """Sent on 9999-06-01, the request ends the contract within the calendar with the pack's 7 or 14 days, but not
    with the 365 the scenario pins: refused at the pinned value, naming the parameter (it was blamed on the date)."""
    scenario = write(tmp_path, "as_of: 9999-06-02\nparams:\n  auto_termination_days: 365\nfacts:\n"
                               "  contract_type: fixed\n  work_started: true\n  request_sent_on: 9999-06-01\n"
                               "  request_sent_by: worker\n")
    message = PARAM_AFTER_CALENDAR[lang].format(name="auto_termination_days", value=365, fact="auto_termination_on")
    assert seen(invoke("--lang", lang, str(scenario))) == refused(scenario, f"3:26: {message}", lang=lang)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_pack_parameter_that_pushes_a_date_off_the_calendar_is_refused_at_its_declaration(tmp_path, lang):
    """A date worked out from as_of and the pack's own 4,000,000 days was refused at the scenario's 1:1 with "?";
    it is the pack's parameter, at its declaration, whether the scenario pins another value that is too large as
    well or not. An as_of the real today would fit is the cause, at as_of."""
    pack = pack_copy(tmp_path)
    replace_in(pack / "facts.yaml", "  last_day_before_auto_termination:\n",
               "  horizon_on:\n    type: date\n    derive: {add_days: [as_of, horizon_days]}\n"
               "    description: {ja: 期限, en: The horizon}\n  last_day_before_auto_termination:\n")
    line = replace_in(pack / "parameters.yaml", "parameters:\n", "parameters:\n  horizon_days:\n    value: 4000000\n"
                      "    description: {ja: 日数, en: Days}\n    source: seed\n") + 1
    message = PACK_PARAM_OFF_CALENDAR[lang].format(name="horizon_days", value=4000000, fact="horizon_on")
    for pinned in ("", "params: {horizon_days: 5000000}\n"):
        scenario = write(tmp_path, "as_of: 2026-11-25\n" + pinned + "facts:\n  work_started: true\n")
        assert seen(invoke("--lang", lang, "--rules", str(pack), str(scenario))) == \
            (2, "", f"{pack / 'parameters.yaml'}:{line + 1}:12: {message}\n")  # at the value
    replace_in(pack / "parameters.yaml", "value: 4000000", "value: 4")
    scenario = write(tmp_path, "as_of: 9999-12-30\nfacts:\n  work_started: true\n")
    message = AFTER_CALENDAR[lang].format(name="as_of", fact="horizon_on", value="9999-12-30")
    assert seen(invoke("--lang", lang, "--rules", str(pack), str(scenario))) == refused(
        scenario, f"1:8: {message}", lang=lang, assumed=False)


# ------------------------------------------------------------------------------------ numbers quoted in messages

@pytest.mark.parametrize("lang, above, below", [
    ("en", "{value} is out of range (at most 1000000000000)", "{value} is out of range (at least -1000000000000)"),
    ("ja", "{value} は範囲外です（最大 1000000000000）", "{value} は範囲外です（最小 -1000000000000）")])
def test_a_number_out_of_range_is_quoted_cut_and_names_the_bound_it_is_past(tmp_path, lang, above, below):
    """A 4,000-digit number was quoted whole, and one below -10^12 was told "at most 10^12"."""
    path = write(tmp_path, BASE + f"  fee: -100000000000000\n  units_total: {'9' * 4000}\n")
    assert seen(invoke("--lang", lang, str(path))) == refused(
        path, "4:8: fee: " + below.format(value="-100000000000000"),
        "5:16: units_total: " + above.format(value="9" * 79 + "…"), lang=lang)


# ------------------------------------------------------------------------------------------ invisible characters

INVISIBLE = {"en": "invisible character U+{code} ({name}) is not allowed: it shows nothing, so the text is not what "
                   "it looks like; remove it",
             "ja": "見えない文字 U+{code}（{name}）は使えません。何も表示されないため、見た目と違う文字列になります。"
                   "削除してください"}
IN_KEY = {"en": 'invisible character U+{code} ({name}) in the key "fee": the key read is not the one shown, so it is '
                "an unknown key; remove it",
          "ja": 'キー「fee」の中に見えない文字 U+{code}（{name}）があります。見た目と違う別のキーとして読まれ、'
                "不明なキーになります。削除してください"}
NAMES = {"en": {"E0000": "unassigned", "FFF0": "unassigned"}, "ja": {"E0000": "未割り当て", "FFF0": "未割り当て"}}


@pytest.mark.parametrize("char, code, name", [
    ("\u200b", "200B", "ZERO WIDTH SPACE"), ("\ufeff", "FEFF", "ZERO WIDTH NO-BREAK SPACE"),
    ("\u206a", "206A", "INHIBIT SYMMETRIC SWAPPING"), ("\u206f", "206F", "NOMINAL DIGIT SHAPES"),
    ("\ufff9", "FFF9", "INTERLINEAR ANNOTATION ANCHOR"), ("\ufffb", "FFFB", "INTERLINEAR ANNOTATION TERMINATOR"),
    ("\U000e0041", "E0041", "TAG LATIN CAPITAL LETTER A"), ("\U000e0000", "E0000", None),
    ("\U000e007f", "E007F", "CANCEL TAG"), ("\u2060", "2060", "WORD JOINER"), ("\u2064", "2064", "INVISIBLE PLUS"),
    ("\u00ad", "00AD", "SOFT HYPHEN"), ("\u034f", "034F", "COMBINING GRAPHEME JOINER"),
    ("\u180e", "180E", "MONGOLIAN VOWEL SEPARATOR"), ("\u3164", "3164", "HANGUL FILLER"),
    ("\u115f", "115F", "HANGUL CHOSEONG FILLER"), ("\uffa0", "FFA0", "HALFWIDTH HANGUL FILLER"),
    ("\U0001d173", "1D173", "MUSICAL SYMBOL BEGIN BEAM"), ("\u17b4", "17B4", "KHMER VOWEL INHERENT AQ"),
    ("\ufff0", "FFF0", None), ("\U0001bca0", "1BCA0", "SHORTHAND FORMAT LETTER OVERLAP")])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_an_invisible_character_is_refused_at_its_column_in_a_scenario_and_a_pack(tmp_path, char, code, name, lang):
    """They were read as part of the text: a key with one was an unknown key that reads as a known one, a value
    one that reads as another. Refused as they are or as escapes, anywhere in a file; in a key, saying so."""
    name = name or NAMES[lang][code]
    message = INVISIBLE[lang].format(code=code, name=name)
    in_key = IN_KEY[lang].format(code=code, name=name)
    escape = f"\\u{code}" if len(code) == 4 else f"\\U{int(code, 16):08X}"
    path = write(tmp_path, BASE + f"title: 送信{char}済み  # {char}\n")
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"4:10: {message}", lang=lang)
    path = write(tmp_path, BASE + f"  fee: 50000  # 5万{char}円\n")
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"4:19: {message}", lang=lang)
    path = write(tmp_path, BASE + f'  client_response: "accepted{escape}"\n')
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"4:20: client_response: {message}", lang=lang)
    for key, column in ((f"fe{char}e", 5), (f'"fe{escape}e"', 3)):
        path = write(tmp_path, BASE + f"  {key}: 5\n")
        assert seen(invoke("--lang", lang, str(path))) == refused(path, f"4:{column}: {in_key}", lang=lang)
    path = write(tmp_path, f"facts: {{work_started: true, fe{char}e: 5}}\n")
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"1:31: {in_key}", lang=lang)
    pack = pack_copy(tmp_path)
    line = replace_in(pack / "parameters.yaml", "    value: 2\n", f"    value: 2  # 2{char}日\n")
    assert seen(invoke("--lang", lang, "check", str(pack))) == (2, "", f"{pack / 'parameters.yaml'}:{line}:18: {message}\n")


IN_NAME = {"en": "invisible character U+{code} ({name}) is not allowed in a name, number, date or word: it shows "
                 "nothing, so the value is not what it looks like; remove it (texts such as title and notes may hold it)",
           "ja": "見えない文字 U+{code}（{name}）は名前・数・日付・語には使えません。何も表示されないため、"
                 "見た目と違う値になります。削除してください（title や notes などの文章には使えます）"}


@pytest.mark.parametrize("char, code, name", [
    ("\u200d", "200D", "ZERO WIDTH JOINER"), ("\u200c", "200C", "ZERO WIDTH NON-JOINER"),
    ("\ufe0f", "FE0F", "VARIATION SELECTOR-16"), ("\U000e0100", "E0100", "VARIATION SELECTOR-17")])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_joiner_or_variation_selector_is_text_but_no_key_or_value_that_is_not_text(tmp_path, char, code, name, lang):
    """Emoji sequences and Persian words are written with them, so a title keeps them; a key or a word with one
    read as another that looks the same: "rejec\u200cted" was an unknown value with "did you mean "rejected"?"."""
    in_key = IN_KEY[lang].format(code=code, name=name)
    in_name = IN_NAME[lang].format(code=code, name=name)
    path = write(tmp_path, f"title: 家族👨{char}👩 ❤{char}\n" + BASE)
    result = invoke("--lang", lang, str(path))
    assert (result.exit_code, result.stdout.splitlines()[0]) == (0, f"家族👨{char}👩 ❤{char}")
    path = write(tmp_path, BASE + f"  fe{char}e: 5\n")
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"4:5: {in_key}", lang=lang)
    escape = f"\\u{code}" if len(code) == 4 else f"\\U{int(code, 16):08X}"
    path = write(tmp_path, BASE + f'  "fe{escape}e": 5\n')
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"4:3: {in_key}", lang=lang)
    path = write(tmp_path, f"title: fe{char}e\n" + BASE + f"  fe{char}e: 5\n")  # a key once read as a text
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"5:5: {in_key}", lang=lang)
    path = write(tmp_path, BASE + f"  client_response: rejec{char}ted\n  fee: 5000{char}0\n")
    assert seen(invoke("--lang", lang, str(path))) == refused(
        path, f"4:20: client_response: {in_name}", f"5:8: fee: {in_name}", lang=lang)
    pack = pack_copy(tmp_path)
    line = replace_in(pack / "events.yaml", "sets: {client_response: rejected,", f"sets: {{client_response: rejec{char}ted,")
    error = {"en": "error", "ja": "エラー"}[lang]
    assert seen(invoke("--lang", lang, "check", str(pack))) == (  # check's findings: exit 1, on stdout
        1, f"{pack / 'events.yaml'}:{line}:29: [{error}] R106 sets: client_response: {in_name}\n", "")


@pytest.mark.parametrize("lang, message", [("en", "control character #x85 is not allowed; remove it"),
                                           ("ja", "制御文字 #x85 は使えません。削除してください")])
def test_a_next_line_character_is_refused_at_its_place(tmp_path, lang, message):
    """YAML reads NEL (U+0085) as a line break: it was told "this line is not key: value" at the next line."""
    path = write(tmp_path, "title: abc\x85def\n" + BASE)
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"1:11: {message}", lang=lang)


UNKNOWN_FACT = {"en": "unknown fact", "ja": "不明なファクト"}


@pytest.mark.parametrize("lang, message", [
    ("en", "invalid YAML: the key is too long: YAML reads keys of at most 1,024 characters"),
    ("ja", "YAML として読めません：キーが長すぎます。YAML が読めるキーは 1,024 文字までです")])
def test_a_key_longer_than_yaml_reads_is_told_so_at_its_start(tmp_path, lang, message):
    """It was told ": " would start a key inside a value, 100,000 characters along the line."""
    path = write(tmp_path, BASE + f"  {'x' * 100_000}: 1\n")
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"4:3: {message}", lang=lang)
    path = write(tmp_path, BASE + f"  {'x' * 1024}: 1\n")
    quoted = f'"{"x" * 79}…"' if lang == "en" else f'「{"x" * 79}…」'
    assert f'4:3: {UNKNOWN_FACT[lang]}{" " if lang == "en" else ""}{quoted}' in invoke("--lang", lang, str(path)).stderr


# ---------------------------------------------------------------------------------------- dates past year 9999

PAST_9999 = {"en": 'cannot read "{value}" as a date: the year {year} is after 9999, the last year advise can count '
                   "to; write it as 2026-11-10, 2026/11/10 or 2026年11月10日",
             "ja": '「{value}」を日付として読めません。{year} 年は advise が数えられる最後の年 9999 より後です。'
                   "2026-11-10、2026/11/10、2026年11月10日のように書いてください"}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_date_past_year_9999_says_so(tmp_path, lang):
    """It was told it "needs the year, the month and the day", which it has; a year of 4,000 digits is quoted cut."""
    path = write(tmp_path, "as_of: 10000-01-01\nfacts:\n  work_started: true\n")
    message = PAST_9999[lang].format(value="10000-01-01", year=10000)
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"1:8: as_of: {message}", lang=lang)
    path = write(tmp_path, "as_of: 2026-11-25\nfacts:\n  request_sent_on: ０１２３４５年1月1日\n")
    message = PAST_9999[lang].format(value="０１２３４５年1月1日", year=12345)
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"3:20: request_sent_on: {message}", lang=lang)
    path = write(tmp_path, f"as_of: {'2' * 4000}-01-01\n")
    message = PAST_9999[lang].format(value="2" * 79 + "…", year="2" * 79 + "…")
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"1:8: as_of: {message}", lang=lang)


@pytest.mark.parametrize("lang, message", [
    ("en", 'platform "{name}" does not match the rule pack in {pack} ("crowdworks")'),
    ("ja", 'プラットフォーム「{name}」は {pack} のルールパック（「crowdworks」）と一致しません')])
def test_a_long_platform_that_does_not_match_the_pack_is_quoted_cut(tmp_path, lang, message):
    pack = pack_copy(tmp_path)
    path = write(tmp_path, f"platform: {'a' * 500}\n" + BASE)
    assert seen(invoke("--lang", lang, "--rules", str(pack), str(path))) == refused(
        path, "1:11: " + message.format(name="a" * 79 + "…", pack=pack), lang=lang)


@pytest.mark.parametrize("lang, message", [
    ("en", "the file is nested too deeply (more than 50 levels)"), ("ja", "入れ子が深すぎます（50 段を超えています）")])
def test_a_file_nested_too_deeply_says_so_and_names_aliases_only_when_it_has_some(tmp_path, lang, message):
    path = write(tmp_path, "title: " + "[" * 60 + "]" * 60 + "\n")
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"1:58: {message}", lang=lang)
    hint = {"en": "; check for aliases (*name) that repeat large parts",
            "ja": "。大きな部分を繰り返すエイリアス（*name）がないか確認してください"}[lang]
    path = write(tmp_path, "a: &a [1]\ntitle: " + "[" * 60 + "*a" + "]" * 60 + "\n")
    assert seen(invoke("--lang", lang, str(path))) == refused(path, f"2:58: {message}{hint}", lang=lang)
