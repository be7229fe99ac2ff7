"""Start-up and throughput of advise, side by side with what durable_rules costs on its own.

Run from the repository root with the Python that has advise installed:

    python benchmarks/bench.py

1. Start-up: a cold `advise SCENARIO` process (the installed console script, as a user runs it) against
   the import floor, a process that only imports advise's dependencies (yaml, click, durable.engine), and
   a bare `python -c pass`. The commands run interleaved, each round in a rotated order.
2. Throughput: full evaluations per second of the advisor (pipeline.advise_document on an already loaded
   Document; the pack is cached after the first evaluation, as in any batch run) against bare durable_rules
   asserting the same encoded facts into the same compiled rulesets, all scenarios in rotation.

Prints a table and the ratios; there are no pass/fail thresholds. Standard library only, besides advise.
"""
from __future__ import annotations

import datetime as dt
import importlib.metadata
import importlib.util
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from durable import engine as durable

import advisor
from advisor.compile import MARK, SENTINEL, compile_pack, encode_facts
from advisor.diagnostics import InputError
from advisor.load import read_file
from advisor.pipeline import advise_document, pack_for
from advisor.validate_scenario import validate_scenario

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "scenarios" / "crowdworks"
EXAMPLE = SCENARIOS / "seed-rejected-half-delivered.yaml"
FLOOR_IMPORTS = "import yaml, click, durable.engine"

STARTUP_ROUNDS = 15
STARTUP_WARMUP = 2
BATCHES = 9  # timed batches per throughput path; the median batch is reported
BATCH = 2000  # evaluations per batch
WARMUP = 300  # evaluations per path before timing


# ---------------------------------------------------------------------------------------------- start-up

def advise_command(scenario: Path) -> tuple[list[str], str]:
    """The console script installed beside this interpreter (what `advise` runs), else `python -m advisor`."""
    script = shutil.which("advise", path=str(Path(sys.executable).parent))
    if script:
        return [script, str(scenario)], f"advise SCENARIO (console script {_short(Path(script))})"
    return [sys.executable, "-m", "advisor", str(scenario)], "python -m advisor SCENARIO"


def advisor_bytecode_cached() -> bool:
    """Whether advisor's modules have .pyc files beside them (they do in a normal installation)."""
    source = Path(advisor.__file__).parent / "cli.py"
    return Path(importlib.util.cache_from_source(str(source))).is_file()


def time_process(command: list[str], env: dict[str, str], ok: tuple[int, ...]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode not in ok:
        raise SystemExit(f"{command} exited with {done.returncode}: {done.stderr.decode(errors='replace')}")
    return elapsed


def startup(scenario: Path) -> list[tuple[str, list[float]]]:
    advise, advise_label = advise_command(scenario)
    # Every process reads and writes bytecode in a private cache (PYTHONPYCACHEPREFIX), so each command
    # runs with compiled modules after the warm-up, as it does in an ordinary installation, whatever
    # the calling shell says about bytecode, and nothing is written into the checkout.
    cache = tempfile.mkdtemp(prefix="advise-bench-pyc-")
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = cache
    # Context: advise when bytecode is never written (PYTHONDONTWRITEBYTECODE=1, python -B); modules
    # without a .pyc beside them are compiled from source on every run.
    no_write = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}
    no_write["PYTHONDONTWRITEBYTECODE"] = "1"
    state = "advisor .pyc present" if advisor_bytecode_cached() else "advisor compiled from source"
    commands = [
        ("python -c pass", [sys.executable, "-c", "pass"], cached, (0,)),
        (f'python -c "{FLOOR_IMPORTS}"', [sys.executable, "-c", FLOOR_IMPORTS], cached, (0,)),
        (advise_label, advise, cached, (0, 1)),  # 1: the scenario's expect: was not met, still a full run
        (f"  same, PYTHONDONTWRITEBYTECODE=1 ({state})", advise, no_write, (0, 1)),
    ]
    try:
        for _ in range(STARTUP_WARMUP):
            for _, command, env, ok in commands:
                time_process(command, env, ok)
        times: list[list[float]] = [[] for _ in commands]
        for round_ in range(STARTUP_ROUNDS):
            shift = round_ % len(commands)
            for index in [*range(shift, len(commands)), *range(shift)]:
                _, command, env, ok = commands[index]
                times[index].append(time_process(command, env, ok))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return [(label, sample) for (label, *_), sample in zip(commands, times)]


