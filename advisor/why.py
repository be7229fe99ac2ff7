"""`--explain`: why each piece of advice was given, which advice nearly was, and what unknown facts could change.

For each recommendation: every test of its rule with the fact's value and whether it held, the derived
facts it used and how they were computed, and the parameters involved. Near misses and unknown facts are
found by asking the engine, not by guessing: the scenario is run again with one fact changed (then two,
for rules one change cannot reach), using for each fact the few values that the pack's tests can tell
apart, and the rules that fire then are compared with those that fired.

The search is bounded (SEARCH_BUDGET), smallest changes first; a search that reaches the bound stops, and the
explanation says so (Why.complete).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations

from . import pipeline
from .conditions import (
    UNDECIDED,
    Found,
    Line,
    candidates,
    constants,
    depends_on,
    evaluate,
    facts_read,
    not_after,
    setters,
)
from .derive import OPERATIONS, View, derivation_work, rule_params, views
from .diagnostics import InputError
from .explain import Advice
from .model import ABSENT, Fact, Pack, Rule, Value

# What --explain may spend on variants of the scenario: 1 per variant looked at (its derived facts computed and
# the rules it may make fire evaluated, without the engine), plus the business days add_business_days walks to
# derive them (derive.derivation_work: a day costs about what a rule does), plus, per variant the engine runs,
# the work of its rounds (pipeline.Chained.work: the rules of every shard asserted into, a run costing durable
# about the same per rule, measured on 2 cores 0.05-0.15 ms, and each call of durable back into Python, once per
# alternative of a rule's condition that matched, about 0.1 ms each as it decodes the fact). The first round
# asserts into every shard, at least the number of rules in the pack; a chain of suppressions adds a round per
# step. The bundled scenarios spend at most 47,589; a pack of 1,000 rules gets at most 100 engine runs and one of
# 10,000 rules 10, where the unbounded search took minutes (1,000 generated rules: 510 s; a chain of 240
# suppressions, each run charged as one round: minutes too; 2,000 rules firing through 12 alternatives each,
# each fired rule charged once: minutes). The search may pass the budget by the one run that reaches it: what a
# run costs is known once it has run.
SEARCH_BUDGET = 100_000


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
    complete: bool = True  # False: the search reached its bound (SEARCH_BUDGET), more may be one change away


def why(advice: Advice) -> Why:
    """The trace of each recommendation, the near misses and the unknown facts that could change the advice,
    within SEARCH_BUDGET (Why.complete is False when the search stopped there)."""
    traces = tuple(_trace(r.rule, advice) for r in advice.recommendations)
    trial = _Trial(advice)
    options = _options(advice.pack, [view.params for view in advice.views], advice.scenario.as_of, trial.given)
    singles = [((fact, value),) for fact, values in options.items() for value in values]
    outcomes = {changes: trial.fires(changes) for changes in singles}
    return Why(traces, _near_misses(trial, singles, outcomes), _unknown(trial, outcomes), trial.budget >= 0)


class _Trial:
    """Runs the scenario again with some facts changed: (fact, value or ABSENT) pairs -> the rules that fire."""

    def __init__(self, advice: Advice):
        self.pack, self.scenario = advice.pack, advice.scenario
        self.given = dict(self.scenario.facts)
        self.fired = {r.rule.id for r in advice.recommendations}
        self.advised = {r.rule.action for r in advice.recommendations}
        self.compiled = pipeline.compiled_for(self.pack, self.scenario.params)
        self.watching = _watching(self.pack)
        self.by_id = {rule.id: rule for rule in self.pack.rules}
        self.settable = {name for name, fact in self.pack.facts.items() if fact.set_by_rules}
        self.budget = SEARCH_BUDGET  # below 0: the search stopped
        self.ran: dict[tuple, set[str]] = {}  # changes -> the rules that fired, for those the engine ran

    def fires(self, changes: tuple, target: Rule | None = None) -> set[str]:
        """The rules that fire with the changes; an empty set when no rule that did not fire (or not `target`,
        when given) can fire then (`_may_fire`), which is all the near misses and unknown facts ask of it, and
        once the budget is spent. The engine runs once per set of changes (`ran`)."""
        if changes in self.ran:
            return self.ran[changes]
        self.budget -= 1
        if self.budget < 0:
            return set()
        facts = dict(self.given)
        for fact, value in changes:
            if value is ABSENT:
                facts.pop(fact, None)
            else:
                facts[fact] = value
        if not _consistent(self.pack, facts, self.scenario.as_of):
            return set()
        try:
            derived = views(self.pack, facts, self.scenario.as_of, dict(self.scenario.params))
            self.budget -= sum(derivation_work(self.pack, view, self.scenario.as_of) for view in derived)
            if self.budget < 0 or not self._may_fire(changes, derived, target):
                return set()
            self.budget -= len(self.pack.rules)  # the first round asserts into every shard
            if self.budget < 0:
                return set()
            run = pipeline.chain(self.pack, self.compiled, derived, self.scenario.as_of)
            self.budget -= run.work - len(self.pack.rules)  # the rules that fired, the rounds after the first
            fired = {rule.id for rule in run.fired}
            self.ran[changes] = fired
            return fired
        except InputError:  # two rules set one fact differently in this variant: no advice to compare
            return set()

    def _may_fire(self, changes: tuple, derived: tuple[View, ...], target: Rule | None) -> bool:
        """Whether a rule that did not fire may fire with the changes, decided without the engine: only a rule
        that depends on a changed fact, or is down a chain of suppressions from one (a rule that stops firing
        stops hiding the next, which then hides nothing: pipeline.chain), can start firing, and only if its
        condition does not evaluate to false on its view, facts set by rules taken as undecided. The engine
        then runs only for these changes, so the search costs, per value tried, the rules that read the fact
        and those below them rather than the whole pack. With a `target`, only whether that rule may fire."""
        pinned = dict(self.scenario.params)
        watched = [target] if target else self._below([rule for fact, _ in changes
                                                       for rule in self.watching.get(fact, ())])
        for rule in watched:
            params = rule_params(self.pack, rule, pinned)
            view = next(view for view in derived if view.params == params)
            if evaluate(rule.when, self._lookup(view.facts), params) is not False:
                return True
        return False

    def _below(self, rules: list[Rule]) -> list[Rule]:
        """The rules that did not fire among `rules` and those down their chains of suppressions."""
        seen = {rule.id: rule for rule in rules}
        queue = list(seen.values())
        while queue:
            for target in queue.pop().suppresses:
                if target not in seen:
                    seen[target] = self.by_id[target]
                    queue.append(seen[target])
        return [rule for rule in seen.values() if rule.id not in self.fired]

    def _lookup(self, facts: dict[str, Value]):
        def value(name: str) -> Found:
            return UNDECIDED if name in self.settable else facts.get(name, ABSENT)
        return value

    def new(self, rule: Rule) -> bool:
        """Whether the rule would add advice: it did not fire, and no rule for its action did."""
        return rule.id not in self.fired and rule.action not in self.advised


def _near_misses(trial: _Trial, singles: list[tuple], outcomes: dict[tuple, set[str]]) -> tuple[NearMiss, ...]:
    """Advice one change would give, else two changes (among the facts the rule depends on); fewest first."""
    missed: dict[str, tuple] = {}
    for changes, result in outcomes.items():
        for rule_id in sorted(result - trial.fired):
            missed.setdefault(rule_id, changes)
    for rule in trial.pack.rules:
        if trial.budget < 0:
            break
        if rule.id in missed or not trial.new(rule):
            continue
        for changes in _pairs(rule, trial.pack, singles):
            if trial.budget < 0:
                break
            if rule.id in trial.fires(changes, rule):
                missed[rule.id] = changes
                break
    # Only advice not already given: another rule for an action that is advised adds nothing to say.
    near = (NearMiss(rule, tuple((fact, value, trial.given.get(fact)) for fact, value in missed[rule.id]))
            for rule in trial.pack.rules if rule.id in missed and rule.action not in trial.advised)
    return tuple(sorted(near, key=lambda miss: (len(miss.changes), miss.rule.rank)))


def _pairs(rule: Rule, pack: Pack, singles: list[tuple]) -> Iterator[tuple]:
    """Two changes of two different facts that the rule depends on, made as the search asks for them."""
    relevant = _inputs(rule, pack)
    return (a + b for a, b in combinations([c for c in singles if c[0][0] in relevant], 2) if a[0][0] != b[0][0])


def _unknown(trial: _Trial, outcomes: dict[tuple, set[str]]) -> tuple[Unknown, ...]:
    """The facts nobody gave that some value of would give new advice, with that advice's rules by rank."""
    found = []
    ranked = sorted(trial.pack.rules, key=lambda r: r.rank)
    for fact in trial.pack.facts.values():
        if fact.name in trial.given or not fact.given_by_user:
            continue
        unlocked = set().union(*(result for changes, result in outcomes.items() if changes[0][0] == fact.name))
        rules = tuple(r for r in ranked if r.id in unlocked and trial.new(r))
        if rules:
            found.append(Unknown(fact.name, rules))
    return tuple(found)


