"""Each pipeline stage on its own: derive, compile, explain, render's catalogs."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from advisor import model
from advisor.compile import SHARD_PATHS, _expression, alternatives, compile_pack, encode_facts, junctions
from advisor.conditions import PLACEHOLDER
from advisor.derive import OPERATIONS, derive
from advisor.explain import format_value
from advisor.load import parse
from advisor.messages import catalog
from advisor.pipeline import bundled_rules, read_pack
from advisor.validate_scenario import validate_scenario

ROOT = Path(__file__).parent.parent
PACK = read_pack(str(bundled_rules() / "crowdworks"))[0]


def scenario(facts: str, as_of: str = "2026-11-25"):
    doc = parse(f"as_of: {as_of}\nfacts: {facts}\n".encode(), "s.yaml")
    return validate_scenario(doc, PACK, dt.date(2000, 1, 1))


def derived(facts: str, as_of: str = "2026-11-25", side: str = "lowest") -> dict:
    """Derived facts with every parameter at `side` (auto_termination_days: 7 lowest, 14 highest)."""
    s = scenario(facts, as_of)
    params = {name: p.at(side) for name, p in PACK.parameters.items()}
    return {k: v for k, v in derive(PACK, s.facts, s.as_of, params).items() if PACK.facts[k].derive}


@pytest.mark.parametrize("sent, side, since, until, on", [
    ("2026-11-25", "highest", 0, 14, dt.date(2026, 12, 9)),
    ("2026-11-25", "lowest", 0, 7, dt.date(2026, 12, 2)),
    ("2026-11-12", "highest", 13, 1, dt.date(2026, 11, 26)),
    ("2026-11-12", "lowest", 13, -6, dt.date(2026, 11, 19)),
    ("2026-11-11", "highest", 14, 0, dt.date(2026, 11, 25)),
    ("2026-11-18", "lowest", 7, 0, dt.date(2026, 11, 25)),
    ("2026-10-01", "highest", 55, -41, dt.date(2026, 10, 15)),
])
def test_request_dates(sent, side, since, until, on):
    facts = derived(f"{{request_sent_on: {sent}}}", side=side)
    assert (facts["days_since_request"], facts["days_until_auto_termination"], facts["auto_termination_on"]) == \
        (since, until, on)


def test_dates_across_a_leap_day_and_year_end():
    assert derived("{request_sent_on: 2028-02-20}", "2028-03-01")["days_since_request"] == 10
    assert derived("{request_sent_on: 2026-12-25}", "2027-01-02", "highest")["auto_termination_on"] == dt.date(2027, 1, 8)
    assert derived("{request_sent_on: 2026-12-25}", "2027-01-02")["auto_termination_on"] == dt.date(2027, 1, 1)


@pytest.mark.parametrize("fee, delivered, total, pay", [
    (50000, 5, 10, 25000), (10000, 1, 3, 3333), (10000, 2, 3, 6666), (50000, 0, 10, 0), (50000, 10, 10, 50000),
])
def test_pro_rata_pay_rounds_down_to_the_yen(fee, delivered, total, pay):
    assert derived(f"{{fee: {fee}, units_delivered: {delivered}, units_total: {total}}}")["pro_rata_pay"] == pay


def test_derived_facts_are_absent_when_an_input_is_absent():
    assert derived("{fee: 50000, units_delivered: 5}") == {}
    assert derived("{units_total: 4, units_delivered: 1}") == {"units_remaining": 3}


def test_parameters_come_from_the_pack():
    period = PACK.parameters["auto_termination_days"]
    assert [(v.value, v.sources[:1]) for v in period.variants] == [(7, ("blog-web-box",)), (14, ("seed",))]
    assert (period.value, period.at("lowest"), period.at("highest")) == (7, 7, 14)
    assert period.disputed is not None


def test_not_is_pushed_down_to_the_tests():
    ended = model.Group("all", (model.Test("contract_type", "eq", "fixed", None),
                                model.Test("client_response", "eq", "none", None),
                                model.Test("days_since_request", "gte", 14, "auto_termination_days")))
    names = compile_pack(PACK).names
    expression = _expression(model.Group("not", (ended,)), {"auto_termination_days": 7}, names)
    # not(all(fixed, none, days >= limit)) -> any(absent or not fixed, absent or not none, absent or days < limit);
    # the parameter's value comes from what the scenario gives (7 here), not the pack's 14. The engine sees the
    # properties the compiler named and enum values as their codes (their places in values:). An any inside an
    # any is merged into it: one group for the engine (compile.MAX_JUNCTIONS) instead of four.
    kind, response, days = (names.facts[name] for name in ("contract_type", "client_response", "days_since_request"))
    fixed = PACK.facts["contract_type"].values.index("fixed")
    none = PACK.facts["client_response"].values.index("none")
    assert expression == {"$or": [
        {"$nex": {kind: 1}}, {"$neq": {kind: fixed}},
        {"$nex": {response: 1}}, {"$neq": {response: none}},
        {"$nex": {days: 1}}, {"$lt": {days: 7}},
    ]}
    assert alternatives(expression) == 6 and junctions(expression) == 1


def test_alternatives_multiply_across_all_and_add_across_any():
    assert alternatives({"$and": [{"$or": [{"a": 1}, {"b": 1}]}, {"$or": [{"c": 1}, {"d": 1}, {"e": 1}]}]}) == 6
    assert alternatives({"$or": [{"a": 1}, {"$and": [{"b": 1}, {"c": 1}]}]}) == 2


def test_facts_are_encoded_for_the_engine():
    facts = {"request_sent_on": dt.date(2026, 11, 10), "work_started": True, "fee": 5}
    targets = {target for rule in PACK.rules for target in rule.suppresses}
    suppressed = [next(rule for rule in PACK.rules if rule.id in targets)]
    compiled = compile_pack(PACK)
    name = compiled.names.facts
    assert encode_facts(compiled, facts, dt.date(2026, 11, 25), suppressed) == {
        name["request_sent_on"]: dt.date(2026, 11, 10).toordinal(), name["work_started"]: True, name["fee"]: 5,
        "a_as_of": dt.date(2026, 11, 25).toordinal(), compiled.names.markers[suppressed[0].id]: 1}


def test_rules_compile_into_shards_each_with_a_sentinel_and_within_the_branch_limit():
    compiled = compile_pack(PACK)
    for shard in compiled.shards:
        assert shard.definition["sentinel"] == {"all": [{"m": {"advise_fact": 1}}], "pri": 0}
        assert sum(alternatives(body["all"][0]["m"]) for body in shard.definition.values()) <= SHARD_PATHS
    assert sum(len(shard.definition) - 1 for shard in compiled.shards) == len(PACK.rules) == len(compiled.rules)


@pytest.mark.parametrize("value, kind, ja, en", [
    (dt.date(2026, 11, 24), "date", "2026年11月24日", "2026-11-24"),
    (25000, "money", "25,000円", "¥25,000"),
    (1234567, "int", "1,234,567", "1,234,567"),
    (True, "bool", "はい", "yes"),
    ("rejected", "enum", "rejected", "rejected"),
])
def test_values_read_naturally_in_each_language(value, kind, ja, en):
    assert (format_value(value, kind, "ja"), format_value(value, kind, "en")) == (ja, en)


def test_catalogs_have_the_same_keys_and_placeholders():
    ja, en = catalog("ja"), catalog("en")
    assert ja.keys() == en.keys()
    for key in ja:
        assert sorted(PLACEHOLDER.findall(ja[key])) == sorted(PLACEHOLDER.findall(en[key])), key
    # and every key the code asks for by name is in them (keys built at run time, f"explain_{kind}", aside)
    used = {key for path in (ROOT / "advisor").glob("*.py")
            for key in re.findall(r"""say\(lang, ["']([a-z_]+)["']""", path.read_text(encoding="utf-8"))}
    assert {"draft_title", "draft_begin", "draft_end", "draft_subject"} <= used
    assert used - ja.keys() == set()


def test_pack_texts_have_the_same_placeholders_in_both_languages():
    texts = [(rule.id, text) for rule in PACK.rules for text in (rule.message, rule.because)]
    texts += [(f"action {action}", title) for action, title in PACK.actions.items()]
    texts += [(f"draft {action}", text) for action, draft in PACK.drafts.items()
              for text in (draft.subject, draft.body) if text]
    assert any(name.startswith("draft ") for name, _ in texts)
    for name, text in texts:
        assert sorted(set(PLACEHOLDER.findall(text.ja))) == sorted(set(PLACEHOLDER.findall(text.en))), name


def test_folded_japanese_lines_join_without_a_space():
    rule = next(r for r in PACK.rules if r.id == "send-termination-request")
    assert "押してください（" in rule.message.ja and "  " not in rule.message.ja


def test_a_test_on_a_parameter_keeps_its_name():
    rule = next(r for r in PACK.rules if r.id == "contract-ended-automatically")
    assert isinstance(rule.when, model.Group)
    assert model.Test("days_since_request", "gt", 7, "auto_termination_days") in rule.when.items  # the lowest
    assert rule.sides == (("auto_termination_days", "highest"),)  # compiled with 14 (test_ranges.py)


def test_every_derive_operation_is_in_the_schema_and_the_docs():
    """Adding an operation is its entry in derive.OPERATIONS, plus the name in facts.yaml's JSON Schema (which
    editors read) and a row in both authoring guides: this test says which is missing."""
    root = Path(__file__).parent.parent
    schema = json.loads((root / "rules/schemas/facts.schema.json").read_text(encoding="utf-8"))
    derive_schema = schema["properties"]["facts"]["additionalProperties"]["properties"]["derive"]
    assert derive_schema["propertyNames"]["enum"] == list(OPERATIONS)
    for guide in ("docs/authoring.md", "docs/authoring.ja.md"):
        rows = re.findall(r"^\| `([a-z_]+)` \|", (root / guide).read_text(encoding="utf-8"), re.MULTILINE)
        assert [name for name in rows if name in OPERATIONS] == list(OPERATIONS), guide
