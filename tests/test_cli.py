"""The command line as a user meets it: options, languages, exit codes."""
from __future__ import annotations

import errno
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from packs import make_pack, rule

from advisor import __version__
from advisor.cli import main
from advisor.expect import check_scenario
from advisor.messages import catalog
from advisor.overview import display_width

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "scenarios" / "crowdworks" / "seed-rejected-half-delivered.yaml"


def advise(*args: str, input: str | None = None, env: dict | None = None):
    result = CliRunner().invoke(main, list(args), input=input, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_version():
    assert advise("--version") == (0, f"advise {__version__}\n", "")


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"]])
def test_help_shows_an_example_and_the_exit_codes(args):
    code, out, err = advise(*args)
    assert code == 0 and err == ""
    assert "advise situation.yaml" in out and "client_response: rejected" in out
    assert "2 usage error or invalid input" in out


def test_advice_is_numbered_in_priority_order_with_dates_amounts_and_sources():
    code, out, err = advise("--lang", "en", str(EXAMPLE))
    assert (code, err) == (0, "")
    titles = [line for line in out.splitlines() if line[:1].isdigit()]
    assert titles == ["1. Negotiate pay for the work already delivered",  # money first: before the request
                      "2. Only if no pay can be agreed, send the request again with your reasons",
                      "3. Talk it out with the client",
                      "4. Know what can happen to your rating"]
    assert "Propose ¥25,000 for the 5 of 10 deliverables" in out
    assert out.count("   Source: ") == 4


@pytest.mark.parametrize("env, first_title", [
    ({"LANG": "ja_JP.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}, "1. 納品済みの分の報酬を交渉する"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}, "1. Negotiate pay for the work already delivered"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "ja_JP.UTF-8", "LC_MESSAGES": ""}, "1. 納品済みの分の報酬を交渉する"),
    ({"LANG": "", "LC_ALL": "", "LC_MESSAGES": ""}, "1. Negotiate pay for the work already delivered"),
])
def test_language_follows_the_locale(env, first_title):
    code, out, _ = advise(str(EXAMPLE), env=env)
    assert code == 0 and first_title in out.splitlines()


def test_japanese_output_has_no_english_sentences():
    code, out, _ = advise("--lang", "ja", str(EXAMPLE))
    assert code == 0
    for line in out.splitlines():
        assert not any(word in line for word in (" the ", "Why:", "Source:", "Note:")), line


def test_options_may_come_before_or_after_the_file_and_run_is_optional():
    expected = advise("--lang", "en", str(EXAMPLE))
    assert advise(str(EXAMPLE), "--lang", "en") == expected
    assert advise("run", "--lang", "en", str(EXAMPLE)) == expected


def test_standard_input_with_dash():
    code, out, err = advise("--lang", "en", "-", input=EXAMPLE.read_text(encoding="utf-8"))
    assert (code, err) == (0, "") and out == advise("--lang", "en", str(EXAMPLE))[1]


def test_json_carries_schema_version_recommendations_and_facts():
    code, out, err = advise("--format", "json", "--lang", "en", str(EXAMPLE))
    data = json.loads(out)
    assert (code, err, data["schema_version"]) == (0, "", 2)
    assert [r["action"] for r in data["recommendations"]] == [
        "negotiate_partial_pay", "resubmit_without_pay", "negotiate_with_client", "expect_low_rating"]
    assert set(data["recommendations"][0]) >= {"action", "rule", "priority", "message", "because", "source"}
    assert data["facts"]["pro_rata_pay"] == {"value": 25000, "origin": "derived"}
    assert data["facts"]["client_response"] == {"value": "rejected", "origin": "given"}
    assert data["facts"]["client_threatening"] == {"value": False, "origin": "default"}
    assert data["facts"]["request_sent_on"]["value"] == "2026-11-10"


def test_unmet_expectations_print_the_advice_and_exit_1(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("as_of: 2026-11-25\nfacts: {client_response: rejected}\n"
                        "expect: {actions: [send_end_request], not_actions: [resubmit_with_reasons]}\n", encoding="utf-8")
    code, out, err = advise("--lang", "en", str(scenario))
    assert code == 1 and out.startswith("Your situation\n")
    assert err == (f'{scenario}: expected action "send_end_request" was not recommended\n'
                   f'{scenario}: action "resubmit_with_reasons" was recommended but the scenario expects it not to be\n'
                   f'{scenario}: recommended: resubmit_with_reasons, negotiate_with_client, ask_client_not_to_rate\n')


def ordered(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    """The test pack (r: action a, priority 10; q: action b, priority 20), and scenarios expecting an order."""
    pack = make_pack(tmp_path / "pack", [rule("r", "{n: {lt: 5}}", "a", 10), rule("q", "{flag: true}", "b", 20)])
    scenarios = {"met": "facts: {n: 1, flag: true}\nexpect: {order: [a, b]}\n",
                 "reversed": "facts: {n: 1, flag: true}\nexpect: {order: [b, a]}\n",
                 "missing": "facts: {n: 1}\nexpect: {actions: [a], order: [b, a]}\n"}
    (tmp_path / "scenarios").mkdir()
    paths = {name: tmp_path / "scenarios" / f"{name}.yaml" for name in scenarios}
    for name, text in scenarios.items():
        paths[name].write_text("platform: testpack\n" + text, encoding="utf-8")
    return pack, paths


@pytest.mark.parametrize("lang, reversed_, missing, recommended", [
    ("en", 'expected action "b" to be ranked above "a", but it is ranked below it',
     'expected action "b" was not recommended', "recommended: "),
    ("ja", "アクション「b」は「a」より上位に推奨される想定ですが、下位に推奨されました",
     "期待したアクション「b」が推奨されませんでした", "推奨："),
])
def test_an_unmet_order_prints_the_advice_and_exits_1(tmp_path, lang, reversed_, missing, recommended):
    pack, paths = ordered(tmp_path)
    assert advise("--lang", lang, "--rules", str(pack), str(paths["met"]))[::2] == (0, "")
    code, out, err = advise("--lang", lang, "--rules", str(pack), str(paths["reversed"]))
    assert (code, out) == (1, advise("--lang", lang, "--rules", str(pack), str(paths["met"]))[1])
    assert err == f"{paths['reversed']}: {reversed_}\n{paths['reversed']}: {recommended}a, b\n"
    code, out, err = advise("--lang", lang, "--rules", str(pack), str(paths["missing"]))
    assert code == 1 and out
    assert err == f"{paths['missing']}: {missing}\n{paths['missing']}: {recommended}a\n"  # b is missing once


def test_advise_test_and_the_scenario_tests_show_an_unmet_order(tmp_path):
    pack, paths = ordered(tmp_path)
    code, out, err = advise("test", "--lang", "en", "--rules", str(pack), str(tmp_path / "scenarios"))
    assert (code, err) == (1, "")
    assert out.splitlines() == [f"PASS {paths['met']}",
                                f"FAIL {paths['missing']}",
                                '     expected action "b" was not recommended',
                                "     recommended: a",
                                f"FAIL {paths['reversed']}",
                                '     expected action "b" to be ranked above "a", but it is ranked below it',
                                "     recommended: a, b",
                                "1 passed, 2 failed"]
    code, out, _ = advise("test", "--lang", "ja", "--rules", str(pack), str(paths["reversed"]))
    assert (code, out.splitlines()) == (1, [f"不合格 {paths['reversed']}",
                                            "     アクション「b」は「a」より上位に推奨される想定ですが、下位に推奨されました",
                                            "     推奨：a, b",
                                            "合格 0 件、不合格 1 件"])
    # pytest runs scenarios/ through check_scenario: its failure reads the same
    assert check_scenario(paths["reversed"], pack).problems == (
        'expected action "b" to be ranked above "a", but it is ranked below it', "recommended: a, b")


def test_rules_option_takes_one_pack_or_a_folder_of_packs(tmp_path):
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    pack = tmp_path / "rules" / "crowdworks"
    rules = pack / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("priority: 20\n    when:\n      all:\n        - contract_type: fixed\n        - client_response: rejected",
                                                               "priority: 99\n    when:\n      all:\n        - contract_type: fixed\n        - client_response: rejected"),
                     encoding="utf-8")
    for folder in (pack, tmp_path / "rules"):
        code, out, _ = advise("--lang", "en", "--rules", str(folder), str(EXAMPLE))
        assert code == 0
        assert out.splitlines()[3] == "1. Negotiate pay for the work already delivered"


def test_a_pack_for_another_platform_is_refused(tmp_path):
    shutil.copytree(ROOT / "rules" / "crowdworks", tmp_path / "other")
    text = (tmp_path / "other" / "pack.yaml").read_text(encoding="utf-8").replace("id: crowdworks", "id: other") \
        .replace("  ja: クラウドワークス\n  en: CrowdWorks\n", "  ja: ほか\n  en: Other\n", 1)  # nor is it named so
    (tmp_path / "other" / "pack.yaml").write_text(text, encoding="utf-8")
    code, out, err = advise("--rules", str(tmp_path / "other"), str(EXAMPLE))
    assert (code, out) == (2, "")
    assert err == f'{EXAMPLE}:3:11: platform "crowdworks" does not match the rule pack in {tmp_path / "other"} ("other")\n'


def test_no_matching_rule_says_so(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("as_of: 2026-11-25\nfacts: {work_started: true, client_response: accepted}\n", encoding="utf-8")
    code, out, _ = advise("--lang", "en", str(scenario))
    assert code == 0 and "1. The contract has ended by agreement" in out


def test_rules_and_graph_commands_show_the_pack():
    code, out, err = advise("rules", "--lang", "en")
    assert (code, err) == (0, "") and "| report-threats" in out
    code, out, err = advise("graph", "--platform", "crowdworks", "--format", "dot", "--lang", "en")
    assert (code, err) == (0, "") and out.startswith("digraph")
    assert advise("rules", "--platform", "coconala")[0:2] == (2, "")


def test_graph_as_svg_without_graphviz_says_how_to_get_it(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    code, out, err = advise("graph", "--platform", "crowdworks", "--format", "svg")
    assert (code, out) == (2, "")
    assert "Graphviz" in err and "--format mermaid" in err


def test_every_command_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in main.commands:
        if command != "run":
            assert f"advise {command}" in readme, command


def test_advise_test_lists_rules_no_scenario_covered_and_ends_with_the_counts(monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = advise("test", "--lang", "en", "scenarios/crowdworks/seed-rejected-half-delivered.yaml")
    lines = out.splitlines()
    assert (code, err) == (0, "")
    assert lines[0] == "PASS scenarios/crowdworks/seed-rejected-half-delivered.yaml  クライアントが途中終了リクエストを拒否した"
    assert lines[1] == "Rules that no scenario's advice came from:"
    uncovered = lines[2:-1]
    assert uncovered[0].startswith(f"  {ROOT / 'rules' / 'crowdworks' / 'requests.yaml'}:")  # files in name order
    assert any(line.startswith(f"  {ROOT / 'rules' / 'crowdworks' / 'rules.yaml'}:") and line.endswith("  report-threats")
               for line in uncovered)
    assert lines[-1] == "1 passed, 0 failed"
    code, out, _ = advise("test", "--format", "json", "scenarios")
    data = json.loads(out)
    assert (code, data["failed"], data["uncovered"], data["errors"]) == (0, 0, [], [])
    assert data["passed"] == len(list((ROOT / "scenarios").rglob("*.yaml")))


def test_advise_test_reports_an_unreadable_scenario_and_exits_2(tmp_path):
    (tmp_path / "broken.yaml").write_text("facts: {fee: 1\n", encoding="utf-8")
    code, out, err = advise("test", str(tmp_path))
    assert (code, out) == (2, "")  # no partial output: the mistake only
    assert err.startswith(f"{tmp_path / 'broken.yaml'}:1:8: invalid YAML")


def test_as_of_on_the_command_line_replaces_the_scenarios_date():
    scenario = str(ROOT / "scenarios" / "crowdworks" / "wait-13-days-after-request.yaml")
    code, out, _ = advise("--lang", "en", "--as-of", "2026-11-27", scenario)  # the day after the latest end
    assert code == 1  # its expect: was written for 2026-11-25
    assert out.splitlines()[1] == "CrowdWorks · as of 2026-11-27"
    assert "1. The contract has ended automatically" in out
    code, out, err = advise("--as-of", "2026-11-31", scenario)
    assert (code, out) == (2, "") and "2026-11-31" in err


def test_the_calendar_is_never_written_to_the_scenario_or_to_standard_output(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("as_of: 2026-11-25\nfacts: {request_sent_on: 2026-11-20}\n", encoding="utf-8")
    for target in ("-", str(scenario)):
        code, out, err = advise("--calendar", target, "--force", str(scenario))
        assert (code, out) == (2, "") and "--calendar" in err
    assert scenario.read_text(encoding="utf-8").startswith("as_of:")


# ----------------------------------------------------------------------------- command-line conventions

COMMANDS = "ask, batch, check, graph, rules, run, test"
COMMANDS_JA = "ask、batch、check、graph、rules、run、test"


@pytest.mark.parametrize("args, lang, expected", [
    (["chek"], "en", f'advise: no command or file named "chek" (did you mean "check"?); the commands are {COMMANDS} '
                     "(advise --help)\n"),
    (["--lang", "ja", "grap"], "ja", f"advise: 「grap」という名前のコマンドもファイルもありません（もしかして「graph」？）。"
                                     f"コマンドは {COMMANDS_JA} です（advise --help）\n"),
    (["frobnicate"], "en", f'advise: no command or file named "frobnicate"; the commands are {COMMANDS} '
                           "(advise --help)\n"),
])
def test_a_mistyped_command_is_refused_with_the_closest_one(args, lang, expected):
    assert advise(*args, env={"LANG": "", "LANGUAGE": "", "LC_ALL": ""}) == (2, "", expected)


def test_help_lists_the_commands_and_options_may_come_before_a_command():
    code, out, err = advise("help", env={"LANGUAGE": "en"})
    assert (code, err) == (0, "") and out == advise("--help", env={"LANGUAGE": "en"})[1]
    commands = out.split("Commands:\n")[1].split("\n\n")[0].splitlines()
    assert [line.split()[0] for line in commands] == ["ask", "batch", "check", "graph", "rules", "run", "test"]
    assert "--format text (default), json or markdown" in out.replace("\n  ", " ")
    assert advise("help", "check", env={"LANGUAGE": "en"})[1] == advise("check", "--help", env={"LANGUAGE": "en"})[1]
    code, out, _ = advise("--lang", "en", "check", "--fail-level", "error")
    assert code == 0  # the bundled packs, `advise check --lang en`


def test_bare_advise_prints_the_commands_as_a_usage_error():
    code, out, err = advise(env={"LANGUAGE": "en"})
    assert (code, out) == (2, "") and err.startswith("Usage: advise [OPTIONS] COMMAND [ARGS]...\n")


def test_short_version_option():
    assert advise("-V") == (0, f"advise {__version__}\n", "")


@pytest.mark.parametrize("args", [["--lang", "ja", "-V"], ["-V", "--lang", "en"], ["--lang=en", "--version"]])
def test_version_beside_lang_prints_the_version(args):
    assert advise(*args) == (0, f"advise {__version__}\n", "")


@pytest.mark.parametrize(("args", "usage"), [(["--help", "--lang", "en"], "Usage: advise"),
                                             (["--lang", "ja", "-h"], "使い方： advise")])
def test_help_beside_lang_is_in_that_language(args, usage):
    code, out, err = advise(*args)
    assert (code, err) == (0, "") and out.startswith(usage)


@pytest.mark.parametrize("command", ["run", "check", "test", "rules", "graph", "ask"])
@pytest.mark.parametrize("lang, examples", [("en", "Examples:\n"), ("ja", "例：\n")])
def test_every_command_has_examples_in_both_languages(command, lang, examples):
    code, out, err = advise(command, "--help", "--lang", lang)
    assert (code, err) == (0, "") and f"\n  {examples}    advise " in out


def test_help_and_click_words_in_japanese():
    code, out, _ = advise("--lang", "ja", "--help")
    assert code == 0 and out.startswith("使い方： advise [OPTIONS] COMMAND [ARGS]...\n\n  クラウドソーシングの契約")
    assert "\nオプション：\n  -V, --version  バージョンを表示して終了します。\n" in out and "このヘルプを表示して終了します。\n" in out
    assert "\nコマンド：\n  ask    シナリオを書く代わりに質問に答えて、助言を受けます\n" in out
    code, out, _ = advise("check", "--help", env={"LANGUAGE": "ja:en", "LANG": ""})
    joined = "".join(line.strip() for line in out.splitlines())  # folded at the terminal's width
    assert "--fail-level [warning|error]  この水準以上の指摘があれば終了コード 1 で終わります。［既定：warning］" in joined
    assert max(display_width(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize("args", [["--help"], ["help"], ["check", "--help"], ["ask", "--help"], ["test", "--help"],
                                  ["graph", "--help"], ["run", "--help"], ["rules", "--help"]])
def test_japanese_help_ends_every_heading_with_a_full_width_colon(args):
    code, out, err = advise("--lang", "ja", *args)
    headings = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert (code, err) == (0, "") and headings[0].startswith("使い方： advise ")
    assert headings[1:] == ["オプション："] + (["コマンド："] if args[0] in ("--help", "help") else [])
    assert "[既定" not in out  # click's "  [default: text]" is put in full-width brackets, as the catalogs write it
    english = advise("--lang", "en", *args)[1]
    assert "\nOptions:\n" in english and ("\nCommands:\n" in english) == (args[0] in ("--help", "help"))


# An option that names a file, given an empty name (--calendar "", -o ""): refused, never silently ignored.
EMPTY_NAME = {"en": "an empty name names no file; give a file name, or leave the option out",
              "ja": "空の名前ではファイルを指定できません。ファイル名を指定するか、このオプションを省いてください"}
# The same for a folder of packs and for an argument naming a file or folder: they were looked for (": no such folder").
EMPTY_FOLDER = {"en": "an empty name names no folder; give a folder name, or leave it out",
                "ja": "空の名前ではフォルダーを指定できません。フォルダー名を指定するか、省いてください"}
EMPTY_PATH = {"en": "an empty name names no file or folder; give its name",
              "ja": "空の名前ではファイルもフォルダーも指定できません。名前を指定してください"}


@pytest.mark.parametrize("args, en, ja", [
    (["check", "--formt", "x"], "Error: No such option '--formt'. (Did you mean one of: '--format', '--platform'?)",
     "エラー：オプション「--formt」はありません。（「--format」、「--platform」のどれかのことですか？）"),
    (["run", "--formt", "x"], "Error: No such option '--formt'. (Did you mean one of: '--force', '--format'?)",
     "エラー：オプション「--formt」はありません。（「--force」、「--format」のどれかのことですか？）"),
    (["run"], "Error: Missing argument 'SCENARIO'.", "エラー：引数がありません「SCENARIO」。"),
    (["graph", "--format", "png"], "Error: Invalid value for '--format': 'png' is not one of 'mermaid', 'dot', 'svg'.",
     "エラー：「--format」の値が正しくありません：「png」ではなく「mermaid」、「dot」、「svg」のどれかを指定してください。"),
    (["run", "--as-of"], "Error: Option '--as-of' requires an argument.", "エラー：オプション「--as-of」には値が必要です。"),
    (["run", "--explain=yes", "s.yaml"], "Error: Option '--explain' does not take a value.",
     "エラー：オプション「--explain」は値を取りません。"),
    (["run", "a.yaml", "b.yaml"], "Error: Got unexpected extra argument (b.yaml)", "エラー：余分な引数があります（b.yaml）"),
    (["run", "--calendar", "", "s.yaml"], f"Error: Invalid value for '--calendar': {EMPTY_NAME['en']}",
     f"エラー：「--calendar」の値が正しくありません：{EMPTY_NAME['ja']}"),
    (["ask", "-o", ""], f"Error: Invalid value for '-o' / '--output': {EMPTY_NAME['en']}",
     f"エラー：「-o」 / 「--output」の値が正しくありません：{EMPTY_NAME['ja']}"),
    (["ask", "--answers="], f"Error: Invalid value for '--answers': {EMPTY_NAME['en']}",
     f"エラー：「--answers」の値が正しくありません：{EMPTY_NAME['ja']}"),
    (["graph", "--output", ""], f"Error: Invalid value for '-o' / '--output': {EMPTY_NAME['en']}",
     f"エラー：「-o」 / 「--output」の値が正しくありません：{EMPTY_NAME['ja']}"),
    (["run", "--rules", "", "s.yaml"], f"Error: Invalid value for '--rules': {EMPTY_FOLDER['en']}",
     f"エラー：「--rules」の値が正しくありません：{EMPTY_FOLDER['ja']}"),
    (["check", ""], f"Error: Invalid value for '[PACK_DIR]': {EMPTY_FOLDER['en']}",
     f"エラー：「[PACK_DIR]」の値が正しくありません：{EMPTY_FOLDER['ja']}"),
    (["test", "scenarios", ""], f"Error: Invalid value for '[PATHS]...': {EMPTY_PATH['en']}",
     f"エラー：「[PATHS]...」の値が正しくありません：{EMPTY_PATH['ja']}"),
    (["run", ""], f"Error: Invalid value for 'SCENARIO': {EMPTY_PATH['en']}",
     f"エラー：「SCENARIO」の値が正しくありません：{EMPTY_PATH['ja']}"),
])
def test_click_errors_in_the_language_asked_for(args, en, ja):
    for lang, message in (("en", en), ("ja", ja)):
        code, out, err = advise("--lang", lang, *args)
        assert (code, out, err.splitlines()[-1]) == (2, "", message)
        if len(err.splitlines()) > 1:  # a usage error: the usage, and where help is
            command = "advise " + args[0]
            assert err.splitlines()[1] == (f"Try '{command} --help' for help." if lang == "en"
                                           else f"ヘルプは「{command} --help」で表示します。")
    assert advise(*args, env={"LANGUAGE": "ja", "LANG": ""})[2].splitlines()[-1] == ja


@pytest.mark.parametrize("args, key", [(["--rules", "", "s.yaml"], "--rules"), ([""], "SCENARIO")])
def test_an_empty_name_without_a_command_is_the_same_usage_error(args, key):
    """`advise --rules "" x.yaml` and `advise ""` go to run, and are refused as `advise run` refuses them."""
    for lang in ("en", "ja"):
        run = advise("--lang", lang, "run", *args)
        assert advise("--lang", lang, *args) == run
        assert run[:2] == (2, "") and (f"'{key}'" if lang == "en" else f"「{key}」") in run[2].splitlines()[-1]


def test_clicks_words_in_japanese_are_punctuated_as_japanese():
    """click's words as the Japanese catalog gives them: no ASCII quote, period, comma, colon, question or
    exclamation mark outside the format fields ({name!r} is quoted 「」 when shown: cli._japanese_punctuation)."""
    words = {key: re.sub(r"\{[^{}]*\}", "", text) for key, text in catalog("ja").items() if key.startswith("click_")}
    assert len(words) == len([key for key in catalog("en") if key.startswith("click_")]) > 20
    assert {key: text for key, text in words.items() if re.search(r"[\'\".,:?!]", text)} == {}


@pytest.mark.parametrize("env, lang", [
    ({"LANGUAGE": "ja", "LC_ALL": "en_US.UTF-8"}, "ja"),
    ({"LANGUAGE": "fr:ja", "LC_ALL": "", "LANG": ""}, "ja"),
    ({"LANGUAGE": "fr:ja", "LC_ALL": "", "LANG": "en_US.UTF-8"}, "ja"),
    # GNU gettext ignores LANGUAGE in the C (POSIX) locale, whichever variable sets it
    ({"LANGUAGE": "ja", "LC_ALL": "", "LANG": "C"}, "en"),
    ({"LANGUAGE": "ja", "LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, "en"),
    ({"LANGUAGE": "ja", "LC_ALL": "", "LC_MESSAGES": "POSIX", "LANG": "ja_JP.UTF-8"}, "en"),
    ({"LANGUAGE": "ja:en", "LC_ALL": "", "LANG": "C.UTF-8"}, "en"),
    ({"LANGUAGE": "en", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C"}, "en"),
    ({"LANGUAGE": "ja", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "Ca_ES.UTF-8"}, "ja"),  # Catalan is not C
    ({"LANGUAGE": "fr", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "ja_JP.UTF-8"}, "ja"),
    ({"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "en_GB.UTF-8", "LANG": "ja_JP.UTF-8"}, "en"),
])
def test_language_follows_gnu_order(env, lang):
    code, out, _ = advise(str(EXAMPLE), env=env)
    assert code == 0 and out.splitlines()[3].startswith("1. " + ("納品済み" if lang == "ja" else "Negotiate"))


def test_graph_is_written_to_a_file_only_when_it_does_not_exist(tmp_path):
    target = tmp_path / "pack.mmd"
    assert advise("graph", "--platform", "crowdworks", "-o", str(target), "--lang", "en") == (0, "", "")
    assert target.read_text(encoding="utf-8") == advise("graph", "--platform", "crowdworks", "--lang", "en")[1]
    target.write_text("mine", encoding="utf-8")
    assert advise("graph", "--platform", "crowdworks", "-o", str(target), "--lang", "en") == (
        2, "", f"{target}: already exists; add --force to replace it\n")
    assert advise("graph", "--platform", "crowdworks", "-o", str(target), "--lang", "ja")[2] == (
        f"{target}: すでにあります。置き換えるには --force を付けてください\n")
    assert target.read_text(encoding="utf-8") == "mine"
    assert advise("graph", "--platform", "crowdworks", "-o", str(target), "--force", "--format", "dot")[0] == 0
    assert target.read_text(encoding="utf-8").startswith("digraph")
    missing = tmp_path / "no" / "pack.mmd"
    assert advise("graph", "--platform", "crowdworks", "-o", str(missing), "--lang", "en") == (
        2, "", f"{missing}: cannot write: no such file or folder\n")
    assert advise("graph", "--platform", "crowdworks", "-o", str(missing), "--lang", "ja") == (
        2, "", f"{missing}: 書き込めません：そのようなファイルもフォルダーもありません\n")


@pytest.mark.parametrize("lang, no_pack, no_folder, not_folder", [
    ("en", "no rule pack here: no pack.yaml in this folder or in the folders in it", "no such folder", "not a folder"),
    ("ja", "ルールパックがありません：このフォルダにもその中のフォルダにも pack.yaml がありません",
     "そのようなフォルダーはありません", "フォルダーではありません"),
])
def test_a_rules_folder_without_a_pack_is_reported_at_the_folder(tmp_path, lang, no_pack, no_folder, not_folder):
    for args in (["--rules", str(tmp_path), str(EXAMPLE)], ["rules", "--rules", str(tmp_path)], ["check", str(tmp_path)]):
        assert advise(*args, "--lang", lang) == (2, "", f"{tmp_path}: {no_pack}\n")
    assert advise("--rules", str(tmp_path / "x"), str(EXAMPLE), "--lang", lang) == (2, "", f"{tmp_path / 'x'}: {no_folder}\n")
    assert advise("check", str(EXAMPLE), "--lang", lang) == (2, "", f"{EXAMPLE}: {not_folder}\n")


def test_a_file_that_cannot_be_read_is_reported_without_a_line(tmp_path):
    missing = tmp_path / "none.yaml"
    assert advise(str(missing), "--lang", "en") == (2, "", f"{missing}: cannot read file: no such file or folder\n")
    assert advise("test", str(missing), "--lang", "en") == (
        2, "", f"{missing}: cannot read file: no such file or folder\n")
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert advise(str(empty), "--lang", "en") == (2, "", f"{empty}: file is empty\n")


@pytest.mark.parametrize("lang, cannot_read, no_such_file, is_a_folder, not_a_folder", [
    ("en", "cannot read file", "no such file or folder", "it is a folder", "a part of the path is not a folder"),
    ("ja", "ファイルを読めません", "そのようなファイルもフォルダーもありません", "フォルダーです",
     "パスの途中にフォルダーでないものがあります"),
])
def test_the_systems_reason_a_file_cannot_be_read_is_in_the_language_asked_for(
        tmp_path, lang, cannot_read, no_such_file, is_a_folder, not_a_folder):
    missing, file = tmp_path / "none.yaml", tmp_path / "file.yaml"
    file.write_text("facts: {}\n", encoding="utf-8")
    for path, reason in ((missing, no_such_file), (tmp_path, is_a_folder), (file / "x.yaml", not_a_folder)):
        assert advise(str(path), "--lang", lang) == (2, "", f"{path}: {cannot_read}：{reason}\n".replace(
            "：", ": " if lang == "en" else "："))
    assert advise("test", str(missing), "--lang", lang) == (2, "", f"{missing}: {cannot_read}" +
                                                             (": " if lang == "en" else "：") + f"{no_such_file}\n")


@pytest.mark.parametrize("code, en, ja", [
    (errno.ENOENT, "no such file or folder", "そのようなファイルもフォルダーもありません"),
    (errno.EACCES, "permission denied", "アクセスが許可されていません"),
    (errno.EPERM, "permission denied", "アクセスが許可されていません"),
    (errno.EISDIR, "it is a folder", "フォルダーです"),
    (errno.ENOTDIR, "a part of the path is not a folder", "パスの途中にフォルダーでないものがあります"),
    (errno.ENOSPC, "no space left on the disk", "ディスクに空きがありません"),
    (errno.EROFS, "the disk is read-only", "ディスクが読み取り専用です"),
    (errno.ELOOP, "too many symbolic links (a loop?)", "シンボリックリンクが多すぎます（循環していませんか？）"),
    (errno.ENAMETOOLONG, "the name is too long", "名前が長すぎます"),
    (errno.EXDEV, "the operating system refused (EXDEV)", "OS に拒否されました（EXDEV）"),
])
def test_the_systems_reason_a_file_cannot_be_written_is_in_the_language_asked_for(tmp_path, monkeypatch, code, en, ja):
    def refused(path, data, replace=False):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr("advisor.write.write_new", refused)  # the system's refusal, whoever runs the tests
    target = tmp_path / "pack.mmd"
    assert advise("graph", "--platform", "crowdworks", "-o", str(target), "--lang", "en") == (
        2, "", f"{target}: cannot write: {en}\n")
    assert advise("graph", "--platform", "crowdworks", "-o", str(target), "--lang", "ja") == (
        2, "", f"{target}: 書き込めません：{ja}\n")
    assert not target.exists()


@pytest.mark.parametrize("lang, message", [
    ("en", "no scenario files (*.yaml, *.yml) in this folder, so nothing was tested"),
    ("ja", "このフォルダーにはシナリオファイル（*.yaml、*.yml）がないため、何も確かめていません"),
])
def test_advise_test_refuses_a_folder_without_scenarios(tmp_path, monkeypatch, lang, message):
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    (tmp_path / "empty" / "notes.txt").write_text("not a scenario\n", encoding="utf-8")
    scenario = tmp_path / "s.yaml"
    scenario.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    empty = tmp_path / "empty"
    assert advise("test", str(empty), "--lang", lang) == (2, "", f"{empty}: {message}\n")
    assert advise("test", str(scenario), str(empty / "sub"), "--lang", lang) == (2, "", f"{empty / 'sub'}: {message}\n")
    monkeypatch.chdir(empty)
    (empty / "scenarios").mkdir()
    assert advise("test", "--lang", lang) == (2, "", f"scenarios: {message}\n")


def test_check_reports_structure_and_reference_mistakes_in_one_run(tmp_path):
    pack = make_pack(tmp_path / "pack", [rule("r1", "{n: {lt: 5}}"), rule("r2", "{flag: true}", "b")])
    rules = pack / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    text = text.replace("- id: r1\n", "- id: r1\n    priorty: 3\n", 1).replace("{flag: true}", "{flagg: true}")
    rules.write_text(text, encoding="utf-8")
    code, out, err = advise("check", "--lang", "en", "--format", "json", str(pack))
    found = [(f["code"], f["line"]) for f in json.loads(out)]
    assert (code, err) == (1, "") and [c for c, _ in found] == ["S001", "R102"], found
    code, out, _ = advise("check", "--lang", "en", str(pack))
    assert 'unknown key "priorty" (did you mean "priority"?)' in out and 'flagg' in out


def test_json_findings_about_a_whole_file_have_no_line(tmp_path):
    pack = make_pack(tmp_path / "pack", [rule("r1", "{n: {lt: 5}}")])
    (pack / "extra.yml").write_text("rules: []\n", encoding="utf-8")
    code, out, _ = advise("check", "--format", "json", "--lang", "en", str(pack))
    finding = next(f for f in json.loads(out) if f["code"] == "R108")
    assert (finding["path"], finding["line"], finding["column"]) == (str(pack / "extra.yml"), None, None)


@pytest.mark.parametrize("args, option", [
    (["--lang"], "--lang"), (["--format"], "--format"), (["--rules"], "--rules"), (["--as-of"], "--as-of"),
    (["--lang", "ja", "--lang"], "--lang"), (["--format", "json", "--lang"], "--lang"),
])
def test_an_option_before_the_command_without_its_value_is_a_usage_error(args, option):
    for lang, message in (("en", f"Error: Option '{option}' requires an argument."),
                          ("ja", f"エラー：オプション「{option}」には値が必要です。")):
        if "ja" in args and lang == "en":  # --lang ja before the option without a value speaks Japanese
            continue
        code, out, err = advise(*args, env={"LANGUAGE": lang, "LANG": f"{lang}_XX.UTF-8", "LC_ALL": ""})
        assert (code, out, err.splitlines()[-1]) == (2, "", message)
        assert err.splitlines()[0] == ("Usage: advise [OPTIONS] COMMAND [ARGS]..." if lang == "en"
                                       else "使い方： advise [OPTIONS] COMMAND [ARGS]...")


@pytest.mark.parametrize("args, en, ja", [
    (["-x"], "Error: No such option '-x'.", "エラー：オプション「-x」はありません。"),
    (["--versoin"], "Error: No such option '--versoin'. Did you mean '--version'?",
     "エラー：オプション「--versoin」はありません。「--version」のことですか？"),
    (["--fromat", "json", "x.yaml"], "Error: No such option '--fromat'. (Did you mean one of: '--drafts', '--format'?)",
     "エラー：オプション「--fromat」はありません。（「--drafts」、「--format」のどれかのことですか？）"),
])
def test_an_unknown_option_before_the_command_is_named(args, en, ja):
    for lang, message in (("en", en), ("ja", ja)):
        code, out, err = advise("--lang", lang, *args)
        assert (code, out, err.splitlines()[-1]) == (2, "", message)


@pytest.mark.parametrize("lang, word, expected", [
    ("en", "chek", f'advise: no command or file named "chek" (did you mean "check"?); the commands are {COMMANDS} '
                   "(advise --help)\n"),
    ("ja", "chek", f"advise: 「chek」という名前のコマンドもファイルもありません（もしかして「check」？）。"
                   f"コマンドは {COMMANDS_JA} です（advise --help）\n"),
    ("en", "nosuch", f'advise: no command or file named "nosuch"; the commands are {COMMANDS} (advise --help)\n'),
    ("ja", "nosuch", f"advise: 「nosuch」という名前のコマンドもファイルもありません。"
                     f"コマンドは {COMMANDS_JA} です（advise --help）\n"),
])
def test_help_for_a_mistyped_command_is_refused_with_the_closest_one(lang, word, expected):
    assert advise("--lang", lang, "help", word) == (2, "", expected)


@pytest.mark.parametrize("lang, expected", [
    ("en", 'advise: no command or file named "a\\u001B[31mb\\u202E\\nc"; the commands are '
           f"{COMMANDS} (advise --help)\n"),
    ("ja", "advise: 「a\\u001B[31mb\\u202E\\nc」という名前のコマンドもファイルもありません。"
           f"コマンドは {COMMANDS_JA} です（advise --help）\n"),
])
def test_help_for_a_word_with_control_or_bidi_characters_shows_it_escaped(lang, expected):
    """An escape sequence, a bidi override or a line break in the word reached the terminal raw."""
    assert advise("--lang", lang, "help", "a\x1b[31mb\u202e\nc") == (2, "", expected)


@pytest.mark.parametrize("args, verb_en, verb_ja", [
    (["run", "--calendar", "PATH", str(EXAMPLE)], "cannot write", "書き込めません"),
    (["graph", "-o", "PATH"], "cannot write", "書き込めません"),
    (["ask", "-o", "PATH"], "cannot write", "書き込めません"),
    (["ask", "--answers", "PATH"], "cannot read file", "ファイルを読めません"),
    (["test", "PATH"], "cannot read file", "ファイルを読めません"),
])
def test_a_folder_or_a_path_through_a_file_is_reported_at_the_path(tmp_path, args, verb_en, verb_ja):
    (tmp_path / "folder").mkdir()
    (tmp_path / "regular").write_text("", encoding="utf-8")
    cases = [("regular/x", "a part of the path is not a folder", "パスの途中にフォルダーでないものがあります")]
    if args[0] != "test":  # a folder of scenarios is what advise test takes
        cases.append(("folder", "it is a folder", "フォルダーです"))
    for path, en, ja in cases:
        where = str(tmp_path / path)
        line = [where if arg == "PATH" else arg for arg in args]
        en_err = advise("--lang", "en", *line, input="")
        ja_err = advise("--lang", "ja", *line, input="")
        assert en_err[0] == ja_err[0] == 2 and en_err[1] == ja_err[1] == ""
        assert en_err[2] == f"{where}: {verb_en}: {en}\n"
        assert ja_err[2] == f"{where}: {verb_ja}：{ja}\n"


@pytest.mark.parametrize("lang, said", [("en", "<stdout>: cannot write: no space left on the disk\n"),
                                        ("ja", "<stdout>: 書き込めません：ディスクに空きがありません\n")])
def test_a_full_standard_output_is_told_in_one_line_exit_2(lang, said):
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "advisor", "--lang", lang, "--format", "json", str(EXAMPLE)],
                              stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120)
    assert (done.returncode, done.stderr) == (2, said)
