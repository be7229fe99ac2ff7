"""Stage 6, explain: the rules that fired -> ranked recommendations with their texts filled in.

Placeholders are replaced by a regular expression over `{name}`, never by str.format (which would let
a pack reach attributes of the values) and never by anything that evaluates text.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import LANGS, Condition, Draft, Group, Pack, Rule, Scenario, Source, Text, Value
from .validate import PLACEHOLDER


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

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(r.rule.action for r in self.recommendations)


def explain(pack: Pack, scenario: Scenario, facts: dict[str, Value], fired: list[Rule],
            params: dict[str, Value]) -> Advice:
    ordered = sorted(fired, key=lambda rule: rule.rank)
    values: dict[str, Value] = dict(params)
    values.update(facts)
    values["as_of"] = scenario.as_of
    types = {name: f.type for name, f in pack.facts.items()}
    types.update({name: p.type for name, p in pack.parameters.items()}, as_of="date")
    recommendations = []
    for rule in ordered:
        used = _parameters_used(rule, pack)
        notes = tuple(text for name in used for text in (pack.parameters[name].disputed, pack.parameters[name].note)
                      if text)
        recommendations.append(Recommendation(
            rule, pack.actions[rule.action],
            fill(rule.message, values, types), fill(rule.because, values, types), notes,
            tuple(pack.sources[s] for s in rule.sources), _draft(pack.drafts.get(rule.id) or pack.drafts.get(rule.action), values, types)))
    shown = {name: facts[name] for name in pack.facts if name in facts}
    return Advice(scenario, pack, shown, tuple(recommendations), params)


def fill(text: Text, values: dict[str, Value], types: dict[str, str]) -> Text:
    def one(lang: str) -> str:
        def replace(match) -> str:
            name = match.group(1)
            if name not in values:
                return UNKNOWN[lang]
            return format_value(values[name], types[name], lang)
        return PLACEHOLDER.sub(replace, text.get(lang))
    return Text(**{lang: one(lang) for lang in LANGS})


def _draft(draft: Draft | None, values: dict[str, Value], types: dict[str, str]) -> Draft | None:
    """A draft with its placeholders filled; 〈…〉 and <...> (what only the user knows) are left as they are."""
    if draft is None:
        return None
    return Draft(fill(draft.subject, values, types) if draft.subject else None, fill(draft.body, values, types))


UNKNOWN = {"ja": "（不明）", "en": "(unknown)"}


def format_value(value: Value, kind: str, lang: str) -> str:
    """How a value reads in a sentence: 2026年11月25日 / 2026-11-25, 25,000円 / ¥25,000."""
    if kind == "date" and isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日" if lang == "ja" else value.isoformat()
    if kind == "money":
        return f"{value:,}円" if lang == "ja" else f"¥{value:,}"
    if kind == "bool":
        return {("ja", True): "はい", ("ja", False): "いいえ", ("en", True): "yes", ("en", False): "no"}[(lang, value)]
    if kind == "int":
        return f"{value:,}"
    return str(value)


def _parameters_used(rule: Rule, pack: Pack) -> list[str]:
    """Parameters whose value shaped this advice, in the pack's order: those a text shows and those the
    condition compares where it must hold (not under a `not`), directly or through a derived fact."""
    named = set(_names_tested(rule.when, negated=False))
    for text in (rule.message, rule.because):
        for lang in LANGS:
            named.update(PLACEHOLDER.findall(text.get(lang)))
    pending = list(named)
    while pending:  # a derived fact depends on the parameters its inputs depend on
        fact = pack.facts.get(pending.pop())
        if fact and fact.derive:
            new = set(fact.derive.args) - named
            named |= new
            pending.extend(new)
    return [name for name in pack.parameters if name in named]


def _names_tested(condition: Condition, negated: bool) -> list[str]:
    """The facts and parameters of the tests that must hold for the condition to hold."""
    if isinstance(condition, Group):
        inner = not negated if condition.kind == "not" else negated
        return [name for item in condition.items for name in _names_tested(item, inner)]
    if negated:
        return []
    return [condition.fact] + ([condition.param] if condition.param else [])
