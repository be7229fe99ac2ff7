"""Stage 3, derive: facts computed from the scenario before the rules run.

Which facts are derived, and from what, is declared in the pack's facts.yaml (`derive:`); this module
is the closed list of operations a pack may use (OPERATIONS). Each operation is one entry there: the types
of its arguments and result (checked by validate), how it is computed, how --explain shows it (render), and
the input values the near misses of --explain try through it (why). A derived fact is left absent when any of its inputs
is absent, so rules never see a value computed from a guess.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from typing import Callable

from .messages import say
from .model import MAX_INT, Fact, Pack, Rule, Value, Variant
from .units import add_hours, date_of

# The holiday calendars of add_business_days, one per value of pack.yaml `calendar:` (model.CALENDARS): the
# country where the platform's support desk works. JP (the default): jpholiday computes Japan's national
# holidays (祝日), substitute holidays (振替休日) and the days between two holidays (国民の休日) from the
# Holidays Act, offline, with no data downloaded at run time; it is checked against the Cabinet Office's
# published list through 2026. US: the federal
# holidays (with the weekday observed for one on a weekend: Friday 2026-07-03 for Saturday July 4th) as the
# `holidays` library computes them, also offline; it is imported only when a US pack counts business days, as
# importing it takes a tenth of a second. Saturdays and Sundays are never business days in either.
HOLIDAY_CALENDAR = "JP"  # the calendar of a pack that does not say (pack.yaml calendar:)


def _is_jp_holiday(day: dt.date) -> bool:
    # jpholiday looks at the next day to find 国民の休日 and raises OverflowError on 9999-12-31, which has no next
    # day: that day is no holiday (12-31 is no 祝日, and 国民の休日 needs a holiday the day after), so it is a
    # business day rather than "no such day".
    import jpholiday  # here: only a pack that counts business days needs it (a few ms of start-up otherwise)
    return day != dt.date.max and jpholiday.is_holiday(day)


@lru_cache(maxsize=1)
def _us_holidays() -> Mapping[dt.date, str]:
    """The United States' federal holidays, each year computed when first asked (holidays' own expansion)."""
    from holidays.countries.united_states import UnitedStates

    return UnitedStates()


def _is_us_holiday(day: dt.date) -> bool:
    return day in _us_holidays()


_IS_HOLIDAY: dict[str, Callable[[dt.date], bool]] = {"JP": _is_jp_holiday, "US": _is_us_holiday}


def is_business_day(day: dt.date, calendar: str = HOLIDAY_CALENDAR) -> bool:
    """Whether `day` is a weekday that is no public holiday in `calendar` (JP | US, model.CALENDARS)."""
    return day.weekday() < 5 and not _IS_HOLIDAY[calendar](day)


MAX_BUSINESS_DAYS = 10_000  # about 40 years: beyond it add_business_days gives no date (it counts day by day)


def add_business_days(day: dt.date, count: int, calendar: str = HOLIDAY_CALENDAR) -> dt.date:
    """The `count`th business day after `day` (before it, when negative; `day` itself for 0) in `calendar`
    (JP | US): in JP, Friday 2026-11-20 plus 2 is Wednesday 2026-11-25, as Monday 2026-11-23 is a holiday
    (勤労感謝の日); in US, Wednesday 2026-11-25 plus 1 is Friday 2026-11-27, after Thanksgiving. Raises
    OverflowError beyond MAX_BUSINESS_DAYS or the calendar's last day."""
    if abs(count) > MAX_BUSINESS_DAYS:
        raise OverflowError(f"more than {MAX_BUSINESS_DAYS} business days")
    step = dt.timedelta(days=1 if count > 0 else -1)
    for _ in range(abs(count)):
        day += step
        while not is_business_day(day, calendar):
            day += step
    return day


# Argument inverses for `why`: the values of a derived fact's arguments that give each value the pack's tests
# compare the fact with, so a near miss can name the input to change ("request_sent_on = 2026-11-10").
# (wanted results, the derivation's arguments, as_of, parameter values per view, the scenario's facts)
Inverse = Callable[[set, tuple[str, ...], dt.date, list[dict[str, Value]], dict[str, Value]], dict[str, set]]


