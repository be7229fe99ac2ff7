"""Stage 2, validate: loaded YAML -> the immutable model, or every mistake at its own line.

Type checks here are also what keeps durable_rules honest: it treats `true == 1` and `"5" == 5` as
equal and compares mixed types as text, so a comparison only reaches it when the fact's declared
type and the value's type agree.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from . import derive
from .diagnostics import Diagnostic, InputError, did_you_mean
from .load import KEY, Document, read_file
from .model import (FACT_TYPES, LANGS, Condition, Derivation, Expectation, Fact, Group, Pack, Parameter, Rule,
                    Scenario, Source, Test, Text, Value, Where)

SNAKE = re.compile(r"[a-z][a-z0-9_]*\Z")
RULE_ID = re.compile(r"[a-z][a-z0-9_-]*\Z")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# YAML folds a line break into a space, which Japanese does not put between words.
_JOINED_LINES = re.compile(r"(?:(?<=[^\x00-\x7f])|(?<=\})) (?=[^\x00-\x7f]|\{)")
MAX_INT = 10**12  # far above any fee in yen; keeps every number inside durable_rules' int64
COMPARISONS = ("eq", "ne", "lt", "lte", "gt", "gte")
ORDERED_TYPES = ("int", "money", "date")
OPERATORS = COMPARISONS + ("in", "not_in", "present")
PACK_FILE, FACTS_FILE = "pack.yaml", "facts.yaml"
RESERVED = ("all", "any", "not", "as_of")  # words a condition or a text already gives a meaning


class _Checker:
    """Collects diagnostics for one document; `ok` tells whether a value passed."""

    def __init__(self, doc: Document, found: list[Diagnostic], broken: set[str] | None = None):
        self.doc = doc
        self.found = found
        # Names declared with a mistake (already reported): their uses are not reported again as unknown.
        self.broken = broken if broken is not None else set()
        self.skipped = 0  # uses of broken names met: the thing using them is invalid too, silently

    def unknown(self, name: Any, message: str, *where: Any) -> None:
        if name in self.broken:
            self.skipped += 1
        else:
            self.error(message, *where)

    def state(self) -> tuple[int, int]:
        """Changes whenever something is found invalid, reported or not."""
        return len(self.found), self.skipped

    def error(self, message: str, *where: Any) -> None:
        self.found.append(self.doc.error(message, *where))

    def key_error(self, message: str, *where: Any) -> None:
        self.found.append(self.doc.error(message, *where, KEY))

    def get(self, *where: Any) -> Any:
        value = self.doc.data
        for step in where:
            value = value[step]
        return value

    def mapping(self, where: tuple, allowed: tuple[str, ...], required: tuple[str, ...] = (), what: str = "") -> dict:
        """The mapping at `where` with unknown keys reported; {} when it is not a mapping."""
        value = self.get(*where)
        if not isinstance(value, dict):
            self.error(f"{what or 'this'} must be a mapping (key: value lines), not {_kind(value)}", *where)
            return {}
        for key in value:
            if key not in allowed:
                self.key_error(f'unknown key "{key}"{did_you_mean(key, allowed)}; allowed: {", ".join(allowed)}',
                               *where, key)
        for key in required:
            if key not in value:
                self.error(f'missing key "{key}"' + (f" in {what}" if what else ""), *where)
        return value

    def entries(self, section: str) -> dict:
        """A top-level mapping of named declarations (sources:, facts: ...); {} when it is not a mapping."""
        value = self.get(section)
        if not isinstance(value, dict):
            self.error(f"{section} must be a mapping (name: declaration lines), not {_kind(value)}", section)
            return {}
        return value

    def text(self, where: tuple) -> Text | None:
        value = self.mapping(where, LANGS, LANGS, "a text (ja and en)")
        if not value or any(lang not in value for lang in LANGS):
            return None
        for lang in LANGS:
            if not isinstance(value[lang], str) or not value[lang].strip():
                self.error(f"the {lang} text must be a non-empty string", *where, lang)
                return None
        return Text(ja=_JOINED_LINES.sub("", value["ja"].strip()), en=value["en"].strip())

    def name(self, where: tuple, pattern: re.Pattern, what: str) -> str | None:
        value = self.get(*where)
        if not _is_id(value, pattern):
            allowed = "letters, digits, '-' and '_'" if pattern is RULE_ID else "letters, digits and '_'"
            self.error(f"{what} must be lower-case {allowed}, starting with a letter; got {_show(value)}", *where)
            return None
        return value


# ---------------------------------------------------------------------------------------------- packs

def load_pack(directory: Path | str) -> Pack:
    """Read and validate one rule pack folder: pack.yaml, facts.yaml and every other *.yaml (rules)."""
    folder = Path(directory)
    if not (folder / PACK_FILE).is_file():
        raise InputError([Diagnostic(str(folder), 1, 1, f"not a rule pack: no {PACK_FILE} in this folder")])
    found: list[Diagnostic] = []
    broken: set[str] = set()
    pack_doc = read_file(folder / PACK_FILE)
    facts_doc = read_file(folder / FACTS_FILE)
    rule_docs = [read_file(p) for p in sorted(folder.glob("*.yaml")) if p.name not in (PACK_FILE, FACTS_FILE)]
    found += [Diagnostic(str(p), 1, 1, f"rule files end in .yaml; rename it to {p.stem}.yaml")
              for p in sorted(folder.glob("*.yml"))]

    head = _Checker(pack_doc, found, broken)
    top = head.mapping((), ("id", "name", "parameters", "actions", "sources"), ("id", "name", "actions", "sources"),
                       "pack.yaml")
    pack_id = head.name(("id",), SNAKE, "the pack id") if "id" in top else None
    name = head.text(("name",)) if "name" in top else None
    sources = _sources(head, top)
    broken.update(_declared(head, "sources") - set(sources))
    parameters = _parameters(head, top, sources)
    broken.update(_declared(head, "parameters") - set(parameters))
    actions = _actions(head, top)
    broken.update(_declared(head, "actions") - set(actions))
    facts = _facts(_Checker(facts_doc, found, broken), parameters)

    rules: list[Rule] = []
    seen: dict[str, Where] = {}
    for doc in rule_docs:
        check = _Checker(doc, found, broken)
        body = check.mapping((), ("rules",), ("rules",), "a rule file")
        if "rules" not in body:
            continue
        if not isinstance(body["rules"], list):
            check.error("rules must be a list of rules (lines starting with '- ')", "rules")
            continue
        for index in range(len(body["rules"])):
            rule = _rule(check, ("rules", index), facts, parameters, actions, sources, len(rules))
            if rule is None:
                continue
            if rule.id in seen:
                first = seen[rule.id]
                check.error(f'duplicate rule id "{rule.id}" (first defined at {first.path}:{first.line})',
                            "rules", index, "id")
                continue
            seen[rule.id] = rule.where
            rules.append(rule)
    if not rules and not found:
        found.append(Diagnostic(str(folder), 1, 1, "the pack has no rules: add a *.yaml file with a rules: list"))
    if found:
        raise InputError(found)
    assert pack_id and name
    return Pack(pack_id, name, str(folder), facts, parameters, actions, sources, tuple(rules))


def _declared(check: _Checker, section: str) -> set[str]:
    value = check.doc.data.get(section) if isinstance(check.doc.data, dict) else None
    return {key for key in value if isinstance(key, str)} if isinstance(value, dict) else set()


def _sources(check: _Checker, top: dict) -> dict[str, Source]:
    result: dict[str, Source] = {}
    if "sources" not in top:
        return result
    for key in check.entries("sources"):
        where = ("sources", key)
        if not _is_id(key, RULE_ID):
            check.key_error(f"a source id must be lower-case letters, digits, '-' or '_'; got {_show(key)}", *where)
            continue
        entry = check.mapping(where, ("title", "url"), ("title",), f"source {key}")
        title = check.text(where + ("title",)) if "title" in entry else None
        url = entry.get("url")
        if url is not None and not (isinstance(url, str) and re.match(r"https?://\S+\Z", url)):
            check.error(f"url must be an http(s) address; got {_show(url)}", *where, "url")
            continue
        if title:
            result[key] = Source(key, title, url)
    return result


def _parameters(check: _Checker, top: dict, sources: dict[str, Source]) -> dict[str, Parameter]:
    result: dict[str, Parameter] = {}
    if "parameters" not in top:
        return result
    for key in check.entries("parameters"):
        where = ("parameters", key)
        if not _is_id(key, SNAKE):
            check.key_error(f"a parameter name must be snake_case; got {_show(key)}", *where)
            continue
        entry = check.mapping(where, ("value", "description", "disputed", "source"), ("value", "description", "source"),
                              f"parameter {key}")
        if "value" not in entry:
            continue
        value = entry["value"]
        kind = _type_of(value)
        if kind not in ("bool", "int", "date"):
            check.error(f"a parameter value must be a whole number, a date or true/false; got {_show(value)}", *where,
                        "value")
            continue
        if kind == "int" and abs(value) > MAX_INT:
            check.error(f"{value} is out of range (at most {MAX_INT})", *where, "value")
            continue
        description = check.text(where + ("description",)) if "description" in entry else None
        disputed = check.text(where + ("disputed",)) if "disputed" in entry else None
        cited = _cited(check, where + ("source",), sources) if "source" in entry else ()
        if description and cited:
            result[key] = Parameter(key, kind, value, description, cited, disputed)
    return result


def _actions(check: _Checker, top: dict) -> dict[str, Text]:
    result: dict[str, Text] = {}
    if "actions" not in top:
        return result
    for key in check.entries("actions"):
        if not _is_id(key, SNAKE):
            check.key_error(f"an action id must be snake_case; got {_show(key)}", "actions", key)
            continue
        title = check.text(("actions", key))
        if title:
            result[key] = title
    return result


def _facts(check: _Checker, parameters: dict[str, Parameter]) -> dict[str, Fact]:
    top = check.mapping((), ("facts",), ("facts",), "facts.yaml")
    result: dict[str, Fact] = {}
    if "facts" not in top:
        return result
    for name in check.entries("facts"):
        where = ("facts", name)
        if not _is_id(name, SNAKE) or name in RESERVED:
            check.key_error(f"a fact name must be snake_case and not one of {', '.join(RESERVED)}; got {_show(name)}",
                            *where)
            continue
        if name in parameters:
            check.key_error(f'"{name}" is already a parameter; a fact needs a name of its own', *where)
            continue
        before = check.state()
        entry = check.mapping(where, ("type", "values", "default", "description", "min", "at_most", "derive"),
                              ("type", "description"), f"fact {name}")
        kind = entry.get("type")
        if "type" in entry and kind not in FACT_TYPES:
            check.error(f"unknown type {_show(kind)}{did_you_mean(kind, FACT_TYPES)}; types: {', '.join(FACT_TYPES)}",
                        *where, "type")
            check.broken.add(name)
            continue
        description = check.text(where + ("description",)) if "description" in entry else None
        values: tuple[str, ...] = ()
        if kind == "enum":
            raw = entry.get("values")
            if not isinstance(raw, list) or not raw or not all(isinstance(v, str) for v in raw) or len(set(raw)) != len(raw):
                check.error("an enum fact needs values: a list of distinct words (quote yes/no/on/off)", *where)
                check.broken.add(name)
                continue
            values = tuple(raw)
        elif "values" in entry:
            check.key_error("values is only for type: enum", *where, "values")
        bare = Fact(name, kind or "int", description or Text("-", "-"), values)
        default = entry.get("default")
        if default is not None and (problem := value_problem(bare, default)):
            check.error(f"default: {problem}", *where, "default")
        minimum = entry.get("min")
        if minimum is not None and (kind not in ("int", "money") or _type_of(minimum) != "int"):
            check.error("min is a whole number, for int and money facts", *where, "min")
        at_most = entry.get("at_most")
        if at_most is not None:
            other = result.get(at_most)
            if at_most == "as_of" and kind == "date":
                pass
            elif at_most in check.broken:
                check.skipped += 1
            elif other is None or _comparable(other.type) != _comparable(kind) or kind not in ORDERED_TYPES:
                check.error(f"at_most names an earlier fact of the same type (or as_of for a date); got {_show(at_most)}",
                            *where, "at_most")
        derivation = _derivation(check, where, entry, kind, result, parameters) if "derive" in entry else None
        if derivation and (default is not None or minimum is not None or at_most is not None):
            check.error("a derived fact has no default, min or at_most", *where, "derive")
        if check.state() == before and kind and description and ("derive" not in entry or derivation):
            result[name] = Fact(name, kind, description, values, default, minimum, at_most, derivation)
        else:
            check.broken.add(name)
    return result


def _derivation(check: _Checker, where: tuple, entry: dict, kind: str, earlier: dict[str, Fact],
                parameters: dict[str, Parameter]) -> Derivation | None:
    spec = entry["derive"]
    where = where + ("derive",)
    ops = tuple(derive.OPERATIONS)
    if not isinstance(spec, dict) or len(spec) != 1:
        check.error(f"derive takes one operation, e.g. derive: {{days_since: request_sent_on}}; operations: {', '.join(ops)}",
                    *where)
        return None
    (op, args), = spec.items()
    if op not in derive.OPERATIONS:
        check.key_error(f"unknown operation {_show(op)}{did_you_mean(op, ops)}; operations: {', '.join(ops)}", *where, op)
        return None
    arg_types, result_type, _ = derive.OPERATIONS[op]
    if op in derive.TAKES_AS_OF:
        arg_types = arg_types[:-1]
    args = tuple(args) if isinstance(args, list) else (args,)
    if len(args) != len(arg_types):
        check.error(f"{op} takes {len(arg_types)} fact or parameter name{'s' if len(arg_types) > 1 else ''}, "
                    f"of type {', '.join(arg_types)}", *where, op)
        return None
    for index, (arg, wanted) in enumerate(zip(args, arg_types)):
        have = ("date" if arg == "as_of" else earlier[arg].type if arg in earlier
                else parameters[arg].type if arg in parameters else None)
        if have is None:
            check.unknown(arg, f"{_show(arg)} is not a fact declared above nor a parameter"
                               f"{did_you_mean(arg, [*earlier, *parameters])}", *where, op)
            return None
        if _comparable(have) != _comparable(wanted):
            check.error(f"{op} needs type {wanted} as argument {index + 1}; {arg} is {have}", *where, op)
            return None
    if _comparable(result_type) != _comparable(kind):
        check.error(f"{op} gives a value of type {result_type}, but the fact is declared as {kind}", *where, op)
        return None
    return Derivation(op, args)


def _rule(check: _Checker, where: tuple, facts: dict[str, Fact], parameters: dict[str, Parameter],
          actions: dict[str, Text], sources: dict[str, Source], order: int) -> Rule | None:
    before = check.state()
    entry = check.mapping(where, ("id", "action", "priority", "when", "message", "because", "source"),
                          ("id", "action", "priority", "when", "message", "because", "source"), "a rule")
    if not entry:
        return None
    rule_id = check.name(where + ("id",), RULE_ID, "a rule id") if "id" in entry else None
    action = entry.get("action")
    if "action" in entry and action not in actions:
        check.unknown(action, f"unknown action {_show(action)}{did_you_mean(action, actions)}; "
                              "declare it under actions: in pack.yaml", *where, "action")
    priority = entry.get("priority")
    if "priority" in entry and not (_type_of(priority) == "int" and 1 <= priority <= 1000):
        check.error(f"priority must be a whole number from 1 (first) to 1000 (last); got {_show(priority)}",
                    *where, "priority")
    when = _condition(check, where + ("when",), facts, parameters) if "when" in entry else None
    names = {*facts, *parameters, "as_of"}
    texts = {}
    for key in ("message", "because"):
        if key in entry and (text := check.text(where + (key,))):
            for lang in LANGS:
                for placeholder in PLACEHOLDER.findall(text.get(lang)):
                    if placeholder not in names:
                        check.unknown(placeholder, f"{key}.{lang}: unknown placeholder {{{placeholder}}}"
                                                   f"{did_you_mean(placeholder, names)}", *where, key, lang)
            texts[key] = text
    cited = _cited(check, where + ("source",), sources) if "source" in entry else ()
    if check.state() != before or when is None:
        return None
    line, column = check.doc.mark(*where)
    return Rule(rule_id, action, priority, when, texts["message"], texts["because"], cited,
                Where(check.doc.path, line, column), order)


def _cited(check: _Checker, where: tuple, sources: dict[str, Source]) -> tuple[str, ...]:
    raw = check.get(*where)
    ids = raw if isinstance(raw, list) else [raw]
    if not ids or not all(isinstance(i, str) for i in ids):
        check.error("source is a source id or a list of them (declared under sources: in pack.yaml)", *where)
        return ()
    for index, source in enumerate(ids):
        if source not in sources:
            check.unknown(source, f"unknown source {_show(source)}{did_you_mean(source, sources)}",
                          *(where + ((index,) if isinstance(raw, list) else ())))
            return ()
    return tuple(ids)


def _condition(check: _Checker, where: tuple, facts: dict[str, Fact], parameters: dict[str, Parameter]) -> Condition | None:
    node = check.get(*where)
    if not isinstance(node, dict) or len(node) != 1:
        check.error("a condition is one of all: [...], any: [...], not: ..., or one fact test such as "
                    "client_response: rejected", *where)
        return None
    (key, value), = node.items()
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            check.error(f"{key} takes a non-empty list of conditions", *where, key)
            return None
        items = [_condition(check, where + (key, i), facts, parameters) for i in range(len(value))]
        return Group(key, tuple(items)) if all(items) else None
    if key == "not":
        inner = _condition(check, where + (key,), facts, parameters)
        return Group("not", (inner,)) if inner else None
    if key not in facts:
        check.unknown(key, f"unknown fact {_show(key)}{did_you_mean(key, [*facts, 'all', 'any', 'not'])}",
                      *where, key, KEY)
        return None
    fact = facts[key]
    where = where + (key,)
    if not isinstance(value, dict) or list(value) == ["param"]:
        op, operand, at = "eq", value, where
    elif len(value) == 1 and next(iter(value)) in OPERATORS:
        (op, operand), = value.items()
        at = where + (op,)
    else:
        bad = next((k for k in value if k not in OPERATORS), None)
        check.error(f"a test is one operator: {', '.join(OPERATORS)}"
                    + (f'; unknown operator "{bad}"{did_you_mean(bad, OPERATORS)}' if bad is not None else ""), *where)
        return None
    if op == "present":
        if not isinstance(operand, bool):
            check.error("present takes true or false", *at)
            return None
        return Test(key, op, operand, None)
    if op in ("in", "not_in"):
        if not isinstance(operand, list) or not operand:
            check.error(f"{op} takes a non-empty list of values", *at)
            return None
        for index, item in enumerate(operand):
            if problem := value_problem(fact, item):
                check.error(f"{key}: {problem}", *at, index)
                return None
        return Test(key, op, tuple(operand), None)
    if op not in ("eq", "ne") and fact.type not in ORDERED_TYPES:
        check.error(f"{op} compares numbers or dates; {key} is {fact.type}", *at)
        return None
    param = None
    if isinstance(operand, dict):
        param = operand.get("param")
        if len(operand) != 1 or param not in parameters:
            check.unknown(param, f"a value is written as is, or as {{param: NAME}}; unknown parameter {_show(param)}"
                                 f"{did_you_mean(param, parameters)}", *at)
            return None
        operand = parameters[param].value
    if problem := value_problem(fact, operand):
        check.error(f"{key}: {problem}" + (f" (parameter {param})" if param else ""), *at)
        return None
    return Test(key, op, operand, param)


# ------------------------------------------------------------------------------------------ scenarios

def scenario_platform(doc: Document) -> str:
    """The platform a scenario names (default crowdworks), checked before its pack is read."""
    data = doc.data
    if not isinstance(data, dict):
        raise InputError([doc.error(f"a scenario must be a mapping (title:, as_of:, facts: ...), not {_kind(data)}")])
    platform = data.get("platform", "crowdworks")
    if not isinstance(platform, str):
        raise InputError([doc.error(f"platform must be a name such as crowdworks; got {_show(platform)}", "platform")])
    return platform


def validate_scenario(doc: Document, pack: Pack, today: dt.date) -> Scenario:
    found: list[Diagnostic] = []
    check = _Checker(doc, found)
    top = check.mapping((), ("title", "platform", "as_of", "facts", "expect"), (), "a scenario")
    title = top.get("title")
    if title is not None and not isinstance(title, str):
        check.error("title must be text", "title")
    elif title is not None and any(ord(c) < 0x20 or ord(c) == 0x7f for c in title):
        check.error("title must be one line of text without control characters", "title")  # e.g. terminal escapes
    as_of = top.get("as_of", today)
    if _type_of(as_of) != "date":
        check.error(f"as_of must be a date written YYYY-MM-DD; got {_show(as_of)}{_quoted_hint(as_of, 'date')}", "as_of")
        as_of = today
    facts: dict[str, Value] = {}
    inputs = tuple(name for name, fact in pack.facts.items() if fact.derive is None)
    given = top.get("facts") or {}  # `facts:` with nothing after it states no facts
    if not isinstance(given, dict):
        check.error(f"facts must be a mapping (name: value lines), not {_kind(given)}", "facts")
        given = {}
    for name, value in given.items():
        fact = pack.facts.get(name)
        if fact is None:
            check.key_error(f'unknown fact "{name}"{did_you_mean(name, inputs)}; facts: {", ".join(inputs)}',
                            "facts", name)
        elif fact.derive is not None:
            check.key_error(f"{name} is computed by the advisor (from {', '.join(fact.derive.args)}); remove it",
                            "facts", name)
        elif value is None:
            continue  # `fact:` with nothing after it means "not known", like leaving it out
        elif problem := value_problem(fact, value):
            check.error(f"{name}: {problem}", "facts", name)
        else:
            facts[name] = value
    for fact in pack.facts.values():
        if fact.name not in facts and fact.default is not None and fact.derive is None:
            facts[fact.name] = fact.default
    for name in [n for n in facts if n in given]:
        fact = pack.facts[name]
        limit_name = fact.at_most
        limit = as_of if limit_name == "as_of" else facts.get(limit_name) if limit_name else None
        if limit is not None and facts[name] > limit:
            shown = "as_of" if limit_name == "as_of" else limit_name
            check.error(f"{name} ({_show(facts[name])}) is after {shown} ({_show(limit)})" if fact.type == "date" else
                        f"{name} ({_show(facts[name])}) is more than {shown} ({_show(limit)})", "facts", name)
    expect = _expectation(check, top, pack) if "expect" in top else None
    if found:
        raise InputError(found)
    stated = frozenset(name for name, value in given.items() if value is not None and name in facts)
    return Scenario(doc.path, title, pack.id, as_of, facts, stated, expect)


def _expectation(check: _Checker, top: dict, pack: Pack) -> Expectation | None:
    entry = check.mapping(("expect",), ("actions", "not_actions"), (), "expect")
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("actions", "not_actions"):
        raw = entry.get(key, [])
        if not isinstance(raw, list):
            check.error(f"{key} is a list of action ids", "expect", key)
            continue
        for index, action in enumerate(raw):
            if action not in pack.actions:
                check.error(f"unknown action {_show(action)}{did_you_mean(action, pack.actions)}", "expect", key, index)
        lists[key] = tuple(raw)
    both = set(lists.get("actions", ())) & set(lists.get("not_actions", ()))
    if both:
        check.error(f"{', '.join(sorted(both))} is both expected and not expected", "expect")
    return Expectation(lists.get("actions", ()), lists.get("not_actions", ()))


# ------------------------------------------------------------------------------------------- helpers

def value_problem(fact: Fact, value: Any) -> str | None:
    """Why `value` cannot be a value of `fact`, or None."""
    kind = _type_of(value)
    if fact.type == "enum":
        if value in fact.values:
            return None
        hint = " (YAML reads unquoted yes/no/on/off as true/false: quote the word)" if kind == "bool" else ""
        return f"expected one of {', '.join(fact.values)}; got {_show(value)}{did_you_mean(value, fact.values)}{hint}"
    wanted = {"bool": "bool", "int": "int", "money": "int", "date": "date"}[fact.type]
    if kind != wanted:
        names = {"bool": "true or false", "int": "a whole number", "date": "a date written YYYY-MM-DD"}
        return f"expected {names[wanted]}; got {_show(value)}{_quoted_hint(value, wanted)}"
    if kind == "int":
        if abs(value) > MAX_INT:
            return f"{value} is out of range (at most {MAX_INT})"
        if fact.min is not None and value < fact.min:
            return f"must be at least {fact.min}; got {value}"
    return None


def _quoted_hint(value: Any, wanted: str) -> str:
    """A hint when a value was quoted and so read as text: "true", "12", "2026-11-25"."""
    looks = {"bool": r"(?i:true|false)", "int": r"[-+]?\d+", "date": r"\d{4}-\d\d-\d\d"}[wanted]
    return " (written in quotes, so it is text: remove the quotes)" if isinstance(value, str) and re.fullmatch(looks, value) else ""


def _type_of(value: Any) -> str:
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
    return _kind(value)


def _comparable(kind: str) -> str:
    return "int" if kind == "money" else kind


def _is_id(value: Any, pattern: re.Pattern) -> bool:
    return isinstance(value, str) and bool(pattern.match(value))


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", type(None): "nothing"}.get(type(value), f"the value {_show(value)}")


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, int)):
        return str(value)
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f'"{value}"'
    return {dict: "a mapping", list: "a list"}.get(type(value), repr(value))
