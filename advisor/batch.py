"""advise batch: many scenarios as JSON Lines in, one JSON document per scenario out, in input order.

Each line of the input is one scenario, written as its YAML file would be but as a JSON object, with an `id`
(text or a whole number; the line's number when absent). Each answer is one line: `advise --format json`'s
document for that scenario with the `id` first (docs/json.md), or, for a line that cannot be advised, the `id`
and its `errors`, each located in the input (path, line, column). A bad line never stops the others.

A line goes through the same stages as a scenario file: it must parse as JSON (Python's json, strict: this is
the gate that says a line is not JSON, at its column), then it is read by load.parse, as a file is, because
JSON is YAML's flow style: the loader's checks (characters refused, duplicate keys, sizes) and the positions of
every value come from there, so that a scenario's mistakes are told in the same words at the same column, and
pipeline.advise_document gives the advice. Reading a line so costs about 80 µs against 1.5 ms of advice
(measured on the bundled scenarios). The document's `scenario.path` is `IN:LINE` (`cases.jsonl:12`).

Lines are read lazily and, with several jobs, sent to worker processes in chunks, a bounded number of them in
flight, and their answers are written in input order as they come back: memory stays flat whatever the input's
size, and the output is the same bytes whatever the number of jobs. Every worker keeps its packs in the
pipeline's caches, so a pack is read once per process, not once per line.
"""
from __future__ import annotations

import bisect
import datetime as dt
import json
import multiprocessing
import os
import re
import signal
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, NamedTuple

from .diagnostics import Diagnostic, InputError, Message, about_file, clipped, escaped, kind_of, msg, shown_path
from .engine import EngineError, EngineUnavailable
from .load import MAX_BYTES, MAX_DEPTH, Document, decoded, parse
from .messages import rendered, say
from .pipeline import advise_document
from .render import json_document

CHUNK = 16  # lines sent to a worker at once: 16 scenarios are ~30 ms of work against ~0.1 ms to send them
WINDOW = 4  # chunks in flight per job: enough to keep every worker busy while the answers are written in order


@dataclass(frozen=True)
class Settings:
    """What every line is advised with: `source` is the input as it is shown in places (a path, `<stdin>`),
    `today` the date of a scenario without as_of (fixed once for the whole run, so that a run over midnight is
    not two runs), `as_of` the command line's --as-of, `rules` its --rules, `lang` the language of the texts."""

    source: str
    lang: str = "en"
    rules: str | None = None
    as_of: dt.date | None = None
    today: dt.date | None = None


class Answer(NamedTuple):
    """One line of output (JSON and "\\n"), the input line it answers (1-based) and what it is: OK, ERROR (the
    scenario's mistakes, an `errors` object), INTERNAL (advise failed on it: a bug, an `errors` object too) or
    UNAVAILABLE (durable_rules cannot be imported: `text` is the message, no output line)."""

    text: str
    line: int
    kind: int


OK, ERROR, INTERNAL, UNAVAILABLE = 0, 1, 2, 3


def read_lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """The lines of `stream` as (line number from 1, bytes without the line break), one at a time; blank lines
    (spaces only) are skipped but counted. A line longer than load.MAX_BYTES is cut just past it (and then refused
    as too long, at its line) and the rest of it is read in pieces and dropped, so no line is held whole."""
    number = 0
    while True:
        line = stream.readline(MAX_BYTES + 1)
        if not line:
            return
        number += 1
        if not line.endswith(b"\n") and len(line) > MAX_BYTES:
            while (rest := stream.readline(MAX_BYTES)) and not rest.endswith(b"\n"):
                pass
        line = line.rstrip(b"\r\n")
        if line.strip():
            yield number, line


