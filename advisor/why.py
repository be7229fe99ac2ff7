"""`--explain`: why each piece of advice was given, which advice nearly was, and what unknown facts could change.

For each recommendation: every test of its rule with the fact's value and whether it held, the derived
facts it used and how they were computed, and the parameters involved. Near misses and unknown facts are
found by asking the engine, not by guessing: the scenario is run again with one fact changed (then two,
for rules one change cannot reach), using for each fact the few values that the pack's tests can tell
apart, and the rules that fire then are compared with those that fired.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from . import pipeline
from .derive import OPERATIONS, views
from .diagnostics import InputError
from .explain import Advice
from .conditions import Line, candidates, constants, depends_on, evaluate, facts_read, setters
from .model import ABSENT, Pack, Rule, Value


@dataclass(frozen=True)
class Step:
    """How a derived fact was computed: fact = op(args) = value."""

    fact: str
    op: str
    args: tuple[tuple[str, Value], ...]
    value: Value


@dataclass(frozen=True)
class Trace:
    rule: Rule
    lines: tuple[Line, ...]
    steps: tuple[Step, ...]
    parameters: tuple[tuple[str, Value], ...]
    set_by: tuple[tuple[str, str], ...]  # (fact, rule id) for facts the condition uses that rules set


@dataclass(frozen=True)
class NearMiss:
    rule: Rule
    changes: tuple[tuple[str, Value | None, Value | None], ...]  # (fact, value that would do it, current value)


@dataclass(frozen=True)
class Unknown:
    fact: str
    unlocks: tuple[Rule, ...]  # rules that some value of the fact would make fire


@dataclass(frozen=True)
class Why:
    traces: tuple[Trace, ...]  # one per recommendation, in the same order
    near_misses: tuple[NearMiss, ...]
    unknown: tuple[Unknown, ...]


def why(advice: Advice) -> Why:
    pack, scenario = advice.pack, advice.scenario
    traces = tuple(_trace(r.rule, advice) for r in advice.recommendations)
    fired = {r.rule.id for r in advice.recommendations}
    advised = {r.rule.action for r in advice.recommendations}
    given = dict(scenario.facts)
    compiled = pipeline.compiled_for(pack, scenario.params)
    options = _options(pack, [view.params for view in advice.views], scenario.as_of, given)

    def fires(changes: tuple) -> set[str]:
        facts = dict(given)
        for fact, value in changes:
            if value is ABSENT:
                facts.pop(fact, None)
            else:
                facts[fact] = value
        if not _consistent(pack, facts, scenario.as_of):
            return set()
        try:
            derived = views(pack, facts, scenario.as_of, dict(scenario.params))
            return {rule.id for rule in pipeline.chain(pack, compiled, derived, scenario.as_of)[0]}
        except InputError:  # two rules set one fact differently in this variant: no advice to compare
            return set()

    singles = [((fact, value),) for fact, values in options.items() for value in values]
    outcomes = {changes: fires(changes) for changes in singles}
    missed: dict[str, tuple] = {}
    for changes, result in outcomes.items():
        for rule_id in sorted(result - fired):
            missed.setdefault(rule_id, changes)
    for rule in pack.rules:
        if rule.id in fired or rule.id in missed or rule.action in advised:
            continue
        relevant = _inputs(rule, pack)
        pairs = [a + b for a, b in combinations([c for c in singles if c[0][0] in relevant], 2) if a[0][0] != b[0][0]]
        for changes in pairs:
            if rule.id in fires(changes):
                missed[rule.id] = changes
                break
    # Only advice not already given: another rule for an action that is advised adds nothing to say.
    near = sorted((NearMiss(rule, tuple((fact, value, given.get(fact)) for fact, value in missed[rule.id]))
                   for rule in pack.rules if rule.id in missed and rule.action not in advised),
                  key=lambda miss: (len(miss.changes), miss.rule.rank))
    unknown = []
    for fact in pack.facts.values():
        if fact.name in given or not fact.given_by_user:
            continue
        unlocked = set().union(*(result for changes, result in outcomes.items() if changes[0][0] == fact.name)) - fired
        rules = tuple(r for r in sorted(pack.rules, key=lambda r: r.rank) if r.id in unlocked and r.action not in advised)
        if rules:
            unknown.append(Unknown(fact.name, rules))
    return Why(traces, tuple(near), tuple(unknown))


def _trace(rule: Rule, advice: Advice) -> Trace:
    pack = advice.pack
    view = advice.view(rule)  # the values at the side the rule takes
    facts, values = view.facts, view.params
    lines: list[Line] = []
    evaluate(rule.when, lambda name: facts.get(name, ABSENT), values, lines)
    used = [line.test.fact for line in lines if line.test]
    steps: list[Step] = []
    pending = list(dict.fromkeys(used))
    seen: set[str] = set()
    while pending:  # the derived facts used, and those they were computed from
        name = pending.pop(0)
        fact = pack.facts.get(name)
        if name in seen or fact is None or fact.derive is None or name not in facts:
            continue
        seen.add(name)
        args = tuple((arg, values.get(arg, facts.get(arg, advice.scenario.as_of if arg == "as_of" else None)))
                     for arg in fact.derive.args)
        steps.append(Step(name, fact.derive.op, args, facts[name]))
        pending += list(fact.derive.args)
    params = [line.test.param for line in lines if line.test and line.test.param]
    params += [arg for step in steps for arg, _ in step.args if arg in pack.parameters]
    fired = {r.rule.id for r in advice.recommendations}
    set_by = tuple((name, r.id) for name in dict.fromkeys(used) if name in facts and pack.facts[name].set_by_rules
                   for r in setters(pack, name) if r.id in fired)
    return Trace(rule, tuple(lines), tuple(reversed(steps)), tuple((p, values[p]) for p in dict.fromkeys(params)),
                 set_by)


def _options(pack: Pack, valuations: list[dict[str, Value]], as_of: dt.date, given: dict[str, Value]) -> dict[str, list]:
    """For each fact a user can give, the values other than its current one that the pack's tests tell apart,
    under every value of the parameters (`valuations`: one per view), the smallest change first."""
    tested = defaultdict(set, constants(pack, valuations))
    for fact in reversed(pack.facts.values()):  # carry a derived fact's constants back to what it comes from
        inverse = OPERATIONS[fact.derive.op].inverse if fact.derive else None
        if fact.derive and inverse:
            for arg, values in inverse(tested[fact.name], fact.derive.args, as_of, valuations, given).items():
                tested[arg].update(values)
    found = candidates(pack, tested, names=[name for name, fact in pack.facts.items() if fact.given_by_user])
    options: dict[str, list] = {}
    for name, values in found.items():
        fact = pack.facts[name]
        if fact.at_most == "as_of":
            values = [v for v in values if v is ABSENT or v <= as_of]
        current = given.get(name)
        if fact.type in ("int", "money", "date") and current is not None:  # the smallest change first
            values.sort(key=lambda v: (v is ABSENT, abs(v - current) if v is not ABSENT else 0))
        options[name] = [v for v in values if v != current]
    return options


def _consistent(pack: Pack, facts: dict[str, Value], as_of: dt.date) -> bool:
    """Whether the changed facts are still a scenario advise would accept (at_most between facts)."""
    for name, value in facts.items():
        limit = pack.facts[name].at_most
        bound = as_of if limit == "as_of" else facts.get(limit) if limit else None
        if bound is not None and value > bound:
            return False
    return True


def _inputs(rule: Rule, pack: Pack) -> set[str]:
    """The facts a rule's condition depends on, through derived facts and facts rules set."""
    return {name for name in depends_on(pack, facts_read(rule.when), through_setters=True) if name in pack.facts}
