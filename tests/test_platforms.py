"""Several platforms: the same core scenario on each bundled pack, the platform assumed when a scenario names
none, choosing the platform in advise ask, rules, graph and check, and adding a platform as
docs/authoring.md "Adding a platform" says."""
from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path
from urllib.parse import urlparse

import pytest
from click.testing import CliRunner

from advisor.cli import main
from advisor.load import pack_folders
from advisor.pipeline import pack_named

ROOT = Path(__file__).resolve().parents[1]
AUTHORING = {"en": (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8"),
             "ja": (ROOT / "docs" / "authoring.ja.md").read_text(encoding="utf-8")}

# The core facts only (rules/core.yaml): the client went silent after the worker's request, part delivered.
CORE_SCENARIO = """\
platform: {platform}
as_of: 2026-11-25
facts:
  contract_type: fixed
  work_started: true
  request_sent_on: 2026-11-16
  request_sent_by: worker
  client_response: none
  client_unresponsive: true
  units_total: 10
  units_delivered: 4
  fee: 50000
"""

# What each platform's pack advises first for it, and the host of that advice's first source: its own pages.
FIRST = {
    "crowdworks": ("request_contact_prompt", "crowdworks.my.salesforce-sites.com"),
    "craudia": ("contact_support", "www.craudia.com"),
    "lancers": ("escrow_cancelled_work_unpaid", "www.lancers.jp"),
    "upwork": ("finish_and_submit", "support.upwork.com"),
    "fiverr": ("order_cancelled", "help.fiverr.com"),
}
BUNDLED = [folder.name for folder in pack_folders()]


def advise(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_every_platform_of_the_plan_has_a_bundled_pack():
    assert sorted(FIRST) == BUNDLED


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("platform", sorted(FIRST))
def test_the_same_core_scenario_gets_each_platforms_own_first_advice(tmp_path, platform, lang):
    scenario = tmp_path / f"{platform}.yaml"
    scenario.write_text(CORE_SCENARIO.format(platform=platform), encoding="utf-8")
    code, out, err = advise("--lang", lang, "--format", "json", str(scenario))
    assert (code, err) == (0, "")
    first = json.loads(out)["recommendations"][0]
    action, host = FIRST[platform]
    assert (first["action"], urlparse(first["source"][0]["url"]).hostname) == (action, host)
    pack = pack_named(platform)
    assert first["title"] == pack.actions[action].get(lang)
    code, out, _ = advise("--lang", lang, str(scenario))
    heading = {"en": "{name} · as of 2026-11-25", "ja": "{name}・2026年11月25日時点"}[lang]
    assert out.splitlines()[1:4] == [heading.format(name=pack.name.get(lang)), "", f"1. {first['title']}"]


def test_the_first_advice_differs_on_every_platform():
    assert len({action for action, _ in FIRST.values()}) == len(FIRST)
    assert len({host for _, host in FIRST.values()}) == len(FIRST)


# ------------------------------------------------------------------------- a scenario without platform:

ASSUMED = {
    "en": "The scenario names no platform, so CrowdWorks is assumed (platform: crowdworks); write platform: to "
          "choose another",
    "ja": "シナリオに platform: がないため、クラウドワークスとして扱いました（platform: crowdworks）。ほかのプラットフォームに"
          "するには platform: を書いてください",
}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_scenario_without_platform_says_crowdworks_was_assumed(tmp_path, lang):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(CORE_SCENARIO.split("\n", 1)[1], encoding="utf-8")
    heading = {"en": "CrowdWorks · as of 2026-11-25", "ja": "クラウドワークス・2026年11月25日時点"}[lang]
    code, out, err = advise("--lang", lang, str(scenario))
    assert (code, err) == (0, "") and out.splitlines()[1:4] == [heading, ASSUMED[lang], ""]
    code, out, _ = advise("--lang", lang, "--format", "markdown", str(scenario))
    assert out.split("\n\n")[1:3] == [heading, ASSUMED[lang]]
    code, out, _ = advise("--lang", lang, "--format", "json", str(scenario))
    assert json.loads(out)["scenario"] | {"path": ""} == {"path": "", "title": None, "platform": "crowdworks",
                                                           "as_of": "2026-11-25", "platform_assumed": True}
    named = tmp_path / "named.yaml"
    named.write_text(CORE_SCENARIO.format(platform="crowdworks"), encoding="utf-8")
    for fmt in ("text", "markdown", "json"):
        out = advise("--lang", lang, "--format", fmt, str(named))[1]
        assert ASSUMED[lang] not in out and "platform_assumed" not in out


# ---------------------------------------------------------------------------------- choosing the platform

CHOICES = {
    "en": "Which platform is the contract on?\n  1) Craudia (craudia)\n  2) CrowdWorks (crowdworks)\n"
          "  3) Fiverr (fiverr)\n  4) Lancers (lancers)\n  5) Upwork (upwork)\n  (Enter: crowdworks)\n",
    "ja": "どのプラットフォームでの契約ですか？\n  1) クラウディア（craudia）\n  2) クラウドワークス（crowdworks）\n"
          "  3) Fiverr（fiverr）\n  4) ランサーズ（lancers）\n  5) Upwork（upwork）\n"
          "  ［Enter で crowdworks］\n",
}


@pytest.mark.parametrize("lang, typed, chosen", [
    ("en", "4", "Rules: Lancers (lancers)"), ("en", "ランサーズ", "Rules: Lancers (lancers)"),
    ("en", "upwork", "Rules: Upwork (upwork)"), ("en", "", "Rules: CrowdWorks (crowdworks)"),
    ("ja", "クラウディア", "ルール：クラウディア（craudia）"), ("ja", "fiverr", "ルール：Fiverr（fiverr）"),
])
def test_ask_first_asks_the_platform_by_the_packs_own_names(lang, typed, chosen):
    code, out, err = advise("ask", "--lang", lang, "--as-of", "2026-11-25", input=typed + "\n")
    assert code == 0
    assert err.split("\n", 1)[1].startswith(CHOICES[lang] + f"> {typed}".rstrip() + f"\n{chosen}\n\nQ1. ")
    platform = re.search(r"[（(](\w+)[）)]$", chosen)[1]
    assert f"platform: {platform}\n" in out
    pack = pack_named(platform)
    assert f"Q1. {(pack.facts['contract_type'].question or pack.facts['contract_type'].description).get(lang)}" in err


def test_ask_with_platform_asks_no_platform():
    code, out, err = advise("ask", "--lang", "en", "--platform", "upwork", "--as-of", "2026-11-25", input="\n")
    assert code == 0 and "Which platform" not in err and "Rules: Upwork (upwork)\n" in err
    assert "platform: upwork\n" in out


def test_rules_without_platform_shows_every_pack_in_turn():
    code, out, err = advise("--lang", "en", "rules")
    assert (code, err) == (0, "")
    headings = [line for line in out.splitlines() if re.fullmatch(r"\S.* \([a-z]+\)", line)]
    assert headings == ["Craudia (craudia)", "CrowdWorks (crowdworks)", "Fiverr (fiverr)", "Lancers (lancers)",
                        "Upwork (upwork)"]
    assert out == "\n".join(advise("--lang", "en", "rules", "--platform", name)[1] for name in BUNDLED)


@pytest.mark.parametrize("lang, message", [
    ("en", "Error: there are several rule packs, and a graph draws one: choose it with --platform (Craudia (craudia), "
           "CrowdWorks (crowdworks), Fiverr (fiverr), Lancers (lancers), Upwork (upwork))"),
    ("ja", "エラー：ルールパックが複数あり、グラフに描けるのは 1 つです。--platform で選んでください（クラウディア（craudia）、"
           "クラウドワークス（crowdworks）、Fiverr（fiverr）、ランサーズ（lancers）、Upwork（upwork））"),
])
def test_graph_draws_one_pack_and_asks_which_when_there_are_several(lang, message):
    code, out, err = advise("--lang", lang, "graph")
    assert (code, out) == (2, "") and err.splitlines()[-1] == message
    code, out, err = advise("--lang", lang, "graph", "--platform", "lancers", "--format", "dot")
    assert (code, err) == (0, "") and out.startswith("digraph")


def test_check_covers_every_pack_or_the_one_named(tmp_path):
    assert advise("check") == (0, "", "")
    for name in BUNDLED:
        assert advise("check", "--platform", name) == (0, "", "")
    code, out, err = advise("--lang", "en", "check", "--platform", "coconala")
    assert (code, out) == (2, "")
    assert err == f'{ROOT / "rules"}: unknown platform "coconala"; rule packs: {", ".join(BUNDLED)}\n'
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "crowdworks", rules / "crowdworks")
    (rules / "crowdworks" / "rules.yaml").write_text("rules: []\n", encoding="utf-8")
    shutil.copytree(ROOT / "rules" / "lancers", rules / "lancers")
    assert advise("check", str(rules), "--platform", "lancers") == (0, "", "")
    assert advise("check", str(rules))[0] == 1  # the crowdworks copy, whose rules.yaml lost its rules


UNKNOWN = {"en": 'unknown platform "{}"; rule packs: {}', "ja": "プラットフォーム「{}」は不明です。ルールパック：{}"}
MISMATCH = {"en": 'platform "fiverr" does not match the rule pack in {0} ("upwork")',
            "ja": "プラットフォーム「fiverr」は {0} のルールパック（「upwork」）と一致しません"}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("command", ["ask", "rules", "graph", "check"])
@pytest.mark.parametrize("name", ["", " "])
def test_an_empty_platform_is_unknown_for_every_command(command, name, lang):
    """--platform "$P" with P unset names no platform: refused, never the default pack."""
    expected = f'{ROOT / "rules"}: {UNKNOWN[lang].format(name, ", ".join(BUNDLED))}\n'
    assert advise("--lang", lang, command, "--platform", name, input="") == (2, "", expected)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_check_refuses_a_platform_that_is_not_the_packs(lang):
    upwork = str(ROOT / "rules" / "upwork")
    expected = (2, "", f"{upwork}: {MISMATCH[lang].format(upwork)}\n")
    assert advise("--lang", lang, "check", "--platform", "fiverr", upwork) == expected
    assert advise("--lang", lang, "rules", "--platform", "fiverr", "--rules", upwork) == expected
    assert advise("check", "--platform", "upwork", upwork) == (0, "", "")


ASSUMED_ERROR = {
    "en": "no platform: given, so crowdworks was assumed; rule packs: {}",
    "ja": "platform: がないため、crowdworks として扱いました。ルールパック：{}",
}
DOLLARS = {
    "en": 'fee: cannot read "$250" as a whole number: "$" (U+0024) is for dollars, and this pack counts yen; write it '
          "in digits, e.g. 50000, 50,000, ¥50,000, 50000円 or 5万円",
    "ja": "fee: 「$250」を整数として読めません。「$」（U+0024）はドルに付けるもので、このパックの金額は円です。50000、50,000、"
          "¥50,000、50000円、5万円のように数字で書いてください",
}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_errors_of_a_scenario_without_platform_say_crowdworks_was_assumed(tmp_path, lang):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("as_of: 2026-11-25\nfacts:\n  fee: $250\n", encoding="utf-8")
    note = f"{scenario}: {ASSUMED_ERROR[lang].format(', '.join(BUNDLED))}\n"
    assert advise("--lang", lang, str(scenario)) == (2, "", f"{note}{scenario}:3:8: {DOLLARS[lang]}\n")
    # an answers file for advise ask, without a terminal to ask the platform at
    answers = tmp_path / "answers.yaml"
    answers.write_text("fee: $250\n", encoding="utf-8")
    note = f"{answers}: {ASSUMED_ERROR[lang].format(', '.join(BUNDLED))}\n"
    assert advise("--lang", lang, "ask", "--answers", str(answers), input="") == (
        2, "", f"{note}{answers}:1:6: {DOLLARS[lang]}\n")
    # with --platform, nothing was assumed
    code, _, err = advise("--lang", lang, "ask", "--platform", "crowdworks", "--answers", str(answers), input="")
    assert (code, err) == (2, f"{answers}:1:6: {DOLLARS[lang]}\n")
    # a folder of packs without crowdworks: the unknown platform is the assumed one
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "fiverr", rules / "fiverr")
    note = f"{scenario}: {ASSUMED_ERROR[lang].format('fiverr')}\n"
    assert advise("--lang", lang, "--rules", str(rules), str(scenario)) == (
        2, "", f"{note}{scenario}:1:1: {UNKNOWN[lang].format('crowdworks', 'fiverr')}\n")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_scenario_without_platform_takes_the_one_pack_rules_names(tmp_path, lang):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(CORE_SCENARIO.split("\n", 1)[1], encoding="utf-8")
    code, out, err = advise("--lang", lang, "--rules", str(ROOT / "rules" / "lancers"), str(scenario))
    heading = {"en": "Lancers · as of 2026-11-25", "ja": "ランサーズ・2026年11月25日時点"}[lang]
    assumed = {"en": "The scenario names no platform, so Lancers is assumed (platform: lancers); write platform: to "
                     "choose another",
               "ja": "シナリオに platform: がないため、ランサーズとして扱いました（platform: lancers）。ほかのプラットフォームにする"
                     "には platform: を書いてください"}[lang]
    assert (code, err) == (0, "") and out.splitlines()[1:3] == [heading, assumed]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_ask_with_a_scenario_without_platform_says_crowdworks_was_assumed(tmp_path, lang):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(CORE_SCENARIO.split("\n", 1)[1], encoding="utf-8")
    code, _, err = advise("--lang", lang, "ask", "--answers", str(scenario), input="")
    heading = {"en": "CrowdWorks · as of 2026-11-25", "ja": "クラウドワークス・2026年11月25日時点"}[lang]
    assert code == 0 and f"\n{heading}\n{ASSUMED[lang]}\n\n1. " in err
    named = tmp_path / "named.yaml"
    named.write_text(CORE_SCENARIO.format(platform="crowdworks"), encoding="utf-8")
    code, _, err = advise("--lang", lang, "ask", "--answers", str(named), input="")
    assert code == 0 and f"\n{heading}\n\n1. " in err and ASSUMED[lang] not in err


