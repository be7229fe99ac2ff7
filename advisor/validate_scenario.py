"""Stage 2, validate a scenario: its loaded YAML -> model.Scenario, checked against a validated pack, or every
mistake at its own line. A timeline (events:) is checked and turned into facts here too.

Structure is checked first against rules/schemas/scenario.schema.json (see schema.py); values are checked
against their facts' declared types with validate_values.value_problem, as the pack's own values are. A scenario's
mistakes carry no check code: codes name the checks of rule packs (advisor/check.py).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from . import schema
from .conditions import as_number
from .derive import (
    MAX_BUSINESS_DAYS,
    View,
    beyond_calendar,
    beyond_range,
    date_input,
    past_business_days,
    views,
    worked_out_from,
)
from .diagnostics import Diagnostic, InputError, Message, did_you_mean, msg, show
from .load import KEY, Document
from .model import MAX_INT, EventType, Expectation, Pack, Parameter, Scenario, Value
from .units import date_of, split_time
from .validate_values import (
    Checker,
    comparable,
    either,
    outside_limits,
    read_text,
    read_value,
    show_plain,
    type_of,
    value_problem,
)


def scenario_platform(doc: Document) -> str:
    """The platform a scenario names (default crowdworks), once the file is known to be a mapping."""
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("platform", ""), str):
        raise InputError([doc.error(message, *where) for where, message in schema.problems(doc, "scenario")
                          if where[:1] in ((), ("platform",))])
    return doc.data.get("platform", "crowdworks")


def validate_scenario(doc: Document, pack: Pack, today: dt.date, as_of: dt.date | None = None) -> Scenario:
    """The scenario checked against the pack; `as_of` (the command line's --as-of) replaces the file's."""
    doc, check, broken, broken_events, times = _structure(doc, pack.currency)
    top = {key: value for key, value in doc.data.items() if key not in broken}
    _check_title(check, top.get("title"))
    as_of = as_of or top.get("as_of", today)
    given = top.get("facts") or {}  # `facts:` with nothing after it states no facts
    events = _events(top.get("events") or [], broken_events, times)
    facts, from_events = _facts(check, given, events, pack, None if "as_of" in broken else as_of)
    params = _params(check, top.get("params") or {}, pack)
    _held(check, pack, facts, (given, from_events), as_of, params, today)
    expect = _expectation(check, top["expect"], pack) if "expect" in top else None
    if check.found:
        raise InputError(check.found)
    stated = frozenset(name for name, value in given.items() if value is not None and name in facts)
    taken = days_taken(pack, facts, [*stated, *from_events])
    return Scenario(doc.path, top.get("title"), pack.id, as_of, facts, stated, expect, params, frozenset(from_events),
                    platform_given="platform" in doc.data, days_from=taken)


TIME = " time"  # an event's time of day, beside its date: a key no scenario can write (the schema refuses it)


def _read_as_typed(doc: Document, currency: str = "JPY") -> tuple[Document, dict[tuple, Message],
                                                                 dict[int, dt.datetime]]:
    """The scenario with `as_of:`, its events' `date:` and `count:` read in the forms a user types (2026/11/10,
    2026年11月10日, full-width digits, quoted or not: validate_values.read_text) before the schema, which knows
    dates and numbers only as YAML writes them; and why each text that is none cannot be read, by its path. A value
    that is not text, or text without digits, is left to the schema, whose message says it best. An event's date
    may have a time of day (2026-11-30 14:00): its date is kept as the date, and the datetime comes back by the
    event's index."""
    data = doc.data
    if not isinstance(data, dict):
        return doc, {}, {}
    unread: dict[tuple, Message] = {}
    times: dict[int, dt.datetime] = {}

    def read(value: Any, kind: str, where: tuple) -> Any:
        if isinstance(value, dt.datetime):  # 2026-11-25 09:30:00: read as typed, a date with a time of day
            value = doc.plain_text(*where) or value
        if not isinstance(value, str):
            return value
        if where[-1] == "date" and where[0] == "events" and split_time(value)[1] is not None:
            kind = "datetime"  # an event at a time of day
        read, why = read_text(kind, value, currency)  # currency: the date forms an English message suggests
        if why is not None:
            unread[where] = msg("v_fact_problem", name=where[-1], problem=why)
            return value
        if isinstance(read, dt.datetime):
            times[where[1]] = read
            return read.date()
        return read

    data = dict(data)
    if "as_of" in data:
        data["as_of"] = read(data["as_of"], "date", ("as_of",))
    if isinstance(data.get("events"), list):
        data["events"] = [{**item, **{key: read(item[key], kind, ("events", index, key))
                                      for key, kind in (("date", "date"), ("count", "int")) if key in item}}
                          if isinstance(item, dict) else item for index, item in enumerate(data["events"])]
    return replace(doc, data=data), unread, times


