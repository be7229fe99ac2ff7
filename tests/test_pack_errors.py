"""Broken rule packs given with --rules: every mistake is one `path:line:col: message` line on stderr naming
the pack file and line that hold it, exit code 2, no traceback and nothing on stdout.

Each test copies the bundled CrowdWorks pack to tmp_path and adds a small, valid "probe" to it (facts,
a parameter, an action, a source and one rule using them all, `PROBE_*` below); a case then breaks one
thing in the probe with a text replacement. Breaking the probe rather than the CrowdWorks rules keeps
the cases independent of how those rules are worded today, and `test_probe_pack_is_valid` shows the
probe works before it is broken. Expected positions are computed from the edited text: a `mark` is a
snippet that occurs once in the edited file, with `^` where the diagnostic must point.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor import derive
from advisor.cli import main

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "rules" / "crowdworks"
SCENARIO = "platform: crowdworks\nas_of: 2026-11-25\n"

PROBE_FACTS = """
  # --- probe facts added by tests/test_pack_errors.py
  probe_state:
    type: enum
    values: [calm, stormy]
    description:
      ja: 試験用の状態
      en: Probe state
  probe_flag:
    type: bool
    description:
      ja: 試験用の真偽
      en: Probe flag
  probe_count:
    type: int
    min: 0
    description:
      ja: 試験用の数
      en: Probe count
  probe_day:
    type: date
    at_most: as_of
    description:
      ja: 試験用の日付
      en: Probe day
  probe_days_since:
    type: int
    derive: {days_since: probe_day}
    description:
      ja: 試験用の日付からの日数
      en: Days since the probe day
"""
PROBE_PARAMETER = """\
  probe_limit:
    value: 3
    description:
      ja: 試験用の上限
      en: Probe limit
    source: probe-source
"""
PROBE_ACTION = """\
  probe_action:
    ja: 試験用の行動
    en: Do the probe thing
"""
PROBE_SOURCE = """\
  probe-source:
    title:
      ja: 試験用の出典
      en: The probe source
    url: https://example.com/probe
"""
PROBE_RULE = """
  - id: probe-rule
    action: probe_action
    priority: 60
    when:
      all:
        - probe_state: stormy
        - probe_flag: true
        - probe_count: {gt: 0}
        - probe_day: {present: true}
        - probe_days_since: {lt: {param: probe_limit}}
    message:
      ja: 試験の数は{probe_count}です。
      en: The probe count is {probe_count}.
    because:
      ja: 試験のためです。
      en: Because of the probe.
    source: [probe-source]
"""


# ---------------------------------------------------------------------------------------------- helpers

def _insert_after(path: Path, anchor: str, block: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(anchor) == 1, f"{anchor!r} must occur once in {path.name}"
    path.write_text(text.replace(anchor, anchor + block), encoding="utf-8")


def _append(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + block, encoding="utf-8")


def probe_pack(tmp_path: Path) -> Path:
    """A copy of the bundled pack, with the probe added: <tmp_path>/rules/crowdworks."""
    folder = tmp_path / "rules" / "crowdworks"
    shutil.copytree(BUNDLED, folder)
    _append(folder / "facts.yaml", PROBE_FACTS)
    _insert_after(folder / "parameters.yaml", "\nparameters:\n", PROBE_PARAMETER)
    _insert_after(folder / "pack.yaml", "\nactions:\n", PROBE_ACTION)
    _insert_after(folder / "pack.yaml", "\nsources:\n", PROBE_SOURCE)
    _append(folder / "rules.yaml", PROBE_RULE)
    return folder


def edit(path: Path, old: str, new: str) -> str:
    """Replace the one occurrence of `old` in the file; the edited text."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path.name}"
    edited = text.replace(old, new)
    path.write_text(edited, encoding="utf-8")
    return edited


def locate(text: str, mark: str) -> str:
    """'line:col' (1-based) of the ^ in `mark`, a snippet that occurs once in `text`."""
    snippet = mark.replace("^", "")
    assert text.count(snippet) == 1, f"{snippet!r} must occur once"
    index = text.index(snippet) + mark.index("^")
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"{line}:{column}"