# ------------------------------------------------------------------------------------------ adding one

def _section(lang: str) -> str:
    heading = {"en": "## Adding a platform\n", "ja": "## プラットフォームを追加する\n"}[lang]
    return AUTHORING[lang].split(heading, 1)[1].split("\n## ", 1)[0]


def _blocks(text: str, language: str) -> list[str]:
    return [textwrap.dedent(body) for marked, body in re.findall(r"(?ms)^ *```(\w*)\n(.*?)^ *```$", text)
            if marked == language]


# line:column of units_total's min: in the CrowdWorks pack's facts.yaml
UNITS_TOTAL_MIN = next(f"{number + 2}:10" for number, line in enumerate(
    (ROOT / "rules" / "crowdworks" / "facts.yaml").read_text(encoding="utf-8").splitlines(), start=1)
    if line == "  units_total:")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_adding_a_platform_as_the_docs_say(tmp_path, monkeypatch, lang):
    """The steps of docs/authoring.md (and .ja.md) "Adding a platform", on a copy in a temporary folder: the
    commands shown, the pack.yaml head shown, the scenario shown."""
    section = _section(lang)
    commands = [line.split("#")[0].strip() for block in _blocks(section, "sh") for line in block.splitlines()]
    assert commands == ["mkdir -p /tmp/my-rules /tmp/my-scenarios", "cp -r rules/crowdworks /tmp/my-rules/coconala",
                        "advise check /tmp/my-rules/coconala", "advise test --rules /tmp/my-rules /tmp/my-scenarios/"]
    head, scenario = _blocks(section, "yaml")
    rules, scenarios = tmp_path / "my-rules", tmp_path / "my-scenarios"
    scenarios.mkdir()
    shutil.copytree(ROOT / "rules" / "crowdworks", rules / "coconala")  # step 0: the copy
    pack_file = rules / "coconala" / "pack.yaml"
    original = pack_file.read_text(encoding="utf-8")
    pack_file.write_text(head + original[original.index("\nactions:\n"):], encoding="utf-8")  # step 1
    assert advise("--lang", lang, "check", str(rules / "coconala")) == (0, "", "")  # step 3: the core is kept
    (scenarios / "agreed.yaml").write_text(scenario, encoding="utf-8")  # step 4
    code, out, err = advise("--lang", lang, "test", "--rules", str(rules), str(scenarios))  # step 5
    title = re.search(r"^title: (.*)$", scenario, re.M)[1]
    assert (code, err) == (0, "")
    assert out.startswith({"en": "PASS", "ja": "合格"}[lang] + f" {scenarios / 'agreed.yaml'}  {title}\n")
    assert out.endswith({"en": "1 passed, 0 failed\n", "ja": "合格 1 件、不合格 0 件\n"}[lang])
    code, out, _ = advise("--lang", lang, "--rules", str(rules), str(scenarios / "agreed.yaml"))
    name = {"en": "Coconala · as of 2026-11-25", "ja": "ココナラ・2026年11月25日時点"}[lang]
    assert code == 0 and out.splitlines()[1] == name
    facts = rules / "coconala" / "facts.yaml"  # step 2 undone: a core fact declared otherwise is reported
    facts.write_text(facts.read_text(encoding="utf-8").replace("  units_total:\n    type: int\n    min: 1\n",
                                                               "  units_total:\n    type: int\n    min: 2\n"),
                     encoding="utf-8")
    code, out, _ = advise("--lang", "en", "check", str(rules / "coconala"))
    assert (code, out) == (1, f"{facts}:{UNITS_TOTAL_MIN}: [warning] L209 core fact units_total is declared with "
                              "min: 2, where the core vocabulary (rules/core.yaml) has min: 1; a scenario would not "
                              "mean the same on this platform: declare it as {type: int, min: 1} (texts in this "
                              "platform's words)\n")


