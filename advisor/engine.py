"""Stage 5, run: the only module that talks to durable_rules.

The engine decides which rules fire; this module only feeds it and records what it reports. It calls the C
core of durable_rules 2.0.28 (`durable_rules_engine`) directly, the way durable's own Python layer does
(`durable/engine.py`: Ruleset and Host), without that layer: the layer (a Closure, a Promise, the state
decoded and encoded again, two clock readings per firing) cost more than the engine itself, and a fresh
session costs time in proportion to the rules of its ruleset. Measured (benchmarks/bench.py, the CrowdWorks
scenarios in rotation, a busy 2-core machine), a whole advice took 3.7 ms through the Host with a new session
per shard and takes 1.9 to 2.3 ms (advise / bare durable through the Host: 0.20 to 0.29x before, 0.72 to 0.83x
after); an advice on the generated 10,000-rule pack in a warm process took 220 to 1,170 ms and takes about 50 ms
(two rounds of asserts into its 352 shards, about 12 ms a round in the engine itself, and the texts of its 1,526
recommendations). What was
measured of durable_rules shapes every step (docs/engine.md):
- each distinct shard is registered once (`create_ruleset`, its definition as JSON) and keeps **one session**
  (sid "0") for its whole life: an evaluation asserts the fact into it (`assert_fact`), takes every action
  the engine hands over (`start_action_for_state`, then `complete_and_start_action` until there is none),
  and retracts the same fact (`retract_fact`, the same JSON text), which leaves the session as it was.
  Creating a session costs in proportion to the ruleset's rules (about 1.5 ms at 1,000 rules); asserting
  into a kept one and retracting costs about what the rules that match cost. One session per ruleset is far
  below the engine's 1,024 live sessions per ruleset (the 1,025th crashes the process);
- an action only records the rule's name, read from the head of the message the engine hands over
  (`{"r12":{...}}`: rule names are `r<digits>` or `sentinel`, compile.py), never decoding the fact;
- the sentinel rule of each shard matches every fact, so every evaluation fires something: an evaluation
  where it did not is an EngineError, and a session is deleted (`delete_state`) only once something has
  fired in it (deleting a session where nothing fired crashes the process);
- after the last action the engine is asked once more for one: an agenda it did not run to the end is an
  EngineError, never partial advice. durable's Python layer dropped the rest of an agenda when an action's
  wall-clock time passed 10 s (a process stopped, a clock jump); advise no longer goes through it, and the
  C core's own lease (30 s of `time(NULL)`) only keeps a second caller off a session with an action in
  progress, which under the lock below never happens;
- any failure (an error code the engine raises, a refused fact, a missing sentinel, an agenda left over)
  is an EngineError carrying the engine's words and code, and the ruleset it happened in is freed
  (`delete_ruleset`) and registered afresh when next needed, so nothing a failed evaluation left in the
  session can reach another one;
- rulesets live in a bounded least-recently-used cache: beyond RULESET_BUDGET (an estimate of their C
  memory, their kept session included) the oldest are freed, their session first (`delete_state`, safe: its
  sentinel has fired), so memory stays flat over any number of scenario `params:`; the rulesets of the
  evaluation running are never freed, so a pack larger than the budget stays registered while it is used;
- one evaluation at a time (a lock), Ctrl-C held while the engine runs (module `_ctrl_c_held`), and no
  thread of any kind: durable's Host, which starts timer threads that steal actions and crash on deletes,
  is never made.

durable_rules 2.0.28 calls `PyEval_CallObject`, which CPython 3.13 removed: it is built with
`CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject` (README, pyproject.toml for uv). A copy built without
it fails to import, and advise then says which command rebuilds it (EngineUnavailable) instead of a
traceback.
"""
from __future__ import annotations

import importlib.util
import itertools
import json
import logging
import shlex
import signal
import sys
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Callable, Iterable

from .compile import MARK, SENTINEL, SESSION, Shard
from .diagnostics import Message, msg

try:
    from durable import engine as _durable
except ImportError as error:  # a durable_rules built without the flag above: undefined symbol PyEval_CallObject
    _durable = None
    _IMPORT_ERROR = str(error)
# durable logs through the "durable" logger; advise reports each failure itself (EngineError, or one line for
# Ctrl-C), so nothing of durable's may reach stderr.
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


SID = "0"  # the one session of every ruleset
# What assert_fact and retract_fact return besides 0 (durable's rules.h): no rule took the fact, the same fact
# is already in the session, the engine put it off. None can happen to a fact advise asserts into a session it
# emptied; each is an EngineError.
_REFUSALS = {1: "no rule took the fact", 2: "the fact was already in the session", 3: "the fact was deferred"}


class _Ruleset:
    """A ruleset registered in durable's C core: its handle, whether its session has fired a rule (only then
    may it be deleted), and one action per rule name, each appending the name to the shared recorder."""

    __slots__ = ("handle", "fired", "actions", "used")

    def __init__(self, handle: int, actions: dict[str, Callable[[object], None]]):
        self.handle, self.fired, self.actions = handle, False, actions
        self.used = _GENERATION[0]  # the evaluations block that used it last


