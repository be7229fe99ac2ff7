"""Stage 4, compile: validated rules -> durable_rules ruleset definitions (plain data, no engine yet).

durable_rules misbehaves silently or fatally on some ordinary shapes (see docs/engine.md); this stage is
where the shapes that reach it are kept safe:
- every pattern starts with a marker test, so no pattern is made only of `$nex` (such a pattern matches
  the engine's own state fact and loops forever) and all rules share one first node;
- rules are split into shards (one ruleset each) of at most SHARD_PATHS alternatives: past 64 matching
  branches under one node the engine fails with error 303, and 512+ siblings hang it;
- each shard has a sentinel rule that matches every fact, so the session always has a fired rule and
  deleting it cannot crash;
- the engine never sees a name or a string of the pack: it finds a property by a 32-bit FNV-1a hash of its
  name (two names with one hash are one property to it, and a name hashing like `sid`, `id` or an operator
  changes its meaning), and it compares strings with lengths kept in 16 bits. So the compiler names every
  property itself (`f1`, `f2`, ... for facts, `s<order>` for suppression markers) and proves, with the
  engine's own hash (`durable_hash`), that no two properties of the asserted fact and no name the engine
  reserves share a hash (`assign_names`); enum values reach it as small whole numbers (`Names.codes`);
- the asserted fact holds at most MAX_PROPERTIES properties (error 302 past it): a pack whose facts and
  suppressed rules would pass it is refused (R111);
- a rule's pattern holds at most MAX_JUNCTIONS `$and`/`$or` nodes (error 113 past it): nested junctions of one
  kind are merged into one, and a rule that still needs more is refused (R113);
- dates become day numbers (datetimes minutes since 0001-01-01), and priorities are validated ints, never negative (the engine wraps -1 to 65535).
Forward chaining (`sets:`) and suppression are fed back by the pipeline in rounds: a fired rule's facts
and suppression markers join the fact, which is asserted again until nothing changes.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from .conditions import Junction, Normal, facts_read, nnf
from .derive import rule_params
from .diagnostics import Diagnostic, InputError, msg
from .model import Condition, Pack, Rule, Value
from .units import minutes

MARK = "advise_fact"  # stamped on every asserted fact; the first test of every pattern
AS_OF = "a_as_of"  # the date of the advice, for valid_from / valid_until
SESSION = "sid"  # the session id the engine module adds to every asserted fact
SENTINEL = "sentinel"
ALIAS = "m"  # the one fact of every pattern
SHARD_PATHS = 48  # alternatives per ruleset, sentinel included; the engine fails past 64 (error 303)
# Properties of the asserted fact, MARK, AS_OF and SESSION included. Measured on durable_rules 2.0.28: a fact of
# 253 properties is taken, one of 254 is error 302 (the engine adds its own `id`, and refuses a 255th; state.c).
MAX_PROPERTIES = 253
OWN_PROPERTIES = (MARK, AS_OF, SESSION)
# `$and`/`$or` nodes in one rule's pattern, the one around the marker test included. durable_rules 2.0.28 keeps a
# pattern's junctions in a sequence of 32 entries, two per junction (its operator and its end), and refuses the
# pattern when the sequence fills (error 113, rete.c GET_EXPRESSION/APPEND_EXPRESSION, rete.h
# MAX_SEQUENCE_EXPRESSIONS): measured, 15 junctions are taken and 16 are refused.
MAX_JUNCTIONS = 15
# Names the engine gives a meaning by their hash (durable_rules src/rules/rete.c, state.c, events.c): rule and
# pattern keys, operators, the engine's own properties (`id`, `sid`, `$s` of its state fact) and the alias.
RESERVED = ("all", "any", "pri", "count", "cap", "dist", "name", "$lt", "$lte", "$gt", "$gte", "$eq", "$neq", "$mt",
            "$imt", "$iall", "$iany", "$ex", "$nex", "$or", "$and", "$m", "$add", "$sub", "$mul", "$div", "$l", "$r",
            "$i", "$s", "$forward", "id", ALIAS)
UNKNOWN_CODE = -1  # an enum value outside the fact's values (a scenario's params:): equal to none of them

_INVERSE = {"eq": "ne", "ne": "eq", "lt": "gte", "gte": "lt", "gt": "lte", "lte": "gt", "in": "not_in",
            "not_in": "in"}
_DURABLE_OP = {"ne": "$neq", "lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}


@dataclass(frozen=True)
class Shard:
    definition: dict[str, Any]  # durable rule name -> {"all": [...], "pri": int}; actions are bound by the engine
    key: str  # the definition as canonical JSON: identical shards have identical keys
    valuation: int  # the index in Compiled.valuations of the parameter values its rules were compiled with


@dataclass(frozen=True)
class Names:
    """What the engine sees instead of the pack's names and words: fact name -> property name, rule id -> the
    property marking it suppressed (suppressed rules only), enum fact -> value -> its code (0, 1, ... in the
    order of `values:`). Every property name has a hash of its own under `durable_hash` (assign_names)."""

    facts: dict[str, str]
    markers: dict[str, str]
    codes: dict[str, dict[str, int]]


@dataclass(frozen=True)
class Compiled:
    shards: tuple[Shard, ...]
    rules: dict[str, Rule]  # durable rule name -> the pack's rule
    # The parameter values the rules were compiled with. A pack whose parameters each have one value has one
    # valuation; a rule taking the highest of a parameter with several values (side:) is compiled, and its
    # facts derived, with that value, so rules taking different sides run in shards of their own.
    valuations: tuple[dict[str, Value], ...]
    names: Names


def durable_hash(name: str) -> int:
    """The 32-bit hash durable_rules finds a property by (FNV-1a, src/rules/json.c getStringAndHash): over the
    bytes of the name as it stands in the JSON the engine is given (json.dumps(..., ensure_ascii=False): UTF-8,
    escapes as written), each byte sign-extended as the C `char` it is read as on x86 and ARM Linux."""
    hashed = 0x811C9DC5
    for byte in json.dumps(name, ensure_ascii=False)[1:-1].encode("utf-8"):
        hashed ^= (byte - 256 if byte > 127 else byte) & 0xFFFFFFFF
        hashed = (hashed * 16777619) & 0xFFFFFFFF
    return hashed


def assign_names(pack: Pack) -> Names:
    """The property names of the pack's facts and suppression markers, proved collision-free: no two share a
    hash with each other, with OWN_PROPERTIES or with a RESERVED name. A generated name whose hash is taken
    is replaced by the next of `f1`, `f1_1`, `f1_2`, ... whose hash is free (deterministic). Raises
    AssertionError if OWN_PROPERTIES themselves collide (a bug in advise, never the pack's doing)."""
    taken = {durable_hash(name) for name in RESERVED}
    for name in OWN_PROPERTIES:
        if durable_hash(name) in taken:
            raise AssertionError(f"advise's own property {name} shares its hash with another name")
        taken.add(durable_hash(name))
    facts = {fact: _free(f"f{index}", taken) for index, fact in enumerate(pack.facts, 1)}
    suppressed = {target for rule in pack.rules for target in rule.suppresses}
    markers = {rule.id: _free(f"s{rule.order}", taken) for rule in pack.rules if rule.id in suppressed}
    codes = {name: {value: code for code, value in enumerate(fact.values)}
             for name, fact in pack.facts.items() if fact.type == "enum"}
    return Names(facts, markers, codes)


def _free(name: str, taken: set[int]) -> str:
    """`name`, or the first of name_1, name_2, ... whose hash is not `taken`; its hash is then taken."""
    candidate, attempt = name, 0
    while durable_hash(candidate) in taken:
        attempt += 1
        candidate = f"{name}_{attempt}"
    taken.add(durable_hash(candidate))
    return candidate


def compile_pack(pack: Pack, params: dict[str, Value] | None = None) -> Compiled:
    """The pack's rules as engine rulesets; `params` are parameter values that replace the pack's (a scenario's
    `params:`), compiled into the patterns as constants. Raises InputError (R109, R111) for a pack beyond what
    the engine can run (R113 too)."""
    suppressed = {target for rule in pack.rules for target in rule.suppresses}
    names = assign_names(pack)
    problems = _too_many_properties(pack)
    valuations: list[dict[str, Value]] = []
    buckets: list[list[tuple[Rule, dict, int]]] = []  # per valuation: (rule, expression, alternatives)
    for rule in pack.rules:
        values = rule_params(pack, rule, params or {})
        if values not in valuations:
            valuations.append(values)
            buckets.append([])
        expression = _rule_pattern(rule, values, names if rule.id in suppressed else None, names)
        paths = alternatives(expression)
        if paths > SHARD_PATHS - 1:
            problems.append(Diagnostic(rule.where.path, rule.where.line, rule.where.column,
                                       msg("c_too_many_alternatives", rule=rule.id, count=paths,
                                           limit=SHARD_PATHS - 1), "R109"))
            continue
        if junctions(expression) > MAX_JUNCTIONS:
            problems.append(Diagnostic(rule.where.path, rule.where.line, rule.where.column,
                                       msg("c_too_many_junctions", rule=rule.id, count=junctions(expression),
                                           limit=MAX_JUNCTIONS), "R113"))
            continue
        buckets[valuations.index(values)].append((rule, expression, paths))
    if problems:
        raise InputError(problems)
    shards: list[Shard] = []
    rules: dict[str, Rule] = {}
    moving = _moving(pack, suppressed)
    for valuation, bucket in enumerate(buckets):
        still = [entry for entry in bucket if entry[0].id not in moving]
        shards += _shards(still, valuation, rules)
        shards += _shards([entry for entry in bucket if entry[0].id in moving], valuation, rules)
    return Compiled(tuple(shards), rules, tuple(valuations), names)


def _moving(pack: Pack, suppressed: set[str]) -> set[str]:
    """The ids of the rules whose answer may change between the rounds of one evaluation (pipeline.chain): those
    reading a fact that rules set (`sets:`) and those another rule suppresses (their marks come and go). The
    others fire in the first round what they fire in every round, so compile_pack gives the two kinds shards of
    their own: the rounds after the first assert only into the few shards of these (in the generated pack of
    10,000 rules, 29 of 353 shards where it was 214 of 352)."""
    setting = {name for rule in pack.rules for name, _ in rule.sets}
    return {rule.id for rule in pack.rules
            if rule.id in suppressed or not setting.isdisjoint(facts_read(rule.when))}


def _shards(bucket: list[tuple[Rule, dict, int]], valuation: int, rules: dict[str, Rule]) -> list[Shard]:
    """The rules of `bucket` (rule, expression, alternatives), in order, cut into shards of at most SHARD_PATHS
    alternatives each, sentinel included; each rule is added to `rules` under its engine name. No shard for an
    empty bucket."""
    groups: list[list[tuple[str, dict]]] = [[]] if bucket else []
    used = 1  # the sentinel
    for rule, expression, paths in bucket:
        if used + paths > SHARD_PATHS:
            groups.append([])
            used = 1
        used += paths
        name = f"r{rule.order}"
        groups[-1].append((name, {"all": [{ALIAS: expression}], "pri": rule.priority}))
        rules[name] = rule
    shards = []
    for group in groups:
        definition = {SENTINEL: {"all": [{ALIAS: {MARK: 1}}], "pri": 0}}
        definition.update(group)
        shards.append(Shard(definition, json.dumps(definition, sort_keys=True), valuation))
    return shards


def _too_many_properties(pack: Pack) -> list[Diagnostic]:
    """R111 when the asserted fact could pass MAX_PROPERTIES: one property per fact of the pack (any may be
    given, derived or set), one per rule that another suppresses, and OWN_PROPERTIES. Reported where the
    count passes the limit: at that fact's declaration, else at that suppressed rule."""
    room = MAX_PROPERTIES - len(OWN_PROPERTIES)
    suppressed = {target for rule in pack.rules for target in rule.suppresses}
    targets = [rule for rule in pack.rules if rule.id in suppressed]
    count = len(pack.facts) + len(targets)
    if count <= room:
        return []
    message = msg("c_too_many_properties", facts=len(pack.facts), suppressed=len(targets),
                  own=len(OWN_PROPERTIES), count=count + len(OWN_PROPERTIES), limit=MAX_PROPERTIES)
    if len(pack.facts) > room:
        where = pack.declared_at[("fact", list(pack.facts)[room])]
    else:
        where = targets[room - len(pack.facts)].where
    return [Diagnostic(where.path, where.line, where.column, message, "R111")]


def _rule_pattern(rule: Rule, params: dict[str, Value], marked: Names | None, names: Names) -> dict:
    """The rule's whole pattern: the marker test, then its condition; valid_from / valid_until and suppression
    (`marked`: the rule can be suppressed) are part of it, so the engine decides them too."""
    tests = [{MARK: 1}, _expression(rule.when, params, names)]
    if rule.valid_from:
        tests.append({"$gte": {AS_OF: rule.valid_from.toordinal()}})
    if rule.valid_until:
        tests.append({"$lte": {AS_OF: rule.valid_until.toordinal()}})
    if marked:
        tests.append({"$nex": {marked.markers[rule.id]: 1}})
    return _join("$and", tests)


def encode_facts(compiled: Compiled, facts: dict[str, Value], as_of: dt.date,
                 suppressed: Iterable[Rule] = ()) -> dict[str, Any]:
    """The facts as the engine sees them ({property: value}): under the property names the compiler chose
    (`compiled.names`), enum values as their codes, dates as day numbers, the date of the advice, and a marker
    for each rule that a fired rule suppressed."""
    names = compiled.names
    encoded = {names.facts[name]: _encode(names, name, value) for name, value in facts.items()}
    encoded[AS_OF] = as_of.toordinal()
    encoded.update({names.markers[rule.id]: 1 for rule in suppressed})
    return encoded


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


def junctions(expression: dict) -> int:
    """How many `$and`/`$or` nodes an expression holds (MAX_JUNCTIONS)."""
    (key, value), = expression.items()
    return 1 + sum(junctions(item) for item in value) if key in ("$and", "$or") else 0


def _expression(condition: Condition, params: dict[str, Value], names: Names | None = None) -> dict:
    """The condition as an engine pattern, from its negation normal form (`not` pushed down to the tests).
    Without `names`, facts keep their own names and values (the shape only, e.g. to count alternatives)."""
    return _pattern(nnf(condition), params, names or Names({}, {}, {}))


def _pattern(node: Normal, params: dict[str, Value], names: Names) -> dict:
    if isinstance(node, Junction):
        return _join("$and" if node.kind == "all" else "$or", [_pattern(item, params, names) for item in node.items])
    test, negate = node.test, node.negated
    prop = names.facts.get(test.fact, test.fact)
    value = params[test.param] if test.param else test.value
    if test.op == "present":
        return {"$ex" if value != negate else "$nex": {prop: 1}}
    if not negate:
        return _comparison(prop, test.op, value, lambda v: _encode(names, test.fact, v))
    # A test on an absent fact is false, so its negation holds when the fact is absent.
    return _join("$or", [{"$nex": {prop: 1}},
                         _comparison(prop, _INVERSE[test.op], value, lambda v: _encode(names, test.fact, v))])


def _comparison(prop: str, op: str, value: Any, encode: Callable[[Any], Any]) -> dict:
    if op == "in":
        return _join("$or", [{prop: encode(v)} for v in value])
    if op == "not_in":
        return _join("$and", [{"$neq": {prop: encode(v)}} for v in value])
    if op == "eq":
        return {prop: encode(value)}
    return {_DURABLE_OP[op]: {prop: encode(value)}}


def _join(op: str, items: list[dict]) -> dict:
    """`op` over the items, an item that is itself `op` merged into it: the same matches with fewer junctions
    (MAX_JUNCTIONS)."""
    merged = [part for item in items for part in (item[op] if op in item else [item])]
    return merged[0] if len(merged) == 1 else {op: merged}


def _encode(names: Names, fact: str, value: Any) -> Any:
    """A value of `fact` as the engine compares it: an enum value as its code, a date as its day number, a datetime
    as its minutes since 0001-01-01 (units.minutes: at most about 5.3 × 10**9, an int64 as every number is)."""
    if fact in names.codes:
        return names.codes[fact].get(value, UNKNOWN_CODE)
    if isinstance(value, dt.datetime):
        return minutes(value)
    return value.toordinal() if isinstance(value, dt.date) else value