# -------------------------------------------------------------------------------------------- throughput

class _QuietHost(durable.Host):
    def _run(self) -> None:
        """No background timer threads: everything runs in the caller's thread."""


class Bare:
    """durable_rules alone: the compiled rulesets, and actions that only note the rule's name."""

    def __init__(self, prefix: str):
        self.host = _QuietHost()
        self.prefix = prefix
        self.fired: list[str] = []
        self.registered: dict[str, str] = {}  # shard definition as JSON -> ruleset name
        self.sessions = itertools.count(1)

    def names(self, compiled) -> tuple[str, ...]:
        names = []
        for shard in compiled.shards:
            key = json.dumps(shard.definition, sort_keys=True)
            if key not in self.registered:
                name = f"{self.prefix}_{len(self.registered) + 1}"
                rules = {rule: {**body, "run": self._action(rule)} for rule, body in shard.definition.items()}
                self.host.register_rulesets({name: rules})
                self.registered[key] = name
            names.append(self.registered[key])
        return tuple(names)

    def _action(self, rule: str):
        fired = self.fired

        def action(context) -> None:  # one parameter: durable treats two as asynchronous
            fired.append(rule)
        return action

    def fresh(self, names: tuple[str, ...], facts: dict) -> None:
        """One evaluation the way advise drives the engine: a new session per shard, deleted afterwards."""
        sid = str(next(self.sessions))
        for name in names:
            self.host.assert_fact(name, {**facts, MARK: 1, "sid": sid})
            self.host.delete_state(name, sid)

    def reused(self, names: tuple[str, ...], facts: dict) -> None:
        """One evaluation in a single long-lived session: assert, then retract the same fact."""
        for name in names:
            fact = {**facts, MARK: 1, "sid": "0"}
            self.host.assert_fact(name, fact)
            self.host.retract_fact(name, fact)


def load_scenarios() -> tuple[list, list[str]]:
    """(document, compiled pack, encoded facts, ids of the rules advise recommends) for every scenario advise
    accepts, and the names of those it refuses."""
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
        expected = sorted(r.rule.id for r in advice.recommendations)
        loaded.append((doc, compiled, facts, expected))
    return loaded, refused


def agreement(bare: Bare, drive, loaded, prepared) -> int:
    """How many scenarios fire exactly the rules the advisor recommends (checked twice over)."""
    agree = 0
    for (_, compiled, facts, expected), (names, _) in zip(loaded, prepared):
        results = []
        for _ in range(2):
            bare.fired.clear()
            drive(names, facts)
            results.append(sorted({compiled.rules[r].id for r in bare.fired if r != SENTINEL}))
        agree += results[0] == results[1] == expected
    bare.fired.clear()
    return agree


def throughput(loaded) -> tuple[list[tuple[str, list[float]]], list[str]]:
    fresh_host, reused_host = Bare("bench_fresh"), Bare("bench_reused")
    docs = [doc for doc, *_ in loaded]
    fresh_work = [(fresh_host.names(compiled), facts) for _, compiled, facts, _ in loaded]
    reused_work = [(reused_host.names(compiled), facts) for _, compiled, facts, _ in loaded]
    notes = []

    def advisor_batch(count: int, start: int) -> None:
        n = len(docs)
        for i in range(start, start + count):
            advise_document(docs[i % n])

    def bare_batch(host: Bare, drive, work):
        def batch(count: int, start: int) -> None:
            n = len(work)
            fired = host.fired
            for i in range(start, start + count):
                names, facts = work[i % n]
                drive(names, facts)
                fired.clear()
        return batch

    paths = [("advisor: pipeline.advise_document", advisor_batch)]
    agree = agreement(fresh_host, fresh_host.fresh, loaded, fresh_work)
    notes.append(f"bare durable, fresh session: same rules as the advisor in {agree}/{len(loaded)} scenarios")
    paths.append(("bare durable: new sid, assert + delete_state", bare_batch(fresh_host, fresh_host.fresh,
                                                                          fresh_work)))
    try:
        agree = agreement(reused_host, reused_host.reused, loaded, reused_work)
    except Exception as error:  # the engine reports its failures as bare exceptions
        notes.append(f"bare durable, one session: left out, the engine failed: {error}")
    else:
        notes.append(f"bare durable, one session: same rules as the advisor in {agree}/{len(loaded)} scenarios")
        if agree == len(loaded):
            paths.append(("bare durable: one sid, assert + retract_fact",
                          bare_batch(reused_host, reused_host.reused, reused_work)))
        else:
            notes[-1] += "; left out of the timings"

    for _, batch in paths:
        batch(WARMUP, 0)
    rates: list[list[float]] = [[] for _ in paths]
    for round_ in range(BATCHES):
        for index, (_, batch) in enumerate(paths):
            start = time.perf_counter()
            batch(BATCH, round_ * BATCH)
            rates[index].append(BATCH / (time.perf_counter() - start))
    return [(label, sample) for (label, _), sample in zip(paths, rates)], notes


