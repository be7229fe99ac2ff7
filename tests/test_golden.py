"""Exact output for a few scenarios, in both languages and both formats.

After a deliberate change to the output or the pack, regenerate and review the diff (tests/goldens.py):
    ADVISE_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from goldens import assert_golden

from advisor.cli import main

ROOT = Path(__file__).parent.parent
SCENARIOS = [
    "seed-rejected-half-delivered",  # partial pay with an amount, rejection
    "wait-13-days-after-request",  # a date, days left, and the disputed 14-day note
    "seed-threatened-sue-unless-finished",  # threats first
    "cw12-hourly-end-request",  # hourly contract
    "contact-prompt-before-holiday-weekend",  # business days past a Japanese holiday, with days left
]
CASES = [(name, lang, fmt) for name in SCENARIOS for lang in ("ja", "en") for fmt in ("text", "json")]


@pytest.mark.parametrize("name, lang, fmt", CASES, ids=[f"{n}-{l}-{f}" for n, l, f in CASES])
def test_output_matches_golden(name, lang, fmt, monkeypatch):
    monkeypatch.chdir(ROOT)  # the JSON output shows the scenario path as given
    scenario = f"scenarios/crowdworks/{name}.yaml"
    result = CliRunner().invoke(main, ["--lang", lang, "--format", fmt, scenario])
    assert (result.exit_code, result.stderr) == (0, "")
    assert_golden(f"{name}.{lang}.{'json' if fmt == 'json' else 'txt'}", result.stdout)


EXPLAINED = [("auto-ended-14-days-after-request", lang, fmt) for lang in ("ja", "en") for fmt in ("text", "json")]


@pytest.mark.parametrize("name, lang, fmt", EXPLAINED, ids=[f"{n}-{l}-{f}-explain" for n, l, f in EXPLAINED])
def test_explained_output_matches_golden(name, lang, fmt, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["--explain", "--lang", lang, "--format", fmt, f"scenarios/crowdworks/{name}.yaml"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert_golden(f"{name}.explain.{lang}.{'json' if fmt == 'json' else 'txt'}", result.stdout)