def test_a_pack_without_a_readable_pack_yaml_is_offered_by_its_id(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "crowdworks", rules / "crowdworks")
    (rules / "other").mkdir()
    (rules / "other" / "facts.yaml").write_text("facts: {}\n", encoding="utf-8")  # a pack without its pack.yaml
    code, out, err = advise("ask", "--lang", "en", "--rules", str(rules), "--as-of", "2026-11-25", input="1\n")
    assert code == 0 and "  1) CrowdWorks (crowdworks)\n  2) other (other)\n" in err
    code, out, err = advise("ask", "--lang", "en", "--rules", str(rules), "--as-of", "2026-11-25", input="2\n")
    assert (code, out) == (2, "") and err.endswith(f"{rules / 'other'}: not a rule pack: no pack.yaml in this folder\n")


def test_a_folder_holding_one_pack_other_than_crowdworks_is_shown_and_drawn(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "lancers", rules / "lancers")
    code, out, err = advise("--lang", "en", "rules", "--rules", str(rules))
    assert (code, err) == (0, "") and out.startswith("Lancers (lancers)\n")
    code, out, err = advise("--lang", "en", "graph", "--rules", str(rules), "--format", "dot")
    assert (code, err) == (0, "") and out == advise("--lang", "en", "graph", "--platform", "lancers", "--format", "dot")[1]


