"""Inputs at the edges that once crashed or misled: each must give a clear answer, never a traceback."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from click.testing import CliRunner
from packs import make_pack, rule

from advisor.cli import main

ROOT = Path(__file__).parent.parent


def run(*args: str, input: str | None = None):
    result = CliRunner().invoke(main, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> str:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return str(tmp_path / name)


def test_hidden_files_and_dangling_links_in_a_pack_folder_are_ignored(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "crowdworks", pack)
    (pack / ".#rules.yaml").symlink_to("user@host.1234:1700000000")  # an editor's lock file
    (pack / "._rules.yaml").write_bytes(b"\x00\x05\x16\x07")  # a macOS resource file
    scenario = write(tmp_path, "platform: crowdworks\nas_of: 2026-11-25\nfacts: {work_started: true}\n")
    code, out, _ = run("--lang", "en", "--rules", str(pack), scenario)
    assert code == 0 and out.splitlines()[3] == "1. Send the early-termination request"
    assert run("check", str(pack)) == (0, "", "")


def test_a_rule_file_with_an_upper_case_suffix_is_reported_not_ignored(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "crowdworks", pack)
    (pack / "Extra.YAML").write_text("rules: []\n", encoding="utf-8")
    code, out, _ = run("check", str(pack))
    assert (code, out) == (1, f"{pack / 'Extra.YAML'}: [error] R108 rule files end in .yaml; rename it to Extra.yaml\n")


def test_dates_beyond_the_calendar_are_refused_at_the_date_they_are_worked_out_from(tmp_path):
    """The date worked out would be after 9999-12-31: it was left unknown, and the advice went on without it
    ("ends automatically on (unknown)"); now the scenario's date is refused at its line (exit 2)."""
    scenario = write(tmp_path, "as_of: 9999-12-25\nparams: {auto_termination_days: 365}\n"
                               "facts: {work_started: true, request_sent_on: 9999-12-20}\n")
    assert run("--lang", "en", "--explain", scenario) == (2, "", (
        f"{scenario}: no platform: given, so crowdworks was assumed; rule packs: craudia, crowdworks, fiverr, lancers, "
        f"upwork\n{scenario}:3:46: request_sent_on: auto_termination_on, worked out from 9999-12-20, would be after "
        "9999-12-31, the last day advise can count to; no advice can be given for a date this late\n"))
    scenario = write(tmp_path, "as_of: 9999-12-31\nfacts: {request_sent_on: 9999-12-30}\n")
    assert run("--explain", scenario)[0] == 2


def test_check_handles_a_date_at_the_end_of_the_calendar(tmp_path):
    pack = make_pack(tmp_path, [rule("r", "{n: {param: limit}}"), rule("late", "{day: {lt: 9999-12-31}}", action="b")])
    (pack / "facts.yaml").write_text((pack / "facts.yaml").read_text(encoding="utf-8")
                                     + "  day: {type: date, description: {ja: 日, en: Day}}\n", encoding="utf-8")
    # a draft shows the facts no rule reads, so that the lints have nothing to report (L206)
    (pack / "drafts.yaml").write_text('drafts:\n  a:\n    body: {ja: "{flag} {color}", en: "{flag} {color}"}\n',
                                      encoding="utf-8")
    assert run("check", str(pack)) == (0, "", "")


def test_explain_survives_a_variant_where_two_rules_would_set_one_fact_differently(tmp_path):
    pack = make_pack(tmp_path / "pack", [
        rule("x", "{flag: true}").replace("  source: s\n", "  source: s\n  sets: {ended: true}\n"),
        rule("y", "{n: {gt: 5}}", action="b").replace("  source: s\n", "  source: s\n  sets: {ended: false}\n"),
        rule("uses-limit", "{n: {param: limit}}"),
    ])
    (pack / "facts.yaml").write_text((pack / "facts.yaml").read_text(encoding="utf-8")
                                     + "  ended: {type: bool, set_by_rules: true, description: {ja: 終, en: Ended}}\n",
                                     encoding="utf-8")
    scenario = write(tmp_path, "platform: testpack\nas_of: 2026-11-25\nfacts: {flag: true, n: 3}\n")
    code, out, err = run("--lang", "en", "--explain", "--rules", str(pack), scenario)
    assert (code, err) == (0, "") and "1. A" in out


def test_a_platform_name_is_not_a_path(tmp_path):
    for platform in ("schemas", "."):
        scenario = write(tmp_path, f'platform: "{platform}"\n')
        code, out, err = run(scenario)
        assert (code, out) == (2, "")
        assert err.startswith(f"{scenario}:1:11: ") and ("unknown platform" in err or "platform must be" in err), err


def test_rules_and_graph_use_the_one_pack_given_whatever_its_id(tmp_path):
    pack = make_pack(tmp_path / "p", [rule("r", "{n: {param: limit}}"), rule("s", "{flag: true}", action="b")])
    code, out, _ = run("rules", "--lang", "en", "--rules", str(pack))
    assert code == 0 and out.startswith("Test (testpack)")
    assert run("graph", "--rules", str(pack))[0] == 0


def test_a_byte_order_mark_before_piped_answers_is_not_part_of_the_first_answer():
    code, _, err = run("ask", "--lang", "en", "--platform", "crowdworks", "--as-of", "2026-11-25", input="\ufeff2\n")
    assert code == 0 and "> 2\n" in err and "Please type" not in err  # the conversation is on stderr


def test_an_alias_repeating_a_long_text_is_refused_quickly(tmp_path):
    aliases = ", ".join(["*x"] * 5000)
    scenario = write(tmp_path, f'title: &x "{"A" * 100_000}"\nexpect: {{actions: [{aliases}]}}\n')
    started = time.perf_counter()
    code, out, err = run(scenario)
    assert (code, out) == (2, "") and "document is too large" in err
    assert time.perf_counter() - started < 2
