"""Structure checks from the JSON Schemas in rules/schemas/, the same files editors use.

This is a small interpreter of the part of JSON Schema (2020-12) those files use: type, format: date,
enum, pattern, minLength, maxLength, minimum, maximum, properties, required, additionalProperties, propertyNames,
minProperties, maxProperties, items, minItems, uniqueItems, anyOf, not and local $ref. A full validator
would cost more at start-up than all of advise; tests/test_schemas.py checks that the reference
implementation (jsonschema) agrees with this one on every shipped and broken file. Messages come from
each schema's `errorMessage` (which editors show too) and are reported at the value's line and column.

Each mistake in a rule pack has a check code (advisor/check.py), written in the schema as `x-code` on the node
that describes the value (JSON Schema ignores keywords it does not know; editors too):

- a node's code is that of every mistake in its value, and it passes on through `$ref` and `anyOf` to the
  nodes they lead to, unless they name their own; the values inside (properties, items) start again from S001;
- a missing required key has the code written on its entry under `properties` (as written: a `$ref` there
  is not followed, so a missing text is S001 while a text without its `en` is S002); an unknown key is S001.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from .diagnostics import Diagnostic, Message, SchemaText, clipped, did_you_mean, kind_of, msg, show
from .load import KEY, Document, bundled_rules

STRUCTURE = "S001"  # the code of a mistake no schema node names another for
Problem = tuple[tuple, Message, str]  # where (the path of keys and indexes to the value), message, check code


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    with open(bundled_rules() / "schemas" / f"{name}.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


def check(doc: Document, name: str) -> list[Diagnostic]:
    """Every structural mistake in `doc` against schema `name` (pack, parameters, facts, rules, ...), with its code."""
    return [doc.error(message, *where, code=code) for where, message, code in _problems(doc, name)]


def located(doc: Document, name: str) -> list[tuple[tuple, Diagnostic]]:
    """`check`, each mistake with the path of keys and indexes to its value."""
    return [(where, doc.error(message, *where, code=code)) for where, message, code in _problems(doc, name)]


def problems(doc: Document, name: str) -> list[tuple[tuple, Message]]:
    """(where, message) for every structural mistake: `where` is the path of keys and indexes to the value."""
    return [(where, message) for where, message, _ in _problems(doc, name)]


def _problems(doc: Document, name: str) -> list[Problem]:
    root = schema(name)
    return _errors(doc.data, root, root, (), STRUCTURE)


def _errors(value: Any, node: dict, root: dict, where: tuple, code: str) -> list[Problem]:
    """The mistakes in `value` against `node`; `code`: the check code it inherits (see the module's docstring)."""
    if _accepts(node, root)(value):  # most values fit: say so without building the messages of failed branches
        return []
    code = node.get("x-code", code)
    if "$ref" in node and (found := _errors(value, _step(node, root), root, where, code)):
        return found
    message = SchemaText(node["errorMessage"]) if "errorMessage" in node else None
    if (refused := _refused(value, node, message)) is not None:
        return [(where, refused, code)]
    if "anyOf" in node and (branches := _failed_branches(value, node, root, where, code)):
        return _best(value, branches, node, root, where, message, code)
    if "not" in node and not _errors(value, node["not"], root, where, code):
        return [(where, _got(message or msg("s_not_allowed"), show(value)), code)]
    return _content_errors(value, node, root, where, message, code)


def _failed_branches(value: Any, node: dict, root: dict, where: tuple, code: str) -> list[list[Problem]]:
    """The mistakes against each branch of an anyOf when none fits, else []: the branches after one that fits
    are not tried (texts and conditions are anyOfs: checking the CrowdWorks pack takes 14 ms instead of 18)."""
    branches = []
    for branch in node["anyOf"]:
        errors = _errors(value, branch, root, where, code)
        if not errors:
            return []
        branches.append(errors)
    return branches


def _content_errors(value: Any, node: dict, root: dict, where: tuple, message: Message | None,
                    code: str) -> list[Problem]:
    """The mistakes in what the value holds: a string's pattern and length, a whole number's range, a list's
    length and items, a mapping's keys and values."""
    if isinstance(value, str):
        said = _text_refused(value, node, message)
        return [(where, said, code)] if said else []
    if isinstance(value, int) and not isinstance(value, bool):
        said = _number_refused(value, node, message)
        return [(where, said, code)] if said else []
    if isinstance(value, list):
        return _list_errors(value, node, root, where, message, code)
    if isinstance(value, dict):
        return _object_errors(value, node, root, where, message, code)
    return []


def _refused(value: Any, node: dict, message: Message | None) -> Message | None:
    """Why the value is not of the node's type, format or enum, or None."""
    kinds = node.get("type")
    if kinds is not None and not any(_is(value, kind, node) for kind in ([kinds] if isinstance(kinds, str) else kinds)):
        if "object" in kinds:
            what = message or (msg("s_must_be_mapping", title=SchemaText(node["title"])) if "title" in node
                               else msg("s_must_be_mapping_here"))
            return msg("s_not_mapping", text=what, kind=kind_of(value))
        return _got(message or msg("s_expected", kinds=_names(kinds)), show(value))
    if node.get("format") == "date" and not _is(value, "date", node):
        return _got(message or msg("s_date"), show(value))
    if "enum" in node and not _member(value, node["enum"]):
        return msg("s_one_of", values=", ".join(map(str, node["enum"])), got=show(value),
                   suggestion=did_you_mean(value, map(str, node["enum"])))
    return None


def _text_refused(value: str, node: dict, message: Message | None) -> Message | None:
    """Why a string is too long, does not match the node's pattern or is too short, or None. Length first: a name
    too long is told so, not that it breaks a pattern it may well follow."""
    if len(value) > node.get("maxLength", len(value)):
        return _got(msg("s_too_long", limit=node["maxLength"], length=len(value)), show(value))
    if "pattern" in node and not re.search(node["pattern"], value):
        return _got(message or msg("s_no_match", pattern=node["pattern"]), show(value))
    if len(value) < node.get("minLength", 0):
        return message or msg("s_empty")
    return None


def _number_refused(value: int, node: dict, message: Message | None) -> Message | None:
    """Why a whole number is out of the node's range, or None."""
    if value < node.get("minimum", value) or value > node.get("maximum", value):
        return _got(message or msg("s_out_of_range"), value)
    return None


def _list_errors(value: list, node: dict, root: dict, where: tuple, message: Message | None,
                 code: str) -> list[Problem]:
    """A list too short or with repeated items, else the mistakes in its items."""
    if len(value) < node.get("minItems", 0):
        return [(where, message or msg("s_empty"), code)]
    if node.get("uniqueItems") and len({repr(v) for v in value}) != len(value):
        return [(where, message or msg("s_distinct"), code)]
    if "items" not in node:
        return []
    return [problem for index, item in enumerate(value)
            for problem in _errors(item, node["items"], root, where + (index,), STRUCTURE)]


def _object_errors(value: dict, node: dict, root: dict, where: tuple, message: Message | None,
                   code: str) -> list[Problem]:
    """A mapping with too few or too many keys, else the mistakes in its keys and values, then its missing keys."""
    if not node.get("minProperties", 0) <= len(value) <= node.get("maxProperties", len(value)):
        return [(where, message or msg("s_key_count"), code)]
    found = [problem for key, item in value.items() for problem in _entry_errors(key, item, node, root, where)]
    properties = node.get("properties", {})
    title = node.get("title")
    for key in node.get("required", ()):
        if key not in value:
            found.append((where, msg("s_missing_key_in", key=key, title=SchemaText(title)) if title
                          else msg("s_missing_key", key=key), properties.get(key, {}).get("x-code", STRUCTURE)))
    return found


def _entry_errors(key: Any, item: Any, node: dict, root: dict, where: tuple) -> list[Problem]:
    """The mistakes in one key of a mapping and its value: a key not allowed, or a value that does not fit."""
    properties = node.get("properties", {})
    extra = node.get("additionalProperties", True)
    names = node.get("propertyNames")
    if names is not None and (problem := _errors(key, names, root, where + (key, KEY), STRUCTURE)):
        too_long = len(key) > names.get("maxLength", len(key))  # said as such, not as a name that breaks the rules
        said = (_got(SchemaText(names["errorMessage"]), show(key)) if "errorMessage" in names and not too_long
                else problem[0][1])
        return [(where + (key, KEY), said, problem[0][2])]
    if key in properties:
        return _errors(item, properties[key], root, where + (key,), STRUCTURE)
    if extra is False:
        allowed = list(properties)  # keys are text: load refuses any other (y_key_not_text)
        said = msg("s_unknown_key", key=clipped(key), suggestion=did_you_mean(key, allowed), allowed=", ".join(allowed))
        return [(where + (key, KEY), said, STRUCTURE)]
    if isinstance(extra, dict):
        return _errors(item, extra, root, where + (key,), STRUCTURE)
    return []


def _best(value: Any, branches: list[list[Problem]], node: dict, root: dict, where: tuple, message: Message | None,
          code: str) -> list[Problem]:
    """When no branch of an anyOf fits: the errors of the one branch meant for this kind of value, if there
    is exactly one, else the anyOf's own message (naming an unknown key, for a mapping)."""
    fitting = [errors for branch, errors in zip(node["anyOf"], branches) if _fits(value, branch, root)]
    if len(fitting) == 1:
        return fitting[0]
    text = message or msg("s_not_allowed_here")
    if isinstance(value, dict):
        mappings = sorted((_resolve(b, root) for b in node["anyOf"]), key=lambda b: -len(b.get("properties", {})))
        if "errorMessage" in mappings[0]:
            text = SchemaText(mappings[0]["errorMessage"])  # the branch that says most about mappings
        known = {key for branch in mappings for key in branch.get("properties", {})}
        unknown = [key for key in value if key not in known]
        if unknown:
            return [(where + (unknown[0], KEY), msg("s_text_unknown_key", text=text, key=clipped(str(unknown[0])),
                                                    suggestion=did_you_mean(unknown[0], known)), code)]
    return [(where, _got(text, show(value)), code)]


# ------------------------------------------------------------------------------- whether a value fits, fast

Accepts = Callable[[Any], bool]
_ACCEPTS: dict[int, tuple[dict, Accepts]] = {}  # id of a schema node -> (the node, its compiled test)


def _accepts(node: dict, root: dict) -> Accepts:
    """A function telling whether a value fits `node`: exactly when `_errors` finds no mistake in it, but without
    building any message. Each node is compiled once into closures that test only the keywords it has; checking
    a 10,000-rule pack this way takes a tenth of the time the message-building walk took (a condition is an anyOf
    whose failed branches each made their messages, suggestions included, before the branch that fits)."""
    found = _ACCEPTS.get(id(node))
    if found is None or found[0] is not node:
        found = _ACCEPTS[id(node)] = (node, _compiled(node, root))
    return found[1]


def _compiled(node: dict, root: dict) -> Accepts:
    tests: list[Accepts] = []
    if "$ref" in node:
        tests.append(_reference(_step(node, root), root))
    if (kinds := node.get("type")) is not None:
        tests.append(_type_test([kinds] if isinstance(kinds, str) else kinds, node))
    if node.get("format") == "date":
        tests.append(_is_date)
    if "enum" in node:
        allowed = node["enum"]
        tests.append(lambda value: _member(value, allowed))
    if "anyOf" in node:
        branches = [_accepts(branch, root) for branch in node["anyOf"]]
        tests.append(lambda value: any(branch(value) for branch in branches))
    if "not" in node:
        inner = _accepts(node["not"], root)
        tests.append(lambda value: not inner(value))
    tests += _content_tests(node, root)
    if not tests:
        return lambda value: True
    test = tests[-1]
    for before in reversed(tests[:-1]):
        test = _both(before, test)
    return test


def _reference(target: dict, root: dict) -> Accepts:
    """The test of the node a `$ref` points to, compiled when first used: schemas are recursive."""
    compiled: list[Accepts] = []

    def test(value: Any) -> bool:
        if not compiled:
            compiled.append(_accepts(target, root))
        return compiled[0](value)
    return test


def _both(first: Accepts, then: Accepts) -> Accepts:
    return lambda value: first(value) and then(value)


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _type_test(kinds: list[str], node: dict) -> Accepts:
    """`_is(value, kind, node)` for any of `kinds`, with one isinstance for the usual kinds."""
    dated_string = "string" in kinds and node.get("format") == "date"  # a date, not a text (_is)
    dated = "date" in kinds or dated_string
    plain = tuple(_TYPES[kind] for kind in kinds if kind != "date" and not (kind == "string" and dated_string))
    booleans = "boolean" in kinds  # YAML's true is not a number: a bool passes only as a boolean

    def test(value: Any) -> bool:
        if value.__class__ is bool:
            return booleans
        return isinstance(value, plain) or (dated and _is_date(value))
    return test


def _content_tests(node: dict, root: dict) -> list[Accepts]:
    """What `_content_errors` checks, each for its kind of value (other kinds pass)."""
    tests = []
    if (text := _text_test(node)) is not None:
        tests.append(lambda value: not isinstance(value, str) or text(value))
    if (number := _number_test(node)) is not None:
        tests.append(lambda value: not isinstance(value, int) or value.__class__ is bool or number(value))
    if (array := _array_test(node, root)) is not None:
        tests.append(lambda value: not isinstance(value, list) or array(value))
    if (mapping := _mapping_test(node, root)) is not None:
        tests.append(lambda value: not isinstance(value, dict) or mapping(value))
    return tests


def _text_test(node: dict) -> Accepts | None:
    pattern = re.compile(node["pattern"]) if "pattern" in node else None
    shortest, longest = node.get("minLength", 0), node.get("maxLength")
    if pattern is None and not shortest and longest is None:
        return None
    return lambda value: ((pattern is None or pattern.search(value) is not None) and len(value) >= shortest
                          and (longest is None or len(value) <= longest))


def _number_test(node: dict) -> Accepts | None:
    if "minimum" not in node and "maximum" not in node:
        return None
    low, high = node.get("minimum"), node.get("maximum")
    return lambda value: (low is None or value >= low) and (high is None or value <= high)


def _array_test(node: dict, root: dict) -> Accepts | None:
    shortest, unique, items = node.get("minItems", 0), node.get("uniqueItems"), node.get("items")
    if not shortest and not unique and items is None:
        return None
    item = _accepts(items, root) if items is not None else None
    return lambda value: (len(value) >= shortest and (not unique or len({repr(v) for v in value}) == len(value))
                          and (item is None or all(map(item, value))))


def _mapping_test(node: dict, root: dict) -> Accepts | None:
    if not {"minProperties", "maxProperties", "properties", "additionalProperties", "propertyNames",
            "required"} & set(node):
        return None
    fewest, most = node.get("minProperties", 0), node.get("maxProperties")
    properties = {key: _accepts(sub, root) for key, sub in node.get("properties", {}).items()}
    extra = node.get("additionalProperties", True)
    other = _accepts(extra, root) if isinstance(extra, dict) else None
    names = _accepts(node["propertyNames"], root) if "propertyNames" in node else None
    required = tuple(node.get("required", ()))

    def mapping(value: dict) -> bool:
        if len(value) < fewest or (most is not None and len(value) > most):
            return False
        for key, item in value.items():
            if names is not None and not names(key):
                return False
            test = properties.get(key) if key.__class__ is str else _lookup(properties, key)
            if test is not None:
                if not test(item):
                    return False
            elif extra is False or (other is not None and not other(item)):
                return False
        return all(key in value for key in required)
    return mapping


def _lookup(tests: dict[str, Accepts], key: Any) -> Accepts | None:
    try:
        return tests.get(key)
    except TypeError:  # an unhashable key is no property
        return None


def _got(text: Message, got: Message | str | int) -> Message:
    """What a value should be, and what it is: "must be a date written YYYY-MM-DD; got \"soon\""."""
    return msg("s_got", text=text, got=got)


def _fits(value: Any, branch: dict, root: dict) -> bool:
    """Whether a branch is meant for values of this kind (its type matches), whatever else it requires."""
    branch = _resolve(branch, root)
    if "anyOf" in branch:
        return sum(_fits(value, b, root) for b in branch["anyOf"]) == 1
    kinds = branch.get("type")
    if kinds is None:
        return False
    if isinstance(value, dict) and "object" in kinds:
        return bool(set(value) & set(branch.get("properties", {}))) or not branch.get("properties")
    return any(_is(value, kind, branch) for kind in ([kinds] if isinstance(kinds, str) else kinds))


def _step(node: dict, root: dict) -> dict:
    """The node a `$ref` points to."""
    target = root
    for step in node["$ref"].removeprefix("#/").split("/"):
        target = target[step]
    return target


def _resolve(node: dict, root: dict) -> dict:
    """The node at the end of a chain of `$ref`s."""
    while "$ref" in node:
        node = _step(node, root)
    return node


_TYPES: dict[str, type | tuple[type, ...]] = {"object": dict, "array": list, "string": str, "boolean": bool,
                                             "null": type(None), "integer": int, "number": (int, float)}


def _is(value: Any, kind: str, node: dict) -> bool:
    if kind == "date" or kind == "string" and node.get("format") == "date":
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if kind in ("integer", "number") and isinstance(value, bool):  # YAML's true is not a number
        return False
    return isinstance(value, _TYPES[kind])


def _member(value: Any, allowed: list) -> bool:
    return any(value == item and type(value) is type(item) for item in allowed)


_KINDS = {"object": "s_type_object", "array": "s_type_array", "string": "s_type_string", "integer": "s_type_integer",
          "number": "s_type_number", "boolean": "s_type_boolean", "null": "s_type_null"}


def _names(kinds: str | list[str]) -> Message:
    """The kinds of value a schema allows, in words: "a mapping", "text or nothing"."""
    names = [msg(_KINDS[kind]) for kind in ([kinds] if isinstance(kinds, str) else kinds)]
    words = names[0]
    for name in names[1:]:
        words = msg("s_or", left=words, right=name)
    return words
