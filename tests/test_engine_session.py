"""Each registered ruleset keeps one session, reused by every evaluation (docs/engine.md, "One evaluation"): an
evaluation must answer exactly as a new session would, whatever came before it, a failed evaluation included,
and leave nothing in the session."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from advisor import engine
from advisor.compile import MARK
from advisor.diagnostics import InputError
from advisor.load import read_file
from advisor.pipeline import advise_document, pack_for

ROOT = Path(__file__).parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*/*.yaml"))
TODAY = dt.date(2026, 11, 25)


def _advice(path: Path) -> list[str] | str:
    """The ids of the recommended rules, in order (or the error's text, for a scenario advise refuses)."""
    try:
        return [r.rule.id for r in advise_document(read_file(path), None, TODAY).recommendations]
    except InputError as error:
        return str(error)


def _session_contents() -> list[tuple[str, str, str]]:
    """What every kept session holds besides its own state: its facts and its pending events (as durable lists
    them, JSON text)."""
    host = engine._host()
    return [(name, host.get_facts(ruleset.handle, engine.SID), host.get_events(ruleset.handle, engine.SID))
            for name, ruleset in engine._RULESETS.values()]


def test_kept_sessions_answer_every_scenario_as_new_ones_would_even_after_a_failure():
    assert len(SCENARIOS) > 100
    fresh = {}
    for path in SCENARIOS:  # each in rulesets registered for it alone: new sessions
        engine.clear()
        fresh[path] = _advice(path)
    assert sum(isinstance(ids, list) and len(ids) > 0 for ids in fresh.values()) > 100
    pack, compiled = pack_for(read_file(SCENARIOS[0]), None)
    for _ in range(2):  # every scenario in a row, in kept sessions, twice over
        for index, path in enumerate(SCENARIOS):
            assert _advice(path) == fresh[path], path
            if index % 25 == 0:  # a fact the engine refuses (error 302) fails in the sessions scenarios share
                with pytest.raises(engine.EngineError, match="302"):
                    engine.run(compiled.shards, {f"x{n}": 1 for n in range(300)})
    assert all((facts, events) == ("[]", "[]") for _, facts, events in _session_contents())


def test_a_retracted_fact_leaves_nothing_in_the_session(tmp_path):
    _advice(SCENARIOS[0])
    contents = _session_contents()
    assert contents and all((facts, events) == ("[]", "[]") for _, facts, events in contents)
    # ... and the engine's own state is the session's alone: no property of an asserted fact stays in it.
    host = engine._host()
    for _, ruleset in engine._RULESETS.values():
        assert json.loads(host.get_state(ruleset.handle, engine.SID)).keys() == {"sid", "id", "$s"}
        assert MARK not in host.get_state(ruleset.handle, engine.SID)


def test_a_failed_evaluation_frees_its_ruleset_and_the_next_registers_it_afresh():
    pack, compiled = pack_for(read_file(SCENARIOS[0]), None)
    expected = _advice(SCENARIOS[0])
    live = engine._LIVE[0]
    first = compiled.shards[0].key
    with pytest.raises(engine.EngineError, match="302"):
        engine.run(compiled.shards, {f"x{n}": 1 for n in range(300)})
    assert first not in engine._RULESETS and engine._LIVE[0] == live - 1  # the shard it failed in, freed
    assert _advice(SCENARIOS[0]) == expected
    assert first in engine._RULESETS and engine._LIVE[0] == live