def advise(tmp_path: Path, rules: Path, scenario: str = SCENARIO):
    path = tmp_path / "scenario.yaml"
    path.write_text(scenario, encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", "en", "--rules", str(rules), str(path)], prog_name="advise")
    # A traceback never reaches the user: the only exception allowed is the SystemExit carrying the exit code.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def seen(result) -> tuple[int, str, str]:
    return result.exit_code, result.stdout, result.stderr


def refused(*diagnostics: str) -> tuple[int, str, str]:
    return 2, "", "".join(f"{d}\n" for d in diagnostics)


# ------------------------------------------------------------------------------------------------ control

def test_bundled_pack_given_with_rules_gives_advice(tmp_path):
    folder = tmp_path / "crowdworks"
    shutil.copytree(BUNDLED, folder)
    result = advise(tmp_path, folder, (REPO / "scenarios" / "crowdworks" / "seed-rejected-half-delivered.yaml")
                    .read_text(encoding="utf-8"))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.strip()


def test_probe_pack_is_valid(tmp_path):
    """The probe rule really runs: breaking it below breaks a working rule."""
    folder = probe_pack(tmp_path)
    result = advise(tmp_path, folder, SCENARIO + "facts:\n  probe_state: stormy\n  probe_flag: true\n"
                                                 "  probe_count: 2\n  probe_day: 2026-11-24\n")
    assert (result.exit_code, result.stderr) == (0, "")
    assert "Do the probe thing" in result.stdout and "The probe count is 2." in result.stdout


# ------------------------------------------------------------------------------------------ one mistake

def case(file: str, old: str, new: str, mark: str, message: str, id: str):
    return pytest.param(file, old, new, mark, message, id=id)


OPERATIONS = ", ".join(derive.OPERATIONS)
PRIORITY = "priority must be a whole number from 1 (first) to 1000 (last); got "

CASES = [
    # --- YAML syntax in rules.yaml
    case("rules.yaml", "    action: probe_action\n", "    action: probe: action\n", "action: probe^: action",
         'invalid YAML: ": " here would start a key inside a value: if it is part of a text, put the whole text in quotes '
         '("..."); if it starts a key, put it on a line of its own, indented like the keys beside it', id="yaml-colon-in-a-value"),
    case("rules.yaml", "    action: probe_action\n", "   action: probe_action\n", "\n   ^action: probe_action",
         "invalid YAML: this line is indented differently from the keys above it: the keys of one mapping start in the "
         "same column", id="yaml-bad-indentation"),
    case("rules.yaml", "    action: probe_action\n", "\taction: probe_action\n", "^\taction: probe_action",
         "invalid YAML: a tab (U+0009) here: YAML indents and separates with spaces only; replace the tab with spaces",
         id="yaml-tab"),
    case("rules.yaml", "    priority: 60\n", "    priority: 60\n    priority: 61\n", "^priority: 61",
         'duplicate key "priority"', id="yaml-duplicate-key"),
    case("rules.yaml", "    priority: 60\n", '    priority: !!python/object/apply:os.system ["echo hi"]\n',
         "priority: ^!!python",
         'YAML tag "!!python/object/apply:os.system" is not allowed: only plain values, lists and mappings are',
         id="yaml-python-tag"),
    # --- conditions
    case("rules.yaml", "- probe_state: stormy", "- probe_stat: stormy", "- ^probe_stat:",
         'unknown fact "probe_stat" (did you mean "probe_state"?)', id="unknown-fact"),
    case("rules.yaml", "probe_count: {gt: 0}", "probe_count: {greater: 0}", "probe_count: {^greater",
         "a test is one operator: eq, ne, lt, lte, gt, gte, in, not_in, present; "
         'unknown key "greater" (did you mean "gte"?)', id="unknown-operator"),
    case("rules.yaml", "probe_count: {gt: 0}", "probe_count: {gt: 0, lt: 9}", "probe_count: ^{gt: 0, lt",
         "a test is one operator: eq, ne, lt, lte, gt, gte, in, not_in, present", id="two-operators"),
    case("rules.yaml", "- probe_flag: true", "- probe_flag: 1", "probe_flag: ^1",
         "probe_flag: expected true or false; got 1", id="bool-compared-with-1"),
    case("rules.yaml", "probe_count: {gt: 0}", "probe_count: {gt: true}", "probe_count: {gt: ^true}",
         "probe_count: expected a whole number; got true", id="int-compared-with-true"),
    case("rules.yaml", "probe_count: {gt: 0}", 'probe_count: {gt: "0"}', 'probe_count: {gt: ^"0"}',
         'probe_count: expected a whole number; got "0" (written in quotes, so it is text: remove the quotes)',
         id="int-compared-with-quoted-number"),
    case("rules.yaml", "probe_day: {present: true}", "probe_day: {gt: 3}", "probe_day: {gt: ^3}",
         "probe_day: expected a date written YYYY-MM-DD; got 3", id="date-compared-with-number"),
    case("rules.yaml", "probe_count: {gt: 0}", "probe_count: {gt: 2026-01-01}", "probe_count: {gt: ^2026",
         "probe_count: expected a whole number; got 2026-01-01", id="number-compared-with-date"),
    case("rules.yaml", "probe_day: {present: true}", "probe_day: {gt: 2026-02-30}", "probe_day: {gt: ^2026",
         'gt: impossible date "2026-02-30": 2026-02 has no day 30 (it has 28 days)', id="impossible-date"),
    case("rules.yaml", "- probe_state: stormy", "- probe_state: {gt: calm}", "probe_state: {gt: ^calm}",
         "gt compares numbers or dates; probe_state is enum", id="enum-ordered"),
    case("rules.yaml", "- probe_state: stormy", "- probe_state: windy", "probe_state: ^windy",
         'probe_state: expected one of calm, stormy; got "windy"', id="enum-value-not-allowed"),
    case("rules.yaml", "- probe_state: stormy", "- probe_state: stromy", "probe_state: ^stromy",
         'probe_state: expected one of calm, stormy; got "stromy" (did you mean "stormy"?)', id="enum-value-misspelt"),
    case("rules.yaml", "- probe_state: stormy", "- probe_state: no", "probe_state: ^no",
         "probe_state: expected one of calm, stormy; got false "
         "(YAML reads unquoted yes/no/on/off as true/false: quote the word)", id="enum-bare-no"),
    case("rules.yaml", "- probe_state: stormy", "- probe_state: {in: [calm, windy]}", "[calm, ^windy]",
         'probe_state: expected one of calm, stormy; got "windy"', id="enum-value-in-a-list"),
    case("rules.yaml", "probe_day: {present: true}", "probe_day: {present: 1}", "probe_day: {present: ^1}",
         "present takes true or false; got 1", id="present-not-bool"),
    case("rules.yaml", "{param: probe_limit}", "{param: probe_limt}", "probe_days_since: {lt: ^{param",
         'unknown parameter "probe_limt" (did you mean "probe_limit"?)',
         id="unknown-parameter"),
    case("rules.yaml", "      all:\n        - probe_state: stormy", "      every:\n        - probe_state: stormy",
         "every:\n        ^- probe_state", "a test is a value or one operator (eq, ne, lt, lte, gt, gte, in, not_in, "
         "present); conditions are grouped with all:, any: or not:; got a list", id="unknown-group-keyword"),
    # --- the other fields of a rule
    case("rules.yaml", "action: probe_action", "action: probe_acton", "action: ^probe_acton",
         'unknown action "probe_acton" (did you mean "probe_action"?); declare it under actions: in pack.yaml',
         id="unknown-action"),
    case("rules.yaml", "source: [probe-source]", "source: [probe-sorce]", "[^probe-sorce]",
         'unknown source "probe-sorce" (did you mean "probe-source"?)', id="unknown-source-in-a-list"),
    case("rules.yaml", "source: [probe-source]", "source: probe-sorce", "source: ^probe-sorce",
         'unknown source "probe-sorce" (did you mean "probe-source"?)', id="unknown-source"),
    case("rules.yaml", "en: The probe count is {probe_count}.", "en: The probe count is {probe_cont}.",
         "en: ^The probe count is", 'message.en: unknown placeholder {probe_cont} (did you mean "probe_count"?)',
         id="unknown-placeholder"),
    case("rules.yaml", "      en: Because of the probe.\n", "", "      ^ja: 試験のためです。",
         'missing key "en" in a text (ja and en)', id="missing-en-text"),
    case("rules.yaml", "en: Because of the probe.", "en: ''", "en: ^''",
         "the en text must be a non-empty string", id="empty-en-text"),
    case("rules.yaml", "id: probe-rule", "id: Probe Rule", "id: ^Probe Rule",
         "a rule id must be lower-case letters, digits, '-' and '_', starting with a letter; got \"Probe Rule\"",
         id="rule-id-not-lower-case"),
    case("rules.yaml", "    priority: 60\n", "    priority: 60\n    note: hi\n", "^note: hi",
         'unknown key "note"; allowed: id, action, priority, when, message, because, source, suppresses, sets, '
         'valid_from, valid_until, deadline, side', id="unknown-rule-key"),
    case("rules.yaml", "    priority: 60\n", "    priority: 0\n", "priority: ^0", PRIORITY + "0", id="priority-0"),
    case("rules.yaml", "    priority: 60\n", "    priority: 1001\n", "priority: ^1001", PRIORITY + "1001",
         id="priority-1001"),
    case("rules.yaml", "    priority: 60\n", "    priority: -5\n", "priority: ^-5", PRIORITY + "-5",
         id="priority-negative"),
    case("rules.yaml", "    priority: 60\n", "    priority: high\n", "priority: ^high", PRIORITY + '"high"',
         id="priority-word"),
    case("rules.yaml", "    priority: 60\n", "    priority: 6.5\n", "priority: ^6.5", PRIORITY + "6.5",
         id="priority-fraction"),
    case("rules.yaml", "    priority: 60\n", "    priority: true\n", "priority: ^true", PRIORITY + "true",
         id="priority-true"),
    # --- facts.yaml and pack.yaml
    case("facts.yaml", "derive: {days_since: probe_day}", "derive: {days_snce: probe_day}", "{^days_snce",
         f'expected one of {OPERATIONS}; got "days_snce" (did you mean "days_since"?)',
         id="derive-unknown-operation"),
    case("facts.yaml", "derive: {days_since: probe_day}", "derive: {days_since: {probe_day: 1}}",
         "days_since: {^probe_day",
         'the arguments of derive are names of facts or parameters: one name, or a list of names; unknown key "probe_day"',
         id="derive-argument-mapping"),
    case("facts.yaml", "derive: {days_since: probe_day}", "derive: {days_since: []}", "days_since: ^[]",
         "days_since takes 1 fact or parameter name, of type date", id="derive-no-arguments"),
    case("facts.yaml", "derive: {days_since: probe_day}", "derive: {days_since: probe_dya}", "days_since: ^probe_dya",
         '"probe_dya" is not a fact declared above nor a parameter (did you mean "probe_day"?)',
         id="derive-unknown-argument"),
    case("facts.yaml", "derive: {days_since: probe_day}", "derive: {days_since: probe_count}",
         "days_since: ^probe_count}", "days_since needs type date as argument 1; probe_count is int",
         id="derive-argument-of-the-wrong-type"),
    case("pack.yaml", "\nactions:\n", "\nauthor: me\nactions:\n", "^author: me",
         'unknown key "author"; allowed: id, name, calendar, currency, actions, sources', id="pack-unknown-key"),
]


@pytest.mark.parametrize("file, old, new, mark, message", CASES)
def test_broken_pack_is_refused_at_the_line_of_the_mistake(tmp_path, file, old, new, mark, message):
    folder = probe_pack(tmp_path)
    edited = edit(folder / file, old, new)
    assert seen(advise(tmp_path, folder)) == refused(f"{folder / file}:{locate(edited, mark)}: {message}")


def test_unclosed_bracket_is_reported_where_it_opens(tmp_path):
    """PyYAML notices the missing ] only on the next line (`when:`, which is fine); the mistake is the [."""
    folder = probe_pack(tmp_path)
    edited = edit(folder / "rules.yaml", "    priority: 60\n", "    priority: [60\n")
    result = advise(tmp_path, folder)
    assert (result.exit_code, result.stdout) == (2, "")
    where = f"{folder / 'rules.yaml'}:{locate(edited, 'priority: ^[60')}"
    assert result.stderr.startswith(f"{where}: invalid YAML: "), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr


def test_bytes_that_are_not_utf8_in_a_rule_file(tmp_path):
    folder = probe_pack(tmp_path)
    path = folder / "rules.yaml"
    edited = edit(path, "en: Because of the probe.", "en: Because of the café.")
    path.write_bytes(edited.encode("utf-8").replace("café".encode(), "café".encode("latin-1")))
    assert seen(advise(tmp_path, folder)) == refused(
        f"{path}:{locate(edited, 'Because of the caf^é')}: not valid UTF-8 (byte 0xe9); save the file as UTF-8")


@pytest.mark.parametrize("file, old, new, mark, message", [
    case("facts.yaml", "  probe_count:\n    type: int\n", "  probe_count:\n    type: integer\n", "type: ^integer",
         'expected one of bool, int, money, date, datetime, enum; got "integer" (did you mean "int"?)', id="fact-unknown-type"),
    case("facts.yaml", "values: [calm, stormy]", "values: [calm, no]", "values: [calm, ^no]",
         "an enum value is a word; quote yes, no, on and off, which YAML reads as true/false; got false",
         id="enum-values-bare-no"),
    case("pack.yaml", "url: https://example.com/probe", "url: example.com/probe", "url: ^example.com/probe",
         'url must be an http(s) address; got "example.com/probe"', id="source-url-not-http"),
    case("parameters.yaml", "    source: probe-source\n", "    source: probe-sorce\n", "source: ^probe-sorce",
         'unknown source "probe-sorce" (did you mean "probe-source"?)', id="parameter-unknown-source"),
    case("parameters.yaml", "    value: 3\n", "    value: three\n", "value: ^three",
         'a parameter value must be a whole number, a date or true/false; got "three"', id="parameter-value-a-word"),
    case("pack.yaml", "    en: Do the probe thing\n", "", "  probe_action:\n    ^ja: 試験用の行動",
         'missing key "en" in a text (ja and en)', id="action-missing-en"),
])
def test_broken_declaration_is_reported_once_not_again_at_each_use(tmp_path, file, old, new, mark, message):
    """A fact, parameter, source or action with a mistake in its declaration is still declared: its uses in
    rules.yaml must not each be reported as "unknown" (that sends the author to the wrong lines, and to
    look for a misspelling that is not there)."""
    folder = probe_pack(tmp_path)
    edited = edit(folder / file, old, new)
    assert seen(advise(tmp_path, folder)) == refused(f"{folder / file}:{locate(edited, mark)}: {message}")


# ----------------------------------------------------------------------------------------- duplicate ids

def test_duplicate_rule_id_names_the_first_definition(tmp_path):
    folder = probe_pack(tmp_path)
    path = folder / "rules.yaml"
    first = locate(path.read_text(encoding="utf-8"), "  - ^id: probe-rule").split(":")[0]
    edited = edit(path, "    source: [probe-source]\n", "    source: [probe-source]\n" + PROBE_RULE)
    second = edited.index("id: probe-rule", edited.index("id: probe-rule") + 1) + len("id: ")
    line = edited.count("\n", 0, second) + 1
    column = second - edited.rfind("\n", 0, second)
    assert seen(advise(tmp_path, folder)) == refused(
        f'{path}:{line}:{column}: duplicate rule id "probe-rule" (first defined at {path}:{first})')


def test_duplicate_rule_id_in_another_file_names_the_first_file(tmp_path):
    folder = probe_pack(tmp_path)
    first = locate((folder / "rules.yaml").read_text(encoding="utf-8"), "  - ^id: probe-rule").split(":")[0]
    other = folder / "threats.yaml"  # read after rules.yaml: files are read in name order
    other.write_text("rules:" + PROBE_RULE, encoding="utf-8")
    assert seen(advise(tmp_path, folder)) == refused(
        f"{other}:{locate(other.read_text(encoding='utf-8'), 'id: ^probe-rule')}: "
        f'duplicate rule id "probe-rule" (first defined at {folder / "rules.yaml"}:{first})')


def test_mistake_in_another_rule_file_names_that_file(tmp_path):
    folder = probe_pack(tmp_path)
    other = folder / "threats.yaml"
    text = "rules:" + PROBE_RULE.replace("probe-rule", "probe-rule-two").replace("probe_flag: true", "probe_flg: true")
    other.write_text(text, encoding="utf-8")
    assert seen(advise(tmp_path, folder)) == refused(
        f'{other}:{locate(text, "- ^probe_flg")}: unknown fact "probe_flg" (did you mean "probe_flag"?)')


# ------------------------------------------------------------------ durable_rules' limit on alternatives

def _rule_with(when: str) -> str:
    return f"""
  - id: wide-rule
    action: probe_action
    priority: 70
    when:
{when}    message:
      ja: 広い条件
      en: A wide condition
    because:
      ja: 試験
      en: Probe
    source: probe-source
"""


def _any_of(count: int) -> str:
    return "      any:\n" + "".join(f"        - probe_count: {i}\n" for i in range(1, count + 1))


@pytest.mark.parametrize("when, alternatives", [
    pytest.param(_any_of(50), 50, id="any-of-50"),
    pytest.param(_any_of(48), 48, id="any-of-48"),
    pytest.param("      probe_count: {in: [" + ", ".join(map(str, range(1, 51))) + "]}\n", 50, id="in-list-of-50"),
    pytest.param("      all:\n        - probe_count: {in: [1, 2, 3, 4, 5, 6, 7]}\n"
                 "        - probe_state: {in: [calm, stormy]}\n"
                 "        - probe_day: {in: [2026-01-01, 2026-01-02, 2026-01-03, 2026-01-04]}\n", 56,
                 id="all-of-lists-multiplies"),
])
def test_condition_with_too_many_alternatives_is_refused_at_its_rule(tmp_path, when, alternatives):
    """durable_rules fails with error 303 past 64 branches under one node; a rule over 47 must be split."""
    folder = probe_pack(tmp_path)
    path = folder / "rules.yaml"
    _append(path, _rule_with(when))
    where = locate(path.read_text(encoding="utf-8"), "  - ^id: wide-rule")
    assert seen(advise(tmp_path, folder)) == refused(
        f"{path}:{where}: rule wide-rule: its condition expands to {alternatives} alternatives (any, in, not); "
        "at most 47 fit the engine: split it into several rules")


def test_condition_with_47_alternatives_still_runs(tmp_path):
    folder = probe_pack(tmp_path)
    _append(folder / "rules.yaml", _rule_with(_any_of(47)))
    result = advise(tmp_path, folder, SCENARIO + "facts:\n  probe_count: 47\n")
    assert (result.exit_code, result.stderr) == (0, "")
    assert "A wide condition" in result.stdout


# ------------------------------------------------------------------------------- missing files, folders

def test_empty_rules_folder_is_reported_at_the_folder(tmp_path):
    empty = tmp_path / "rules"
    empty.mkdir()
    result = advise(tmp_path, empty)
    assert seen(result) == refused(f"{empty}: no rule pack here: no pack.yaml in this folder or in the folders in it")


def test_folder_of_packs_lists_them_and_suggests_one(tmp_path):
    root = tmp_path / "rules"
    shutil.copytree(BUNDLED, root / "crowdworks")
    shutil.copytree(BUNDLED, root / "lancers")
    edit(root / "lancers" / "pack.yaml", "\nid: crowdworks\n", "\nid: lancers\n")
    result = advise(tmp_path, root, "platform: lancer\n")
    assert seen(result) == refused(
        f'{tmp_path / "scenario.yaml"}:1:11: unknown platform "lancer" (did you mean "lancers"?); '
        "rule packs: crowdworks, lancers")


def test_pack_without_facts_yaml(tmp_path):
    folder = probe_pack(tmp_path)
    (folder / "facts.yaml").unlink()
    assert seen(advise(tmp_path, folder)) == refused(
        f"{folder / 'facts.yaml'}: cannot read file: no such file or folder")


def test_pack_without_rule_files(tmp_path):
    folder = tmp_path / "crowdworks"
    shutil.copytree(BUNDLED, folder)
    for path in folder.glob("*.yaml"):
        if path.name not in ("pack.yaml", "parameters.yaml", "facts.yaml"):
            path.unlink()
    assert seen(advise(tmp_path, folder)) == refused(
        f"{folder}: the pack has no rules: add a *.yaml file with a rules: list")


@pytest.mark.parametrize("given", [pytest.param("pack", id="the-pack-folder"),
                                   pytest.param("parent", id="the-folder-of-packs")])
def test_pack_without_pack_yaml_is_named(tmp_path, given):
    """The pack folder is there, with facts.yaml and rules.yaml, but pack.yaml was deleted:
    say that, at the folder, rather than "unknown platform" at the scenario."""
    folder = probe_pack(tmp_path)
    (folder / "pack.yaml").unlink()
    result = advise(tmp_path, folder if given == "pack" else folder.parent)
    assert seen(result) == refused(f"{folder}: not a rule pack: no pack.yaml in this folder")


def test_rules_folder_that_does_not_exist_is_named(tmp_path):
    """A mistyped --rules path must be reported as such, not as "unknown platform ...; rule packs: none"."""
    missing = tmp_path / "rulez"
    result = advise(tmp_path, missing)
    assert (result.exit_code, result.stdout) == (2, "")
    assert str(missing) in result.stderr and "no such folder" in result.stderr, result.stderr
    assert "unknown platform" not in result.stderr


def test_pack_folder_and_pack_id_must_agree(tmp_path):
    """In a folder of packs the platform picks the folder; a pack there whose id is another platform's
    would give that platform's advice under this one's name."""
    root = tmp_path / "rules"
    shutil.copytree(BUNDLED, root / "lancers")  # still says id: crowdworks
    result = advise(tmp_path, root, "platform: lancers\nas_of: 2026-11-25\n")
    assert seen(result) == refused(f'{tmp_path / "scenario.yaml"}:1:11: platform "lancers" does not match the rule '
                                   f'pack in {root / "lancers"} ("crowdworks")')
