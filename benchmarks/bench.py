"""What advise costs, measured against what it cannot avoid, in one run: start-up, throughput, `advise test`,
`advise batch` and generated packs of up to 10,000 rules. Prints ratios and a table of the goals; it is a
measurement, not a test (no thresholds fail it).

Run from the repository root with the Python that has advise installed (`pip install -e '.[bench]'` adds
GoRules' zen-engine, for the comparison in section 2; without it that row is left out, with a note):

    python benchmarks/bench.py            # 6 to 12 minutes on 2 cores, most of it advise batch
    python benchmarks/bench.py --quick    # smaller counts, a smoke run of every section (about 25 s)

1. Start-up: a cold `advise SCENARIO` process against the import floor (a process that only imports
   advise's dependencies: yaml, click, durable.engine), with the compiled-pack cache warm (ADVISE_CACHE_DIR
   a temporary folder, filled once) and cold (a new empty folder for every run). Interleaved, medians.
2. Throughput on the same compiled rules and encoded facts, every bundled CrowdWorks scenario in rotation:
   the advisor (pipeline.advise_document), bare durable_rules, GoRules zen-engine (the pack's compiled
   conditions as a JDM decision table, collect hit policy) and plain Python (the same conditions as compiled
   Python expressions: the floor of the logic). Each alternative is first checked to fire the rules the
   advisor recommends, for every scenario. Batches interleaved, medians.
3. `advise test` over copies of the bundled scenarios, as one process: files per second.
4. `advise batch` over JSON Lines made of the bundled scenarios, with --jobs 1 and --jobs 2: lines per second.
5. Scale: packs of generated rules (tests/scale_packs.py): the first advice as a new process with a cold and
   a warm compiled-pack cache, one advice in a warm process, and the peak memory (ru_maxrss) of each.

Standard library only, besides advise (and zen-engine when installed). Every temporary file is removed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import itertools
import json
import operator
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from durable import engine as durable

import advisor
from advisor.compile import MARK, SENTINEL, Compiled, compile_pack, encode_facts
from advisor.diagnostics import InputError
from advisor.load import read_file
from advisor.pipeline import advise_document, advise_file, pack_for
from advisor.validate_scenario import validate_scenario

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

from scale import stages  # noqa: E402
from scale_packs import write_pack, write_scenario  # noqa: E402

SCENARIOS = REPO / "scenarios" / "crowdworks"
EXAMPLE = SCENARIOS / "seed-rejected-half-delivered.yaml"
FLOOR_IMPORTS = "import yaml, click, durable.engine"
CACHE_VARIABLE = "ADVISE_CACHE_DIR"


@dataclass(frozen=True)
class Counts:
    """How much each section does: the normal run, or --quick."""

    startup_rounds: int  # runs of each start-up command (after two warm-up rounds)
    batches: int  # timed batches per throughput path
    batch: int  # evaluations per batch
    warmup: int  # evaluations per throughput path before timing
    test_files: int  # scenario files for `advise test`
    test_runs: int
    batch_lines: int  # JSON lines for `advise batch`
    packs: tuple[int, ...]  # rules per generated pack
    scale_rounds: int  # new processes per pack and cache state
    warm_advices: int  # timed advices in a warm process


NORMAL = Counts(startup_rounds=15, batches=9, batch=2000, warmup=300, test_files=1000, test_runs=3,
                batch_lines=100_000, packs=(100, 1000, 4096, 10_000), scale_rounds=3, warm_advices=10)
QUICK = Counts(startup_rounds=3, batches=3, batch=200, warmup=50, test_files=100, test_runs=1,
               batch_lines=2000, packs=(100, 1000), scale_rounds=1, warm_advices=3)


# ------------------------------------------------------------------------------------------------ processes

def advise_command() -> list[str]:
    """The console script installed beside this interpreter (what `advise` runs), else `python -m advisor`."""
    script = shutil.which("advise", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "advisor"]


@dataclass
class Ran:
    seconds: float  # wall time, subprocess overhead included
    maxrss_kb: int  # the process's peak resident set (ru_maxrss: KiB on Linux)
    code: int
    stdout: bytes


# Runs one command and reports its wall time and its own peak memory. It runs in a small process of its own
# because Linux carries a process's peak resident set across exec: a child started from this (large) process
# would report at least this process's peak, so `python -c pass` would seem to take as much memory as the
# benchmark. Started from this launcher (about 8 MB), a child's figure is its own for any Python process.
LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    out.write(f"{elapsed!r} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def run_process(command: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,), stdin: Path | None = None,
                capture: bool = False) -> Ran:
    """Run `command` to its end: its wall time (from its start to its end, as LAUNCHER measures it), its own peak
    memory (ru_maxrss) and exit code, and what it wrote on standard output when `capture`; SystemExit when the
    code is not in `ok`, with its standard error."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out, \
            tempfile.NamedTemporaryFile("r", prefix="advise-bench-", suffix=".txt") as measured, \
            (open(stdin, "rb") if stdin else open(os.devnull, "rb")) as given:
        done = subprocess.run([sys.executable, "-I", "-S", "-c", LAUNCHER, measured.name, *command], env=env,
                              cwd=REPO, stdin=given, stdout=out if capture else subprocess.DEVNULL, stderr=err)
        if done.returncode not in ok:
            err.seek(0)
            raise SystemExit(f"{' '.join(command)} exited with {done.returncode}: "
                             f"{err.read().decode(errors='replace')[-2000:]}")
        seconds, maxrss = measured.read().split()
        out.seek(0)
        return Ran(float(seconds), int(maxrss), done.returncode, out.read())


