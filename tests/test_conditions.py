"""What a condition means (advisor/conditions.py), against what durable_rules decides.

The engine-agreement property: random conditions over facts of every type (groups all/any/not, every
operator, parameters, absent facts) are compiled and run in the engine with random facts, and the rules
that fire are exactly those `conditions.holds` says hold. The generator is seeded, so a failure names a
case that can be replayed.
"""
from __future__ import annotations

import datetime as dt
import random

import pytest

from advisor import conditions, engine
from advisor.compile import _expression, alternatives, compile_pack, encode_facts
from advisor.model import Fact, Group, Pack, Parameter, Rule, Text, Where
from advisor.model import Test as Check  # not collected by pytest as a test class

AS_OF = dt.date(2026, 11, 25)
DAYS = [dt.date(2026, 11, day) for day in range(20, 27)]
DOMAINS = {"flag": [True, False], "n": list(range(-2, 4)), "color": ["red", "green", "blue"], "day": DAYS}
TYPES = {"flag": "bool", "n": "int", "color": "enum", "day": "date"}
OPERATORS = {"bool": ["eq", "ne", "present"], "enum": ["eq", "ne", "in", "not_in", "present"],
             "int": ["eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in", "present"],
             "date": ["eq", "ne", "lt", "lte", "gt", "gte", "present"]}
PARAMETERS = {"limit": ("int", 1), "due": ("date", DAYS[3])}  # a test on n or day may compare with these
TEXT = Text("x", "x")
PACKS, RULES, FACT_SETS = 200, 24, 12  # 57,600 (rule, facts) pairs


def _test(draw: random.Random) -> Check:
    fact = draw.choice(list(DOMAINS))
    op = draw.choice(OPERATORS[TYPES[fact]])
    if op == "present":
        return Check(fact, op, draw.random() < 0.5, None)
    if op in ("in", "not_in"):
        return Check(fact, op, tuple(draw.sample(DOMAINS[fact], 2)), None)
    param = next((name for name, (kind, _) in PARAMETERS.items() if kind == TYPES[fact]), None)
    if param and draw.random() < 0.3:
        return Check(fact, op, PARAMETERS[param][1], param)
    return Check(fact, op, draw.choice(DOMAINS[fact]), None)


def _condition(draw: random.Random, depth: int):
    if depth == 0 or draw.random() < 0.3:
        return _test(draw)
    kind = draw.choice(["all", "any", "not"])
    count = 1 if kind == "not" else draw.randint(1, 3)
    return Group(kind, tuple(_condition(draw, depth - 1) for _ in range(count)))


def _facts(draw: random.Random) -> dict:
    """Each fact given or absent (left out)."""
    return {name: draw.choice(values) for name, values in DOMAINS.items() if draw.random() < 0.8}


def _pack(draw: random.Random, params: dict) -> Pack:
    rules = []
    while len(rules) < RULES:
        when = _condition(draw, 3)
        if alternatives(_expression(when, params)) > 40:  # beyond one shard: refused by compile (R109)
            continue
        rules.append(Rule(f"rule-{len(rules)}", "act", 10, when, TEXT, TEXT, ("s",), Where("p", 1, 1), len(rules)))
    facts = {name: Fact(name, TYPES[name], TEXT, values=tuple(DOMAINS[name]) if name == "color" else ())
             for name in DOMAINS}
    parameters = {name: Parameter(name, kind, params[name], TEXT, ("s",)) for name, (kind, _) in PARAMETERS.items()}
    return Pack("random", TEXT, "random", facts, parameters, {"act": TEXT}, {}, tuple(rules))


@pytest.mark.parametrize("seed", range(PACKS))
def test_conditions_agree_with_the_engine(seed):
    draw = random.Random(seed)
    params = {"limit": draw.choice(DOMAINS["n"]), "due": draw.choice(DAYS)}
    pack = _pack(draw, params)
    compiled = compile_pack(pack, params)
    for _ in range(FACT_SETS):
        facts = _facts(draw)
        fired = {compiled.rules[name].id for name in engine.run(compiled.shards, encode_facts(compiled, facts, AS_OF))}
        meant = {rule.id for rule in pack.rules if conditions.holds(rule.when, facts, params)}
        assert fired == meant, f"seed {seed}, facts {facts}: " + ", ".join(
            f"{rule.id} {rule.when}" for rule in pack.rules if rule.id in fired ^ meant)


def test_three_valued_evaluation_decides_what_it_can():
    """An undecided fact leaves a condition undecided unless another item decides it (Kleene logic)."""
    known = {"flag": True}
    value = lambda name: known.get(name, conditions.UNDECIDED)
    is_red, flag = Check("color", "eq", "red", None), Check("flag", "eq", True, None)
    assert conditions.evaluate(Group("any", (is_red, flag)), value) is True
    assert conditions.evaluate(Group("all", (is_red, flag)), value) is None
    assert conditions.evaluate(Group("all", (is_red, Group("not", (flag,)))), value) is False


def test_dnf_counts_alternatives_before_expanding():
    """2**13 alternatives are refused without being built; the negation of an `any` is one conjunction."""
    pairs = tuple(Group("any", (Check("n", "eq", 1, None), Check("n", "eq", 2, None))) for _ in range(13))
    assert conditions.dnf(Group("all", pairs)) is None
    assert len(conditions.dnf(Group("all", pairs[:12]))) == 4096
    negated = conditions.dnf(Group("any", (Check("n", "eq", 1, None), Check("flag", "eq", True, None))), negate=True)
    assert [[(lit.test.fact, lit.negated) for lit in term] for term in negated] == [[("n", True), ("flag", True)]]


def test_a_bounded_number_only_tested_present_has_a_value_to_try():
    """A fact with min/max compared with nothing still gets a value inside its bounds, so L201 does not call a
    `present: true` rule on it unreachable."""
    pack = Pack("p", TEXT, "p", {"pct": Fact("pct", "int", TEXT, min=0, max=100)}, {}, {}, {}, ())
    values = conditions.candidates(pack, {}, beyond=True)["pct"]
    assert [v for v in values if v is not None] and all(0 <= v <= 100 for v in values if v is not None)
