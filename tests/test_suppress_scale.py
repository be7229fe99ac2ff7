"""Suppressions that name an action (`suppresses: [an_action]`) in large packs, and names too long to print in
a loop of suppressions (R114)."""
from __future__ import annotations

import textwrap
import time
from pathlib import Path

from click.testing import CliRunner
from packs import make_pack, rule

from advisor.cli import main

PER_FILE = 2000  # rules per file: a file holds at most 1 MiB (load.MAX_BYTES)


def _suppressing(rule_text: str, target: str) -> str:
    return rule_text.replace("  source: s\n", f"  source: s\n  suppresses: [{target}]\n")


def _action_pack(folder: Path, size: int, suppress: bool = True, targets: int = 0) -> Path:
    """`targets` (default `size`) rules recommending action a, then `size` rules recommending b that suppress a
    (or suppress nothing)."""
    rules = [rule(f"t{i}", "{n: {gt: 1}}") for i in range(targets or size)]
    rules += [_suppressing(rule(f"s{i}", "{n: {gt: 2}}", action="b"), "a") if suppress
              else rule(f"s{i}", "{n: {gt: 2}}", action="b") for i in range(size)]
    make_pack(folder, [])
    (folder / "rules.yaml").unlink()
    for first in range(0, len(rules), PER_FILE):
        (folder / f"rules-{first // PER_FILE:02d}.yaml").write_text(
            "rules:\n" + textwrap.indent("".join(rules[first:first + PER_FILE]), "  "), encoding="utf-8")
    return folder


def _check(folder: Path) -> tuple[list[str], int, float]:
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["--lang", "en", "check", str(folder)])
    return result.output.splitlines(), result.exit_code, time.perf_counter() - start


def test_thousands_of_rules_suppressing_an_action_of_thousands_are_refused_in_linear_time(tmp_path):
    # Each rule's `suppresses: [a]` was resolved to every rule of a before the limit on suppressed rules (R111)
    # was checked: 10,000 rules suppressing an action of 10,000 made 10^8 entries, 55 s and 1 GB. The limit is
    # now checked on the suppressed rules counted once per action. 5,000 + 5,000 rules are refused in about the
    # time the same rules take without suppresses: (each rule's list made it about 30 times as long); the least
    # of three runs against twice that keeps a busy machine from failing it.
    pack, plain = _action_pack(tmp_path / "pack", 5000), _action_pack(tmp_path / "plain", 5000, suppress=False)
    lines, code, _ = _check(pack)
    assert lines == [f"{pack}/rules-00.yaml:1731:5: [error] R111 the engine takes at most 253 values at once, and "
                     "this pack needs 5006: one per fact (3), one per rule that another rule suppresses (5000) and 3 "
                     "of advise's own; remove facts or suppresses:, or split the pack"]
    assert code == 1
    baseline = min(_check(plain)[2] for _ in range(3))
    assert min(_check(pack)[2] for _ in range(3)) < 2 * baseline


def test_thousands_of_rules_suppressing_an_action_within_the_limit_are_checked_in_linear_time(tmp_path):
    # Below R111's limit each rule's list holds the action's 240 rules: the search for loops (R114) went along
    # every pair, and the shadowing lint (L202) compared every suppressor with every rule of the action, 50 s
    # for 10,000 rules where the same rules without suppresses: took 3.5. The least of three runs against twice
    # the time without suppresses: keeps a busy machine from failing it.
    pack = _action_pack(tmp_path / "pack", 5000, targets=240)
    plain = _action_pack(tmp_path / "plain", 5000, suppress=False, targets=240)
    lines, code, _ = _check(pack)
    assert [line for line in lines if "[error]" in line or "L202" in line] == [] and code == 1  # warnings only
    baseline = min(_check(plain)[2] for _ in range(3))
    assert min(_check(pack)[2] for _ in range(3)) < 2 * baseline


