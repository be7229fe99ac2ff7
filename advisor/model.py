"""The validated model: immutable records that every later stage reads.

Nothing here parses or checks; `validate` builds these from loaded YAML, so a value of one of these
types is always well formed (known facts, matching types, resolved parameters).
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Union

LANGS = ("ja", "en")
CALENDARS = ("JP", "US")  # pack.yaml calendar: the holidays add_business_days skips (derive.is_business_day)
FACT_TYPES = ("bool", "int", "money", "date", "datetime", "enum")
# pack.yaml currency: -> digits of its minor unit. An amount is held as a whole number of the minor unit (yen;
# cents), so that sums and shares are exact and a share rounds down to it (advisor/units.py reads and shows them).
CURRENCIES = {"JPY": 0, "USD": 2}
Value = Union[bool, int, str, dt.date]  # a datetime fact's value is a dt.datetime (a dt.date too), to the minute


@dataclass(frozen=True)
class Text:
    """A sentence in every supported language."""

    ja: str
    en: str

    def get(self, lang: str) -> str:
        return getattr(self, lang)


@dataclass(frozen=True)
class Where:
    path: str
    line: int
    column: int


@dataclass(frozen=True)
class Derivation:
    op: str  # a name in derive.OPERATIONS
    args: tuple[str, ...]  # fact or parameter names, or "as_of"


@dataclass(frozen=True)
class Fact:
    name: str
    type: str  # one of FACT_TYPES
    description: Text
    values: tuple[str, ...] = ()  # enum only
    default: Value | None = None
    min: int | None = None
    at_most: str | None = None  # another fact of the same type, or "as_of"
    derive: Derivation | None = None
    set_by_rules: bool = False  # set by rules' `sets:` while the engine runs; never given by a scenario
    question: Text | None = None  # what `advise ask` asks for it; None: its description is shown
    max: int | None = None
    labels: tuple[tuple[str, Text], ...] = ()  # enum only: (value, what it reads as in each language), or ()
    currency: str = "JPY"  # money only: the pack's currency (CURRENCIES); the value counts its minor unit
    day_of: str | None = None  # datetime only: the date fact given by the user whose day this time falls on

    @property
    def given_by_user(self) -> bool:
        return self.derive is None and not self.set_by_rules

    def label(self, value: Value, lang: str) -> str:
        """What an enum value reads as in `lang` (its label; the value itself when the fact has none):
        label("rejected", "ja") -> "拒否"."""
        return next((text.get(lang) for name, text in self.labels if name == value), str(value))

    @cached_property
    def words(self) -> dict[str, str]:
        """Every word a user may type for an enum value, folded (see folded): the values, and their labels in
        every language -> the value. Validation makes each word name one value."""
        found = {folded(value): value for value in self.values}
        for value, text in self.labels:
            for lang in LANGS:
                found.setdefault(folded(text.get(lang)), value)
        return found

    def read(self, word: object) -> str | None:
        """The enum value a typed word names (a value or a label, in any case and width), or None."""
        return self.words.get(folded(word)) if isinstance(word, str) else None


def folded(word: str) -> str:
    """A word as typed words are compared: NFKC (full-width letters and digits as plain ones, half-width kana as
    full-width), case folded, runs of spaces as one, no surrounding space: " ＲＥＪＥＣＴＥＤ " -> "rejected"."""
    return " ".join(unicodedata.normalize("NFKC", word).casefold().split())


SIDES = ("lowest", "highest")  # which of a parameter's several values a rule takes (Rule.sides)


@dataclass(frozen=True)
class Variant:
    """One sourced value of a parameter whose sources disagree (parameters.yaml `values:`)."""

    value: Value
    label: Text  # what the value is and who says it: "7 days, as most guides say"
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    value: Value  # the only value; for a range, its lowest (variants[0].value)
    description: Text
    sources: tuple[str, ...]
    disputed: Text | None = None  # why sources disagree: shown beside any advice that depends on it
    note: Text | None = None  # anything else the user should know about the value, shown the same way
    variants: tuple[Variant, ...] = ()  # several sourced values, lowest first; () for a parameter with one value
    min: int | None = None  # the smallest and largest whole number a scenario may set it to (params:)
    max: int | None = None
    unit: str | None = None  # parameters.yaml unit: "hours" (a number of hours, shown "48 hours"), or None
    currency: str = "JPY"  # a money parameter's (type "money": unit: money): the pack's currency

    @property
    def ranged(self) -> bool:
        return bool(self.variants)

    def at(self, side: str) -> Value:
        """The value a rule taking `side` (lowest | highest) uses."""
        if not self.variants:
            return self.value
        return self.variants[0 if side == "lowest" else -1].value


@dataclass(frozen=True)
class Source:
    id: str
    title: Text
    url: str | None


ABSENT = None  # the value of a fact nobody gave: tests on it are false, except `present: false`


@dataclass(frozen=True)
class Test:
    """One comparison of a fact; what it means is conditions.compare."""

    fact: str
    op: str  # eq ne lt lte gt gte in not_in present
    value: Value | tuple[Value, ...] | bool
    param: str | None  # the parameter the value came from, if any


def disputed_inputs(facts: dict[str, "Fact"], parameters: dict[str, Parameter]) -> dict[str, frozenset[str]]:
    """Each fact and parameter -> the parameters with several values its value depends on, through derived facts:
    auto_termination_on (request_sent_on + auto_termination_days) -> {auto_termination_days}. One pass in
    declaration order (a derived fact's inputs are declared before it, R102): walking each fact's inputs anew
    took time exponential in the depth of derived facts sharing inputs (34 of them: 29 s)."""
    found = {name: frozenset([name]) if parameter.ranged else frozenset() for name, parameter in parameters.items()}
    for name, fact in facts.items():
        args = fact.derive.args if fact.derive is not None else ()
        found[name] = frozenset().union(*(found.get(arg, frozenset()) for arg in args))
    return found


@dataclass(frozen=True)
class Group:
    kind: str  # all | any | not
    items: tuple[Condition, ...]


Condition = Union[Test, Group]


@dataclass(frozen=True)
class Rule:
    id: str
    action: str
    priority: int  # smaller comes first: 1 is the most urgent
    when: Condition
    message: Text
    because: Text
    sources: tuple[str, ...]
    where: Where
    order: int  # position in the pack (its index in Pack.rules), the tie-breaker after priority
    suppresses: tuple[str, ...] = ()  # ids of the rules not advised when this one fires
    sets: tuple[tuple[str, Value], ...] = ()  # facts this rule sets when it fires (forward chaining)
    valid_from: dt.date | None = None  # the rule applies only while as_of is within these dates
    valid_until: dt.date | None = None
    deadline: str | None = None  # a date fact: the day this advice is about (advise --calendar)
    # For each parameter with several values that the rule depends on, the side it takes: (name, lowest | highest)
    sides: tuple[tuple[str, str], ...] = ()

    @property
    def rank(self) -> tuple[int, int]:
        """Where its advice stands: by priority, then by position in the pack."""
        return self.priority, self.order


@dataclass(frozen=True)
class EventType:
    """A kind of event a scenario's timeline may hold, and how it changes the facts."""

    name: str
    description: Text
    after: tuple[str, ...]  # impossible unless one of these came before it
    count: bool  # takes a count:
    # (fact, how, value): how is "value" (set value), "date" (the event's date), "count" (its count),
    # "add" (add value) or "add_count" (add its count)
    sets: tuple[tuple[str, str, Value | None], ...]


@dataclass(frozen=True)
class Draft:
    """Words to send for an action (drafts.yaml): {placeholders} are filled like rule messages; what only
    the user knows is marked 〈…〉 (ja) or <...> (en) and left as it is."""

    subject: Text | None
    body: Text


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per pack read
class Pack:
    id: str
    name: Text
    directory: str
    facts: dict[str, Fact]  # declaration order: inputs first, then derived facts in computing order
    parameters: dict[str, Parameter]
    actions: dict[str, Text]
    sources: dict[str, Source]
    rules: tuple[Rule, ...]
    # Where each declaration stands, for findings about it: ("action" | "parameter" | "fact", name) -> Where
    declared_at: dict[tuple[str, str], Where] = field(default_factory=dict)
    events: dict[str, EventType] = field(default_factory=dict)
    drafts: dict[str, Draft] = field(default_factory=dict)  # action -> words to send (drafts.yaml)
    calendar: str = "JP"  # the public holidays business days skip (pack.yaml calendar:): one of CALENDARS
    currency: str = "JPY"  # what money facts count (pack.yaml currency:): one of CURRENCIES

    @cached_property
    def disputed(self) -> dict[str, frozenset[str]]:
        """The facts and parameters whose value depends on parameters with several values, with those parameters
        (computed once per pack: explaining each scenario asks it for every name)."""
        return {name: params for name, params in disputed_inputs(self.facts, self.parameters).items() if params}

    @cached_property
    def setting(self) -> dict[str, tuple[Rule, ...]]:
        """Each fact rules set -> the rules that set it (`sets:`), in pack order (computed once per pack: the
        interview asks it for every rule testing such a fact, for each question, and scanning every rule each time
        made `advise ask` on 2,000 rules take 20 s)."""
        found: dict[str, list[Rule]] = {}
        for rule in self.rules:
            for name in dict.fromkeys(name for name, _ in rule.sets):
                found.setdefault(name, []).append(rule)
        return {name: tuple(rules) for name, rules in found.items()}


@dataclass(frozen=True)
class Expectation:
    actions: tuple[str, ...]
    not_actions: tuple[str, ...]
    order: tuple[str, ...] = ()  # advised, and ranked in this order (each action's first recommendation)


@dataclass(frozen=True)
class Scenario:
    path: str
    title: str | None
    platform: str
    as_of: dt.date
    facts: dict[str, Value]  # what the user gave, defaults filled in; absent facts are left out
    given: frozenset[str]  # the names the user wrote
    expect: Expectation | None
    params: tuple[tuple[str, Value], ...] = ()  # parameters the scenario overrides, in the pack's order
    from_events: frozenset[str] = frozenset()  # the facts its timeline (events:) set
    platform_given: bool = True  # False: the scenario has no platform:, and `platform` is the default one
    days_from: tuple[tuple[str, str], ...] = ()  # (date fact, datetime fact it was taken from by day_of:)


# Shared constants: every stage may import these without depending on the stage that checks them.
MAX_INT = 10**12  # far above any fee in yen; keeps every number inside durable_rules' int64
ORDERED_TYPES = ("int", "money", "date", "datetime")  # the fact types that lt, lte, gt, gte and at_most compare
PACK_FILE, PARAMETERS_FILE, FACTS_FILE, EVENTS_FILE = "pack.yaml", "parameters.yaml", "facts.yaml", "events.yaml"
DRAFTS_FILE = "drafts.yaml"  # words to send for actions (optional)
PACK_FILES = (PACK_FILE, PARAMETERS_FILE, FACTS_FILE, EVENTS_FILE, DRAFTS_FILE)  # a pack's files that hold no rules
