"""`advise ask`: an interview that builds a scenario by asking questions, then gives its advice.

The questions are the facts a scenario can give (`given_by_user`), in the order facts.yaml declares them,
each worded by its `question:` (or, without one, its description). A question is asked only when its answer
can still change the advice, given the answers so far:

- every rule's condition is evaluated in three-valued (Kleene) logic by conditions.evaluate: true, false,
  or undecided. A test on a fact already answered is decided as the engine decides it; a fact answered
  "don't know" takes its default, like a scenario that leaves it out, or is absent when it has none. A
  test on a fact not asked yet is undecided;
- a derived fact is absent when one of its inputs is absent, undecided while one is not asked yet, and
  otherwise computed by derive.derive; a fact set by rules is set when a rule setting it is true, absent
  when every such rule is false, undecided otherwise (and always undecided when the rule setting it tests
  facts set by rules, whose order of firing a single evaluation cannot tell);
- a rule that is false, or outside its valid_from / valid_until dates, can no longer be advised. Any other
  rule still can, and its open questions are those not asked yet that the undecided tests inside the
  undecided parts of its condition wait for (directly, or as inputs of a derived fact or of the rules that
  set a fact), together with those behind the facts its message and reason show.

A question is asked when it is an open question of some rule; `why` at the prompt lists the actions of
those rules. Answers only ever decide more, so a question skipped once would stay skipped later. The
logic is sound but not complete: it never skips a question whose answer could change the advice, and may
ask one that turns out not to matter (say, `any` over every value of a fact).

Answers come from a file by fact name (`preset`, validated as a scenario's `facts:`) and from an iterator of
lines, and everything shown goes through `show`, so the interview runs the same at a terminal, from a script
and in tests. A line is read for a question only when the answers file leaves it open. An answer that does
not fit is explained and asked again at a terminal; from a script (`source` names it) it is an InputError at
its line, because asking again would take the line meant for the next question. The end of the lines means
"don't know" for the questions left. Nothing typed is evaluated: answers are compared with words, numbers and
dates only, by one function per kind of answer (`_choice`, `_typed`).
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .conditions import UNDECIDED, Found, as_number, depends_on, evaluate, facts_read, setters, shown
from .derive import (
    MAX_BUSINESS_DAYS,
    beyond_calendar,
    beyond_range,
    date_input,
    derive,
    past_business_days,
    rule_params,
    views,
)
from .diagnostics import Diagnostic, InputError, Message, closest, msg
from .diagnostics import show as quoted
from .explain import Advice, format_fact, format_value
from .load import Document, bundled_rules, pack_folders, parse, read_file
from .messages import rendered, say
from .model import ABSENT, LANGS, MAX_INT, PACK_FILE, Condition, Fact, Group, Pack, Rule, Text, Value, folded
from .pipeline import advise_document, pack_for, pack_named, platform_assumed, platform_id, read_pack
from .render import render_text, trace_lines
from .schema import schema
from .units import amount_text, date_of, datetime_text, split_time
from .validate_scenario import validate_scenario
from .validate_values import read_amount_for, read_date, read_datetime, read_number, show_plain

UNKNOWN_WORDS = ("", "?", "わからない", "分からない", "unknown")  # compared after NFKC and lower case
WHY_WORDS = ("why", "なぜ")
YES_WORDS, NO_WORDS = ("yes", "y", "true", "はい", "ハイ"), ("no", "n", "false", "いいえ", "イイエ")  # ﾊｲ folds to ハイ
SCENARIO_PATH = "<advise ask>"  # the name the built scenario goes by in the pipeline


@dataclass(frozen=True)
class Interview:
    pack: Pack
    answers: dict[str, Value | None]  # the facts answered, in declaration order; None: "don't know"
    scenario: str  # the scenario file's text; it gives `advice` again
    advice: Advice


@dataclass(frozen=True)
class Preset:
    """What an answers file gives: the answers (None: "don't know") and, from a whole scenario, the rest of it."""

    answers: dict[str, Value | None]
    as_of: dt.date  # the day of the advice: --as-of, else the scenario's as_of:, else today
    dated: bool = False  # the scenario names its as_of:, so the scenario written names it too
    params: tuple[tuple[str, Value], ...] = ()  # the pack parameters the scenario pins (params:)
    title: str | None = None


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (or Ctrl-D at a terminal) after the advice was shown: `scenario` holds the answers, to be printed."""

    def __init__(self, scenario: str):
        super().__init__()
        self.scenario = scenario


