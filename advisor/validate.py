"""Stage 2, validate a rule pack: its loaded YAML files -> the immutable model (model.Pack), or every mistake
at its own line. This module reads the pack's files and checks its declarations: pack.yaml (sources, actions),
parameters, facts and their derivations, events and drafts. Each rule (its condition, texts and sides) is checked
in validate_rules.py; values against their facts' types, with the Checker that collects mistakes, in
validate_values.py. Scenarios are validated against a pack in validate_scenario.py, with the same checks on values.

Structure (keys, kinds of values, patterns) is checked first against the JSON Schemas in rules/schemas/
(see schema.py); these modules then check what a schema cannot: names that refer to each other, values
against the declared type of their fact, placeholders, and the like.

Type checks are also what keeps durable_rules honest: it treats `true == 1` and `"5" == 5` as
equal and compares mixed types as text, so a comparison only reaches it when the fact's declared
type and the value's type agree.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import derive, schema, validate_rules
from .diagnostics import Diagnostic, InputError, Message, about_file, did_you_mean, msg, show
from .load import KEY, Document, collector_paused, is_pack_file, read_file
from .model import (
    DRAFTS_FILE,
    EVENTS_FILE,
    FACTS_FILE,
    LANGS,
    MAX_INT,
    ORDERED_TYPES,
    PACK_FILE,
    PACK_FILES,
    PARAMETERS_FILE,
    Derivation,
    Draft,
    EventType,
    Fact,
    Pack,
    Parameter,
    Source,
    Text,
    Variant,
    Where,
    folded,
)
from .units import pack_amount
from .validate_values import (
    Checker,
    comparable,
    either,
    out_of_range,
    outside_limits,
    show_plain,
    type_of,
    value_problem,
)


@dataclass(frozen=True)
class _Files:
    """The documents of one pack folder, read but not checked yet."""

    folder: Path
    pack: Document
    facts: Document
    parameters: Document | None
    events: Document | None
    drafts: Document | None
    rules: tuple[Document, ...]  # every other *.yaml, in name order
    misnamed: tuple[Path, ...]  # *.yml, *.YAML: reported, not read


@collector_paused()  # a large pack makes many objects and no garbage cycles (load.collector_paused)
def load_pack(directory: Path | str) -> Pack:
    """Read and validate one rule pack folder: pack.yaml, facts.yaml, the optional parameters.yaml, events.yaml and
    drafts.yaml, and every other *.yaml (rules)."""
    files = _read(Path(directory))
    broken: set[str] = set()  # names declared in entries that do not fit their schema, or with a mistake
    found, readable = _structure(files, broken)
    if readable is None:
        raise InputError(found)
    files = readable  # what the schemas refused is left out, so that the rest is checked too
    head = Checker(files.pack, found, broken)
    sources = {key: Source(key, head.text(entry["title"]), entry.get("url"))
               for key, entry in files.pack.data["sources"].items()}
    actions = {key: head.text(title) for key, title in files.pack.data["actions"].items()}
    currency = files.pack.data.get("currency", "JPY")
    parameters = _parameters(Checker(files.parameters, found, broken), sources, currency) if files.parameters else {}
    facts = _facts(Checker(files.facts, found, broken), parameters, currency)
    if files.parameters:
        _parameter_limits(Checker(files.parameters, found, broken), parameters, facts)
    events = _events(Checker(files.events, found, broken), facts) if files.events else {}
    rules, seen = validate_rules.rules(files.rules, found, broken, facts, parameters, actions, sources)
    found += validate_rules.sets_cycles(rules)
    found += validate_rules.suppress_cycles(rules)
    drafts = _drafts(Checker(files.drafts, found, broken), facts, parameters, actions, seen) if files.drafts else {}
    if not rules and not found:
        found.append(about_file(files.folder, msg("v_no_rules"), "R108"))
    if found:
        raise InputError(found)
    return Pack(files.pack.data["id"], head.text(files.pack.data["name"]), str(files.folder), facts, parameters,
                actions, sources, tuple(rules), _declared_at(files), events, drafts=drafts,
                calendar=files.pack.data.get("calendar", "JP"), currency=currency)


def _read(folder: Path) -> _Files:
    """Load every YAML file of a pack folder, the pack's own files first."""
    if not (folder / PACK_FILE).is_file():
        raise InputError([about_file(folder, msg("v_not_a_pack", file=PACK_FILE))])

    def optional(name: str) -> Document | None:
        return _read_regular(folder / name) if (folder / name).exists() else None

    pack_doc = _read_regular(folder / PACK_FILE)
    parameters_doc = optional(PARAMETERS_FILE)
    facts_doc = _read_regular(folder / FACTS_FILE)
    events_doc, drafts_doc = optional(EVENTS_FILE), optional(DRAFTS_FILE)
    files = sorted(p for p in folder.iterdir() if is_pack_file(p.name))
    rule_docs = tuple(_read_regular(p) for p in files if p.suffix == ".yaml" and p.name not in PACK_FILES)
    return _Files(folder, pack_doc, facts_doc, parameters_doc, events_doc, drafts_doc, rule_docs,
                  tuple(p for p in files if p.suffix != ".yaml"))


