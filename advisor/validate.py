"""Stage 2, validate a rule pack: its loaded YAML files -> the immutable model (model.Pack), or every mistake
at its own line. Scenarios are validated against a pack in validate_scenario.py, with the checks on values here.

Structure (keys, kinds of values, patterns) is checked first against the JSON Schemas in rules/schemas/
(see schema.py); this module then checks what a schema cannot: names that refer to each other, values
against the declared type of their fact, placeholders, and the like.

Type checks here are also what keeps durable_rules honest: it treats `true == 1` and `"5" == 5` as
equal and compares mixed types as text, so a comparison only reaches it when the fact's declared
type and the value's type agree.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import derive, schema
from .conditions import literals, placeholders
from .diagnostics import Diagnostic, InputError, Message, did_you_mean, msg, show
from .load import KEY, Document, read_file
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
    SIDES,
    Condition,
    Derivation,
    Draft,
    EventType,
    Fact,
    Group,
    Pack,
    Parameter,
    Rule,
    Source,
    Test,
    Text,
    Variant,
    Where,
    disputed_inputs,
)

# YAML folds a line break into a space, which Japanese does not put between words.
_JOINED_LINES = re.compile(r"(?:(?<=[^\x00-\x7f])|(?<=\})) (?=[^\x00-\x7f]|\{)")


def is_pack_file(name: str) -> bool:
    """A YAML file of a pack: *.yaml (and misnamed *.yml, *.YAML, reported), not editors' hidden files."""
    return not name.startswith(".") and name.lower().endswith((".yaml", ".yml"))


class Checker:
    """Collects diagnostics for one document."""

    def __init__(self, doc: Document, found: list[Diagnostic], broken: set[str]):
        self.doc = doc
        self.found = found
        # Names declared with a mistake (already reported): their uses are not reported again as unknown.
        self.broken = broken
        self.skipped = 0  # uses of broken names met: what uses them is invalid too, silently

    def error(self, code: str, message: Message, *where: Any) -> None:
        """`code` names the check (advisor/check.py) for a rule pack; "" for a scenario."""
        self.found.append(self.doc.error(message, *where, code=code))

    def unknown(self, code: str, name: Any, message: Message, *where: Any) -> None:
        if name in self.broken:
            self.skipped += 1
        else:
            self.error(code, message, *where)

    def state(self) -> tuple[int, int]:
        """Changes whenever something is found invalid, reported or not."""
        return len(self.found), self.skipped

    def text(self, value: dict) -> Text:
        return Text(ja=_JOINED_LINES.sub("", value["ja"].strip()), en=value["en"].strip())


# ---------------------------------------------------------------------------------------------- packs

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


def load_pack(directory: Path | str) -> Pack:
    """Read and validate one rule pack folder: pack.yaml, facts.yaml, the optional parameters.yaml, events.yaml and
    drafts.yaml, and every other *.yaml (rules)."""
    files = _read(Path(directory))
    found = _structure(files)
    if found:
        raise InputError(found)

    broken: set[str] = set()
    head = Checker(files.pack, found, broken)
    sources = {key: Source(key, head.text(entry["title"]), entry.get("url"))
               for key, entry in files.pack.data["sources"].items()}
    actions = {key: head.text(title) for key, title in files.pack.data["actions"].items()}
    parameters = _parameters(Checker(files.parameters, found, broken), sources) if files.parameters else {}
    facts = _facts(Checker(files.facts, found, broken), parameters)
    events = _events(Checker(files.events, found, broken), facts) if files.events else {}
    rules, seen = _rules(files.rules, found, broken, facts, parameters, actions, sources)
    drafts = _drafts(Checker(files.drafts, found, broken), facts, parameters, actions, seen) if files.drafts else {}
    if not rules and not found:
        found.append(Diagnostic(str(files.folder), 1, 1, msg("v_no_rules"), "R108"))
    if found:
        raise InputError(found)
    return Pack(files.pack.data["id"], head.text(files.pack.data["name"]), str(files.folder), facts, parameters,
                actions, sources, tuple(rules), _declared_at(files), events, drafts=drafts)