def interview(rules: str | Path | None, lang: str, answers: Iterable[str], show: Callable[[str], None],
              as_of: dt.date | None, platform: str | None = None, *, preset: Document | None = None,
              source: str | None = None, asking: bool = True, pin_date: bool = True) -> Interview:
    """Ask, build the scenario, show its advice, then explain recommendations on request (`how N`).

    `as_of`: the day of the advice (--as-of); None: the answers file's as_of:, else today. `platform`: the pack's,
    not asked; a whole scenario given as `preset` naming another platform: is an InputError at that line.
    `answers`: lines, one per prompt.
    `preset`: an answers file (fact: value, or a whole scenario), validated as a scenario's facts: once the pack
    is known (InputError at its lines); a scenario's as_of:, params: and title: are kept in the scenario written
    and used for its advice. `source`: None at a terminal (a wrong answer is explained and asked again), else
    the name of the lines (a wrong answer is an InputError at `source:LINE:1`). `asking` False: nothing is asked
    and no line read; a question left open is "don't know". `pin_date`: the scenario names its as_of (else it
    is given for the day it is run, unless the answers file names one). KeyboardInterrupt from `answers` goes
    through, as Interrupted once the advice was shown.
    """
    lines = _Lines(answers, source, lang, show)
    _same_platform(preset, platform, rules)
    pack, platform, assumed = _pack_of(rules, platform, lang, preset, lines if asking else None, show)
    # The answers file is checked before anything else is shown (unless the platform had to be asked first),
    # so that a mistake in it is all that is printed.
    known = _answers_of(preset, pack, as_of, rules, assumed)
    if asking and len(platforms(rules) if platform is None else [platform]) == 1:
        show(say(lang, "ask_intro"))
    show(say(lang, "ask_pack", name=pack.name.get(lang), id=pack.id))
    given = _questions(pack, known, lines if asking else None)
    text = scenario_text(pack, given, known.as_of if pin_date or known.dated else None, lang,
                         params=known.params, title=known.title)
    advice = advise_document(parse(text.encode("utf-8"), SCENARIO_PATH), rules, known.as_of)
    if assumed and preset is not None and _whole_scenario(preset):
        advice = replace(advice, scenario=replace(advice.scenario, platform_given=False))
    show("")
    show(render_text(advice, lang))
    if asking:
        try:
            _explain_on_request(advice, lang, lines, show)
        except KeyboardInterrupt:
            raise Interrupted(text) from None
    return Interview(pack, given, text, advice)


def _pack_of(rules: str | Path | None, platform: str | None, lang: str, preset: Document | None,
             lines: _Lines | None, show: Callable[[str], None]) -> tuple[Pack, str | None, bool]:
    """The pack, the platform named (--platform or a whole scenario's platform:; None when neither), and whether
    it was assumed: neither named nor asked (`lines` None), among several packs. An assumed pack is said in a
    mistake of the answers, and in the advice for a whole scenario, as `advise FILE` says it."""
    if preset is not None and _names_platform(preset):  # at the line of its platform: when there is no such pack
        return pack_for(preset, rules)[0], preset.data["platform"], False
    pack = _choose_pack(rules, platform, lang, lines, show)
    return pack, platform, platform is None and lines is None and len(platforms(rules)) > 1


def _answers_of(preset: Document | None, pack: Pack, as_of: dt.date | None, rules: str | Path | None,
                assumed: bool) -> Preset:
    """The answers file's answers (preset_answers), none without one; its mistakes say an assumed pack."""
    if preset is None:
        return Preset({}, as_of or dt.date.today())
    with platform_assumed(preset, rules, assumed, pack.id):
        return preset_answers(preset, pack, as_of)


def _same_platform(preset: Document | None, platform: str | None, rules: str | Path | None) -> None:
    """An answers file that is a whole scenario naming another platform: than --platform (`platform`) is an
    InputError at that line: neither is taken over the other, as the user meant one of the two platforms, and the
    advice for the other would be wrong. A pack's id and its name (Fiverr, fiverr) are one platform."""
    if preset is None or platform is None or not _names_platform(preset):
        return
    named = preset.data["platform"]
    if not isinstance(named, str) or platform_id(named, rules) != platform_id(platform, rules):
        raise InputError([preset.error(msg("ask_platform_differs", file=quoted(preset.data["platform"]),
                                           option=quoted(platform)), "platform")])


def _questions(pack: Pack, known: Preset, lines: _Lines | None) -> dict[str, Value | None]:
    """The answers `known` with every question that can still change the advice answered, in declaration
    order: asked in that order when `lines` can answer, else "don't know"."""
    given, as_of, pinned = dict(known.answers), known.as_of, dict(known.params)
    number, waiting = 0, _waiting(pack)
    _days_of(pack, given)
    for fact in pack.facts.values():
        if not fact.given_by_user or fact.name in given:
            continue
        deciding = open_questions(pack, given, as_of, pinned, waiting.get(fact.name, [])).get(fact.name)
        if deciding:
            number += 1
            given[fact.name] = _ask(fact, number, deciding, pack, given, known, lines) if lines else None
            _days_of(pack, given)
    return {name: given[name] for name in pack.facts if name in given}


