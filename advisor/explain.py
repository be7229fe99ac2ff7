"""Stage 6, explain: the rules that fired -> ranked recommendations with their texts filled in.

Placeholders are replaced by a regular expression over `{name}`, never by str.format (which would let
a pack reach attributes of the values) and never by anything that evaluates text.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from .conditions import PLACEHOLDER, depends_on, literals, shown
from .derive import View, rule_params
from .messages import labelled, say
from .model import LANGS, SIDES, Draft, Fact, Pack, Parameter, Rule, Scenario, Source, Text, Value
from .units import format_amount, format_datetime

# A value that sources disagree on: each value, with the label of the sourced value it comes from (None for a
# parameter itself, whose values speak for themselves), lowest first.
Range = tuple[tuple[Value, Text | None], ...]


@dataclass(frozen=True)
class Recommendation:
    rule: Rule
    title: Text
    message: Text
    because: Text
    notes: tuple[Text, ...]  # what is disputed or noted about the parameters this advice depends on
    sources: tuple[Source, ...]
    draft: Draft | None = None  # the words to send (drafts.yaml), filled in; None if the action has none


@dataclass(frozen=True)
class Advice:
    scenario: Scenario
    pack: Pack
    facts: dict[str, Value]  # given, defaults, derived and set by rules, in the pack's declaration order
    recommendations: tuple[Recommendation, ...]
    params: dict[str, Value]  # parameter values used: the pack's, or the scenario's params:
    # The facts under each value of the parameters with several values (one view when there are none);
    # `facts` and `params` are those of the first view, which takes every lowest value.
    views: tuple[View, ...] = ()
    ranges: dict[str, Range] = field(default_factory=dict)  # facts and parameters whose value differs by view

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(r.rule.action for r in self.recommendations)

    def view(self, rule: Rule) -> View:
        """The view `rule` was evaluated in: the values at the side it takes (`side:`)."""
        params = rule_params(self.pack, rule, dict(self.scenario.params))
        return next(view for view in self.views if view.params == params)


_RANK = attrgetter("priority", "order")  # Rule.rank, read without calling a property per rule


def explain(pack: Pack, scenario: Scenario, views: tuple[View, ...], fired: list[Rule]) -> Advice:
    ordered = sorted(fired, key=_RANK)
    first, last = views[0], views[-1]
    values: dict[str, Value] = dict(first.params)
    values.update(first.facts)
    values["as_of"] = scenario.as_of
    for name in pack.disputed:  # {name.lowest} and {name.highest}
        for side, view in zip(SIDES, (first, last)):
            value = view.params.get(name, view.facts.get(name))
            if value is not None:
                values[f"{name}.{side}"] = value
    types = {name: f.type for name, f in pack.facts.items()}
    types.update({name: p.type for name, p in pack.parameters.items()}, as_of="date")
    ranges = value_ranges(pack, views)
    recommendations = []
    memo: dict[tuple[str, str], str] = {}  # each placeholder shown once per advice, whatever the texts naming it
    split = _templates(pack)
    for rule in ordered:
        notes, sources, draft = _of_rule(pack, rule.order)
        recommendations.append(Recommendation(
            rule, pack.actions[rule.action],
            fill(rule.message, values, types, ranges, pack.facts, pack.currency, memo, split),
            fill(rule.because, values, types, ranges, pack.facts, pack.currency, memo, split),
            notes, sources, _draft(draft, values, types, ranges, pack.facts, pack.currency, memo, split)))
    shown = {name: first.facts[name] for name in pack.facts if name in first.facts}
    return Advice(scenario, pack, shown, tuple(recommendations), first.params, views, ranges)


def value_ranges(pack: Pack, views: tuple[View, ...]) -> dict[str, Range]:
    """The facts and parameters whose value depends on which value of a disputed parameter is right."""
    picked = {name for name, _ in views[0].picks}
    found: dict[str, Range] = {}
    for name, disputed in pack.disputed.items():
        depends = disputed & picked
        if not depends:
            continue
        entries: dict[tuple, tuple[Value, Text | None]] = {}
        for view in views:
            value = view.params[name] if name in pack.parameters else view.facts.get(name)
            if value is None:  # absent: an input is missing, in every view
                break
            picks = tuple((param, variant) for param, variant in view.picks if param in depends)
            label = None if name in pack.parameters else Text(
                **{lang: say(lang, "range_labels").join(variant.label.get(lang) for _, variant in picks) for lang in LANGS})
            entries.setdefault(picks, (value, label))
        else:
            if len({value for value, _ in entries.values()}) > 1:
                found[name] = tuple(entries.values())
    return found


def fill(text: Text, values: dict[str, Value], types: dict[str, str], ranges: dict[str, Range] | None = None,
         facts: dict[str, Fact] | None = None, currency: str = "JPY", memo: dict[tuple[str, str], str] | None = None,
         split: dict[int, tuple[Text, list[list[str]] | None]] | None = None) -> Text:
    """The text with each {name} replaced by the value in the language (an enum value of one of `facts` by its
    label); a value sources disagree on shows every value with its label ("2026-11-17 (7 days, as most guides
    say) or 2026-11-24 (14 days, as the seed says)"), and {name.lowest} / {name.highest} one of them. Amounts are
    in `currency` (the pack's). `memo` ((name, language) -> the text shown) keeps what was shown for a name across
    the texts of one advice, whose values are the same for all of them; `split` keeps the texts of a pack split at their
    placeholders across advice (_templates)."""
    templates = _split(text, {} if split is None else split)
    if templates is None:  # most texts name no value: the text as it is
        return text
    memo = {} if memo is None else memo
    filled = {}
    for lang, parts in zip(LANGS, templates):
        pieces = [parts[0]]
        for index in range(1, len(parts), 2):
            key = (parts[index], lang)
            value = memo.get(key)
            if value is None:
                value = memo[key] = _shown(parts[index], lang, values, types, ranges, facts, currency)
            pieces += (value, parts[index + 1])
        filled[lang] = "".join(pieces)
    return Text(**filled)


def _shown(name: str, lang: str, values: dict[str, Value], types: dict[str, str], ranges: dict[str, Range] | None,
           facts: dict[str, Fact] | None, currency: str) -> str:
    """How {name} reads in `lang` (fill)."""
    kind = types[name.partition(".")[0]]
    if ranges and name in ranges:
        return format_range(ranges[name], kind, lang, currency)
    if name not in values:
        return UNKNOWN[lang]
    if facts and name in facts:
        return format_fact(facts[name], values[name], lang)
    return format_value(values[name], kind, lang, currency)


def _split(text: Text, split: dict[int, tuple[Text, list[list[str]] | None]]) -> list[list[str]] | None:
    """Each language's template split at its placeholders: text, name, text, name, ..., text (what PLACEHOLDER.sub
    replaces, in order); None when no language has a placeholder. Kept in `split` under the text's identity, with
    the text itself (so the identity stays its own), not its hash: hashing a Text walks its words, and this is
    asked for every text of every recommendation. Never changed by the caller."""
    entry = split.get(id(text))
    if entry is None or entry[0] is not text:
        templates = [PLACEHOLDER.split(getattr(text, lang)) for lang in LANGS]
        entry = split[id(text)] = (text, templates if any(len(parts) > 1 for parts in templates) else None)
    return entry[1]


@lru_cache(maxsize=32)  # one per pack (hashed by identity), as many as pipeline keeps
def _templates(pack: Pack) -> dict[int, tuple[Text, list[list[str]] | None]]:
    """The pack's texts split at their placeholders (_split), added as they are first shown: once per pack, not
    per advice, and as many as the pack has."""
    return {}


def format_range(entries: Range, kind: str, lang: str, currency: str = "JPY") -> str:
    """Every value of a range, lowest first: "7 or 14", "2026-11-17 (7 days, ...) or 2026-11-24 (14 days, ...)"."""
    items = [format_value(value, kind, lang, currency) + (say(lang, "range_label", label=label.get(lang)) if label else "")
             for value, label in entries]
    return say(lang, "range_or", first=say(lang, "range_comma").join(items[:-1]), last=items[-1])


def _draft(draft: Draft | None, values: dict[str, Value], types: dict[str, str], ranges: dict[str, Range],
           facts: dict[str, Fact], currency: str, memo: dict[tuple[str, str], str] | None = None,
           split: dict[int, tuple[Text, list[list[str]] | None]] | None = None) -> Draft | None:
    """A draft with its placeholders filled; 〈…〉 and <...> (what only the user knows) are left as they are."""
    if draft is None:
        return None
    return Draft(fill(draft.subject, values, types, ranges, facts, currency, memo, split) if draft.subject else None,
                 fill(draft.body, values, types, ranges, facts, currency, memo, split))


UNKNOWN = {"ja": "（不明）", "en": "(unknown)"}


def format_value(value: Value, kind: str, lang: str, currency: str = "JPY") -> str:
    """How a value reads in a sentence: 2026年11月25日 / 2026-11-25, 2026年11月30日 14:00 / 2026-11-30 14:00,
    25,000円 / ¥25,000, and in a `currency` other than JPY (units.format_amount) 1,250.50ドル / $1,250.50."""
    if isinstance(value, dt.datetime):
        return format_datetime(value, lang)
    if kind == "date" and isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日" if lang == "ja" else value.isoformat()
    if kind == "money" and isinstance(value, int):
        return format_amount(value, currency, lang)
    if kind == "bool" and isinstance(value, bool):
        return {("ja", True): "はい", ("ja", False): "いいえ", ("en", True): "yes", ("en", False): "no"}[(lang, value)]
    if kind == "int":
        return f"{value:,}"
    return str(value)


def format_parameter(parameter: Parameter, value: Value, lang: str) -> str:
    """A parameter's value where it is shown by itself (--explain, advise rules): format_value, and a number of hours
    (unit: hours) with its unit: "48 hours" / 「48時間」. In a rule's texts {name} is the number alone, which the
    text words."""
    if parameter.unit == "hours" and isinstance(value, int) and not isinstance(value, bool):
        return say(lang, "value_hours", hours=f"{value:,}")
    return format_value(value, parameter.type, lang, parameter.currency)


def format_fact(fact: Fact, value: Value, lang: str, beside: bool = False) -> str:
    """A fact's value as output shows it: format_value, and an enum value by its label (model.Fact.label). With
    `beside` (explanations, questions: places a reader may write the value back into a scenario), English output
    also shows the value a scenario is written with, where the label differs: "refused (rejected)". Japanese
    output shows the label alone, which a scenario accepts as well."""
    if fact.type != "enum":
        return format_value(value, fact.type, lang, fact.currency)
    label = fact.label(value, lang)
    return labelled(label, str(value), lang) if beside and lang == "en" else label


@lru_cache(maxsize=16384)  # once per rule of a pack (hashed by identity), not per advice
def _of_rule(pack: Pack, order: int) -> tuple[tuple[Text, ...], tuple[Source, ...], Draft | None]:
    """What the advice of the pack's rule at `order` shows whatever the facts: the notes of the parameters it
    depends on (_parameters_used: disputed, then note, of each), its sources, and its draft before filling in
    (the rule's own, else its action's)."""
    rule = pack.rules[order]
    notes = tuple(text for name in _parameters_used(pack, order)
                  for text in (pack.parameters[name].disputed, pack.parameters[name].note) if text)
    return notes, tuple(pack.sources[s] for s in rule.sources), pack.drafts.get(rule.id) or pack.drafts.get(rule.action)


@lru_cache(maxsize=4096)  # once per rule of a pack (hashed by identity): it was 4% of a scenario's time
def _parameters_used(pack: Pack, order: int) -> list[str]:
    """Parameters whose value shaped the advice of the pack's rule at `order`, in the pack's order: those a text
    shows and those the condition compares where it must hold (not under a `not`), directly or through a
    derived fact."""
    rule = pack.rules[order]
    named = {name for literal in literals(rule.when) if not literal.negated
             for name in (literal.test.fact, literal.test.param) if name}
    named = depends_on(pack, named | shown([rule.message, rule.because]))
    return [name for name in pack.parameters if name in named]
