"""Commands run without --lang follow the locale: tests run in an English one, whatever the machine's."""
import pytest


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
