"""advise batch: JSON Lines in, advise --format json's document per line out (with its id), in input order whatever
--jobs; a bad line gets its located errors and the others go on; -o OUT written whole, an interrupted run keeps
its answers in OUT.partial and --resume goes on; the Dask example gives the same lines (docs/batch.md)."""
from __future__ import annotations

import datetime as dt
import errno
import importlib.util
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli import main
from advisor.load import read_file

ROOT = Path(__file__).parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*/*.yaml"))
SEED = ROOT / "scenarios" / "crowdworks" / "seed-rejected-half-delivered.yaml"


def advise(*args: str, input: bytes | str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def plain(value):
    """A scenario file's values as JSON has them: dates as text, as a program writing JSON Lines gives them."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def line_of(path: Path, **extra) -> str:
    """The scenario file at `path` as one JSON line, with `extra` keys (an id) first."""
    return json.dumps(extra | plain(read_file(path).data), ensure_ascii=False)


def compact(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def advise_json(path: Path, *options: str) -> dict:
    """`advise --format json FILE` parsed (exit 0, or 1 for an expect: the advice does not meet)."""
    code, out, err = advise("--format", "json", *options, str(path))
    assert code in (0, 1), err
    return json.loads(out)


def answer_of(path: Path, ident, source: str, line: int, *options: str) -> str:
    """The line advise batch writes for the scenario file at `path` given as line `line` of `source` with `ident`:
    its advise --format json document with the id first, scenario.path being `source:line`."""
    document = advise_json(path, *options)
    document["scenario"]["path"] = f"{source}:{line}"
    return compact({"id": ident} | document)


# A small input: a scenario, a line that is not JSON, a blank line, a scenario without id, one whose id is no id,
# one whose mistake stands after an emoji written as JSON escapes it (json.dumps' default), and a list.
BAD_JSON = '{"id": "b", "facts": {"fee": 5000 "units_total": 3}}'
NO_ID = line_of(SEED)
BAD_ID = '{"id": [1], "platform": "crowdworks"}'
EMOJI = '{"id": 7, "title": "\\ud83d\\ude00 \\u9045\\u5ef6", "platform": "crowdworks", "facts": {"fe": 1}}'
LIST = "[1, 2]"
SMALL = "\n".join([line_of(SEED, id="a"), BAD_JSON, "", NO_ID, BAD_ID, EMOJI, LIST]) + "\n"

def error(ident, line: int, column: int | None, message: str, path: str = "<stdin>") -> str:
    return compact({"id": ident, "errors": [{"path": path, "line": line, "column": column, "message": message,
                                             "code": None}]})


def test_each_line_gets_its_answer_in_order_and_a_bad_line_its_located_errors():
    code, out, err = advise("batch", "--lang", "en", input=SMALL)
    unknown = out.splitlines()[4]
    assert out.splitlines() == [
        answer_of(SEED, "a", "<stdin>", 1, "--lang", "en"),
        error(2, 2, 35, "a comma or a closing bracket was expected here"),  # not JSON: no id read, its number
        answer_of(SEED, 4, "<stdin>", 4, "--lang", "en"),  # no id: its line number; the blank line 3 skipped
        error(5, 5, 8, 'id is text or a whole number, not a list'),
        unknown,
        error(7, 7, 1, "a line is one scenario, a JSON object {...}, not a list"),
    ]
    # the unknown fact "fe" at its column in the line as written, after the 12 characters of \ud83d\ude00
    [problem] = json.loads(unknown)["errors"]
    assert problem == {"path": "<stdin>", "line": 6, "column": EMOJI.index('"fe"') + 1, "code": None,
                       "message": problem["message"]}
    assert problem["message"].startswith('unknown fact "fe" (did you mean "fee"?); facts: contract_type, ')
    assert (code, err) == (1, "advise batch: 6 scenarios read, 4 with errors (<stdin>:2, <stdin>:5, <stdin>:6, "
                              "<stdin>:7)\n")


def test_a_comma_before_a_closing_bracket_is_told_at_the_comma_whatever_python_says():
    code, out, _ = advise("batch", "--lang", "en", input='{"id": 1, "facts": {"fee": 1,}}\n[1 , ]\n')
    assert (code, out.splitlines()) == (1, [error(1, 1, 29, "a comma before a closing bracket is not JSON"),
                                            error(2, 2, 4, "a comma before a closing bracket is not JSON")])


def test_the_errors_are_in_the_language_asked_for():
    code, out, err = advise("batch", "--lang", "ja", input=SMALL)
    lines = out.splitlines()
    assert lines[0] == answer_of(SEED, "a", "<stdin>", 1, "--lang", "ja")
    assert lines[1] == error(2, 2, 35, "ここにはカンマか閉じかっこが必要です")
    assert lines[3] == error(5, 5, 8, "id は文字列か整数です。リストではありません")
    assert json.loads(lines[4])["errors"][0]["message"].startswith("不明なファクト「fe」です（もしかして「fee」？）。ファクト：contract_type, ")
    assert lines[5] == error(7, 7, 1, "1行は1つのシナリオで、JSON オブジェクト {...} です。リストではありません")
    assert (code, err) == (1, "advise batch: シナリオ 6 件を読み、4 件に誤りがありました（<stdin>:2、<stdin>:5、<stdin>:6、<stdin>:7）\n")


def test_every_bundled_scenario_gets_what_advise_format_json_prints_for_its_file(tmp_path):
    """Equal but for scenario.path, which names the line (IN:LINE) instead of the file."""
    cases = tmp_path / "cases.jsonl"
    cases.write_text("".join(line_of(path, id=str(path.relative_to(ROOT))) + "\n" for path in SCENARIOS),
                     encoding="utf-8")
    code, out, err = advise("batch", str(cases), "--lang", "en")
    assert (code, err) == (0, f"advise batch: {len(SCENARIOS)} scenarios advised, 0 with errors\n")
    lines = out.splitlines()
    assert len(lines) == len(SCENARIOS)
    for number, (path, line) in enumerate(zip(SCENARIOS, lines), 1):
        assert line == answer_of(path, str(path.relative_to(ROOT)), str(cases), number, "--lang", "en"), path


def python_advise(*args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "advisor", *args], cwd=ROOT, stderr=subprocess.PIPE,
                            text=True, **popen)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """120 lines: the bundled scenarios in turn, with a line that is no scenario every 25 lines."""
    path = tmp_path_factory.mktemp("batch") / "mixed.jsonl"
    lines = [LIST if number % 25 == 0 else line_of(SCENARIOS[number % len(SCENARIOS)], id=number)
             for number in range(1, 121)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def mixed_answers(mixed) -> str:
    code, out, _ = advise("batch", str(mixed), "--lang", "en", "--as-of", "2026-11-25")
    assert code == 1 and len(out.splitlines()) == 120
    return out


def test_two_jobs_write_the_same_bytes_as_one(mixed, mixed_answers, tmp_path):
    process = python_advise("batch", str(mixed), "--lang", "en", "--as-of", "2026-11-25", "--jobs", "2",
                            "-o", str(tmp_path / "out.jsonl"))
    _, err = process.communicate(timeout=120)
    errors = [f"{mixed}:{number}" for number, line in enumerate(mixed_answers.splitlines(), 1) if '"errors"' in line]
    assert f"{mixed}:25" in errors and f"{mixed}:100" in errors  # a list is no scenario
    assert (process.returncode, err) == (1, f"advise batch: 120 scenarios read, {len(errors)} with errors "
                                            f"({', '.join(errors[:5])}{'…' if len(errors) > 5 else ''})\n")
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == mixed_answers
    assert os.listdir(tmp_path) == ["out.jsonl"]


def wait_for_output(folder: Path, process: subprocess.Popen) -> None:
    """Until the run has written answers to its temporary file in `folder`."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if any(p.name.startswith(".advise-") and p.stat().st_size > 0 for p in folder.iterdir()):
            return
        time.sleep(0.01)
    raise AssertionError("no answer was written")


@pytest.mark.parametrize(("stop", "code", "jobs"), [(signal.SIGINT, 130, "2"), (signal.SIGTERM, 143, "1")])
def test_an_interrupted_run_keeps_its_answers_in_out_partial_and_resume_goes_on(mixed, mixed_answers, tmp_path,
                                                                                stop, code, jobs):
    out = tmp_path / "out.jsonl"
    args = ("batch", str(mixed), "--lang", "en", "--as-of", "2026-11-25", "-o", str(out), "--jobs", jobs)
    process = python_advise(*args)
    wait_for_output(tmp_path, process)
    process.send_signal(stop)
    _, err = process.communicate(timeout=60)
    partial = (tmp_path / "out.jsonl.partial").read_text(encoding="utf-8")
    done = len(partial.splitlines())
    assert (process.returncode, err) == (code, (
        f"advise batch: interrupted after {done} scenarios; {out} was not written, their answers are in "
        f"{out}.partial; to go on: advise batch {mixed} -o {out} --resume --lang en --as-of 2026-11-25"
        f"{' -j 2' if jobs == '2' else ''}\n"))
    assert 0 < done < 120 and partial == "".join(mixed_answers.splitlines(keepends=True)[:done])
    assert sorted(os.listdir(tmp_path)) == ["out.jsonl.partial"]  # neither OUT nor a temporary file

    code, _, err = advise(*args[:-2], "--resume")
    assert (code, out.read_text(encoding="utf-8"), os.listdir(tmp_path)) == (1, mixed_answers, ["out.jsonl"])


def test_the_resume_command_printed_repeats_the_options_that_change_the_answers(mixed, tmp_path):
    out = tmp_path / "out.jsonl"
    process = python_advise("batch", str(mixed), "--lang", "ja", "--rules", str(ROOT / "rules"), "-o", str(out))
    wait_for_output(tmp_path, process)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    command = shlex.split(err.split("：")[-1])
    assert command == ["advise", "batch", str(mixed), "-o", str(out), "--resume", "--lang", "ja", "--rules",
                       str(ROOT / "rules")]
    code, _, _ = advise(*command[1:])
    answers = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert code == 1 and len(answers) == 120
    assert {a.get("lang") for a in answers if "errors" not in a} == {"ja"}


def test_interrupted_on_standard_output_the_lines_written_stay_whole(mixed, mixed_answers):
    process = python_advise("batch", str(mixed), "--lang", "en", "--as-of", "2026-11-25", "--jobs", "2",
                            stdout=subprocess.PIPE)
    first = process.stdout.readline()
    process.send_signal(signal.SIGINT)
    written = first + process.stdout.read()  # from the same buffer as the first line, then to the end
    err = process.stderr.read()
    process.wait(timeout=60)
    done = len(written.splitlines())
    assert (process.returncode, err) == (130, f"advise batch: interrupted after {done} scenarios; their answers "
                                              "were written whole\n")
    assert written == "".join(mixed_answers.splitlines(keepends=True)[:done])


def test_a_progress_bar_is_shown_on_a_terminal_only(mixed):
    """On a terminal (a pseudo-terminal of 80 columns here) standard error shows tqdm's bar counting scenarios up
    to the total; --no-progress, answers on that terminal too, and every test above (standard error a pipe), show
    no bar."""
    import fcntl
    import pty
    import struct
    import termios

    # the answers on the terminal too: no bar, whose redraws would cut their lines
    for options, on_terminal, shown in (((), False, True), (("--no-progress",), False, False), ((), True, False)):
        main_end, terminal = pty.openpty()
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        process = subprocess.Popen([sys.executable, "-m", "advisor", "batch", str(mixed), *options], cwd=ROOT,
                                   stdout=terminal if on_terminal else subprocess.DEVNULL, stderr=terminal)
        os.close(terminal)
        seen = b""
        while True:
            try:
                chunk = os.read(main_end, 4096)
            except OSError:  # the terminal's other end closed: the run is over
                break
            if not chunk:
                break
            seen += chunk
        os.close(main_end)
        assert process.wait(timeout=60) == 1
        text = seen.decode()
        summary = text.index("advise batch: 120 scenarios read, ")
        assert ("/120 [" in text[:summary] and " scenarios/s]" in text[:summary]) is shown  # tqdm: done/total
        assert (text[:summary].replace("\r\n", "\n") == ("".join(_mixed_lines(mixed)) if on_terminal else "")) \
            is not shown


def _mixed_lines(mixed: Path) -> list[str]:
    return advise("batch", str(mixed))[1].splitlines(keepends=True)


def test_a_line_advise_fails_on_is_an_internal_error_and_the_others_go_on(monkeypatch):
    from advisor import batch

    advise_document = batch.advise_document

    def failing(doc, *args):
        if doc.data.get("title") == "boom":
            raise ZeroDivisionError("division by zero")
        return advise_document(doc, *args)

    monkeypatch.setattr(batch, "advise_document", failing)
    code, out, err = advise("batch", "--lang", "en", input=f'{line_of(SEED, id=1)}\n{{"title": "boom"}}\n'
                                                            f'{line_of(SEED, id=3)}\n')
    assert out.splitlines() == [answer_of(SEED, 1, "<stdin>", 1, "--lang", "en"),
                                error(2, 2, None, "advise: internal error: ZeroDivisionError: division by zero"),
                                answer_of(SEED, 3, "<stdin>", 3, "--lang", "en")]
    assert (code, err) == (3, "advise batch: 3 scenarios read, 1 with errors (<stdin>:2)\n")


def test_without_durable_rules_the_run_stops_with_how_to_repair_it(monkeypatch):
    from advisor import batch
    from advisor.diagnostics import msg
    from advisor.engine import EngineUnavailable

    def unavailable(*args):
        raise EngineUnavailable(msg("engine_unavailable", reason="undefined symbol: PyEval_CallObject",
                                    command="pip install durable-rules"))

    monkeypatch.setattr(batch, "advise_document", unavailable)
    code, out, err = advise("batch", "--lang", "en", input=line_of(SEED) + "\n")
    assert (code, out) == (3, "") and "undefined symbol: PyEval_CallObject" in err and "pip install" in err


def test_a_broken_pack_is_each_line_s_error_at_its_own_place_and_read_once(tmp_path, monkeypatch):
    import shutil

    from advisor import pipeline

    pack = tmp_path / "crowdworks"
    shutil.copytree(ROOT / "rules" / "crowdworks", pack)
    with open(pack / "rules.yaml", "a", encoding="utf-8") as rules:
        rules.write("oops: [\n")
    scenario = tmp_path / "seed.yaml"
    scenario.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = advise("--lang", "en", "--rules", str(pack), str(scenario))
    place, message = err.rstrip("\n").split(": ", 1)
    path, line, column = place.rsplit(":", 2)
    reads = []
    load_pack = pipeline._load_pack
    monkeypatch.setattr(pipeline, "_load_pack", lambda *args: reads.append(args) or load_pack(*args))
    code, out, _ = advise("batch", "--lang", "en", "--rules", str(pack), input=(line_of(SEED) + "\n") * 3)
    assert (code, out.splitlines(), len(reads)) == (1, [compact({"id": number, "errors": [
        {"path": path, "line": int(line), "column": int(column), "message": message, "code": None}]})
        for number in (1, 2, 3)], 1)


def test_usage_errors_exit_2_before_any_work(tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text(line_of(SEED) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("kept\n", encoding="utf-8")
    assert advise("batch", str(cases), "-o", str(out)) == (2, "", f"{out}: already exists; add --force to replace it\n")
    assert out.read_text(encoding="utf-8") == "kept\n"
    assert advise("batch", str(tmp_path / "none.jsonl"))[::2] == (
        2, f"{tmp_path / 'none.jsonl'}: cannot read file: no such file or folder\n")
    for jobs in ("0", "65"):  # more processes than 64 only share the same cores
        code, _, err = advise("batch", str(cases), "--jobs", jobs)
        assert code == 2 and f"{jobs} is not a number of processes: give a whole number from 1 to 64" in err
    code, _, err = advise("batch", str(cases), "--resume")
    assert code == 2 and "--resume goes on from OUT.partial, so it needs -o OUT" in err
    assert advise("batch", str(cases), "-o", str(tmp_path / "new.jsonl"), "--resume")[::2] == (
        2, f"{tmp_path / 'new.jsonl'}.partial: there is nothing to go on from (no such file); run without --resume\n")
    (tmp_path / "new.jsonl.partial").write_text("", encoding="utf-8")
    assert advise("batch", str(cases), "-o", str(tmp_path / "new.jsonl"))[::2] == (
        2, f"{tmp_path / 'new.jsonl'}.partial: an interrupted run left it; go on with --resume, or add --force to "
           "start again\n")
    assert advise("batch", str(cases), "-o", str(out), "--force")[0] == 0
    assert out.read_text(encoding="utf-8") == answer_of(SEED, 1, str(cases), 1) + "\n"
    assert sorted(os.listdir(tmp_path)) == ["cases.jsonl", "new.jsonl.partial", "out.jsonl"]


def test_the_dask_example_writes_what_advise_batch_writes(tmp_path, monkeypatch):
    """The same bytes as advise batch FILE, FILE as the pattern gives it (relative here), a byte that is not UTF-8
    and a lone \r inside a line included."""
    spec = importlib.util.spec_from_file_location("dask_batch", ROOT / "examples" / "dask_batch.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    monkeypatch.chdir(tmp_path)
    first, second = Path("cases-1.jsonl"), Path("cases-2.jsonl")
    first.write_text("".join(line_of(path, id=path.name) + "\n" for path in SCENARIOS[:6]), encoding="utf-8")
    second.write_bytes((LIST + "\n\n" + "".join(line_of(path) + "\n" for path in SCENARIOS[-4:])).encode()
                       + b'{"id": "\xff"}\n{"id": 1,\r "platform": "lancers"}\n' + line_of(SEED).encode() + b"\n")
    written = example.advise_files("cases-*.jsonl", "out", "ja", scheduler="sync")
    assert [Path(path).name for path in written] == ["cases-1.jsonl", "cases-2.jsonl"]
    for path in (first, second):
        _, out, _ = advise("batch", str(path), "--lang", "ja")
        assert '"path":"cases-' in out and (tmp_path / "out" / path.name).read_text(encoding="utf-8") == out
    # answer files that would replace an input file or each other: refused, nothing written
    for pattern, folder in (("cases-*.jsonl", "."), ("*/cases-1.jsonl", "both")):
        for place in ("a", "b"):
            Path(place).mkdir(exist_ok=True)
            Path(place, "cases-1.jsonl").write_bytes(first.read_bytes())
        with pytest.raises(SystemExit, match="replace them|same name"):
            example.advise_files(pattern, folder, "en", scheduler="sync")
    assert not Path("both").exists() and first.read_text(encoding="utf-8").startswith('{"id"')


