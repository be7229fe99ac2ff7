"""`advise check`: every check of advisor/check.py against its cases in tests/data/check/<CODE>.yaml.

Each case writes its files over the small test pack of tests/packs.py (built with no rules, so every case
writes its own rules.yaml; its drafts.yaml shows every fact, so that only the cases of L206 unused-fact
have a fact that nothing reads) and lists exactly the findings `advise check` prints, with the pack
folder's path (and the "/" after it) left out. A file holds at least one failing case, whose findings
include the file's code, and one passing case (`findings: []`); the first failing case and the first
passing case differ only in the mistake, and are the pass/fail example of docs/checks.md (checked below).

In a case's file, a rule written as its id line followed by a line `...` stands for that rule of the base,
in full, so that a case writes only what differs:

      rules.yaml: |
        rules:
          - id: r
            ...
          - id: q
            action: b
            priority: 20
            when: {color: purple}
            message: {ja: q, en: q}
            because: {ja: なぜ, en: why}
            source: s

The base is RULES below, the two rules of docs/checks.md's example pack, unless the data file has rules of
its own under `base_rules:`. Findings count lines in the files as written to the pack (here rules.yaml:12 is
the `when:` of q), with every reference expanded.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from packs import make_pack

from advisor.check import CHECKS
from advisor.cli import main

DATA = Path(__file__).parent / "data" / "check"
FILES = sorted(DATA.glob("*.yaml"))
CHECKS_DOC = (Path(__file__).parent.parent / "docs" / "checks.md").read_text(encoding="utf-8")
FINDING = re.compile(r"(?P<path>[^:]+)(?::(?P<line>\d+):(?P<column>\d+))?: \[(?P<level>error|warning)\] "
                     r"(?P<code>[SRL]\d{3}) (?P<message>.+)")
NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

# The rules.yaml of the example pack (docs/checks.md "About the examples").
RULES = """\
rules:
  - id: r
    action: a
    priority: 10
    when: {n: {lt: {param: limit}}}
    message: {ja: r, en: r}
    because: {ja: なぜ, en: why}
    source: s
  - id: q
    action: b
    priority: 20
    when: {flag: true}
    message: {ja: q, en: q}
    because: {ja: なぜ, en: why}
    source: s
"""

# The draft of action a shows every fact of the test pack (docs/checks.md "About the examples").
DRAFTS = """\
drafts:
  a:
    body: {ja: "{n} {flag} {color}", en: "{n} {flag} {color}"}
"""

RULE_START = re.compile(r"^  - id: (\S+)\n", re.M)
REFERENCE = re.compile(r"^  - id: (\S+)\n    \.\.\.\n", re.M)


def rules_by_id(text: str) -> dict[str, str]:
    """The rules of a rules.yaml text, each with all its lines, by id."""
    starts = list(RULE_START.finditer(text)) + [None]
    return {start[1]: text[start.start():end.start() if end else len(text)] for start, end in zip(starts, starts[1:])}


def _load(path: Path) -> dict:
    """A data file, with the references to base rules in its cases' files expanded."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    base = rules_by_id(data.get("base_rules", RULES))
    for case in data["cases"]:
        case["files"] = {name: REFERENCE.sub(lambda rule: base[rule[1]], text) for name, text in case["files"].items()}
    return data


DATA_FILES = {path.stem: _load(path) for path in FILES}
CASES = [pytest.param(case, id=f"{data['code']}-{case['name']}")
         for data in DATA_FILES.values() for case in data["cases"]]