def _read_regular(path: Path) -> Document:
    """read_file, for a regular file only (a symbolic link to one too): a named pipe in a pack folder would block
    the read for ever, and a device or a folder is no pack file."""
    if path.exists() and not path.is_file():
        raise InputError([about_file(path, msg("v_not_regular"))])
    return read_file(path)


# The parts of each file made of entries, by name (or by position, for rules): a mistake inside one entry leaves
# the others readable.
_ENTRIES = {"pack": ("sources", "actions"), "facts": ("facts",), "parameters": ("parameters",),
            "events": ("events",), "drafts": ("drafts",), "rules": ("rules",)}


def _structure(files: _Files, broken: set[str]) -> tuple[list[Diagnostic], _Files | None]:
    """Misnamed files, and every file checked against its JSON Schema; and the files without the entries that do
    not fit, whose names go to `broken` (what uses them is not reported as unknown), or None when a mistake lies
    outside every entry (a missing or wrong section): then nothing else can be checked."""
    found = [about_file(p, msg("v_rule_file_suffix", name=p.stem), "R108") for p in files.misnamed]
    kept: dict[str, Any] = {}
    for field, name in (("pack", "pack"), ("facts", "facts"), ("parameters", "parameters"), ("events", "events"),
                        ("drafts", "drafts"), ("rules", "rules")):
        docs = getattr(files, field)
        readable = []
        for doc in docs if field == "rules" else [docs]:
            problems = schema.located(doc, name) if doc is not None else []
            found += [diagnostic for _, diagnostic in problems]
            readable.append(_without(doc, _ENTRIES[name], [where for where, _ in problems], broken))
        if any(doc is None and original is not None
               for doc, original in zip(readable, docs if field == "rules" else [docs])):
            return found, None
        kept[field] = tuple(readable) if field == "rules" else readable[0]
    return found, _Files(files.folder, misnamed=files.misnamed, **kept)


def _without(doc: Document | None, sections: tuple[str, ...], wrong: list[tuple], broken: set[str]) -> Document | None:
    """`doc` without the entries of `sections` that `wrong` (paths to mistakes) point into; None if one points
    elsewhere. The names of the entries left out go to `broken`."""
    if doc is None or not wrong:
        return doc
    if any(len(where) < 2 or where[0] not in sections for where in wrong):
        return None
    data, marks = dict(doc.data), doc.marks
    for section in sections:
        bad = {where[1] for where in wrong if where[0] == section}
        if bad and isinstance(data[section], list):
            data[section], marks = _without_items(section, data[section], bad, marks, broken)
        elif bad:
            broken.update(str(name) for name in bad)
            data[section] = {name: entry for name, entry in data[section].items() if name not in bad}
    return Document(doc.path, data, marks)


