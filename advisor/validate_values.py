"""Stage 2, the base of every validator: Checker, which collects the mistakes found in one document, and the checks
on values that rule packs (validate.py, validate_rules.py) and scenarios (validate_scenario.py) share: a value
against its fact's declared type and limits, the type of a loaded YAML value, and how values are shown in
messages.

A scenario's values are what users type, so read_value (read_text) reads a value's text the same whether YAML saw
it quoted, plain or as a block, in the forms a Japanese IME or habit gives a number, a date or yes/no when their
meaning is certain (full-width digits, 50,000, ¥50,000, 50000円, 5万円, 2026/11/10, 2026年11月10日, 2026ー11ー10,
はい), and names the character it cannot read otherwise. Rule packs are held to the plain
YAML forms (value_problem): their values are read by tools and reviewed as written, so one way to write each
keeps them comparable.

Type checks here are also what keeps durable_rules honest: it treats `true == 1` and `"5" == 5` as
equal and compares mixed types as text, so a comparison only reaches it when the fact's declared
type and the value's type agree.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal  # 1.1万 is 11000 exactly; as a float it is 11000.000000000002
from typing import Any

from .diagnostics import NAME_ONLY, Diagnostic, Labelled, Message, clipped, did_you_mean, msg, show
from .load import Document, FoldedText, impossible_date, named
from .model import LANGS, MAX_INT, Fact, Parameter, Text, Value, folded
from .units import amount_shown, at_time, has_zone, read_amount, split_time

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


def value_problem(fact: Fact, value: Any, typed: bool = False) -> Message | None:
    """Why `value` cannot be a value of `fact`, or None. `typed`: a user's value (a scenario's), where an enum
    value may also be written as its label, in any case and width (model.Fact.read)."""
    if isinstance(value, str) and (hidden := _hidden(value)):  # a rule's `client_response: rejec\u200cted`
        return hidden
    kind = type_of(value)
    if fact.type == "enum":
        if value in fact.values or (typed and fact.read(value) is not None):
            return None
        return _enum_problem(fact, value, kind, typed)
    wanted = _WANTED[fact.type]
    if kind != wanted:
        key = {"bool": "v_expected_bool", "int": "v_expected_int", "date": "v_expected_date",
               "datetime": "v_expected_datetime"}[wanted]
        return msg(key, value=show(value), hint=_quoted_hint(value, wanted))
    if kind == "int":
        if abs(value) > MAX_INT:
            return out_of_range(value)
        shown = amount_shown if fact.type == "money" else (lambda number, _: number)  # $1.00 in a USD pack
        if fact.min is not None and value < fact.min:
            return msg("v_at_least", min=shown(fact.min, fact.currency), value=shown(value, fact.currency))
        if fact.max is not None and value > fact.max:
            return msg("v_at_most_value", max=shown(fact.max, fact.currency), value=shown(value, fact.currency))
    return None


def out_of_range(value: int | str, negative: bool | None = None) -> Message:
    """Why a whole number beyond ±MAX_INT (an int, or the text it was typed as, `negative` or not) is refused,
    naming the bound it is past: at most MAX_INT, or at least -MAX_INT; the number is quoted cut (show)."""
    below = value < 0 if isinstance(value, int) else negative
    if below:
        return msg("v_out_of_range_below", value=show(value), min=-MAX_INT)
    return msg("v_out_of_range", value=show(value), max=MAX_INT)


_WANTED = {"bool": "bool", "int": "int", "money": "int", "date": "date", "datetime": "datetime"}  # a fact's type -> its values' type


def _enum_problem(fact: Fact, value: Any, kind: str, typed: bool) -> Message:
    """A word that is no value of the enum: the words accepted, for a user's value each label with its value in
    the language shown, and the closest of them."""
    labels = dict(fact.labels)
    if not typed or not labels:
        return msg("v_expected_one_of", values=", ".join(fact.values), value=show(value),
                   hint=did_you_mean(value, fact.values), note=msg("v_yaml_bool_hint") if kind == "bool" else "")
    listed = _listed([Labelled("enum_labelled", (("label", labels[name]), ("value", name))) for name in fact.values])
    words = [*fact.values, *(text.get(lang) for text in labels.values() for lang in LANGS)]
    return msg("v_expected_one_of", values=listed, value=show(value), hint=did_you_mean(value, words),
               note=msg("v_yaml_bool_hint") if kind == "bool" else "")


def _listed(items: list[Message]) -> Message:
    """Items as "a, b, c" (「a、b、c」)."""
    first, *rest = items
    return msg("v_enum_list", first=first, rest=_listed(rest)) if rest else first


# Full-width ASCII (U+FF01..FF5E) as ASCII, U+3000 and U+00A0 as a space, ￥ as ¥ and the minus sign U+2212 as "-":
# one character for one, so a position in the folded text is the position in what was typed.
_WIDTH = str.maketrans({**{chr(0xFF01 + i): chr(0x21 + i) for i in range(94)},
                        "\u3000": " ", "\u00a0": " ", "\uffe5": "¥", "\u2212": "-"})
# Between the digits of a date, a dash of any look (hyphens, en and em dashes, the katakana long vowel mark ー an IME
# gives for "-") can only be the "-" of 2026-11-10; in a number it would be a sign, which is not certain.
_DATE_WIDTH = {**_WIDTH, **{ord(char): "-" for char in "\u2010\u2011\u2012\u2013\u2014\u2015\u30fc\uff70\ufe63"}}
# 50000, 50,000 (a comma only between groups of three digits), 50_000 (an underscore after a digit, as YAML reads it)
_GROUPED = r"\d{1,3}(?:,\d{3})+|\d[\d_]*"
_NUMBER = re.compile(rf"(?P<sign>[-+]?)(?:(?P<man>(?:{_GROUPED})(?:\.\d+)?) *万 *(?P<rest>\d{{1,3}}(?:,\d{{3}})?|\d{{1,4}})?"
                     rf"|(?P<n>{_GROUPED}))")
_MONEY = re.compile(r"(?:[¥\\] *)?(?P<number>[^¥\\円]*?)(?: *円)?")  # ¥ or \ (the yen key), 円
_DATES = (re.compile(r"(?P<y>\d{4}) *(?P<sep>[-/.]) *(?P<m>\d{1,2}) *(?P=sep) *(?P<d>\d{1,2})"),
          re.compile(r"(?P<y>\d{4}) *年 *(?P<m>\d{1,2}) *月 *(?P<d>\d{1,2}) *日"))
_KANJI_NUMERALS = "〇一二三四五六七八九十百千万億兆"
_DIGITS = 20  # more digits than any amount has (MAX_INT has 13): refused before any arithmetic on them
# Words for true and false, compared folded (model.folded: any case and width): YAML's own (true, yes, on ...,
# which it reads so unquoted) and those advise ask takes (interview.YES_WORDS), in either language.
# はい and いいえ also in katakana (ハイ, イイエ), which an IME offers as readily.
BOOL_WORDS = {**dict.fromkeys(("true", "yes", "y", "on", "はい", "ハイ"), True),
              **dict.fromkeys(("false", "no", "n", "off", "いいえ", "イイエ"), False)}


def read_value(fact: Fact, value: Any, typed: str | None = None) -> tuple[Any, Message | None]:
    """A user's value for `fact` (a scenario's) and why it cannot be one, or None: text is read by read_text for a
    bool, int, money or date fact, whether YAML saw it quoted, plain or as a block (a quote never changes what a
    value means); any other value is checked as it is (value_problem, enum labels included). `typed`: the text
    of a plain scalar as typed (load.Document.plain_text), read in place of what YAML made of it when that would
    show a value never typed (50000. as 50000.0, 2026-11-10T00:00:00 as 2026-11-10 00:00:00) or when it names an
    enum value (on and true, which YAML reads as true)."""
    if typed is not None and not isinstance(value, str) and _read_typed(fact, value, typed):
        value = typed
    value = _as_text(fact, value, typed)
    if isinstance(value, str) and (hidden := _hidden(value)):
        return value, hidden
    if isinstance(value, str) and fact.type in _WANTED:
        read, why = read_text(fact.type, value, fact.currency)
        if why is not None:
            return value, _in_range(fact, why)
        value = read
    return value, value_problem(fact, value, typed=True)


def _as_text(fact: Fact, value: Any, typed: str | None) -> Any:
    """`value` as text to read, where YAML's reading of it is no value of `fact`: an amount in dollars (250.50, as
    typed, never the float YAML made of it) and a datetime (2026-11-30 14:00:00, or a date without its time)."""
    dollars = fact.type == "money" and fact.currency != "JPY" and type_of(value) in ("int", "float")
    if dollars or (fact.type == "datetime" and isinstance(value, dt.date)):
        return typed if typed is not None else str(value)
    return value


def _hidden(text: str) -> Message | None:
    """Why `text`, a value that is no text (a number, a date, yes/no, a word of a list), may not hold the joiner
    or variation selector it holds (diagnostics.NAME_ONLY: invisible, kept only in texts), or None."""
    char = next((char for char in text if char in NAME_ONLY), None)
    if char is None:
        return None
    return msg("y_invisible_in_name", code=f"{ord(char):04X}", name=unicodedata.name(char))


def _in_range(fact: Fact, why: Message) -> Message:
    """`why` a text is no whole number, its examples (12, 50000) replaced by the fact's range where 50000 is
    past it: progress_percent (0 to 100) is not told to write 50000."""
    if why.key != "t_bad_number" or fact.max is None or fact.max >= 50000:
        return why
    low = fact.min if fact.min is not None else 0
    values = {**dict(why.values), "forms": msg("t_number_forms_range", min=low, max=fact.max,
                                                example=(low + fact.max) // 2)}
    return msg(why.key, **values)


def _read_typed(fact: Fact, value: Any, typed: str) -> bool:
    """Whether a plain scalar's text `typed` is read rather than the `value` YAML made of it (see read_value)."""
    if fact.type == "enum":
        return fact.read(typed) is not None
    if isinstance(value, float):  # 1.5 is shown as typed; 50000. and 1_000.5 are not
        return str(value) != typed and any(char.isdigit() for char in typed)
    return isinstance(value, dt.datetime)


