"""Scenario expectations (`expect:`): what `advise test`, the regression tests and `advise SCENARIO` check.

`check_scenario` is the one function that runs a scenario file against its expectations; `advise test`
and the pytest collection of scenarios/ both call it, so a failure reads the same everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, InputError
from .explain import Advice
from .messages import rendered, say
from .model import Pack, Rule
from .pipeline import SetsConflict, advise_file


@dataclass(frozen=True)
class ScenarioResult:
    path: str
    title: str | None
    actions: tuple[str, ...]  # what was recommended, in order
    problems: tuple[str, ...]  # unmet expectations; empty when the scenario passes
    pack: Pack
    rules: frozenset[str]  # ids of the rules whose advice was given

    @property
    def passed(self) -> bool:
        return not self.problems


def unmet(advice: Advice, lang: str = "en") -> list[str]:
    """Sentences for each expectation of the scenario that the advice does not meet."""
    expect = advice.scenario.expect
    if expect is None:
        return []
    got = advice.actions
    wanted = dict.fromkeys(expect.actions + expect.order)  # an action in both is reported missing once
    problems = [say(lang, "expectation_missing", action=a) for a in wanted if a not in got]
    problems += [say(lang, "expectation_unwanted", action=a) for a in expect.not_actions if a in got]
    # order: each action advised must rank below the one listed before it (missing ones are reported above).
    ranked = [a for a in expect.order if a in got]
    problems += [say(lang, "expectation_order", action=above, other=below)
                 for above, below in zip(ranked, ranked[1:]) if got.index(above) > got.index(below)]
    if problems:
        problems.append(say(lang, "expectation_got", actions=", ".join(dict.fromkeys(got)) or say(lang, "nothing")))
    return problems


def check_scenario(path: str | Path, rules: str | Path | None = None, lang: str = "en") -> ScenarioResult:
    """Run one scenario file; raises InputError when it cannot be read or validated. Two rules that set one fact
    to different values for it (pipeline.SetsConflict) fail the scenario, with that as its one problem: the
    scenario is sound, and it is the pack under test that cannot advise on it."""
    try:
        advice = advise_file(path, rules)
    except SetsConflict as conflict:
        if conflict.pack is None:  # always named by advise_document
            raise
        return ScenarioResult(str(path), conflict.title, (), (rendered(conflict.message, lang),), conflict.pack,
                              frozenset())
    return ScenarioResult(str(path), advice.scenario.title, advice.actions, tuple(unmet(advice, lang)), advice.pack,
                          frozenset(r.rule.id for r in advice.recommendations))


@dataclass(frozen=True)
class ScenarioRun:
    results: tuple[ScenarioResult, ...]
    errors: tuple[Diagnostic, ...]  # scenarios that could not be read or validated
    uncovered: tuple[Rule, ...]  # rules of the packs used that no scenario's advice came from

    @property
    def failed(self) -> int:
        return sum(not r.passed for r in self.results)


def scenario_files(paths: list[str]) -> list[Path]:
    """The scenario files named, and every *.yaml below the folders named, in a stable order."""
    found: list[Path] = []
    for path in map(Path, paths):
        found += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")) if path.is_dir() else [path]
    return found


def run_tests(paths: list[str], rules: str | Path | None = None, lang: str = "en") -> ScenarioRun:
    results, errors = [], []
    for path in scenario_files(paths):
        try:
            results.append(check_scenario(path, rules, lang))
        except InputError as error:
            errors += error.diagnostics
    fired = {(r.pack.directory, rule) for r in results for rule in r.rules}
    packs = {r.pack.directory: r.pack for r in results}
    uncovered = tuple(rule for directory, pack in sorted(packs.items()) for rule in pack.rules
                      if (directory, rule.id) not in fired)
    return ScenarioRun(tuple(results), tuple(errors), uncovered)