def _without_items(section: str, entries: list, bad: set[int], marks: Mapping[tuple, tuple[int, int]],
                   broken: set[str]) -> tuple[list, dict[tuple, tuple[int, int]]]:
    """A list of entries (rules) without those at the positions `bad`, and the marks of the others numbered again;
    the ids of the rules left out go to `broken`."""
    broken.update(entry["id"] for index, entry in enumerate(entries)
                  if index in bad and isinstance(entry, dict) and isinstance(entry.get("id"), str))
    number = {old: new for new, old in enumerate(i for i in range(len(entries)) if i not in bad)}

    def renumbered(key: tuple) -> tuple | None:
        if key[:1] != (section,) or len(key) < 2 or not isinstance(key[1], int):
            return key
        return None if key[1] in bad else (section, number[key[1]], *key[2:])

    kept = {renumbered(key): mark for key, mark in marks.items()}
    kept.pop(None, None)
    return [entry for index, entry in enumerate(entries) if index not in bad], kept  # type: ignore[return-value]


def _declared_at(files: _Files) -> dict[tuple[str, str], Where]:
    """Where each action, parameter, fact and draft is declared, for findings about it."""
    return {(kind, name): Where(doc.path, *doc.mark(section, name, KEY))
            for kind, section, doc in (("action", "actions", files.pack), ("parameter", "parameters", files.parameters),
                                       ("fact", "facts", files.facts), ("draft", "drafts", files.drafts)) if doc
            for name in doc.data[section]}


def _drafts(check: Checker, facts: dict[str, Fact], parameters: dict[str, Parameter],
            actions: dict[str, Text], rule_ids) -> dict[str, Draft]:
    """drafts.yaml: for an action, or for one rule (which then wins over its action's draft), the words to
    send, with the same placeholders as rule messages."""
    names = validate_rules.placeholder_names(facts, parameters)
    result: dict[str, Draft] = {}
    for action, entry in check.doc.data["drafts"].items():
        where = ("drafts", action)
        before = check.state()
        if action not in actions and action not in rule_ids:
            check.unknown("R103", action, msg("v_draft_unknown", name=show(action),
                                              hint=did_you_mean(action, [*actions, *rule_ids])), *where, KEY)
        texts = validate_rules.texts(check, where, entry, ("subject", "body"), names)
        if check.state() == before:
            result[action] = Draft(texts.get("subject"), texts["body"])
    return result


def _events(check: Checker, facts: dict[str, Fact]) -> dict[str, EventType]:
    """events.yaml: the kinds of event a scenario's timeline may hold, and the facts each sets."""
    declared = check.doc.data["events"]
    result: dict[str, EventType] = {}
    for name, entry in declared.items():
        where = ("events", name)
        before = check.state()
        for position, earlier in enumerate(entry.get("after", [])):
            if earlier not in declared:
                check.error("R108", msg("v_after_unknown", name=show(earlier), hint=did_you_mean(earlier, declared)),
                            *where, "after", position)
        counted = bool(entry.get("count"))
        sets = [effect for fact_name, value in entry["sets"].items()
                if (effect := _event_sets(check, where + ("sets", fact_name), fact_name, value, counted, facts))]
        if check.state() == before:
            result[name] = EventType(name, check.text(entry["description"]), tuple(entry.get("after", ())),
                                     bool(entry.get("count")), tuple(sets))
    return result


# The fact types each way of computing a fact from an event gives (a plain value: the fact's own type).
_EVENT_SETS_TYPES = {"date": ("date", "datetime"), "count": ("int",), "add": ("int", "money"), "add_count": ("int",)}