def _structure(doc: Document, currency: str = "JPY") -> tuple[Document, Checker, set[str], set[int],
                                                               dict[int, dt.datetime]]:
    """The scenario with its dates and counts read as typed (_read_as_typed), a Checker holding every mistake of
    structure, the top-level keys those mistakes leave out and the events they leave out (by index): the rest is
    checked on, so that every mistake in the file is reported at once."""
    doc, unread, times = _read_as_typed(doc, currency)
    structural = [(where, message) for where, message in schema.problems(doc, "scenario") if where not in unread]
    structural += unread.items()
    check = Checker(doc, [doc.error(message, *where) for where, message in structural], set())
    in_events = {where[1] for where, _ in structural if where[:1] == ("events",) and len(where) > 1}
    return (doc, check, {where[0] for where, _ in structural if where[:1] != ("events",) or len(where) == 1}, in_events,
            times)


def _events(events: list, broken: set[int], times: dict[int, dt.datetime]) -> list[dict | None]:
    """The timeline's events, None for one that cannot be read (`broken`), each with its time of day (2026-11-30
    14:00) under TIME beside its date when it has one, for the datetime facts it sets (_timeline)."""
    return [None if index in broken else {**item, TIME: times[index]} if index in times else item
            for index, item in enumerate(events)]


def _check_title(check: Checker, title: str | None) -> None:
    """A title holds no control characters (e.g. terminal escapes)."""
    if title is not None and any(ord(c) < 0x20 or ord(c) == 0x7f for c in title):
        check.error("", msg("v_title_control"), "title")


def _facts(check: Checker, given: dict, events: list, pack: Pack,
           as_of: dt.date | None) -> tuple[dict[str, Value], dict[str, int]]:
    """The scenario's facts: those written under facts:, those its timeline sets and the pack's defaults, each
    within its limit (`as_of` None: a broken as_of limits nothing); and the facts the timeline set (_timeline)."""
    facts = _given_facts(check, given, pack)
    from_events = _timeline(check, events, pack, as_of, facts, given)
    _days_of(check, pack, facts, (given, from_events))
    for fact in pack.facts.values():
        if fact.name not in facts and fact.default is not None and fact.given_by_user:
            facts[fact.name] = fact.default
    _check_limits(check, pack, facts, given, from_events, as_of)
    return facts, from_events


def _given_facts(check: Checker, given: dict, pack: Pack) -> dict[str, Value]:
    """The facts written under facts:, each one a user gives, with a value of its type."""
    facts: dict[str, Value] = {}
    for name, value in given.items():
        fact = pack.facts.get(name)
        if fact is None:
            inputs = [other for other, known in pack.facts.items() if known.given_by_user]  # for a mistake only
            check.error("", msg("v_scenario_unknown_fact", name=show(name), hint=did_you_mean(name, inputs),
                                names=", ".join(inputs)), "facts", name, KEY)
        elif not fact.given_by_user:
            check.error("", msg("v_scenario_fact_derived", name=name, args=", ".join(fact.derive.args)) if fact.derive
                        else msg("v_scenario_fact_set_by_rules", name=name), "facts", name, KEY)
        elif value is None:
            continue  # `fact:` with nothing after it means "not known", like leaving it out
        elif (read := read_value(fact, value, check.doc.plain_text("facts", name)))[1]:
            check.error("", msg("v_fact_problem", name=name, problem=read[1]), "facts", name)
        else:
            value = read[0]  # 50,000円 as 50000, 2026/11/10 as a date
            facts[name] = fact.read(value) or value if fact.type == "enum" else value  # a label: its value
    return facts


