"""Stage 2, the base of every validator: Checker, which collects the mistakes found in one document, and the checks
on values that rule packs (validate.py, validate_rules.py) and scenarios (validate_scenario.py) share: a value
against its fact's declared type and limits, the type of a loaded YAML value, and how values are shown in
messages.

Type checks here are also what keeps durable_rules honest: it treats `true == 1` and `"5" == 5` as
equal and compares mixed types as text, so a comparison only reaches it when the fact's declared
type and the value's type agree.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .diagnostics import Diagnostic, Message, did_you_mean, msg, show
from .load import Document
from .model import MAX_INT, Fact, Text

# YAML folds a line break into a space, which Japanese does not put between words.
_JOINED_LINES = re.compile(r"(?:(?<=[^\x00-\x7f])|(?<=\})) (?=[^\x00-\x7f]|\{)")


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


def comparable(kind: str) -> str:
    """Types that compare with each other get one name: money is an int."""
    return "int" if kind == "money" else kind
