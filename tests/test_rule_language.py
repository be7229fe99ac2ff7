"""Rule-language features as an author uses them: parameter values, disputed notes, derived facts."""
from __future__ import annotations

import datetime as dt
import json
import textwrap

import pytest
from click.testing import CliRunner
from packs import FACTS, make_pack, rule

from advisor.cli import main
from advisor.diagnostics import InputError
from advisor.load import parse
from advisor.messages import located, rendered
from advisor.pipeline import advise_document

AS_OF = dt.date(2026, 11, 25)


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def advice(pack, facts: str):
    doc = parse(f"platform: testpack\nas_of: {AS_OF}\nfacts: {facts}\n".encode(), "scenario.yaml")
    return advise_document(doc, pack, AS_OF)


def notes(pack, facts: str) -> dict[str, list[str]]:
    return {r.rule.id: [n.en for n in r.notes] for r in advice(pack, facts).recommendations}


def test_a_parameter_without_an_operator_means_equality(tmp_path):
    pack = make_pack(tmp_path, [rule("at-limit", "{n: {param: limit}}")])
    assert list(notes(pack, "{n: 14}")) == ["at-limit"]
    assert list(notes(pack, "{n: 13}")) == []


def test_disputed_note_follows_the_parameter_wherever_the_advice_depends_on_it(tmp_path):
    facts = FACTS + textwrap.indent(textwrap.dedent("""\
      since:
        type: date
        description: {ja: 日付, en: Date}
      deadline:
        type: date
        derive: {add_days: [since, limit]}
        description: {ja: 期限, en: Deadline}
      days_left:
        type: int
        derive: {days_until: deadline}
        description: {ja: 残り, en: Days left}
    """), "  ")
    pack = make_pack(tmp_path, [
        rule("compares-parameter", "{n: {lt: {param: limit}}}"),
        rule("tests-derived-fact", "{days_left: {lt: 20}}"),
        rule("under-not", "{not: {n: {gte: {param: limit}}}}"),
        rule("under-two-nots", "{not: {not: {n: {lt: {param: limit}}}}}"),
        rule("unrelated", "{flag: false}"),
    ])
    (pack / "facts.yaml").write_text(facts, encoding="utf-8")
    assert notes(pack, "{n: 3, since: 2026-11-20}") == {
        "compares-parameter": ["Disputed"], "tests-derived-fact": ["Disputed"], "under-not": [],
        "under-two-nots": ["Disputed"], "unrelated": []}


def test_a_parameter_note_is_shown_like_a_dispute_but_the_parameter_is_not_marked_disputed(tmp_path):
    pack = make_pack(tmp_path, [rule("uses-both", "{n: {lt: {param: limit}}}"),
                                rule("uses-wait", "{n: {gt: {param: wait}}}", action="b")])
    with open(pack / "parameters.yaml", "a", encoding="utf-8") as handle:
        handle.write("  wait: {value: 7, description: {ja: 待つ日数, en: Days to wait}, source: s,\n"
                     "         note: {ja: パックが選んだ値, en: Chosen by the pack}}\n")
    assert notes(pack, "{n: 10}") == {"uses-both": ["Disputed"], "uses-wait": ["Chosen by the pack"]}
    assert [r.notes[0].ja for r in advice(pack, "{n: 10}").recommendations] == ["異説あり", "パックが選んだ値"]
    code, out, _ = invoke("rules", "--rules", str(pack), "--lang", "en")
    assert code == 0 and [line.split("|")[3].strip() for line in out.splitlines() if line.startswith("| limit")
                          or line.startswith("| wait")] == ["disputed", ""]


def test_as_of_may_be_a_derive_argument(tmp_path):
    pack = make_pack(tmp_path, [rule("soon", "{in_a_month: {present: true}}")])
    (pack / "facts.yaml").write_text(FACTS + "  in_a_month:\n    type: date\n    derive: {add_days: [as_of, limit]}\n"
                                     "    description: {ja: 期限, en: Deadline}\n", encoding="utf-8")
    result = advice(pack, "{}")
    assert result.facts["in_a_month"] == AS_OF + dt.timedelta(days=14)