def _days_of(check: Checker, pack: Pack, facts: dict[str, Value], places: tuple[dict, dict[str, int]]) -> None:
    """A datetime fact with `day_of:` and its date fact are one moment: given both (under facts:, by the timeline),
    the datetime must fall on the date, else it is refused at the datetime; given the datetime alone, the date fact
    takes its day (days_taken tells which). A request's time left over from an earlier request would otherwise count
    a window from the wrong day, and a time without its date would leave every rule testing the date unfired."""
    where = _where(places)
    for fact in pack.facts.values():
        moment = facts.get(fact.name)
        if fact.day_of is None or not isinstance(moment, dt.datetime):
            continue
        day = facts.get(fact.day_of)
        if day is None:
            facts[fact.day_of] = moment.date()
        elif day != moment.date():
            check.error("", msg("v_day_of_differs", name=fact.name, value=show_plain(moment), date=fact.day_of,
                                date_value=show_plain(day)), *where[fact.name])


def days_taken(pack: Pack, facts: dict[str, Value], given: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The date facts that took their day from a datetime fact's `day_of:` (_days_of), each with that datetime
    fact: those the scenario does not give itself (`given`: the names under facts: and set by the timeline)."""
    named = set(given)
    return tuple((fact.day_of, fact.name) for fact in pack.facts.values()
                 if fact.day_of is not None and fact.day_of not in named and isinstance(facts.get(fact.name), dt.datetime)
                 and fact.name in named)


def _check_limits(check: Checker, pack: Pack, facts: dict[str, Value], given: dict, from_events: dict[str, int],
                  as_of: dt.date | None) -> None:
    """A fact the scenario gives (or its timeline sets) is at most its `at_most:` fact, or as_of."""
    for name in [n for n in facts if n in given or n in from_events]:
        limit_name = pack.facts[name].at_most
        if name not in given and limit_name == "as_of":
            continue  # each event's date is checked against as_of at the event
        if limit_name is None:
            continue
        limit = as_of if limit_name == "as_of" else facts.get(limit_name)
        value = facts[name]
        if limit_name == "as_of" and isinstance(value, dt.datetime):  # any time on as_of
            value = date_of(value)
        if limit is not None and as_number(value) > as_number(limit):  # validated: of one ordered type
            where = ("facts", name) if name in given else ("events", from_events[name])
            check.error("", msg("v_after_limit" if pack.facts[name].type == "date" else "v_more_than_limit", name=name,
                                value=show_plain(facts[name]), limit=limit_name, limit_value=show_plain(limit)), *where)


def _within_calendar(check: Checker, pack: Pack, derived: tuple[View, ...], facts: dict[str, Value],
                     places: tuple[dict, dict[str, int]], as_of: dt.date, params: tuple[tuple[str, Value], ...],
                     today: dt.date) -> None:
    """A date the pack works out before year 1 or after 9999 is refused at what made it so: the date could not be
    held, and the rules testing it, the advice and the calendar would go on without it as if it were unknown. The
    cause is a value the scenario pins under params: when without it the date would fit, else the scenario's date
    it is worked out from (under facts:, in the timeline, or as_of when the real today would fit), else the pack's
    parameters it is worked out with, at their declaration. `derived`: the views of the facts; `places`: the facts
    under facts: and the index of the event that sets each fact."""
    if check.found:
        return
    where = _where(places)
    reported = set()
    pinned = dict(params)
    for view in derived:
        known = {**view.params, **view.facts, "as_of": as_of}
        for name in beyond_calendar(pack, view, as_of):
            end = "after" if _later(pack, name, known) else "before"
            for cause in _calendar_causes(check, pack, name, (facts, where, known), (pinned, as_of, today), end):
                if (cause.path, cause.line, cause.column) not in reported:
                    reported.add((cause.path, cause.line, cause.column))
                    check.found.append(cause)


def _held(check: Checker, pack: Pack, facts: dict[str, Value], places: tuple[dict, dict[str, int]], as_of: dt.date,
          params: tuple[tuple[str, Value], ...], today: dt.date) -> None:
    """Whether every value the pack works out from the facts can be held (business days counted, dates in the
    calendar, numbers within ±MAX_INT), each refused at its cause, in that order, the first kind found only.
    Asked of facts without other mistakes, which are derived once for all three."""
    if check.found:
        return
    derived = views(pack, facts, as_of, dict(params))
    _business_days_cap(check, pack, derived, facts, places, as_of, params)
    _within_calendar(check, pack, derived, facts, places, as_of, params, today)
    _within_range(check, pack, derived, facts, places, as_of, params)


def _where(places: tuple[dict, dict[str, int]]) -> dict[str, tuple]:
    """Where the scenario gives each fact, from its facts: and the index of the event that sets each fact: under
    facts: when it is there, else at the event."""
    given, from_events = places
    return {**{name: ("events", index) for name, index in from_events.items()},
            **{name: ("facts", name) for name in given}}


def _later(pack: Pack, name: str, known: dict[str, Value]) -> bool:
    """Whether the derived date `name`, worked out from the `known` values of its inputs, goes forward in time (a
    number of days added that is not negative) rather than back (day_before, days taken away)."""
    derivation = pack.facts[name].derive
    assert derivation is not None  # beyond_calendar names derived facts only
    return derivation.op != "day_before" and all(known[arg] >= 0 for arg in derivation.args  # type: ignore[operator]
                                                   if type_of(known[arg]) == "int")


def _fits(pack: Pack, name: str, facts: dict[str, Value], as_of: dt.date, pinned: dict[str, Value],
          beyond: Callable[[Pack, View, dt.date], Iterable[str]] = beyond_calendar) -> bool:
    """Whether the derived value `name` can be held in every view of these facts, as_of and pinned values:
    `beyond` names those that cannot (derive.beyond_calendar, dates; derive.beyond_range, numbers)."""
    return all(name not in beyond(pack, view, as_of) for view in views(pack, facts, as_of, pinned))


def _pinned_causes(pack: Pack, name: str, facts: dict[str, Value], pinned: dict[str, Value], as_of: dt.date,
                   beyond: Callable[[Pack, View, dt.date], Iterable[str]] = beyond_calendar) -> list[str]:
    """The parameters pinned under params: without which the derived value `name` could be held (see _fits)."""
    inputs = worked_out_from(pack, name)
    return [param for param in pinned if param in inputs
            and _fits(pack, name, facts, as_of, {key: value for key, value in pinned.items() if key != param}, beyond)]


def _calendar_causes(check: Checker, pack: Pack, name: str, scenario: tuple[dict, dict, dict],
                     when: tuple[dict[str, Value], dt.date, dt.date], end: str) -> list[Diagnostic]:
    """Where the derived date `name`, past the calendar's end (`end` "after") or before its start ("before"), is
    refused (see _within_calendar). `scenario`: its facts, the place of each fact it gives (under facts: or in the
    timeline) and every value known in the view; `when`: the parameters it pins, its as_of and the real today."""
    facts, places, known = scenario
    pinned, as_of, today = when
    inputs = worked_out_from(pack, name)
    causes = [check.doc.error(msg(f"v_param_{end}_calendar", name=param, fact=name, value=show_plain(pinned[param])),
                              "params", param) for param in _pinned_causes(pack, name, facts, pinned, as_of)]
    source = date_input(pack, name, facts)
    if causes or source is not None:
        return causes or [check.doc.error(msg(f"v_date_{end}_calendar", name=source, fact=name,
                                              value=show_plain(facts[source])), *places.get(source, ()))]
    if "as_of" in inputs and "as_of" in check.doc.data and _fits(pack, name, facts, today, pinned):
        return [check.doc.error(msg(f"v_date_{end}_calendar", name="as_of", fact=name, value=show_plain(as_of)),
                                "as_of")]
    return [Diagnostic(at.path, at.line, at.column, msg(f"v_param_{end}_calendar", name=param, fact=name,
                                                        value=show_plain(pack.parameters[param].value
                                                                         if param in pinned else known[param])))
            for param in pack.parameters if param in inputs and (at := pack.declared_at.get(("parameter", param)))]


def _within_range(check: Checker, pack: Pack, derived: tuple[View, ...], facts: dict[str, Value],
                  places: tuple[dict, dict[str, int]], as_of: dt.date, params: tuple[tuple[str, Value], ...]) -> None:
    """A whole number or amount the pack works out beyond ±MAX_INT (pro_rata: [fee, fee, one] squares the fee) is
    refused at what made it so, as a date past the calendar is (_within_calendar): it could not be held, and the
    rules testing it would go on without it as if it were unknown. The cause is a value the scenario pins under
    params: when without it the number would fit, else the number farthest from 0 (without one, the first date)
    it is worked out from: the scenario's, under facts: or in the timeline (`places`: its facts: and the index of
    the event that sets each fact), or the pack's parameter's, at its declaration; the scenario's when they are
    equal. `derived`: the views of the facts."""
    if check.found:
        return
    where = _where(places)
    pinned = dict(params)
    reported = set()
    for view in derived:
        for name, number in beyond_range(pack, view, as_of).items():
            end = "above" if number > 0 else "below"
            for cause in _range_causes(check, pack, name, (facts, where, view.params), pinned, as_of, end):
                if (cause.path, cause.line, cause.column) not in reported:
                    reported.add((cause.path, cause.line, cause.column))
                    check.found.append(cause)


def _range_causes(check: Checker, pack: Pack, name: str, scenario: tuple[dict, dict, dict[str, Value]],
                  pinned: dict[str, Value], as_of: dt.date, end: str) -> list[Diagnostic]:
    """Where the derived number `name`, above MAX_INT (`end` "above") or below -MAX_INT ("below"), is refused (see
    _within_range). `scenario`: its facts, the place of each fact it gives and the parameter values of the view."""
    facts, where, values = scenario
    inputs = worked_out_from(pack, name)
    limit = f"{MAX_INT if end == 'above' else -MAX_INT:,}"
    if pins := _pinned_causes(pack, name, facts, pinned, as_of, beyond_range):
        return [check.doc.error(msg(f"v_param_{end}_range", name=param, fact=name, value=show_plain(pinned[param]),
                                    limit=limit), "params", param) for param in pins]
    given = {arg: facts[arg] for arg in inputs if arg in facts}
    own = {param: pack.parameters[param].value if param in pinned else values[param] for param in inputs
           if param in pack.parameters}  # the pack's value of each (a pinned one is no cause: it would not fit)
    cause = _largest([*given, *own], given | own)
    if cause in given:
        return [check.doc.error(msg(f"v_number_{end}_range", name=cause, fact=name, limit=limit,
                                    value=show_plain(given[cause])), *where.get(cause, ()))]
    at = pack.declared_at.get(("parameter", cause)) if cause is not None else None
    if cause is None or at is None:  # none: a number worked out from as_of alone is 0 (days_since: [as_of])
        return []
    return [Diagnostic(at.path, at.line, at.column, msg(f"v_param_{end}_range", name=cause, fact=name, limit=limit,
                                                        value=show_plain(own[cause])))]


def _largest(names: list[str], values: dict[str, Value]) -> str | None:
    """The name among `names` whose value is the number farthest from 0 (the first of equals), else the first
    name (a date); None without names. What a derived number beyond ±MAX_INT is blamed on: the scenario's number
    or the pack's parameter that is farthest from any amount a contract has (the scenario's first, when equal)."""
    numbers = [name for name in names if isinstance(values[name], int)]
    return max(numbers, key=lambda name: abs(values[name]), default=names[0] if names else None)  # type: ignore


def _params(check: Checker, given: dict, pack: Pack) -> tuple[tuple[str, Value], ...]:
    """The pack parameters the scenario pins under params:, in the pack's order."""
    params = []
    for name, value in given.items():
        parameter = pack.parameters.get(name)
        if parameter is None:
            check.error("", msg("v_scenario_unknown_parameter", name=show(name), hint=did_you_mean(name, pack.parameters),
                                names=", ".join(pack.parameters)), "params", name, KEY)
            continue
        if parameter.type == "money" or isinstance(value, str) and parameter.type in ("bool", "int", "date"):
            value, why = read_text(parameter.type, _text_of(check, value, name), parameter.currency)  # as a fact's
            if why is not None:
                check.error("", msg("v_fact_problem", name=name, problem=_param_forms(parameter, why)), "params", name)
                continue
        if comparable(type_of(value)) != comparable(parameter.type) or (
                parameter.type in ("int", "money") and abs(value) > MAX_INT):
            check.error("", msg("v_param_value", name=name, example=show_plain(parameter.value), value=show(value)),
                        "params", name)
        elif (outside := outside_limits(parameter, value)) is not None:
            check.error("", msg("v_fact_problem", name=name, problem=outside), "params", name)
        else:
            params.append((name, value))
    params.sort(key=lambda item: list(pack.parameters).index(item[0]))
    return tuple(params)