def _read(folder: Path) -> _Files:
    """Load every YAML file of a pack folder, the pack's own files first."""
    if not (folder / PACK_FILE).is_file():
        raise InputError([Diagnostic(str(folder), 1, 1, msg("v_not_a_pack", file=PACK_FILE))])

    def optional(name: str) -> Document | None:
        return read_file(folder / name) if (folder / name).is_file() else None

    pack_doc = read_file(folder / PACK_FILE)
    parameters_doc = optional(PARAMETERS_FILE)
    facts_doc = read_file(folder / FACTS_FILE)
    events_doc, drafts_doc = optional(EVENTS_FILE), optional(DRAFTS_FILE)
    files = sorted(p for p in folder.iterdir() if is_pack_file(p.name))
    rule_docs = tuple(read_file(p) for p in files if p.suffix == ".yaml" and p.name not in PACK_FILES)
    return _Files(folder, pack_doc, facts_doc, parameters_doc, events_doc, drafts_doc, rule_docs,
                  tuple(p for p in files if p.suffix != ".yaml"))


def _structure(files: _Files) -> list[Diagnostic]:
    """Misnamed files, and every file checked against its JSON Schema."""
    found = [Diagnostic(str(p), 1, 1, msg("v_rule_file_suffix", name=p.stem), "R108") for p in files.misnamed]
    named = [(files.pack, "pack"), (files.facts, "facts"), (files.parameters, "parameters"), (files.events, "events"),
             (files.drafts, "drafts")] + [(doc, "rules") for doc in files.rules]
    for doc, name in named:
        if doc is not None:
            found += schema.check(doc, name)
    return found


def _rules(docs: tuple[Document, ...], found: list[Diagnostic], broken: set[str], facts: dict[str, Fact],
           parameters: dict[str, Parameter], actions: dict[str, Text],
           sources: dict[str, Source]) -> tuple[list[Rule], dict[str, Where]]:
    """Every valid rule of the rule files, in order, its suppressions resolved; and where each rule id stands."""
    rules: list[Rule] = []
    spans: list[tuple[Checker, int, list]] = []  # each rule's checker, index and `suppresses` names
    seen: dict[str, Where] = {}
    for doc in docs:
        check = Checker(doc, found, broken)
        for index, entry in enumerate(doc.data["rules"]):
            rule = _rule(check, index, entry, facts, parameters, actions, sources, len(rules))
            if rule is None:
                continue
            if rule.id in seen:
                first = seen[rule.id]
                check.error("R101", msg("v_duplicate_rule", id=rule.id, path=first.path, line=first.line),
                            "rules", index, "id")
                continue
            seen[rule.id] = rule.where
            rules.append(rule)
            spans.append((check, index, entry.get("suppresses", [])))
    return [_resolve_suppressions(rule, *span, rules, actions) for rule, span in zip(rules, spans)], seen


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
    names = placeholder_names(facts, parameters)
    result: dict[str, Draft] = {}
    for action, entry in check.doc.data["drafts"].items():
        where = ("drafts", action)
        before = check.state()
        if action not in actions and action not in rule_ids:
            check.unknown("R103", action, msg("v_draft_unknown", name=show(action),
                                              hint=did_you_mean(action, [*actions, *rule_ids])), *where, KEY)
        texts = _texts(check, where, entry, ("subject", "body"), names)
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
_EVENT_SETS_TYPES = {"date": ("date",), "count": ("int",), "add": ("int", "money"), "add_count": ("int",)}


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
    elif how == "value" and (problem := value_problem(fact, value)):
        check.error("R106", msg("v_sets_problem", name=name, problem=problem), *at)
    elif how == "add" and (problem := value_problem(fact, operand)):
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


def _parameters(check: Checker, sources: dict[str, Source]) -> dict[str, Parameter]:
    """parameters.yaml: numbers and dates the platform sets, each with one value or several sourced ones."""
    result: dict[str, Parameter] = {}
    for name, entry in check.doc.data["parameters"].items():
        parameter = _parameter(check, name, entry, sources)
        if parameter is None:
            check.broken.add(name)
        else:
            result[name] = parameter
    return result