@pytest.mark.parametrize("name", ["all", "any", "not", "as_of"])
def test_words_of_the_language_cannot_name_a_fact(tmp_path, name):
    pack = make_pack(tmp_path, [rule("r", "{flag: false}")])
    (pack / "facts.yaml").write_text(FACTS + f"  {name}: {{type: bool, description: {{ja: x, en: x}}}}\n",
                                     encoding="utf-8")
    with pytest.raises(InputError) as error:
        advice(pack, "{}")
    assert [located(d, "en") for d in error.value.diagnostics] == [
        f'{pack / "facts.yaml"}:5:3: a fact name must be snake_case and not one of all, any, not, as_of; got "{name}"']


def test_a_yml_rule_file_is_not_ignored_silently(tmp_path):
    pack = make_pack(tmp_path, [rule("r", "{flag: false}")])
    (pack / "more.yml").write_text("rules: []\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        advice(pack, "{}")
    assert [located(d, "en") for d in error.value.diagnostics] == [
        f"{pack / 'more.yml'}: rule files end in .yaml; rename it to more.yaml"]


def test_japanese_folded_lines_join_without_a_space_even_before_a_placeholder(tmp_path):
    text = "rules:\n" + textwrap.indent(textwrap.dedent("""\
      - id: r
        action: a
        priority: 1
        when: {flag: false}
        message:
          ja: >-
            事務局が
            {limit}営業日以内に確認します。
          en: >-
            Support reviews it within
            {limit} business days.
        because: {ja: なぜ, en: why}
        source: s
    """), "  ")
    pack = make_pack(tmp_path, [])
    (pack / "rules.yaml").write_text(text, encoding="utf-8")
    (recommendation,) = advice(pack, "{}").recommendations
    assert (recommendation.message.ja, recommendation.message.en) == (
        "事務局が14営業日以内に確認します。", "Support reviews it within 14 business days.")


def chained_pack(tmp_path, rules: list[str]):
    pack = make_pack(tmp_path, rules)
    (pack / "facts.yaml").write_text(FACTS + textwrap.indent(textwrap.dedent("""\
      stage:
        type: enum
        values: [one, two]
        set_by_rules: true
        description: {ja: 段階, en: Stage}
      done:
        type: bool
        set_by_rules: true
        description: {ja: 完了, en: Done}
    """), "  "), encoding="utf-8")
    return pack


def with_sets(text: str, sets: str) -> str:
    return text.replace("  source: s\n", f"  source: s\n  sets: {sets}\n")


def with_key(text: str, key: str, value: str) -> str:
    return text.replace("  source: s\n", f"  source: s\n  {key}: {value}\n")


def test_rules_chain_through_facts_that_other_rules_set(tmp_path):
    # first sets stage: one -> second sees it and sets done -> third sees done; first-only stops once done.
    pack = chained_pack(tmp_path, [
        with_sets(rule("first", "{n: {gt: 0}}"), "{stage: one}"),
        with_sets(rule("second", "{stage: one}"), "{done: true}"),
        rule("third", "{done: true}"),
        rule("before-done", "{not: {done: true}}"),
    ])
    result = advice(pack, "{n: 1}")
    assert [r.rule.id for r in result.recommendations] == ["first", "second", "third"]
    assert (result.facts["stage"], result.facts["done"]) == ("one", True)


def test_a_rule_that_stops_applying_once_a_fact_is_set_stops_hiding_what_it_suppressed(tmp_path):
    # until-done applies while done is unset and hides concluding, which sets done: in the next round until-done
    # no longer applies, so concluding is shown. A mark kept from the first round hid both ("no rule matched").
    pack = chained_pack(tmp_path, [with_key(rule("until-done", "{done: {present: false}}"), "suppresses", "[concluding]"),
                                   with_sets(rule("concluding", "{n: {gt: 0}}", "b"), "{done: true}")])
    result = advice(pack, "{n: 1}")
    assert ([r.rule.id for r in result.recommendations], result.facts["done"]) == (["concluding"], True)


def test_a_rule_that_applies_once_a_fact_is_set_replaces_the_rule_that_set_it(tmp_path):
    # concluding sets done; after-done applies from then on and hides concluding, whose fact stays set.
    pack = chained_pack(tmp_path, [with_key(rule("after-done", "{done: true}"), "suppresses", "[concluding]"),
                                   with_sets(rule("concluding", "{n: {gt: 0}}", "b"), "{done: true}")])
    result = advice(pack, "{n: 1}")
    assert ([r.rule.id for r in result.recommendations], result.facts["done"]) == (["after-done"], True)


def conflicting_pack(tmp_path):
    """Rule one sets stage to one when n = 1; rule two sets it to two when flag is false (its default)."""
    return chained_pack(tmp_path / "pack", [with_sets(rule("one", "{n: 1}"), "{stage: one}"),
                                            with_sets(rule("two", "{flag: false}"), "{stage: two}")])


@pytest.mark.parametrize("lang, message", [
    ("en", 'rule two ({rules}:10) sets stage to "two", but rule one ({rules}:2) sets it to "one", and both fire '
           "for this scenario: make their conditions exclude each other (advise check reports such rules as L208)"),
    ("ja", "ルール two（{rules}:10）は stage を「two」にしますが、ルール one（{rules}:2）は「one」にし、"
           "このシナリオでは両方が発火します。条件が互いに重ならないようにしてください"
           "（advise check はこのようなルールを L208 として報告します）"),
])
def test_two_rules_setting_a_fact_to_different_values_is_an_error_at_the_scenario(tmp_path, lang, message):
    pack = conflicting_pack(tmp_path)
    scenario = tmp_path / "both.yaml"
    scenario.write_text(f"platform: testpack\nas_of: {AS_OF}\nfacts: {{n: 1}}\n", encoding="utf-8")
    expected = f"{scenario}: " + message.format(rules=pack / "rules.yaml") + "\n"
    assert invoke("--lang", lang, "--rules", str(pack), str(scenario)) == (2, "", expected)
    assert invoke("--lang", lang, "--rules", str(pack), "--format", "json", str(scenario)) == (2, "", expected)
    assert invoke("--lang", lang, "--rules", str(pack), "--explain", str(scenario)) == (2, "", expected)


@pytest.mark.parametrize("lang, lines", [
    ("en", ["FAIL {both}",
            '     rule two ({rules}:10) sets stage to "two", but rule one ({rules}:2) sets it to "one", and both fire '
            "for this scenario: make their conditions exclude each other (advise check reports such rules as L208)",
            "PASS {two}  only two",
            "Rules that no scenario's advice came from:",
            "  {rules}:2:5  one",  # its advice was given for no scenario: the one where it fires failed
            "1 passed, 1 failed"]),
    ("ja", ["不合格 {both}",
            "     ルール two（{rules}:10）は stage を「two」にしますが、ルール one（{rules}:2）は「one」にし、"
            "このシナリオでは両方が発火します。条件が互いに重ならないようにしてください"
            "（advise check はこのようなルールを L208 として報告します）",
            "合格 {two}  only two",
            "どのシナリオでも使われなかったルール：",
            "  {rules}:2:5  one",
            "合格 1 件、不合格 1 件"]),
])
def test_advise_test_fails_a_scenario_where_two_rules_set_a_fact_differently_and_goes_on(tmp_path, lang, lines):
    pack = conflicting_pack(tmp_path)
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "both.yaml").write_text(f"platform: testpack\nas_of: {AS_OF}\nfacts: {{n: 1}}\n", encoding="utf-8")
    (folder / "two.yaml").write_text(f"title: only two\nplatform: testpack\nas_of: {AS_OF}\nfacts: {{n: 2}}\n"
                                     "expect: {actions: [a]}\n", encoding="utf-8")
    names = {"both": folder / "both.yaml", "two": folder / "two.yaml", "rules": pack / "rules.yaml"}
    code, out, err = invoke("test", "--lang", lang, "--rules", str(pack), str(folder))
    assert (code, err) == (1, "")  # a failed scenario, as an unmet expect:; the others still run and are shown
    assert out.splitlines() == [line.format(**names) for line in lines]
    code, out, _ = invoke("test", "--lang", lang, "--format", "json", "--rules", str(pack), str(folder))
    data = json.loads(out)
    assert (code, data["passed"], data["failed"], data["errors"]) == (1, 1, 1, [])
    assert data["results"][0]["problems"] == [lines[1].strip().format(**names)]