# ------------------------------------------------------------------------------------------------ report

def _short(path: Path) -> str:
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return f"{path.parent.name}/{path.name}"


def main() -> None:
    loaded, refused = load_scenarios()
    if not loaded:
        raise SystemExit(f"no usable scenarios in {SCENARIOS}")
    scenario = EXAMPLE if EXAMPLE.is_file() else Path(loaded[0][0].path)
    shards = len(loaded[0][1].shards)
    rules = len(loaded[0][1].rules)

    print(f"advise {advisor.__version__} benchmark: Python {platform.python_version()}, "
          f"durable_rules {importlib.metadata.version('durable_rules')}, {os.cpu_count()} CPUs")
    print()
    started = startup(scenario)
    print(f"Start-up: one new process per run, {STARTUP_ROUNDS} runs each, interleaved; "
          f"SCENARIO = {_short(scenario)}")
    width = max(len(label) for label, _ in started)
    print(f"  {'command':<{width}}  {'median':>9}  {'min':>9}")
    for label, sample in started:
        print(f"  {label:<{width}}  {statistics.median(sample) * 1e3:6.1f} ms  {min(sample) * 1e3:6.1f} ms")
    print()

    measured, notes = throughput(loaded)
    print(f"Throughput: {len(loaded)} scenarios in rotation ({rules} rules, {shards} shard(s)), "
          f"median of {BATCHES} batches of {BATCH}")
    if refused:
        print(f"  refused by advise and left out: {', '.join(refused)}")
    width = max(len(label) for label, _ in measured)
    print(f"  {'path':<{width}}  {'eval/s':>8}  {'us/eval':>8}")
    rate = {}
    for label, sample in measured:
        rate[label] = statistics.median(sample)
        print(f"  {label:<{width}}  {rate[label]:8.0f}  {1e6 / rate[label]:8.1f}")
    for note in notes:
        print(f"  {note}")
    print()

    medians = {label: statistics.median(sample) for label, sample in started}
    minima = {label: min(sample) for label, sample in started}
    bare_python, floor, advise = (label for label, _ in started[:3])
    advisor_rate, bare_rate = (rate[label] for label, _ in measured[:2])
    print("Ratios")
    print(f"  start-up, advise / import floor, median   {medians[advise] / medians[floor]:5.2f}x  "
          f"(+{(medians[advise] - medians[floor]) * 1e3:.1f} ms)")
    print(f"  start-up, advise / import floor, min      {minima[advise] / minima[floor]:5.2f}x  "
          f"(+{(minima[advise] - minima[floor]) * 1e3:.1f} ms)")
    print(f"  start-up, import floor / python -c pass   {medians[floor] / medians[bare_python]:5.2f}x")
    print(f"  throughput, advisor / bare durable        {advisor_rate / bare_rate:5.2f}x  "
          f"(each evaluation takes {bare_rate / advisor_rate:.2f}x as long, "
          f"+{1e6 / advisor_rate - 1e6 / bare_rate:.1f} us)")
    if len(measured) > 2:
        reused_rate = rate[measured[2][0]]
        print(f"  throughput, one session / new sessions    {reused_rate / bare_rate:5.2f}x  (bare durable)")


if __name__ == "__main__":
    main()
