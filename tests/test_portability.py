"""advise installs and behaves the same on every CPython 3.10-3.14 (README, pyproject.toml, .ci/run).

- durable_rules 2.0.28 needs CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject to import on 3.13+: the README's
  commands, uv's settings and the command advise prints when the import fails all carry it;
- durable's own DeprecationWarning (utcfromtimestamp, 3.12+) is silenced where advise calls it, and only there;
- why a date does not exist is worked out by advise, not read from Python's wording (3.14 rewords it);
- .ci/run runs the README's test command as written, then the tests on every other CPython it finds.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from yaml.constructor import SafeConstructor

from advisor import engine
from advisor.cli import main
from advisor.messages import say

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "scenarios" / "crowdworks" / "seed-rejected-half-delivered.yaml"
FLAG = "CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject"
AS_OF = "as_of: 2026-11-25\n"


def invoke(args: list[str]):
    result = CliRunner().invoke(main, args, prog_name="advise")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stdout, result.stderr


def readme_commands() -> list[str]:
    """The README's two commands: the lines of its first sh block."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return text.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()


# ------------------------------------------------------------------------------------------ installing

def test_the_readme_commands_build_durable_rules_with_the_flag_in_a_fresh_venv_without_a_cached_copy():
    install, test = readme_commands()
    prefix = f"python3 -m venv --clear .venv && {FLAG} .venv/bin/pip install --no-cache-dir "
    assert install == prefix + ". && .venv/bin/advise scenarios/crowdworks/seed-rejected-half-delivered.yaml"
    assert test == prefix + "-e '.[test]' && .venv/bin/python -m pytest && .venv/bin/ruff check && .venv/bin/mypy"
    assert (REPO / install.rsplit(" ", 1)[1]).is_file()


def test_pyproject_admits_every_cpython_from_3_10_and_gives_uv_the_flag():
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.10"\n' in text
    table = text.split("[tool.uv.extra-build-variables]\n", 1)[1].split("\n[", 1)[0]
    assert 'durable-rules = { CPPFLAGS = "-DPyEval_CallObject=PyObject_CallObject" }' in table.splitlines()
    assert "durable-rules==2.0.28" in text and engine.DURABLE == "durable-rules==2.0.28"


# ------------------------------------------------------------------------------------------ a durable_rules that does not import

UNDEFINED = "/venv/durable_rules_engine.so: undefined symbol: PyEval_CallObject"


@pytest.fixture
def no_engine(monkeypatch):
    monkeypatch.setattr(engine, "_durable", None)
    monkeypatch.setattr(engine, "_IMPORT_ERROR", UNDEFINED, raising=False)
    monkeypatch.setattr(engine, "_HOST", None)


def test_the_rebuild_command_uses_the_environments_own_installer():
    python = "/home/me/my app/.venv/bin/python"
    assert engine.reinstall_command(python, with_pip=True) == (
        f"{FLAG} '/home/me/my app/.venv/bin/python' -m pip install --force-reinstall --no-deps --no-cache-dir "
        "durable-rules==2.0.28")
    assert engine.reinstall_command(python, with_pip=False) == (
        f"{FLAG} uv pip install --python '/home/me/my app/.venv/bin/python' --reinstall --no-deps --no-cache "
        "durable-rules==2.0.28")
    assert engine.reinstall_command().split()[1] == shlex.quote(sys.executable)


def test_an_engine_that_cannot_be_imported_says_which_command_rebuilds_it(no_engine):
    command = engine.reinstall_command()
    assert invoke(["--lang", "en", str(EXAMPLE)]) == (3, "", (
        f"advise: durable_rules cannot be imported ({UNDEFINED}).\n"
        "Build it again with the flag that CPython 3.13 and later need, without reusing a cached copy:\n"
        f"  {command}\n"))
    assert invoke(["--lang", "ja", str(EXAMPLE)]) == (3, "", (
        f"advise: durable_rules を読み込めません（{UNDEFINED}）。\n"
        "CPython 3.13 以降に必要なフラグを付け、キャッシュを使わずにビルドし直してください：\n"
        f"  {command}\n"))


def test_advise_test_reports_an_engine_that_cannot_be_imported_the_same_way(no_engine):
    code, out, err = invoke(["test", "--lang", "en", str(EXAMPLE)])
    assert (code, out, err.splitlines()[-1]) == (3, "", f"  {engine.reinstall_command()}")


def test_a_real_failed_import_is_reported_without_a_traceback(tmp_path):
    # A durable package whose engine fails to import the way a copy built without the flag does on 3.13.
    (tmp_path / "durable").mkdir()
    (tmp_path / "durable" / "__init__.py").write_text("")
    (tmp_path / "durable" / "engine.py").write_text(f"raise ImportError({UNDEFINED!r})\n")
    done = subprocess.run([sys.executable, "-m", "advisor", "--lang", "en", str(EXAMPLE)], capture_output=True,
                          text=True, cwd=REPO, timeout=60,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)])})
    assert (done.returncode, done.stdout) == (3, "")
    assert done.stderr.startswith(f"advise: durable_rules cannot be imported ({UNDEFINED}).\n")
    assert "Traceback" not in done.stderr and FLAG in done.stderr.splitlines()[-1]