def read_text(kind: str, text: str, currency: str = "JPY") -> tuple[Any, Message | None]:
    """The value a user's text gives a `kind` (bool, int, money, date, datetime) when its meaning is certain (see
    docs/scenario.md: full-width digits, 50,000, ¥50,000, 50000円, 5万円 for money in yen, $1,250.50 in dollars
    (`currency` USD: units.read_amount, in cents), 2026/11/10, 2026年11月10日, 2026-11-30 14:00, yes/no and
    はい/いいえ for a bool), and why it cannot be read as one, naming the character out of place. Text
    without digits (or, for a bool, no such word) comes back as it is, for the caller's type check to refuse."""
    text = type(text)(text.rstrip("\n"))  # a block scalar's last line break (fee: |): not part of what was typed
    if hidden := _hidden(text):
        return text, hidden
    if kind == "bool":
        word = folded(text)
        return (BOOL_WORDS[word], None) if word in BOOL_WORDS else (text, None)
    if kind == "money" and currency != "JPY":  # "$" alone, or a word, is no amount of dollars either
        return read_amount(text, currency)
    if not any(char.isdigit() for char in text.translate(_WIDTH)):
        return text, None
    if kind == "date":
        return read_date(text, currency)
    if kind == "datetime":
        return read_datetime(text, currency)
    return _read_number(text, text.translate(_WIDTH), kind == "money")


