"""Stage 5, run: the only module that talks to durable_rules.

The engine decides which rules fire; this module only feeds it and records what it reports. How it is
driven follows what was measured of durable_rules 2.0.28 (docs/engine.md):
- a Host whose background timer threads never start (they steal actions and crash on deletes);
- one fresh session id per evaluation and shard, deleted afterwards, so nothing carries over from one
  scenario to the next; the sentinel rule guarantees the session has fired before it is deleted
  (deleting a session where nothing fired crashes the process);
- actions are plain one-argument functions that only record a name (the engine treats a two-argument
  function as asynchronous and stops the agenda when it does not call back);
- a rule reported twice (the engine fires `$or` once per matching branch) counts once;
- durable's Python layer abandons the rest of a session's agenda, silently, when an action's wall-clock
  time (datetime.now(), from the moment durable hands the action over until it returns) exceeds 10 s, as
  when the process is stopped (Ctrl-Z, SIGSTOP, a suspended laptop) or the clock jumps forward: each action
  takes its start time out of that comparison, and an assert that did not run its agenda to the end (it
  returns no state) is an EngineError, never partial advice;
- rulesets are registered once per distinct shard and kept in a bounded least-recently-used cache: beyond
  RULESET_BUDGET (an estimate of their C memory) the oldest are removed from the Host and freed from durable
  (`delete_ruleset`), so memory stays flat over any number of scenario `params:`.

durable_rules 2.0.28 calls `PyEval_CallObject`, which CPython 3.13 removed: it is built with
`CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject` (README, pyproject.toml for uv). A copy built without
it fails to import, and advise then says which command rebuilds it (EngineUnavailable) instead of a
traceback. durable calls `datetime.utcfromtimestamp`, deprecated since 3.12, on every action: that warning
is silenced around the calls into durable only, so advise's own warnings still show.
"""
from __future__ import annotations

import importlib.util
import itertools
import logging
import math
import shlex
import signal
import sys
import threading
import warnings
from collections import OrderedDict
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
# durable logs every exception raised in an action, a Ctrl-C included, with its traceback, through Python's
# last-resort handler onto stderr; advise reports each failure itself (EngineError, or one line for Ctrl-C).
logging.getLogger("durable").disabled = True

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

        def unregister(self, name: str) -> None:
            """Remove the ruleset `name` from this Host and free it in durable. Its sessions go with it (the
            C ruleset owns them); nothing may use the name or the ruleset afterwards."""
            ruleset = self._ruleset_directory.pop(name)
            self._ruleset_list.remove(ruleset)
            _durable.durable_rules_engine.delete_ruleset(ruleset._handle)


_LOCK = threading.Lock()  # one evaluation at a time: the recorder below is shared by the bound actions
_SESSIONS = itertools.count(1)
_NAMES = itertools.count(1)  # a name is never given twice, even after its ruleset is freed
_HOST: _QuietHost | None = None
# Each distinct shard is registered once, under a name of its own, and kept while it is among the most
# recently used: shard key -> (ruleset name, [current evaluation's firings]), oldest first.
_RULESETS: OrderedDict[str, tuple[str, list[list[str]]]] = OrderedDict()
_WEIGHTS: dict[str, int] = {}  # shard key -> its estimated size in RULESET_BUDGET's unit
_WEIGHT = 0  # the sum of _WEIGHTS
# The registered rulesets' estimated C memory, in rules: measured, a ruleset costs about 64 KiB plus 8 KiB
# per rule, so it weighs 8 + its rule count and 8,192 is about 64 MiB (a pack of 7,000 rules still fits; a
# scenario pinning parameters adds only the shards whose tests use them).
RULESET_BUDGET = 8192
RULESET_OVERHEAD = 8


def run(shards: Iterable[Shard], facts: dict) -> list[str]:
    """Assert one fact holding `facts` into every shard; the names of the rules that fired, each once."""
    return run_counted(shards, facts)[0]


def run_counted(shards: Iterable[Shard], facts: dict) -> tuple[list[str], int]:
    """`run`, and how many times the engine called back into Python (a rule fires once per alternative of its
    condition that matches): each call decodes the fact anew, which makes it the larger part of a run's cost
    when many rules fire (measured: about 0.1 ms for a fact of 200 properties)."""
    fired: dict[str, None] = {}  # insertion-ordered, each name once
    firings = 0
    with _LOCK, _quiet_durable(), _ctrl_c_held():
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
            if not isinstance(state, dict):  # durable abandoned the agenda (its 10 s rule): rules are missing
                raise EngineError("durable_rules stopped before every matching rule had run")
            if state.get("exception"):
                raise EngineError(f"a rule action failed inside durable_rules: {state['exception']}")
            if SENTINEL not in recorder[0]:
                raise EngineError("durable_rules did not process the facts (the sentinel rule did not fire)")
            fired.update(dict.fromkeys(recorder[0]))
            firings += len(recorder[0])
    fired.pop(SENTINEL, None)
    return list(fired), firings


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Ctrl-C (SIGINT) held while durable runs, and raised as KeyboardInterrupt once it returns: raised inside
    durable's callback, durable would catch it and report it as a failed action (exit 3). An evaluation takes
    milliseconds (a 10,000-rule pack: under a second), so the wait is not felt. Only in the main thread, the
    one Python delivers signals to."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    held: list[int] = []
    signal.signal(signal.SIGINT, lambda number, frame: held.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if held:
            raise KeyboardInterrupt from None


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
    """The registered ruleset of `shard` (registering it, and freeing the least recently used ones beyond
    RULESET_BUDGET): (its name, its recorder). Called with _LOCK held, between sessions, so a freed ruleset
    has no session in use; its name is forgotten with it and never given again."""
    if shard.key in _RULESETS:
        _RULESETS.move_to_end(shard.key)
        return _RULESETS[shard.key]
    global _WEIGHT
    weight = RULESET_OVERHEAD + len(shard.definition)
    while _RULESETS and _WEIGHT + weight > RULESET_BUDGET:
        oldest, (old_name, _) = _RULESETS.popitem(last=False)
        _WEIGHT -= _WEIGHTS.pop(oldest)
        host.unregister(old_name)
    name = f"advise_{next(_NAMES)}"  # no "$": durable gives "$state"/"$flow" names a meaning
    recorder: list[list[str]] = [[]]
    # The engine deletes `run` from what it is given: each rule gets a fresh dict.
    rules = {rule: {**body, "run": _recording(recorder, rule)} for rule, body in shard.definition.items()}
    try:
        host.register_rulesets({name: rules})
    except Exception as error:
        raise EngineError(f"durable_rules refused the compiled rules: {error}") from None
    _RULESETS[shard.key] = (name, recorder)
    _WEIGHTS[shard.key] = weight
    _WEIGHT += weight
    return name, recorder


def _recording(recorder: list[list[str]], rule: str):
    def action(context) -> None:  # exactly one parameter: see the module docstring
        # durable drops the rest of the agenda when now - context._start_time > 10 s once this returns
        # (Closure._has_completed): a stall or a clock jump while the action runs must not count.
        context._start_time = math.inf
        recorder[0].append(rule)
    return action