def preset_answers(doc: Document, pack: Pack, as_of: dt.date | None) -> Preset:
    """An answers file (`fact: value`, as under a scenario's facts:, or a whole scenario file) -> the answers, None
    for "don't know" (`fact:` with nothing after it), and the day of the advice: `as_of` (--as-of), else the
    scenario's as_of:, else today; a scenario's params: and title: too. Checked as a scenario is, against the
    pack; every mistake is an InputError at its line in `doc`."""
    if not isinstance(doc.data, dict):
        raise InputError([doc.error(msg("ask_answers_not_mapping", value=quoted(doc.data)))])
    today = dt.date.today()
    if _whole_scenario(doc) and not set(doc.data) & set(pack.facts):
        # a whole scenario (one `advise ask` wrote, say, or one without facts:, or with `facts:` and nothing
        # under it): its facts, and those its timeline sets, answer
        scenario = validate_scenario(doc, pack, today, as_of)
        stated = doc.data.get("facts") or {}
        given = {name: value for name, value in stated.items() if name not in scenario.from_events}
        answers = {name: None if given.get(name, name) is None else scenario.facts.get(name)
                   for name in [*given, *sorted(scenario.from_events)]}
        return Preset(answers, scenario.as_of, "as_of" in doc.data, scenario.params, scenario.title)
    marks = {("facts", *where): mark for where, mark in doc.marks.items()}
    day = as_of or today
    scenario = validate_scenario(Document(doc.path, {"facts": doc.data}, marks), pack, day, day)
    return Preset({name: None if value is None else scenario.facts[name] for name, value in doc.data.items()}, day)


def _whole_scenario(doc: Document) -> bool:
    """Whether an answers file (a mapping) holds a scenario's keys (title:, as_of:, facts: ...)."""
    return bool(set(doc.data) & set(schema("scenario")["properties"]))


def _names_platform(doc: Document) -> bool:
    """Whether an answers file is a whole scenario naming its platform: every key a scenario's, platform: among
    them (a file of answers by name may hold a fact that a pack calls platform)."""
    keys = set(doc.data) if isinstance(doc.data, dict) else set()
    return "platform" in keys and keys <= set(schema("scenario")["properties"])


class _Lines:
    """The lines that answer, counted, and what a wrong one does: at a terminal (`source` None) it is explained
    and asked again; from a script it is an InputError at its line, as the next line answers the next question."""

    def __init__(self, lines: Iterable[str], source: str | None, lang: str, show: Callable[[str], None]):
        self.lines, self.source, self.lang, self.show = iter(lines), source, lang, show
        self.number = 0  # of the line read last, from 1

    def read(self) -> str | None:
        """The next line, or None at the end of the lines."""
        line = next(self.lines, None)
        if line is not None:
            self.number += 1
        return line

    def refuse(self, answer: str, question: Message, problem: Message) -> None:
        """The answer on the line read last does not fit: show why, or stop at the line (InputError)."""
        if self.source is None:
            self.show(rendered(problem, self.lang))
            return
        raise InputError([Diagnostic(self.source, self.number, 1, msg(
            "ask_line_invalid", answer=quoted(answer), question=question, problem=problem))])


# ------------------------------------------------------------------------------------------ relevance

def open_questions(pack: Pack, given: dict[str, Value | None], as_of: dt.date, pinned: dict[str, Value] | None = None,
                   rules: Iterable[Rule] | None = None) -> dict[str, list[Rule]]:
    """Each question not asked yet whose answer can still change the advice -> the rules it can change, by rank.
    `pinned`: the parameter values the scenario pins (params:). `rules`: the rules to look at, by rank (default
    every rule); a question's list then holds those of them only."""
    state = _Partial(pack, given, as_of, pinned or {})
    found: dict[str, list[Rule]] = {}
    for rule in sorted(pack.rules, key=lambda r: r.rank) if rules is None else rules:
        if state.fires(rule) is False:
            continue
        names = state.open_facts_of(rule)
        for name in sorted(shown([rule.message, rule.because]) & pack.facts.keys()):
            names |= state.open_inputs(name)
        for name in names:
            found.setdefault(name, []).append(rule)
    return found


def _waiting(pack: Pack) -> dict[str, list[Rule]]:
    """Each question -> the rules, by rank, whose answer to it can ever matter: those whose condition or texts read
    the fact, directly or through derived facts and the rules that set a fact. Asking open_questions of these only,
    rather than every rule for every question, made `advise ask` take time in proportion to the rules a question
    can change: 10,000 rules took a minute."""
    reached: dict[str, set[str]] = {}  # a fact -> the questions it is worked out from, found once per fact
    for name in pack.facts:
        reached[name] = {found for found in depends_on(pack, [name], through_setters=True)
                         if found in pack.facts and pack.facts[found].given_by_user}
    found: dict[str, list[Rule]] = {}
    for rule in sorted(pack.rules, key=lambda r: r.rank):
        read = {*facts_read(rule.when), *(shown([rule.message, rule.because]) & pack.facts.keys())}
        for question in set().union(*(reached[name] for name in read)):
            found.setdefault(question, []).append(rule)
    return found


