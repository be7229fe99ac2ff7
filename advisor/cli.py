"""The command line: parse options, call the pipeline, print, map outcomes to exit codes. No advice logic here."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from . import __version__
from .diagnostics import InputError
from .engine import EngineError, EngineUnavailable
from .expect import unmet
from .load import bundled_rules
from .messages import rendered, report, say
from .pipeline import advise_file, pack_named
from .render import FORMATS, render, render_findings, render_test_run
from .why import why
from .write import NotWritten, check_writable, write_file

# check, overview and run_tests are imported by the commands that use them, which keeps the start-up of
# `advise SCENARIO` light.

EXIT_OK = 0
EXIT_FAILED = 1  # unmet expect:, failing scenarios, or findings at --fail-level
EXIT_INPUT_ERROR = 2  # also click's code for usage errors
EXIT_INTERNAL_ERROR = 3
EXIT_INTERRUPTED = 130  # Ctrl-C in advise ask, as shells report SIGINT

EXAMPLE = """\b
Examples:
  advise situation.yaml
  advise --lang en --format json situation.yaml
  cat situation.yaml | advise -
  advise --rules ./my-rules situation.yaml   (an edited copy of a rule pack)

\b
A scenario file:
  title: クライアントが途中終了リクエストを拒否した
  as_of: 2026-11-25
  facts:
    work_started: true
    request_sent_on: 2026-11-10
    client_response: rejected
    units_total: 10
    units_delivered: 5
    fee: 50000

\b
Exit codes:
  0 advice given
  1 the scenario's expect: was not met (the advice is still printed)
  2 usage error or invalid input (path:line:col: message on stderr)
  3 internal error (a bug in advise: please report it)
"""


def default_lang() -> str:
    """ja for a Japanese locale (ja_JP.UTF-8 ...), en otherwise; LC_ALL wins over LC_MESSAGES over LANG, and
    without them (as on Windows) the system's locale decides."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "ja" if value.startswith("ja") else "en"
    import locale

    system = locale.getlocale()[0] or ""
    return "ja" if system.startswith(("ja", "Japanese")) else "en"