# ------------------------------------------------------------------------------------------------ what goes wrong


def test_a_number_python_cannot_read_or_nesting_beyond_its_stack_is_the_line_s_own_mistake():
    """Valid JSON all the same: each is that line's error (exit 1), never an internal error (exit 3)."""
    long = '{"id": 2, "fee": ' + "9" * 5000 + "}"
    deep = '{"id": 3, "x": ' + "[" * 100000 + "]" * 100000 + "}"
    code, out, err = advise("batch", "--lang", "en", input=f"{line_of(SEED, id=1)}\n{long}\n{deep}\n")
    assert out.splitlines()[1:] == [
        error(2, 2, 18, "a whole number of more than 4300 digits cannot be read"),
        error(3, 3, None, "the file is nested too deeply (more than 50 levels)")]
    assert (code, err) == (1, "advise batch: 3 scenarios read, 2 with errors (<stdin>:2, <stdin>:3)\n")
    code, out, _ = advise("batch", "--lang", "ja", input=long + "\n")
    assert code == 1 and json.loads(out)["errors"][0]["message"] == "4300 桁を超える整数は読めません"


class FullDisk:
    """A file on a full disk: the first write is taken into the buffer, the next ones and the close's flush fail
    with ENOSPC (the file itself is closed all the same, as io's close does)."""

    def __init__(self, stream):
        self.stream, self.writes = stream, 0

    def write(self, data):
        self.writes += 1
        if self.writes > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.stream.write(data)

    def close(self):
        self.stream.close()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name):
        return getattr(self.stream, name)


