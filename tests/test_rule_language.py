"""Rule-language features as an author uses them: parameter values, disputed notes, derived facts."""
from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from advisor.diagnostics import InputError
from advisor.load import parse
from advisor.pipeline import advise_document
from packs import FACTS, make_pack, rule

AS_OF = dt.date(2026, 11, 25)


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
    assert [str(d) for d in error.value.diagnostics] == [
        f'{pack / "facts.yaml"}:5:3: a fact name must be snake_case and not one of all, any, not, as_of; got "{name}"']


def test_a_yml_rule_file_is_not_ignored_silently(tmp_path):
    pack = make_pack(tmp_path, [rule("r", "{flag: false}")])
    (pack / "more.yml").write_text("rules: []\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        advice(pack, "{}")
    assert [str(d) for d in error.value.diagnostics] == [
        f"{pack / 'more.yml'}:1:1: rule files end in .yaml; rename it to more.yaml"]


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