class _Partial:
    """What the answers so far decide: fact values (or UNDECIDED), conditions (True, False or None: undecided)."""

    def __init__(self, pack: Pack, given: dict[str, Value | None], as_of: dt.date, pinned: dict[str, Value]):
        self.pack, self.given, self.as_of, self.pinned = pack, given, as_of, pinned
        self.known: dict[str, Value] = {}  # the answers; "don't know" is the default, as in a scenario
        for name, value in given.items():
            value = pack.facts[name].default if value is None else value
            if value is not None:
                self.known[name] = value
        # Each rule is evaluated with the parameter values at the side it takes (side:), as the engine does.
        self.derived_at: dict[tuple, dict[str, Value]] = {}
        self.params, self.derived = self._at({name: p.value for name, p in pack.parameters.items()} | pinned)
        self.chained = {rule.id for rule in pack.rules
                        if rule.sets and any(pack.facts[name].set_by_rules for name in facts_read(rule.when))}
        self.visiting: set[str] = set()  # facts set by rules being evaluated: a cycle stays undecided
        # A derived fact's value and open inputs, once worked out: they depend on the answers only (never on a
        # fact set by rules, R108), and derived facts sharing inputs made the walk exponential in their depth.
        # Keyed by the values derived at the side in use too (_side_of): derived_at keeps each, so its id stays.
        self.derived_value: dict[tuple[int, str], Found] = {}
        self.derived_open: dict[tuple[int, str], set[str]] = {}
        # The value of a fact set by rules outside a cycle, and what a rule's condition and a fact set by rules
        # come to with the facts set by rules being evaluated (`visiting`): each is worked out once per question
        # rather than for every rule that reads it (2,000 rules took 20 s).
        self.set_value: dict[str, Found] = {}
        self.fired: dict[tuple[str, frozenset[str]], bool | None] = {}
        self.set_open: dict[tuple[str, frozenset[str]], set[str]] = {}

    def value(self, name: str) -> Found:
        fact = self.pack.facts[name]
        if fact.given_by_user:
            return self.known.get(name, ABSENT) if name in self.given else UNDECIDED
        if fact.derive is not None:
            key = (id(self.derived), name)
            if key not in self.derived_value:
                inputs = [self.value(arg) for arg in fact.derive.args if arg in self.pack.facts]
                self.derived_value[key] = (ABSENT if any(value is ABSENT for value in inputs) else UNDECIDED
                                            if any(value is UNDECIDED for value in inputs)
                                            else self.derived.get(name, ABSENT))
            return self.derived_value[key]
        return self._set_value(name)

    def _set_value(self, name: str) -> Found:
        """A fact set by rules: the value of a rule setting it that fires, absent when none can, else undecided.
        The same wherever it is asked from outside a cycle through it: the rules evaluated here read no fact set by
        rules (a rule that does counts as undecided, `chained`)."""
        if name in self.visiting:
            return UNDECIDED
        if name not in self.set_value:
            outcomes = [(None if rule.id in self.chained else self.fires(rule), value)
                        for rule in setters(self.pack, name) for fact_name, value in rule.sets if fact_name == name]
            self.set_value[name] = next((value for fired, value in outcomes if fired),
                                        ABSENT if all(fired is False for fired, _ in outcomes) else UNDECIDED)
        return self.set_value[name]

    def _at(self, params: dict[str, Value]) -> tuple[dict[str, Value], dict[str, Value]]:
        key = tuple(params.items())
        if key not in self.derived_at:
            self.derived_at[key] = derive(self.pack, self.known, self.as_of, params)
        return params, self.derived_at[key]

    def fires(self, rule: Rule) -> bool | None:
        # Only the facts set by rules being evaluated (`visiting`) make the outcome differ between two asks.
        key = (rule.id, frozenset(self.visiting))
        if key not in self.fired:
            if (rule.valid_from and self.as_of < rule.valid_from) or (rule.valid_until and self.as_of > rule.valid_until):
                self.fired[key] = False
            else:
                with self._side_of(rule):
                    self.fired[key] = self.holds(rule.when)
        return self.fired[key]

    def holds(self, condition: Condition) -> bool | None:
        return evaluate(condition, self.value, self.params)

    def open_facts_of(self, rule: Rule) -> set[str]:
        """The questions the rule's condition waits for, evaluated at the side the rule takes (side:)."""
        with self._side_of(rule):
            return self.open_facts(rule.when)

    @contextmanager
    def _side_of(self, rule: Rule) -> Iterator[None]:
        """Evaluate with the parameter values at the side the rule takes, as the engine does."""
        outer = self.params, self.derived
        self.params, self.derived = self._at(rule_params(self.pack, rule, self.pinned))
        try:
            yield
        finally:
            self.params, self.derived = outer

    def open_facts(self, condition: Condition) -> set[str]:
        """The questions not asked yet that the undecided parts of the condition wait for."""
        if self.holds(condition) is not None:
            return set()
        if isinstance(condition, Group):
            return set().union(*(self.open_facts(item) for item in condition.items))
        return self.open_inputs(condition.fact)

    def open_inputs(self, name: str) -> set[str]:
        """The questions not asked yet that the fact's value waits for."""
        fact = self.pack.facts[name]
        if name in self.visiting or self.value(name) is not UNDECIDED:
            return set()
        if fact.given_by_user:
            return {name}
        if fact.derive is not None:
            at = (id(self.derived), name)
            if at not in self.derived_open:
                self.derived_open[at] = set().union(*(self.open_inputs(arg) for arg in fact.derive.args
                                                      if arg in self.pack.facts))
            return self.derived_open[at]
        # What the rules setting it wait for depends on the facts set by rules being evaluated (a cycle through
        # one of them stays undecided), and on nothing else that changes while the answers stay the same.
        key = (name, frozenset(self.visiting))
        if key not in self.set_open:
            self.visiting.add(name)
            try:
                self.set_open[key] = set().union(*(self.open_facts_of(rule) for rule in setters(self.pack, name)
                                                   if self.fires(rule) is not False))
            finally:
                self.visiting.discard(name)
        return self.set_open[key]