def _param_forms(parameter: Parameter, why: Message) -> Message:
    """`why` a pinned value is no whole number, its examples (12, 50000, 50,000: amounts) replaced by a number of
    hours, the parameter's own value, for a parameter counting hours (unit: hours)."""
    if why.key != "t_bad_number" or parameter.unit != "hours":
        return why
    return msg(why.key, **{**dict(why.values), "forms": msg("t_hours_forms", example=show_plain(parameter.value))})


def _text_of(check: Checker, value: Any, name: str) -> Any:
    """A value under params: as text to read (an amount: 12.50 as typed, not the float YAML made of it)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return check.doc.plain_text("params", name) or str(value)
    return value


def _timeline(check: Checker, events: list, pack: Pack, as_of: dt.date | None, facts: dict[str, Value],
              given: dict) -> dict[str, int]:
    """Apply the scenario's events, oldest first, to `facts`; the facts they set, each with the index of the
    last event that set it. A fact also written under facts: must agree with the events. `as_of` None: no
    event is checked against it. An event None could not be read (its mistake is reported): the others are
    checked each on its own, and the timeline sets no fact."""
    timeline: dict[str, Value] = {}
    set_by: dict[str, int] = {}
    seen: set[str] = set()
    previous: dt.date | None = None
    latest: dt.datetime | None = None  # the latest time of day written, for events on one day
    for index, item in enumerate(events):
        kind = None if item is None else _event(check, index, item, pack, previous, seen, as_of)
        if kind is None:
            continue
        previous = max(previous or item["date"], item["date"])
        latest = _in_time_order(check, index, item, latest)
        seen.add(kind.name)
        for name, how, operand in kind.sets:
            value = _event_value(how, operand, item, timeline.get(name, 0), pack.facts[name].type)
            if value is None:  # a datetime from a date without its time of day: unknown
                timeline.pop(name, None)
                set_by.pop(name, None)
            else:
                timeline[name], set_by[name] = value, index
    if None in events:  # an event that cannot be read (reported): the facts of an incomplete timeline are unknown
        return {}
    for name, value in timeline.items():
        if problem := value_problem(pack.facts[name], value):  # e.g. a count beyond any real number
            check.error("", msg("v_fact_problem", name=name, problem=problem), "events", set_by[name])
        elif name in facts and facts[name] != value:
            line = check.doc.mark("events", set_by[name])[0]
            check.error("", msg("v_contradicts_events", name=name, value=show_plain(facts[name]),
                                event_value=show_plain(value), line=line), "facts", name)
        elif name not in given or given[name] is None:
            facts[name] = value
    return set_by


def _event(check: Checker, index: int, item: dict, pack: Pack, previous: dt.date | None, seen: set[str],
           as_of: dt.date | None) -> EventType | None:
    """One event of the timeline, checked: its kind if it can be applied, else None."""
    where = ("events", index)
    kind = pack.events.get(item["event"])
    if kind is None:
        check.error("", msg("v_unknown_event" if pack.events else "v_unknown_event_none", name=show(item["event"]),
                            hint=did_you_mean(item["event"], pack.events), names=", ".join(pack.events)),
                    *where, "event")
        return None
    day = item["date"]
    if previous and day < previous:
        check.error("", msg("v_events_order", day=day, previous=previous), *where, "date")
    elif as_of is not None and day > as_of:
        check.error("", msg("v_event_future", event=kind.name, day=day, as_of=as_of), *where, "date")
    if kind.after and not seen & set(kind.after):
        check.error("", msg("v_event_needs_earlier", event=kind.name, events=either(kind.after)), *where, "event")
    if kind.count != ("count" in item):
        check.error("", msg("v_event_needs_count" if kind.count else "v_event_takes_no_count", event=kind.name), *where)
        return None
    return kind


def _in_time_order(check: Checker, index: int, item: dict, latest: dt.datetime | None) -> dt.datetime | None:
    """An event at a time of day on the day of an earlier one at a later time is out of order (reported at its date,
    as a day before an earlier event's is); an event without a time fits anywhere in its day. The latest time of day
    written so far."""
    moment = item.get(TIME)
    if moment is None:
        return latest
    if latest is not None and moment.date() == latest.date() and moment < latest:
        check.error("", msg("v_events_order", day=show(moment), previous=show(latest)), "events", index, "date")
    return max(moment, latest or moment)


def _event_value(how: str, operand: Value | None, item: dict, so_far: Value, kind: str) -> Value | None:
    """The value an event gives a fact of type `kind` (model.EventType.sets); `so_far`: the fact's value from earlier
    events, or 0. A datetime fact set from the event's date gets its date and time (2026-11-30 14:00), and None
    (unknown) from a date written without a time: the hours of a window are not guessed."""
    if how == "value":
        assert operand is not None  # validate.value_problem refuses a missing value
        return operand
    if how == "date":
        return item.get(TIME) if kind == "datetime" else item["date"]
    if how == "count":
        return item["count"]
    added = operand if how == "add" else item["count"]  # add, add_count: int and money facts only (validated)
    assert isinstance(so_far, int) and isinstance(added, int)
    return so_far + added


def _expectation(check: Checker, entry: dict, pack: Pack) -> Expectation:
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("actions", "not_actions", "order"):
        raw = entry.get(key, [])
        for index, action in enumerate(raw):
            if action not in pack.actions:
                check.error("", msg("v_unknown_action", name=show(action), hint=did_you_mean(action, pack.actions)),
                            "expect", key, index)
            elif key == "order" and action in raw[:index]:
                check.error("", msg("v_order_twice", name=show(action)), "expect", key, index)
        lists[key] = tuple(raw)
    both = (set(lists["actions"]) | set(lists["order"])) & set(lists["not_actions"])
    if both:
        check.error("", msg("v_expected_both", names=", ".join(sorted(both))), "expect")
    return Expectation(lists["actions"], lists["not_actions"], lists["order"])


def _business_days_cap(check: Checker, pack: Pack, derived: tuple[View, ...], facts: dict[str, Value],
                       places: tuple[dict, dict[str, int]], as_of: dt.date,
                       params: tuple[tuple[str, Value], ...]) -> None:
    """A date the pack works out with add_business_days from a count of more than derive.MAX_BUSINESS_DAYS
    either way has no value: refused at the count, where the scenario gives it (`places`: its facts: and the
    index of the event that sets each fact) or pins it (params:), else at the pack's parameter. The dates are no
    mistake: this was blamed on the scenario's date, as a date after 9999-12-31. `derived`: the views of the
    facts."""
    where = _where(places)
    reported = set()
    for view in derived:
        for fact, arg in past_business_days(pack, view, as_of).items():
            if arg in reported:
                continue
            reported.add(arg)
            message = msg("v_business_days_cap", name=arg, fact=fact, limit=f"{MAX_BUSINESS_DAYS:,}",
                          value=show_plain({**view.params, **view.facts}[arg]))
            if arg in dict(params):
                check.error("", message, "params", arg)
            elif arg in where:
                check.error("", message, *where[arg])
            elif (declared := pack.declared_at.get(("parameter", arg))) is not None:
                check.found.append(Diagnostic(declared.path, declared.line, declared.column, message))
            else:  # a count worked out from other facts: the scenario as a whole
                check.error("", message)