def read_datetime(value: str, currency: str = "JPY") -> tuple[dt.datetime | None, Message | None]:
    """A date and time of day typed as text (2026-11-30 14:00, 2026-11-30T14:00, the date in any form read_date
    reads, then H:MM on a 24-hour clock, H:MM AM/PM or 23時30分 / 午後11時30分: units.split_time) and why it is
    none, always as a date and time: a date alone is told to add the time, a time zone to leave it out (the page's
    local time is wanted), any other time to be written as 24-hour HH:MM. `currency`: the pack's, for the date
    forms an English message suggests."""
    day_text, clock = split_time(value)
    if clock is None and has_zone(value):
        return None, msg("t_bad_datetime", value=show(value), why=msg("t_why_time_zone"))
    day, why = read_date(day_text, currency)
    if day is None:
        assert why is not None  # read_date gives a reason for every text it cannot read
        if why.key != "t_bad_date":  # a date no calendar has (2026-02-30 10:00): said as for a date
            return None, why
        inner = dict(why.values)["why"]
        if clock is None and (inner.key == "t_why_time" or _dated(value)):
            inner = msg("t_why_time_form")  # the date reads, what follows it is no time of day it reads
        return None, msg("t_bad_datetime", value=show(value), why=inner)
    if clock is None:
        return None, msg("t_bad_datetime", value=show(value), why=msg("t_why_no_time"))
    moment = at_time(day, clock)
    if moment is None:
        return None, msg("t_bad_datetime", value=show(value), why=msg("t_why_no_such_time"))
    return moment, None