def _trace(rule: Rule, advice: Advice) -> Trace:
    """How the rule's condition evaluated, at the side it takes, with the computations and parameters used."""
    pack = advice.pack
    view = advice.view(rule)  # the values at the side the rule takes
    facts, values = view.facts, view.params
    lines: list[Line] = []
    evaluate(rule.when, lambda name: facts.get(name, ABSENT), values, lines)
    used = list(dict.fromkeys(line.test.fact for line in lines if line.test))
    steps = _steps(pack, used, view, advice.scenario.as_of)
    params = [line.test.param for line in lines if line.test and line.test.param]
    params += [arg for step in steps for arg, _ in step.args if arg in pack.parameters]
    return Trace(rule, tuple(lines), steps, tuple((p, values[p]) for p in dict.fromkeys(params)),
                 _set_by(advice, [name for name in used if name in facts]))


def _set_by(advice: Advice, used: list[str]) -> tuple[tuple[str, str], ...]:
    """(fact, rule id) for each fact used that a rule which fired set."""
    fired = {r.rule.id for r in advice.recommendations}
    return tuple((name, rule.id) for name in used if advice.pack.facts[name].set_by_rules
                 for rule in setters(advice.pack, name) if rule.id in fired)


def _steps(pack: Pack, used: list[str], view: View, as_of: dt.date) -> tuple[Step, ...]:
    """The derived facts used, and those they were computed from, inputs first."""
    facts = view.facts
    # A derived fact is in `facts` only when all its arguments were known (derive.derive).
    known: dict[str, Value] = {"as_of": as_of, **facts, **view.params}
    steps: list[Step] = []
    pending = list(used)
    seen: set[str] = set()
    while pending:
        name = pending.pop(0)
        fact = pack.facts.get(name)
        if name in seen or fact is None or fact.derive is None or name not in facts:
            continue
        seen.add(name)
        args = tuple((arg, known[arg]) for arg in fact.derive.args)
        steps.append(Step(name, fact.derive.op, args, facts[name]))
        pending += list(fact.derive.args)
    return tuple(reversed(steps))


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
    return {name: _nearest_first(pack.facts[name], values, given.get(name), as_of) for name, values in found.items()}


