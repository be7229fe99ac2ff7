"""The command line: parse options, call the pipeline, print, map outcomes to exit codes. No advice logic here."""
from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import click
from click import parser as _click_parser  # its ngettext, which _click_speaks translates

from . import __version__, cache
from .diagnostics import InputError, Message, about_file, clipped, did_you_mean, escaped, msg, os_reason, shown_path
from .engine import EngineError, EngineUnavailable
from .expect import unmet
from .load import bundled_rules, pack_folders
from .messages import catalog, rendered, report, say
from .model import LANGS, PACK_FILE
from .pipeline import advise_file, pack_named, platform_folder
from .render import FORMATS, render, render_findings, render_test_run
from .validate_values import read_date
from .write import WRITTEN, NotWritten, check_writable, write_file

# check, overview and run_tests are imported by the commands that use them, which keeps the start-up of
# `advise SCENARIO` light.

EXIT_OK = 0
EXIT_FAILED = 1  # unmet expect:, failing scenarios, or findings at --fail-level
EXIT_INPUT_ERROR = 2  # also click's code for usage errors
EXIT_INTERNAL_ERROR = 3
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT



def default_lang() -> str:
    """ja for a Japanese locale (ja_JP.UTF-8 ...), en otherwise, in GNU gettext's order: LANGUAGE (a list such as
    `fr:ja:en`, whose first language advise speaks wins), then the locale, LC_ALL, LC_MESSAGES, LANG (the first that
    is set); without them (as on Windows) the system's locale decides. As in GNU gettext, LANGUAGE is ignored when the
    locale is C or POSIX (C.UTF-8 too): such a locale asks for untranslated messages, which are English."""
    locale_name = next((value for value in map(os.environ.get, ("LC_ALL", "LC_MESSAGES", "LANG")) if value), None)
    if locale_name is not None and _untranslated(locale_name):
        return "en"
    for name in os.environ.get("LANGUAGE", "").split(":"):
        if name[:2] in LANGS:
            return name[:2]
    if locale_name is not None:
        return "ja" if locale_name.startswith("ja") else "en"
    import locale

    system = locale.getlocale()[0] or ""
    return "ja" if system.startswith(("ja", "Japanese")) else "en"


def _untranslated(locale_name: str) -> bool:
    """C, POSIX, C.UTF-8, C@modifier: the locales in which GNU gettext translates nothing."""
    return locale_name == "POSIX" or re.split(r"[.@]", locale_name)[0] == "C"


def _utf8_output() -> None:
    """Advice mixes Japanese, ¥ and ✓: write UTF-8 even where the console's code page could not hold them."""
    for stream in (sys.stdout, sys.stderr):
        utf8 = (getattr(stream, "encoding", "") or "").lower().replace("-", "") == "utf8"
        if (not utf8 or getattr(stream, "errors", "") == "strict") and hasattr(stream, "reconfigure"):
            # A name that is not UTF-8 (a file made under another locale, held as lone surrogates) is written
            # escaped: a strict stream would end the run on it, with the message about it lost.
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


# ------------------------------------------------------------------------------ the command line's own words
#
# Every help text is a key of the catalogs (locale/<lang>/cli.yaml), read only when help is shown, in the language
# of the command line: --lang as typed, else the locale's (found before click parses, since --help is acted on
# before the other options are read). click's own words are translated in the same catalog (see _click_speaks).

_LANG: str | None = None  # the language of the command line being run (main), None between runs
_COMMAND_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")  # what a mistyped command looks like: no dot, no slash


def _current_lang() -> str:
    return _LANG or default_lang()


def _lang_asked(args: list[str]) -> str:
    """The language a command line asks for with --lang ja|en (anywhere before `--`), else the locale's."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        value = arg.partition("=")[2] if arg.startswith("--lang=") else \
            args[index + 1] if arg == "--lang" and index + 1 < len(args) else None
        if value in LANGS:
            return value
    return default_lang()


def _no_cache_asked(args: list[str]) -> bool:
    """Whether a command line has --no-cache (before any `--`)."""
    return "--no-cache" in args[:args.index("--") if "--" in args else len(args)]


def _text(key: str) -> str:
    return say(_current_lang(), key)


# click words: (key, key of its plural) in the catalogs, whose English texts are click's own, exactly.
_CLICK_WORDS = ("click_usage", "click_options", "click_commands", "click_error", "click_try_help", "click_aborted",
                "click_missing_argument", "click_missing_option", "click_no_such_option", "click_takes_no_value",
                "click_invalid_value_for", "click_invalid_value", "click_default", "click_required")
_CLICK_PLURALS = (("click_did_you_mean", "click_did_you_mean_many"),
                  ("click_requires_argument", "click_requires_arguments"),
                  ("click_extra_argument", "click_extra_arguments"), ("click_not_choice", "click_not_one_of"))
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types")


@contextmanager
def _click_speaks(lang: str) -> Iterator[None]:
    """click's own words ("Usage:", "No such option", "Missing argument", "Aborted!") in `lang` while a command line
    runs. click asks gettext for them through the names `_` and `ngettext` of its modules, and gettext can only be
    set for the whole process from the environment, not per call (pallets/click#2706), so those names are replaced
    for the run and put back after it; so is the `echo` that shows click's errors, to punctuate them in Japanese
    (_japanese_punctuation). English needs nothing: the English catalog holds click's words as they are."""
    if lang == "en":
        yield
        return
    english, words = catalog("en"), catalog(lang)
    single = {english[key]: words[key] for key in _CLICK_WORDS}
    plural = {english[one]: (words[one], words[many]) for one, many in _CLICK_PLURALS}

    def gettext(text: str) -> str:
        return single.get(text, text)

    def ngettext(one: str, many: str, count: int) -> str:
        return plural[one][count != 1] if one in plural else one if count == 1 else many

    def echo(message=None, *args, **kwargs) -> None:
        click.echo(_japanese_punctuation(message) if isinstance(message, str) else message, *args, **kwargs)

    replacements = {"_": gettext, "ngettext": ngettext}
    saved = [(module, name, vars(module)[name]) for module in (sys.modules[f"click.{m}"] for m in _CLICK_MODULES)
             for name in replacements if name in vars(module)]
    saved.append((click.exceptions, "echo", click.exceptions.echo))
    for module, name, _ in saved:
        setattr(module, name, echo if name == "echo" else replacements[name])
    try:
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


_CLICK_QUOTED = re.compile(r"'([^'\n]*)'")  # how click quotes a name or value in its messages ('--format', 'png')


def _japanese_punctuation(text: str) -> str:
    """An error of click's, translated, punctuated as Japanese: click writes some of its words around the
    translated ones, quoting names and values with ASCII quotes, listing them with ", " and ending with "."
    ("引数がありません 'SCENARIO'." becomes 「引数がありません「SCENARIO」。」)."""
    text = _CLICK_QUOTED.sub(r"「\1」", text).replace("」, 「", "」、「")
    text = re.sub(r"」\.(?=\s|$)", "」。", text, flags=re.MULTILINE)
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[「（])|(?<=」) (?=[^\x00-\x7f])", "", text)