def test_a_run_on_a_pack_suppressing_too_many_rules_through_an_action_is_refused_at_the_rule(tmp_path):
    pack = _action_pack(tmp_path / "pack", 300)
    scenario = tmp_path / "s.yaml"
    scenario.write_text("title: t\nplatform: testpack\nas_of: 2026-11-25\nfacts: {n: 5}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", "ja", "--rules", str(pack), str(scenario)])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"{pack}/rules-00.yaml:1731:5: エンジンが一度に受け取れる値は 253 個までですが、このパックには 306 個必要です"
        "（ファクトごとに1つで 3 個、ほかのルールが抑止するルールごとに1つで 300 個、advise 自身のもの 3 個）。"
        "ファクトか suppresses: を減らすか、パックを分けてください")


LONG = "r" * 3000


def test_a_name_longer_than_64_characters_is_refused_at_its_line_in_either_language(tmp_path):
    # A loop of suppressions through 64 rules with 3,000-character ids, each written at every rule, made 12.5 MB
    # of output; every message that names a rule, fact, action, parameter or source stays short when names do.
    pack = make_pack(tmp_path / "pack", [_suppressing(rule(LONG, "{n: {gt: 1}}"), "q"),
                                         _suppressing(rule("q", "{n: {gt: 2}}"), LONG)])
    with (pack / "facts.yaml").open("a", encoding="utf-8") as facts:
        facts.write(f"  {'f' * 65}: {{type: bool, description: {{ja: x, en: x}}}}\n")
    shown = "r" * 79 + "…"
    english = CliRunner().invoke(main, ["--lang", "en", "check", str(pack)])
    japanese = CliRunner().invoke(main, ["--lang", "ja", "check", str(pack)])
    assert english.output.splitlines() == [
        f'{pack}/facts.yaml:5:3: [error] S001 too long: 65 characters, at most 64; got "{"f" * 65}"',
        f'{pack}/rules.yaml:2:9: [error] S001 too long: 3000 characters, at most 64; got "{shown}"']
    assert japanese.output.splitlines()[1] == (
        f'{pack}/rules.yaml:2:9: [エラー] S001 長すぎます（3000 文字。64 文字まで）（指定値：「{shown}」）')
    assert english.exit_code == japanese.exit_code == 1


def _unknown_names(folder: Path, size: int) -> Path:
    """`size` rules t0, t1, ..., each suppressing a rule that does not exist, t0q, t1q, ..."""
    rules = [_suppressing(rule(f"t{i}", "{n: {gt: 1}}"), f"t{i}q") for i in range(size)]
    make_pack(folder, [])
    for first in range(0, len(rules), PER_FILE):
        (folder / f"rules-{first // PER_FILE:02d}.yaml").write_text(
            "rules:\n" + textwrap.indent("".join(rules[first:first + PER_FILE]), "  "), encoding="utf-8")
    (folder / "rules.yaml").unlink()
    return folder


def test_thousands_of_unknown_names_in_suppresses_are_reported_in_linear_time(tmp_path):
    # Each unknown name was compared with every rule id for a "did you mean": 4,000 took 23 s. The first 64 get
    # one. Eight times the rules: linear work about 8 times as long, square work 64 times (least of three runs).
    small, large = _unknown_names(tmp_path / "small", 500), _unknown_names(tmp_path / "large", 4000)
    lines, code, _ = _check(large)
    assert len(lines) == 4000 and code == 1
    assert lines[63] == (f'{large}/rules-00.yaml:513:18: [error] R108 suppresses: "t63q" is neither a rule id nor '
                         'an action id (did you mean "t63"?)')
    assert lines[64] == (f'{large}/rules-00.yaml:521:18: [error] R108 suppresses: "t64q" is neither a rule id nor '
                         'an action id')
    once = min(_check(small)[2] for _ in range(3))
    assert min(_check(large)[2] for _ in range(3)) < 16 * once