def base_env() -> dict[str, str]:
    """This environment without a compiled-pack cache setting of the caller's own, in English."""
    env = {k: v for k, v in os.environ.items() if k not in (CACHE_VARIABLE, "ADVISE_NO_CACHE")}
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"
    return env


class Caches:
    """Temporary compiled-pack cache folders: `warm()` one folder kept (filled by its first run), `cold()` a new
    empty one for each run."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="advise-bench-cache-"))
        self.count = itertools.count()
        self.warm_dir = self.root / "warm"

    def warm(self, env: dict[str, str]) -> dict[str, str]:
        return {**env, CACHE_VARIABLE: str(self.warm_dir)}

    def cold(self, env: dict[str, str]) -> dict[str, str]:
        folder = self.root / f"cold-{next(self.count)}"
        return {**env, CACHE_VARIABLE: str(folder)}

    def written(self) -> bool:
        """Whether advise wrote anything into the warm folder (false before the cache exists)."""
        return self.warm_dir.is_dir() and any(self.warm_dir.rglob("*"))

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def interleaved(commands: list[tuple[str, Callable[[], Ran]]], rounds: int, warmup: int = 0) -> dict[str, list[Ran]]:
    """Run each command `rounds` times, round by round, each round in a rotated order, after `warmup` rounds."""
    for _ in range(warmup):
        for _, call in commands:
            call()
    found: dict[str, list[Ran]] = {label: [] for label, _ in commands}
    for round_ in range(rounds):
        shift = round_ % len(commands)
        for label, call in commands[shift:] + commands[:shift]:
            found[label].append(call())
    return found


def median(runs: list[Ran]) -> float:
    return statistics.median(run.seconds for run in runs)


# --------------------------------------------------------------------------------------------- 1. start-up

def startup(counts: Counts, caches: Caches, report: Report) -> None:
    scenario = EXAMPLE if EXAMPLE.is_file() else sorted(SCENARIOS.glob("*.yaml"))[0]
    advise = [*advise_command(), str(scenario)]
    # Every process reads and writes bytecode in a private cache (PYTHONPYCACHEPREFIX), so each command runs
    # with compiled modules after the warm-up, as in an ordinary installation, and nothing is written into
    # the checkout.
    pyc = tempfile.mkdtemp(prefix="advise-bench-pyc-")
    env = {k: v for k, v in base_env().items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pyc
    no_write = {k: v for k, v in base_env().items() if k != "PYTHONPYCACHEPREFIX"}
    no_write["PYTHONDONTWRITEBYTECODE"] = "1"
    ok = (0, 1)  # 1: the scenario's expect: was not met, still a full run
    commands = [
        ("python -c pass", lambda: run_process([sys.executable, "-c", "pass"], env)),
        (f'python -c "{FLOOR_IMPORTS}"', lambda: run_process([sys.executable, "-c", FLOOR_IMPORTS], env)),
        ("advise SCENARIO, warm compiled-pack cache", lambda: run_process(advise, caches.warm(env), ok)),
        ("advise SCENARIO, cold compiled-pack cache", lambda: run_process(advise, caches.cold(env), ok)),
        ("advise SCENARIO, warm cache, PYTHONDONTWRITEBYTECODE=1",
         lambda: run_process(advise, caches.warm(no_write), ok)),
    ]
    try:
        found = interleaved(commands, counts.startup_rounds, warmup=2)
    finally:
        shutil.rmtree(pyc, ignore_errors=True)
    report.heading(f"1. Start-up: one new process per run, {counts.startup_rounds} runs each, interleaved; "
                   f"SCENARIO = {short(scenario)}")
    report.table(["command", "median", "min", "peak RSS"],
                 [[label, ms(median(runs)), ms(min(r.seconds for r in runs)),
                   f"{max(r.maxrss_kb for r in runs) / 1024:.1f} MB"] for label, runs in found.items()])
    if not caches.written():
        report.note(f"{CACHE_VARIABLE} was set but advise wrote no compiled-pack cache there (no cache in this "
                    "version): the warm and cold rows run the same code")
    floor = median(found[commands[1][0]])
    warm, cold = median(found[commands[2][0]]), median(found[commands[3][0]])
    report.ratio("start-up, advise (warm cache) / import floor", warm / floor, f"+{(warm - floor) * 1e3:.1f} ms")
    least = {label: min(run.seconds for run in runs) for label, runs in found.items()}
    report.ratio("start-up, advise (warm cache) / import floor, minimum",
                 least[commands[2][0]] / least[commands[1][0]])
    report.ratio("start-up, advise (cold cache) / import floor", cold / floor, f"+{(cold - floor) * 1e3:.1f} ms")
    report.ratio("start-up, import floor / python -c pass", floor / median(found[commands[0][0]]))
    report.goal("start-up: advise SCENARIO (warm cache) / import floor", warm / floor, "<=", 1.2, "x")
    report.goal("start-up: advise SCENARIO (cold cache) / import floor (report only)", cold / floor, "", None, "x")


# ------------------------------------------------------------------------------------------- 2. throughput

class _QuietHost(durable.Host):
    def _run(self) -> None:
        """No background timer threads: everything runs in the caller's thread."""


