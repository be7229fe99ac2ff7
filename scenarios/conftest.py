"""Every scenarios/**/*.yaml is a test case: its `expect:` must hold.

A failure reads as the scenario's path, its title and what was expected versus recommended, not as a
traceback. The check itself is advisor.expect.check_scenario, the same function the CLI uses.
"""
from __future__ import annotations

import pytest

from advisor.diagnostics import InputError
from advisor.expect import check_scenario


def pytest_collect_file(parent, file_path):
    if file_path.suffix == ".yaml":
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self):
        yield ScenarioItem.from_parent(self, name=self.path.stem)


class ScenarioFailed(Exception):
    pass


class ScenarioItem(pytest.Item):
    def runtest(self) -> None:
        try:
            result = check_scenario(self.path)
        except InputError as error:
            raise ScenarioFailed("\n".join(map(str, error.diagnostics))) from None
        if not result.passed:
            raise ScenarioFailed("\n".join([result.title or "(untitled)", *result.problems]))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioFailed):
            return f"{self.path}\n{excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"scenario {self.path.name}"