def _dated(value: str) -> bool:
    """Whether `value` starts with a date read_date reads, something else after it (11:30 XYZ, 午後)."""
    folded = value.translate(_DATE_WIDTH).strip()
    return any(pattern.match(folded) and not pattern.fullmatch(folded) for pattern in _DATES)


def outside_limits(parameter: Parameter, value: Value) -> Message | None:
    """Why a whole-number `value` is outside the limits the pack declares for `parameter` (min:, max:), or None; an
    amount (unit: money) is named in the pack's currency ($1.00)."""
    def shown(number: Any) -> Message | str:
        return amount_shown(number, parameter.currency) if parameter.type == "money" else show(number)
    if parameter.min is not None and value < parameter.min:  # type: ignore[operator]  # an int: checked before
        return msg("v_at_least", min=shown(parameter.min), value=shown(value))
    if parameter.max is not None and value > parameter.max:  # type: ignore[operator]
        return msg("v_at_most_value", max=shown(parameter.max), value=shown(value))
    return None


def read_amount_for(fact: Fact, value: str) -> tuple[int | None, Message | None]:
    """An amount typed for a money `fact`, in its pack's currency (advise ask): read_number for yen, else
    units.read_amount."""
    return read_number(value, True) if fact.currency == "JPY" else read_amount(value, fact.currency)


def read_date(value: str, currency: str = "JPY") -> tuple[dt.date | None, Message | None]:
    """A date typed as text (2026/11/10, 2026年11月10日, full-width digits and dashes: see read_text) and why it is
    none; the forms suggested in English leave out 2026年11月10日 for a pack in dollars (`currency` not JPY)."""
    return _read_date(value, value.translate(_DATE_WIDTH), "t_date_forms" if currency == "JPY" else "t_date_forms_usd")


def read_number(value: str, money: bool) -> tuple[int | None, Message | None]:
    """A whole number typed as text (50,000, full-width digits; for money also ¥50,000, 50000円, 5万円: see
    read_text) and why it is none."""
    folded = value.translate(_WIDTH)
    if not any(char.isdigit() for char in folded):  # a word: no character of it is worth naming
        return None, msg("v_expected_int", value=show(value), hint="")
    return _read_number(value, folded, money)