class Bare:
    """durable_rules alone: the compiled rulesets, and actions that only note the rule's name; one evaluation
    the way advise drives the engine: a new session per shard, deleted afterwards."""

    def __init__(self) -> None:
        self.host = _QuietHost()
        self.fired: list[str] = []
        self.registered: dict[str, str] = {}  # shard definition as JSON -> ruleset name
        self.sessions = itertools.count(1)

    def names(self, compiled: Compiled) -> tuple[str, ...]:
        names = []
        for shard in compiled.shards:
            if shard.key not in self.registered:
                name = f"bench_{len(self.registered) + 1}"
                rules = {rule: {**body, "run": self._action(rule)} for rule, body in shard.definition.items()}
                self.host.register_rulesets({name: rules})
                self.registered[shard.key] = name
            names.append(self.registered[shard.key])
        return tuple(names)

    def _action(self, rule: str):
        fired = self.fired

        def action(context) -> None:  # one parameter: durable treats two as asynchronous
            fired.append(rule)
        return action

    def evaluate(self, names: tuple[str, ...], facts: dict) -> list[str]:
        self.fired.clear()
        sid = str(next(self.sessions))
        for name in names:
            self.host.assert_fact(name, {**facts, MARK: 1, "sid": sid})
            self.host.delete_state(name, sid)
        return [rule for rule in self.fired if rule != SENTINEL]


class BareCore:
    """durable_rules' C core alone (`durable_rules_engine`, below durable's Python layer): each shard registered
    once with one session; one evaluation writes the fact as JSON once, and per shard asserts it, takes every
    action the engine hands over (noting the rule's name from the head of its message) and retracts it. The
    least work that gets the fired rules out of durable_rules."""

    def __init__(self) -> None:
        self.core = durable.durable_rules_engine
        self.registered: dict[str, int] = {}  # shard definition as JSON -> ruleset handle

    def handles(self, compiled: Compiled) -> tuple[int, ...]:
        for shard in compiled.shards:
            if shard.key not in self.registered:
                name = f"bench_core_{len(self.registered) + 1}"
                self.registered[shard.key] = self.core.create_ruleset(name, json.dumps(shard.definition))
        return tuple(self.registered[shard.key] for shard in compiled.shards)

    def evaluate(self, handles: tuple[int, ...], facts: dict) -> list[str]:
        core, fired = self.core, []
        text = json.dumps({**facts, MARK: 1, "sid": "0"})
        for handle in handles:
            _, state = core.assert_fact(handle, text)
            started = core.start_action_for_state(handle, state)
            message = started[1] if started else None
            while message is not None:
                fired.append(message[2:message.index('"', 2)])
                message = core.complete_and_start_action(handle, state)
            core.retract_fact(handle, text)
        return [rule for rule in fired if rule != SENTINEL]


class NotExpressible(Exception):
    """A compiled test this translation does not know."""


_PY_OPS = {"$neq": operator.ne, "$lt": operator.lt, "$lte": operator.le, "$gt": operator.gt, "$gte": operator.ge}