def _event_sets(check: Checker, at: tuple, name: Any, value: Any, counted: bool,
                facts: dict[str, Fact]) -> tuple[str, str, Any] | None:
    """One fact an event sets, `name: value`: (fact, how, operand) (see _event_effect), or None if it cannot."""
    fact = facts.get(name)
    if fact is None or not fact.given_by_user:
        check.unknown("R102", name, msg("v_event_sets_unknown", name=show(name), hint=did_you_mean(
            name, [f for f in facts if facts[f].given_by_user])), *at, KEY)
        return None
    how, operand = _event_effect(value)
    wanted = _EVENT_SETS_TYPES.get(how)
    if wanted and fact.type not in wanted:
        check.error("R106", msg("v_event_sets_type", name=name, type=fact.type, value=show(value),
                                types=either(wanted)), *at)
    elif how in ("count", "add_count") and not counted:
        check.error("R108", msg("v_event_sets_count", name=name), *at)
    elif how == "value" and (problem := value_problem(fact, operand := _amount(fact, value))):
        check.error("R106", msg("v_sets_problem", name=name, problem=problem), *at)
    elif how == "add" and (problem := value_problem(fact, operand := _amount(fact, operand))):
        check.error("R106", msg("v_sets_problem", name=name, problem=problem), *at)
    elif how == "invalid":
        check.error("R106", msg("v_event_sets_invalid", name=name), *at)
    else:
        return name, how, operand
    return None


def _event_effect(value: Any) -> tuple[str, Any]:
    """How an event sets a fact: ("value", v), ("date", None), ("count", None), ("add", n), ("add_count", None)."""
    if not isinstance(value, dict):
        return "value", value
    if value == {"from": "date"}:
        return "date", None
    if value == {"from": "count"}:
        return "count", None
    if value == {"add": "count"}:
        return "add_count", None
    if list(value) == ["add"]:
        return "add", value["add"]
    return "invalid", None


def _amount(fact: Fact, value: Any) -> Any:
    """A value a pack writes for `fact`: an amount (money) in minor units of the pack's currency (units.pack_amount);
    any other value as it is."""
    return pack_amount(value, fact.currency) if fact.type == "money" else value


def _parameters(check: Checker, sources: dict[str, Source], currency: str) -> dict[str, Parameter]:
    """parameters.yaml: numbers and dates the platform sets, each with one value or several sourced ones; an amount
    (unit: money) in the pack's `currency`, held in its minor unit."""
    result: dict[str, Parameter] = {}
    for name, entry in check.doc.data["parameters"].items():
        if entry.get("unit") == "money":
            entry = _amounts_in(entry, currency)
        parameter = _parameter(check, name, entry, sources, currency)
        if parameter is None:
            check.broken.add(name)
        else:
            result[name] = parameter
    return result


def _amounts_in(entry: dict, currency: str) -> dict:
    """A money parameter's entry with its value(s), min and max in minor units of `currency`."""
    entry = {key: pack_amount(value, currency) if key in ("value", "min", "max") else value
             for key, value in entry.items()}
    if "values" in entry:
        entry["values"] = [{**item, "value": pack_amount(item.get("value"), currency)} if isinstance(item, dict)
                           else item for item in entry["values"]]
    return entry


def _parameter(check: Checker, name: str, entry: dict, sources: dict[str, Source],
               currency: str = "JPY") -> Parameter | None:
    """One parameter, or None if anything about it is wrong."""
    where = ("parameters", name)
    before = check.state()
    if ("value" in entry) == ("values" in entry):
        check.error("R108", msg("v_value_or_values"), *where, *(("values",) if "values" in entry else ()))
        return None
    cited = validate_rules.cited(check, where + ("source",), entry["source"], sources)
    variants = [Variant(item["value"], check.text(item["label"]),
                        validate_rules.cited(check, where + ("values", index, "source"), item["source"], sources))
                for index, item in enumerate(entry.get("values", []))]
    values = [v.value for v in variants] or [entry["value"]]
    _check_parameter_values(check, where, values, bool(variants))
    disputed, note = (check.text(entry[k]) if k in entry else None for k in ("disputed", "note"))
    unit = entry.get("unit")
    if unit is not None and type_of(values[0]) != "int":
        check.error("R106", msg("v_unit_whole_number", unit=unit, value=show(values[0])), *where, "unit")
    if check.state() != before:
        return None
    variants.sort(key=lambda v: v.value)
    return Parameter(name, "money" if unit == "money" else type_of(values[0]),
                     variants[0].value if variants else values[0], check.text(entry["description"]), cited, disputed,
                     note, tuple(variants), entry.get("min"), entry.get("max"), "hours" if unit == "hours" else None,
                     currency)