@dataclass(frozen=True)
class Operation:
    """One derive operation (facts.yaml `derive: {NAME: [ARGS]}`): everything a stage needs to know about it.

    The JSON Schema of facts.yaml lists the same names (rules/schemas/facts.schema.json, for editors), and
    docs/authoring.md and docs/authoring.ja.md describe each one; tests/test_stages.py checks both agree with
    OPERATIONS."""

    args: tuple[str, ...]  # the types of the arguments an author writes: date, int, money
    gives: str  # the type of the result
    compute: Callable[..., Value]  # OverflowError (no such day), ZeroDivisionError or a number beyond ±MAX_INT
    #                                   (held): the fact has no value
    explained: Callable[[list[str], str], str]  # (arguments as shown, as_of last if takes_as_of; lang) -> formula
    takes_as_of: bool = False  # as_of is passed after the written arguments
    takes_calendar: bool = False  # the pack's holiday calendar (Pack.calendar) is passed as `calendar=`
    rounded_down: bool = False  # --explain says so
    inverse: Inverse | None = None  # the input values `why` tries; None: it tries none through this operation


def _pattern(pattern: str) -> Callable[[list[str], str], str]:
    """A formula that reads the same in every language: {0}, {1}... the arguments."""
    return lambda args, lang: pattern.format(*args)


def _shift(day: dt.date, days: int) -> dt.date | None:
    """The day `days` after `day`; None beyond the calendar (year 1 to 9999)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def _since_inverse(sign: int) -> Inverse:
    """days_since / days_until = c: the date is c days before / after as_of."""
    return lambda wanted, args, as_of, valuations, given: {
        args[0]: {_shift(as_of, sign * c) for c in wanted if isinstance(c, int)}}


def _add_days_inverse(wanted: set, args: tuple[str, ...], as_of: dt.date, valuations: list[dict[str, Value]],
                      given: dict[str, Value]) -> dict[str, set]:
    """date + days = c: the date is c - days, for each value of a parameter giving the days."""
    if args[1] not in valuations[0]:
        return {}
    days = [params[args[1]] for params in valuations]
    return {args[0]: {_shift(c, -d) for c in wanted if isinstance(c, dt.date) for d in days if isinstance(d, int)}}


def _difference_inverse(wanted: set, args: tuple[str, ...], as_of: dt.date, valuations: list[dict[str, Value]],
                        given: dict[str, Value]) -> dict[str, set]:
    """a - b = c: a = c + b and b = a - c, with the other's current value."""
    params = valuations[0]
    a, b = (given.get(args[0], params.get(args[0])), given.get(args[1], params.get(args[1])))
    return {args[0]: {c + b for c in wanted if isinstance(b, int)},
            args[1]: {a - c for c in wanted if isinstance(a, int)}}


# The closed list of derive operations, by the name a pack writes.
OPERATIONS: dict[str, Operation] = {
    # whole days from the date to as_of: request sent 2026-11-11, as_of 2026-11-25 -> 14
    "days_since": Operation(("date",), "int", lambda since, as_of: (as_of - since).days, _pattern("{1} − {0}"),
                            takes_as_of=True, inverse=_since_inverse(-1)),
    # whole days from as_of to the date; negative once it has passed
    "days_until": Operation(("date",), "int", lambda until, as_of: (until - as_of).days, _pattern("{0} − {1}"),
                            takes_as_of=True, inverse=_since_inverse(1)),
    "add_days": Operation(("date", "int"), "date", lambda day, days: day + dt.timedelta(days=days),
                          _pattern("{0} + {1}"), inverse=_add_days_inverse),
    # the last day before a date: the last day to act when something happens on that date
    "day_before": Operation(("date",), "date", lambda day: day - dt.timedelta(days=1), _pattern("{0} − 1")),
    # the Nth business day after the date, skipping weekends and the public holidays of the pack's calendar
    "add_business_days": Operation(("date", "int"), "date", add_business_days,
                                   lambda args, lang: say(lang, "explain_business_days", date=args[0], days=args[1]),
                                   takes_calendar=True),
    # the moment a number of hours after a datetime, or after a date's 00:00 (the earliest end: the safe side for a
    # time to act by): Fiverr's 48-hour window from when a cancellation was requested
    "add_hours": Operation(("date/datetime", "int"), "datetime", add_hours,
                           lambda args, lang: say(lang, "explain_add_hours", moment=args[0], hours=args[1])),
    # the day of a datetime, for the rules and texts that count days
    "date_of": Operation(("datetime",), "date", date_of, lambda args, lang: say(lang, "explain_date_of", moment=args[0])),
    "difference": Operation(("int", "int"), "int", lambda minuend, subtrahend: minuend - subtrahend,
                            _pattern("{0} − {1}"), inverse=_difference_inverse),
    # amount x part / whole in the currency's minor unit (yen, cents), rounded down: a fee is never promised above
    # what was earned; no value for a whole of 0
    "pro_rata": Operation(("money", "int", "int"), "money", lambda amount, part, whole: amount * part // whole,
                          _pattern("{0} × {1} ÷ {2}"), rounded_down=True),
    # amount x percent / 100 in the minor unit, rounded down, for work measured as a share rather than in units
    "percent_of": Operation(("money", "int"), "money", lambda amount, percent: amount * percent // 100,
                            _pattern("{0} × {1} ÷ 100"), rounded_down=True),
}


