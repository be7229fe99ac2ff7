"""`advise check`: every check a rule pack goes through, each with a stable code (docs/checks.md).

The closed registry below lists them all. Codes S… (structure) and R… (references and types) are found
while the pack is read (schema.py, validate.py, compile.py) and are errors: the pack cannot run. Every limit
of the engine a pack can reach at run time has a code of its own, found by compile.py before anything runs
(R109 alternatives, R111 properties, R113 groups; docs/engine.md lists the limits advise keeps out of reach by
construction). Codes L…
are lints run on a pack that can run: warnings about rules that cannot matter.

The lints reason about conditions exactly, without running the engine (advisor/conditions.py): a
conjunction of tests on independent facts is satisfiable when, for each fact, one value passes all its
tests, and it is enough to try the values `conditions.candidates` gives. Derived facts are treated as
independent of their inputs, and a test on a parameter as able to go either way (a scenario may change
the value): both can only hide a finding, never invent one.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .compile import compile_pack
from .conditions import (
    MAX_TERMS,
    Literal,
    Term,
    as_number,
    candidates,
    constants,
    covers,
    depends_on,
    dnf,
    facts_read,
    params_read,
    placeholders,
    satisfiable,
    shown,
)
from .core import core_findings
from .diagnostics import Diagnostic, InputError, Message, about_file, msg, show, shown_path
from .load import bundled_rules, collector_paused, pack_folders, read_file
from .model import ABSENT, LANGS, ORDERED_TYPES, PACK_FILE, Pack, Rule, Value, Where
from .validate import load_pack

LEVELS = ("warning", "error")
Candidates = dict[str, list]  # fact -> values worth trying (conditions.candidates)


@dataclass(frozen=True)
class Check:
    code: str
    name: str
    level: str  # error: the pack cannot run; warning: it runs, but something in it cannot matter
    summary: str
    # (the pack, the values of each fact worth trying: conditions.candidates) -> findings; None: found while the
    # pack is read
    lint: Callable[[Pack, Candidates], Iterable[Diagnostic]] | None = None


def check_packs(target: str | Path) -> list[Diagnostic]:
    """Findings for one pack folder, or for every pack in a folder of packs (load.pack_folders). Raises
    InputError when a file cannot be read at all (not UTF-8, not YAML): that is not a finding but a broken input."""
    folder = Path(target)
    folders = pack_folders(folder)
    if not folders:
        raise InputError([about_file(folder, msg("c_no_pack_here", file=PACK_FILE))])
    named = folders != [folder]  # a folder of packs: a scenario's platform: names a pack by its folder's name
    return sorted(finding for pack in folders
                  for finding in [*_check_pack(pack), *(_named_by_folder(pack) if named else [])])


def _named_by_folder(folder: Path) -> list[Diagnostic]:
    """R108 at pack.yaml's id when a pack in a folder of packs is not in a folder named by its id: a scenario's
    platform: finds the folder by the name and then refuses the pack whose id differs (c_platform_mismatch),
    so no scenario can use the pack. Nothing when pack.yaml has no text id (its own findings say so)."""
    try:
        document = read_file(folder / PACK_FILE)
    except InputError:
        return []  # _check_pack reports it
    pack_id = document.data.get("id") if isinstance(document.data, dict) else None
    if not isinstance(pack_id, str) or pack_id == folder.name:
        return []
    return [document.error(msg("c_pack_folder_name", pack=show(pack_id), folder=show(folder.name)), "id",
                           code="R108")]


@collector_paused()  # see load.collector_paused: checking builds and keeps a large model, and no cycle
def _check_pack(folder: Path) -> list[Diagnostic]:
    try:
        pack = load_pack(folder)
        compile_pack(pack)
    except InputError as error:
        if any(not d.code for d in error.diagnostics):
            raise
        return error.diagnostics
    return lints(pack)


def lints(pack: Pack) -> list[Diagnostic]:
    """The findings of the lints (L2xx) on a pack that can run, in the order of CHECKS."""
    values = candidates(pack, constants(pack), beyond=True)  # worked out once: every test of every rule is read
    return [finding for check in CHECKS.values() if check.lint for finding in check.lint(pack, values)]


def level(finding: Diagnostic) -> str:
    return CHECKS[finding.code].level


# ------------------------------------------------------------------------------------------- lints

def _never_fires(pack: Pack, values: Candidates) -> Iterable[Diagnostic]:
    numbers = _numbers(pack, values)
    for rule in pack.rules:
        terms = dnf(rule.when)
        if terms is not None and not any(_satisfiable(term, values, numbers) for term in terms):
            yield _at(rule.where, msg("c_never_fires", rule=rule.id), "L201")


def _numbers(pack: Pack, values: dict[str, list]) -> dict[str, list[int]]:
    """For each fact compared by order (numbers, dates), the numbers of its candidates (conditions.as_number),
    in order: the candidates present come first and ascending, ABSENT last (conditions.candidates); a fact
    whose candidates are not so is left out, and its candidates are all tried."""
    found = {}
    for name, candidates_of in values.items():
        if pack.facts[name].type in ORDERED_TYPES:
            present = [value for value in candidates_of if value is not ABSENT]
            numbers = [as_number(value) for value in present]
            if candidates_of[:len(present)] == present and numbers == sorted(numbers):
                found[name] = numbers
    return found


def _satisfiable(term: Term, values: dict[str, list], numbers: dict[str, list[int]]) -> bool:
    """conditions.satisfiable, trying for each fact only the candidates within the bounds its comparisons set:
    a fact compared with about 200 constants has some 600 candidates, and trying them in turn for each of
    10,000 rules was most of the time `advise check` took."""
    by_fact: dict[str, list[Literal]] = {}
    for literal in term:
        if not literal.test.param:
            by_fact.setdefault(literal.test.fact, []).append(literal)
    return all(_some_value(found, values[fact], numbers.get(fact)) for fact, found in by_fact.items())


_BOUNDS = ("lt", "lte", "gt", "gte", "eq")


def _some_value(found: list[Literal], values: list, numbers: list[int] | None) -> bool:
    """Whether one of `values` passes all the literals `found` on one fact. A comparison that is not negated
    is false for every value outside its bound and for ABSENT (conditions.compare), so only the candidates
    within every such bound (positions found by bisection in `numbers`) can pass; each is tried as before."""
    low, high = (0, len(values)) if numbers is None else _within_bounds(found, numbers, len(values))
    return any(all(literal.holds(value) for literal in found) for value in values[low:high])


def _within_bounds(found: list[Literal], numbers: list[int], count: int) -> tuple[int, int]:
    """The positions low..high (high excluded) of the `count` candidates that every comparison in `found` that is
    not negated lets through; `numbers`: the ascending numbers of the candidates present, which come first."""
    low, high = 0, count
    for literal in found:
        test = literal.test
        if literal.negated or test.op not in _BOUNDS:
            continue
        try:
            bound = as_number(test.value)
        except TypeError:  # not a number or date: no bound to find, the candidates are tried
            continue
        high = min(high, len(numbers))  # ABSENT, after the numbers, fails a comparison
        if test.op == "eq":  # a number or date equals the value with its number, and no other
            low, high = max(low, bisect.bisect_left(numbers, bound)), min(high, bisect.bisect_right(numbers, bound))
        elif test.op in ("lt", "lte"):
            high = min(high, (bisect.bisect_left if test.op == "lt" else bisect.bisect_right)(numbers, bound))
        else:
            low = max(low, (bisect.bisect_right if test.op == "gt" else bisect.bisect_left)(numbers, bound))
    return low, high


# At most this many suppressors are compared with the rules they suppress by L202 in a whole pack: thousands of
# rules suppressing an action (`suppresses: [an_action]`) would otherwise each be compared with every rule of it.
SHADOW_BUDGET = MAX_TERMS


def _shadowed(pack: Pack, values: Candidates) -> Iterable[Diagnostic]:
    """L202: a rule that one of its suppressors hides whenever the rule fires. Bounded: once SHADOW_BUDGET
    suppressors (in pack order, rule by rule) have been taken for comparison, no more are."""
    suppressors_of = _sure_suppressors(pack)
    budget = SHADOW_BUDGET
    for rule in pack.rules:
        suppressors = suppressors_of.get(rule.id, [])[:budget]
        budget -= len(suppressors)
        terms = dnf(rule.when) if suppressors else None  # expanded only for the rules something suppresses
        if terms is None:
            continue
        live = [term for term in terms if satisfiable(term, values)]
        covering = next((s.id for s in suppressors if _covers(s, live, values)), None)
        if live and covering:
            yield _at(rule.where, msg("c_shadowed", rule=rule.id, by=covering), "L202")


def _sure_suppressors(pack: Pack) -> dict[str, list[Rule]]:
    """Rule id -> the rules that hide it whenever they apply: built once (a scan of every rule per rule was
    quadratic). A rule with dates is left out (outside them it hides nothing), and so is one that another rule
    suppresses: only a shown rule suppresses (pipeline.chain)."""
    hidden = {target for rule in pack.rules for target in rule.suppresses}
    suppressors_of: dict[str, list[Rule]] = {}
    for suppressor in pack.rules:
        if not (suppressor.valid_from or suppressor.valid_until or suppressor.id in hidden):
            for target in suppressor.suppresses:
                suppressors_of.setdefault(target, []).append(suppressor)
    return suppressors_of


def _covers(suppressor: Rule, live: list[Term], values: dict[str, list]) -> bool:
    """Whether the suppressor holds whenever one of the `live` alternatives of a rule does."""
    return bool(covers(suppressor.when, live, values))  # None: too large to decide, so no finding


def _unused_actions(pack: Pack, _: Candidates) -> Iterable[Diagnostic]:
    used = {rule.action for rule in pack.rules}
    for action in pack.actions:
        if action not in used:
            yield _at(pack.declared_at[("action", action)], msg("c_unused_action", action=action), "L203")


def _unused_parameters(pack: Pack, _: Candidates) -> Iterable[Diagnostic]:
    used = {arg for fact in pack.facts.values() if fact.derive for arg in fact.derive.args}
    for rule in pack.rules:
        used.update(params_read(rule.when))
        used.update(shown([rule.message, rule.because]))
    for name in pack.parameters:
        if name not in used:
            yield _at(pack.declared_at[("parameter", name)],
                      msg("c_unused_parameter", parameter=name), "L204")


def _placeholders_differ(pack: Pack, _: Candidates) -> Iterable[Diagnostic]:
    """A value shown in one language's text but not in the other's: readers of one language miss it."""
    texts = [(rule.where, field, text) for rule in pack.rules
             for field, text in (("message", rule.message), ("because", rule.because))]
    texts += [(pack.declared_at[("draft", name)], field, text) for name, draft in pack.drafts.items()
              for field, text in (("subject", draft.subject), ("body", draft.body)) if text]
    for where, field, text in texts:
        found = {lang: set(placeholders(text.get(lang))) for lang in LANGS}
        for lang, other in zip(LANGS, reversed(LANGS)):
            only = sorted(found[lang] - found[other])
            if only:
                yield _at(where, msg("c_placeholders_differ", field=field, lang=lang, other=other,
                                     names=", ".join(f"{{{name}}}" for name in only)), "L205")


def _unused_facts(pack: Pack, _: Candidates) -> Iterable[Diagnostic]:
    """A fact a scenario gives, or a derived one, that nothing reads. Events setting it and other facts'
    at_most: do not read it; facts set by rules are left to the rules that set them."""
    read = {name for rule in pack.rules for name in facts_read(rule.when)}
    read.update(rule.deadline for rule in pack.rules if rule.deadline)
    read |= shown([text for rule in pack.rules for text in (rule.message, rule.because)])
    read |= shown([text for draft in pack.drafts.values() for text in (draft.subject, draft.body)])
    read = depends_on(pack, read)  # a derived fact that is read reads its arguments
    for name, fact in pack.facts.items():
        if name not in read and not fact.set_by_rules:
            yield _at(pack.declared_at[("fact", name)], msg("c_unused_fact", fact=name), "L206")


def _unlabelled(pack: Pack, _: Candidates) -> Iterable[Diagnostic]:
    """An enum fact without labels in a pack that labels its other enum facts: its values are shown as written,
    untranslated, beside labelled ones (model.Fact.labels). A pack that labels none is left alone: labels are
    optional, and such a pack shows every value as written."""
    enums = [fact for fact in pack.facts.values() if fact.type == "enum"]
    if any(fact.labels for fact in enums):
        for fact in enums:
            if not fact.labels:
                yield _at(pack.declared_at[("fact", fact.name)], msg("c_unlabelled", fact=fact.name), "L207")


# At most this many pairs of alternatives are compared by L208 in a whole pack: thousands of rules setting one
# fact by turns would otherwise compare every pair of rules, and every pair of their alternatives.
SETS_PAIR_BUDGET = 16 * MAX_TERMS


def _sets_conflicts(pack: Pack, values: Candidates) -> Iterable[Diagnostic]:
    """Two rules that set one fact to different values and can fire for one scenario: their conditions can hold
    in one run (an alternative of each: _in_one_run) and their dates (valid_from, valid_until) overlap.
    At run time the scenario's advice stops with an error (pipeline.SetsConflict); suppression does not prevent
    it (both fire in the same round). Reported at the second rule in pack order, naming the first that can fire
    with it. Bounded: a pair of rules whose alternatives make more than MAX_TERMS pairs is left out, as
    conditions.covers leaves it out for L202, and once SETS_PAIR_BUDGET pairs are compared no more are."""
    numbers = _numbers(pack, values)
    settable = {name for rule in pack.rules for name, _ in rule.sets}
    terms: dict[str, list[Term] | None] = {}
    budget = SETS_PAIR_BUDGET
    earlier: dict[str, list[tuple[Rule, Value]]] = {}  # the setters of each fact so far, in pack order
    for rule in pack.rules:
        for fact, value in rule.sets:
            setters = earlier.setdefault(fact, [])
            for other, other_value in setters:
                if other_value == value or not _dates_overlap(other, rule):
                    continue
                mine, theirs = _terms(rule, terms), _terms(other, terms)
                if mine is None or theirs is None or len(mine) * len(theirs) > MAX_TERMS:
                    continue  # too large to decide: no finding
                cost = len(mine) * len(theirs)
                budget -= cost
                if budget < 0:
                    return
                found = _in_one_run((rule, mine), (other, theirs), values, numbers, settable)
                if found is not None:
                    yield _at(rule.where, _sets_message(found, rule, fact, value, other, other_value), "L208")
                    break
            setters.append((rule, value))


# How two rules can fire in one run (_in_one_run): in one round, or (the rule that fires first, the fact it
# sees not set yet, the rule that fires once it is set)
Together = tuple[()] | tuple[Rule, str, Rule]


def _in_one_run(mine: tuple[Rule, list[Term]], theirs: tuple[Rule, list[Term]], values: Candidates,
                numbers: dict[str, list[int]], settable: set[str]) -> Together | None:
    """Whether an alternative of each rule (rule, its alternatives) can hold in one run: both in one round
    (satisfiable together: ()), else one in a round before the other (_before). None when neither."""
    pairs = [(one, two) for one in mine[1] for two in theirs[1]]
    if any(_satisfiable(one + two, values, numbers) for one, two in pairs):
        return ()
    for one, two in pairs:
        for (early, early_term), (late, late_term) in (((mine[0], one), (theirs[0], two)),
                                                       ((theirs[0], two), (mine[0], one))):
            unset = _before(early_term, late_term, values, numbers, settable)
            if unset:
                return early, unset, late
    return None


def _before(early: Term, late: Term, values: Candidates, numbers: dict[str, list[int]],
            settable: set[str]) -> str | None:
    """The first fact rules set that `early` can see not set yet while `late`, in a later round of the same run,
    sees it set; None when the two alternatives cannot hold so. A fact no rule sets keeps one value for the whole
    run: one value passes both alternatives' tests on it. A fact rules set is absent until a rule sets it and
    then keeps that value: `early` sees the value `late` sees, or sees it absent, and so for every such fact at
    once (a rule cannot fire both before and after the other). Facts are otherwise taken as independent of each
    other: that can only report rules that cannot fire so, never miss some that can."""
    if not _satisfiable([literal for literal in early + late if literal.test.fact not in settable], values, numbers):
        return None
    unset = None
    for fact in dict.fromkeys(literal.test.fact for literal in early + late if literal.test.fact in settable):
        same = _same_or_unset(fact, early, late, values, numbers)
        if same is None:
            return None
        unset = unset or (None if same else fact)
    return unset


def _same_or_unset(fact: str, early: Term, late: Term, values: Candidates, numbers: dict[str, list[int]]) -> bool | None:
    """How `early` and `late` can see a fact rules set: True with one value, False only `early` with the fact
    absent and `late` with a value, None neither."""
    ours = [literal for literal in early if literal.test.fact == fact and not literal.test.param]
    theirs = [literal for literal in late if literal.test.fact == fact and not literal.test.param]
    if _some_value(ours + theirs, values[fact], numbers.get(fact)):
        return True
    if all(literal.holds(ABSENT) for literal in ours) and _some_value(theirs, values[fact], numbers.get(fact)):
        return False
    return None


def _sets_message(found: Together, rule: Rule, fact: str, value: Value, other: Rule, other_value: Value) -> Message:
    """L208's message for `rule` setting `fact` to `value` and `other` setting it to `other_value`, `found` as
    _in_one_run gives it: with the rule that fires first and the fact not set yet then, when they fire apart."""
    names = {"rule": rule.id, "fact": fact, "value": show(value), "other": other.id, "where": _place(other),
             "other_value": show(other_value)}
    if not found:
        return msg("c_sets_may_conflict", **names)
    early, unset, late = found
    return msg("c_sets_may_conflict_unset", **names, early=early.id, unset=unset, late=late.id)


def _terms(rule: Rule, found: dict[str, list[Term] | None]) -> list[Term] | None:
    """The rule's condition as alternatives (conditions.dnf), expanded once per rule."""
    if rule.id not in found:
        found[rule.id] = dnf(rule.when)
    return found[rule.id]