# ------------------------------------------------------------------------------------------ questions

def _choose_pack(rules: str | Path | None, platform: str | None, lang: str, lines: _Lines | None,
                 show: Callable[[str], None]) -> Pack:
    """The pack to use: asked (after the introduction) only when there is more than one to choose from and
    `lines` can answer; otherwise the one a scenario without platform: gets."""
    if platform is None:
        choices = platforms(rules) or ["crowdworks"]
        default = "crowdworks" if "crowdworks" in choices else choices[0]  # as for a scenario without platform:
        platform = default
        if len(choices) > 1 and lines is not None:
            show(say(lang, "ask_intro"))
            platform = _ask_platform(choices, default, lang, lines, show, rules)
    return pack_named(platform, rules)


def _ask_platform(choices: list[str], default: str, lang: str, lines: _Lines, show: Callable[[str], None],
                  rules: str | Path | None = None) -> str:
    """The platform chosen among `choices` (pack ids): each shown by its pack's own name in `lang` and its id, and
    answered by its number, its id or its name in either language."""
    names = _pack_names(rules, choices)
    show(say(lang, "ask_platform"))
    for number, name in enumerate(choices, 1):
        show(say(lang, "ask_choice", number=str(number), label=say(lang, "ask_platform_choice", id=name,
                                                                    name=names[name].get(lang))))
    show(say(lang, "ask_hint", text=say(lang, "ask_hint_platform", value=default)))
    words = {folded(text.get(other)): name for name, text in names.items() for other in LANGS}
    while True:
        typed = (lines.read() or "").strip()
        answer = _normal(typed)
        if answer.lower() in WHY_WORDS:  # as at every question (ask_intro offers it): what this one decides
            show(say(lang, "ask_why_platform"))
            continue
        if answer.lower() in UNKNOWN_WORDS:
            return default
        picked, problem = _choice(answer, [(name, name) for name in choices], lang, words)
        if problem is None:
            assert isinstance(picked, str)  # one of the platform names offered
            return picked
        lines.refuse(typed, msg("ask_line_platform"), problem)


def _pack_names(rules: str | Path | None, choices: list[str]) -> dict[str, Text]:
    """Each platform's own name (pack.yaml name:), read from its pack.yaml alone: the whole pack is read only
    once chosen. A pack without a pack.yaml that names it in both languages is shown by its id (the pack is
    refused once chosen)."""
    root = Path(rules) if rules is not None else bundled_rules()
    found = {}
    for name in choices:
        try:
            data = read_file(root / name / PACK_FILE).data
        except InputError:  # no pack.yaml, or not YAML: reported once the pack is chosen
            data = None
        text = data.get("name") if isinstance(data, dict) else None
        if isinstance(text, dict) and all(isinstance(text.get(lang), str) for lang in LANGS):
            found[name] = Text(text["ja"], text["en"])
        else:
            found[name] = Text(name, name)
    return found


def platforms(rules: str | Path | None) -> list[str]:
    """The platforms `rules` (one pack, or a folder of packs; default: the bundled ones) has packs for."""
    root = Path(rules) if rules is not None else bundled_rules()
    folders = pack_folders(root)  # one pack: its id; a folder of packs: their folders' names, as scenarios say
    if folders == [root]:
        return [read_pack(str(root))[0].id]
    return [folder.name for folder in folders]


def _ask(fact: Fact, number: int, deciding: list[Rule], pack: Pack, given: dict[str, Value | None],
         known: Preset, lines: _Lines) -> Value | None:
    """One question, asked until the answer fits; None for "don't know" (or the end of the lines)."""
    lang, show, as_of = lines.lang, lines.show, known.as_of
    show("")
    show(say(lang, "ask_question", number=str(number), text=(fact.question or fact.description).get(lang)))
    for index, (label, _) in enumerate(_choices(fact, lang), 1):
        show(say(lang, "ask_choice", number=str(index), label=label))
    limit = _limit(fact, pack, given, as_of)
    show(_hint(fact, limit, lang, _answered_day(fact, given)))
    while True:
        line = lines.read()
        typed = (line or "").strip()
        answer = _normal(typed)
        if answer.lower() in WHY_WORDS:
            show(say(lang, "ask_why"))
            for title in dict.fromkeys(pack.actions[rule.action].get(lang) for rule in deciding):
                show(say(lang, "ask_why_item", action=title))
            continue
        if line is None or answer.lower() in UNKNOWN_WORDS:
            return None
        value, problem = _read_answer(fact, typed, limit, as_of, lang, given)
        if problem is None:
            assert value is not None  # an answer that fits
            problem = _other_day(fact, value, given) or _beyond_limits(pack, given, fact.name, value, as_of,
                                                                       dict(known.params))
        if problem is None:
            return value
        lines.refuse(typed, msg("ask_line_question", number=str(number), name=fact.name), problem)


