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

durable_rules 2.0.28 calls `PyEval_CallObject`, which CPython 3.13 removed: it is built with
`CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject` (README, pyproject.toml for uv). A copy built without
it fails to import, and advise then says which command rebuilds it (EngineUnavailable) instead of a
traceback. durable calls `datetime.utcfromtimestamp`, deprecated since 3.12, on every action: that warning
is silenced around the calls into durable only, so advise's own warnings still show.
"""
from __future__ import annotations

import importlib.util
import itertools
import shlex
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Iterable

from .compile import MARK, SENTINEL, Shard
from .diagnostics import Message, msg

try:
    from durable import engine as _durable
except ImportError as error:  # a durable_rules built without the flag above: undefined symbol PyEval_CallObject
    _durable = None
    _IMPORT_ERROR = str(error)

# What rebuilds durable_rules so that it imports on every CPython advise supports (3.10 and later).
BUILD_FLAGS = "CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject"
DURABLE = "durable-rules==2.0.28"


class EngineError(RuntimeError):
    """The engine failed on input that validation let through: a bug in advise, not in the user's files."""


class EngineUnavailable(EngineError):
    """durable_rules cannot be imported: an installation to repair, not a bug. `message` says how (catalog key
    engine_unavailable, with the import error as `reason` and the command that rebuilds it as `command`)."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.key)
        self.message = message


def reinstall_command(python: str | None = None, with_pip: bool | None = None) -> str:
    """The shell command that rebuilds durable_rules for `python` (default: the running interpreter) with the
    build flag, never reusing a wheel cached from a build without it. pip when that environment has pip
    (`with_pip`, default: whether the running one has), else uv, whose environments have none."""
    exe = shlex.quote(python or sys.executable)
    if with_pip is None:
        with_pip = importlib.util.find_spec("pip") is not None
    if with_pip:
        return f"{BUILD_FLAGS} {exe} -m pip install --force-reinstall --no-deps --no-cache-dir {DURABLE}"
    return f"{BUILD_FLAGS} uv pip install --python {exe} --reinstall --no-deps --no-cache {DURABLE}"


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
    with _LOCK, _quiet_durable():
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


@contextmanager
def _quiet_durable() -> Iterator[None]:
    """Silence durable's own utcfromtimestamp DeprecationWarning (CPython 3.12+), raised from durable.engine only."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"datetime\.datetime\.utcfromtimestamp\(\) is deprecated",
                                DeprecationWarning, r"durable\.")
        yield


def _host() -> _QuietHost:
    global _HOST
    if _durable is None:
        raise EngineUnavailable(msg("engine_unavailable", reason=_IMPORT_ERROR, command=reinstall_command()))
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