@pytest.mark.parametrize("lang, line", [
    ("en", "| cancellation_window_hours  | 24, 48 or 72 hours | disputed |"),
    ("ja", "| cancellation_window_hours  | 24、48または72時間 | 異説あり |")])
def test_rules_shows_a_disputed_number_of_hours_with_its_unit(lang, line):
    code, out, err = advise("--lang", lang, "rules", "--platform", "fiverr")
    assert (code, err) == (0, "") and line in out.splitlines()


# ------------------------------------------------------------------------- a platform named by its own name

@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("name, platform", [("クラウドワークス", "crowdworks"), ("Fiverr", "fiverr"),
                                            ("ランサーズ", "lancers"), ("ｆｉｖｅｒｒ", "fiverr"),
                                            ("Lancers", "lancers"), (" CrowdWorks ", "crowdworks")])
def test_a_scenarios_platform_may_be_the_packs_own_name(tmp_path, lang, name, platform):
    """The names advise ask lists at its platform question, in either language, any case or width: certain to mean
    that pack, so the advice is the one for its id."""
    scenario = tmp_path / "s.yaml"
    scenario.write_text(CORE_SCENARIO.format(platform=platform), encoding="utf-8")
    by_id = advise("--lang", lang, str(scenario))
    assert by_id[0] == 0
    scenario.write_text(CORE_SCENARIO.format(platform=f"'{name}'"), encoding="utf-8")
    assert advise("--lang", lang, str(scenario)) == by_id
    code, out, _ = advise("--lang", lang, "--format", "json", str(scenario))
    assert code == 0 and json.loads(out)["scenario"]["platform"] == platform