def _dates_overlap(one: Rule, two: Rule) -> bool:
    """Whether some as_of is within the dates of both rules (valid_from, valid_until; either may be left out)."""
    starts = [rule.valid_from for rule in (one, two) if rule.valid_from]
    ends = [rule.valid_until for rule in (one, two) if rule.valid_until]
    return not starts or not ends or max(starts) <= min(ends)


def _core_vocabulary(pack: Pack, _: Candidates) -> Iterable[Diagnostic]:
    """L209: a core fact or event (rules/core.yaml) the pack leaves out or declares differently (core.py). A pack
    outside advise's own folder of packs that declares none of the core has a vocabulary of its own: nothing."""
    return core_findings(pack, bundled=Path(pack.directory).resolve().parent == bundled_rules().resolve())


CHECKS: dict[str, Check] = {check.code: check for check in (
    Check("S001", "structure", "error", "a file does not fit its schema: unknown key, missing key, wrong kind of value"),
    Check("S002", "missing-language", "error", "a text lacks its ja or en version"),
    Check("S003", "missing-source", "error", "a rule or parameter cites no source"),
    Check("R101", "duplicate-id", "error", "two rules have the same id"),
    Check("R102", "unknown-fact", "error", "a name used as a fact is not declared in facts.yaml (or not settable)"),
    Check("R103", "unknown-action", "error", "a rule recommends an action not declared in pack.yaml"),
    Check("R104", "unknown-parameter", "error", "{param: NAME} names no parameter in parameters.yaml"),
    Check("R105", "unknown-source", "error", "a source id not declared in pack.yaml"),
    Check("R106", "type-mismatch", "error",
          "a value that cannot be a value of its fact: a date against a number, a word outside the enum"),
    Check("R107", "unknown-placeholder", "error", "a {placeholder} in a text that no fact or parameter provides"),
    Check("R108", "invalid-declaration", "error",
          "a declaration that contradicts another: a rule suppressing itself, a derived fact with a default, ..."),
    Check("R109", "too-complex", "error",
          "a condition expands to more than 47 alternatives, more than the engine can match at once"),
    Check("R110", "side", "error",
          "a rule depends on a parameter with several values (values:) without saying which it takes (side:)"),
    Check("R111", "too-many-properties", "error",
          "the facts and suppressed rules of the pack need more than the 253 values the engine takes at once"),
    Check("R112", "sets-cycle", "error",
          "a rule depends on a fact it sets (sets:), directly or through other rules: it would fire or not by turns"),
    Check("R113", "too-many-groups", "error",
          "a condition holds more than 15 groups (all, any, in, not) once compiled, more than the engine takes in one rule"),
    Check("R114", "suppress-cycle", "error",
          "rules suppress each other in a loop (suppresses:): when they all apply, none of them is shown"),
    Check("L201", "never-fires", "warning", "a rule whose condition can never hold (x < 5 and x > 10)", _never_fires),
    Check("L202", "shadowed", "warning", "a rule that another rule always suppresses when it fires", _shadowed),
    Check("L203", "unused-action", "warning", "an action that no rule recommends", _unused_actions),
    Check("L204", "unused-parameter", "warning", "a parameter that no rule, text or derived fact uses", _unused_parameters),
    Check("L205", "placeholders-differ", "warning", "a text shows a {value} in one language but not in the other",
          _placeholders_differ),
    Check("L206", "unused-fact", "warning", "a fact that no rule, text, draft or derived fact reads", _unused_facts),
    Check("L207", "unlabelled-enum", "warning", "an enum fact without labels in a pack whose other enum facts have them",
          _unlabelled),
    Check("L208", "sets-conflict", "warning",
          "two rules that can fire for one scenario set a fact to different values (sets:)", _sets_conflicts),
    Check("L209", "core-vocabulary", "warning",
          "a core fact or event (rules/core.yaml) that the pack leaves out or declares differently", _core_vocabulary),
)}


# ------------------------------------------------------------------------------------------- helpers

def _at(where: Where, message: Message, code: str) -> Diagnostic:
    return Diagnostic(where.path, where.line, where.column, message, code)


def _place(rule: Rule) -> str:
    """`path:line` of a rule, for a message that names it."""
    return f"{shown_path(rule.where.path)}:{rule.where.line}"
