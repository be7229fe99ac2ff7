"""Work in proportion to the input: conditions whose expansion would explode, and large generated packs.

Times are compared between two sizes of the same generated pack (tests/scale_packs.py) rather than against a
fixed number, so a slow or busy machine does not fail them: work that grows with the square of the number of
rules makes the larger pack take many times longer than in proportion. benchmarks/scale.py prints the times.
"""
from __future__ import annotations

import time
from pathlib import Path

from click.testing import CliRunner
from packs import make_pack, rule
from scale_packs import write_pack

from advisor.check import check_packs
from advisor.cli import main


def _group(first: int, width: int) -> str:
    return "{all: [" + ", ".join(f"{{n: {{ne: {value}}}}}" for value in range(first, first + width)) + "]}"


def _wide(groups: int, width: int) -> str:
    """any of `groups` groups, each all of `width` tests: its negation expands to width ** groups alternatives."""
    return "{any: [" + ", ".join(_group(width * index, width) for index in range(groups)) + "]}"


def _suppressing(rule_text: str, target: str) -> str:
    return rule_text.replace("  source: s\n", f"  source: s\n  suppresses: [{target}]\n")


def _check(folder: Path) -> tuple[list[str], float]:
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["--lang", "en", "check", str(folder)])
    return result.output.splitlines(), time.perf_counter() - start


def test_a_negated_condition_that_would_expand_to_billions_is_refused_at_its_rule(tmp_path):
    folder = make_pack(tmp_path / "pack", [rule("p", "{not: " + _wide(8, 8) + "}")])
    lines, seconds = _check(folder)
    assert lines == [f"{folder}/rules.yaml:2:5: [error] R109 rule p: its condition expands to 4294967296 alternatives "
                     "(any, in, not); at most 47 fit the engine: split it into several rules"]
    assert seconds < 5  # counted, never expanded: it took 19 s and 2.3 GB when expanded first


def test_shadowing_by_a_suppressor_whose_negation_expands_to_thousands_is_decided_within_a_bound(tmp_path):
    # The suppressor's negation has 2 ** 12 = 4096 alternatives and the rule it suppresses 47: comparing every
    # pair took 14 s for this 1 KB file. The pairs are counted first; too many, and no finding is made.
    folder = make_pack(tmp_path / "pack", [
        _suppressing(rule("p", _wide(12, 2)), "q"),
        rule("q", "{any: [" + ", ".join(f"{{n: {value}}}" for value in range(47)) + "]}", "b")])
    lines, seconds = _check(folder)
    assert lines == [f"{folder}/facts.yaml:3:3: [warning] L206 fact flag is read by no rule, text, draft or derived fact",
                     f"{folder}/facts.yaml:4:3: [warning] L206 fact color is read by no rule, text, draft or derived fact",
                     f"{folder}/parameters.yaml:2:3: [warning] L204 parameter limit is used by no rule, text or "
                     "derived fact"]
    assert seconds < 5


def test_a_small_shadowed_rule_is_still_found(tmp_path):
    folder = make_pack(tmp_path / "pack", [_suppressing(rule("p", "{n: {gt: 1}}"), "q"), rule("q", "{n: 5}", "b")])
    lines, _ = _check(folder)
    assert (f"{folder}/rules.yaml:10:5: [warning] L202 rule q is never shown: whenever it fires, rule p fires too "
            "and suppresses it") in lines


def _setting(folder: Path, by_turns: bool) -> Path:
    """4,000 rules, each for one value of n, setting done: to true and false by turns, or all to true."""
    setting = [rule(f"r{i}", f"{{n: {i}}}").replace(
        "  source: s\n", f"  source: s\n  sets: {{done: {i % 2 == 0 or not by_turns}}}\n") for i in range(4000)]
    folder = make_pack(folder, setting)
    with (folder / "facts.yaml").open("a", encoding="utf-8") as facts:
        facts.write("  done: {type: bool, set_by_rules: true, description: {ja: 済み, en: Done}}\n")
    return folder


