"""Structure checks from the JSON Schemas in rules/schemas/, the same files editors use.

This is a small interpreter of the part of JSON Schema (2020-12) those files use: type, format: date,
enum, pattern, minLength, minimum, maximum, properties, required, additionalProperties, propertyNames,
minProperties, maxProperties, items, minItems, uniqueItems, anyOf, not and local $ref. A full validator
would cost more at start-up than all of advise; tests/test_schemas.py checks that the reference
implementation (jsonschema) agrees with this one on every shipped and broken file. Messages come from
each schema's `errorMessage` (which editors show too) and are reported at the value's line and column.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from typing import Any

from .diagnostics import Diagnostic, did_you_mean, kind_of, show
from .load import KEY, Document, bundled_rules


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    with open(bundled_rules() / "schemas" / f"{name}.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


def check(doc: Document, name: str) -> list[Diagnostic]:
    """Every structural mistake in `doc` against schema `name` (pack, parameters, facts, rules, scenario)."""
    return [doc.error(message, *where, code=_code(message)) for where, message in problems(doc, name)]


def _code(message: str) -> str:
    """The check code of a structural mistake (advisor/check.py)."""
    if message.startswith(('missing key "source"', "source is")):
        return "S003"
    if "a text (ja and en)" in message or message.startswith(("the ja text", "the en text")):
        return "S002"
    return "S001"


def problems(doc: Document, name: str) -> list[tuple[tuple, str]]:
    """(where, message) for every structural mistake: `where` is the path of keys and indexes to the value."""
    root = schema(name)
    return _errors(doc.data, root, root, ())


def _errors(value: Any, node: dict, root: dict, where: tuple) -> list[tuple[tuple, str]]:
    if "$ref" in node:
        target = root
        for step in node["$ref"].removeprefix("#/").split("/"):
            target = target[step]
        found = _errors(value, target, root, where)
        if found:
            return found
    message = node.get("errorMessage")
    kinds = node.get("type")
    if kinds is not None and not any(_is(value, kind, node) for kind in ([kinds] if isinstance(kinds, str) else kinds)):
        if "object" in kinds:
            what = message or f"{node.get('title', 'this')} must be a mapping (key: value lines)"
            return [(where, f"{what}, not {kind_of(value)}")]
        return [(where, f"{message or 'expected ' + _names(kinds)}; got {show(value)}")]
    if node.get("format") == "date" and not _is(value, "date", node):
        return [(where, f"{message or 'must be a date written YYYY-MM-DD'}; got {show(value)}")]
    if "enum" in node and not _member(value, node["enum"]):
        return [(where, f"expected one of {', '.join(map(str, node['enum']))}; got {show(value)}"
                        f"{did_you_mean(value, map(str, node['enum']))}")]
    if "anyOf" in node:
        branches = [_errors(value, branch, root, where) for branch in node["anyOf"]]
        if all(branches):
            return _best(value, branches, node, root, where, message)
    if "not" in node and not _errors(value, node["not"], root, where):
        return [(where, f"{message or 'not allowed'}; got {show(value)}")]
    if isinstance(value, str) and not isinstance(value, bool):
        if "pattern" in node and not re.search(node["pattern"], value):
            return [(where, f"{message or 'does not match ' + node['pattern']}; got {show(value)}")]
        if len(value) < node.get("minLength", 0):
            return [(where, message or "must not be empty")]
    if isinstance(value, int) and not isinstance(value, bool):
        if value < node.get("minimum", value) or value > node.get("maximum", value):
            return [(where, f"{message or 'out of range'}; got {value}")]
    if isinstance(value, list):
        if len(value) < node.get("minItems", 0):
            return [(where, message or "must not be empty")]
        if node.get("uniqueItems") and len({repr(v) for v in value}) != len(value):
            return [(where, f"{message or 'items must be distinct'}")]
        found = []
        for index, item in enumerate(value):
            if "items" in node:
                found += _errors(item, node["items"], root, where + (index,))
        return found
    if isinstance(value, dict):
        return _object_errors(value, node, root, where, message)
    return []


def _object_errors(value: dict, node: dict, root: dict, where: tuple, message: str | None) -> list[tuple[tuple, str]]:
    if not node.get("minProperties", 0) <= len(value) <= node.get("maxProperties", len(value)):
        return [(where, message or "wrong number of keys")]
    found: list[tuple[tuple, str]] = []
    properties = node.get("properties", {})
    extra = node.get("additionalProperties", True)
    names = node.get("propertyNames")
    for key, item in value.items():
        if names is not None and (problem := _errors(key, names, root, where + (key, KEY))):
            message = f"{names['errorMessage']}; got {show(key)}" if "errorMessage" in names else problem[0][1]
            found.append((where + (key, KEY), message))
        elif key in properties:
            found += _errors(item, properties[key], root, where + (key,))
        elif extra is False:
            allowed = list(properties)
            shown = key if isinstance(key, str) else {True: "true", False: "false", None: "null"}.get(key, key)
            hint = " (YAML reads an unquoted on, off, yes or no as true or false)" if isinstance(key, bool) else ""
            found.append((where + (key, KEY), f'unknown key "{shown}"{hint}{did_you_mean(shown, allowed)}; '
                                              f'allowed: {", ".join(allowed)}'))
        elif isinstance(extra, dict):
            found += _errors(item, extra, root, where + (key,))
    title = node.get("title")
    for key in node.get("required", ()):
        if key not in value:
            found.append((where, f'missing key "{key}"' + (f" in {title}" if title else "")))
    return found


def _best(value: Any, branches: list, node: dict, root: dict, where: tuple, message: str | None):
    """When no branch of an anyOf fits: the errors of the one branch meant for this kind of value, if there
    is exactly one, else the anyOf's own message (naming an unknown key, for a mapping)."""
    fitting = [errors for branch, errors in zip(node["anyOf"], branches) if _fits(value, branch, root)]
    if len(fitting) == 1:
        return fitting[0]
    text = message or "not allowed here"
    if isinstance(value, dict):
        mappings = sorted((_resolve(b, root) for b in node["anyOf"]), key=lambda b: -len(b.get("properties", {})))
        text = mappings[0].get("errorMessage", text)  # the branch that says most about mappings
        known = {key for branch in mappings for key in branch.get("properties", {})}
        unknown = [key for key in value if key not in known]
        if unknown:
            return [(where + (unknown[0], KEY), f'{text}; unknown key "{unknown[0]}"{did_you_mean(unknown[0], known)}')]
    return [(where, f"{text}; got {show(value)}")]


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


def _resolve(node: dict, root: dict) -> dict:
    while "$ref" in node:
        target = root
        for step in node["$ref"].removeprefix("#/").split("/"):
            target = target[step]
        node = target
    return node


_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None), "integer": int,
          "number": (int, float)}


def _is(value: Any, kind: str, node: dict) -> bool:
    if kind == "date" or kind == "string" and node.get("format") == "date":
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if kind in ("integer", "number") and isinstance(value, bool):  # YAML's true is not a number
        return False
    return isinstance(value, _TYPES[kind])


def _member(value: Any, allowed: list) -> bool:
    return any(value == item and type(value) is type(item) for item in allowed)


def _names(kinds: str | list[str]) -> str:
    words = {"object": "a mapping", "array": "a list", "string": "text", "integer": "a whole number",
             "number": "a number", "boolean": "true or false", "null": "nothing"}
    return " or ".join(words[k] for k in ([kinds] if isinstance(kinds, str) else kinds))