# ------------------------------------------------------------------------------------------ durable's warnings

def test_durables_own_deprecation_warnings_are_silenced_only_where_advise_calls_it():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert invoke(["--lang", "en", str(EXAMPLE)])[0] == 0  # durable stamps each action with utcfromtimestamp
        from durable import engine as durable
        durable._unix_now()  # the same call from outside advise's calls into durable
    utc = [w for w in caught if "utcfromtimestamp" in str(w.message)]
    # 3.12 deprecated it: the one call outside advise warns, the many inside do not; earlier Pythons never warn.
    assert len(utc) == (1 if sys.version_info >= (3, 12) else 0)


def test_warnings_raised_by_others_still_show_inside_advises_calls():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with engine._quiet_durable():
            for module in ("durable.engine", "advisor.derive"):
                warnings.warn_explicit("datetime.datetime.utcfromtimestamp() is deprecated", DeprecationWarning,
                                       "x.py", 1, module=module)
    assert [str(w.message) for w in caught] == ["datetime.datetime.utcfromtimestamp() is deprecated"]


# ------------------------------------------------------------------------------------------ impossible dates

@pytest.mark.parametrize("date, en, ja", [
    ("2026-02-30", "2026-02 has no day 30 (it has 28 days)", "2026-02 に 30 日はありません（28 日までです）"),
    ("2027-02-29", "2027-02 has no day 29 (it has 28 days)", "2027-02 に 29 日はありません（28 日までです）"),
    ("2026-04-31", "2026-04 has no day 31 (it has 30 days)", "2026-04 に 31 日はありません（30 日までです）"),
    ("2026-01-00", "2026-01 has no day 0 (it has 31 days)", "2026-01 に 0 日はありません（31 日までです）"),
    ("2026-13-01", "month must be in 1..12", "月は 1〜12 で書いてください"),
    ("2026-00-10", "month must be in 1..12", "月は 1〜12 で書いてください"),
    ("0000-01-01", "year 0 is out of range", "0 年という年はありません"),
])
def test_why_a_date_does_not_exist_is_told_in_advises_words(tmp_path, date, en, ja):
    path = tmp_path / "scenario.yaml"
    path.write_text(AS_OF + f"facts:\n  request_sent_on: {date}\n", encoding="utf-8")
    assert invoke(["--lang", "en", str(path)]) == (2, "", f'{path}:3:20: request_sent_on: impossible date "{date}": {en}\n')
    assert invoke(["--lang", "ja", str(path)]) == (2, "", f'{path}:3:20: request_sent_on: {say("ja", "y_impossible_date", value=date, reason=ja)}\n')


def test_a_leap_day_exists(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text("as_of: 2028-03-01\nfacts:\n  request_sent_on: 2028-02-29\n", encoding="utf-8")
    code, out, err = invoke(["--lang", "en", str(path)])
    assert (code, err) == (0, "") and out


def test_pythons_wording_of_a_refused_date_does_not_reach_the_user(tmp_path, monkeypatch):
    # CPython 3.14 words the refusal differently from 3.10-3.13; advise's message must not change with it.
    timestamp = "tag:yaml.org,2002:timestamp"
    original = SafeConstructor.yaml_constructors[timestamp]

    def as_3_14(constructor, node):
        if node.value == "2026-02-30":
            raise ValueError("day 30 must be in range 1..28 for month 2 in year 2026")
        return original(constructor, node)

    monkeypatch.setitem(SafeConstructor.yaml_constructors, timestamp, as_3_14)
    path = tmp_path / "scenario.yaml"
    path.write_text(AS_OF + "facts:\n  request_sent_on: 2026-02-30\n", encoding="utf-8")
    assert invoke(["--lang", "en", str(path)]) == (
        2, "", f'{path}:3:20: request_sent_on: impossible date "2026-02-30": 2026-02 has no day 30 (it has 28 days)\n')


# ------------------------------------------------------------------------------------------ CI

def ci_legs() -> list[str]:
    done = subprocess.run(["bash", str(REPO / ".ci" / "run"), "--print"], capture_output=True, text=True,
                          timeout=120, cwd=REPO)
    assert (done.returncode, done.stderr) == (0, "")
    return done.stdout.splitlines()


def test_ci_runs_the_readme_test_command_as_written_then_the_tests_on_the_other_pythons():
    readme_test = readme_commands()[1]
    first, *others = ci_legs()
    assert first == readme_test
    up_to_pytest = readme_test.split(" && .venv/bin/ruff check")[0]  # ruff and mypy run once, in the first leg
    default = subprocess.run(["python3", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    versions = []
    for leg in others:
        # python3.X on PATH, or the interpreter pyenv holds for 3.X when its shim refuses to run it
        found = re.match(r"(\S*python(3\.1[0-4])) ", leg)
        assert found, leg
        python, version = found.groups()
        versions.append(version)
        assert leg == up_to_pytest.replace("python3 ", f"{python} ", 1).replace(".venv", f".venv-{version}")
    assert default not in versions and len(versions) == len(set(versions))
    assert ".venv-*/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