# The longest span a date can move and stay on the calendar (0001-01-01 to 9999-12-31), in days, and in hours
# between 0001-01-01 00:00 and 9999-12-31 23:59: a parameter added to a date beyond it is off the calendar
# whatever the date.
_CALENDAR_DAYS = (dt.date.max - dt.date.min).days
_CALENDAR_HOURS = _CALENDAR_DAYS * 24 + 23


def _parameter_limits(check: Checker, parameters: dict[str, Parameter], facts: dict[str, Fact]) -> None:
    """Each value a parameter declares (each of several sourced values) is within the parameter's own min: and
    max:, and none that a derived fact adds to a date (add_days, add_hours, add_business_days) takes it off the
    calendar whatever the date, nor counts more business days than add_business_days walks: each refused (R106)
    at the value in parameters.yaml. A date parameter as the date added to is not tried: the bound holds for
    any date."""
    adds = [(fact.name, fact.derive.op, fact.derive.args[1]) for fact in facts.values()
            if fact.derive is not None and fact.derive.op in ("add_days", "add_hours", "add_business_days")]
    for name, parameter in parameters.items():
        entry = check.doc.data["parameters"][name]
        if parameter.type == "money":
            entry = _amounts_in(entry, parameter.currency)
        written = ([(("values", index, "value"), item["value"]) for index, item in enumerate(entry["values"])]
                   if "values" in entry else [(("value",), entry["value"])])
        for at, value in written:
            if type_of(value) != "int":
                continue
            problem = outside_limits(parameter, value) or _off_calendar(name, value, adds)
            if problem is not None:
                check.error("R106", msg("v_fact_problem", name=name, problem=problem), "parameters", name, *at)


def _off_calendar(name: str, value: int, adds: list[tuple[str, str, str]]) -> Message | None:
    """Why a derived fact adding the parameter `name` = `value` to a date (`adds`: fact, operation, the name it
    adds) can never give a date, or None."""
    for fact, op, added in adds:
        if added != name:
            continue
        if op == "add_days" and abs(value) > _CALENDAR_DAYS:
            return msg("v_param_days_off_calendar", fact=fact, value=show_plain(value))
        if op == "add_hours" and abs(value) > _CALENDAR_HOURS:
            return msg("v_param_hours_off_calendar", fact=fact, value=show_plain(value))
        if op == "add_business_days" and abs(value) > derive.MAX_BUSINESS_DAYS:
            return msg("v_param_business_days", fact=fact, value=show_plain(value),
                       limit=f"{derive.MAX_BUSINESS_DAYS:,}")
    return None


def _check_parameter_values(check: Checker, where: tuple, values: list, ranged: bool) -> None:
    """A parameter's value fits durable_rules; several values (`ranged`) are distinct and of one ordered type."""
    for index, value in enumerate(values):
        at = where + (("values", index, "value") if ranged else ("value",))
        if type_of(value) == "int" and abs(value) > MAX_INT:
            check.error("R106", out_of_range(value), *at)
        elif ranged and type_of(value) not in ("int", "date"):
            check.error("R106", msg("v_values_ordered", value=show(value)), *at)
        elif type_of(value) != type_of(values[0]):
            check.error("R106", msg("v_values_same_type", value=show(value), first=show(values[0])), *at)
        elif value in values[:index]:
            check.error("R106", msg("v_values_twice", value=show_plain(value)), *at)