def build(folder: Path, files: dict[str, str]) -> Path:
    make_pack(folder, [])
    (folder / "drafts.yaml").write_text(DRAFTS, encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def check(folder: Path, *options: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `advise check [OPTIONS] FOLDER`, with the folder's path left out."""
    result = CliRunner().invoke(main, ["check", *options, str(folder)])
    prefix = str(folder) + "/"
    return result.exit_code, result.stdout.replace(prefix, ""), result.stderr.replace(prefix, "")


@pytest.mark.parametrize("case", CASES)
def test_case(tmp_path, case):
    exit_code, out, err = check(build(tmp_path / "pack", case["files"]))
    assert out.splitlines() == case["findings"]
    assert err == ""
    assert exit_code == (1 if case["findings"] else 0)


def test_every_check_has_a_data_file_and_every_data_file_a_check():
    assert sorted(DATA_FILES) == sorted(CHECKS)
    assert all(data["code"] == stem for stem, data in DATA_FILES.items())
    assert all(set(data) <= {"code", "base_rules", "cases"} for data in DATA_FILES.values())


@pytest.mark.parametrize("stem", sorted(DATA_FILES))
def test_each_file_has_failing_and_passing_cases(stem):
    cases = DATA_FILES[stem]["cases"]
    names = [case["name"] for case in cases]
    assert len(set(names)) == len(names), "case names are unique in a file"
    assert all(NAME.fullmatch(name) for name in names), "case names are kebab-case"
    assert all(set(case) <= {"name", "description", "files", "findings"} for case in cases)
    failing = [case for case in cases if case["findings"]]
    passing = [case for case in cases if not case["findings"]]
    assert failing and passing
    for case in failing:
        codes = [FINDING.fullmatch(finding).group("code") for finding in case["findings"]]
        assert stem in codes, f"{case['name']}: its findings include {stem}"
    assert set(failing[0]["files"]) == set(passing[0]["files"]), "the pass/fail example writes the same files"


def test_lines_are_left_out_only_as_whole_base_rules():
    for data in DATA_FILES.values():
        for case in data["cases"]:
            for name, text in case["files"].items():
                assert "..." not in text.split("\n"), f"{data['code']}-{case['name']}: {name} still has a ... line"


def _code_blocks(text: str, language: str = "") -> list[str]:
    """The fenced blocks of Markdown text that are marked with `language` (or not marked, for "")."""
    return [body for marked, body in re.findall(r"(?ms)^```(\w*)\n(.*?)^```$", text) if marked == language]


def _doc_section(code: str) -> str:
    return re.search(rf"(?ms)^### {code} .*?(?=^##)", CHECKS_DOC + "\n##")[0]


def _lines_of(case: dict) -> set[str]:
    return {line.strip() for text in case["files"].values() for line in text.splitlines()}


def _shown(block: str, case: dict) -> list[str]:
    """The lines of a docs example that are not in the case's files (`...` stands for lines left out)."""
    lines = _lines_of(case)
    missing = []
    for line in filter(None, (line.strip() for line in block.splitlines())):
        pattern = ".*".join(re.escape(part) for part in line.split("..."))
        if line != "..." and not any(re.fullmatch(pattern, candidate) for candidate in lines):
            missing.append(line)
    return missing


def test_the_docs_show_the_example_pack():
    about = CHECKS_DOC.split("**About the examples.**")[1].split("\n## ")[0]
    assert _code_blocks(about, "yaml") == [RULES, DRAFTS]


@pytest.mark.parametrize("stem", sorted(DATA_FILES))
def test_the_docs_example_is_the_first_failing_and_the_first_passing_case(stem):
    """docs/checks.md, under "### CODE": the first findings shown are those of the first failing case; the YAML
    after "Reported" is in that case's files, and the YAML right after "Not reported" in the first passing
    case's; every finding it shows is a finding of a case."""
    section = _doc_section(stem)
    cases = DATA_FILES[stem]["cases"]
    failing = next(case for case in cases if case["findings"])
    passing = next(case for case in cases if not case["findings"])
    shown = [block.replace("/tmp/my-rules/", "").splitlines() for block in _code_blocks(section)
             if re.search(rf"\[(error|warning)\] {stem} ", block)]
    assert shown[0] == failing["findings"]
    reported, _, not_reported = section.partition("\nNot reported")
    for block in _code_blocks(reported.split("\nReported", 1)[1], "yaml"):
        assert _shown(block, failing) == [], failing["name"]
    example = re.match(r"[^\n]*(?:\n[^\n]+)*\n\n```yaml\n(.*?)```", not_reported, re.S)
    if example:
        assert _shown(example[1], passing) == [], passing["name"]
    findings = {finding for case in cases for finding in case["findings"]}
    for block in _code_blocks(section):
        for line in block.replace("/tmp/my-rules/", "").splitlines():
            if FINDING.fullmatch(line):
                assert line in findings, line


@pytest.mark.parametrize("stem", sorted(DATA_FILES))
def test_json_format_gives_the_same_findings(tmp_path, stem):
    case = next(case for case in DATA_FILES[stem]["cases"] if case["findings"])
    exit_code, out, err = check(build(tmp_path / "pack", case["files"]), "--format", "json")
    expected = []
    for finding in case["findings"]:
        parts = FINDING.fullmatch(finding).groupdict()
        expected.append({"path": parts["path"], "line": int(parts["line"]), "column": int(parts["column"]),
                         "level": parts["level"], "code": parts["code"], "name": CHECKS[parts["code"]].name,
                         "message": parts["message"]})
    assert (exit_code, err) == (1, "")
    assert json.loads(out) == expected


def test_json_format_of_a_clean_pack_is_an_empty_list(tmp_path):
    case = next(case for case in DATA_FILES["L201"]["cases"] if not case["findings"])
    assert check(build(tmp_path / "pack", case["files"]), "--format", "json") == (0, "[]\n", "")


def test_level_of_each_finding_is_the_level_of_its_check():
    for data in DATA_FILES.values():
        for case in data["cases"]:
            for finding in case["findings"]:
                parts = FINDING.fullmatch(finding)
                assert parts["level"] == CHECKS[parts["code"]].level, finding


def test_fail_level_error_lets_warnings_pass(tmp_path):
    warned = next(case for case in DATA_FILES["L203"]["cases"] if case["findings"])
    exit_code, out, _ = check(build(tmp_path / "warned", warned["files"]), "--fail-level", "error")
    assert (exit_code, out.splitlines()) == (0, warned["findings"])
    broken = next(case for case in DATA_FILES["R103"]["cases"] if case["findings"])
    exit_code, out, _ = check(build(tmp_path / "broken", broken["files"]), "--fail-level", "error")
    assert (exit_code, out.splitlines()) == (1, broken["findings"])


def test_a_pack_with_no_rules_is_reported_at_its_folder(tmp_path):
    folder = build(tmp_path / "pack", {"rules.yaml": "rules: []\n"})
    result = CliRunner().invoke(main, ["check", str(folder)])
    assert result.stdout == f"{folder}: [error] R108 the pack has no rules: add a *.yaml file with a rules: list\n"
    assert result.exit_code == 1


@pytest.mark.parametrize("content, diagnostic", [
    (b"rules:\n  - id: r\n    message: {ja: \xff}\n", "rules.yaml:3:19: not valid UTF-8 (byte 0xff)"),
    (b"rules:\n  - id: [r\n", "rules.yaml:2:9: invalid YAML: "),
], ids=["not-utf-8", "yaml-syntax-error"])
def test_a_file_that_cannot_be_read_is_not_a_finding(tmp_path, content, diagnostic):
    """Exit 2, one `path:line:col: message` line on stderr (no level, no code) and nothing on stdout."""
    folder = make_pack(tmp_path / "pack", [])
    (folder / "rules.yaml").write_bytes(content)
    exit_code, out, err = check(folder)
    assert (exit_code, out) == (2, "")
    assert err.startswith(diagnostic) and err.count("\n") == 1


def test_a_folder_without_a_pack(tmp_path):
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"{tmp_path}: no rule pack here: no pack.yaml in this folder or in the folders in it\n"


@pytest.mark.parametrize("lang, message", [
    ("en", '[error] R108 id "testpack" is not the name of its folder "other": in a folder of packs a scenario\'s '
           "platform: names a pack by its folder, so no scenario can use this one; rename the folder or change the id"),
    ("ja", '[エラー] R108 id 「testpack」がフォルダー名「other」と違います。パックを並べたフォルダーでは、シナリオの '
           "platform: はフォルダー名でパックを指すため、このパックを使えるシナリオはありません。フォルダー名か id を直してください"),
])
def test_a_pack_in_a_folder_of_packs_whose_folder_is_not_its_id(tmp_path, lang, message):
    """In a folder of packs, a scenario's platform: finds a pack by its folder's name and refuses one whose id
    differs: such a pack can never run, so checking the folder of packs reports it at pack.yaml's id."""
    packs = tmp_path / "packs"
    build(packs / "testpack", {"rules.yaml": RULES})
    build(packs / "other", {"rules.yaml": RULES})
    assert check(packs, "--lang", lang) == (1, f"other/pack.yaml:1:5: {message}\n", "")
    assert check(packs / "other", "--lang", lang) == (0, "", "")  # one pack, checked alone, is named by its id
    scenario = tmp_path / "s.yaml"
    scenario.write_text("platform: other\nas_of: 2026-11-25\nfacts: {n: 1}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", "en", "--rules", str(packs), str(scenario)])
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", f'{scenario}:1:11: platform "other" does not match the rule pack in {packs / "other"} ("testpack")\n')


def test_the_bundled_pack_is_clean():
    result = CliRunner().invoke(main, ["check"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    bundled = Path(__file__).resolve().parents[1] / "rules"
    result = CliRunner().invoke(main, ["check", str(bundled / "crowdworks")])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_two_rules_setting_a_fact_differently_read_alike_in_japanese(tmp_path):
    case = next(case for case in DATA_FILES["L208"]["cases"] if case["findings"])
    exit_code, out, err = check(build(tmp_path / "pack", case["files"]), "--lang", "ja")
    assert (exit_code, err) == (1, "")
    assert out.splitlines() == [
        'rules.yaml:10:5: [警告] L208 ルール q は stage を「two」にしますが、ルール r（rules.yaml:2）は「one」にし、'
        "1つのシナリオで両方が発火しえます。そのシナリオのアドバイスはエラーで止まります。条件が互いに重ならないようにしてください"]


@pytest.mark.parametrize("lang, finding, refusal", [
    ("en", "rules.yaml:18:5: [warning] L208 rule p sets done to false, but rule q (rules.yaml:10) sets it to true, and "
           "both can fire for one scenario, rule q before stage is set and rule p after: its advice would stop with an "
           "error; make q test the facts that decide stage rather than stage, which is not set yet when q fires",
     "rule p ({rules}:18) sets done to false, but rule q ({rules}:10) set it to true before stage was set, and a fact "
     "keeps the first value set to it: make q test the facts that decide stage rather than stage (advise check "
     "reports such rules as L208)"),
    ("ja", "rules.yaml:18:5: [警告] L208 ルール p は done を false にしますが、ルール q（rules.yaml:10）は true にし、"
           "1つのシナリオで、stage が設定される前にルール q が、設定された後にルール p が発火しえます。そのシナリオの"
           "アドバイスはエラーで止まります。q が発火するときにはまだ設定されていないので、stage ではなく stage を"
           "決めるファクトを q の条件で調べてください",
     "ルール p（{rules}:18）は done を false にしますが、stage が設定される前にルール q（{rules}:10）が true にして"
     "おり、ファクトは最初に設定された値を保ちます。stage ではなく stage を決めるファクトを q の条件で調べてください"
     "（advise check はこのようなルールを L208 として報告します）"),
])
def test_a_rule_firing_before_a_fact_is_set_is_reported_and_refused(tmp_path, lang, finding, refusal):
    """q tests that stage is not set yet and p that it is one: their conditions exclude each other, but with
    n = 1 q fires in the first round beside r, which sets stage, and p in the second. advise check reports the
    pair, naming the rule that fires first; the scenario is refused, naming the fact q saw not set yet."""
    case = next(case for case in DATA_FILES["L208"]["cases"] if case["name"] == "fires-before-a-fact-is-set")
    folder = build(tmp_path / "pack", case["files"])
    assert check(folder, "--lang", lang) == (1, finding + "\n", "")
    scenario = tmp_path / "s.yaml"
    scenario.write_text("platform: testpack\nas_of: 2026-11-25\nfacts: {n: 1}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", lang, "--rules", str(folder), str(scenario)])
    expected = f"{scenario}: " + refusal.format(rules=folder / "rules.yaml") + "\n"
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", expected)