def _read_answer(fact: Fact, typed: str, limit: Value | None, as_of: dt.date, lang: str,
                 given: dict[str, Value | None]) -> tuple[Value | None, Message | None]:
    """answer_value of `typed`, or, for a time typed alone where the day is known (_time_alone), of that day at
    that time."""
    value, problem = answer_value(fact, typed, limit, as_of, lang)
    moment = _time_alone(fact, typed, given) if problem is not None else None
    return (value, problem) if moment is None else answer_value(fact, moment, limit, as_of, lang)


def _answered_day(fact: Fact, given: dict[str, Value | None]) -> dt.date | None:
    """The date answered for a datetime fact's `day_of:` date fact, or None (not answered, or no such fact)."""
    day = given.get(fact.day_of) if fact.type == "datetime" and fact.day_of is not None else None
    return day if isinstance(day, dt.date) and not isinstance(day, dt.datetime) else None


def _time_alone(fact: Fact, typed: str, given: dict[str, Value | None]) -> str | None:
    """A time of day typed alone (14:30, 2:30 PM, 14時30分) for a datetime fact whose `day_of:` date was answered
    before it, as that day's date and time to read ("2026-11-25 14:30"): the day is known, and retyping it could
    only make it another. None for any other answer, or when the day is not known."""
    day = _answered_day(fact, given)
    if day is None:
        return None
    moment = f"{day.isoformat()} {typed}"
    date_text, clock = split_time(moment)
    return moment if clock is not None and date_text == day.isoformat() else None


def _other_day(fact: Fact, value: Value, given: dict[str, Value | None]) -> Message | None:
    """Why a time answered for a datetime fact with `day_of:` cannot be taken: the date answered before it is
    another day (validate_scenario refuses the two as one moment on two days). None when it fits."""
    day = given.get(fact.day_of) if fact.day_of is not None else None
    if isinstance(value, dt.datetime) and isinstance(day, dt.date) and day != value.date():
        return msg("ask_day_of_differs", date=fact.day_of, date_value=show_plain(day))
    return None


def _days_of(pack: Pack, given: dict[str, Value | None]) -> None:
    """A date fact answered "don't know" (or not asked) whose datetime fact (`day_of:`) has been answered takes its
    day, as a scenario's does, so that the questions after it are asked as for a known date."""
    for fact in pack.facts.values():
        moment = given.get(fact.name)
        if fact.day_of is not None and isinstance(moment, dt.datetime) and given.get(fact.day_of) is None:
            given[fact.day_of] = moment.date()


def answer_value(fact: Fact, typed: str, limit: Value | None, as_of: dt.date,
                 lang: str) -> tuple[Value | None, Message | None]:
    """What one answer (as typed, without surrounding space, not empty) says of `fact`: (value, None), or (None, why
    it does not fit).

    A choice (enum, bool) by its number or its word, with "did you mean" for a near miss; a date or a whole
    number checked as the scenario will be, against `limit` (the largest value at_most allows, if known)."""
    answer = _normal(typed)
    choices = _choices(fact, lang)
    if fact.type == "enum" and (word := fact.read(answer)) is not None:
        return word, None  # an enum value, or its label in either language, in any case and width
    if choices:
        return _choice(answer, choices, lang, fact.words)
    value, problem = _typed(fact, answer, limit, as_of, lang)
    if problem is None or answer == typed:
        return value, problem
    # The refusal quotes the text and names the character out of place: those of the text as typed (「（」 U+FF08),
    # as for a scenario's value, not the ones NFKC made of them ("(" U+0028). The readers fold widths themselves.
    return _typed(fact, typed, limit, as_of, lang)


def _beyond_limits(pack: Pack, given: dict[str, Value | None], answered: str, value: Value, as_of: dt.date,
                   pinned: dict[str, Value]) -> Message | None:
    """Why `value`, the answer to the question of fact `answered`, cannot be taken with the answers `given` (None:
    "don't know"), for a scenario `as_of` with the parameter values `pinned`: a value the pack works out from them
    could not be held, which the scenario is refused for (validate_scenario): a date after 9999-12-31 or before
    0001-01-01 (request_sent_on 9999-12-30 + 14 days), more business days than add_business_days walks, a number
    beyond ±MAX_INT (pro_rata of a fee by itself). None when it fits. Only a value this answer puts out of reach
    counts: one out of reach before it is no fault of this answer."""
    before = _out_of_reach(pack, given, as_of, pinned)
    after = _out_of_reach(pack, {**given, answered: value}, as_of, pinned)
    return next((problem for name, problem in after.items() if name not in before), None)


def _out_of_reach(pack: Pack, answers: dict[str, Value | None], as_of: dt.date,
                  pinned: dict[str, Value]) -> dict[str, Message]:
    """The derived facts that would have no value with these answers (a default for "don't know" and for a
    question not asked, as the scenario will hold them) because they could not be held -> why, dates first."""
    stated = {name: value for name, value in answers.items() if value is not None}
    facts = {name: value for name, fact in pack.facts.items() if fact.given_by_user
             if (value := stated.get(name, fact.default)) is not None}
    found: dict[str, Message] = {}
    for view in views(pack, facts, as_of, pinned):
        for name in beyond_calendar(pack, view, as_of):
            source = date_input(pack, name, facts)
            day = facts.get(source) if source is not None else None
            late = not isinstance(day, dt.date) or day.year > 1  # a date near year 1 falls before it
            found.setdefault(name, msg("ask_after_calendar" if late else "ask_before_calendar", fact=name,
                                       value=show_plain(day) if day is not None else "?"))
        known = {**view.params, **view.facts}
        for name, arg in past_business_days(pack, view, as_of).items():
            found.setdefault(name, msg("ask_business_days_cap", fact=name, value=show_plain(known[arg]),
                                       limit=f"{MAX_BUSINESS_DAYS:,}"))
        for name, number in beyond_range(pack, view, as_of).items():
            found.setdefault(name, msg("ask_above_range" if number > 0 else "ask_below_range", fact=name,
                                       limit=f"{MAX_INT:,}"))
    return found