def _parameter(check: Checker, name: str, entry: dict, sources: dict[str, Source]) -> Parameter | None:
    """One parameter, or None if anything about it is wrong."""
    where = ("parameters", name)
    before = check.state()
    if ("value" in entry) == ("values" in entry):
        check.error("R108", msg("v_value_or_values"), *where, *(("values",) if "values" in entry else ()))
        return None
    cited = _cited(check, where + ("source",), entry["source"], sources)
    variants = [Variant(item["value"], check.text(item["label"]),
                        _cited(check, where + ("values", index, "source"), item["source"], sources))
                for index, item in enumerate(entry.get("values", []))]
    values = [v.value for v in variants] or [entry["value"]]
    _check_parameter_values(check, where, values, bool(variants))
    disputed, note = (check.text(entry[k]) if k in entry else None for k in ("disputed", "note"))
    if check.state() != before:
        return None
    variants.sort(key=lambda v: v.value)
    return Parameter(name, type_of(values[0]), variants[0].value if variants else values[0],
                     check.text(entry["description"]), cited, disputed, note, tuple(variants))


def _check_parameter_values(check: Checker, where: tuple, values: list, ranged: bool) -> None:
    """A parameter's value fits durable_rules; several values (`ranged`) are distinct and of one ordered type."""
    for index, value in enumerate(values):
        at = where + (("values", index, "value") if ranged else ("value",))
        if type_of(value) == "int" and abs(value) > MAX_INT:
            check.error("R106", msg("v_out_of_range", value=value, max=MAX_INT), *at)
        elif ranged and type_of(value) not in ("int", "date"):
            check.error("R106", msg("v_values_ordered", value=show(value)), *at)
        elif type_of(value) != type_of(values[0]):
            check.error("R106", msg("v_values_same_type", value=show(value), first=show(values[0])), *at)
        elif value in values[:index]:
            check.error("R106", msg("v_values_twice", value=show_plain(value)), *at)


def _facts(check: Checker, parameters: dict[str, Parameter]) -> dict[str, Fact]:
    """facts.yaml: what a scenario gives, what is derived from it and what rules set, in declaration order."""
    result: dict[str, Fact] = {}
    for name, entry in check.doc.data["facts"].items():
        before = check.state()
        fact = _fact(check, name, entry, result, parameters)
        if check.state() == before:
            result[name] = fact
        else:
            check.broken.add(name)
    return result


def _fact(check: Checker, name: str, entry: dict, earlier: dict[str, Fact], parameters: dict[str, Parameter]) -> Fact:
    """One fact as declared; what is wrong with it is reported (check.state() changes)."""
    where = ("facts", name)
    kind = entry["type"]
    if name in parameters:
        check.error("R108", msg("v_fact_is_parameter", name=name), *where, KEY)
    values = tuple(entry.get("values", ()))
    description = check.text(entry["description"])
    _check_fact_values(check, where, Fact(name, kind, description, values), entry)
    at_most = entry.get("at_most")
    _check_at_most(check, where, kind, at_most, earlier)
    derivation = _derivation(check, where, entry, kind, earlier, parameters) if "derive" in entry else None
    _check_computed(check, where, entry)
    return Fact(name, kind, description, values, entry.get("default"), entry.get("min"), at_most, derivation,
                bool(entry.get("set_by_rules")), check.text(entry["question"]) if "question" in entry else None,
                entry.get("max"))


def _check_fact_values(check: Checker, where: tuple, fact: Fact, entry: dict) -> None:
    """The values a fact may take: an enum's values, its default, min and max."""
    if (fact.type == "enum") != ("values" in entry):
        check.error("R106", msg("v_enum_values"), *where, "type")
    default = entry.get("default")
    if default is not None and (problem := value_problem(fact, default)):
        check.error("R106", msg("v_default_problem", problem=problem), *where, "default")
    if "max" in entry and (fact.type not in ("int", "money") or entry["max"] < entry.get("min", entry["max"])):
        check.error("R106", msg("v_max"), *where, "max")
    if "min" in entry and fact.type not in ("int", "money"):
        check.error("R106", msg("v_min"), *where, "min")


def _check_at_most(check: Checker, where: tuple, kind: str, at_most: str | None, earlier: dict[str, Fact]) -> None:
    """`at_most:` names an earlier fact of a comparable ordered type, or as_of for a date."""
    if at_most is None or (at_most == "as_of" and kind == "date"):
        return
    other = earlier.get(at_most)
    if at_most in check.broken:
        check.skipped += 1
    elif other is None or _comparable(other.type) != _comparable(kind) or kind not in ORDERED_TYPES:
        check.error("R106", msg("v_at_most", value=show(at_most)), *where, "at_most")


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
        if _comparable(have) != _comparable(wanted):
            check.error("R106", msg("v_derive_arg_type", op=op, type=wanted, position=index + 1, name=arg, have=have),
                        *where)
            return None
        if arg in earlier and earlier[arg].set_by_rules:
            check.error("R108", msg("v_derive_from_set_by_rules", name=arg), *where)
            return None
    if _comparable(result_type) != _comparable(kind):
        check.error("R106", msg("v_derive_result_type", op=op, result=result_type, kind=kind), *where)
        return None
    return Derivation(op, args)