def test_rules_setting_one_fact_by_turns_are_compared_within_a_bound(tmp_path):
    # No two of the rules can fire together, and comparing every pair of them took 15 s, ten times the same
    # rules setting one value (a 10,000-rule pack: minutes). L208 compares at most 65,536 pairs: measured, less
    # than twice. The least of three runs of each, so a busy machine does not fail it.
    by_turns, alike = _setting(tmp_path / "turns", True), _setting(tmp_path / "alike", False)
    lines, _ = _check(by_turns)
    assert [line for line in lines if "L208" in line] == []
    _seconds(alike)  # warm: imports and caches
    assert min(_seconds(by_turns) for _ in range(3)) < 4 * min(_seconds(alike) for _ in range(3))


def _seconds(folder: Path) -> float:
    start = time.perf_counter()
    check_packs(folder)
    return time.perf_counter() - start


def test_checking_a_pack_takes_time_in_proportion_to_its_rules(tmp_path):
    # Loading resolved each rule's suppressions against a table of every rule built anew, and the shadowing
    # lint scanned every rule for each rule's suppressors: four times the rules took about ten times as long.
    # Here eight times the rules: linear work takes about 8.5 times as long, square work 64 times. The least of
    # three runs of each size, against a bound of twice linear, keeps a busy machine from failing it (one slow
    # run of a large pack once took 7 times the small one's best where linear was 4.2).
    small, large = write_pack(tmp_path / "small", 400), write_pack(tmp_path / "large", 3200)
    _seconds(small)  # warm: imports and caches
    once = min(_seconds(small) for _ in range(3))
    assert min(_seconds(large) for _ in range(3)) < 16 * once


def test_a_mistake_deep_in_a_large_pack_is_reported_at_its_line_in_either_language(tmp_path):
    # Positions are not copied out while a file is read but looked up when a mistake needs one (load._Marks),
    # and the schema is checked by a fast test before any message is made (schema._accepts): a mistake near the
    # end of a 2,000-rule file is still at its line and column, with the rule before it dropped from the list.
    folder = write_pack(tmp_path / "pack", 2000)
    path = folder / "rules-00.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    late, later = lines.index("  - id: rule-1990"), lines.index("  - id: rule-1995")
    action = lines[late + 1].replace("    action: a", "b")
    lines[late + 1] = f"    action: {action}"
    lines[later + 2] = "    priority: 0"
    path.write_text("\n".join(lines), encoding="utf-8")
    english = CliRunner().invoke(main, ["--lang", "en", "check", str(folder)])
    japanese = CliRunner().invoke(main, ["--lang", "ja", "check", str(folder)])
    assert english.output.splitlines() == [
        f"{path}:{late + 2}:13: [error] R103 unknown action \"{action}\"; declare it under actions: in pack.yaml",
        f"{path}:{later + 3}:15: [error] S001 priority must be a whole number from 1 (first) to 1000 (last); got 0"]
    assert japanese.output.splitlines()[0] == (
        f"{path}:{late + 2}:13: [エラー] R103 不明なアクション「{action}」です。pack.yaml の actions: に宣言してください")
    assert english.exit_code == japanese.exit_code == 1


def _ring(folder: Path, size: int) -> Path:
    """Rules r0, r1, ... each suppressing the next, the last suppressing r0: one loop through them all."""
    return make_pack(folder, [_suppressing(rule(f"r{i}", "{n: {gt: 1}}"), f"r{(i + 1) % size}") for i in range(size)])