def derive(pack: Pack, facts: dict[str, Value], as_of: dt.date, params: dict[str, Value]) -> dict[str, Value]:
    """The scenario's facts plus every derived fact whose inputs are all present (`params`: parameter values)."""
    known: dict[str, Value] = dict(params)
    known.update(facts)
    known["as_of"] = as_of
    result = dict(facts)
    for fact in _derived(pack):
        value = _computed(fact, known, pack.calendar)
        if value is not None and held(value):  # else none: numbers beyond it would grow on (squared by pro_rata)
            known[fact.name] = result[fact.name] = value
    return result


@lru_cache(maxsize=32)  # once per pack (hashed by identity), not per view: most facts are not derived
def _derived(pack: Pack) -> tuple[Fact, ...]:
    """The pack's derived facts, in the pack's order (each is worked out from those before it)."""
    return tuple(fact for fact in pack.facts.values() if fact.derive is not None)


def _computed(fact: Fact, known: dict[str, Value], calendar: str) -> Value | None:
    """The value of the derived fact from the `known` values (as_of among them) and the pack's holiday
    `calendar`, held or not; None for a fact not derived, an input not known, a date before year 1 or after
    9999, a whole of 0."""
    if fact.derive is None:
        return None
    operation = OPERATIONS[fact.derive.op]
    args = [*fact.derive.args, *(["as_of"] if operation.takes_as_of else [])]
    if any(arg not in known for arg in args):
        return None
    try:
        extra = {"calendar": calendar} if operation.takes_calendar else {}
        return operation.compute(*(known[arg] for arg in args), **extra)
    except (OverflowError, ZeroDivisionError):
        return None


def held(value: Value) -> bool:
    """Whether a derived value can be held as every value a scenario or pack writes is: a date, or a whole number
    or amount within ±MAX_INT (durable_rules holds 64-bit integers, and no fee comes near)."""
    return not isinstance(value, int) or abs(value) <= MAX_INT


def beyond_range(pack: Pack, view: View, as_of: dt.date) -> dict[str, int]:
    """The derived whole numbers and amounts of a view that have every input and yet no value, as they would be
    beyond ±MAX_INT (pro_rata: [fee, fee, one] squares the fee): fact -> the number it would be (at most about
    10**24, its inputs being held; never shown). Only the first of a chain (a fact derived from one of these has
    an input missing)."""
    known = {**view.params, **view.facts, "as_of": as_of}
    numbers = {fact.name: _computed(fact, known, pack.calendar) for fact in _derived(pack) if fact.name not in view.facts}
    return {name: number for name, number in numbers.items() if isinstance(number, int) and not held(number)}


def worked_out_from(pack: Pack, name: str) -> list[str]:
    """The facts, parameters and as_of the derived fact `name` is worked out from, through the derived facts it
    is worked out from too (these included), in the order of its arguments, each once: a derived fact met again
    is not walked again, so derived facts sharing inputs cost no more than their number."""
    def args(fact_name: str) -> tuple[str, ...]:
        fact = pack.facts.get(fact_name)
        return fact.derive.args if fact is not None and fact.derive is not None else ()

    found: dict[str, None] = {}
    stack = list(reversed(args(name)))  # depth first, without recursion: a chain may be thousands of facts long
    while stack:
        arg = stack.pop()
        if arg not in found:
            found[arg] = None
            stack.extend(reversed(args(arg)))
    return list(found)


