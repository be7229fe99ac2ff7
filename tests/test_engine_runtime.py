"""The engine over time: a stalled process never loses advice, a failing engine never gives partial advice, and
memory stays flat over any number of scenarios (docs/engine.md, "Stalls", "Memory: a bounded cache of rulesets").

Each case runs advise in a child process, with durable's C core (`durable_rules_engine`, whose functions advise
calls through the module) disturbed: the process really stops itself (SIGSTOP) right after the engine hands
over an action and the test resumes it more than 10 s later; durable's Python clock (`durable.engine._unix_now`,
which its Python layer's 10-second rule reads and advise no longer goes through) jumps 11 s forward during
every action; the engine fails while handing over an action. The first two must give exactly the advice of
an undisturbed run, the last an internal error and nothing on standard output.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from packs import make_pack, rule

ROOT = Path(__file__).parent.parent
SCENARIOS = ROOT / "scenarios" / "crowdworks"
MANY_RULES_FIRE = SCENARIOS / "seed-timeline-rejected-then-threatened.yaml"

# The child: advise's command line, with durable disturbed the way argv[1] says.
HARNESS = textwrap.dedent("""\
    import os, signal, sys
    import durable.engine as durable
    engine = durable.durable_rules_engine
    mode, sys.argv = sys.argv[1], ["advise", *sys.argv[2:]]
    start, complete = engine.start_action_for_state, engine.complete_and_start_action
    def handing_over(after):  # start and complete, with `after(ruleset handle)` once each action is handed over
        def started(handle, state):
            result = start(handle, state)
            if result is not None:
                after(handle)
            return result
        def completed(handle, state):
            result = complete(handle, state)
            if result is not None:
                after(handle)
            return result
        engine.start_action_for_state, engine.complete_and_start_action = started, completed
    if mode == "trace":  # the ruleset (and so the session) of each action, in order, on stderr
        handing_over(lambda handle: print(handle, file=sys.stderr))
    elif mode.startswith("stop="):  # stop right after the engine hands over the Nth action
        count, stop_at = [0], int(mode[5:])
        def stop(handle):
            count[0] += 1
            if count[0] == stop_at:
                os.kill(os.getpid(), signal.SIGSTOP)
        handing_over(stop)
    elif mode == "jump":  # durable's wall clock moves 11 s forward while every action runs
        real, skew = durable._unix_now, [0.0]
        def jump(handle):
            skew[0] += 11
        handing_over(jump)
        durable._unix_now = lambda: real() + skew[0]
    elif mode == "fail":  # the engine fails while handing over the next action, as it does with an error code
        def failing(handle, state):
            raise Exception("Could not complete and start action, error code: 101")
        engine.complete_and_start_action = failing
    elif mode == "budget":  # a cache of one ruleset: every registration frees all the others
        import advisor.engine
        advisor.engine.RULESET_BUDGET = 1
    from advisor.cli import main
    main()