def python_test(pattern: dict) -> Callable[[dict], bool]:
    """A compiled pattern (compile._rule_pattern) as a Python function of the encoded facts `m`, with the engine's
    meaning: a comparison with an absent property is false. Made of closures, never of generated source: nothing
    read from a pack is run as code."""
    (key, value), = pattern.items()
    if key in ("$and", "$or"):
        tests = [python_test(item) for item in value]
        return (lambda m: all(test(m) for test in tests)) if key == "$and" else \
            (lambda m: any(test(m) for test in tests))
    if key in ("$ex", "$nex"):
        (prop, _), = value.items()
        return (lambda m: prop in m) if key == "$ex" else (lambda m: prop not in m)
    if key in _PY_OPS:
        (prop, operand), = value.items()
        compare = _PY_OPS[key]
        return lambda m: prop in m and compare(m[prop], operand)
    if key.startswith("$"):
        raise NotExpressible(key)
    return lambda m: key in m and m[key] == value


_ZEN_OPS = {"$neq": "!=", "$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">="}


def zen_source(pattern: dict) -> str:
    """A compiled pattern as a ZEN expression over the input's properties (`null` when absent), with the
    engine's meaning: a comparison with an absent property is false."""
    (key, value), = pattern.items()
    if key in ("$and", "$or"):
        joined = (" and " if key == "$and" else " or ").join(zen_source(item) for item in value)
        return f"({joined})"
    if key in ("$ex", "$nex"):
        (prop, _), = value.items()
        return f"({prop} {'!=' if key == '$ex' else '=='} null)"
    if key in _ZEN_OPS:
        (prop, operand), = value.items()
        return f"({prop} != null and {prop} {_ZEN_OPS[key]} {zen_value(operand)})"
    if key.startswith("$"):
        raise NotExpressible(key)
    return f"({key} == {zen_value(value)})"


def zen_value(value: Any) -> str:
    if isinstance(value, (bool, int, float, str)):
        return json.dumps(value)  # true/false, numbers and double-quoted strings read the same in ZEN
    raise NotExpressible(repr(value))


def patterns(compiled: Compiled) -> list[tuple[str, dict]]:
    """(durable rule name, its whole pattern) for every rule of every shard, in shard order."""
    return [(name, body["all"][0]["m"]) for shard in compiled.shards for name, body in shard.definition.items()
            if name != SENTINEL]


def jdm_table(rules: list[tuple[str, str]]) -> dict:
    """A JSON Decision Model graph: input -> one decision table (collect: every matching row) -> output. The
    table has one input column without a field (each cell a whole ZEN expression over the input) and one row
    per rule, whose output `rule` is the durable rule name."""
    rows = [{"_id": f"row{index}", "cond": condition, "rule": json.dumps(name)}
            for index, (name, condition) in enumerate(rules)]
    table = {"hitPolicy": "collect", "inputs": [{"id": "cond", "name": "condition"}],
             "outputs": [{"id": "rule", "name": "rule", "field": "rule"}], "rules": rows}
    return {"nodes": [{"id": "in", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}},
                      {"id": "table", "type": "decisionTableNode", "name": "rules", "content": table,
                       "position": {"x": 200, "y": 0}},
                      {"id": "out", "type": "outputNode", "name": "Response", "position": {"x": 400, "y": 0}}],
            "edges": [{"id": "e1", "sourceId": "in", "targetId": "table", "type": "edge"},
                      {"id": "e2", "sourceId": "table", "targetId": "out", "type": "edge"}]}


@dataclass
class Loaded:
    doc: Any  # advisor.load.Document
    compiled: Compiled
    facts: dict  # the encoded facts of advise's last round
    asserted: dict  # the same with the marker every pattern tests first (bare durable adds it, and a session id)
    expected: list[str]  # ids of the rules advise recommends, sorted


def load_scenarios() -> tuple[list[Loaded], list[str]]:
    """Every bundled CrowdWorks scenario advise accepts, and the names of those it refuses."""
    loaded, refused = [], []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        try:
            doc = read_file(path)
            advice = advise_document(doc)
        except InputError:
            refused.append(path.name)
            continue
        pack, compiled = pack_for(doc, None)
        scenario = validate_scenario(doc, pack, dt.date.today())
        if scenario.params:
            compiled = compile_pack(pack, dict(scenario.params))
        # The facts of advise's last round: given, derived and set by rules, with the suppression markers.
        by_id = {rule.id: rule for rule in pack.rules}
        suppressed = [by_id[t] for r in advice.recommendations for t in r.rule.suppresses]
        facts = encode_facts(compiled, advice.facts, scenario.as_of, suppressed)
        loaded.append(Loaded(doc, compiled, facts, {**facts, MARK: 1}, sorted(r.rule.id for r in advice.recommendations)))
    return loaded, refused


BARE_HOST = "bare durable: Host, new sid, assert + delete_state"
BARE_CORE = "bare durable core: one session, assert + retract"
Evaluate = Callable[[int], list[str]]  # scenario index -> durable names of the rules that fired


