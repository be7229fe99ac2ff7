"""Amounts in a pack's currency and times of day: how a user types them, how they are held and how they are shown.

An amount is held as a whole number of its currency's minor unit (model.CURRENCIES): yen for JPY, cents for USD.
Arithmetic on it is exact (no float ever holds one), and a share worked out from it (derive.py's pro_rata,
percent_of) rounds down to the minor unit: a cent for USD, so advice never promises more than was earned.
A JPY amount is read and shown by validate_values and explain exactly as before currencies were added; this module
reads and shows the others.

A datetime is a dt.datetime to the minute, in the local time the platform's page shows, with no time zone (the
user copies it from that page). durable_rules compares it as minutes since 0001-01-01 00:00 (at most about
5.3 × 10**9, inside MAX_INT), as it compares a date as its day number.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any

from .diagnostics import Message, msg, show
from .load import named
from .model import CURRENCIES, MAX_INT

_DIGITS = 20  # more digits than any amount has: refused before any arithmetic on them
# $1,250.50, US$250, USD 250, 250 USD, 250.50ドル, 250米ドル, 250.5, -$5: a sign, the dollar sign (or the code USD
# before or after the number, or ドル / 米ドル after it, as Japanese output writes dollars), digits grouped by commas
# of three or not, and cents
_DOLLARS = re.compile(r"(?P<sign>[-+]?) *(?:US *\$|\$|USD)? *(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<cents>\d+))?"
                      r"(?: *USD| *米?ドル)?")
_YEN_MARKS = "¥\\円万"


def pack_amount(value: Any, currency: str) -> Any:
    """An amount a pack writes (a rule's value, a fact's default, min or max, a money parameter), in whole units of
    `currency` or, for USD, with cents as YAML reads them (12.5, 12.50): its count of the minor unit. Any other
    value (text, a fraction of a cent, a float for JPY) comes back as it is, for the type check to refuse."""
    digits = CURRENCIES.get(currency, 0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not digits:
        return value
    scaled = Decimal(repr(value)) * 10 ** digits  # repr: the shortest text that reads back as the float
    if not scaled.is_finite() or abs(scaled) > MAX_INT or scaled != scaled.to_integral_value():
        return value  # inf, nan, too large, or a fraction of the minor unit
    return int(scaled)


def read_amount(typed: str, currency: str) -> tuple[int | None, Message | None]:
    """An amount typed as text in a pack whose currency is not JPY (USD: 250, 250.50, $1,250.50, US$250, USD 250,
    250 USD, 250.50ドル, 1,250米ドル, "1,250.5", full-width digits) as its count of the minor unit (25050 for $250.50), and why it is none: more decimals than
    the minor unit has, ¥, 円 or 万 (yen), or a character out of place."""
    text = unicodedata.normalize("NFKC", typed).strip()
    found = _DOLLARS.fullmatch(text)
    if found is None or sum(char.isdigit() for char in text) > _DIGITS:
        return None, _amount_why(typed, text, found is not None)
    digits = CURRENCIES[currency]
    cents = found["cents"] or ""
    if len(cents) > digits:
        return None, msg("t_bad_amount", value=show(typed), why=msg("t_why_cents", digits=digits),
                         forms=msg("t_usd_forms"))
    amount = int(found["whole"].replace(",", "")) * 10 ** digits + int(cents.ljust(digits, "0") or "0")
    if amount > MAX_INT:
        return None, msg("v_out_of_range", value=show(typed), max=amount_shown(MAX_INT, currency))
    return -amount if found["sign"] == "-" else amount, None


def _amount_why(typed: str, text: str, long: bool) -> Message:
    """Why `text` (typed as `typed`, NFKC) is no amount of dollars: yen marks, or the first character out of place."""
    if long:
        return msg("v_out_of_range", value=show(typed), max=amount_shown(MAX_INT, "USD"))
    why = msg("t_why_amount_form")
    for char in text:
        if char in _YEN_MARKS:
            why = msg("t_why_yen_in_dollars", char=named(char))
            break
        if not (char.isdigit() or char in "$USD,.-+ "):
            why = msg("t_why_char", char=named(char))
            break
    return msg("t_bad_amount", value=show(typed), why=why, forms=msg("t_usd_forms"))


def format_amount(value: int, currency: str, lang: str) -> str:
    """An amount held in minor units as a sentence shows it: JPY 25,000円 / ¥25,000; USD 1,250.50ドル / $1,250.50
    (always two decimals, a whole amount too: $250.00, as the platforms' pages show dollars)."""
    digits = CURRENCIES.get(currency, 0)
    if not digits:
        return f"{value:,}円" if lang == "ja" else f"¥{value:,}"
    sign = "-" if value < 0 else ""
    whole, part = divmod(abs(value), 10 ** digits)
    number = f"{whole:,}.{part:0{digits}d}"
    return f"{sign}{number}ドル" if lang == "ja" else f"{sign}${number}"


def amount_shown(value: int, currency: str) -> Message | str:
    """An amount as a diagnostic names it: a JPY amount as its plain number (as before currencies), else a message
    rendered in the diagnostic's language ($1,250.50 / 1,250.50ドル)."""
    if not CURRENCIES.get(currency, 0):
        return str(value)
    return msg(f"amount_{currency.lower()}", amount=format_amount(abs(value), currency, "en")[1:],
               sign="-" if value < 0 else "")


def amount_text(value: int, currency: str) -> str:
    """An amount as a scenario file writes it: 25000 (JPY), 250.50 (USD: read back as $250.50)."""
    digits = CURRENCIES.get(currency, 0)
    if not digits:
        return str(value)
    whole, part = divmod(abs(value), 10 ** digits)
    return f"{'-' if value < 0 else ''}{whole}.{part:0{digits}d}"


# 2026-11-30 14:00, 2026-11-30T14:00, 2026/11/30 14:00, 2026年11月30日 14:00 (a 24-hour clock, to the minute; the
# seconds YAML's own form has, 14:00:00, only when they are 00)
_DATETIME = re.compile(r"(?P<date>.+?)(?: +|T)(?P<h>\d{1,2}) *: *(?P<m>\d{2})(?: *: *00)?")
# 11:30 PM, 11:30pm, 11:30 p.m., 11 PM: a 12-hour clock as US pages show times; 12 AM is midnight, 12 PM noon;
# 00:30 AM, though a 12-hour clock writes 12:30 AM, is certain to be half past midnight
_TWELVE_HOUR = re.compile(r"(?P<date>.+?) +(?P<h>\d{1,2})(?: *: *(?P<m>\d{2}))? *(?P<half>[AaPp])\.? *[Mm]\.?")
# 23時30分, 午後11時30分, 午後11時半, 9時: the hour in 時 (午前/午後 before it: a 12-hour clock, 0 to 11)
_JAPANESE_TIME = re.compile(r"(?P<date>.+?)(?: +|(?<=日))(?P<half>午前|午後)? *(?P<h>\d{1,2}) *時 *"
                            r"(?:(?P<m>\d{1,2}) *分|(?P<han>半))?")
# A time zone after a time: Z, +09:00, -0500, UTC+9, or a zone's letters (JST, EST, PDT ...)
_ZONE = re.compile(r".*\d(?: *[AaPp]\.? *[Mm]\.?)?(?: *(?:Z|(?:UTC|GMT)? *[+-] *\d{1,2}(?::?\d{2})?|[A-Z]{2,4}T|UTC|GMT))")


def split_time(text: str) -> tuple[str, tuple[int, int] | None]:
    """A typed date-and-time cut into its date's text and (hour, minute) on a 24-hour clock; (text, None) when it
    has no time of day after the date written as H:MM or HH:MM, as H:MM AM/PM (11:30 PM, 11:30pm) or as 23時30分 /
    午後11時30分 (00:30 AM as 00:30). An hour no clock has (25:00, 13:00 PM, 0:30 PM, 午後12時, whose noon or
    midnight is not certain) comes back as 24, which at_time refuses. Full-width digits and ： are read as plain ones."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if found := _DATETIME.fullmatch(folded):
        return found["date"], (int(found["h"]), int(found["m"]))
    if found := _TWELVE_HOUR.fullmatch(folded):
        hour = int(found["h"])
        certain = 1 <= hour <= 12 or (hour == 0 and found["half"] in "Aa")
        hour = hour % 12 + (12 if found["half"] in "Pp" else 0) if certain else 24
        return found["date"], (hour, int(found["m"] or 0))
    if found := _JAPANESE_TIME.fullmatch(folded):
        hour = int(found["h"])
        if found["half"]:
            hour = hour + (12 if found["half"] == "午後" else 0) if hour < 12 else 24
        return found["date"], (hour, 30 if found["han"] else int(found["m"] or 0))
    return text, None


def has_zone(text: str) -> bool:
    """Whether a typed date-and-time ends in a time zone (2026-11-24T23:30Z, 23:30+09:00, 23:30 JST, 11:30 PM EST):
    the platform's page shows a local time, and a zone would ask which one to convert to."""
    folded = unicodedata.normalize("NFKC", text).strip()
    return bool(_ZONE.fullmatch(folded)) and bool(re.search(r"\d *:", folded) or re.search(r"(?i)\d *[ap]\.? *m", folded))


def at_time(day: dt.date, clock: tuple[int, int]) -> dt.datetime | None:
    """`day` at hour and minute `clock`; None when there is no such time (25:00, 14:60)."""
    hour, minute = clock
    if hour > 23 or minute > 59:
        return None
    return dt.datetime(day.year, day.month, day.day, hour, minute)


def format_datetime(value: dt.datetime, lang: str) -> str:
    """A datetime as a sentence shows it: 2026年12月2日 14:00 / 2026-12-02 14:00."""
    day = f"{value.year}年{value.month}月{value.day}日" if lang == "ja" else value.date().isoformat()
    return f"{day} {value.hour:02d}:{value.minute:02d}"


def datetime_text(value: dt.datetime) -> str:
    """A datetime as a scenario file and JSON output write it: 2026-12-02 14:00."""
    return f"{value.date().isoformat()} {value.hour:02d}:{value.minute:02d}"


def minutes(value: dt.datetime) -> int:
    """A datetime as durable_rules compares it: minutes since 0001-01-01 00:00 (0 to about 5.3 × 10**9)."""
    return (value.toordinal() - 1) * 1440 + value.hour * 60 + value.minute


def from_minutes(count: int) -> dt.datetime:
    """The datetime `count` minutes after 0001-01-01 00:00 (minutes' inverse); OverflowError beyond 9999."""
    days, rest = divmod(count, 1440)
    if not 0 <= days < dt.date.max.toordinal():
        raise OverflowError("no such time")
    day = dt.date.fromordinal(days + 1)
    return dt.datetime(day.year, day.month, day.day, rest // 60, rest % 60)


def add_hours(start: dt.date, hours: int) -> dt.datetime:
    """`hours` after `start`, a datetime or a date (counted from its 00:00: the earliest end, the safe side for a
    date to act by); OverflowError beyond 9999-12-31 23:59 or before year 1."""
    moment = start if isinstance(start, dt.datetime) else dt.datetime(start.year, start.month, start.day)
    return moment + dt.timedelta(hours=hours)


def date_of(moment: dt.date) -> dt.date:
    """The day of a datetime (a date as it is)."""
    return moment.date() if isinstance(moment, dt.datetime) else moment