UNKNOWN_NAME = {
    "en": '{}:1:11: unknown platform "{}"{}; rule packs: {}\n',
    "ja": "{}:1:11: プラットフォーム「{}」は不明です{}。ルールパック：{}\n",
}
NEAR = {"en": ' (did you mean "{}"?)', "ja": "（もしかして「{}」？）"}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("name, near", [("クラウドワークズ", "クラウドワークス"), ("Fivver", "fiverr"),
                                        ("coconala", None)])
def test_an_unknown_platform_name_suggests_a_packs_id_or_name(tmp_path, lang, name, near):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(CORE_SCENARIO.format(platform=name), encoding="utf-8")
    hint = NEAR[lang].format(near) if near else ""
    assert advise("--lang", lang, str(scenario)) == (
        2, "", UNKNOWN_NAME[lang].format(scenario, name, hint, ", ".join(BUNDLED)))


DISAGREE = {
    "en": '{}:1:11: this file is for platform "Fiverr", but --platform "upwork" was given: the two disagree; remove '
          "--platform or change platform: here\n",
    "ja": "{}:1:11: このファイルのプラットフォームは「Fiverr」ですが、--platform 「upwork」が指定されています。二つが食い違って"
          "います。--platform を外すか、ここの platform: を直してください\n",
}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_ask_takes_an_answers_files_platform_by_name_as_the_same_as_its_id(tmp_path, lang):
    answers = tmp_path / "answers.yaml"
    answers.write_text("platform: Fiverr\nas_of: 2026-11-25\nfacts:\n  fee: 100\n", encoding="utf-8")
    code, _, err = advise("--lang", lang, "ask", "--platform", "fiverr", "--answers", str(answers), input="")
    assert code == 0
    assert err.startswith({"en": "Rules: Fiverr (fiverr)\n", "ja": "ルール：Fiverr（fiverr）\n"}[lang])
    assert advise("--lang", lang, "ask", "--platform", "upwork", "--answers", str(answers), input="") == (
        2, "", DISAGREE[lang].format(answers))


WHY_PLATFORM = {
    "en": "The platform decides the rules the advice follows: each platform has its own rule pack (its fees, "
          "deadlines and steps), and the questions after this one are that pack's.\n",
    "ja": "プラットフォームによって、助言が従うルールが決まります。プラットフォームごとにルールパック（手数料、期限、手順）があり、"
          "このあとの質問もそのルールパックのものです。\n",
}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_why_at_the_platform_question_says_what_the_platform_decides(lang):
    code, out, err = advise("ask", "--lang", lang, "--as-of", "2026-11-25", input="why\nなぜ\n4\n")
    assert code == 0
    chosen = {"en": "Rules: Lancers (lancers)", "ja": "ルール：ランサーズ（lancers）"}[lang]
    assert err.split("\n", 1)[1].startswith(
        f"{CHOICES[lang]}> why\n{WHY_PLATFORM[lang]}> なぜ\n{WHY_PLATFORM[lang]}> 4\n{chosen}\n\nQ1. ")
    assert "platform: lancers\n" in out