@pytest.mark.parametrize(("lang", "reason"), [("en", "cannot write: no space left on the disk"),
                                              ("ja", None)])
def test_a_full_disk_is_out_s_located_error_and_leaves_no_temporary_file(tmp_path, monkeypatch, lang, reason):
    from advisor.diagnostics import os_reason
    from advisor.messages import rendered, say

    cases = tmp_path / "cases.jsonl"
    cases.write_text(f"{line_of(SEED, id=1)}\n{line_of(SEED, id=2)}\n", encoding="utf-8")
    fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *args, **kwargs: FullDisk(fdopen(*args, **kwargs)))
    code, out, err = advise("batch", str(cases), "-o", str(tmp_path / "out.jsonl"), "--lang", lang)
    monkeypatch.undo()
    expected = say(lang, "file_cannot_write", path=str(tmp_path / "out.jsonl"),
                   reason=rendered(os_reason(errno.ENOSPC), lang))
    assert (code, out, err) == (2, "", expected + "\n")
    assert reason is None or err == f"{tmp_path / 'out.jsonl'}: {reason}\n"
    assert os.listdir(tmp_path) == ["cases.jsonl"]  # no temporary file, no OUT, no OUT.partial


def test_a_full_standard_output_is_told_as_such_without_a_traceback():
    with open("/dev/full", "wb") as full:
        process = python_advise("batch", "--lang", "en", stdin=subprocess.PIPE, stdout=full)
        _, err = process.communicate(line_of(SEED, id=1) + "\n", timeout=60)
    assert (process.returncode, err) == (2, "<stdout>: cannot write: no space left on the disk\n")