def _rule(check: Checker, index: int, entry: dict, facts: dict[str, Fact], parameters: dict[str, Parameter],
          actions: dict[str, Text], sources: dict[str, Source], order: int) -> Rule | None:
    where = ("rules", index)
    before = check.state()
    action = entry["action"]
    if action not in actions:
        check.unknown("R103", action, msg("v_rule_unknown_action", name=show(action), hint=did_you_mean(action, actions)),
                      *where, "action")
    when = _condition(check, where + ("when",), entry["when"], facts, parameters)
    texts = _texts(check, where, entry, ("message", "because"), placeholder_names(facts, parameters))
    cited = _cited(check, where + ("source",), entry["source"], sources)
    sets = []
    for name, value in entry.get("sets", {}).items():
        fact = facts.get(name)
        if fact is None or not fact.set_by_rules:
            settable = [f.name for f in facts.values() if f.set_by_rules]
            check.unknown("R102", name, msg("v_rule_sets_unknown", name=show(name), hint=did_you_mean(name, settable)),
                          *where, "sets", name, KEY)
        elif problem := value_problem(fact, value):
            check.error("R106", msg("v_sets_problem", name=name, problem=problem), *where, "sets", name)
        else:
            sets.append((name, value))
    valid_from, valid_until = entry.get("valid_from"), entry.get("valid_until")
    if valid_from and valid_until and valid_from > valid_until:
        check.error("R108", msg("v_valid_range", end=valid_until, start=valid_from), *where, "valid_until")
    deadline = _deadline(check, where, entry.get("deadline"), facts)
    sides = _sides(check, where, entry.get("side", {}), when, deadline, facts, parameters)
    if check.state() != before or when is None:
        return None
    line, column = check.doc.mark(*where)
    return Rule(entry["id"], action, entry["priority"], when, texts["message"], texts["because"], cited,
                Where(check.doc.path, line, column), order, (), tuple(sets), valid_from, valid_until, deadline, sides)


def _sides(check: Checker, where: tuple, sides: dict, when: Condition | None, deadline: str | None,
           facts: dict[str, Fact], parameters: dict[str, Parameter]) -> tuple[tuple[str, str], ...]:
    """`side:` says, for each parameter with several values that the rule's condition or deadline depends on,
    which value the rule takes; it is required for those and only for those."""
    used = [name for literal in (literals(when) if when else []) for name in (literal.test.fact, literal.test.param)
            if name]
    depends = _disputed_through(used + ([deadline] if deadline in facts else []), facts, parameters)
    for name in sides:
        _check_side(check, where + ("side", name, KEY), name, parameters, None if when is None else depends)
    for param, name in depends.items():
        if param not in sides:
            message = msg("v_side_missing", param=param) if name == param else msg("v_side_missing_through", name=name,
                                                                                       param=param)
            check.error("R110", message, *where, "when" if name in used else "deadline")
    return tuple(sorted((name, side) for name, side in sides.items() if name in parameters and side in SIDES))


def _check_side(check: Checker, at: tuple, name: Any, parameters: dict[str, Parameter],
                depends: dict[str, str] | None) -> None:
    """A side is taken of a parameter with several values that the rule depends on (`depends`; None: unknown)."""
    if name not in parameters:
        check.unknown("R104", name, msg("v_unknown_parameter", name=show(name), hint=did_you_mean(name, parameters)),
                      *at)
    elif not parameters[name].ranged:
        check.error("R110", msg("v_side_one_value", name=name), *at)
    elif depends is not None and name not in depends:  # a side that changes nothing would mislead the reader
        check.error("R110", msg("v_side_unused", name=name), *at)