def _utf8_output() -> None:
    """Advice mixes Japanese, ¥ and ✓: write UTF-8 even where the console's code page could not hold them."""
    for stream in (sys.stdout, sys.stderr):
        if (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


class _AdviseGroup(click.Group):
    """`advise FILE` means `advise run FILE`: anything that is not a subcommand or a group option goes to run."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _utf8_output()
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


class Failure(click.ClickException):
    """How a command ends early, click's way (as its ClickException): `message`, already in the user's language,
    goes to stderr as it is (nothing when it is empty), and advise exits with `exit_code`."""

    def __init__(self, message: str, exit_code: int = EXIT_INPUT_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares a class default, and reads the instance's

    def show(self, file=None) -> None:
        if self.message:
            click.echo(self.message, file=file, err=file is None)


@contextmanager
def _reported(lang: str) -> Iterator[None]:
    """A user's mistake (InputError) as its diagnostics, exit 2; an engine failure as an internal error, exit 3."""
    try:
        yield
    except InputError as error:
        raise Failure(report(error.diagnostics, lang)) from None
    except EngineUnavailable as error:  # not a bug: the message says which command repairs the installation
        raise Failure(rendered(error.message, lang), EXIT_INTERNAL_ERROR) from None
    except EngineError as error:
        raise Failure(say(lang, "internal_error", detail=error), EXIT_INTERNAL_ERROR) from None


# What a command says when the file it was asked to write is not written: (it exists, the system refused).
_CALENDAR_NOT_WRITTEN = ("calendar_exists", "calendar_cannot_write")
_ASK_NOT_WRITTEN = ("ask_exists", "ask_cannot_write")


def _not_written(error: NotWritten, lang: str, keys: tuple[str, str]) -> Failure:
    """A file left unwritten (write.py), in the words of the command that was asked to write it; exit 2."""
    exists, cannot_write = keys
    if error.reason is None:
        return Failure(say(lang, exists, path=error.path))
    return Failure(say(lang, cannot_write, path=error.path, reason=error.reason))


@click.group(name="advise", cls=_AdviseGroup, epilog=EXAMPLE, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="advise", message="%(prog)s %(version)s")
def main() -> None:
    """Advice for leaving a crowdsourcing contract midway, from YAML rule packs.

    advise SCENARIO prints ranked recommendations for the situation described in
    the scenario file (- reads it from standard input). Its options, --format
    text|json, --lang ja|en and --rules DIR, are listed by advise run --help.
    """


def _resolve_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """--lang as given, else the locale's (default_lang): every command gets ja or en."""
    return value or default_lang()


_RULES_OPTION = click.option("--rules", type=click.Path(exists=True, file_okay=False), default=None,
                             help="A rule pack folder, or a folder of packs, instead of the bundled ones.")
_PLATFORM_OPTION = click.option("--platform", default=None,
                                help="The pack to show [default: the one pack given with --rules, else crowdworks].")
_LANG_OPTION = click.option("--lang", type=click.Choice(("ja", "en")), default=None, callback=_resolve_lang,
                            help="Language [default: ja for a Japanese locale, else en].")


@main.command(epilog=EXAMPLE)
@click.argument("scenario", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, json for programs (see docs/json.md), markdown for notes.")
@_LANG_OPTION
@_RULES_OPTION
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="DATE",
              help="The date to give the advice for, YYYY-MM-DD, instead of the scenario's as_of (or today).")
@click.option("--explain", is_flag=True,
              help="Also say why: each rule's conditions with the facts' values, what was computed, which advice "
                   "one or two different facts would have given, and which missing facts could change it.")
@click.option("--drafts", is_flag=True,
              help="Also print the words to send (a draft message) after each recommendation that has one; "
                   "〈…〉 or <...> marks what only you know.")
@click.option("--calendar", "calendar_file", type=click.Path(dir_okay=False), default=None, metavar="FILE.ics",
              help="Also write the advice's deadlines to FILE.ics, one all-day event each (refused if it exists, "
                   "unless --force).")
@click.option("--force", is_flag=True, help="With --calendar: replace FILE.ics if it exists.")
def run(scenario: str, fmt: str, lang: str, rules: str | None, as_of, explain: bool,
        calendar_file: str | None, force: bool, drafts: bool = False) -> None:
    """Print advice for the situation in SCENARIO."""
    if calendar_file:
        _check_calendar(calendar_file, scenario, force, lang)
    with _reported(lang):
        advice = advise_file(scenario, rules, as_of=as_of.date() if as_of else None)
        reasons = why(advice) if explain else None
    if calendar_file:
        _write_calendar(calendar_file, advice, lang, force)
    click.echo(render(advice, fmt, lang, reasons, drafts=drafts), nl=False)
    problems = unmet(advice, lang)
    if problems:
        raise Failure("\n".join(f"{advice.scenario.path}: {p}" for p in problems), EXIT_FAILED)


def _check_calendar(path: str, scenario: str, force: bool, lang: str) -> None:
    """advise SCENARIO --calendar, before any work: never to standard output or over the scenario, and not over
    another file unless --force."""
    if path == "-" or scenario != "-" and os.path.exists(scenario) and os.path.realpath(path) == os.path.realpath(scenario):
        raise click.BadParameter(say(lang, "calendar_not_here"), param_hint="--calendar")
    try:
        check_writable(path, force)
    except NotWritten as error:
        raise _not_written(error, lang, _CALENDAR_NOT_WRITTEN) from None


def _write_calendar(path: str, advice, lang: str, force: bool) -> None:
    """advise SCENARIO --calendar: written before the advice is printed, so a refusal prints nothing else."""
    from .ics import calendar, deadlines

    try:
        write_file(path, calendar(advice, lang), replace=force)
    except NotWritten as error:  # created since the check at the start, or the system refused
        raise _not_written(error, lang, _CALENDAR_NOT_WRITTEN) from None
    if not deadlines(advice):
        click.echo(say(lang, "calendar_empty", path=path), err=True)


@main.command(epilog="Checks and their codes: docs/checks.md")
@click.argument("pack_dir", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="text for people, json for programs and editors (docs/checks.md).")
@click.option("--fail-level", type=click.Choice(("warning", "error")), default="warning", show_default=True,
              help="Exit 1 when a finding is at this level or above.")
@_LANG_OPTION
def check(pack_dir: str | None, fmt: str, fail_level: str, lang: str) -> None:
    """Validate and lint a rule pack (or a folder of packs; default: the bundled ones).

    Each finding: path:line:col: [error|warning] CODE message. Exit 0 clean, 1 findings at or above
    --fail-level, 2 a file cannot be read.
    """
    from .check import LEVELS, check_packs, level

    with _reported(lang):
        findings = check_packs(pack_dir or bundled_rules())
    click.echo(render_findings(findings, fmt, lang), nl=False)
    if any(LEVELS.index(level(f)) >= LEVELS.index(fail_level) for f in findings):
        raise Failure("", EXIT_FAILED)


@main.command(name="test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@_RULES_OPTION
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="text for people, json for programs.")
@_LANG_OPTION
def test_command(paths: tuple[str, ...], rules: str | None, fmt: str, lang: str) -> None:
    """Run the expectations (expect:) of scenario files or folders (default: scenarios/).

    One line per scenario, PASS or FAIL, then the rules no scenario's advice came from, then
    "N passed, N failed". Exit 0 all pass, 1 any fail, 2 a scenario cannot be read.
    """
    from .expect import run_tests

    if not paths:
        if not os.path.isdir("scenarios"):
            raise click.UsageError(say(lang, "test_no_scenarios"))
        paths = ("scenarios",)
    with _reported(lang):  # a broken durable_rules installation, as everywhere else
        run = run_tests(list(paths), rules, lang)
    click.echo(render_test_run(run, fmt, lang), nl=False)
    if run.errors:
        raise Failure(report(run.errors, lang))
    if run.failed:
        raise Failure("", EXIT_FAILED)


@main.command(name="rules")
@_RULES_OPTION
@_PLATFORM_OPTION
@_LANG_OPTION
def rules_command(rules: str | None, platform: str, lang: str) -> None:
    """Print the pack's rules, facts and parameters as tables."""
    from .overview import rules_table

    with _reported(lang):
        pack = pack_named(platform, rules)
    click.echo(rules_table(pack, lang), nl=False)


@main.command(name="graph")
@_RULES_OPTION
@_PLATFORM_OPTION
@_LANG_OPTION
@click.option("--format", "fmt", type=click.Choice(("mermaid", "dot", "svg")), default="mermaid", show_default=True,
              help="mermaid (renders in Markdown), dot (Graphviz), or svg (drawn by Graphviz, if installed).")
def graph_command(rules: str | None, platform: str, lang: str, fmt: str) -> None:
    """Draw the pack: facts -> rules -> actions, with what rules set and suppress."""
    from .overview import GraphvizError, graph, render_svg

    with _reported(lang):
        pack = pack_named(platform, rules)
    source = graph(pack, "dot" if fmt == "svg" else fmt, lang)
    if fmt != "svg":
        click.echo(source, nl=False)
        return
    try:
        svg = render_svg(source)
    except GraphvizError as error:
        raise Failure(say(lang, "graphviz_failed", detail=error.message)) from None
    sys.stdout.buffer.write(svg)


@main.command(name="ask")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Also write the answers as a scenario file (refused if FILE exists, unless --force).")
@click.option("--force", is_flag=True, help="With -o: replace FILE if it exists.")
@_RULES_OPTION
@_LANG_OPTION
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="DATE",
              help="The date to give the advice for, YYYY-MM-DD [default: today].")
