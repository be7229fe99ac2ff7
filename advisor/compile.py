"""Stage 4, compile: validated rules -> durable_rules ruleset definitions (plain data, no engine yet).

durable_rules misbehaves silently or fatally on some ordinary shapes (see docs/engine.md); this stage is
where the shapes that reach it are kept safe:
- every pattern starts with a marker test, so no pattern is made only of `$nex` (such a pattern matches
  the engine's own state fact and loops forever) and all rules share one first node;
- rules are split into shards (one ruleset each) of at most SHARD_PATHS alternatives: past 64 matching
  branches under one node the engine fails with error 303, and 512+ siblings hang it;
- each shard has a sentinel rule that matches every fact, so the session always has a fired rule and
  deleting it cannot crash;
- fact names are prefixed (no clash with the engine's own `sid` and `id`), dates become day numbers,
  and priorities are validated ints, never negative (the engine wraps -1 to 65535).
Forward chaining (`sets:`) and suppression are fed back by the pipeline in rounds: a fired rule's facts
and suppression markers join the fact, which is asserted again until nothing changes.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Iterable

from .conditions import Junction, Normal, nnf
from .derive import rule_params
from .diagnostics import Diagnostic, InputError, about_file, msg
from .model import Condition, Pack, Rule, Value

MARK = "advise_fact"  # stamped on every asserted fact; the first test of every pattern
AS_OF = "a_as_of"  # the date of the advice, for valid_from / valid_until
SENTINEL = "sentinel"
SHARD_PATHS = 48  # alternatives per ruleset, sentinel included; the engine fails past 64 (error 303)
MAX_FACTS = 240  # the engine refuses facts with more than 254 properties (error 302)

_INVERSE = {"eq": "ne", "ne": "eq", "lt": "gte", "gte": "lt", "gt": "lte", "lte": "gt", "in": "not_in",
            "not_in": "in"}
_DURABLE_OP = {"ne": "$neq", "lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}


@dataclass(frozen=True)
class Shard:
    definition: dict[str, Any]  # durable rule name -> {"all": [...], "pri": int}; actions are bound by the engine
    key: str  # the definition as canonical JSON: identical shards have identical keys
    valuation: int  # the index in Compiled.valuations of the parameter values its rules were compiled with


@dataclass(frozen=True)
class Compiled:
    shards: tuple[Shard, ...]
    rules: dict[str, Rule]  # durable rule name -> the pack's rule
    # The parameter values the rules were compiled with. A pack whose parameters each have one value has one
    # valuation; a rule taking the highest of a parameter with several values (side:) is compiled, and its
    # facts derived, with that value, so rules taking different sides run in shards of their own.
    valuations: tuple[dict[str, Value], ...]


def compile_pack(pack: Pack, params: dict[str, Value] | None = None) -> Compiled:
    """The pack's rules as engine rulesets; `params` are parameter values that replace the pack's (a scenario's
    `params:`), compiled into the patterns as constants."""
    suppressed = {target for rule in pack.rules for target in rule.suppresses}
    problems = []
    if len(pack.facts) > MAX_FACTS:
        problems.append(about_file(f"{pack.directory}/facts.yaml",
                                   msg("c_too_many_facts", limit=MAX_FACTS, count=len(pack.facts)), "R109"))
    valuations: list[dict[str, Value]] = []
    buckets: list[list[tuple[Rule, dict, int]]] = []  # per valuation: (rule, expression, alternatives)
    for rule in pack.rules:
        values = rule_params(pack, rule, params or {})
        if values not in valuations:
            valuations.append(values)
            buckets.append([])
        expression = _rule_pattern(rule, values, rule.id in suppressed)
        paths = alternatives(expression)
        if paths > SHARD_PATHS - 1:
            problems.append(Diagnostic(rule.where.path, rule.where.line, rule.where.column,
                                       msg("c_too_many_alternatives", rule=rule.id, count=paths,
                                           limit=SHARD_PATHS - 1), "R109"))
            continue
        buckets[valuations.index(values)].append((rule, expression, paths))
    if problems:
        raise InputError(problems)
    shards, names = [], {}
    for valuation, bucket in enumerate(buckets):
        groups: list[list[tuple[str, dict]]] = [[]]
        used = 1  # the sentinel
        for rule, expression, paths in bucket:
            if used + paths > SHARD_PATHS:
                groups.append([])
                used = 1
            used += paths
            name = f"r{rule.order}"
            groups[-1].append((name, {"all": [{"m": {"$and": [{MARK: 1}, expression]}}], "pri": rule.priority}))
            names[name] = rule
        for group in groups:
            definition = {SENTINEL: {"all": [{"m": {MARK: 1}}], "pri": 0}}
            definition.update(group)
            shards.append(Shard(definition, json.dumps(definition, sort_keys=True), valuation))
    return Compiled(tuple(shards), names, tuple(valuations))


def _rule_pattern(rule: Rule, params: dict[str, Value], suppressible: bool) -> dict:
    """The rule's condition; valid_from / valid_until and suppression are part of the pattern, so the engine
    decides them too."""
    tests = [_expression(rule.when, params)]
    if rule.valid_from:
        tests.append({"$gte": {AS_OF: rule.valid_from.toordinal()}})
    if rule.valid_until:
        tests.append({"$lte": {AS_OF: rule.valid_until.toordinal()}})
    if suppressible:
        tests.append({"$nex": {suppression_marker(rule): 1}})
    return _join("$and", tests)


def encode_facts(facts: dict[str, Value], as_of: dt.date, suppressed: Iterable[Rule] = ()) -> dict[str, Any]:
    """The facts as the engine sees them: property names prefixed, dates as day numbers, the date of the
    advice, and a marker for each rule that a fired rule suppressed."""
    encoded = {_property(name): _encode(value) for name, value in facts.items()}
    encoded[AS_OF] = as_of.toordinal()
    encoded.update({suppression_marker(rule): 1 for rule in suppressed})
    return encoded


def suppression_marker(rule: Rule) -> str:
    return f"s_{rule.order}"


def alternatives(expression: dict) -> int:
    """How many branches the engine builds for an expression: `$or` adds them up, `$and` multiplies."""
    (key, value), = expression.items()
    if key == "$or":
        return sum(alternatives(item) for item in value)
    if key == "$and":
        product = 1
        for item in value:
            product *= alternatives(item)
        return product
    return 1


def _expression(condition: Condition, params: dict[str, Value]) -> dict:
    """The condition as an engine pattern, from its negation normal form (`not` pushed down to the tests)."""
    return _pattern(nnf(condition), params)


def _pattern(node: Normal, params: dict[str, Value]) -> dict:
    if isinstance(node, Junction):
        return _join("$and" if node.kind == "all" else "$or", [_pattern(item, params) for item in node.items])
    test, negate = node.test, node.negated
    prop = _property(test.fact)
    value = params[test.param] if test.param else test.value
    if test.op == "present":
        return {"$ex" if value != negate else "$nex": {prop: 1}}
    if not negate:
        return _comparison(prop, test.op, value)
    # A test on an absent fact is false, so its negation holds when the fact is absent.
    return _join("$or", [{"$nex": {prop: 1}}, _comparison(prop, _INVERSE[test.op], value)])


def _comparison(prop: str, op: str, value: Any) -> dict:
    if op == "in":
        return _join("$or", [{prop: _encode(v)} for v in value])
    if op == "not_in":
        return _join("$and", [{"$neq": {prop: _encode(v)}} for v in value])
    if op == "eq":
        return {prop: _encode(value)}
    return {_DURABLE_OP[op]: {prop: _encode(value)}}


def _join(op: str, items: list[dict]) -> dict:
    return items[0] if len(items) == 1 else {op: items}


def _property(name: str) -> str:
    return f"f_{name}"


def _encode(value: Any) -> Any:
    return value.toordinal() if isinstance(value, dt.date) else value
