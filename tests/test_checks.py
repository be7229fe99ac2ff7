"""`advise check`: every check of advisor/check.py against its cases in tests/data/check/<CODE>.yaml.

Each case writes its files over the small test pack of tests/packs.py (built with no rules, so every case
writes its own rules.yaml; its drafts.yaml shows every fact, so that only the cases of L206 unused-fact
have a fact that nothing reads) and lists exactly the findings `advise check` prints, with the pack
folder's path (and the "/" after it) left out. A file holds at least one failing case, whose findings
include the file's code, and one passing case (`findings: []`); the first failing case and the first
passing case differ only in the mistake, and are the pass/fail example of docs/checks.md.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from advisor.check import CHECKS
from advisor.cli import main
from packs import make_pack

DATA = Path(__file__).parent / "data" / "check"
FILES = sorted(DATA.glob("*.yaml"))
FINDING = re.compile(r"(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): \[(?P<level>error|warning)\] "
                     r"(?P<code>[SRL]\d{3}) (?P<message>.+)")
NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


DATA_FILES = {path.stem: _load(path) for path in FILES}
CASES = [pytest.param(case, id=f"{data['code']}-{case['name']}")
         for data in DATA_FILES.values() for case in data["cases"]]


# The draft of action a shows every fact of the test pack (docs/checks.md "About the examples").
DRAFTS = """\
drafts:
  a:
    body: {ja: "{n} {flag} {color}", en: "{n} {flag} {color}"}
"""


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
    assert result.stdout == f"{folder}:1:1: [error] R108 the pack has no rules: add a *.yaml file with a rules: list\n"
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
    assert result.stderr == f"{tmp_path}:1:1: no rule pack here: no pack.yaml in this folder or in the folders in it\n"


def test_the_bundled_pack_is_clean():
    result = CliRunner().invoke(main, ["check"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    bundled = Path(__file__).resolve().parents[1] / "rules"
    result = CliRunner().invoke(main, ["check", str(bundled / "crowdworks")])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