def test_a_loop_of_suppresses_through_thousands_of_rules_is_reported_in_proportion_to_them(tmp_path):
    # Each rule's shortest loop, written in full, made 4,000 rules in a ring take 11 s and print 156 MB: in a
    # loop of more than 64 rules, each rule's loop is written with its first and last steps. Eight times the
    # rules: linear work about 8 times as long, square work 64 times (least of three runs, bound twice linear).
    small, large = _ring(tmp_path / "small", 500), _ring(tmp_path / "large", 4000)
    lines, _ = _check(large)
    # Every rule of the ring is suppressed: past R111's limit, reported with the loops as the rules are read.
    assert len(lines) == 4001 and max(len(line) for line in lines) < len(str(large)) + 300
    assert [line.split(" R111 ")[0] for line in lines if " R111 " in line] == [f"{large}/rules.yaml:1978:5: [error]"]
    assert lines[-1] == (f"{large}/rules.yaml:31994:5: [error] R114 the rule is on a loop of suppresses: r3999 → r0 → "
                         "… → r3998 → r3999; when these rules all apply, each hides the next and none is shown: keep "
                         "only the suppresses: of the rule to show first, and order the others with priority")
    once = min(_check(small)[1] for _ in range(3))
    assert min(_check(large)[1] for _ in range(3)) < 16 * once


def _sets_ring(folder: Path, size: int) -> Path:
    """Rules r0, r1, ... each testing fact f_i and setting the next fact, the last setting f0: one loop of sets:
    through them all."""
    folder = make_pack(folder, [rule(f"r{i}", f"{{f{i}: true}}").replace(
        "  source: s\n", f"  source: s\n  sets: {{f{(i + 1) % size}: true}}\n") for i in range(size)])
    with (folder / "facts.yaml").open("a", encoding="utf-8") as facts:
        facts.writelines(f"  f{i}: {{type: bool, set_by_rules: true, description: {{ja: 済み, en: Done}}}}\n"
                         for i in range(size))
    return folder


def test_a_loop_of_sets_through_thousands_of_rules_is_reported_in_proportion_to_them(tmp_path):
    # One breadth-first search per rule, each loop written in full, made 4,000 rules in a ring take 71 s and
    # print 248 MB: as for suppresses: (R114), a loop through more than 64 rules is written with its first and
    # last steps. Eight times the rules: linear work about 8 times as long, square work 64 times.
    small, large = _sets_ring(tmp_path / "small", 500), _sets_ring(tmp_path / "large", 4000)
    lines, _ = _check(large)
    assert len(lines) == 4000 and all(" R112 " in line for line in lines)
    assert max(len(line) for line in lines) < len(str(large)) + 300
    assert lines[-1] == (f"{large}/rules.yaml:31994:5: [error] R112 the rule depends on a fact it sets: r3999 → f0 → "
                         "r0 → … → r3998 → f3999 → r3999; whether it fires would depend on whether it has fired: "
                         "test the facts the chain starts from instead")
    once = min(_check(small)[1] for _ in range(3))
    assert min(_check(large)[1] for _ in range(3)) < 16 * once


def _shared_inputs(folder: Path, depth: int) -> Path:
    """Derived facts x1, y1, ... x`depth`, y`depth`, each worked out from the two before it (x_k = x_(k-1) −
    y_(k-1), y_k = y_(k-1) − x_k): the k-th reaches n by 2^k ways; rule p tests the last one. With n: 0 in the
    scenario every one is 0 (from 1 they grow past the range of any value)."""
    last = f"x{depth}"
    folder = make_pack(folder, [rule("p", f"{{{last}: {{gt: 0}}}}"), rule("q", f"{{{last}: {{lte: 0}}}}", "b")])
    lines, before = [], ("n", "n")
    for k in range(1, depth + 1):
        lines += [f"  x{k}: {{type: int, derive: {{difference: [{before[0]}, {before[1]}]}}, "
                  "description: {ja: x, en: x}}\n",
                  f"  y{k}: {{type: int, derive: {{difference: [{before[1]}, x{k}]}}, description: {{ja: y, en: y}}}}\n"]
        before = (f"x{k}", f"y{k}")
    with (folder / "facts.yaml").open("a", encoding="utf-8") as facts:
        facts.writelines(lines)
    (folder.parent / "s.yaml").write_text("platform: testpack\nas_of: 2026-11-01\nfacts: {n: 0}\n", encoding="utf-8")
    (folder.parent / "answers.yaml").write_text("platform: testpack\nfacts: {color: red}\n", encoding="utf-8")
    return folder


