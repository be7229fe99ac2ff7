"""Scenario expectations (`expect:`): what the regression tests and `advise SCENARIO` check.

`check_scenario` is the one function that runs a scenario file against its expectations; the pytest
collection of scenarios/ calls it, so a failure reads the same everywhere.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .explain import Advice
from .pipeline import advise_file
from .render import say


@dataclass(frozen=True)
class ScenarioResult:
    path: str
    title: str | None
    actions: tuple[str, ...]  # what was recommended, in order
    problems: tuple[str, ...]  # unmet expectations; empty when the scenario passes

    @property
    def passed(self) -> bool:
        return not self.problems


def unmet(advice: Advice, lang: str = "en") -> list[str]:
    """Sentences for each expectation of the scenario that the advice does not meet."""
    expect = advice.scenario.expect
    if expect is None:
        return []
    got = advice.actions
    problems = [say(lang, "expectation_missing", action=a) for a in expect.actions if a not in got]
    problems += [say(lang, "expectation_unwanted", action=a) for a in expect.not_actions if a in got]
    if problems:
        problems.append(say(lang, "expectation_got", actions=", ".join(dict.fromkeys(got)) or say(lang, "nothing")))
    return problems


def check_scenario(path: str | Path, rules: str | Path | None = None, today: dt.date | None = None) -> ScenarioResult:
    """Run one scenario file; raises InputError when it cannot be read or validated."""
    advice = advise_file(path, rules, today)
    return ScenarioResult(str(path), advice.scenario.title, advice.actions, tuple(unmet(advice)))