def _facts(check: Checker, parameters: dict[str, Parameter], currency: str = "JPY") -> dict[str, Fact]:
    """facts.yaml: what a scenario gives, what is derived from it and what rules set, in declaration order; the
    default, min and max of a money fact are amounts in the pack's `currency`, held in its minor unit."""
    result: dict[str, Fact] = {}
    for name, entry in check.doc.data["facts"].items():
        before = check.state()
        if entry.get("type") == "money":
            entry = {key: pack_amount(value, currency) if key in ("default", "min", "max") else value
                     for key, value in entry.items()}
        fact = _fact(check, name, entry, result, parameters, currency)
        if check.state() == before:
            result[name] = fact
        else:
            check.broken.add(name)
    return result


def _fact(check: Checker, name: str, entry: dict, earlier: dict[str, Fact], parameters: dict[str, Parameter],
          currency: str = "JPY") -> Fact:
    """One fact as declared; what is wrong with it is reported (check.state() changes)."""
    where = ("facts", name)
    kind = entry["type"]
    if name in parameters:
        check.error("R108", msg("v_fact_is_parameter", name=name), *where, KEY)
    values = tuple(entry.get("values", ()))
    description = check.text(entry["description"])
    _check_fact_values(check, where, Fact(name, kind, description, values, currency=currency), entry)
    labels = _labels(check, where, kind, values, entry["labels"]) if "labels" in entry else ()
    at_most = entry.get("at_most")
    _check_at_most(check, where, kind, at_most, earlier)
    derivation = _derivation(check, where, entry, kind, earlier, parameters) if "derive" in entry else None
    _check_computed(check, where, entry)
    _check_day_of(check, where, kind, entry)
    return Fact(name, kind, description, values, entry.get("default"), entry.get("min"), at_most, derivation,
                bool(entry.get("set_by_rules")), check.text(entry["question"]) if "question" in entry else None,
                entry.get("max"), labels, currency, entry.get("day_of"))


def _labels(check: Checker, where: tuple, kind: str, values: tuple[str, ...],
            declared: dict) -> tuple[tuple[str, Text], ...]:
    """An enum fact's `labels:`, one per value, in the order of `values`. Each label is a word a user may type for
    its value, so no folded word (model.folded) may name two values: not two labels in one language or across
    them, and not a label spelled like another value."""
    where = where + ("labels",)
    if kind != "enum":
        check.error("R106", msg("v_labels_enum"), *where, KEY)
        return ()
    for value in declared:
        if value not in values:
            check.error("R106", msg("v_label_unknown_value", value=show(value), hint=did_you_mean(value, values)),
                        *where, value, KEY)
    if missing := [value for value in values if value not in declared]:
        check.error("R108", msg("v_labels_missing", values=", ".join(missing)), *where, KEY)
    labels = tuple((value, check.text(declared[value])) for value in values if value in declared)
    words: dict[str, tuple[str, str | None]] = {folded(value): (value, None) for value in values}
    for value, text in labels:
        for lang in LANGS:
            other, other_lang = words.setdefault(folded(text.get(lang)), (value, lang))
            if other == value:
                continue
            key = "v_label_is_value" if other_lang is None else "v_label_twice"
            check.error("R108", msg(key, label=show(text.get(lang)), other=show(other), lang=other_lang or lang),
                        *where, value, lang)
    return labels


def _check_fact_values(check: Checker, where: tuple, fact: Fact, entry: dict) -> None:
    """The values a fact may take: an enum's values, its default, min and max."""
    if (fact.type == "enum") != ("values" in entry):
        check.error("R106", msg("v_enum_values"), *where, "type")
    seen: dict[str, str] = {}  # a scenario's word is matched to a value folded (model.folded): one value per form
    for index, value in enumerate(fact.values):
        other = seen.setdefault(folded(value), value)
        if other != value:
            check.error("R108", msg("v_value_folds_like", value=show(value), other=show(other)), *where, "values", index)
    default = entry.get("default")
    if default is not None and (problem := value_problem(fact, default)):
        check.error("R106", msg("v_default_problem", problem=problem), *where, "default")
    if "max" in entry and (fact.type not in ("int", "money") or entry["max"] < entry.get("min", entry["max"])):
        check.error("R106", msg("v_max"), *where, "max")
    if "min" in entry and fact.type not in ("int", "money"):
        check.error("R106", msg("v_min"), *where, "min")