def answer(settings: Settings, number: int, raw: bytes | str) -> Answer:
    """The output line for input line `number` (`raw`, without its line break): the advice as advise --format json
    gives it, with the id first, or the line's mistakes; when durable_rules cannot be imported (no line could be
    advised), an UNAVAILABLE answer whose text says how to repair it (an exception would not cross processes)."""
    where = f"{settings.source}:{number}"
    ident: str | int = number
    try:
        doc = _document(raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else raw, where)
        ident, doc = _identified(doc, number)
        advice = _advised(doc, settings, where)
        return Answer(_line({"id": ident} | json_document(advice, settings.lang)), number, OK)
    except InputError as error:
        errors = [_located(d, settings, where, number) for d in error.diagnostics]
        return Answer(_line({"id": ident, "errors": errors}), number, ERROR)
    except EngineUnavailable as error:  # not this line's fault: the run stops (Unavailable)
        return Answer(rendered(error.message, settings.lang), number, UNAVAILABLE)
    except Exception as error:  # a bug in advise (EngineError, or any other): this line's answer, not the run's end
        detail = error if isinstance(error, EngineError) else f"{type(error).__name__}: {error}"
        problem = {"path": shown_path(settings.source), "line": number, "column": None,
                   "message": escaped(say(settings.lang, "internal_error", detail=detail)), "code": None}
        return Answer(_line({"id": ident, "errors": [problem]}), number, INTERNAL)


def _advised(doc: Document, settings: Settings, where: str) -> Any:
    """pipeline.advise_document for the line's scenario; a rule pack that could not be read (every mistake in its
    own files, none in the line) is remembered for the platform the line names, and refused at once for the next
    lines naming it, instead of being read again for each (the pipeline caches packs, not their mistakes; a broken
    --rules pack took 0.4 s a line)."""
    platform = doc.data.get("platform")
    key = (settings.rules, platform if isinstance(platform, str) else None)
    if key in _BROKEN:
        raise InputError(_BROKEN[key])
    try:
        return advise_document(doc, settings.rules, settings.today, settings.as_of)
    except InputError as error:
        if type(error) is InputError and all(d.path != where for d in error.diagnostics):
            if len(_BROKEN) >= MAX_BROKEN:
                _BROKEN.clear()
            _BROKEN[key] = error.diagnostics
        raise


_BROKEN: dict[tuple, list[Diagnostic]] = {}  # (--rules, platform named) -> the mistakes of its pack's files
MAX_BROKEN = 64  # platforms remembered (a line may name its platform in any spelling a pack takes)


def answers(settings: Settings, lines: Iterable[tuple[int, bytes | str]]) -> list[Answer]:
    """`answer` for each (number, line): a chunk's work, in one process."""
    return [answer(settings, number, raw) for number, raw in lines]


def dask_partition(lines: Iterable[str | bytes | tuple[str, str]], lang: str = "en", rules: str | None = None,
                   as_of: dt.date | None = None, today: dt.date | None = None,
                   source: str = "<dask>") -> list[str]:
    """For dask.bag's map_partitions over lines Dask has read (dask.bag.read_text): the output lines (without line
    breaks) of one partition's lines, as `advise batch` writes them (the same `answer`), but for what Dask's text
    reading does first: a byte that is not UTF-8 stops the run, and a lone \r ends a line (dask_files reads as
    advise batch does). Lines are numbered from 1 in the partition: with
    dask.bag.read_text's default (blocksize=None) a partition is one file, so these are the file's own lines, and
    with include_path=True (each line a (text, path) pair) the file's path is the `source` shown in places, as
    advise batch shows IN. Blank lines are skipped, as advise batch skips them. `today`: the date of a scenario
    without as_of (give one for the whole run: partitions may run on other days). Raises Unavailable when
    durable_rules cannot be imported."""
    settings = Settings(source, lang, rules, as_of, today or dt.date.today())
    _BROKEN.clear()
    done = []
    for number, line in enumerate(lines, 1):
        if isinstance(line, tuple):
            line, path = line
            if path != settings.source:
                settings = Settings(path, lang, rules, as_of, settings.today)
        text = line.rstrip("\r\n") if isinstance(line, str) else line.rstrip(b"\r\n")
        if text.strip():
            item = answer(settings, number, text)
            if item.kind == UNAVAILABLE:
                raise Unavailable(item.text)
            done.append(item.text.rstrip("\n"))
    return done