def _disputed_through(names: list[str], facts: dict[str, Fact], parameters: dict[str, Parameter]) -> dict[str, str]:
    """Each parameter with several values that `names` depend on -> the first of `names` that depends on it."""
    depends: dict[str, str] = {}
    for name in names:
        for param in sorted(disputed_inputs(name, facts, parameters)):
            depends.setdefault(param, name)
    return depends


def placeholder_names(facts: dict[str, Fact], parameters: dict[str, Parameter]) -> set[str]:
    """What a text may show: facts, parameters and as_of; for a value with several (it depends on a parameter
    with several values), also one of them: {auto_termination_on.lowest}, {auto_termination_on.highest}."""
    names = {*facts, *parameters, "as_of"}
    names |= {f"{name}.{side}" for name in [*facts, *parameters] if disputed_inputs(name, facts, parameters)
              for side in SIDES}
    return names


def _texts(check: Checker, where: tuple, entry: dict, keys: tuple[str, ...], names: set[str]) -> dict[str, Text]:
    """The texts at `keys` of `entry` (those present), each placeholder checked against `names`."""
    texts = {key: check.text(entry[key]) for key in keys if key in entry}
    for key, text in texts.items():
        for lang in LANGS:
            for placeholder in placeholders(text.get(lang)):
                if placeholder not in names:
                    # {x.lowest} of a broken x is not reported again: x's own mistake was
                    check.unknown("R107", placeholder.partition(".")[0],
                                  msg("v_unknown_placeholder", field=key, language=lang, name=placeholder,
                                      hint=did_you_mean(placeholder, names)), *where, key, lang)
    return texts


def _deadline(check: Checker, where: tuple, name: Any, facts: dict[str, Fact]) -> str | None:
    """`deadline:` names a date fact, the day the advice is about (advise --calendar)."""
    if name is None:
        return None
    if name not in facts:
        check.unknown("R102", name, msg("v_deadline_unknown", name=show(name),
                                        hint=did_you_mean(name, [f for f in facts if facts[f].type == "date"])),
                      *where, "deadline")
    elif facts[name].type != "date":
        check.error("R106", msg("v_deadline_type", name=name, type=facts[name].type), *where, "deadline")
    return name


def _resolve_suppressions(rule: Rule, check: Checker, index: int, names: list, rules: list[Rule],
                          actions: dict[str, Text]) -> Rule:
    """`suppresses:` names rule ids or action ids; the model keeps the rule ids."""
    by_id = {r.id: r for r in rules}
    targets: list[str] = []
    for position, name in enumerate(names):
        if name in by_id:
            matched = [name]
        elif name in actions:
            matched = [r.id for r in rules if r.action == name]
        else:
            check.error("R108", msg("v_suppresses_unknown", name=show(name), hint=did_you_mean(name, [*by_id, *actions])),
                        "rules", index, "suppresses", position)
            continue
        if rule.id in matched:
            check.error("R108", msg("v_suppresses_itself", name=name), "rules", index, "suppresses", position)
            continue
        targets += [m for m in matched if m not in targets]
    return Rule(**{**rule.__dict__, "suppresses": tuple(targets)})


def _cited(check: Checker, where: tuple, raw: Any, sources: dict[str, Source]) -> tuple[str, ...]:
    ids = raw if isinstance(raw, list) else [raw]
    for index, source in enumerate(ids):
        if source not in sources:
            check.unknown("R105", source, msg("v_unknown_source", name=show(source), hint=did_you_mean(source, sources)),
                          *(where + ((index,) if isinstance(raw, list) else ())))
    return tuple(ids)


def _condition(check: Checker, where: tuple, node: dict, facts: dict[str, Fact],
               parameters: dict[str, Parameter]) -> Condition | None:
    """`when:`: groups (all, any, not) of tests, each on a declared fact; None if any part is wrong."""
    (key, value), = node.items()
    if key in ("all", "any"):
        items = [_condition(check, where + (key, i), item, facts, parameters) for i, item in enumerate(value)]
        valid = [item for item in items if item is not None]
        return Group(key, tuple(valid)) if len(valid) == len(items) else None
    if key == "not":
        inner = _condition(check, where + (key,), value, facts, parameters)
        return Group("not", (inner,)) if inner else None
    if key not in facts:
        check.unknown("R102", key, msg("v_unknown_fact", name=show(key),
                                       hint=did_you_mean(key, [*facts, "all", "any", "not"])), *where, key, KEY)
        return None
    return _test(check, where + (key,), facts[key], value, parameters)


