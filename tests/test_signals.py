"""Writes and signals, driven as a user meets them, in a child process: --force replaces only regular files,
a signal during a write leaves no temporary file, Ctrl-C exits 130 with one line, a closed standard output ends
quietly with the command's own exit code."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "scenarios" / "crowdworks" / "seed-rejected-half-delivered.yaml"
PASSING = ROOT / "scenarios" / "crowdworks" / "accepted-after-14-days-ended-by-agreement.yaml"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "LC_ALL": "C.UTF-8", "LANGUAGE": ""}
ENV.pop("ADVISE_UPDATE_GOLDEN", None)

# A child advise whose os.fsync (the write's last step before the temporary file is moved into place) sends the
# process `signal` first: the moment a user's Ctrl-C or a `kill` would be most costly.
_SIGNALLED_WRITE = """
import os, sys, time
number = int(sys.argv[1])
synced = os.fsync
def fsync(fd):
    os.kill(os.getpid(), number)
    time.sleep(30)
    synced(fd)
os.fsync = fsync
from advisor.cli import main
main(sys.argv[2:], prog_name="advise")
"""


def advise(*args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "advisor", *args], capture_output=True, text=True, env=ENV,
                          cwd=ROOT, timeout=120, **options)


def special_files(tmp_path: Path) -> list[tuple[str, str, str]]:
    """(path, what en says, what ja says) for a device, a FIFO and a symbolic link to a regular file."""
    fifo, target, link = tmp_path / "fifo", tmp_path / "target.txt", tmp_path / "link"
    os.mkfifo(fifo)
    target.write_text("kept\n")
    link.symlink_to(target)
    return [("/dev/null", "it is a device", "デバイスです"),
            (str(fifo), "it is a named pipe (FIFO)", "名前付きパイプ（FIFO）です"),
            (str(link), "it is a symbolic link", "シンボリックリンクです")]


@pytest.mark.parametrize("command", [["--calendar", "PATH", "--force", str(EXAMPLE)],
                                     ["graph", "--platform", "crowdworks", "-o", "PATH", "--force"],
                                     ["ask", "-o", "PATH", "--force", "--answers", "-"]])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_force_replaces_only_regular_files(tmp_path, command, lang):
    for path, en, ja in special_files(tmp_path):
        before = sorted(os.listdir(tmp_path))
        done = advise("--lang", lang, *[path if arg == "PATH" else arg for arg in command], input="{}\n")
        reason = {"en": f"{path}: cannot write: {en}, and --force replaces only regular files",
                  "ja": f"{path}: 書き込めません：{ja}。--force で置き換えるのは通常のファイルだけです"}[lang]
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr.startswith(reason) and done.stderr.count("\n") == 1, done.stderr
        assert sorted(os.listdir(tmp_path)) == before
    assert os.path.islink(tmp_path / "link") and (tmp_path / "target.txt").read_text() == "kept\n"
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


def _signalled(number: int, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _SIGNALLED_WRITE, str(int(number)), *args], capture_output=True,
                          text=True, env=ENV, cwd=ROOT, timeout=120, input="{}\n")


WRITES = [["graph", "--platform", "crowdworks", "-o", "OUT"], ["--calendar", "OUT", str(EXAMPLE)], ["ask", "-o", "OUT", "--answers", "-"]]


@pytest.mark.parametrize("command", WRITES)
def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path, command):
    out = tmp_path / "out"
    done = _signalled(signal.SIGTERM, tmp_path, *[str(out) if arg == "OUT" else arg for arg in command])
    assert done.returncode == -signal.SIGTERM, done.stderr  # the process still ends by the signal
    assert os.listdir(tmp_path) == [] and done.stdout == "" and "Traceback" not in done.stderr


@pytest.mark.parametrize("command", WRITES)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_sigint_during_a_write_leaves_no_temporary_file_and_exits_130(tmp_path, command, lang):
    out = tmp_path / "out"
    done = _signalled(signal.SIGINT, tmp_path, "--lang", lang, *[str(out) if arg == "OUT" else arg for arg in command])
    line = {"en": "interrupted; nothing was written", "ja": "中断しました。ファイルには何も書き込んでいません"}[lang]
    assert done.returncode == 130 and os.listdir(tmp_path) == []
    assert done.stderr.endswith(f"{line}\n") and "Aborted" not in done.stderr and "Traceback" not in done.stderr


def _waiting_on_standard_input(pid: int) -> None:
    """Until the child blocks reading the pipe of its standard input (its imports done, the command running)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "pipe_read" in Path(f"/proc/{pid}/wchan").read_text():  # anon_pipe_read on newer kernels
            return
        time.sleep(0.05)
    raise AssertionError("the child never read its standard input")