_LOCK = threading.RLock()  # one evaluation at a time: the rulesets' sessions and the recorder are shared
_HELD = [False]  # whether this thread is inside `evaluations` already (the lock is re-entrant)
_NAMES = itertools.count(1)  # a name is never given twice, even after its ruleset is freed
_RECORDER: list[str] = []  # the rules fired by the shard being run, in the order the engine ran them
# Each distinct shard is registered once and kept while it is among the most recently used: shard key ->
# (ruleset name, its _Ruleset), oldest first.
_RULESETS: OrderedDict[str, tuple[str, _Ruleset]] = OrderedDict()
_WEIGHTS: dict[str, int] = {}  # shard key -> its estimated size in RULESET_BUDGET's unit
_WEIGHT = [0]  # the sum of _WEIGHTS
_LIVE = [0]  # rulesets created in durable and not yet deleted (the cached ones, unless a bug leaks one)
_HOST: ModuleType | None = None  # durable's C core, once it is known to import
# The registered rulesets' estimated C memory, in units of 20 KiB: measured on durable_rules 2.0.28, a ruleset
# costs about 70 KiB plus 8 KiB per rule and its kept session about 95 KiB plus 12 KiB per rule (a shard of 2
# rules 165 KiB, of 48 rules 1.1 MiB), so a shard weighs 6 + its rule count; 4,096 is about 80 MiB. The rulesets
# one evaluation uses are never freed while it runs (_GENERATION): a pack whose shards weigh more than the
# budget (10,000 rules: 352 shards, weight 12,464, 270 MB measured) keeps them all while it is the one in use,
# instead of freeing and registering them again at every evaluation (which took over 200 ms each).
RULESET_BUDGET = 4096
RULESET_OVERHEAD = 6
_GENERATION = [0]  # counts the outermost `evaluations` blocks; a ruleset used in the current one is kept


def run(shards: Iterable[Shard], facts: dict) -> list[str]:
    """Assert one fact holding `facts` ({property: int or float}, as compile.encode_facts makes it) into every
    shard; the names of the rules that fired (durable rule names, `r<order>`), each once, in firing order.
    Raises EngineError when the engine fails, EngineUnavailable when it cannot be imported."""
    return run_counted(shards, facts)[0]


def run_counted(shards: Iterable[Shard], facts: dict) -> tuple[list[str], int]:
    """`run`, and how many actions the engine handed over (a rule fires once per alternative of its condition
    that matches, so this may be more than the names): each costs a call into the engine, the larger part of a
    run's cost when many rules fire."""
    fired: dict[str, None] = {}  # insertion-ordered, each name once
    firings = 0
    for names, count in run_shards(list(shards), facts):
        fired.update(dict.fromkeys(names))
        firings += count
    return list(fired), firings


def run_shards(shards: list[Shard], facts: dict) -> list[tuple[list[str], int]]:
    """`run_counted` for each shard apart, in the order given: (the rules that fired in it but the sentinel, each
    once, in firing order; the actions the engine handed over). The fact is written as JSON once for them all."""
    results = []
    # The fact as the engine reads it, made once for every shard and for its retraction.
    text = json.dumps({**facts, MARK: 1, SESSION: SID}, ensure_ascii=False)
    with evaluations():
        engine = _host()
        for shard in shards:
            names = _run_shard(engine, shard, text)
            fired = dict.fromkeys(names)
            fired.pop(SENTINEL, None)
            results.append((list(fired), len(names)))
    return results


def clear() -> None:
    """Free every registered ruleset (and its session) in durable: the next evaluations register them again."""
    with _LOCK:
        for key in list(_RULESETS):
            _free(_host(), key)


@contextmanager
def evaluations() -> Iterator[None]:
    """Hold the engine for a block of `run` calls (the rounds of one scenario): the lock, Ctrl-C held, durable's
    warnings quiet, taken once for the block instead of once per call. Re-entrant; `run` takes it itself."""
    with _LOCK:
        if _HELD[0]:
            yield
            return
        _HELD[0] = True
        _GENERATION[0] += 1
        try:
            with _quiet_durable(), _ctrl_c_held():
                yield
        finally:
            _HELD[0] = False