def _read_number(typed: str, folded: str, money: bool) -> tuple[int | None, Message | None]:
    """A whole number from its folded text (see read_text), or why it is none."""
    text = folded.strip()
    if money and (sign := _MONEY.fullmatch(text)):
        text = sign["number"]
    found = _NUMBER.fullmatch(text)
    if found and sum(char.isdigit() for char in text) > _DIGITS:
        return None, out_of_range(typed, found["sign"] == "-")
    if found and found["n"]:
        return int(found["sign"] + found["n"].replace(",", "").replace("_", "")), None
    if found:
        if ambiguous := _man_ambiguous(typed, found):
            return None, ambiguous
        if (whole := _with_man(found)) is not None:
            return whole, None
    return None, msg("t_bad_number", value=show(typed), why=_dollar_in_yen(typed, folded, money) or _number_why(
        typed, folded, money),
                     forms=msg("t_money_forms" if money else "t_number_forms"))


def _with_man(found: re.Match) -> int | None:
    """The whole number a _NUMBER match with 万 gives (4万6000, 1.5万), or None when it has a fraction left."""
    if found["rest"] and "." in found["man"]:
        return None
    whole = Decimal(found["man"].replace(",", "").replace("_", "")) * 10_000 + int((found["rest"] or "0").replace(",", ""))
    return int(found["sign"] + str(int(whole))) if whole == int(whole) else None


def _man_ambiguous(typed: str, found: re.Match) -> Message | None:
    """1万5: in speech short for 1万5000 (15000), as written 10005; both readings, each with how to write it. None
    when the digits after 万 are four (1万0500), grouped (1万5,000) or zeros (5万0 is 50000 either way), or there
    are none."""
    sign, man, rest = found["sign"], found["man"], found["rest"]
    if not rest or "," in rest or len(rest) >= 4 or "." in man or not rest.strip("0"):
        return None
    base = int(man.replace(",", "").replace("_", "")) * 10_000
    return msg("t_man_ambiguous", value=show(typed), rest=rest, man=sign + man, padded=rest.ljust(4, "0"),
               zeroed=rest.zfill(4), long=int(sign + str(base + int(rest.ljust(4, "0")))),
               short=int(sign + str(base + int(rest))))


def _dollar_in_yen(typed: str, folded: str, money: bool) -> Message | None:
    """Why an amount in yen may not hold a $ or ドル ($500, 500ドル in a pack that counts yen; currency: USD counts
    dollars), or None."""
    if money and "$" in folded:
        return msg("t_why_dollar_in_yen", char=named(typed[folded.index("$")]))
    if money and "ドル" in folded:
        return msg("t_why_dollar_in_yen", char=show("ドル"))
    return None


def _number_why(typed: str, folded: str, money: bool) -> Message:
    """Why a text with digits is not a whole number, naming the first character that is out of place."""
    for index, char in enumerate(folded):
        if char == "\n":
            return msg("t_why_lines")
        if char in "、。":
            return msg("t_why_ideographic", char=named(typed[index]))
        if char in _KANJI_NUMERALS and char != "万":
            return msg("t_why_kanji", char=named(typed[index]))
        if char in "¥\\円" and not money:
            return msg("t_why_currency", char=named(typed[index]))
        if not (char.isascii() and (char.isdigit() or char in ",._+- ")) and char not in "¥\\円万":
            return msg("t_why_char", char=named(typed[index]))
    if misplaced := _misplaced(typed, folded):
        return misplaced
    if "," in folded:
        return msg("t_why_grouping")
    return msg("t_why_fraction")  # every other mark is in its place: what is left is a fraction (1.5, 1.5万3000)