@pytest.mark.parametrize(("lang", "line"), [("en", "advise: interrupted; nothing was written\n"),
                                            ("ja", "advise: 中断しました。ファイルには何も書き込んでいません\n")])
def test_ctrl_c_anywhere_exits_130_with_one_line(lang, line):
    """advise - reads its scenario from a pipe that stays open; Ctrl-C then (not in advise ask, which has its
    own words)."""
    child = subprocess.Popen([sys.executable, "-m", "advisor", "--lang", lang, "-"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT)
    try:
        _waiting_on_standard_input(child.pid)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        child.kill()
        child.wait()
    assert (child.returncode, out, err) == (130, "", line)


@pytest.mark.parametrize(("args", "code"), [(["test", str(PASSING)], 0),
                                            (["test", str(EXAMPLE), str(PASSING)], None),
                                            (["--format", "json", str(EXAMPLE)], None),
                                            (["rules"], 0), (["graph", "--platform", "crowdworks"], 0),
                                            (["check"], None),
                                            (["--help"], 0), (["run", "--help"], 0), (["help", "check"], 0),
                                            (["--version"], 0)])
def test_a_closed_standard_output_ends_quietly_with_the_usual_exit_code(args, code):
    """The reader is gone before advise writes anything (as `| head -c 0`): no traceback, no "Exception ignored",
    and the exit code the command has when its output is read."""
    usual = advise(*args)
    assert code is None or usual.returncode == code
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([sys.executable, "-m", "advisor", *args], stdout=write, stderr=subprocess.PIPE,
                              text=True, env=ENV, cwd=ROOT, timeout=120)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (usual.returncode, usual.stderr)


# A child advise, started as the `advise` command starts (advisor.__main__.run), that gets Ctrl-C at one moment:
# while `click` is being imported (advise itself not yet ready), or while the command line is being parsed.
_INTERRUPTED_AT = """
import builtins, os, signal, sys
moment = sys.argv.pop(1)
if moment == "import":
    imported = builtins.__import__
    def hooked(name, *args, **options):
        if name == "click" and "click" not in sys.modules:
            os.kill(os.getpid(), signal.SIGINT)
        return imported(name, *args, **options)
    builtins.__import__ = hooked
else:
    import click
    parse = click.Command.parse_args
    def parse_args(self, ctx, args):
        os.kill(os.getpid(), signal.SIGINT)
        return parse(self, ctx, args)
    click.Command.parse_args = parse_args
from advisor.__main__ import run
run()
"""


@pytest.mark.parametrize("moment", ["import", "parse"])
@pytest.mark.parametrize(("lang", "line"), [("en", "advise: interrupted; nothing was written\n"),
                                            ("ja", "advise: 中断しました。ファイルには何も書き込んでいません\n")])
def test_ctrl_c_before_the_command_runs_exits_130_with_one_line(moment, lang, line):
    """Ctrl-C while advise is still starting: no KeyboardInterrupt traceback, no click "Aborted!"."""
    done = subprocess.run([sys.executable, "-c", _INTERRUPTED_AT, moment, "--lang", lang, "rules"],
                          capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (130, "", line)


# A child advise whose every rule action (run by durable_rules, inside its callback) is interrupted by Ctrl-C.
_INTERRUPTED_IN_THE_ENGINE = """
import os, signal
from advisor import engine
recording = engine._recording
def interrupted_recording(recorder, rule):
    action = recording(recorder, rule)
    def interrupted(context):
        os.kill(os.getpid(), signal.SIGINT)
        action(context)
    return interrupted
engine._recording = interrupted_recording
from advisor.__main__ import run
run()
"""


def test_ctrl_c_while_the_engine_runs_an_action_is_one_line():
    """durable_rules catches the KeyboardInterrupt in its callback and would log it with a traceback."""
    done = subprocess.run([sys.executable, "-c", _INTERRUPTED_IN_THE_ENGINE, "--lang", "en", str(EXAMPLE)],
                          capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "advise: interrupted; nothing was written\n")


@pytest.mark.parametrize(("lang", "line"), [
    ("en", "advise: interrupted; {path} had been written whole before\n"),
    ("ja", "advise: 中断しました。{path} は中断の前に最後まで書き込み済みです\n")])
def test_ctrl_c_after_the_calendar_was_written_says_so(tmp_path, monkeypatch, lang, line):
    # The calendar is written before the advice is printed: a Ctrl-C while printing said nothing was written,
    # though the whole file was there.
    from click.testing import CliRunner

    from advisor import cli
    from advisor.cli import main

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "render", interrupted)
    out = tmp_path / "deadlines.ics"
    scenario = ROOT / "scenarios" / "crowdworks" / "all-delivered-acceptance-due.yaml"  # it has deadlines
    result = CliRunner().invoke(main, ["--lang", lang, str(scenario), "--calendar", str(out)])
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", line.format(path=out))
    assert out.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