def _normal(line: str) -> str:
    """Full-width digits and letters (from a Japanese input method) as plain ones, without surrounding space."""
    return unicodedata.normalize("NFKC", line).strip()


def _choices(fact: Fact, lang: str) -> list[tuple[str, Value]]:
    if fact.type == "bool":
        return [(format_value(True, "bool", lang), True), (format_value(False, "bool", lang), False)]
    return [(format_fact(fact, value, lang, beside=True), value) for value in fact.values]


def _limit(fact: Fact, pack: Pack, given: dict[str, Value | None], as_of: dt.date) -> Value | None:
    """The largest value `at_most` allows, when it is known: as_of, or the value of an earlier fact."""
    if fact.at_most == "as_of":
        return as_of
    if fact.at_most is None:
        return None
    value = given.get(fact.at_most)
    return pack.facts[fact.at_most].default if value is None else value


def _hint(fact: Fact, limit: Value | None, lang: str, day: dt.date | None = None) -> str:
    """The line under a question: the form of an answer, its limits (`limit`: at_most's value, if known), what Enter
    gives; for a datetime fact, that a time alone is taken on `day`, its day_of date when that was answered."""
    parts = []
    if fact.type == "date":
        parts.append(say(lang, "ask_hint_date"))
        if limit is not None:
            parts.append(say(lang, "ask_hint_date_limit", limit=format_value(limit, "date", lang)))
    elif fact.type == "datetime":
        parts.append(say(lang, "ask_hint_datetime"))
        if day is not None:  # a time alone is taken on it (_time_alone)
            parts.append(say(lang, "ask_hint_time_alone", date=format_value(day, "date", lang)))
        if limit is not None:
            parts.append(say(lang, "ask_hint_date_limit", limit=format_value(limit, "date", lang)))
    elif fact.type in ("int", "money"):
        parts.append(say(lang, "ask_hint_amount" if fact.currency != "JPY" and fact.type == "money" else "ask_hint_number"))
        if fact.min is not None:
            parts.append(say(lang, "ask_hint_min", min=format_value(fact.min, fact.type, lang, fact.currency)))
        highest = min((as_number(v) for v in (limit, fact.max) if v is not None), default=None)
        if highest is not None:
            parts.append(say(lang, "ask_hint_max", limit=format_value(highest, fact.type, lang, fact.currency)))
    if fact.default is not None:
        parts.append(say(lang, "ask_hint_default", value=format_fact(fact, fact.default, lang, beside=True)))
    else:
        parts.append(say(lang, "ask_hint_unknown"))
    return say(lang, "ask_hint", text=say(lang, "ask_hint_separator").join(parts))


def _choice(answer: str, choices: list[tuple[str, Value]], lang: str,
            typed: dict[str, str] | None = None) -> tuple[Value | None, Message | None]:
    """A numbered choice, by its number or its word (yes/no and はい/いいえ for a bool, in either language; for an
    enum, `typed`: its values and labels, model.Fact.words); a near miss of a word (a typo) is answered with the
    word it may mean."""
    if answer.isascii() and answer.isdigit() and 1 <= int(answer) <= len(choices):
        return choices[int(answer) - 1][1], None
    words: dict[str, Value] = {label.casefold(): value for label, value in choices}
    words.update(typed or {})
    if {True, False} == set(words.values()):
        words.update({word: True for word in YES_WORDS} | {word: False for word in NO_WORDS})
    if answer.casefold() in words:
        return words[answer.casefold()], None
    problem = msg("ask_invalid_choice", count=str(len(choices)),
                  words=say(lang, "range_comma").join(label for label, _ in choices))  # はい、いいえ
    shown_as = {label.casefold(): label for label, _ in choices}
    close = difflib.get_close_matches(answer.casefold(), sorted(words), n=1, cutoff=0.6)
    if close:  # the word as offered (a label in its own case), or a yes/no word
        return None, msg("ask_did_you_mean", name=shown_as.get(close[0], close[0]), problem=problem)
    return None, problem