def _check_advise_ask(folder: Path) -> tuple[list[str], float]:
    """advise check, advise --explain and advise ask --answers on the pack: what --explain printed, and the time."""
    start = time.perf_counter()
    CliRunner().invoke(main, ["--lang", "en", "check", str(folder)])
    advice = CliRunner().invoke(main, ["--lang", "en", "--rules", str(folder), "--explain", str(folder.parent / "s.yaml")])
    asked = CliRunner().invoke(main, ["--lang", "en", "--rules", str(folder), "ask", "--answers",
                                      str(folder.parent / "answers.yaml")])
    assert (advice.exit_code, asked.exit_code) == (0, 0), (advice.output, asked.output)
    return advice.stdout.splitlines(), time.perf_counter() - start


def test_derived_facts_sharing_inputs_are_worked_out_in_proportion_to_them(tmp_path):
    # Each fact's inputs were walked anew through every way down: 34 such derived facts took 29 s to load and 38
    # never ended. Forty levels against ten: about as long (the commands' start-up), exponential work forever.
    shallow, deep = _shared_inputs(tmp_path / "10" / "testpack", 10), _shared_inputs(tmp_path / "40" / "testpack", 40)
    lines, _ = _check_advise_ask(deep)
    assert "   Computed: x1 = 0 − 0 = 0" in lines
    once = min(_check_advise_ask(shallow)[1] for _ in range(3))
    assert min(_check_advise_ask(deep)[1] for _ in range(3)) < 4 * once


def _ask(folder: Path, lang: str = "en") -> tuple[str, float]:
    """advise ask on a generated pack with the answers file f0: 5, without a terminal: the scenario written (its
    standard output), and the time."""
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["ask", "--lang", lang, "--rules", str(folder), "--as-of", "2026-11-25",
                                       "--answers", str(folder.parent / "answers.yaml")])
    assert result.exit_code == 0, result.output
    return result.stdout, time.perf_counter() - start


def test_asking_on_a_pack_takes_time_in_proportion_to_its_rules(tmp_path):
    # Each question evaluated every rule, and each rule testing a fact set by rules scanned every rule for those
    # setting it and walked their conditions anew: 4,000 rules took 92 s, 93 times 500 rules. Each question now
    # looks only at the rules that read it (through derived facts and the rules setting a fact), a fact set by
    # rules is worked out once per question, and its setters come from an index built once per pack. Eight times
    # the rules: measured about 12 times as long (a larger generated pack has more setters per fact), square work
    # 64 times; bound 24.
    (tmp_path / "answers.yaml").write_text("f0: 5\n", encoding="utf-8")
    small, large = write_pack(tmp_path / "small", 500), write_pack(tmp_path / "large", 4000)
    for lang, comment, unknown in (
            ("en", "Written by advise ask. Run advise on this file to see the advice again, or edit it to try other "
                   "answers.", "unknown"),
            ("ja", "advise ask で作成しました。advise でこのファイルを開くと同じ助言が表示されます。回答を書き換えて"
                   "試すこともできます。", "不明")):
        # Every fact is tested by some rule that can still fire: each is asked, and left unknown.
        assert _ask(small, lang)[0].splitlines() == [
            f"# {comment}", "platform: scalepack", "as_of: 2026-11-25", "facts:", "  f0: 5",
            *(f"  f{index}:  # {unknown}" for index in range(1, 120))]
    once = min(_ask(small)[1] for _ in range(3))
    assert min(_ask(large)[1] for _ in range(3)) < 24 * once