def alternatives(loaded: list[Loaded], notes: list[str]) -> list[tuple[str, Evaluate]]:
    """The paths that decide the same rules without advise: bare durable, zen-engine, plain Python."""
    bare = Bare()
    names = [bare.names(item.compiled) for item in loaded]
    core = BareCore()
    handles = [core.handles(item.compiled) for item in loaded]
    paths: list[tuple[str, Evaluate]] = [
        (BARE_HOST, lambda i: bare.evaluate(names[i], loaded[i].facts)),
        (BARE_CORE, lambda i: core.evaluate(handles[i], loaded[i].facts))]
    by_key: dict[int, tuple[Callable[[dict], list[str]], Callable[[dict], list[str]]]] = {}
    left_out = set()
    for item in loaded:  # one translation per distinct compiled pack (a scenario's params: give another)
        if id(item.compiled) not in by_key:
            by_key[id(item.compiled)] = translations(item.compiled, left_out, notes)
    rules = len(loaded[0].compiled.rules)
    if left_out:
        notes.append(f"zen-engine and plain Python: {len(left_out)} of {rules} rules left out, their conditions "
                     f"not expressible: {', '.join(sorted(left_out))}")
    else:
        notes.append(f"zen-engine and plain Python: every rule's condition expressed ({rules} rules, 0 left out)")
    zen_ok = importlib.util.find_spec("zen") is not None
    if zen_ok:
        paths.append(("zen-engine: compiled decision table, collect",
                      lambda i: by_key[id(loaded[i].compiled)][0](loaded[i].asserted)))
    else:
        notes.append("zen-engine: left out, not installed (pip install -e '.[bench]')")
    paths.append(("plain Python: closures", lambda i: by_key[id(loaded[i].compiled)][1](loaded[i].asserted)))
    return paths


def translations(compiled: Compiled, left_out: set[str], notes: list[str]):
    """(zen evaluation, Python evaluation) of the compiled rules: facts -> durable names of the rules that hold."""
    rules_py, rules_zen = [], []
    for name, pattern in patterns(compiled):
        try:
            rules_py.append((name, python_test(pattern)))
            rules_zen.append((name, zen_source(pattern)))
        except NotExpressible:
            left_out.add(compiled.rules[name].id)
    def python(m: dict) -> list[str]:
        return [name for name, test in rules_py if test(m)]
    zen_eval: Callable[[dict], list[str]] = lambda facts: []  # noqa: E731
    if importlib.util.find_spec("zen") is not None:
        import zen

        # zen's fast path: the decision parsed and compiled once (ZenDecisionContent) and evaluated by key through
        # the engine's loader. Measured with zen-engine 2.1.3, ZenDecision.evaluate on the same content spends
        # about 250 us more per evaluation outside the engine (its "performance" field stays the same).
        content = zen.ZenDecisionContent(json.dumps(jdm_table(rules_zen)))
        engine = zen.ZenEngine({"loader": lambda key: content})

        def zen_eval(facts: dict) -> list[str]:
            return [row["rule"] for row in engine.evaluate("rules", facts)["result"]]
    return zen_eval, python


def agreement(loaded: list[Loaded], evaluate: Evaluate) -> int:
    """How many scenarios fire exactly the rules the advisor recommends (checked twice over)."""
    agree = 0
    for index, item in enumerate(loaded):
        results = [sorted({item.compiled.rules[r].id for r in evaluate(index)}) for _ in range(2)]
        agree += results[0] == results[1] == item.expected
    return agree


def throughput(counts: Counts, report: Report) -> None:
    loaded, refused = load_scenarios()
    if not loaded:
        raise SystemExit(f"no usable scenarios in {SCENARIOS}")
    notes: list[str] = []

    def advise(index: int) -> list[str]:
        advise_document(loaded[index].doc)
        return []

    paths: list[tuple[str, Evaluate]] = [("advisor: pipeline.advise_document", advise)]
    for label, evaluate in alternatives(loaded, notes):
        agree = agreement(loaded, evaluate)
        notes.append(f"{label.split(':')[0]}: same rules as the advisor in {agree}/{len(loaded)} scenarios")
        if agree == len(loaded):
            paths.append((label, evaluate))
        else:
            notes[-1] += "; left out of the timings"
    n = len(loaded)

    def batch(evaluate: Evaluate, count: int, start: int) -> float:
        began = time.perf_counter()
        for i in range(start, start + count):
            evaluate(i % n)
        return count / (time.perf_counter() - began)

    for _, evaluate in paths:
        batch(evaluate, counts.warmup, 0)
    rates: dict[str, list[float]] = {label: [] for label, _ in paths}
    for round_ in range(counts.batches):
        shift = round_ % len(paths)
        for label, evaluate in paths[shift:] + paths[:shift]:
            rates[label].append(batch(evaluate, counts.batch, round_ * counts.batch))
    rate = {label: statistics.median(sample) for label, sample in rates.items()}
    compiled = loaded[0].compiled
    report.heading(f"2. Throughput: {n} scenarios in rotation ({len(compiled.rules)} rules, "
                   f"{len(compiled.shards)} shards), median of {counts.batches} batches of {counts.batch}, "
                   "interleaved")
    if refused:
        report.note(f"refused by advise and left out: {', '.join(refused)}")
    report.table(["path", "eval/s", "us/eval"], [[label, f"{r:.0f}", f"{1e6 / r:.1f}"] for label, r in rate.items()])
    for note in notes:
        report.note(note)
    advisor_rate = rate[paths[0][0]]
    for label in list(rate)[1:]:
        report.ratio(f"throughput, advisor / {label.split(':')[0]}", advisor_rate / rate[label],
                     f"+{1e6 / advisor_rate - 1e6 / rate[label]:.1f} us per evaluation")
    for label, name in ((BARE_HOST, "bare durable (Host, new sid)"), (BARE_CORE, "bare durable core")):
        report.goal(f"throughput: advisor / {name}", advisor_rate / rate[label] if label in rate else None,
                    ">=", 0.5, "x")
    zen_label = next((label for label in rate if label.startswith("zen")), None)
    report.goal("throughput: advisor / zen-engine (report only)",
                advisor_rate / rate[zen_label] if zen_label else None, "", None, "x")