def dask_files(paths: Iterable[str], lang: str = "en", rules: str | None = None, as_of: dt.date | None = None,
               today: dt.date | None = None) -> list[str]:
    """For dask.bag's map_partitions over a bag of file paths (db.from_sequence(paths, partition_size=1): one
    file a partition): the output lines (without line breaks) of each file, exactly as `advise batch PATH` writes
    them: the file is read as advise batch reads IN (bytes, lines ending at \n, a byte that is not UTF-8 that
    line's error, a lone \r part of its line), and each answer names PATH as it is given, as advise batch names IN.
    `today`: the date of a scenario without as_of (give one for the whole run). Raises Unavailable when
    durable_rules cannot be imported, OSError when a file cannot be read."""
    done = []
    for path in paths:
        settings = Settings(path, lang, rules, as_of, today or dt.date.today())
        _BROKEN.clear()  # as each advise batch run: a pack repaired since is read anew
        with open(path, "rb") as stream:
            for number, raw in read_lines(stream):
                item = answer(settings, number, raw)
                if item.kind == UNAVAILABLE:
                    raise Unavailable(item.text)
                done.append(item.text.rstrip("\n"))
    return done


class Unavailable(Exception):
    """durable_rules cannot be imported: the run stops; the message (in the run's language) says how to repair it."""


# ------------------------------------------------------------------------------------------------ one line