def test_a_fact_set_by_rules_cannot_be_given_by_a_scenario(tmp_path):
    pack = chained_pack(tmp_path, [rule("r", "{flag: false}")])
    with pytest.raises(InputError) as error:
        advice(pack, "{done: true}")
    assert [located(d, "en") for d in error.value.diagnostics] == ["scenario.yaml:3:9: done is set by the rules; remove it"]


def test_sets_names_only_facts_declared_settable(tmp_path):
    pack = chained_pack(tmp_path, [with_sets(rule("r", "{flag: false}"), "{n: 3}")])
    with pytest.raises(InputError) as error:
        advice(pack, "{}")
    assert [located(d, "en") for d in error.value.diagnostics] == [
        f'{pack / "rules.yaml"}:9:12: sets: "n" is not a fact declared with set_by_rules: true']


@pytest.mark.parametrize("target", ["general", "a"])
def test_a_rule_suppresses_another_by_rule_id_or_by_action(tmp_path, target):
    pack = make_pack(tmp_path, [rule("general", "{flag: false}"),
                                with_key(rule("special", "{n: 5}", action="b"), "suppresses", f"[{target}]")])
    assert [r.rule.id for r in advice(pack, "{n: 5}").recommendations] == ["special"]
    assert [r.rule.id for r in advice(pack, "{n: 4}").recommendations] == ["general"]