def _run_shard(engine: ModuleType, shard: Shard, text: str) -> list[str]:
    """Assert the fact `text` (JSON) into the shard's session, run every action the engine hands over and
    retract the fact: the rule names the actions recorded, one per firing. Called with the lock held. Any
    failure frees the ruleset (its session may hold what the failed evaluation left) and is an EngineError."""
    ruleset = _ruleset(engine, shard)
    handle = ruleset.handle
    del _RECORDER[:]
    try:
        code, state = engine.assert_fact(handle, text)
        if code:
            raise EngineError(f"durable_rules refused the facts: {_REFUSALS.get(code, code)} (code {code})")
        started = engine.start_action_for_state(handle, state)
        message = started[1] if started else None
        actions = ruleset.actions
        while message is not None:
            actions[message[2:message.index('"', 2)]](None)  # {"<rule name>": ...}
            message = engine.complete_and_start_action(handle, state)
        if engine.start_action_for_state(handle, state) is not None:
            raise EngineError("durable_rules stopped before every matching rule had run")
        if SENTINEL not in _RECORDER:
            raise EngineError("durable_rules did not process the facts (the sentinel rule did not fire)")
        ruleset.fired = True
        code, _ = engine.retract_fact(handle, text)
        if code:
            raise EngineError(f"durable_rules could not retract the facts: {_REFUSALS.get(code, code)} "
                              f"(code {code})")
    except BaseException as error:
        _discard(engine, shard.key)
        if isinstance(error, EngineError):
            raise
        if isinstance(error, Exception):  # the engine reports its limits as bare exceptions with a code
            raise EngineError(f"durable_rules failed on the facts: {error}") from None
        raise
    return list(_RECORDER)


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Ctrl-C (SIGINT) held while durable runs, and raised as KeyboardInterrupt once it returns: raised between
    two calls into the engine, it would leave a fact in a kept session. An evaluation takes milliseconds (a
    10,000-rule pack: a few), so the wait is not felt. Only in the main thread, the one Python delivers
    signals to."""
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
    """Silence durable's own utcfromtimestamp DeprecationWarning (CPython 3.12+), raised from durable.engine only:
    its Python layer, which advise no longer calls per action, stamped every action with it."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"datetime\.datetime\.utcfromtimestamp\(\) is deprecated",
                                DeprecationWarning, r"durable\.")
        yield


def _host() -> ModuleType:
    """durable's C core (`durable_rules_engine`); EngineUnavailable when durable_rules cannot be imported. Every
    call into the engine goes through the module's attributes, looked up at the call."""
    global _HOST
    if _HOST is None:
        if _durable is None:
            raise EngineUnavailable(msg("engine_unavailable", reason=_IMPORT_ERROR, command=reinstall_command()))
        _HOST = _durable.durable_rules_engine
    return _HOST


def _ruleset(engine: ModuleType, shard: Shard) -> _Ruleset:
    """The registered ruleset of `shard` (registering it, and freeing the least recently used ones beyond
    RULESET_BUDGET). Called with the lock held, between evaluations of a session, so a freed ruleset is never
    in use; its name is forgotten with it and never given again."""
    if shard.key in _RULESETS:
        _RULESETS.move_to_end(shard.key)
        ruleset = _RULESETS[shard.key][1]
        ruleset.used = _GENERATION[0]
        return ruleset
    weight = RULESET_OVERHEAD + len(shard.definition)
    while _RULESETS and _WEIGHT[0] + weight > RULESET_BUDGET:
        oldest = next(iter(_RULESETS))
        if _RULESETS[oldest][1].used == _GENERATION[0]:
            break  # this one and every later one serve the evaluations running: kept, the budget passed for now
        _free(engine, oldest)
    name = f"advise_{next(_NAMES)}"  # no "$": durable gives "$state"/"$flow" names a meaning
    try:
        # in definition order: rules of one priority fire in the order they are defined
        handle = engine.create_ruleset(name, json.dumps(shard.definition, ensure_ascii=False))
    except Exception as error:
        raise EngineError(f"durable_rules refused the compiled rules: {error}") from None
    _LIVE[0] += 1
    ruleset = _Ruleset(handle, {rule: _recording(_RECORDER, rule) for rule in shard.definition})
    _RULESETS[shard.key] = (name, ruleset)
    _WEIGHTS[shard.key] = weight
    _WEIGHT[0] += weight
    return ruleset


def _free(engine: ModuleType, key: str) -> None:
    """Free the cached ruleset of shard `key` in durable: its session first when a rule has fired in it (deleting
    one where none has crashes the process; it is then freed with the ruleset's pools, the rest of it lost)."""
    _, ruleset = _RULESETS.pop(key)
    _WEIGHT[0] -= _WEIGHTS.pop(key)
    if ruleset.fired:
        engine.delete_state(ruleset.handle, SID)
    engine.delete_ruleset(ruleset.handle)
    _LIVE[0] -= 1


def _discard(engine: ModuleType, key: str) -> None:
    """After a failure in the ruleset of shard `key`: free it, never its session (what the failure left there is
    unknown; its memory is lost, a bug's cost), so the next evaluation registers it afresh."""
    if key in _RULESETS:
        _RULESETS[key][1].fired = False
        _free(engine, key)


def _recording(recorder: list[str], rule: str) -> Callable[[object], None]:
    """The action of `rule`: record its name. Called with the engine's message for it (unused: None)."""
    def action(message: object) -> None:
        recorder.append(rule)
    return action