def _nearest_first(fact: Fact, values: list, current: Value | None, as_of: dt.date) -> list:
    """The values a scenario could give instead of `current`, the smallest change of a number or date first."""
    if fact.at_most == "as_of":
        values = [v for v in values if v is ABSENT or not_after(v, as_of)]
    if fact.type in ("int", "money", "date", "datetime") and current is not None:
        values.sort(key=lambda v: (v is ABSENT, abs(v - current) if v is not ABSENT else 0))
    return [v for v in values if v != current]


def _consistent(pack: Pack, facts: dict[str, Value], as_of: dt.date) -> bool:
    """Whether the changed facts are still a scenario advise would accept (at_most between facts)."""
    for name, value in facts.items():
        limit = pack.facts[name].at_most
        bound = as_of if limit == "as_of" else facts.get(limit) if limit else None
        if bound is not None and not not_after(value, bound):  # validated: of one ordered type (or as_of)
            return False
    return True


def _watching(pack: Pack) -> dict[str, list[Rule]]:
    """For each fact, the rules depending on it (`_inputs`): a change of the fact may make them fire or stop."""
    found: dict[str, list[Rule]] = {}
    for rule in pack.rules:
        for fact in _inputs(rule, pack):
            found.setdefault(fact, []).append(rule)
    return found


def _inputs(rule: Rule, pack: Pack) -> set[str]:
    """The facts a rule's condition depends on, through derived facts and facts rules set."""
    return {name for name in depends_on(pack, facts_read(rule.when), through_setters=True) if name in pack.facts}