def _document(raw: bytes, where: str) -> Document:
    """The scenario of one line, read as a file is (load.parse) once it is known to be a JSON object."""
    if len(raw) > MAX_BYTES:  # the loader's limit for a file, and its words but for "line"
        raise InputError([about_file(where, msg("batch_line_too_large", size=MAX_BYTES // 1024))])
    text = decoded(raw, where)
    _json_object(text, where)
    joined, at = _joined_pairs(text)
    if not at:
        return parse(raw, where)
    try:
        doc = parse(joined.encode("utf-8"), where)
    except InputError as error:
        raise InputError([_shifted(d, at) for d in error.diagnostics]) from None
    return Document(doc.path, doc.data, _ShiftedMarks(doc.marks, at))


# What Python's json says of a line that is not JSON, as the catalogs' words (the rest keep json's words).
_JSON_WORDS = {"Expecting value": "batch_json_value", "Expecting property name enclosed in double quotes": "batch_json_key",
               "Expecting ',' delimiter": "batch_json_comma", "Expecting ':' delimiter": "batch_json_colon",
               "Unterminated string starting at": "batch_json_unterminated",
               "Invalid control character at": "batch_json_control", "Invalid \\escape": "batch_json_escape",
               "Invalid \\uXXXX escape": "batch_json_escape", "Extra data": "batch_json_extra",
               "Illegal trailing comma before end of object": "batch_json_trailing_comma",
               "Illegal trailing comma before end of array": "batch_json_trailing_comma"}


_LONG_NUMBER = re.compile(r"(?<![\w.])-?\d{%d,}" % (sys.get_int_max_str_digits() + 1))


class _Constant(ValueError):
    """NaN, Infinity or -Infinity, which Python's json reads but JSON does not have."""


def _refuse_constant(name: str) -> Any:
    raise _Constant(name)


def _json_object(text: str, where: str) -> None:
    """InputError, at its column, unless `text` is one JSON object."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except _Constant as constant:
        name = constant.args[0]
        raise InputError([Diagnostic(where, 1, text.find(name) + 1, msg("batch_json_constant", name=name))]) from None
    except RecursionError:  # deeper than Python's stack: the loader's words for a file nested too deeply
        raise InputError([Diagnostic(where, 1, None, msg("y_too_deep", depth=MAX_DEPTH, hint=""))]) from None
    except json.JSONDecodeError as error:
        before = text[:error.pos].rstrip()
        if before.endswith(",") and text.startswith(("}", "]"), error.pos):  # as Python 3.13 says it, at the comma
            raise InputError([Diagnostic(where, 1, len(before), msg("batch_json_trailing_comma"))]) from None
        key = _JSON_WORDS.get(error.msg)
        message = msg(key) if key else msg("batch_not_json", detail=error.msg)
        raise InputError([Diagnostic(where, error.lineno, error.colno, message)]) from None
    except ValueError:  # a whole number of more digits than Python converts (sys.get_int_max_str_digits)
        long = _LONG_NUMBER.search(text)
        raise InputError([Diagnostic(where, 1, long.start() + 1 if long else None,
                                     msg("batch_json_long_number", digits=sys.get_int_max_str_digits()))]) from None
    if not isinstance(value, dict):
        start = len(text) - len(text.lstrip())
        raise InputError([Diagnostic(where, 1, start + 1, msg("batch_not_object", kind=kind_of(value)))])


def _identified(doc: Document, number: int) -> tuple[str | int, Document]:
    """The line's id (its `id`, else its number) and the scenario without it."""
    data = dict(doc.data)
    ident = data.pop("id", number)
    if isinstance(ident, bool) or not isinstance(ident, (str, int)):
        raise InputError([doc.error(msg("batch_id_type", kind=kind_of(ident)), "id")])
    return ident, Document(doc.path, data, doc.marks)


def _located(diagnostic: Diagnostic, settings: Settings, where: str, number: int) -> dict:
    """A mistake as the `errors` of an answer: at the line of the input (a mistake in the scenario), or where it is
    (in a rule pack --rules names); `column` is null for the line as a whole, `code` for a check's code."""
    path, line, column = diagnostic.path, diagnostic.line, diagnostic.column
    if path == where:
        path, line = settings.source, number
    return {"path": shown_path(path), "line": line, "column": column,
            "message": escaped(rendered(diagnostic.message, settings.lang)), "code": diagnostic.code or None}


def _line(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


# A pair of \u escapes that make one character beyond U+FFFF (what json.dumps writes for 😀 by default), or an
# escaped backslash, which is skipped so that \\ud83d is not taken for an escape. YAML has no such pairs: each
# half would be read as half of a character and refused.
_PAIR = re.compile(r"\\\\|\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")
_PAIR_SHRINKS = len("\\ud83d\\ude00") - 1  # characters a pair loses when it is written as its character


def _joined_pairs(text: str) -> tuple[str, list[int]]:
    """`text` with every escaped surrogate pair written as its character, and where each such character stands
    (0-based, in the new text), to give a column of the new text back as one of `text`."""
    at: list[int] = []
    pieces: list[str] = []
    last = 0
    for match in _PAIR.finditer(text):
        if match.group(1) is None:
            continue
        pieces.append(text[last:match.start()])
        at.append(sum(map(len, pieces)))
        high, low = int(match.group(1), 16), int(match.group(2), 16)
        pieces.append(chr(0x10000 + (high - 0xD800) * 0x400 + low - 0xDC00))
        last = match.end()
    return "".join(pieces) + text[last:], at


def _unshifted(column: int, at: list[int]) -> int:
    """The column in the line as written of `column` in the text with its pairs joined."""
    return column + _PAIR_SHRINKS * bisect.bisect_left(at, column - 1)


def _shifted(diagnostic: Diagnostic, at: list[int]) -> Diagnostic:
    if diagnostic.column is None:
        return diagnostic
    return Diagnostic(diagnostic.path, diagnostic.line, _unshifted(diagnostic.column, at), diagnostic.message,
                      diagnostic.code)


class _ShiftedMarks(Mapping):
    """A line's marks (load.Document.marks) with columns as the line was written, its surrogate pairs escaped."""

    def __init__(self, marks: Mapping[tuple, tuple[int, int]], at: list[int]):
        self.marks, self.at = marks, at

    def __getitem__(self, where: tuple) -> tuple[int, int]:
        line, column = self.marks[where]
        return line, _unshifted(column, self.at)

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.marks)

    def __len__(self) -> int:
        return len(self.marks)


# ------------------------------------------------------------------------------------------------ the run


def in_order(settings: Settings, lines: Iterable[tuple[int, bytes]], jobs: int) -> Generator[Answer, None, None]:
    """The answers to `lines`, in their order: in this process with one job, else from `jobs` worker processes,
    CHUNK lines a task and at most WINDOW tasks a job in flight (the input is read only as answers are taken).
    Closing the iterator (or an exception in the caller) stops the workers at once."""
    if jobs == 1:
        for number, raw in lines:
            yield answer(settings, number, raw)
        return
    pool = multiprocessing.get_context(_START).Pool(jobs, _worker_starts, (settings,))
    try:
        pending: deque = deque()
        chunks = _chunks(lines)
        for chunk in chunks:
            pending.append(pool.apply_async(answers, (settings, chunk)))
            if len(pending) >= jobs * WINDOW:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
        pool.close()
    except BaseException:  # Ctrl-C, SIGTERM, a reader gone, the iterator closed: the workers stop at once
        pool.terminate()
        raise
    finally:
        pool.join()


# fork where there is one: a worker starts with the modules (and any pack) already loaded. It is safe here: the
# parent runs no thread when the pool starts (the tqdm bar's monitor thread is turned off).
_START = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _worker_starts(settings: Settings) -> None:
    """A worker ignores Ctrl-C, which the terminal sends to every process of the group: the parent stops the
    workers itself (Pool.terminate), and a worker's own KeyboardInterrupt would print a traceback. `settings` is
    the run's (each chunk brings it too: a worker needs nothing else)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in _ENDING:  # forked with the parent's handlers (run): Pool.terminate's SIGTERM ends it quietly
        signal.signal(number, signal.SIG_IGN if number in _IGNORED else signal.SIG_DFL)


def _chunks(lines: Iterable[tuple[int, bytes]]) -> Iterator[list[tuple[int, bytes]]]:
    chunk: list[tuple[int, bytes]] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Stopped(BaseException):
    """SIGTERM or SIGHUP during a run: raised in the main thread (run's _Guard) so that the run ends as Ctrl-C does,
    keeping the answers written so far; `signal` is its number (the exit code is 128 + it)."""

    def __init__(self, number: int):
        super().__init__(number)
        self.signal = number


_ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Tally:
    """What a run did so far: `cases` answered (written), `errors` and `internal` among them, and the places of the
    first errors (for the summary)."""

    def __init__(self) -> None:
        self.cases = self.errors = self.internal = 0
        self.places: list[str] = []
        self.quiet = False  # the reader of standard output went away: no summary of lines it never read

    def add(self, item: Answer, source: str) -> None:
        self.cases += 1
        if item.kind != OK:
            self.errors += 1
            self.internal += item.kind == INTERNAL
            if len(self.places) < SHOWN_ERRORS:
                self.places.append(f"{shown_path(source)}:{item.line}")


SHOWN_ERRORS = 5  # places of errors the summary names


def run(settings: Settings, lines: Iterable[tuple[int, bytes]], jobs: int, write: Callable[[str], None],
        tally: Tally, progress: Any = None) -> None:
    """Answer every line in order, each written whole by `write` (one call a line) and counted in `tally`;
    `progress`: a tqdm bar to advance by one a case, or None. Ctrl-C raises KeyboardInterrupt, SIGTERM and SIGHUP
    Stopped, never between writing a line and counting it: `tally` then holds what was written."""
    _BROKEN.clear()  # packs are read anew by each run: one may have been repaired since
    items = in_order(settings, lines, jobs)
    guard = _Guard()
    try:
        for item in items:
            if item.kind == UNAVAILABLE:
                raise Unavailable(item.text)
            with guard:
                write(item.text)
                tally.add(item, settings.source)
            if progress is not None:
                progress.update(1)
    finally:
        items.close()  # the workers stop now, not when a traceback holding this frame is dropped
        guard.restore()


class _Guard:
    """SIGINT, SIGTERM and SIGHUP while a run lasts: raised as KeyboardInterrupt or Stopped in the main thread, but
    put off while a line is written and counted (inside `with guard:`), to be raised when that ends, so that the
    output holds whole lines and the count is theirs. Holding the signals back with a mask would not do: with
    several jobs the pool's threads receive them and Python still raises in the main thread at once. A signal that
    was ignored when the run began (nohup's SIGHUP, SIGINT in a background job) stays ignored."""

    def __init__(self) -> None:
        self.critical = False
        self.pending: int | None = None
        self.saved = {number: signal.getsignal(number) for number in (signal.SIGINT, *_ENDING)}
        for number, handler in self.saved.items():
            if handler is not signal.SIG_IGN:
                signal.signal(number, self.caught)
        _IGNORED.update(number for number, handler in self.saved.items() if handler is signal.SIG_IGN)

    def caught(self, number: int, frame: Any) -> None:
        if self.critical:
            self.pending = number
        else:
            _raise(number)

    def __enter__(self) -> None:
        self.critical = True

    def __exit__(self, *exc: object) -> None:
        self.critical = False
        if self.pending is not None:
            _raise(self.pending)

    def restore(self) -> None:
        for number, handler in self.saved.items():
            signal.signal(number, handler)


_IGNORED: set[int] = set()  # the signals ignored when the run began, which forked workers keep ignoring


def _raise(number: int) -> None:
    if number == signal.SIGINT:
        raise KeyboardInterrupt
    raise Stopped(number)


class _held:
    """SIGINT, SIGTERM and SIGHUP held back by the system (delivered when the block ends, where it can), in a
    process that runs no other thread: while a temporary file is made, so that it cannot be left nameless."""

    HELD = {signal.SIGINT, *_ENDING}

    def __enter__(self) -> None:
        self.before = signal.pthread_sigmask(signal.SIG_BLOCK, self.HELD) if hasattr(signal, "pthread_sigmask") \
            else None

    def __exit__(self, *exc: object) -> None:
        if self.before is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self.before)


def count_cases(path: str) -> int | None:
    """The number of lines that are not blank in the file at `path` (for the progress bar's total), None when it
    is not a regular file (a pipe can be read once only)."""
    try:
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as stream:
            return sum(1 for _ in read_lines(stream))
    except OSError:
        return None


def summary(tally: Tally, lang: str) -> str:
    """The line on standard error at the end: how many scenarios, how many with errors, and where the first are."""
    one = tally.cases == 1  # "1 scenario", in the languages that say it so
    if not tally.errors:
        return say(lang, "batch_summary_one" if one else "batch_summary", cases=tally.cases, errors=0)
    places = say(lang, "range_comma").join(tally.places) + ("…" if tally.errors > len(tally.places) else "")
    return say(lang, "batch_summary_errors_one" if one else "batch_summary_errors", cases=tally.cases,
               errors=tally.errors, places=places)


PARTIAL = ".partial"  # OUT.partial: the answers written before an interruption


class Output:
    """The file -o OUT: the answers go to a temporary file beside it, moved into place whole when the run ends
    (hard-linked: never over a file created meanwhile, unless `replace`; write.py's way). Interrupted, the
    temporary file is kept as OUT.partial (`keep`): the answers written, whole lines in input order, from which
    `--resume` goes on (`resume`: IN's lines, of which those OUT.partial answers are taken, counted in `tally`;
    `cut`: its last line had no line break and was dropped). Raises OSError, InputError (resume_from)."""

    def __init__(self, path: str, replace: bool, resume: bool, tally: Tally, settings: Settings,
                 lines: Iterator[tuple[int, bytes]] | None = None):
        import tempfile  # here: only a run with -o needs it

        self.path, self.replace, self.partial = path, replace, path + PARTIAL
        self.cut = False
        with _held():  # a signal between creating the file and knowing its name would leave it behind
            handle, self.temporary = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".advise-",
                                                      suffix=".tmp")
        self.stream = os.fdopen(handle, "wb")
        self.resuming = resume
        try:
            if resume:
                self._resume(tally, settings, lines if lines is not None else iter(()))
        except BaseException:
            self.discard()
            raise

    def _resume(self, tally: Tally, settings: Settings, lines: Iterator[tuple[int, bytes]]) -> None:
        """Copy OUT.partial's answers into the new file, counting them (and their errors) in `tally`, taking one of
        IN's `lines` for each; InputError, at OUT.partial's line, for a line that is no answer of advise batch, or
        an answer of another input, language or --as-of (resumed, OUT would not be what one run writes). A last
        line without its line break (a crash cut it) is dropped and advised again."""
        with open(self.partial, "rb") as partial:
            for number, raw in enumerate(partial, 1):
                if not raw.endswith(b"\n"):
                    self.cut = True
                    break
                line = next(lines, None)
                kind = _resumed_kind(raw, settings, line)
                if not isinstance(kind, int):
                    raise InputError([Diagnostic(self.partial, number, 1, kind)])
                self.write_bytes(raw)
                tally.add(Answer("", line[0] if line else number, kind), settings.source)

    def write(self, text: str) -> None:
        self.write_bytes(text.encode("utf-8"))

    def write_bytes(self, data: bytes) -> None:
        try:
            self.stream.write(data)
        except OSError as error:  # a full disk: the run stops, told as OUT's, not as a bug
            raise WriteFailed(self.path, error) from None

    def _closed(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's private 0600

    def finish(self) -> None:
        """OUT in place, whole; OUT.partial removed (the run went on from it, or --force started again). Raises
        FileExistsError when OUT was created meanwhile (and not `replace`), OSError when the system refuses."""
        from .write import WRITTEN, not_regular

        try:
            self._closed()
            if self.replace:
                not_regular(self.path)
                os.replace(self.temporary, self.path)
            else:
                os.link(self.temporary, self.path)
            WRITTEN.append(self.path)
            if (self.resuming or self.replace) and os.path.isfile(self.partial):
                os.unlink(self.partial)
        finally:
            self.discard()

    def keep(self) -> str:
        """The answers written so far as OUT.partial (replacing an older one); its name. Raises OSError."""
        self._closed()
        os.replace(self.temporary, self.partial)
        return self.partial

    def discard(self) -> None:
        """The temporary file removed, whatever closing it says (a full disk fails the close's flush again)."""
        try:
            if not self.stream.closed:
                self.stream.close()
        except OSError:
            pass
        finally:
            if os.path.lexists(self.temporary):
                os.unlink(self.temporary)


class WriteFailed(Exception):
    """The answers could not be written to `path` (OUT, or <stdout>): `error` is the system's OSError."""

    def __init__(self, path: str, error: OSError):
        super().__init__(path, error)
        self.path, self.error = path, error


def _resumed_kind(raw: bytes, settings: Settings, line: tuple[int, bytes] | None) -> int | Message:
    """OK, ERROR or INTERNAL for an answer read back from OUT.partial that answers IN's `line` (number, text) in
    this run's language and --as-of, else what is wrong with it (a message)."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        data = None
    kind = _answer_shape(data)
    if kind is None:
        return msg("batch_not_partial")
    if line is None:
        return msg("batch_partial_longer", path=shown_path(settings.source))
    place = f"{shown_path(settings.source)}:{line[0]}"
    wrong = _other_case(data, settings, place) if kind == OK else _other_errors(data["errors"], settings, line[0])
    return wrong or kind


def _other_case(data: dict, settings: Settings, place: str) -> Message | None:
    """What makes an advice read back from OUT.partial not this run's answer to IN's line at `place`, or None."""
    scenario = data["scenario"]
    if scenario["path"] != place:
        return msg("batch_partial_other", place=escaped(clipped(scenario["path"])), expected=place)
    if data.get("lang") != settings.lang:
        return msg("batch_partial_lang", lang=escaped(clipped(str(data.get("lang")))), asked=settings.lang)
    if settings.as_of is not None and scenario.get("as_of") != settings.as_of.isoformat():
        return msg("batch_partial_as_of", date=escaped(clipped(str(scenario.get("as_of")))),
                   asked=settings.as_of.isoformat())
    return None


def _other_errors(errors: list[dict], settings: Settings, number: int) -> Message | None:
    """What makes the errors read back from OUT.partial not this run's answer to IN's line `number`, or None: an
    error in IN at another line, or errors in another input (a rule pack's mistakes are at the pack's lines)."""
    source = shown_path(settings.source)
    own = [e for e in errors if e["path"] == source]
    if own and any(e["line"] != number for e in own) or not own and _in_other_input(errors):
        found = f"{source}:{own[0]['line']}" if own else errors[0]["path"]
        return msg("batch_partial_other", place=escaped(clipped(found)), expected=f"{source}:{number}")
    return None


def _in_other_input(errors: list[dict]) -> bool:
    """Errors at a line of some input of advise batch (a .jsonl file, <stdin>), not of a rule pack's files: the
    answer is another input's when this run's IN is not among their paths."""
    return any(e["path"].endswith((".jsonl", ".ndjson", ">")) for e in errors)


def _answer_shape(data: Any) -> int | None:
    """OK, ERROR or INTERNAL for a line advise batch wrote (an object with an id and a scenario with its path, or
    errors each with a path, line, column and message), None for anything else."""
    if not isinstance(data, dict) or "id" not in data:
        return None
    errors = data.get("errors")
    if errors is None:
        scenario = data.get("scenario")
        return OK if isinstance(scenario, dict) and isinstance(scenario.get("path"), str) else None
    if not isinstance(errors, list) or not errors or not all(_is_error(e) for e in errors):
        return None
    return INTERNAL if any(e["column"] is None and _is_internal(e["message"]) for e in errors) else ERROR


def _is_error(error: Any) -> bool:
    return isinstance(error, dict) and isinstance(error.get("path"), str) and isinstance(error.get("message"), str) \
        and all(error.get(key) is None or type(error.get(key)) is int for key in ("line", "column"))


def _is_internal(message: str) -> bool:
    """An internal error's message (in either language), as `answer` writes it."""
    return any(message.startswith(say(lang, "internal_error", detail="\0").split("\0")[0]) for lang in ("en", "ja"))