# ------------------------------------------------------------------------------------------ 3. advise test

def accepted_scenarios() -> list[Path]:
    """The bundled CrowdWorks scenarios advise gives advice for (a refused one would stop `advise test`)."""
    found = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        try:
            advise_file(path)
        except InputError:
            continue
        found.append(path)
    return found


def advise_test(counts: Counts, caches: Caches, report: Report) -> None:
    sources = accepted_scenarios()
    with tempfile.TemporaryDirectory(prefix="advise-bench-test-") as folder:
        for index in range(counts.test_files):
            source = sources[index % len(sources)]
            shutil.copyfile(source, Path(folder) / f"{index:05d}-{source.name}")
        command = [*advise_command(), "test", "--lang", "en", folder]
        env = caches.warm(base_env())
        run_process(command, env, (0, 1))  # warm: the cache and the OS's file cache
        runs = [run_process(command, env, (0, 1), capture=True) for _ in range(counts.test_runs)]
    lines = runs[-1].stdout.decode(errors="replace").strip().splitlines()
    seconds = median(runs)
    report.heading(f"3. advise test over {counts.test_files} scenario files (copies of {len(sources)} bundled "
                   f"CrowdWorks scenarios), one process, median of {counts.test_runs}, warm cache")
    report.table(["command", "seconds", "files/s"],
                 [["advise test FOLDER", f"{seconds:.2f}", f"{counts.test_files / seconds:.0f}"]])
    if lines:
        report.note(f"its last line: {lines[-1]}")
    report.goal("advise test: files per second (report only)", counts.test_files / seconds, "", None, "/s")


# ----------------------------------------------------------------------------------------- 4. advise batch

