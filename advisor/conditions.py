"""What a rule condition means: the one place that knows it.

A condition is a tree of groups (all, any, not) over tests of one fact each (model.Test, model.Group).
Every stage that reasons about conditions without running the engine asks this module:

- evaluation as durable_rules decides it (`compare` for one test, `evaluate` for a condition), two-valued
  for a scenario and three-valued (Kleene) for the interview, where a fact not asked yet is UNDECIDED;
- negation: `nnf` pushes every `not` down to the tests (compile.py builds the engine's patterns from it),
  `literals` lists the tests with whether they sit under a `not`, and `dnf` expands a condition or its
  negation into alternatives, with their number computed before anything is expanded (`dnf_size`);
  `covers` decides whether a condition holds whenever other alternatives do, within the same bound;
- `candidates`: for each fact, values that between them fall in every region the pack's tests can tell
  apart (the lints and the near misses of --explain try them);
- what a condition reads: `facts_read`, `params_read`, `setters` (the rules that set a fact), `depends_on`
  (through derived facts and, when asked, through the rules that set a fact);
- `as_number`: how the engine orders numbers and dates (dates as day numbers);
- the {placeholders} of a text (`PLACEHOLDER`, `placeholders`, `shown`).

tests/test_conditions.py checks on random conditions and facts that `evaluate` agrees with the engine.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from math import prod
from typing import Callable, Iterable, Iterator, Mapping, Union

from .model import ABSENT, LANGS, Condition, Pack, Rule, Test, Text, Value
from .units import from_minutes, minutes

# ------------------------------------------------------------------------------------------ evaluation


class _Undecided:
    """The value of a fact that an answer still to come can change (advise ask)."""

    def __repr__(self) -> str:
        return "UNDECIDED"


UNDECIDED = _Undecided()
Found = Union[Value, None, _Undecided]  # a fact's value, ABSENT (None), or UNDECIDED
Lookup = Callable[[str], Found]


def compare(test: Test, value: Value | None, params: Mapping[str, Value] | None = None) -> bool:
    """Whether one test holds for its fact's value (ABSENT: nobody gave it), as the engine decides it.

    A test on an absent fact is false, except `present: false`. A test naming a parameter compares with
    `params[test.param]` when `params` are given (a scenario may change a parameter), else with its value."""
    if test.op == "present":
        return (value is not ABSENT) == test.value
    if value is ABSENT:
        return False
    operand = params[test.param] if test.param and params else test.value
    if isinstance(operand, tuple):  # in, not_in
        return (value in operand) == (test.op == "in")
    if test.op in ("eq", "ne"):
        return (value == operand) == (test.op == "eq")
    ours, theirs = as_number(value), as_number(operand)  # lt lte gt gte: numbers and dates only (validated)
    return {"lt": ours < theirs, "lte": ours <= theirs, "gt": ours > theirs, "gte": ours >= theirs}[test.op]


@dataclass(frozen=True)
class Line:
    """One line of a condition as evaluated: a group (all, any, not) or a test, with whether it held."""

    depth: int
    kind: str  # all | any | not | test
    held: bool | None  # None: undecided
    test: Test | None = None
    value: Value | None = None  # the fact's value; ABSENT when nobody gave it


def evaluate(condition: Condition, value: Lookup, params: Mapping[str, Value] | None = None,
             lines: list[Line] | None = None, depth: int = 0) -> bool | None:
    """Whether the condition holds: True, False, or None while a fact it needs is UNDECIDED (Kleene logic:
    one false item decides `all`, one true item decides `any`, `not` swaps true and false).

    `value(name)` gives a fact's value; `lines`, when given, receives every group and test in order, with
    its result (explain's trace of a rule). Every item is evaluated, as the trace shows them all."""
    if isinstance(condition, Test):
        found = value(condition.fact)
        known = None if isinstance(found, _Undecided) else found
        held = None if isinstance(found, _Undecided) else compare(condition, known, params)
        if lines is not None:
            lines.append(Line(depth, "test", held, condition, known))
        return held
    at = len(lines) if lines is not None else 0
    if lines is not None:
        lines.append(Line(depth, condition.kind, None))
    results = [evaluate(item, value, params, lines, depth + 1) for item in condition.items]
    if condition.kind == "not":
        held = None if results[0] is None else not results[0]
    else:
        deciding = condition.kind == "any"  # one true item decides `any`, one false item decides `all`
        held = deciding if deciding in results else None if None in results else not deciding
    if lines is not None:
        lines[at] = Line(depth, condition.kind, held)
    return held


def holds(condition: Condition, facts: Mapping[str, Value], params: Mapping[str, Value] | None = None) -> bool:
    """Whether the condition holds for these facts (a fact left out is absent), as the engine decides it."""
    return bool(evaluate(condition, lambda name: facts.get(name, ABSENT), params))


# -------------------------------------------------------------------------------------------- negation

@dataclass(frozen=True)
class Literal:
    """A test, or its negation. A negated test holds when the fact is absent (the test itself is false then)."""

    test: Test
    negated: bool

    def holds(self, value: Value | None, params: Mapping[str, Value] | None = None) -> bool:
        return compare(self.test, value, params) != self.negated


@dataclass(frozen=True)
class Junction:
    """`all` or `any` of items in negation normal form: no `not` left above a test."""

    kind: str  # all | any
    items: tuple[Normal, ...]


Normal = Union[Literal, Junction]


def nnf(condition: Condition, negate: bool = False) -> Normal:
    """The condition (or, with `negate`, its negation) in negation normal form: De Morgan down to the tests."""
    if isinstance(condition, Test):
        return Literal(condition, negate)
    if condition.kind == "not":
        return nnf(condition.items[0], not negate)
    conjunction = (condition.kind == "all") != negate
    return Junction("all" if conjunction else "any", tuple(nnf(item, negate) for item in condition.items))


def literals(condition: Condition) -> Iterator[Literal]:
    """Every test of the condition in order, with whether it sits under an odd number of `not`s."""
    stack = [nnf(condition)]
    while stack:
        node = stack.pop()
        if isinstance(node, Literal):
            yield node
        else:
            stack.extend(reversed(node.items))


Term = list[Literal]  # a conjunction
MAX_TERMS = 4096  # beyond this a condition is not expanded (the lints then say nothing about it)


def dnf(condition: Condition, negate: bool = False) -> list[Term] | None:
    """The condition (or its negation) as alternatives, each a conjunction of literals; None when there would
    be more than MAX_TERMS of them (counted first: nothing is expanded then)."""
    normal = nnf(condition, negate)
    if _count(normal) > MAX_TERMS:
        return None
    return _expand(normal)


def dnf_size(condition: Condition, negate: bool = False) -> int:
    """How many alternatives `dnf` would give, counted on the negation normal form without expanding it
    (time in proportion to the condition's size, whatever the count)."""
    return _count(nnf(condition, negate))


def _count(node: Normal) -> int:
    if isinstance(node, Literal):
        return 1
    counts = [_count(item) for item in node.items]
    return sum(counts) if node.kind == "any" else prod(counts)


def covers(condition: Condition, terms: list[Term], candidates: Mapping[str, list]) -> bool | None:
    """Whether `condition` holds whenever one of the alternatives `terms` does (no alternative is satisfiable
    together with the condition's negation); None when deciding it would compare more than MAX_TERMS pairs of
    alternatives, counted before the negation is expanded: a small condition whose negation expands to
    thousands of alternatives, against a rule of dozens, would otherwise take minutes."""
    if len(terms) * dnf_size(condition, negate=True) > MAX_TERMS:
        return None
    negated = dnf(condition, negate=True) or []
    return all(not satisfiable(term + other, candidates) for term in terms for other in negated)


def _expand(node: Normal) -> list[Term]:
    if isinstance(node, Literal):
        return [[node]]
    parts = [_expand(item) for item in node.items]
    if node.kind == "any":
        return [term for part in parts for term in part]
    terms: list[Term] = [[]]
    for part in parts:
        terms = [term + more for term in terms for more in part]
    return terms


def satisfiable(term: Term, candidates: Mapping[str, list]) -> bool:
    """Whether some value of each fact (among its `candidates`) passes all the term's literals on it, the facts
    taken as independent. A literal comparing with a parameter is left out: a scenario may give the parameter
    any value, so it can go either way."""
    by_fact: dict[str, list[Literal]] = {}
    for literal in term:
        if not literal.test.param:
            by_fact.setdefault(literal.test.fact, []).append(literal)
    return all(any(all(literal.holds(value) for literal in found) for value in candidates[fact])
               for fact, found in by_fact.items())


# ------------------------------------------------------------------------------------------ candidates

def constants(pack: Pack, valuations: Iterable[Mapping[str, Value]] = ()) -> dict[str, set]:
    """For each fact, the values its tests compare it with (tests on presence have none). A test naming a
    parameter compares with its value in each of `valuations`, or with the pack's value without any."""
    found: dict[str, set] = {name: set() for name in pack.facts}
    valuations = list(valuations)
    for rule in pack.rules:
        for literal in literals(rule.when):
            test = literal.test
            if test.op == "present":
                continue
            operands = [params[test.param] for params in valuations] if test.param and valuations else [test.value]
            for operand in operands:
                found[test.fact].update(operand if isinstance(operand, tuple) else [operand])
    return found


def candidates(pack: Pack, tested: Mapping[str, set], beyond: bool = False,
               names: Iterable[str] | None = None) -> dict[str, list]:
    """For each fact (of `names`, default all), values that between them fall in every region its tested
    constants tell apart: each enum value, true and false, and for a number or date each constant c and
    c - 1 and c + 1, within the fact's min and max; then absent, for a fact without a default (a scenario
    that leaves out a fact with a default gets the default).

    With `beyond` (the lints: they must see every region), also a value two beyond the smallest and largest
    constant, and a value for a fact that is never compared with anything (it may still be tested present)."""
    result: dict[str, list] = {}
    for name in pack.facts if names is None else names:
        fact = pack.facts[name]
        if fact.type == "enum":
            values: list = list(fact.values)
        elif fact.type == "bool":
            values = [True, False]
        else:
            values = _around(fact.type, tested.get(name, set()), beyond, fact.min, fact.max)
        result[name] = values + ([ABSENT] if fact.default is None else [])
    return result


_DAY_ONE = dt.date(2000, 1, 1)  # the value tried for a date never compared with anything


def _around(kind: str, points: set, beyond: bool, low: int | None, high: int | None) -> list:
    """c - 1, c, c + 1 for each constant c (ints, or dates as day numbers), in order, within low..high."""
    numbers = {as_number(point) for point in points if point is not None}
    if beyond and not numbers:  # compared with nothing, maybe tested present: any value it may take
        numbers = {_inside(kind, low, high)}
    found = {c + d for c in numbers for d in (-1, 0, 1)}
    if beyond:
        found |= {min(numbers) - 2, max(numbers) + 2}
    return _values(kind, found, low, high)


def _values(kind: str, found: set[int], low: int | None, high: int | None) -> list:
    """The values of a `kind` the numbers `found` stand for (as_number), in order, within low..high and the
    calendar."""
    if kind == "date":  # within the calendar: year 1 to 9999
        low, high = max(low or 1, 1), min(high or dt.date.max.toordinal(), dt.date.max.toordinal())
        return [dt.date.fromordinal(day) for day in sorted(found) if _within(day, low, high)]
    if kind == "datetime":  # a minute either side, within the calendar
        last = minutes(dt.datetime.combine(dt.date.max, dt.time(23, 59)))
        return [from_minutes(count) for count in sorted(found) if _within(count, 0, last)]
    return [value for value in sorted(found) if _within(value, low, high)]


def _inside(kind: str, low: int | None, high: int | None) -> int:
    """A value a fact may take: _DAY_ONE for a date, else 0 or the nearest of low..high."""
    if kind == "date":
        return _DAY_ONE.toordinal()
    if kind == "datetime":
        return minutes(dt.datetime.combine(_DAY_ONE, dt.time()))
    value = 0 if low is None else max(low, 0)
    return value if high is None else min(value, high)


def _within(value: int, low: int | None, high: int | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def not_after(value: object, bound: object) -> bool:
    """Whether `value` is within its at_most `bound` (both of one ordered type, or a datetime and as_of: any time on
    that day is within it)."""
    if isinstance(value, dt.datetime) and not isinstance(bound, dt.datetime):
        value = value.date()
    return as_number(value) <= as_number(bound)


def as_number(value: object) -> int:
    """A value as the engine orders it: a date as its day number, a datetime as its minutes since 0001-01-01
    (units.minutes), a number as itself (any other value is a
    TypeError): `compare` (lt, lte, gt, gte), the candidates and the checks of at_most limits order through it."""
    if isinstance(value, dt.datetime):  # before dt.date, of which it is a kind
        return minutes(value)
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, int):
        return value
    raise TypeError(f"{value!r} is neither a number nor a date")


# ----------------------------------------------------------------------------------- what is read

def tests(condition: Condition) -> list[Test]:
    """Every test of the condition, in order (as `literals` gives them, without working out which are negated:
    reading a 10,000-rule pack asks this of every rule, twice)."""
    found: list[Test] = []
    stack = [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, Test):
            found.append(node)
        else:
            stack.extend(reversed(node.items))
    return found


def facts_read(condition: Condition) -> list[str]:
    """The facts the condition's tests read, in order, each once."""
    return list(dict.fromkeys(test.fact for test in tests(condition)))


def params_read(condition: Condition) -> list[str]:
    """The parameters the condition's tests compare with, in order, each once."""
    return list(dict.fromkeys(test.param for test in tests(condition) if test.param))


def setters(pack: Pack, fact: str) -> list[Rule]:
    """The rules that set `fact` when they fire (`sets:`), in pack order (from an index built once per pack)."""
    return list(pack.setting.get(fact, ()))


def depends_on(pack: Pack, names: Iterable[str], through_setters: bool = False) -> set[str]:
    """`names` and every fact, parameter or as_of they are computed from (derived facts' arguments, at any
    depth); with `through_setters`, also what the conditions of the rules setting a fact read."""
    found = set(names)
    pending = list(found)
    while pending:
        fact = pack.facts.get(pending.pop())
        if fact is None:
            continue
        more = set(fact.derive.args) if fact.derive else set()
        if through_setters and fact.set_by_rules:
            more.update(name for rule in setters(pack, fact.name) for name in facts_read(rule.when))
        more -= found
        found |= more
        pending.extend(more)
    return found


# ---------------------------------------------------------------------------------------- placeholders

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")  # {name}, {name.lowest}: filled by explain.fill, never evaluated


def placeholders(text: str) -> list[str]:
    """The {placeholders} of a text as written: "{auto_termination_on.lowest}" -> auto_termination_on.lowest."""
    return PLACEHOLDER.findall(text)


def shown(texts: Iterable[Text | None]) -> set[str]:
    """The facts and parameters the texts show in any language: {auto_termination_on.lowest} shows
    auto_termination_on."""
    return {name.partition(".")[0] for text in texts if text for lang in LANGS
            for name in placeholders(text.get(lang))}
