"""Stage 3, derive: facts computed from the scenario before the rules run.

Which facts are derived, and from what, is declared in the pack's facts.yaml (`derive:`); this module
is the closed list of operations a pack may use. A derived fact is left absent when any of its inputs
is absent, so rules never see a value computed from a guess.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import product
from typing import Callable

import jpholiday

from .model import Pack, Rule, Value, Variant

# The holiday calendar of add_business_days: Japan, where the platforms of the bundled packs (CrowdWorks)
# and their support desks work. jpholiday computes Japan's national holidays (祝日), substitute holidays
# (振替休日) and the days between two holidays (国民の休日) from the Holidays Act, offline, with no data
# downloaded at run time; it is checked against the Cabinet Office's published list through 2026. Saturdays and
# Sundays are never business days. A pack cannot choose another calendar (yet): change this one if needed.
HOLIDAY_CALENDAR = "JP"
_IS_HOLIDAY: dict[str, Callable[[dt.date], bool]] = {"JP": jpholiday.is_holiday}


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not _IS_HOLIDAY[HOLIDAY_CALENDAR](day)


MAX_BUSINESS_DAYS = 10_000  # about 40 years: beyond it add_business_days gives no date (it counts day by day)


def add_business_days(day: dt.date, count: int) -> dt.date:
    """The `count`th business day after `day` (before it, when negative; `day` itself for 0): Friday 2026-11-20
    plus 2 is Wednesday 2026-11-25, as Monday 2026-11-23 is a holiday (勤労感謝の日)."""
    if abs(count) > MAX_BUSINESS_DAYS:
        raise OverflowError(f"more than {MAX_BUSINESS_DAYS} business days")
    step = dt.timedelta(days=1 if count > 0 else -1)
    for _ in range(abs(count)):
        day += step
        while not is_business_day(day):
            day += step
    return day


# name -> (argument types, result type, function). A "date" argument may be as_of, the scenario's today.
OPERATIONS: dict[str, tuple[tuple[str, ...], str, Callable[..., Value]]] = {
    # whole days from the date to as_of: request sent 2026-11-11, as_of 2026-11-25 -> 14
    "days_since": (("date", "date"), "int", lambda since, as_of: (as_of - since).days),
    # whole days from as_of to the date; negative once it has passed
    "days_until": (("date", "date"), "int", lambda until, as_of: (until - as_of).days),
    "add_days": (("date", "int"), "date", lambda day, days: day + dt.timedelta(days=days)),
    # the last day before a date: the last day to act when something happens on that date
    "day_before": (("date",), "date", lambda day: day - dt.timedelta(days=1)),
    # the Nth business day after the date, skipping weekends and HOLIDAY_CALENDAR's public holidays
    "add_business_days": (("date", "int"), "date", add_business_days),
    "difference": (("int", "int"), "int", lambda minuend, subtrahend: minuend - subtrahend),
    # amount x part / whole in yen, rounded down: a fee is never promised above what was earned
    "pro_rata": (("money", "int", "int"), "money", lambda amount, part, whole: amount * part // whole),
    # amount x percent / 100 in yen, rounded down, for work measured as a share rather than in units
    "percent_of": (("money", "int"), "money", lambda amount, percent: amount * percent // 100),
}

# Operations whose last argument is as_of, filled in by derive() rather than written by the author.
TAKES_AS_OF = {"days_since", "days_until"}


def derive(pack: Pack, facts: dict[str, Value], as_of: dt.date, params: dict[str, Value]) -> dict[str, Value]:
    """The scenario's facts plus every derived fact whose inputs are all present (`params`: parameter values)."""
    known: dict[str, Value] = dict(params)
    known.update(facts)
    known["as_of"] = as_of
    result = dict(facts)
    for fact in pack.facts.values():
        if fact.derive is None:
            continue
        args = list(fact.derive.args)
        if fact.derive.op in TAKES_AS_OF:
            args.append("as_of")
        if any(arg not in known for arg in args):
            continue
        values = [known[arg] for arg in args]
        if fact.derive.op == "pro_rata" and values[2] == 0:
            continue
        try:
            known[fact.name] = result[fact.name] = OPERATIONS[fact.derive.op][2](*values)
        except OverflowError:  # a date before year 1 or after 9999: no such day, so no such fact
            continue
    return result


# ------------------------------------------------------------------ parameters with several values

@dataclass(frozen=True)
class View:
    """The facts under one choice of value for every parameter with several values (parameters.yaml `values:`)."""

    params: dict[str, Value]  # every parameter's value in this view
    picks: tuple[tuple[str, Variant], ...]  # (parameter, the value chosen) for each parameter with several values
    facts: dict[str, Value]  # the scenario's facts, derived facts and facts set by rules, under these values


def rule_params(pack: Pack, rule: Rule, pinned: dict[str, Value]) -> dict[str, Value]:
    """The parameter values `rule` is evaluated with: a parameter with several values at the side the rule
    takes (`side:`; the lowest when the rule does not depend on it), unless the scenario pins it (`params:`)."""
    sides = dict(rule.sides)
    return {name: p.at(sides.get(name, "lowest")) for name, p in pack.parameters.items()} | pinned


def views(pack: Pack, facts: dict[str, Value], as_of: dt.date, pinned: dict[str, Value]) -> tuple[View, ...]:
    """The scenario's facts, derived once per combination of the values of the parameters with several values
    that the scenario does not pin, lowest first: the first view takes every lowest value, the last every
    highest. Without such parameters, one view."""
    base = {name: p.value for name, p in pack.parameters.items()} | pinned
    ranged = [p for p in pack.parameters.values() if p.ranged and p.name not in pinned]
    result = []
    for combination in product(*(p.variants for p in ranged)):
        params = base | {p.name: variant.value for p, variant in zip(ranged, combination)}
        picks = tuple((p.name, variant) for p, variant in zip(ranged, combination))
        result.append(View(params, picks, derive(pack, facts, as_of, params)))
    return tuple(result)