def test_suppressing_an_unknown_name_or_itself_is_an_error(tmp_path):
    pack = make_pack(tmp_path, [with_key(rule("one", "{flag: false}"), "suppresses", "[onee, one]")])
    with pytest.raises(InputError) as error:
        advice(pack, "{}")
    assert [located(d, "en") for d in error.value.diagnostics] == [
        f'{pack / "rules.yaml"}:9:18: suppresses: "onee" is neither a rule id nor an action id (did you mean "one"?)',
        f'{pack / "rules.yaml"}:9:24: suppresses: a rule cannot suppress itself (one)']


SUPPRESS_LOOP = {
    "en": ("the rule is on a loop of suppresses: {loop}; when these rules all apply, each hides the next and none "
           "is shown: keep only the suppresses: of the rule to show first, and order the others with priority"),
    "ja": ("このルールは suppresses: の輪の中にあります：{loop}。これらのルールが同時に当てはまると、互いに抑止し合って"
           "どれも表示されません。先に表示したいルールの suppresses: だけを残し、ほかの順番は priority で決めてください"),
}


@pytest.mark.parametrize("lang, error", [("en", "error"), ("ja", "エラー")])
def test_rules_that_suppress_each_other_are_refused_at_each_rule(tmp_path, lang, error):
    """p and q suppress each other: for n = 5 both apply, and neither would be shown ("no rule matched")."""
    pack = make_pack(tmp_path / "pack", [with_key(rule("p", "{n: {gt: 1}}"), "suppresses", "[q]"),
                                         with_key(rule("q", "{n: {gt: 2}}", action="b"), "suppresses", "[p]")])
    scenario = tmp_path / "s.yaml"
    scenario.write_text("platform: testpack\nas_of: 2026-11-01\nfacts: {n: 5}\n", encoding="utf-8")
    at = [(f"{pack / 'rules.yaml'}:2:5", "p → q → p"), (f"{pack / 'rules.yaml'}:10:5", "q → p → q")]
    assert invoke("--lang", lang, "--rules", str(pack), str(scenario)) == (
        2, "", "".join(f"{where}: {SUPPRESS_LOOP[lang].format(loop=loop)}\n" for where, loop in at))
    assert invoke("--lang", lang, "check", str(pack)) == (
        1, "".join(f"{where}: [{error}] R114 {SUPPRESS_LOOP[lang].format(loop=loop)}\n" for where, loop in at), "")


