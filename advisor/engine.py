"""Stage 5, run: the only module that talks to durable_rules.

The engine decides which rules fire; this module only feeds it and records what it reports. How it is
driven follows what was measured of durable_rules 2.0.28 (docs/engine.md):
- a Host whose background timer threads never start (they steal actions and crash on deletes);
- one fresh session id per evaluation and shard, deleted afterwards, so nothing carries over from one
  scenario to the next; the sentinel rule guarantees the session has fired before it is deleted
  (deleting a session where nothing fired crashes the process);
- actions are plain one-argument functions that only record a name (the engine treats a two-argument
  function as asynchronous and stops the agenda when it does not call back);
- a rule reported twice (the engine fires `$or` once per matching branch) counts once.
"""
from __future__ import annotations

import itertools
import threading
from typing import Iterable

from .compile import MARK, SENTINEL, Shard

try:
    from durable import engine as _durable
except ImportError as error:  # e.g. CPython 3.13: the C module builds but cannot be imported
    _durable = None
    _IMPORT_ERROR = str(error)


class EngineError(RuntimeError):
    """The engine failed on input that validation let through: a bug in advise, not in the user's files."""


if _durable is not None:  # else _host() says why there is no engine, before any _QuietHost is made
    class _QuietHost(_durable.Host):
        def _run(self) -> None:
            """Start no background timers: everything here is synchronous."""


_LOCK = threading.Lock()  # one evaluation at a time: the recorder below is shared by the bound actions
_SESSIONS = itertools.count(1)
_HOST: _QuietHost | None = None
# A ruleset cannot be registered twice or removed, so each distinct shard is registered once per process,
# under a name of its own: shard key -> (ruleset name, [current evaluation's firings]).
_RULESETS: dict[str, tuple[str, list[list[str]]]] = {}


def run(shards: Iterable[Shard], facts: dict) -> list[str]:
    """Assert one fact holding `facts` into every shard; the names of the rules that fired, each once."""
    fired: list[str] = []
    with _LOCK:
        host = _host()
        for shard in shards:
            name, recorder = _ruleset(host, shard)
            recorder[0] = []
            sid = str(next(_SESSIONS))
            try:
                state = host.assert_fact(name, {**facts, MARK: 1, "sid": sid})
            except Exception as error:  # the engine reports its limits as bare exceptions with a code
                raise EngineError(f"durable_rules refused the facts: {error}") from None
            finally:
                if SENTINEL in recorder[0]:
                    host.delete_state(name, sid)
                # else: nothing fired, and deleting would crash; the session is left (never reused)
            if isinstance(state, dict) and state.get("exception"):
                raise EngineError(f"a rule action failed inside durable_rules: {state['exception']}")
            if SENTINEL not in recorder[0]:
                raise EngineError("durable_rules did not process the facts (the sentinel rule did not fire)")
            fired.extend(name for name in recorder[0] if name != SENTINEL and name not in fired)
    return fired


def _host() -> _QuietHost:
    global _HOST
    if _durable is None:
        raise EngineError(f"durable_rules cannot be imported ({_IMPORT_ERROR}); "
                          "advise runs on CPython 3.10, 3.11 and 3.12")
    if _HOST is None:
        _HOST = _QuietHost()
    return _HOST


def _ruleset(host: _QuietHost, shard: Shard) -> tuple[str, list[list[str]]]:
    if shard.key not in _RULESETS:
        name = f"advise_{len(_RULESETS) + 1}"  # no "$": durable gives "$state"/"$flow" names a meaning
        recorder: list[list[str]] = [[]]
        # The engine deletes `run` from what it is given: each rule gets a fresh dict.
        rules = {rule: {**body, "run": _recording(recorder, rule)} for rule, body in shard.definition.items()}
        try:
            host.register_rulesets({name: rules})
        except Exception as error:
            raise EngineError(f"durable_rules refused the compiled rules: {error}") from None
        _RULESETS[shard.key] = (name, recorder)
    return _RULESETS[shard.key]


def _recording(recorder: list[list[str]], rule: str):
    def action(context) -> None:  # exactly one parameter: see the module docstring
        recorder[0].append(rule)
    return action