def test_when_the_reader_goes_away_the_run_ends_quietly():
    # `advise batch | head -c 10`, piped by hand (no shell): head exits after 10 bytes and the pipe closes
    process = subprocess.Popen([sys.executable, "-m", "advisor", "batch"], cwd=ROOT, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    head = subprocess.Popen(["head", "-c", "10"], stdin=process.stdout, stdout=subprocess.PIPE)
    process.stdout.close()  # head holds the only reading end
    process.stdout = None
    _, err = process.communicate((line_of(SEED, id=1) + "\n").encode() * 200, timeout=120)
    out, _ = head.communicate(timeout=60)
    assert (process.returncode, head.returncode, out, err) == (0, 0, b'{"id":1,"s', b"")


def test_one_scenario_is_said_in_the_singular():
    assert advise("batch", "--lang", "en", input=line_of(SEED) + "\n")[2] == \
        "advise batch: 1 scenario advised, 0 with errors\n"
    assert advise("batch", "--lang", "en", input=LIST + "\n")[2] == \
        "advise batch: 1 scenario read, 1 with errors (<stdin>:1)\n"
    assert advise("batch", "--lang", "ja", input=line_of(SEED) + "\n")[2] == \
        "advise batch: シナリオ 1 件に助言しました（誤りのある行 0 件）\n"


# ------------------------------------------------------------------------------------------------ --resume


@pytest.fixture(scope="module")
def three(tmp_path_factory) -> tuple[Path, list[str]]:
    """IN of three scenarios (a blank line and a bad one among them) and the answers one run writes for it."""
    path = tmp_path_factory.mktemp("three") / "in.jsonl"
    path.write_text(f"{line_of(SEED, id='a')}\n\n{LIST}\n{line_of(SEED, id='c')}\n", encoding="utf-8")
    code, out, _ = advise("batch", str(path), "--lang", "en", "--as-of", "2026-11-25")
    assert code == 1
    return path, out.splitlines(keepends=True)


def resume(three, tmp_path, partial: str, *options: str) -> tuple[int, str, Path]:
    out = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.partial").write_text(partial, encoding="utf-8")
    code, _, err = advise("batch", str(three[0]), "-o", str(out), "--resume", *options)
    return code, err, out


OTHER_INPUT = ("run with the IN it was written for, or with --force instead of --resume to start again")


def test_resume_refuses_the_answers_of_another_input_at_their_line(three, tmp_path):
    path, answers = three
    shown = answers[0].replace(f'"{path}:1"', '"other.jsonl:1"')
    code, err, out = resume(three, tmp_path, shown, "--lang", "en", "--as-of", "2026-11-25")
    assert (code, err) == (2, f"{out}.partial:1:1: this answer is for other.jsonl:1, not for {path}:1: it was "
                              f"written for another input ({OTHER_INPUT})\n")
    # the second answer is for IN's second line that is not blank, line 3: line 2 of OUT.partial says line 4
    code, err, out = resume(three, tmp_path, answers[0] + answers[2], "--lang", "en", "--as-of", "2026-11-25")
    assert (code, err.startswith(f"{out}.partial:2:1: this answer is for {path}:4, not for {path}:3")) == (2, True)
    code, err, out = resume(three, tmp_path, "".join(answers) + answers[0], "--lang", "en", "--as-of", "2026-11-25")
    assert (code, err) == (2, f"{out}.partial:4:1: {path} has no line left for this answer: it was written for "
                              f"another input ({OTHER_INPUT})\n")
    assert sorted(os.listdir(tmp_path)) == ["out.jsonl.partial"]


def test_resume_refuses_answers_of_another_language_or_date(three, tmp_path):
    code, err, out = resume(three, tmp_path, three[1][0], "--lang", "ja", "--as-of", "2026-11-25")
    assert (code, err) == (2, f"{out}.partial:1:1: この結果は --lang en のもので、ja ではありません。--lang en で再開するか、"
                              "最初からやり直すには --resume の代わりに --force を付けて実行してください\n")
    code, err, out = resume(three, tmp_path, three[1][0], "--lang", "en", "--as-of", "2026-12-01")
    assert (code, err) == (2, f"{out}.partial:1:1: this answer is as of 2026-11-25, not --as-of 2026-12-01: go on "
                              "with the --as-of it was written with, or run with --force instead of --resume to "
                              "start again\n")


@pytest.mark.parametrize("partial", ['{"id":"x","errors":[{"line":"a"}]}\n{"id":1,"errors":5}\n', '{"id":"x"}\n',
                                     '{"id":"y","errors":[]}\n', "[1]\n", "{]\n"])
def test_a_hand_edited_partial_is_refused_at_its_line_naming_force(three, tmp_path, partial):
    code, err, out = resume(three, tmp_path, partial, "--lang", "en")
    assert (code, err) == (2, f"{out}.partial:1:1: not an answer of advise batch; this file cannot be gone on from "
                              "(run with --force instead of --resume to start again)\n")


def test_a_cut_last_line_is_dropped_and_the_whole_ones_kept(three, tmp_path):
    path, answers = three
    code, err, out = resume(three, tmp_path, answers[0] + answers[1][:40], "--lang", "en", "--as-of", "2026-11-25")
    assert (code, out.read_text(encoding="utf-8")) == (1, "".join(answers))
    assert err == (f"{out}.partial: its last line was cut (no line break at its end); it is dropped and that "
                   f"scenario advised again\nadvise batch: 3 scenarios read, 1 with errors ({path}:3)\n")


def test_the_summary_after_resume_counts_the_copied_answers_by_their_own_lines(tmp_path, monkeypatch):
    """An internal error copied from OUT.partial still makes exit 3; a rule pack's mistake is at its pack's line,
    but the summary names IN's line it answers."""
    from advisor import batch

    cases = tmp_path / "in.jsonl"
    cases.write_text(f'{{"title": "boom"}}\n{line_of(SEED, id=2)}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    pack_error = compact({"id": 2, "errors": [{"path": "rules/crowdworks/rules.yaml", "line": 1385, "column": 9,
                                               "message": "broken", "code": None}]})
    internal = error(1, 1, None, "advise: internal error: ZeroDivisionError: division by zero", str(cases))
    (tmp_path / "out.jsonl.partial").write_text(f"{internal}\n{pack_error}\n", encoding="utf-8")
    monkeypatch.setattr(batch, "advise_document", lambda *args: 1 / 0)
    code, _, err = advise("batch", str(cases), "-o", str(out), "--resume")
    assert (code, err) == (3, f"advise batch: 2 scenarios read, 2 with errors ({cases}:1, {cases}:2)\n")


def test_force_starts_again_and_removes_the_stale_partial(three, tmp_path):
    (tmp_path / "out.jsonl.partial").write_text(three[1][0], encoding="utf-8")
    code, _, _ = advise("batch", str(three[0]), "-o", str(tmp_path / "out.jsonl"), "--force", "--lang", "en",
                        "--as-of", "2026-11-25")
    assert (code, sorted(os.listdir(tmp_path))) == (1, ["out.jsonl"])