def test_a_loop_of_suppresses_through_three_rules_is_refused_at_each(tmp_path):
    pack = make_pack(tmp_path, [with_key(rule("p", "{n: {gt: 1}}"), "suppresses", "[q]"),
                                with_key(rule("q", "{n: {gt: 2}}", action="b"), "suppresses", "[r]"),
                                with_key(rule("r", "{n: {gt: 3}}"), "suppresses", "[p]")])
    with pytest.raises(InputError) as error:
        advice(pack, "{n: 5}")
    assert [located(d, "en") for d in error.value.diagnostics] == [
        f'{pack / "rules.yaml"}:{line}:5: {SUPPRESS_LOOP["en"].format(loop=loop)}'
        for line, loop in [(2, "p → q → r → p"), (10, "q → r → p → q"), (18, "r → p → q → r")]]


def test_a_loop_of_more_than_64_rules_is_written_with_its_first_and_last_steps(tmp_path):
    """70 rules r0 → r1 → ... → r69 → r0: each rule's loop passes every rule; it is written with its first five
    rules (up to the rule the loop was found from, r0), "…", and its last step."""
    size = 70
    pack = make_pack(tmp_path, [with_key(rule(f"r{i}", "{n: {gt: 1}}"), "suppresses", f"[r{(i + 1) % size}]")
                                for i in range(size)])
    code, out, err = invoke("--lang", "en", "check", str(pack))
    lines = out.splitlines()
    assert (code, len(lines), err) == (1, size, "")
    shown = {line.split(": ")[0].rsplit(":", 2)[1]: line.split("suppresses: ")[1].split(";")[0]
             for line in lines}
    assert (shown["2"], shown["10"], shown["506"], shown["554"]) == (
        "r0 → r1 → r2 → r3 → r4 → … → r69 → r0", "r1 → r2 → r3 → r4 → r5 → … → r0 → r1",
        "r63 → r64 → r65 → r66 → r67 → … → r62 → r63", "r69 → r0 → … → r68 → r69")


NO_ADVICE = {"en": "No rule matched this situation. Check the facts in the scenario; `advise --help` shows how "
                   "they are written.",
             "ja": "この状況に当てはまるルールはありませんでした。シナリオの facts を確認してください（書き方は `advise --help`）。"}


@pytest.mark.parametrize("lang, lines", [
    ("en", ["Your situation", "Test · as of 2026-11-01", "", "1. A", "   p", "   Why: why", "   Source: Source",
            "", "2. A", "   r", "   Why: why", "   Source: Source"]),
    ("ja", ["あなたの状況", "テスト・2026年11月1日時点", "", "1. A", "   p", "   理由：なぜ", "   出典：出典",
            "", "2. A", "   r", "   理由：なぜ", "   出典：出典"]),
])
def test_the_head_of_a_chain_of_suppressions_is_shown_and_what_it_hides_hides_nothing(tmp_path, lang, lines):
    """p suppresses q, q suppresses r, and all three apply: p is shown, and r, as q is not shown; not "no rule
    matched", which is only said when no rule applies."""
    pack = make_pack(tmp_path / "pack", [with_key(rule("p", "{n: {gt: 1}}"), "suppresses", "[q]"),
                                         with_key(rule("q", "{n: {gt: 2}}", action="b"), "suppresses", "[r]"),
                                         rule("r", "{n: {gt: 3}}")])
    scenario = tmp_path / "s.yaml"
    for n, shown in [(5, lines), (1, lines[:3] + [NO_ADVICE[lang]])]:
        scenario.write_text(f"platform: testpack\nas_of: 2026-11-01\nfacts: {{n: {n}}}\n", encoding="utf-8")
        code, out, err = invoke("--lang", lang, "--rules", str(pack), str(scenario))
        assert (code, out.splitlines(), err) == (0, shown, "")



