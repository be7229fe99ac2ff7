"""Stage 2, validate a scenario: its loaded YAML -> model.Scenario, checked against a validated pack, or every
mistake at its own line. A timeline (events:) is checked and turned into facts here too.

Structure is checked first against rules/schemas/scenario.schema.json (see schema.py); values are checked
against their facts' declared types with validate.value_problem, as the pack's own values are. A scenario's
mistakes carry no check code: codes name the checks of rule packs (advisor/check.py).
"""
from __future__ import annotations

import datetime as dt

from . import schema
from .diagnostics import Diagnostic, InputError, did_you_mean, show
from .load import KEY, Document
from .messages import msg
from .model import MAX_INT, Expectation, Pack, Scenario, Value
from .validate import Checker, either, show_plain, type_of, value_problem


def scenario_platform(doc: Document) -> str:
    """The platform a scenario names (default crowdworks), once the file is known to be a mapping."""
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("platform", ""), str):
        raise InputError([doc.error(message, *where) for where, message in schema.problems(doc, "scenario")
                          if where[:1] in ((), ("platform",))])
    return doc.data.get("platform", "crowdworks")


def validate_scenario(doc: Document, pack: Pack, today: dt.date, as_of: dt.date | None = None) -> Scenario:
    """The scenario checked against the pack; `as_of` (the command line's --as-of) replaces the file's."""
    structural = schema.problems(doc, "scenario")
    found: list[Diagnostic] = [doc.error(message, *where) for where, message in structural]
    check = Checker(doc, found, set())
    # Keys whose structure is wrong were reported above; the others are checked on, so that every
    # mistake in the file is reported at once.
    broken = {where[0] for where, _ in structural}
    top = {key: value for key, value in doc.data.items() if key not in broken}
    title = top.get("title")
    if title is not None and any(ord(c) < 0x20 or ord(c) == 0x7f for c in title):
        check.error("", msg("v_title_control"), "title")  # e.g. terminal escapes
    as_of = as_of or top.get("as_of", today)
    inputs = [name for name, fact in pack.facts.items() if fact.given_by_user]
    given = top.get("facts") or {}  # `facts:` with nothing after it states no facts
    facts: dict[str, Value] = {}
    for name, value in given.items():
        fact = pack.facts.get(name)
        if fact is None:
            check.error("", msg("v_scenario_unknown_fact", name=show(name), hint=did_you_mean(name, inputs),
                                names=", ".join(inputs)), "facts", name, KEY)
        elif not fact.given_by_user:
            check.error("", msg("v_scenario_fact_derived", name=name, args=", ".join(fact.derive.args)) if fact.derive
                        else msg("v_scenario_fact_set_by_rules", name=name), "facts", name, KEY)
        elif value is None:
            continue  # `fact:` with nothing after it means "not known", like leaving it out
        elif problem := value_problem(fact, value):
            check.error("", msg("v_fact_problem", name=name, problem=problem), "facts", name)
        else:
            facts[name] = value
    from_events = _timeline(check, top.get("events") or [], pack, as_of, "as_of" not in broken, facts, given)
    for fact in pack.facts.values():
        if fact.name not in facts and fact.default is not None and fact.given_by_user:
            facts[fact.name] = fact.default
    for name in [n for n in facts if n in given or n in from_events]:
        limit_name = pack.facts[name].at_most
        if name not in given and limit_name == "as_of":
            continue  # each event's date is checked against as_of at the event
        limit = (None if "as_of" in broken else as_of) if limit_name == "as_of" else facts.get(limit_name)
        if limit is not None and facts[name] > limit:
            where = ("facts", name) if name in given else ("events", from_events[name])
            check.error("", msg("v_after_limit" if pack.facts[name].type == "date" else "v_more_than_limit", name=name,
                                value=show_plain(facts[name]), limit=limit_name, limit_value=show_plain(limit)), *where)
    params = []
    for name, value in (top.get("params") or {}).items():
        parameter = pack.parameters.get(name)
        if parameter is None:
            check.error("", msg("v_scenario_unknown_parameter", name=show(name), hint=did_you_mean(name, pack.parameters),
                                names=", ".join(pack.parameters)), "params", name, KEY)
        elif type_of(value) != parameter.type or (parameter.type == "int" and abs(value) > MAX_INT):
            check.error("", msg("v_param_value", name=name, example=show_plain(parameter.value), value=show(value)),
                        "params", name)
        else:
            params.append((name, value))
    expect = _expectation(check, top["expect"], pack) if "expect" in top else None
    if found:
        raise InputError(found)
    stated = frozenset(name for name, value in given.items() if value is not None and name in facts)
    params.sort(key=lambda item: list(pack.parameters).index(item[0]))
    return Scenario(doc.path, title, pack.id, as_of, facts, stated, expect, tuple(params), frozenset(from_events))


def _timeline(check: Checker, events: list, pack: Pack, as_of: dt.date, as_of_known: bool,
              facts: dict[str, Value], given: dict) -> dict[str, int]:
    """Apply the scenario's events, oldest first, to `facts`; the facts they set, each with the index of the
    last event that set it. A fact also written under facts: must agree with the events."""
    timeline: dict[str, Value] = {}
    set_by: dict[str, int] = {}
    seen: set[str] = set()
    previous: dt.date | None = None
    for index, item in enumerate(events):
        where = ("events", index)
        kind = pack.events.get(item["event"])
        if kind is None:
            check.error("", msg("v_unknown_event" if pack.events else "v_unknown_event_none", name=show(item["event"]),
                                hint=did_you_mean(item["event"], pack.events), names=", ".join(pack.events)),
                        *where, "event")
            continue
        day = item["date"]
        if previous and day < previous:
            check.error("", msg("v_events_order", day=day, previous=previous), *where, "date")
        elif as_of_known and day > as_of:
            check.error("", msg("v_event_future", event=kind.name, day=day, as_of=as_of), *where, "date")
        if kind.after and not seen & set(kind.after):
            check.error("", msg("v_event_needs_earlier", event=kind.name, events=either(kind.after)), *where, "event")
        if kind.count != ("count" in item):
            check.error("", msg("v_event_needs_count" if kind.count else "v_event_takes_no_count", event=kind.name), *where)
            continue
        previous = max(previous or day, day)
        seen.add(kind.name)
        for name, how, operand in kind.sets:
            if how == "value":
                value = operand
            elif how == "date":
                value = day
            elif how == "count":
                value = item["count"]
            else:  # add, add_count
                value = timeline.get(name, 0) + (operand if how == "add" else item["count"])
            timeline[name] = value
            set_by[name] = index
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