def batch_available() -> bool:
    done = subprocess.run([*advise_command(), "batch", "--help"], env=base_env(), cwd=REPO,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    return done.returncode == 0


def json_ready(value: Any) -> Any:
    """A scenario's YAML values as JSON: dates and datetimes as ISO 8601 text."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def batch_lines(count: int) -> list[str]:
    """`count` JSON lines, the bundled scenarios advise accepts in turn, each with an id."""
    scenarios = [(path.stem, json_ready(dict(read_file(path).data))) for path in accepted_scenarios()]
    lines = []
    for index in range(count):
        name, data = scenarios[index % len(scenarios)]
        data = {k: v for k, v in data.items() if k != "expect"}
        lines.append(json.dumps({"id": f"{index}-{name}", **data}, ensure_ascii=False) + "\n")
    return lines


def answers(path: Path) -> tuple[int, int]:
    """(lines, lines answering with `errors`) of advise batch's output, read line by line (it is large)."""
    lines = errors = 0
    with path.open("rb") as out:
        for line in out:
            lines += 1
            errors += b'"errors"' in line and "errors" in json.loads(line)
    return lines, errors


def advise_batch(counts: Counts, caches: Caches, report: Report) -> None:
    report.heading(f"4. advise batch over {counts.batch_lines} JSON lines, --jobs 1 and --jobs 2")
    if not batch_available():
        report.note("left out: this advise has no batch command (advise batch --help fails)")
        report.goal("advise batch: lines/s, --jobs 2 / --jobs 1 (report only)", None, "", None, "x")
        return
    with tempfile.TemporaryDirectory(prefix="advise-bench-batch-") as folder:
        given = Path(folder) / "in.jsonl"
        given.write_text("".join(batch_lines(counts.batch_lines)), encoding="utf-8")
        env = caches.warm(base_env())
        outputs = itertools.count()

        def run(jobs: int) -> Ran:
            out = Path(folder) / f"out-{next(outputs)}.jsonl"
            ran = run_process([*advise_command(), "batch", str(given), "-o", str(out), "--jobs", str(jobs)],
                              env, (0, 1, 2))
            answered = answers(out) if out.is_file() else (0, 0)
            if answered[0] != counts.batch_lines:
                raise SystemExit(f"advise batch --jobs {jobs} answered {answered[0]} lines of {counts.batch_lines}")
            errors.append(answered[1])
            out.unlink()
            return ran
        errors: list[int] = []
        try:
            found = interleaved([("--jobs 1", lambda: run(1)), ("--jobs 2", lambda: run(2))], 1)
        except SystemExit as failed:  # one section failing leaves the others' numbers standing
            report.note(f"left out: {failed}")
            report.goal("advise batch: lines/s, --jobs 2 / --jobs 1 (report only)", None, "", None, "x")
            return
    one, two = median(found["--jobs 1"]), median(found["--jobs 2"])
    report.table(["command", "seconds", "lines/s", "peak RSS"],
                 [[f"advise batch IN -o OUT {label}", f"{median(runs):.2f}", f"{counts.batch_lines / median(runs):.0f}",
                   f"{max(r.maxrss_kb for r in runs) / 1024:.1f} MB"] for label, runs in found.items()])
    if any(errors):
        report.note(f"lines answered with errors instead of advice: {max(errors)}")
    report.ratio("advise batch, --jobs 2 / --jobs 1 (lines/s)", one / two)
    report.goal("advise batch: lines/s, --jobs 2 / --jobs 1 (report only)", one / two, "", None, "x")


# ------------------------------------------------------------------------------------------------ 5. scale

def warm_process(rules: str, scenario: str, count: int) -> None:
    """Child mode (--warm-process): the first advice, then `count` more timed one by one; prints JSON."""
    start = time.perf_counter()
    advise_file(scenario, rules)
    first = time.perf_counter() - start
    times = []
    for _ in range(count):
        start = time.perf_counter()
        advise_file(scenario, rules)
        times.append(time.perf_counter() - start)
    print(json.dumps({"first": first, "times": times,
                      "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


@dataclass
class Scaled:
    rules: int
    cold: list[Ran]
    warm: list[Ran]
    in_process: dict  # warm_process's JSON
    stages: dict[str, float]


def scale_one(rules: int, counts: Counts, caches: Caches, root: Path) -> Scaled:
    folder = write_pack(root / f"pack-{rules}" / "scalepack", rules)
    scenario = write_scenario(root / f"pack-{rules}" / "scenario.yaml")
    command = [*advise_command(), "--rules", str(folder), str(scenario)]
    warm_env = {**base_env(), CACHE_VARIABLE: str(root / f"cache-{rules}")}
    run_process(command, warm_env)  # fills this pack's warm cache
    found = interleaved([("cold", lambda: run_process(command, caches.cold(base_env()))),
                         ("warm", lambda: run_process(command, warm_env))], counts.scale_rounds)
    child = run_process([sys.executable, __file__, "--warm-process", str(folder), str(scenario),
                         str(counts.warm_advices)], warm_env, capture=True)
    return Scaled(rules, found["cold"], found["warm"], json.loads(child.stdout), stages(folder, lints=False))


def scale(counts: Counts, caches: Caches, report: Report) -> None:
    results = []
    with tempfile.TemporaryDirectory(prefix="advise-bench-scale-") as root:
        for rules in counts.packs:
            results.append(scale_one(rules, counts, caches, Path(root)))
    report.heading(f"5. Scale: generated packs (tests/scale_packs.py), first advice as a new process, median of "
                   f"{counts.scale_rounds} (cold and warm interleaved); one advice in a warm process, median of "
                   f"{counts.warm_advices}")
    rows = []
    for s in results:
        warm_ms = statistics.median(s.in_process["times"]) * 1e3
        rows.append([f"{s.rules}", f"{median(s.cold):.2f} s", f"{median(s.warm):.2f} s", f"{warm_ms:.1f} ms",
                     f"{max(r.maxrss_kb for r in s.cold) / 1024:.0f} MB",
                     f"{max(r.maxrss_kb for r in s.warm) / 1024:.0f} MB",
                     f"{s.stages['load']:.2f} + {s.stages['compile']:.2f} s"])
    report.table(["rules", "cold cache", "warm cache", "warm process", "RSS cold", "RSS warm",
                  "load + compile (in process)"], rows)
    linearity(results, report)
    largest = results[-1]
    report.goal(f"scale: first advice, {largest.rules} rules, new process, warm cache", median(largest.warm),
                "<", 2.0, " s")
    report.goal(f"scale: first advice, {largest.rules} rules, new process, cold cache (report only)",
                median(largest.cold), "", None, " s")
    report.goal(f"scale: one advice, {largest.rules} rules, warm process",
                statistics.median(largest.in_process["times"]) * 1e3, "<", 20.0, " ms")


def linearity(results: list[Scaled], report: Report) -> None:
    """Peak memory of the cold-cache process per rule, and its growth per added rule between sizes: about the
    same growth at every step is linear."""
    rss = [(s.rules, max(r.maxrss_kb for r in s.cold)) for s in results]
    steps = [(b_rules, (b - a) / (b_rules - a_rules)) for (a_rules, a), (b_rules, b) in zip(rss, rss[1:])]
    for (rules, kb), step in zip(rss, [None, *steps]):
        growth = f", {step[1]:.1f} KB per rule added since the size before" if step else ""
        report.note(f"peak memory, {rules} rules: {kb / 1024:.0f} MB, {kb / rules:.1f} KB per rule{growth}")
    if len(steps) >= 2:
        # Linear: the last step adds no more per rule than the one before it (25% allowed for noise).
        report.goal("scale: memory linear in rules (KB per added rule, last step / step before)",
                    steps[-1][1] / steps[-2][1], "<=", 1.25, "x")


# ------------------------------------------------------------------------------------------------ report

@dataclass
class Goal:
    name: str
    value: float | None
    op: str  # "<=", "<", ">=" or "" (report only)
    target: float | None
    unit: str


class Report:
    """Prints as it goes; keeps the goals for the table at the end."""

    def __init__(self) -> None:
        self.goals: list[Goal] = []

    def heading(self, text: str) -> None:
        print(f"\n{text} [load average {os.getloadavg()[0]:.1f}]", flush=True)

    def note(self, text: str) -> None:
        print(f"  {text}", flush=True)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
            print("  " + "  ".join(cells).rstrip(), flush=True)

    def ratio(self, label: str, value: float, detail: str = "") -> None:
        print(f"  {label:<56} {value:6.2f}x" + (f"  ({detail})" if detail else ""), flush=True)

    def goal(self, name: str, value: float | None, op: str, target: float | None, unit: str) -> None:
        self.goals.append(Goal(name, value, op, target, unit))

    def goals_table(self) -> None:
        print("\nGoals")
        rows = [[g.name, "-" if g.value is None else f"{g.value:.2f}{g.unit}",
                 f"{g.op} {g.target:g}{g.unit}" if g.op and g.target is not None else "-", verdict(g)]
                for g in self.goals]
        widths = [max(len(row[i]) for row in [["goal", "measured", "target", ""], *rows]) for i in range(4)]
        for row in [["goal", "measured", "target", "verdict"], *rows]:
            print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def verdict(goal: Goal) -> str:
    if goal.value is None:
        return "not measured"
    if not goal.op or goal.target is None:
        return "report only"
    met = {"<=": goal.value <= goal.target, "<": goal.value < goal.target, ">=": goal.value >= goal.target}[goal.op]
    if met:
        return "met"
    gap = abs(goal.value - goal.target)
    side = "under the target" if goal.op == ">=" else "over the limit"
    return f"missed by {gap:.2f}{goal.unit} ({gap / goal.target:.0%} {side})"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def short(path: Path) -> str:
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return f"{path.parent.name}/{path.name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts: a smoke run of every section")
    parser.add_argument("--warm-process", nargs=3, metavar=("RULES", "SCENARIO", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm_process:
        rules, scenario, count = args.warm_process
        warm_process(rules, scenario, int(count))
        return
    counts = QUICK if args.quick else NORMAL
    zen_version = importlib.metadata.version("zen-engine") if importlib.util.find_spec("zen") else "not installed"
    print(f"advise {advisor.__version__} benchmark{' (--quick)' if args.quick else ''}: Python "
          f"{platform.python_version()}, durable_rules {importlib.metadata.version('durable_rules')}, zen-engine "
          f"{zen_version}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
          f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC", flush=True)
    began = time.perf_counter()
    report = Report()
    caches = Caches()
    # This process advises too (sections 2 to 4 load the scenarios): its cache entries go to a temporary folder,
    # never into the user's cache.
    os.environ[CACHE_VARIABLE] = str(caches.root / "benchmark")
    os.environ.pop("ADVISE_NO_CACHE", None)
    try:
        startup(counts, caches, report)
        throughput(counts, report)
        advise_test(counts, caches, report)
        advise_batch(counts, caches, report)
        scale(counts, caches, report)
    finally:
        caches.close()
    report.goals_table()
    print(f"\n{time.perf_counter() - began:.0f} s in all, load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