@pytest.mark.parametrize("as_of, fired", [
    ("2026-03-31", ["always"]), ("2026-04-01", ["always", "from-april"]), ("2026-09-30", ["always", "from-april"]),
    ("2026-10-01", ["always"]),
])
def test_valid_from_and_valid_until_compare_with_as_of(tmp_path, as_of, fired):
    pack = make_pack(tmp_path, [rule("always", "{flag: false}"),
                                with_key(with_key(rule("from-april", "{flag: false}"), "valid_from", "2026-04-01"),
                                         "valid_until", "2026-09-30")])
    doc = parse(f"platform: testpack\nas_of: {as_of}\n".encode(), "scenario.yaml")
    assert [r.rule.id for r in advise_document(doc, pack).recommendations] == fired


def test_a_scenario_overrides_a_parameter_for_itself(tmp_path):
    pack = make_pack(tmp_path, [rule("over-limit", "{n: {gt: {param: limit}}}")])
    doc = parse(b"platform: testpack\nas_of: 2026-11-25\nparams: {limit: 7}\nfacts: {n: 8}\n", "scenario.yaml")
    result = advise_document(doc, pack)
    assert [r.rule.id for r in result.recommendations] == ["over-limit"]
    assert result.params == {"limit": 7}
    assert [r.rule.id for r in advice(pack, "{n: 8}").recommendations] == []  # the pack's 14 again


@pytest.mark.parametrize("params, message", [
    ("{limt: 7}", 'unknown parameter "limt" (did you mean "limit"?); parameters: limit'),
    ("{limit: seven}", 'limit: expected a value like 14; got "seven"'),
    ("{limit: true}", "limit: expected a value like 14; got true"),
])
def test_parameter_overrides_are_checked(tmp_path, params, message):
    pack = make_pack(tmp_path, [rule("r", "{flag: false}")])
    doc = parse(f"platform: testpack\nparams: {params}\n".encode(), "scenario.yaml")
    with pytest.raises(InputError) as error:
        advise_document(doc, pack, AS_OF)
    assert [rendered(d.message, "en") for d in error.value.diagnostics] == [message]


def test_percent_of_and_max_for_work_measured_as_a_share(tmp_path):
    pack = make_pack(tmp_path / "pack", [rule("paid", "{share_pay: {gte: 30000}}"), rule("uses-limit", "{n: {param: limit}}")])
    (pack / "facts.yaml").write_text(FACTS + textwrap.indent(textwrap.dedent("""\
      fee: {type: money, description: {ja: 金額, en: Fee}}
      percent: {type: int, min: 0, max: 100, description: {ja: 進捗, en: Progress}}
      share_pay:
        type: money
        derive: {percent_of: [fee, percent]}
        description: {ja: 按分, en: Share}
    """), "  "), encoding="utf-8")
    result = advice(pack, "{fee: 80000, percent: 40}")
    assert (result.facts["share_pay"], [r.rule.id for r in result.recommendations]) == (32000, ["paid"])
    doc = parse(b"platform: testpack\nas_of: 2026-11-25\nfacts: {fee: 80000, percent: 140}\n", "scenario.yaml")
    with pytest.raises(InputError) as error:
        advise_document(doc, pack)
    assert [located(d, "en") for d in error.value.diagnostics] == ["scenario.yaml:3:30: percent: must be at most 100; got 140"]