def beyond_calendar(pack: Pack, view: View, as_of: dt.date) -> list[str]:
    """The derived date facts of a view that have every input and yet no value: their date would fall before
    year 1 or after 9999, which no date can hold (a request sent on 9999-12-29 plus 7 days). Only the first of a
    chain (a fact derived from one of these has an input missing). Not those that count more business days than
    add_business_days walks (past_business_days)."""
    known = {**view.params, **view.facts, "as_of": as_of}
    capped = past_business_days(pack, view, as_of)
    return [fact.name for fact in _derived(pack)
            if fact.derive is not None and OPERATIONS[fact.derive.op].gives in ("date", "datetime")
            and fact.name not in view.facts
            and all(arg in known for arg in fact.derive.args) and fact.name not in capped]


def _business_days(pack: Pack, view: View, as_of: dt.date) -> Iterator[tuple[str, str, int]]:
    """(fact, the argument giving the count, the count) for each add_business_days fact of the view that has
    every input."""
    known = {**view.params, **view.facts, "as_of": as_of}
    for fact in _derived(pack):
        if fact.derive is not None and fact.derive.op == "add_business_days" \
                and all(arg in known for arg in fact.derive.args):
            count = known[fact.derive.args[1]]
            assert isinstance(count, int)  # validated: the argument is a whole number
            yield fact.name, fact.derive.args[1], count


def past_business_days(pack: Pack, view: View, as_of: dt.date) -> dict[str, str]:
    """The add_business_days facts of a view that have no value because their count is beyond
    MAX_BUSINESS_DAYS either way: fact -> the argument (fact or parameter) giving the count."""
    return {name: arg for name, arg, count in _business_days(pack, view, as_of) if abs(count) > MAX_BUSINESS_DAYS}


def derivation_work(pack: Pack, view: View, as_of: dt.date) -> int:
    """The business days add_business_days walked to derive the view's facts, each about one check of the
    holiday calendar (measured: 0.08 ms, like a rule in the engine; why.SEARCH_BUDGET); 0 without it."""
    return sum(abs(count) for _, _, count in _business_days(pack, view, as_of) if abs(count) <= MAX_BUSINESS_DAYS)


def date_input(pack: Pack, name: str, facts: dict[str, Value]) -> str | None:
    """The first date the derived fact `name` is worked out from that is one of `facts` (the scenario's, not
    derived), through the facts it is derived from; None when there is none."""
    return next((arg for arg in worked_out_from(pack, name) if arg not in pack.facts or pack.facts[arg].derive is None
                 if isinstance(facts.get(arg), dt.date)), None)


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
    highest. Without such parameters, one view. Each call gets views of its own (dictionaries it may change);
    the last few are remembered, as checking a scenario and advising on it ask for the same ones."""
    key = (id(pack), tuple(facts.items()), as_of, tuple(pinned.items()))
    found = _VIEWS.get(key)
    if found is None or found[0] is not pack:
        found = _VIEWS[key] = (pack, _views(pack, facts, as_of, pinned))
        for oldest in list(_VIEWS)[:-4]:
            _VIEWS.pop(oldest, None)  # one another thread took already: nothing to do
    return tuple(View(dict(view.params), view.picks, dict(view.facts)) for view in found[1])


# views' last results: (pack id, facts, as_of, pinned parameters) -> (the pack, its views), oldest first; the pack
# is kept with them, so its id is not another's while they are here. Facts and parameters are hashable values.
_VIEWS: dict[tuple, tuple[Pack, tuple[View, ...]]] = {}


def _views(pack: Pack, facts: dict[str, Value], as_of: dt.date, pinned: dict[str, Value]) -> tuple[View, ...]:
    base = {name: p.value for name, p in pack.parameters.items()} | pinned
    ranged = [p for p in pack.parameters.values() if p.ranged and p.name not in pinned]
    result = []
    for combination in product(*(p.variants for p in ranged)):
        params = base | {p.name: variant.value for p, variant in zip(ranged, combination)}
        picks = tuple((p.name, variant) for p, variant in zip(ranged, combination))
        result.append(View(params, picks, derive(pack, facts, as_of, params)))
    return tuple(result)