def _misplaced(typed: str, folded: str) -> Message | None:
    """The first character of a number's text that is out of place (each is one a number may have): a mark
    written twice, ¥ or a sign after the digits, 円 before them, 万 without digits before it or with more than four
    after it, a space between digits, a decimal point without digits after it, _ not after a digit."""
    for index, char in enumerate(folded):
        before, after = folded[:index].strip(), folded[index + 1:].strip()
        if char in "¥\\円万." and char in folded[:index]:
            return msg("t_why_twice", char=named(typed[index]))
        if key := _out_of_place(char, before, after):
            if key == "t_why_space" and isinstance(typed, FoldedText):
                return msg("t_why_folded")
            return msg(key) if key == "t_why_after_man" else msg(key, char=named(typed[index]))
        if char == "_" and not re.search(r"\d_*$", folded[:index]):
            return msg("t_why_char", char=named(typed[index]))
    if point := re.search(r"\.(?=\D*$)", folded):  # 50000. and 5万., which YAML would make 50000.0
        return msg("t_why_point_last", char=named(typed[point.start()]))
    return None


def _out_of_place(char: str, before: str, after: str) -> str | None:
    """The catalog key saying why `char`, between the texts `before` and `after` it (stripped), is out of place in a
    number, or None."""
    if (char in "¥\\" and before not in ("", "-", "+")) or (char in "+-" and before not in ("", "¥", "\\")):
        return "t_why_before_digits"
    if char == "円" and after:
        return "t_why_after_digits"
    if char == "万" and not before[-1:].isdigit():
        return "t_why_man_place"
    if char == "万" and sum(c.isdigit() for c in after) > 4:
        return "t_why_after_man"
    if char == " " and before[-1:].isdigit() and after[:1].isdigit():
        return "t_why_space"
    return None


def _read_date(typed: str, folded: str, forms: str = "t_date_forms") -> tuple[dt.date | None, Message | None]:
    """A date from its folded text (see read_text), or why it is none; `forms`: the catalog key of the forms."""
    text = folded.strip()
    found = next((match for pattern in _DATES if (match := pattern.fullmatch(text))), None)
    if found is None:
        return None, msg("t_bad_date", value=show(typed), why=_date_why(typed, folded), forms=msg(forms))
    year, month, day = int(found["y"]), int(found["m"]), int(found["d"])
    try:
        return dt.date(year, month, day), None
    except ValueError:
        reason = impossible_date(f"{year:04d}-{month:02d}-{day:02d}")
        return None, msg("t_no_such_date", value=show(typed), reason=reason or msg("t_why_no_such_day"))


def _date_why(typed: str, folded: str) -> Message:
    """Why a text with digits is not a date, naming the first character that is out of place."""
    if not re.match(r" *\d{4}", folded):
        return msg("t_why_year_first")
    year = re.match(r" *0*(\d{5,}) *[-/.年]", folded)
    if year:  # 10000-01-01: a year of five digits, past the last date Python's calendar holds
        return msg("t_why_year_past", year=clipped(year[1]))
    if re.search(r"\d{1,2}:\d{2}", folded):  # 2026-11-10 10:00: a time of day, which no fact holds
        return msg("t_why_time")
    for index, char in enumerate(folded):
        if not (char.isascii() and (char.isdigit() or char in "-/. ")) and char not in "年月日":
            return msg("t_why_char", char=named(typed[index]))
    marks = re.findall(r"(?<=\d) *([-/.]) *(?=\d)", folded)
    if len(set(marks)) > 1:  # 2026-11/10
        second = next(index for index, char in enumerate(folded) if char in "-/." and char != marks[0])
        return msg("t_why_one_separator", char=named(typed[second]), first=marks[0])
    return msg("t_why_date_parts")


def show_plain(value: Any) -> Message | str:
    """A value as a message names it without quotes (a number, a date, a fact's text), cut as show cuts it."""
    return clipped(str(value)) if not isinstance(value, (bool, dt.datetime)) else show(value)


def _quoted_hint(value: Any, wanted: str) -> Message | str:
    """A hint when a value was quoted and so read as text: "true", "12", "2026-11-25"."""
    looks = {"bool": r"(?i:true|false)", "int": r"[-+]?[0-9]+", "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}"}.get(wanted)
    if isinstance(value, str) and looks and re.fullmatch(looks, value):
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