def _wide(text: str) -> bool:
    return any(ord(char) > 0x2000 for char in text)


def _fold(text: str, width: int) -> list[str]:
    """Lines of at most `width` terminal columns: Japanese breaks between any two characters (not before 、。）」),
    words of ASCII only at spaces."""
    from .overview import display_width  # here: only help that holds Japanese needs it

    lines, line = [], ""
    for token in re.findall(r"[!-~]+|\s+|.", text):
        if line.strip() and display_width(line + token.rstrip()) > width and token[0] not in "、。）」］],.":
            carried = line[-1] if line[-1] in "（「［[" else ""  # an opening bracket goes with what it opens
            lines.append(line[:len(line) - len(carried)].rstrip())
            line = carried + token.lstrip()
        else:
            line += token
    return [*lines, line.rstrip()]


class _Formatter(click.HelpFormatter):
    """click's help layout, with Japanese text folded by terminal columns (click counts characters and breaks
    only at spaces, which Japanese does not have), and a Japanese heading ended by a full-width colon, as
    「使い方：」 is."""

    def write_heading(self, heading: str) -> None:
        if not _wide(heading):
            return super().write_heading(heading)
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if not any(_wide(second) for _, second in rows):
            return super().write_dl(rows, col_max, col_spacing)
        first_col = min(max(len(first) for first, _ in rows), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if len(first) > first_col - col_spacing:
                self.write("\n" + " " * (first_col + self.current_indent))
            else:
                self.write(" " * (first_col - len(first)))
            lines = _fold(second, max(self.width - first_col - self.current_indent, 10))
            self.write(("\n" + " " * (first_col + self.current_indent)).join(lines) + "\n")

    def write_lines(self, text: str) -> None:
        """Text from the catalog: consecutive lines that are not indented form one paragraph, folded to the width;
        indented lines (examples) are kept as they are."""
        self.write_paragraph()
        with self.indentation():
            width = max(self.width - self.current_indent, 20)
            for paragraph in _paragraphs(text):
                lines = [paragraph] if paragraph.startswith(" ") or not paragraph else _fold(paragraph, width)
                for line in lines:
                    self.write(f"{'':>{self.current_indent}}{line}".rstrip() + "\n")


def _paragraphs(text: str) -> list[str]:
    """Lines that are not indented joined into one (with a space between English words, none in Japanese)."""
    result: list[str] = []
    for line in text.splitlines():
        if result and line and not line.startswith(" ") and result[-1] and not result[-1].startswith(" "):
            space = "" if _wide(result[-1][-1]) and _wide(line[0]) else " "
            result[-1] += space + line
        else:
            result.append(line)
    return result


class _Context(click.Context):
    formatter_class = _Formatter


class _Option(click.Option):
    """An option whose `help` is given as a key of the catalogs and read in the language of the command line; in
    Japanese, what click adds after it ("  [既定：text]") is put in full-width brackets, as the catalogs write it."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        if record is None or not _wide(record[1]):
            return record
        spec, text = record
        return spec, re.sub(r"\s*\[([^\[\]]*)\]$", lambda m: "［" + m.group(1).replace("; ", "、") + "］", text)

    @property
    def help(self) -> str | None:
        return _text(self._help_key) if self._help_key else None

    @help.setter
    def help(self, key: str | None) -> None:
        self._help_key = key


def _option(*decls: str, **attrs):
    """click.option, for an _Option: `help` is a catalog key."""
    return click.option(*decls, cls=_Option, **attrs)


class _Texts:
    """A command's help, its line in the list of commands and its examples, from the catalogs by its name
    (help_<name>, summary_<name>, epilog_<name>); a command without them keeps the docstring it was given."""

    name: str | None
    context_class: type[click.Context] = _Context

    @property
    def help(self) -> str | None:
        if f"help_{self.name}" not in catalog("en"):
            return self._doc
        return say(_current_lang(), f"help_{self.name}")

    @help.setter
    def help(self, text: str | None) -> None:
        self._doc = text

    @property
    def short_help(self) -> str | None:
        return say(_current_lang(), f"summary_{self.name}") if f"summary_{self.name}" in catalog("en") else None

    @short_help.setter
    def short_help(self, text: str | None) -> None:
        pass  # from the catalogs

    @property
    def epilog(self) -> str | None:
        return say(_current_lang(), f"epilog_{self.name}") if f"epilog_{self.name}" in catalog("en") else None

    @epilog.setter
    def epilog(self, text: str | None) -> None:
        pass  # from the catalogs

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        """Parsing a command line, where --help and --version print and exit: Ctrl-C is one line in the language
        asked for, exit 130 (click would print "Aborted!" and exit 1); a reader that stopped reading
        (`advise --help | head -1`) ends it quietly with exit 0, the code of a help printed in full (click: 1)."""
        try:
            return super().make_context(info_name, args, parent, **extra)  # type: ignore[misc]
        except KeyboardInterrupt:
            raise Failure(say(_current_lang(), "interrupted"), EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            _stdout_closed()
            raise click.exceptions.Exit(0) from None

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _text("option_help")  # click words it once per process, in the first run's language
        return option

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.help and isinstance(formatter, _Formatter):
            formatter.write_lines(self.help.partition("\f")[0] if self.help else "")
        else:
            super().format_help_text(ctx, formatter)  # type: ignore[misc]

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.epilog and isinstance(formatter, _Formatter):
            formatter.write_lines(self.epilog)


class _Date(click.ParamType):
    """A date on the command line, in the forms a scenario takes (2026-11-10, 2026/11/10, 2026年11月10日:
    validate_values.read_date), refused in the catalogs' words."""

    name = "date"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        day, why = read_date(value)
        if why is not None:
            self.fail(rendered(why, _current_lang()), param, ctx)
        return day


_DATE = _Date()


def _first_word(args: list[str], valued: set[str]) -> int:
    """The position of the first argument that is neither an option nor the value of one of `valued`."""
    position = 0
    while position < len(args) and args[position].startswith("-") and args[position] != "-":
        position += 2 if args[position] in valued else 1
    return position


_GROUP_FLAGS = ("--help", "-h", "--version", "-V")  # advise's own options, which take no value
_GROUP_OPTIONS = ("--no-cache",)  # advise's options for every command: given before the command, read by the group


class _AdviseCommand(_Texts, click.Command):
    """A command of advise, with its texts from the catalogs."""


class _AdviseGroup(_Texts, click.Group):
    """`advise FILE` means `advise run FILE`: anything that is not a subcommand or a group option goes to run;
    `advise help [COMMAND]` is `advise [COMMAND] --help`; options may come before the command
    (`advise --lang ja check`); a word that is neither a command nor an existing file (`advise chek`) is refused
    with the command it is closest to."""

    command_class = _AdviseCommand

    def main(self, args=None, *rest, **extra):
        global _LANG
        _LANG = _lang_asked(sys.argv[1:] if args is None else list(args))
        # before click parses: the catalogs its help texts come from are read (and kept in the cache) first
        cache.use(not _no_cache_asked(sys.argv[1:] if args is None else list(args)))
        try:
            with _click_speaks(_LANG):
                return super().main(args, *rest, **extra)
        finally:
            _LANG = None

    def invoke(self, ctx: click.Context):
        """Ctrl-C anywhere in a command: one line in the language asked for, exit 130 (click would print its
        "Aborted!" and exit 1). A file being written is removed first (write.py)."""
        WRITTEN.clear()  # the files of this command only (tests and other callers run several in one process)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Failure(_interrupted(_current_lang(), "interrupted"), EXIT_INTERRUPTED) from None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _utf8_output()
        own: list[str] = []  # advise's own options before the command (--no-cache) stay before it
        if args and args[0] not in self.commands and not (len(args) == 1 and args[0] in _GROUP_FLAGS):
            position = _first_word(args, self._valued(ctx))
            own = [arg for arg in args[:position] if arg in _GROUP_OPTIONS]
            args = self._routed(ctx, [arg for index, arg in enumerate(args)
                                      if index >= position or arg not in _GROUP_OPTIONS])
        return super().parse_args(ctx, [*own, *args] if args else [])  # `advise --no-cache` as `advise`

    def _valued(self, ctx: click.Context) -> set[str]:
        """The options of advise's commands that take a value."""
        return {name for command in self.commands.values() for param in command.get_params(ctx)
                if isinstance(param, click.Option) and not param.is_flag for name in param.opts}

    def _routed(self, ctx: click.Context, args: list[str]) -> list[str]:
        """The arguments of a command line that does not start with a command: `COMMAND OPTIONS...` when the first
        word that is no option (nor an option's value) is a command, else `run ...`; exit 2 when that word is no
        file and looks like a mistyped command."""
        valued = self._valued(ctx)
        position = _first_word(args, valued)
        self._refuse_options(ctx, args, position, valued)
        if position == len(args):  # `advise --lang ja [--help|--version]`: as without --lang
            asked = set(args)
            return ["--help"] if {"-h", "--help"} & asked else ["--version"] if {"-V", "--version"} & asked else []
        word = args[position]
        if word == "help" and not os.path.exists(word):  # `advise [OPTIONS] help [OPTIONS] [COMMAND]`
            return self._help_asked(args[:position] + args[position + 1:], valued)
        if word in self.commands:
            return [word, *args[:position], *args[position + 1:]]
        if word == "-" or os.path.exists(word) or not _COMMAND_WORD.fullmatch(word):
            return ["run", *args]
        raise self._no_command(word)

    def _no_command(self, word: str) -> Failure:
        """`advise chek`, `advise help chek`: no such command, with the closest one; exit 2."""
        commands = sorted(self.commands)
        # escaped as every message shows a value: an escape sequence or a line break typed reaches no terminal
        return Failure(say(_current_lang(), "no_command", name=escaped(clipped(word)), hint=did_you_mean(word, commands),
                           commands=say(_current_lang(), "range_comma").join(commands)))

    def _refuse_options(self, ctx: click.Context, args: list[str], position: int, valued: set[str]) -> None:
        """Usage errors in the options before the command: one no command has, or the last one without its value
        (`advise --lang`), in click's words."""
        self._refuse_unknown_options(ctx, [arg for index, arg in enumerate(args[:position])
                                            if index == 0 or args[index - 1] not in valued])
        if position > len(args):
            raise click.BadOptionUsage(args[-1], _click_parser.ngettext(
                "Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 1,
            ).format(name=args[-1], nargs=1), ctx)

    def _refuse_unknown_options(self, ctx: click.Context, options: list[str]) -> None:
        """An option before the command that no command of advise has (`advise --lang ja -x`): click's
        "No such option", with the closest options, before the words that follow are read as a command."""
        known = {name for command in [self, *self.commands.values()] for param in command.get_params(ctx)
                 if isinstance(param, click.Option) for name in (*param.opts, *param.secondary_opts)}
        for option in options:
            name = option.partition("=")[0] if option.startswith("--") else option
            if name.startswith("-") and name not in known:
                raise click.NoSuchOption(name, possibilities=sorted(known), ctx=ctx)


    def _help_asked(self, rest: list[str], valued: set[str]) -> list[str]:
        """`advise help` without its word: `COMMAND OPTIONS... --help` when a command is named, else `--help`."""
        topic = _first_word(rest, valued)
        if topic < len(rest) and rest[topic] in self.commands:
            return [rest[topic], *rest[:topic], *rest[topic + 1:], "--help"]
        if topic < len(rest):  # `advise help chek`
            raise self._no_command(rest[topic])
        return ["--help"]


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


def _out(text: str | bytes) -> None:
    """Print to standard output. A reader that stopped reading (`advise test | head -1`) ends it quietly: the rest
    is dropped (_stdout_closed) and the command ends with its own exit code, as Python's documentation on SIGPIPE
    recommends."""
    try:
        click.echo(text, nl=False)
    except BrokenPipeError:
        _stdout_closed()
    except OSError as error:  # a full disk (`> /dev/full`): `<stdout>: cannot write: why`, exit 2, no traceback
        _stdout_closed()
        raise _not_written(NotWritten(STDOUT, os_reason(error)), _current_lang()) from None


def _stdout_closed() -> None:
    """Standard output's reader is gone: what is left to print goes to the null device, so that exiting does not
    write again (and print "Exception ignored")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def interrupted_at_start() -> None:
    """Ctrl-C while advise was still being imported (__main__.run held it): the line of any Ctrl-C, in the
    language the command line asks for, and exit 130. Raises SystemExit."""
    Failure(say(_lang_asked(sys.argv[1:]), "interrupted")).show()
    sys.exit(EXIT_INTERRUPTED)


def _not_written(error: NotWritten, lang: str) -> Failure:
    """A file left unwritten (write.py), as `path: message`; exit 2."""
    if error.reason is None:
        return Failure(say(lang, "file_exists", path=shown_path(error.path)))
    return Failure(say(lang, "file_cannot_write", path=shown_path(error.path), reason=error.reason))


@click.group(name="advise", cls=_AdviseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="advise", message="%(prog)s %(version)s",
                      cls=_Option, help="option_version")
@_option("--no-cache", is_flag=True, expose_value=False, help="option_no_cache",
         callback=lambda ctx, param, value: cache.use(not value))  # every run sets it: one process runs many (tests)
def main() -> None:
    """`advise`: its help is help_advise in locale/<lang>/cli.yaml, like every command's."""


def _resolve_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """--lang as given, else the locale's (default_lang): every command gets ja or en."""
    return value or default_lang()


def _packs_here(ctx: click.Context | None, param: click.Parameter | None, value: str | None) -> str | None:
    """A folder that holds a rule pack, or packs in its folders (--rules DIR, advise check DIR), before any work:
    else `DIR: why` and exit 2."""
    value = _named(ctx, param, value, "empty_folder_name")
    if value is None:
        return value
    if not os.path.exists(value):
        problem = msg("no_folder")
    elif not os.path.isdir(value):
        problem = msg("not_a_folder")
    elif not pack_folders(value):
        problem = msg("c_no_pack_here", file=PACK_FILE)
    else:
        return value
    raise Failure(report([about_file(value, problem)], _current_lang()))


def _existing(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """Files and folders that exist (advise test PATHS), before any work: else `PATH: why` and exit 2."""
    for path in value:
        _named(ctx, param, path, "empty_path_name")
    reasons = {path: _stat_error(path) for path in value}
    missing = [about_file(path, msg("y_cannot_read", reason=os_reason(code)))
               for path, code in reasons.items() if code is not None]
    if missing:
        raise Failure(report(missing, _current_lang()))
    return value


def _stat_error(path: str) -> int | None:
    """Why `path` cannot be found, as the system says it (ENOENT, ENOTDIR for `file/x`, ...), None when it exists."""
    try:
        os.stat(path)
    except OSError as error:
        return error.errno or errno.ENOENT
    return None


def _named_file(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A file an option names (--calendar, -o, --answers), or None."""
    return _named(ctx, param, value, "empty_file_name")


def _named(ctx: click.Context | None, param: click.Parameter | None, value: str | None, why: str) -> str | None:
    """`value` (a file or folder name of the command line, or None), unless it is empty: an empty name names
    nothing, a usage error in the language asked for (click.BadParameter), explained by the catalog key `why`.
    click would take it: an option would then write or read nothing without a word, and an argument would be
    refused as `: no such folder`."""
    if value == "":
        raise click.BadParameter(say(_current_lang(), why), ctx=ctx, param=param)
    return value


# Paths are click.Path without its exists/dir_okay checks, whose messages would be click's English sentences:
# a folder or a missing file is reported by the commands themselves, as `path: message`.
_RULES_OPTION = _option("--rules", type=click.Path(), default=None, metavar="DIR", callback=_packs_here,
                        help="option_rules")
_LANG_OPTION = _option("--lang", type=click.Choice(LANGS), default=None, callback=_resolve_lang, help="option_lang")


@main.command()
@click.argument("scenario", type=click.Path(allow_dash=True),  # a folder is refused by load.py, as file
                callback=lambda ctx, param, value: _named(ctx, param, value, "empty_path_name"))
@_option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="option_run_format")
@_LANG_OPTION
@_RULES_OPTION
@_option("--as-of", "as_of", type=_DATE, default=None, metavar="DATE",
         help="option_run_as_of")
@_option("--explain", is_flag=True, help="option_run_explain")
@_option("--drafts", is_flag=True, help="option_run_drafts")
@_option("--calendar", "calendar_file", type=click.Path(), default=None, metavar="FILE.ics", callback=_named_file,
         help="option_run_calendar")
@_option("--force", is_flag=True, help="option_run_force")
def run(scenario: str, fmt: str, lang: str, rules: str | None, as_of, explain: bool,
        calendar_file: str | None, force: bool, drafts: bool = False) -> None:
    """Print advice for the situation in SCENARIO."""
    if calendar_file:
        _check_calendar(calendar_file, scenario, force, lang)
    with _reported(lang):
        advice = advise_file(scenario, rules, as_of=as_of)
        reasons = _why(advice) if explain else None
    if calendar_file:
        _write_calendar(calendar_file, advice, lang, force)
    _out(render(advice, fmt, lang, reasons, drafts=drafts))
    problems = unmet(advice, lang)
    if problems:
        raise Failure("\n".join(f"{shown_path(advice.scenario.path)}: {p}" for p in problems), EXIT_FAILED)


def _why(advice):
    """--explain's reasons (why.why), imported only when asked: `advise SCENARIO` alone starts faster without it."""
    from .why import why
    return why(advice)


def _check_calendar(path: str, scenario: str, force: bool, lang: str) -> None:
    """advise SCENARIO --calendar, before any work: never to standard output or over the scenario, and not over
    another file unless --force."""
    if path == "-" or scenario != "-" and os.path.exists(scenario) and os.path.realpath(path) == os.path.realpath(scenario):
        raise click.BadParameter(say(lang, "calendar_not_here"), param_hint="--calendar")
    try:
        check_writable(path, force, folder=True)
    except NotWritten as error:
        raise _not_written(error, lang) from None


def _write_calendar(path: str, advice, lang: str, force: bool) -> None:
    """advise SCENARIO --calendar: written before the advice is printed, so a refusal prints nothing else."""
    from .ics import calendar, deadlines

    try:
        write_file(path, calendar(advice, lang), replace=force)
    except NotWritten as error:  # created since the check at the start, or the system refused
        raise _not_written(error, lang) from None
    if not deadlines(advice):
        click.echo(say(lang, "calendar_empty", path=shown_path(path)), err=True)


@main.command()
@click.argument("pack_dir", required=False, type=click.Path(), callback=_packs_here)
@_option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
         help="option_check_format")
@_option("--fail-level", type=click.Choice(("warning", "error")), default="warning", show_default=True,
         help="option_check_fail_level")
@_option("--platform", default=None, help="option_check_platform")
@_LANG_OPTION
def check(pack_dir: str | None, fmt: str, fail_level: str, lang: str, platform: str | None = None) -> None:
    """Validate and lint a rule pack (or a folder of packs; default: the bundled ones; --platform: one of them)."""
    from .check import LEVELS, check_packs, level

    with _reported(lang):
        findings = check_packs(platform_folder(pack_dir or bundled_rules(), platform))
    _out(render_findings(findings, fmt, lang))
    if any(LEVELS.index(level(f)) >= LEVELS.index(fail_level) for f in findings):
        raise Failure("", EXIT_FAILED)


@main.command(name="test")
@click.argument("paths", nargs=-1, type=click.Path(), callback=_existing)
@_RULES_OPTION
@_option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
         help="option_test_format")
@_LANG_OPTION
def test_command(paths: tuple[str, ...], rules: str | None, fmt: str, lang: str) -> None:
    """Run the expectations (expect:) of scenario files or folders (default: scenarios/)."""
    from .expect import run_tests, scenario_files

    if not paths:
        if not os.path.isdir("scenarios"):
            raise click.UsageError(say(lang, "test_no_scenarios"))
        paths = ("scenarios",)
    empty = [about_file(path, msg("test_no_scenario_files")) for path in paths
             if os.path.isdir(path) and not scenario_files([path])]
    if empty:  # nothing would be tested there: not a pass
        raise Failure(report(empty, lang))
    with _reported(lang):  # a broken durable_rules installation, as everywhere else
        run = run_tests(list(paths), rules, lang)
    if run.errors:  # no partial output: the mistakes only, as for every command
        raise Failure(report(run.errors, lang))
    _out(render_test_run(run, fmt, lang))
    if run.failed:
        raise Failure("", EXIT_FAILED)


@main.command(name="rules")
@_RULES_OPTION
@_option("--platform", default=None, help="option_rules_platform")
@_LANG_OPTION
def rules_command(rules: str | None, platform: str | None, lang: str) -> None:
    """Print the pack's rules, facts and parameters as tables (every pack in turn, without --platform)."""
    from .interview import platforms
    from .overview import rules_table

    with _reported(lang):
        names = [platform] if platform is not None else platforms(rules)
        packs = [pack_named(name, rules) for name in names]
    _out("\n".join(rules_table(pack, lang) for pack in packs))


def _one_platform(platform: str | None, rules: str | None, lang: str) -> str | None:
    """The platform a command drawing one pack uses: --platform, else the only pack there is (whatever its name);
    with several packs and no --platform, a usage error naming them (advise graph: one picture is one pack's)."""
    from .interview import _pack_names, platforms

    if platform is not None:
        return platform
    with _reported(lang):
        names = platforms(rules)
        if len(names) == 1:
            return names[0]
        shown = _pack_names(rules, names)
    choices = say(lang, "range_comma").join(say(lang, "ask_platform_choice", id=name, name=shown[name].get(lang))
                                            for name in names)
    raise click.UsageError(say(lang, "graph_choose_platform", packs=choices))


@main.command(name="graph")
@_RULES_OPTION
@_option("--platform", default=None, help="option_graph_platform")
@_LANG_OPTION
@_option("--format", "fmt", type=click.Choice(("mermaid", "dot", "svg")), default="mermaid", show_default=True,
         help="option_graph_format")
@_option("-o", "--output", type=click.Path(allow_dash=True), default=None, metavar="FILE",
         callback=_named_file, help="option_graph_output")
@_option("--force", is_flag=True, help="option_graph_force")
def graph_command(rules: str | None, platform: str | None, lang: str, fmt: str, output: str | None,
                  force: bool) -> None:
    """Draw the pack: facts -> rules -> actions, with what rules set and suppress."""
    from .overview import GraphvizError, graph, render_svg

    output = None if output == "-" else output
    if output:
        try:
            check_writable(output, force, folder=True)
        except NotWritten as error:
            raise _not_written(error, lang) from None
    platform = _one_platform(platform, rules, lang)
    with _reported(lang):
        pack = pack_named(platform, rules)
    source = graph(pack, "dot" if fmt == "svg" else fmt, lang)
    try:
        drawn = render_svg(source) if fmt == "svg" else source
    except GraphvizError as error:
        raise Failure(say(lang, "graphviz_failed", detail=error.message)) from None
    if not output:
        _out(drawn)  # bytes (svg) go to standard output's buffer as they are
        return
    try:
        write_file(output, drawn, replace=force)
    except NotWritten as error:  # created while the graph was drawn, or the system refused
        raise _not_written(error, lang) from None


def _jobs(ctx: click.Context, param: click.Parameter, value: str) -> int:
    """--jobs N: a whole number of processes, 1 or more, refused in the catalogs' words."""
    if not value.isdigit() or not 1 <= int(value) <= MAX_JOBS:
        raise click.BadParameter(say(_current_lang(), "batch_jobs_invalid", value=escaped(clipped(value))),
                                 ctx=ctx, param=param)
    return int(value)


MAX_JOBS = 64  # more processes than that only share the same cores (docs/batch.md)


@main.command(name="batch")
@click.argument("source", metavar="[IN]", required=False, default="-", type=click.Path(allow_dash=True),
                callback=lambda ctx, param, value: _named(ctx, param, value, "empty_path_name"))
@_option("-o", "--output", type=click.Path(allow_dash=True), default=None, metavar="OUT", callback=_named_file,
         help="option_batch_output")
@_option("--force", is_flag=True, help="option_batch_force")
@_option("--resume", is_flag=True, help="option_batch_resume")
@_option("-j", "--jobs", default="1", metavar="N", callback=_jobs, help="option_batch_jobs")
@_LANG_OPTION
@_RULES_OPTION
@_option("--as-of", "as_of", type=_DATE, default=None, metavar="DATE", help="option_batch_as_of")
@_option("--no-progress", is_flag=True, help="option_batch_no_progress")
def batch_command(source: str, output: str | None, force: bool, resume: bool, jobs: int, lang: str,
                  rules: str | None, as_of, no_progress: bool) -> None:
    """Advise every scenario of a JSON Lines file (help: help_batch in the catalogs; docs/batch.md)."""
    from . import batch

    output = None if output == "-" else output
    _check_batch_output(source, output, force, resume, lang)
    stream = _batch_input(source, lang)
    settings = batch.Settings("<stdin>" if source == "-" else source, lang, rules, as_of, dt.date.today())
    try:
        _batch_run(stream, source, settings, output, force, (resume, jobs, no_progress))
    finally:
        if source != "-":
            stream.close()


def _batch_run(stream, source: str, settings, output: str | None, force: bool, how: tuple[bool, int, bool]) -> None:
    """advise batch once IN is open: the answers to OUT (or standard output), how an interruption ends, the summary
    and the exit code; `how`: --resume, --jobs, --no-progress."""
    from . import batch

    resume, jobs, no_progress = how
    lang = settings.lang
    tally = batch.Tally()
    lines = batch.read_lines(stream)
    sink = _batch_sink(output, force, resume, tally, settings, lines)
    bar = _progress(source, no_progress or (sink is None and sys.stdout.isatty()), tally.cases)
    try:
        try:
            batch.run(settings, lines, jobs, sink.write if sink else _batch_out, tally, bar)
        except (KeyboardInterrupt, batch.Stopped) as stop:
            raise _batch_stopped(stop, tally, sink, source, output, settings, jobs) from None
        except batch.WriteFailed as error:
            raise _batch_not_written(error, lang) from None
        except batch.Unavailable as error:
            raise Failure(str(error), EXIT_INTERNAL_ERROR) from None
        except BrokenPipeError:  # the reader stopped early (| head): quietly, with the code it would have had
            _stdout_closed()
            tally.quiet = True
        finally:
            if bar is not None:
                bar.close()
        _batch_done(sink, tally, lang)
    finally:
        if sink is not None:  # whatever happened: no temporary file left (once in place or kept, there is none)
            sink.discard()


def _check_batch_output(source: str, output: str | None, force: bool, resume: bool, lang: str) -> None:
    """advise batch -o OUT, before any work: never over IN, not over another file unless --force; OUT.partial is
    gone on from with --resume, and refused without it (or --force) so that a run's answers are not lost."""
    if resume and not output:
        raise click.UsageError(say(lang, "batch_resume_needs_output"))
    if not output:
        return
    if source != "-" and os.path.exists(source) and os.path.realpath(output) == os.path.realpath(source):
        raise click.BadParameter(say(lang, "batch_not_here"), param_hint="-o")
    try:
        check_writable(output, force, folder=True)
    except NotWritten as error:
        raise _not_written(error, lang) from None
    partial = output + ".partial"
    if resume and not os.path.isfile(partial):
        raise Failure(say(lang, "batch_no_partial", path=shown_path(partial)))
    if not resume and not force and os.path.lexists(partial):
        raise Failure(say(lang, "batch_partial_exists", path=shown_path(partial)))


def _batch_input(source: str, lang: str):
    """IN opened for reading in binary (lines are decoded one by one), or standard input's bytes; `IN: why`, exit 2."""
    if source == "-":
        return sys.stdin.buffer
    try:
        return open(source, "rb")
    except OSError as error:
        raise Failure(report([about_file(source, msg("y_cannot_read", reason=os_reason(error)))], lang)) from None


def _batch_sink(output: str | None, force: bool, resume: bool, tally, settings, lines):
    """The file -o OUT (batch.Output, gone on from OUT.partial with --resume, taking its answers' lines of IN),
    or None for standard output."""
    from .batch import Output

    if not output:
        return None
    try:
        with _reported(settings.lang):
            sink = Output(output, force, resume, tally, settings, lines)
    except OSError as error:
        raise _not_written(NotWritten(output, os_reason(error)), settings.lang) from None
    if sink.cut:
        click.echo(say(settings.lang, "batch_partial_cut", path=shown_path(sink.partial)), err=True)
    return sink


def _batch_out(text: str) -> None:
    """One answer to standard output, handed to the system whole before it returns (batch.run then counts it as
    written): written to the file descriptor itself, a partial write continued, nothing held in Python's buffer
    that an interruption could leave unwritten; batch.WriteFailed when the system refuses (a full disk),
    BrokenPipeError when the reader is gone."""
    from .batch import WriteFailed

    data = memoryview(text.encode("utf-8"))
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # a stream of Python's own (click's CliRunner): no descriptor
        descriptor = None
    try:
        if descriptor is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        while descriptor is not None and data:
            data = data[os.write(descriptor, data):]  # EINTR is retried by Python (PEP 475)
    except BrokenPipeError:
        raise
    except OSError as error:
        raise WriteFailed(STDOUT, error) from None


STDOUT = "<stdout>"  # standard output as a message names it


def _batch_not_written(error, lang: str) -> Failure:
    """The answers could not be written (batch.WriteFailed): `OUT: cannot write: why`, exit 2; on standard output,
    what is left to print goes nowhere (not again to a full disk at exit)."""
    if error.path == STDOUT:
        _stdout_closed()
    return _not_written(NotWritten(error.path, os_reason(error.error)), lang)


def _progress(source: str, no_progress: bool, done: int):
    """A tqdm bar on standard error counting scenarios, only when that is a terminal (never in a pipe or a log)
    and not asked away (`no_progress`: also when the answers go to that terminal, whose lines the bar's redraws
    would cut), with the total when IN is a file; None otherwise."""
    if no_progress or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    from .batch import count_cases

    tqdm.monitor_interval = 0  # no monitor thread: the workers are forked, which a running thread makes unsafe
    total = count_cases(source) if source != "-" else None
    return tqdm(total=total, initial=done, unit=" scenarios", file=sys.stderr, dynamic_ncols=True, leave=False)


def _batch_stopped(stop: BaseException, tally, sink, source: str, output: str | None, settings, jobs: int) -> Failure:
    """Ctrl-C (exit 130), SIGTERM or SIGHUP (128 + its number): the answers written are kept, whole lines in input
    order (OUT.partial with -o), and stderr says how many and how to go on: the command repeats the options that
    change the answers (--lang, --rules, --as-of) and --jobs."""
    from .batch import Stopped

    lang = settings.lang
    code = 128 + stop.signal if isinstance(stop, Stopped) else EXIT_INTERRUPTED
    if sink is None:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _stdout_closed()
        except OSError:
            _stdout_closed()  # a full disk: the lines not flushed are lost; the count says what was given
        return Failure(say(lang, "batch_interrupted", cases=tally.cases), code)
    try:
        partial = sink.keep()
    except OSError as error:
        return _not_written(NotWritten(output or "", os_reason(error)), lang)
    words = ["advise", "batch", source, "-o", output or "", "--resume", "--lang", lang]
    words += ["--rules", settings.rules] if settings.rules else []
    words += ["--as-of", settings.as_of.isoformat()] if settings.as_of else []
    words += ["-j", str(jobs)] if jobs != 1 else []
    command = " ".join(shlex.quote(word) for word in words)
    return Failure(say(lang, "batch_interrupted_kept", cases=tally.cases, path=shown_path(output),
                       partial=shown_path(partial), command=command), code)


def _batch_done(sink, tally, lang: str) -> None:
    """The run's end: OUT in place (with -o), the summary on stderr, and the exit code: 0 every scenario advised,
    1 some lines have errors, 3 advise failed on one (a bug)."""
    from .batch import WriteFailed, summary

    if sink is not None:
        try:
            sink.finish()
        except FileExistsError:
            raise _not_written(NotWritten(sink.path), lang) from None
        except OSError as error:
            raise _not_written(NotWritten(sink.path, os_reason(error)), lang) from None
    else:
        try:
            sys.stdout.flush()
        except BrokenPipeError:  # the reader went away (| head): quietly, no summary of lines it never read
            _stdout_closed()
            tally.quiet = True
        except OSError as error:
            raise _batch_not_written(WriteFailed(STDOUT, error), lang) from None
    if not tally.quiet:
        click.echo(summary(tally, lang), err=True)
    if tally.internal:
        raise Failure("", EXIT_INTERNAL_ERROR)
    if tally.errors:
        raise Failure("", EXIT_FAILED)


@main.command(name="ask")
@_option("-o", "--output", type=click.Path(), default=None, metavar="FILE", callback=_named_file,
         help="option_ask_output")
@_option("--force", is_flag=True, help="option_ask_force")
@_option("--answers", "answers_file", type=click.Path(allow_dash=True), default=None,
         metavar="FILE", callback=_named_file, help="option_ask_answers")
@_RULES_OPTION
@_option("--platform", default=None, help="option_ask_platform")
@_LANG_OPTION
@_option("--as-of", "as_of", type=_DATE, default=None, metavar="DATE",
         help="option_ask_as_of")
@_option("--keep-date", is_flag=True, help="option_ask_keep_date")
def ask_command(output: str | None, force: bool, answers_file: str | None, rules: str | None, lang: str, as_of,
                keep_date: bool, platform: str | None = None) -> None:
    """Answer questions instead of writing a scenario, and get the advice (help: help_ask in the catalogs)."""
    from . import interview  # as a module: tests replace interview.interview
    from .load import read_file

    if output:
        try:
            check_writable(output, force, folder=True)
        except NotWritten as error:
            raise _not_written(error, lang) from None
    with _reported(lang), _piped():
        preset = read_file(answers_file) if answers_file else None
    terminal = sys.stdin.isatty() and answers_file != "-"
    asking = terminal or preset is None  # without a terminal, the answers file says all there is
    with _reported(lang), _interruptible(lang), _piped():  # piped answers are read whole first: a byte that is
        # not UTF-8 stops before any question
        answers = _typed_answers() if terminal else _piped_answers() if asking else iter(())
    with _reported(lang), _interruptible(lang):
        result = interview.interview(rules, lang, answers, _conversation, as_of, platform,
                                     preset=preset, source=None if terminal else "<stdin>", asking=asking,
                                     pin_date=keep_date or as_of is not None)
        if output:
            _save(output, result.scenario, force, lang)
    _conversation("")
    if output:
        _conversation(say(lang, "ask_saved", path=output))
    else:
        _print_scenario(result.scenario, lang)


def _conversation(text: str) -> None:
    """What advise ask says (questions, advice, notes) goes to standard error: standard output holds only the
    scenario, so that `advise ask > situation.yaml` saves it."""
    click.echo(text, err=True)


def _print_scenario(text: str, lang: str) -> None:
    """The answers as a scenario file, on standard output, after a note on standard error saying what it is."""
    _conversation(say(lang, "ask_scenario"))
    _out(text)


@contextmanager
def _interruptible(lang: str) -> Iterator[None]:
    """Ctrl-C (or Ctrl-D at a terminal) while asking or writing: nothing written, exit 130. Once the advice was
    shown, the answers are printed as a scenario file first, so they are not lost."""
    from .interview import Interrupted

    try:
        yield
    except KeyboardInterrupt as stop:
        if sys.stdin.isatty():
            _conversation("")  # end the line of the prompt
        if isinstance(stop, Interrupted):
            _print_scenario(stop.scenario, lang)
            raise Failure(say(lang, "ask_interrupted_printed"), EXIT_INTERRUPTED) from None
        raise Failure(_interrupted(lang, "ask_interrupted"), EXIT_INTERRUPTED) from None


def _interrupted(lang: str, key: str) -> str:
    """The line for a Ctrl-C (`key`: "nothing was written"), or, when a file was written whole before it, its name."""
    return say(lang, "interrupted_written", path=", ".join(map(shown_path, WRITTEN))) if WRITTEN else say(lang, key)


def _save(output: str, text: str, force: bool, lang: str) -> None:
    try:
        write_file(output, text, replace=force)
    except NotWritten as error:  # created while the questions were answered, or the system refused
        if error.reason is not None:  # the answers are not lost: they can still be copied from here
            _print_scenario(text, lang)
        raise _not_written(error, lang) from None


def _typed_answers() -> Iterator[str]:
    """Answers typed at a terminal after a prompt on standard error; Ctrl-D stops as Ctrl-C does."""
    while True:
        click.echo("> ", nl=False, err=True)
        try:
            yield input()
        except EOFError:
            raise KeyboardInterrupt from None


def _piped_answers() -> Iterator[str]:
    """Answers read from standard input, one per line, each shown after its prompt as if typed; the input is
    read whole and decoded as files are (load.decoded): InputError when it is not UTF-8 (Shift_JIS, UTF-16)."""
    from .load import decoded

    lines = decoded(sys.stdin.buffer.read(), "<stdin>").splitlines()
    return _shown(lines)


# What load.py says of a file in another encoding, and what it says of answers piped in, which the sender converts.
_PIPED_WORDS = {"y_not_utf8": "ask_stdin_not_utf8", "t_likely_encoding": "ask_stdin_likely_encoding",
                "t_utf16_without_bom": "ask_stdin_utf16_without_bom", "t_not_utf16": "ask_stdin_not_utf16",
                "t_not_utf32": "ask_stdin_not_utf32"}


@contextmanager
def _piped() -> Iterator[None]:
    """Reading standard input: an encoding that is not UTF-8 is explained in words for a pipe ("send the answers
    as UTF-8"), not for a file ("save the file as UTF-8"), as InputError at the same place."""
    try:
        yield
    except InputError as error:
        raise InputError([replace(d, message=Message(_PIPED_WORDS[d.message.key], d.message.values))
                          if d.path == "<stdin>" and d.message.key in _PIPED_WORDS else d
                          for d in error.diagnostics]) from None


def _shown(lines: list[str]) -> Iterator[str]:
    for line in lines:
        # escaped as messages show text: a control character piped in never reaches the terminal from here
        _conversation(f"> {escaped(line)}" if line else ">")  # no trailing space for an empty answer
        yield line