def _typed(fact: Fact, answer: str, limit: Value | None, as_of: dt.date, lang: str) -> tuple[Value | None, Message | None]:
    """A date or a whole number, checked as the scenario will be: format, min, at_most."""
    if fact.type == "date":  # read as a scenario's date is: 2026-11-10, 2026/11/10, 2026年11月10日
        day, why = read_date(answer, fact.currency)
        if day is None:
            return None, why
        if limit is not None and as_number(day) > as_number(limit):  # at_most: as_of or a date fact
            return None, msg("ask_date_too_late", limit=format_value(limit, "date", lang))
        return day, None
    if fact.type == "datetime":  # 2026-11-30 14:00, as a scenario's
        return _moment(answer, limit, lang)
    # as a scenario's: 50,000, ¥50,000, 5万円; in dollars 250.50, $1,250.50
    value, why = read_amount_for(fact, answer) if fact.type == "money" else read_number(answer, False)
    if value is None:
        return None, why
    low = fact.min if fact.min is not None else -MAX_INT
    high = min(as_number(limit) if limit is not None else MAX_INT, fact.max if fact.max is not None else MAX_INT)
    if value < low:
        return None, msg("ask_number_too_small", min=format_value(low, fact.type, lang, fact.currency))
    if value > high:
        return None, msg("ask_number_too_large", limit=format_value(high, fact.type, lang, fact.currency))
    return value, None


def _moment(answer: str, limit: Value | None, lang: str) -> tuple[Value | None, Message | None]:
    """A datetime answered, checked against its at_most limit: as_of (any time that day) or a datetime fact."""
    moment, why = read_datetime(answer)
    if moment is None:
        return None, why
    if limit is not None and as_number(moment if isinstance(limit, dt.datetime) else date_of(moment)) > as_number(limit):
        return None, msg("ask_date_too_late", limit=format_value(limit, "datetime" if isinstance(limit, dt.datetime)
                                                                 else "date", lang))
    return moment, None


# ------------------------------------------------------------------------------ the scenario and after

_PLAIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_YAML_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false", "null"}  # YAML 1.1 reads these as bool/null


def scenario_text(pack: Pack, given: dict[str, Value | None], as_of: dt.date | None, lang: str, *,
                  params: tuple[tuple[str, Value], ...] = (), title: str | None = None) -> str:
    """The answers as a scenario file: a fact answered "don't know" is written with nothing after it. Without
    `as_of` the file names no date, so its advice is for the day it is run (and its dates stay live). `params`
    (the parameter values pinned) and `title` are written when given."""
    lines = [f"# {say(lang, 'ask_file_comment')}", *([f"title: {_yaml(title)}"] if title is not None else []),
             f"platform: {_yaml(pack.id)}", *([f"as_of: {as_of.isoformat()}"] if as_of is not None else []),
             *(["params:", *(f"  {name}: {_written(pack, name, value)}" for name, value in params)] if params else []),
             "facts:" if given else "facts: {}"]
    unknown = say(lang, "ask_unknown_comment")
    lines += [f"  {name}:  # {unknown}" if value is None else f"  {name}: {_written(pack, name, value)}"
              for name, value in given.items()]
    return "\n".join(lines) + "\n"


def _written(pack: Pack, name: str, value: Value) -> str:
    """A fact's or parameter's value as a scenario writes it: a datetime 2026-11-30 14:00, an amount in dollars
    250.50 (units.amount_text), any other as _yaml writes it."""
    declared = pack.facts.get(name) or pack.parameters.get(name)
    if isinstance(value, dt.datetime):
        return datetime_text(value)
    if declared is not None and declared.type == "money" and isinstance(value, int) and not isinstance(value, bool):
        return amount_text(value, declared.currency)
    return _yaml(value)


def _yaml(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value)
    if _PLAIN_WORD.fullmatch(value) and value.lower() not in _YAML_WORDS:
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a double-quoted YAML string


def _explain_on_request(advice: Advice, lang: str, lines: _Lines, show: Callable[[str], None]) -> None:
    """`how N`, `N` or `how ACTION` shows why a recommendation was given; an empty line or the end of input ends."""
    if not advice.recommendations:
        return
    from .why import why  # runs the engine again for near misses: only when asked

    reasons = None
    show(say(lang, "ask_how_hint"))
    while (line := lines.read()) is not None:
        words = _normal(line).split()
        if not words:
            return
        if len(words) == 2 and words[0].lower() == "how":
            words = words[1:]
        ranks = _ranks(advice, words[0]) if len(words) == 1 else []
        if not ranks:
            lines.refuse(line.strip(), msg("ask_line_how"), _how_help(advice, words))
            continue
        reasons = reasons or why(advice)
        for rank in ranks:
            show(f"{rank}. {advice.recommendations[rank - 1].title.get(lang)}")
            show("\n".join("   " + text for text in trace_lines(reasons.traces[rank - 1], advice, lang)) + "\n")


def _how_help(advice: Advice, words: list[str]) -> Message:
    """What `how` takes, after the action id a mistyped one may mean (how negotiate_with_clent)."""
    problem = msg("ask_how_help", count=str(len(advice.recommendations)))
    actions = {item.rule.action for item in advice.recommendations}
    close = closest(words[0], actions) if len(words) == 1 and not words[0].isdigit() else None
    return msg("ask_did_you_mean", name=close, problem=problem) if close else problem


def _ranks(advice: Advice, name: str) -> list[int]:
    """The recommendations `name` points at: its number in the advice, or an action id (maybe advised twice)."""
    count = len(advice.recommendations)
    if name.isascii() and name.isdigit():
        return [int(name)] if 1 <= int(name) <= count else []
    return [rank for rank, item in enumerate(advice.recommendations, 1) if item.rule.action == name]