def ask_command(output: str | None, force: bool, rules: str | None, lang: str, as_of) -> None:
    """Answer questions instead of writing a scenario, and get the advice.

    Only questions whose answer can still change the advice are asked. Enter means "don't know"; why
    shows what a question decides. After the advice, how N explains recommendation N. The answers are
    then printed as a scenario file, or written to FILE with -o (advise FILE gives the same advice).
    Without a terminal, the answers are read from standard input, one line per question; the end of
    input means "don't know" for the rest. Ctrl-C stops without writing anything (exit 130).
    """
    import datetime as dt

    from . import interview  # as a module: tests replace interview.interview

    if output:
        try:
            check_writable(output, force, folder=True)
        except NotWritten as error:
            raise _not_written(error, lang, _ASK_NOT_WRITTEN) from None
    answers = _typed_answers() if sys.stdin.isatty() else _piped_answers()
    with _reported(lang), _interruptible(lang):
        result = interview.interview(rules, lang, answers, click.echo, as_of.date() if as_of else dt.date.today())
        if output:
            _save(output, result.scenario, force, lang)
    click.echo("")
    if output:
        click.echo(say(lang, "ask_saved", path=output))
    else:
        click.echo(say(lang, "ask_scenario"))
        click.echo(result.scenario, nl=False)


@contextmanager
def _interruptible(lang: str) -> Iterator[None]:
    """Ctrl-C while asking or writing: nothing written, exit 130."""
    try:
        yield
    except KeyboardInterrupt:
        if sys.stdin.isatty():
            click.echo("")  # end the line of the prompt
        raise Failure(say(lang, "ask_interrupted"), EXIT_INTERRUPTED) from None


def _save(output: str, text: str, force: bool, lang: str) -> None:
    try:
        write_file(output, text, replace=force)
    except NotWritten as error:  # created while the questions were answered, or the system refused
        if error.reason is not None:  # the answers are not lost: they can still be copied from here
            click.echo(say(lang, "ask_scenario"))
            click.echo(text, nl=False)
        raise _not_written(error, lang, _ASK_NOT_WRITTEN) from None


def _typed_answers():
    """Answers typed at a terminal; Ctrl-D ends them."""
    while True:
        try:
            yield input("> ")
        except EOFError:
            click.echo("")  # end the line of the prompt
            return


def _piped_answers():
    """Answers read from standard input, one per line, each shown after its prompt as if typed."""
    for number, line in enumerate(sys.stdin):
        line = line.rstrip("\r\n")
        if number == 0:
            line = line.removeprefix("\ufeff")  # a byte-order mark some editors put before the first answer
        click.echo(f"> {line}" if line else ">")  # no trailing space for an empty answer
        yield line