def _check_at_most(check: Checker, where: tuple, kind: str, at_most: str | None, earlier: dict[str, Fact]) -> None:
    """`at_most:` names an earlier fact of a comparable ordered type, or as_of for a date."""
    if at_most is None or (at_most == "as_of" and kind in ("date", "datetime")):  # a datetime: on or before as_of
        return
    other = earlier.get(at_most)
    if at_most in check.broken:
        check.skipped += 1
    elif other is None or comparable(other.type) != comparable(kind) or kind not in ORDERED_TYPES:
        check.error("R106", msg("v_at_most", value=show(at_most)), *where, "at_most")


def _check_day_of(check: Checker, where: tuple, kind: str, entry: dict) -> None:
    """`day_of:` is on a datetime fact a scenario gives and names a date fact a scenario gives, declared anywhere
    in facts.yaml: the two are one moment, its day and its time (a scenario's values must agree)."""
    day_of = entry.get("day_of")
    if day_of is None:
        return
    declared = check.doc.data["facts"].get(day_of)
    given = not isinstance(declared, dict) or not (declared.get("derive") or declared.get("set_by_rules"))
    if day_of in check.broken:
        check.skipped += 1
    elif kind != "datetime" or entry.get("derive") or entry.get("set_by_rules"):
        check.error("R106", msg("v_day_of_on_datetime"), *where, "day_of")
    elif not isinstance(declared, dict) or declared.get("type") != "date" or not given:
        check.error("R106", msg("v_day_of", value=show(day_of)), *where, "day_of")


def _check_computed(check: Checker, where: tuple, entry: dict) -> None:
    """A fact is derived or set by rules, not both, and then takes no default, min, max or at_most."""
    computed = [key for key in ("derive", "set_by_rules") if entry.get(key)]
    if len(computed) > 1:
        check.error("R108", msg("v_derived_and_set"), *where, "set_by_rules")
    elif computed and (extra := [key for key in ("default", "min", "max", "at_most") if key in entry]):
        check.error("R108", msg("v_derived_takes_no" if computed[0] == "derive" else "v_set_by_rules_takes_no",
                                field=extra[0]), *where, extra[0])


def _derivation(check: Checker, where: tuple, entry: dict, kind: str, earlier: dict[str, Fact],
                parameters: dict[str, Parameter]) -> Derivation | None:
    (op, args), = entry["derive"].items()
    where = where + ("derive", op)
    arg_types, result_type = derive.OPERATIONS[op].args, derive.OPERATIONS[op].gives
    args = tuple(args) if isinstance(args, list) else (args,)
    if len(args) != len(arg_types):
        check.error("R108", msg("v_derive_arity_many" if len(arg_types) > 1 else "v_derive_arity_one", op=op,
                                count=len(arg_types), types=", ".join(arg_types)), *where)
        return None
    for index, (arg, wanted) in enumerate(zip(args, arg_types)):
        have = ("date" if arg == "as_of" else earlier[arg].type if arg in earlier
                else parameters[arg].type if arg in parameters else None)
        if have is None:
            check.unknown("R102", arg, msg("v_derive_unknown", name=show(arg),
                                           hint=did_you_mean(arg, [*earlier, *parameters])), *where)
            return None
        if comparable(have) not in map(comparable, wanted.split("/")):  # date/datetime: either
            check.error("R106", msg("v_derive_arg_type", op=op, type=wanted, position=index + 1, name=arg, have=have),
                        *where)
            return None
        if arg in earlier and earlier[arg].set_by_rules:
            check.error("R108", msg("v_derive_from_set_by_rules", name=arg), *where)
            return None
    if comparable(result_type) != comparable(kind):
        check.error("R106", msg("v_derive_result_type", op=op, result=result_type, kind=kind), *where)
        return None
    return Derivation(op, args)