def _test(check: Checker, where: tuple, fact: Fact, value: Any, parameters: dict[str, Parameter]) -> Test | None:
    """One test of a fact: `fact: value` (eq) or `fact: {operator: operand}`."""
    if isinstance(value, dict) and list(value) != ["param"]:
        (op, operand), = value.items()
        at = where + (op,)
    else:
        op, operand, at = "eq", value, where
    if op == "present":
        return Test(fact.name, op, operand, None)
    if op in ("in", "not_in"):
        return _membership(check, at, fact, op, operand)
    if op not in ("eq", "ne") and fact.type not in ORDERED_TYPES:
        check.error("R106", msg("v_compare_type", op=op, name=fact.name, type=fact.type), *at)
        return None
    return _comparison(check, at, fact, op, operand, parameters)


def _membership(check: Checker, at: tuple, fact: Fact, op: str, operand: list) -> Test | None:
    """`in:` / `not_in:` a list of values of the fact's type."""
    for index, item in enumerate(operand):
        if problem := value_problem(fact, item):
            check.error("R106", msg("v_fact_problem", name=fact.name, problem=problem), *at, index)
            return None
    return Test(fact.name, op, tuple(operand), None)


def _comparison(check: Checker, at: tuple, fact: Fact, op: str, operand: Any,
                parameters: dict[str, Parameter]) -> Test | None:
    """A comparison with a value of the fact's type, or with a parameter's value (`{param: name}`)."""
    param = None
    if isinstance(operand, dict):
        param = operand["param"]
        if param not in parameters:
            check.unknown("R104", param, msg("v_unknown_parameter", name=show(param), hint=did_you_mean(param, parameters)),
                          *at)
            return None
        operand = parameters[param].value
    if problem := value_problem(fact, operand):
        check.error("R106", msg("v_fact_problem_param", name=fact.name, problem=problem, param=param) if param
                    else msg("v_fact_problem", name=fact.name, problem=problem), *at)
        return None
    return Test(fact.name, op, operand, param)


# ---------------------------------------------------- values (also checked in scenarios: validate_scenario.py)

def value_problem(fact: Fact, value: Any) -> Message | None:
    """Why `value` cannot be a value of `fact`, or None."""
    kind = type_of(value)
    if fact.type == "enum":
        if value in fact.values:
            return None
        return msg("v_expected_one_of", values=", ".join(fact.values), value=show(value),
                   hint=did_you_mean(value, fact.values), note=msg("v_yaml_bool_hint") if kind == "bool" else "")
    wanted = {"bool": "bool", "int": "int", "money": "int", "date": "date"}[fact.type]
    if kind != wanted:
        key = {"bool": "v_expected_bool", "int": "v_expected_int", "date": "v_expected_date"}[wanted]
        return msg(key, value=show(value), hint=_quoted_hint(value, wanted))
    if kind == "int":
        if abs(value) > MAX_INT:
            return msg("v_out_of_range", value=value, max=MAX_INT)
        if fact.min is not None and value < fact.min:
            return msg("v_at_least", min=fact.min, value=value)
        if fact.max is not None and value > fact.max:
            return msg("v_at_most_value", max=fact.max, value=value)
    return None


def show_plain(value: Any) -> Message | str:
    return str(value) if not isinstance(value, bool) else show(value)


def _quoted_hint(value: Any, wanted: str) -> Message | str:
    """A hint when a value was quoted and so read as text: "true", "12", "2026-11-25"."""
    looks = {"bool": r"(?i:true|false)", "int": r"[-+]?\d+", "date": r"\d{4}-\d\d-\d\d"}[wanted]
    if isinstance(value, str) and re.fullmatch(looks, value):
        return msg("v_quoted_hint")
    return ""


def either(names: Any) -> Message | str:
    """Alternatives as "a or b or c", joined by the catalogs' word for "or"."""
    first, *rest = names
    return msg("v_or", first=first, rest=either(rest)) if rest else first


def type_of(value: Any) -> str:
    """The type of a loaded YAML value as facts and parameters name them (bool, int, date, str; datetime for a
    date with a time); any other value gets its Python type's name (dict, list, NoneType, float), which no fact
    or parameter type has."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, str):
        return "str"
    return type(value).__name__


def _comparable(kind: str) -> str:
    return "int" if kind == "money" else kind
