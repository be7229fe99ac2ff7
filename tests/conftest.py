"""Commands run without --lang follow the locale: tests run in an English one, whatever the machine's. The pack
cache (advisor/cache.py) is a folder of this run's own, so that tests never read or write the user's: set in the
environment before any test module is collected (some read a pack as they are imported), and inherited by every
`advise` a test runs as a process."""
import os
import shutil
import tempfile

import pytest


def pytest_configure(config):
    config.advise_cache = tempfile.mkdtemp(prefix="advise-cache-")
    os.environ["ADVISE_CACHE_DIR"] = config.advise_cache
    os.environ.pop("ADVISE_NO_CACHE", None)


def pytest_unconfigure(config):
    shutil.rmtree(config.advise_cache, ignore_errors=True)


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