""")


def advise(mode: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", HARNESS, mode, *map(str, args)], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)


def state(pid: int) -> str:
    """The process state letter of /proc/PID/stat ("T" when stopped)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def test_a_process_stopped_mid_evaluation_for_over_10_seconds_gives_the_same_advice():
    expected = advise("none", "--format", "json", MANY_RULES_FIRE)
    assert expected.returncode == 0 and len(expected.stdout) > 1000, expected.stderr
    # The stop lands on the first action of the ruleset with the most actions, so that more follow it.
    sessions = advise("trace", "--format", "json", MANY_RULES_FIRE).stderr.split()
    busiest = max(sessions, key=sessions.count)
    assert sessions.count(busiest) >= 3
    stop = f"stop={sessions.index(busiest) + 1}"
    child = subprocess.Popen([sys.executable, "-c", HARNESS, stop, "--format", "json", str(MANY_RULES_FIRE)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while state(child.pid) != "T":  # it stops itself between the engine handing over an action and running it
            assert child.poll() is None and time.monotonic() < deadline, "the child never stopped"
            time.sleep(0.05)
        time.sleep(11)  # durable's Python layer abandoned an agenda whose action "took" more than 10 s
        os.kill(child.pid, signal.SIGCONT)
        out, err = child.communicate(timeout=60)
    finally:
        child.kill()
        child.wait()
    assert (child.returncode, out) == (0, expected.stdout), err


def test_the_clock_jumping_during_every_action_changes_nothing():
    # Every action of every session of every bundled scenario "takes" 11 s: all their expectations still hold,
    # with the same report.
    expected = advise("none", "test", SCENARIOS)
    jumped = advise("jump", "test", SCENARIOS)
    assert expected.returncode == 0 and "0 failed" in expected.stdout, expected.stdout + expected.stderr
    assert (jumped.returncode, jumped.stdout, jumped.stderr) == (0, expected.stdout, expected.stderr)
    assert advise("jump", "--format", "json", MANY_RULES_FIRE).stdout == advise(
        "none", "--format", "json", MANY_RULES_FIRE).stdout


def test_an_engine_failing_in_the_middle_of_an_agenda_is_an_internal_error_not_partial_advice():
    for lang in ("en", "ja"):
        result = advise("fail", "--lang", lang, MANY_RULES_FIRE)
        assert (result.returncode, result.stdout) == (3, "")
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr


def test_freed_rulesets_are_never_used_again():
    # With room for one ruleset, each evaluation registers and frees its shards over and over (the CrowdWorks
    # pack has a dozen, several rounds each): the advice is the same.
    expected = advise("none", "test", SCENARIOS)
    churned = advise("budget", "test", SCENARIOS)
    assert (churned.returncode, churned.stdout) == (0, expected.stdout), churned.stderr


def test_memory_stays_flat_over_5000_scenarios_each_with_its_own_parameters(tmp_path):
    # Each distinct params: value compiles rulesets of its own; they are cached with a bound and freed from
    # durable when evicted. Unbounded, 3,000 more evaluations of this small pack add about 230 MB.
    pack = make_pack(tmp_path, [rule("over", "{n: {gt: {param: limit}}}"), rule("flagged", "{flag: true}", "b")])
    code = textwrap.dedent(f"""\
        import datetime as dt, os
        from advisor import engine
        from advisor.load import parse
        from advisor.pipeline import advise_document

        def rss():
            with open("/proc/self/statm") as statm:
                return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

        def fired(limit, n):
            doc = parse(f"platform: testpack\\nas_of: 2026-11-25\\nparams: {{{{limit: {{limit}}}}}}\\n"
                        f"facts: {{{{n: {{n}}, flag: {{limit % 2 == 0}}}}}}\\n".encode(), "s.yaml")
            advice = advise_document(doc, {str(pack)!r}, dt.date(2026, 11, 25))
            return [r.rule.id for r in advice.recommendations]

        sizes = {{}}
        for limit in range(1, 5001):
            n = limit % 7 * 1000
            assert fired(limit, n) == ["over"] * (n > limit) + ["flagged"] * (limit % 2 == 0), limit
            if limit in (2000, 5000):
                sizes[limit] = rss()
        assert fired(1, 1000) == ["over"]  # its rulesets were freed long ago: registered again
        print(sizes[5000] - sizes[2000], engine._LIVE[0], len(engine._RULESETS))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    growth, live, cached = map(int, result.stdout.split())
    assert growth < 8 * 2**20, f"memory grew {growth / 2**20:.1f} MB from evaluation 2,000 to 5,000"
    assert live == cached < 5000  # every ruleset that left the cache was freed in durable


def test_a_chain_of_suppressions_runs_again_only_the_shards_whose_marks_changed(tmp_path, monkeypatch):
    """A chain of 120 suppressions takes 120 rounds; after the first, a round asserts only into the shards of
    the chain, whose marks change, and gives the advice of asserting into every shard (a pack of 2,000 other
    rules and a chain of 240 took 17.7 s, 0.7 s without the chain)."""
    from advisor import engine, pipeline
    from advisor.pipeline import advise_file

    rules = [rule(f"x{i}", f"{{n: {{gt: {i}}}}}") for i in range(300)]
    rules += [rule(f"c{i}", "{color: red}", "b").replace("  source: s\n", f"  source: s\n  suppresses: [c{i + 1}]\n")
              for i in range(119)] + [rule("c119", "{color: red}", "b")]
    pack = make_pack(tmp_path / "testpack", rules)
    scenario = tmp_path / "s.yaml"
    scenario.write_text("platform: testpack\nas_of: 2026-11-01\nfacts: {n: 1000, color: red}\n", encoding="utf-8")
    asserted = []
    run = engine.run_shards
    monkeypatch.setattr(engine, "run_shards",
                        lambda shards, facts: asserted.append(len(shards)) or run(shards, facts))
    advice = advise_file(scenario, pack)
    shards = len(pipeline.read_pack(str(pack), pipeline._signature(str(pack)))[1].shards)
    chain_shards = -(-120 // 47)  # 47 one-test rules a shard, the sentinel besides
    assert {r.rule.id for r in advice.recommendations if r.rule.id.startswith("c")} == {f"c{i}" for i in range(0, 120, 2)}
    assert shards + 120 * chain_shards >= sum(asserted) > 120
    assert sum(asserted) < 120 * shards / 2


def test_a_round_after_a_fact_was_set_asserts_only_into_the_shards_whose_rules_read_it(tmp_path, monkeypatch):
    """The second round, which a fact set by a rule brings about, could change only rules reading that fact: the
    300 rules beside them are not asserted into again, and their advice is the same."""
    from advisor import engine, pipeline
    from advisor.pipeline import advise_file

    rules = [rule(f"x{i}", f"{{n: {{gt: {i}}}}}") for i in range(300)]
    rules += [rule("setter", "{color: red}", "b").replace("  source: s\n", "  source: s\n  sets: {done: true}\n"),
              rule("reader", "{done: true}", "b")]
    pack = make_pack(tmp_path / "testpack", rules)
    with (pack / "facts.yaml").open("a", encoding="utf-8") as facts:
        facts.write("  done: {type: bool, set_by_rules: true, description: {ja: 済み, en: Done}}\n")
    scenario = tmp_path / "s.yaml"
    scenario.write_text("platform: testpack\nas_of: 2026-11-01\nfacts: {n: 1000, color: red}\n", encoding="utf-8")
    asserted = []
    run = engine.run_shards
    monkeypatch.setattr(engine, "run_shards", lambda shards, facts: asserted.append(len(shards)) or run(shards, facts))
    advice = advise_file(scenario, pack)
    shards = len(pipeline.read_pack(str(pack), pipeline._signature(str(pack)))[1].shards)
    assert [r.rule.id for r in advice.recommendations] == [f"x{i}" for i in range(300)] + ["setter", "reader"]
    assert shards == 8 and asserted == [8, 1]  # 301 one-test rules, 47 a shard, the reader in a shard of its own
