"""Stage 1, load: the only module that opens YAML.

Files are read as bytes with a size cap, decoded as strict UTF-8 (or UTF-16 or UTF-32 when a byte order mark says so),
composed with PyYAML's safe loader and turned into plain Python values by our own walk of the node graph. The walk is what keeps the
line and column of every key and value (so later stages can point at them), refuses tags outside
YAML's core types (so `!!python/object` never reaches a constructor), refuses duplicate keys, and
counts nodes so that an alias bomb stops after a bounded amount of work and memory.

What a Japanese IME or a Windows editor puts into a file is read here too, without changing the text (so every
line and column stays where the user sees it): a file saved as Shift_JIS is reported with that name and how to
save it as UTF-8, and a character that YAML does not read as the user meant where it gives a line its structure
(a full-width colon after a key, a full-width space in the indentation, a full-width dash or hash at the start
of a line) is reported at its own column with its code point, when the file cannot be read or when the
character ended up inside a plain value. PyYAML's descriptions of the common syntax errors are catalog messages.
"""
from __future__ import annotations

import bisect
import calendar
import codecs
import gc
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import (
    NAME_ONLY,
    REFUSED,
    REFUSED_CHARACTERS,
    Diagnostic,
    InputError,
    Message,
    about_file,
    clipped,
    escaped,
    msg,
    os_reason,
)
from .model import FACTS_FILE, PACK_FILE

MAX_BYTES = 1024 * 1024  # no scenario or rule file comes near this; larger input is a mistake
MAX_NODES = 100_000  # values built from one document, aliases counted each time they are used
MAX_TEXT = 4 * MAX_BYTES  # characters of text built from one document, aliases counted each time too
MAX_DEPTH = 50  # levels of nesting: no scenario or pack has ten

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}

# libyaml's parser is about ten times faster on a rule pack and gives the same nodes and marks.
_C_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=1 << 16)
def _core_tag(kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
    """The tag PyYAML's safe resolver gives a node of `kind` (ScalarNode...) with `value` and `implicit` flags: a
    function of these alone (the safe loader has no path resolvers), so each is decided once, in a cache that
    libyaml's composer reaches without running Python code when a rule pack repeats a text."""
    if kind is not ScalarNode:
        return _CORE + ("seq" if kind is SequenceNode else "map")
    if not implicit[0]:  # quoted, or a block scalar: text (Resolver.resolve without path resolvers)
        return _CORE + "str"
    return _RESOLVER.resolve(kind, value, implicit)


_RESOLVER = yaml.resolver.Resolver()


class _FastLoader(_C_LOADER):  # type: ignore[valid-type,misc]  # CSafeLoader's type is not known to mypy
    """libyaml's safe loader without a call of Python code for each node where the answer is known: libyaml's
    composer calls resolve, descend_resolver and ascend_resolver for every node, and PyYAML decides the tag of a
    plain text in Python, trying the patterns of the core types one by one. Here resolve is _core_tag (a cache in
    C) and the other two are built-in callables that do nothing: on two files of a 10,000-rule pack (134,000 nodes)
    that took composing from 0.35 s to 0.29 s of CPU (best of ten). The tags are the same: the safe loader has no
    path resolvers."""

    def __init__(self, stream: str):
        super().__init__(stream)
        if not self.yaml_path_resolvers:
            self.resolve = _core_tag
            self.descend_resolver = _IGNORE_TWO  # called as (parent node, index)
            self.ascend_resolver = _IGNORE_NONE  # called without arguments


_IGNORE_TWO: Callable[[Any, Any], Any] = {}.get  # (node, index) -> index: nodes are hashable, the dict empty; the result is not used
_IGNORE_NONE = tuple  # () -> (); the result is not used


_NUMBER_TAGS = {_CORE + "int", _CORE + "float"}
_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9_]*)(\.[0-9_]*)?([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")

KEY = "<key>"  # marks[path + (KEY,)] is where the key of path's last element stands

# What PyYAML says is left open ("while parsing a flow sequence"), as a catalog key.
_OPENED = {"a flow sequence": "y_flow_sequence", "a flow mapping": "y_flow_mapping", "a quoted scalar": "y_quoted_scalar"}


@lru_cache(maxsize=None)
def bundled_rules() -> Path:
    """The rule packs and schemas shipped with advise: inside the installed package, or beside it in a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "rules"
    return installed if installed.is_dir() else here.parent / "rules"


def pack_folders(target: str | Path | None = None) -> list[Path]:
    """The rule pack folders in `target` (default: the bundled packs); every command finds packs this way.

    A folder with pack.yaml is one pack, and so is a folder with facts.yaml but no pack.yaml (a pack whose
    pack.yaml is missing: load_pack then says so, at the folder). Any other folder is a folder of packs: its
    immediate subfolders that are packs, sorted by name. [] when there is none.
    """
    root = Path(target if target is not None else bundled_rules())
    if _is_pack(root):
        return [root]
    return sorted(folder for folder in root.glob("*") if _is_pack(folder))


def _is_pack(folder: Path) -> bool:
    return (folder / PACK_FILE).is_file() or (folder / FACTS_FILE).is_file()


def is_pack_file(name: str) -> bool:
    """A YAML file of a pack: *.yaml (and misnamed *.yml, *.YAML, reported), not editors' hidden files."""
    return not name.startswith(".") and name.lower().endswith((".yaml", ".yml"))


@dataclass(frozen=True)
class Document:
    """Plain data from one YAML file, with the 1-based (line, column) of every value and key."""

    path: str
    data: Any
    marks: Mapping[tuple, tuple[int, int]] = field(repr=False)  # a dict, or a file's _Marks

    def mark(self, *where: Any) -> tuple[int, int]:
        """The position of the value at `where`, or of its nearest known parent."""
        marks = self.marks
        while where:
            try:  # one lookup a step: a file's _Marks finds each in the node graph
                return marks[where]
            except KeyError:
                where = where[:-1]
        return marks.get((), (1, 1))

    def error(self, message: Message, *where: Any, code: str = "") -> Diagnostic:
        line, column = self.mark(*where)
        return Diagnostic(self.path, line, column, message, code)

    def plain_text(self, *where: Any) -> str | None:
        """The text of the plain (unquoted, not a block) scalar at `where` as it was typed, or None when there is
        none (a document built without a file has no texts): YAML makes a float of 50000., a datetime of
        2026-11-10T00:00:00 and true of on, none of which shows what was typed."""
        node = self.marks.node(where) if isinstance(self.marks, _Marks) else None
        return node.value if isinstance(node, ScalarNode) and not node.style else None


def read_file(path: Path | str) -> Document:
    """Load one YAML file; `-` reads standard input."""
    shown = "<stdin>" if str(path) == "-" else str(path)
    try:
        if str(path) == "-":
            raw = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise InputError([about_file(shown, msg("y_cannot_read", reason=os_reason(error)))]) from None
    return parse(raw, shown)


def parse(raw: bytes, path: str) -> Document:
    """The plain data of one YAML file's bytes, shown as `path`; every mistake is an InputError at its line."""
    if len(raw) > MAX_BYTES:
        raise InputError([about_file(path, msg("y_too_large", size=MAX_BYTES // 1024))])
    text = _decode(raw, path)
    if formatting := _FORMATTING.search(text):
        raise _fail(path, _refused_at(text, formatting.start()), *_position(text, formatting.start()))
    slips = _slips(text)
    with collector_paused():
        node = _compose(text, path, slips)
        if node is None or (isinstance(node, ScalarNode) and node.tag == _CORE + "null" and node.value == ""):
            # In a file without a value, a "#" can only start a comment.
            raise InputError([about_file(path, msg("y_only_comments" if "#" in text else "y_empty"))])
        builder = _Builder(path, slips)
        builder.source = text
        data = builder.build(node, 0)
    if builder.slipped:
        raise InputError([Diagnostic(path, line, column, message) for _, line, column, message in builder.slipped])
    return Document(path, data, _Marks(node, builder.key_value))


@contextmanager
def collector_paused() -> Iterator[None]:
    """A context (or, called, a decorator) with Python's cycle collector off, on again afterwards if it was on.
    Reading a file (here), reading a pack (validate.load_pack) and checking one (check) make hundreds of
    thousands of objects (nodes, marks, values, the model) and no garbage cycles, yet the collector ran a full
    pass over every object alive each time their number grew by a quarter: that tripled the time a 10,000-rule
    pack took. The memory is bounded by what is read (load.MAX_BYTES a file)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _fail(path: str, message: Message, line: int = 1, column: int = 1) -> InputError:
    return InputError([Diagnostic(path, line, column, message)])


# Byte order marks that make a file's encoding certain; without one, a file is UTF-8.
# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Encodings Japanese files are saved in by other editors: named when the bytes read as one of them, never used.
_LIKELY = (("cp932", "Shift_JIS (CP932)"), ("euc_jp", "EUC-JP"))


def _decode(raw: bytes, path: str) -> str:
    """The text of a file: strict UTF-8, or UTF-8, UTF-16 or UTF-32 after a byte order mark, without the mark.
    A byte that is not UTF-8 is reported where it stands (column in characters), naming the encoding the file
    looks saved in (Shift_JIS, EUC-JP, UTF-16 without a mark) when it reads as one."""
    encoding, start = next(((name, len(bom)) for bom, name in _BOMS if raw.startswith(bom)), ("utf-8", 0))
    if start == 0 and (wide := _utf16_without_bom(raw)) is not None:
        raise InputError([about_file(path, msg("t_utf16_without_bom", encoding=wide))])
    try:
        return raw[start:].decode(encoding)
    except UnicodeDecodeError as error:
        raise _undecodable(raw[start:], encoding, error, path) from None


def decoded(raw: bytes, path: str) -> str:
    """The text of bytes that are not YAML (answers piped to advise ask), read as a file's are: str, without a
    byte order mark; InputError where a byte is not UTF-8, naming the encoding it looks saved in."""
    return _decode(raw, path)


def _undecodable(raw: bytes, encoding: str, error: UnicodeDecodeError, path: str) -> InputError:
    if encoding != "utf-8":
        text = raw[:error.start].decode(encoding, errors="replace")
        line, column = _position(text, len(text))
        if encoding.startswith("utf-32"):  # four bytes a character: name the four that are none
            return _fail(path, msg("t_not_utf32", bytes=raw[error.start:error.start + 4].hex(" ")), line, column)
        return _fail(path, msg("t_not_utf16", byte=f"{raw[error.start]:02x}"), line, column)
    line_start = raw.rfind(b"\n", 0, error.start) + 1
    line = raw.count(b"\n", 0, error.start) + 1
    for codec, name in _LIKELY:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if not _plausible(text):
            continue
        # the byte UTF-8 stops at may sit inside one of the codec's characters: the character that holds it
        at = _char_at(text, codec, error.start)
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        return _fail(path, msg("t_likely_encoding", encoding=name, char=text[at]), line, column)
    column = len(raw[line_start:error.start].decode("utf-8", errors="replace")) + 1
    return _fail(path, msg("y_not_utf8", byte=f"{raw[error.start]:02x}"), line, column)


def _char_at(text: str, codec: str, offset: int) -> int:
    """The index in `text` (decoded from `codec`) of the character whose bytes hold byte `offset` (0-based)."""
    end = 0
    for index, char in enumerate(text):
        end += len(char.encode(codec))
        if end > offset:
            return index
    return len(text) - 1


def _plausible(text: str) -> bool:
    """Whether text decoded from another encoding reads as text: no private-use or control characters (CP932
    decodes bytes 0xFD..0xFF, which no Japanese text has, as private-use characters)."""
    return not any(unicodedata.category(char) in ("Co", "Cc") and char not in "\t\r\n" for char in text)


def _utf16_without_bom(raw: bytes) -> str | None:
    """"UTF-16 LE" or "UTF-16 BE" when the bytes are text saved as UTF-16 without a byte order mark (every other
    byte zero, as ASCII text is then), else None; such a file is valid UTF-8 full of NUL characters."""
    if len(raw) < 4 or b"\x00" not in raw[:200]:
        return None
    head = raw[:200]
    for name, zeros in (("UTF-16 LE", head[1::2]), ("UTF-16 BE", head[0::2])):
        if zeros.count(0) >= len(zeros) * 3 // 4:
            return name
    return None


# Characters typed where YAML needs an ASCII one (a Japanese IME's full-width forms), and what they look like.
_SLIP_CHARS = re.compile("[\u3000\u00a0\uff1a\ufe55\ufe30\uff0d\u30fc\u2212\u2010\u2013\u2014\u2015\uff03]")
_WIDE_NAME = "A-Za-z0-9_\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff3f"
_KEY = rf"[{_WIDE_NAME}][{_WIDE_NAME}\-]*"  # a key as scenarios and packs name them, maybe in full-width letters
_WIDE_SPACES = "\u3000\u00a0"  # spaces YAML does not read as spaces: the full-width space, the no-break space
_LEAD = re.compile("[ \t\u3000\u00a0]*")
_DASH = re.compile("([-\uff0d\u30fc\u2212\u2010\u2013\u2014\u2015])([ \t\u3000\u00a0]+)")
_KEY_COLON = re.compile(rf"({_KEY})([ \t\u3000\u00a0]*)(?:([\uff1a\ufe55\ufe30])|:([\u3000\u00a0]))?")
_FLOW_KEY_COLON = re.compile(rf"[{{,][ \t]*({_KEY})[ \t\u3000]*([\uff1a\ufe55\ufe30])")
_BLOCK_HEADER = re.compile(r"(?:^|[ \t])[|>][0-9+-]*[ \t]*(?:#.*)?$")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

Slip = tuple[int, int, int, Message]  # index in the text, line, column, what to type instead


def _slips(text: str) -> list[Slip]:
    """Full-width characters where YAML reads structure, each with its place, in the order of the text: a
    full-width colon after a key (or U+3000 instead of the space after a colon), U+3000 in the indentation or
    after a list's dash, a full-width dash starting a list item, a full-width hash starting a comment. Lines of
    block scalars (| and >) are text and are skipped. Whether a slip is a mistake is decided by the caller:
    when the file cannot be read, or the character ended up in a plain value."""
    if not _SLIP_CHARS.search(text):
        return []
    found: list[Slip] = []
    block = -1  # the indentation of a block scalar's header while its lines are read, else -1
    starts = [0, *(brk.end() for brk in _LINE_BREAK.finditer(text))]
    for number, (start, line) in enumerate(zip(starts, _LINE_BREAK.split(text)), 1):
        indent = len(line) - len(line.lstrip(" "))
        if block >= 0 and (indent > block or not line.strip()):
            continue
        block = indent if _BLOCK_HEADER.search(line) else -1
        if _SLIP_CHARS.search(line):
            found += [(start + column - 1, number, column, message) for column, message in _line_slips(line)]
    return found


def _line_slips(line: str) -> list[tuple[int, Message]]:
    """The slips of one line, as (1-based column, message)."""
    found = []
    at = _LEAD.match(line).end()  # type: ignore[union-attr]  # matches the empty string at least
    if (wide := _first_wide(line, 0, at)) is not None:
        found.append((wide + 1, msg("t_wide_space_indent", char=named(line[wide]))))
    while dash := _DASH.match(line, at):
        if dash[1] != "-":
            found.append((at + 1, msg("t_wide_dash", char=named(dash[1]))))
        elif (wide := _first_wide(line, at, dash.end())) is not None:
            found.append((wide + 1, msg("t_wide_space_after_dash", char=named(line[wide]))))
        at = dash.end()
    if line.startswith("\uff03", at):
        found.append((at + 1, msg("t_wide_hash", char=named("\uff03"))))
    elif key := _KEY_COLON.match(line, at):
        found += _key_slips(line, key)
    if "{" in line:
        found += [(key.start(2) + 1, msg("t_wide_colon", key=key[1], char=named(key[2])))
                  for key in _FLOW_KEY_COLON.finditer(line, line.index("{"))]
    return found


def _first_wide(line: str, start: int, end: int) -> int | None:
    """The index of the first full-width or no-break space in line[start:end], or None."""
    return next((index for index in range(start, end) if line[index] in _WIDE_SPACES), None)


def _key_slips(line: str, key: re.Match) -> list[tuple[int, Message]]:
    """A key's slips: a full-width or no-break space between it and its colon, a full-width colon, a full-width or
    no-break space instead of the space after the colon."""
    found = []
    wide = _first_wide(line, key.start(2), key.end(2))
    if wide is not None and (key[3] or line.startswith(":", key.end(2))):
        found.append((wide + 1, msg("t_space_before_colon", key=key[1], char=named(line[wide]))))
    if key[3] or key[4]:
        colon = key.start(3) if key[3] else key.start(4)
        found.append((colon + 1, msg("t_wide_colon" if key[3] else "t_wide_space_after_colon", key=key[1],
                                     char=named(line[colon]))))
    return found


def named(char: str) -> Message:
    """A character as messages name it, with its code point: 「：」(U+FF1A), a tab (U+0009)."""
    if char == "\t":
        return msg("t_tab_char")
    if char == "\u3000":
        return msg("t_wide_space_char")
    if char == "\u00a0":
        return msg("t_nbsp_char")
    return msg("t_char", char=escaped(char), code=f"{ord(char):04X}")



def _compose(text: str, path: str, slips: list[Slip]) -> Node | None:
    """PyYAML's node graph of the text (None for an empty file); a syntax error is reported at its line, or as
    the slips (_slips) before it, which are what YAML stumbled on."""
    try:
        try:
            return yaml.compose(text, Loader=_FastLoader)
        except yaml.YAMLError:
            # Parse again with the pure-Python parser, so that error messages read the same on every machine.
            return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as error:
        line, column = _position(text, error.position)
        raise _fail(path, msg("y_invalid", problem=msg("y_control_character", code=f"{error.character:02x}")),
                    line, column) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if before := [slip for slip in slips if mark is None or slip[0] <= mark.index]:
            raise InputError([Diagnostic(path, line, column, message) for _, line, column, message in before]) from None
        raise _syntax_error(error, path, text) from None
    except yaml.YAMLError as error:
        raise _fail(path, msg("y_invalid", problem=str(error))) from None
    except RecursionError:
        raise _fail(path, msg("y_invalid", problem=msg("y_too_deep", depth=MAX_DEPTH, hint=_alias_hint(text)))) from None


# PyYAML's descriptions of the common syntax errors, as catalog keys; each is placed where PyYAML found it, but
# a missing colon where the key without one starts.
_PROBLEMS = (
    (re.compile(r"found character '\\t' that cannot start any token"), "t_tab"),
    (re.compile(r"found character '(?P<char>.)' that cannot start any token"), "t_cannot_start"),
    (re.compile(r"mapping values are not allowed here"), "t_colon_in_value"),
    (re.compile(r"could not find expected ':'"), "t_no_colon"),
    (re.compile(r"expected <block end>, but found '<block mapping start>'|did not find expected key"), "t_indentation"),
    (re.compile(r"found undefined alias '(?P<name>.*)'"), "t_undefined_alias"),
)
_CLOSERS = {"[": "]", "{": "}", '"': '"', "'": "'"}


def _syntax_error(error: yaml.MarkedYAMLError, path: str, text: str) -> InputError:
    """A syntax error in our words where it is a common one (_PROBLEMS, an unclosed quote or bracket); any other
    stays in PyYAML's words (English) inside our frame."""
    mark = error.problem_mark or error.context_mark
    said = error.problem or error.context
    problem: Message | str = said or msg("y_unknown_problem")
    context = error.context or ""
    if said and "another document" in said:
        problem = msg("y_second_document")
    elif ours := _our_words(error, said or "", text):
        problem, mark = ours
    elif error.context_mark and context.endswith(("flow sequence", "flow mapping", "quoted scalar")):
        # An unclosed [ { or " is noticed only further on; the mistake is where it opens.
        mark = error.context_mark
        opened = context.replace("while parsing ", "").replace("while scanning ", "")
        problem = msg("y_not_closed", opened=msg(_OPENED[opened]) if opened in _OPENED else opened, problem=problem)
    if mark is None:
        return _fail(path, msg("y_invalid", problem=problem))
    return _fail(path, msg("y_invalid", problem=problem), mark.line + 1, mark.column + 1)


def _our_words(error: yaml.MarkedYAMLError, said: str, text: str) -> tuple[Message, Any] | None:
    """A common syntax error (_PROBLEMS, an unclosed quote or bracket) in our words, with the mark where it is
    shown; None for any other."""
    if (key_start := _long_key(error, text)) is not None:
        return msg("y_key_too_long"), key_start
    for pattern, key in _PROBLEMS:
        if found := pattern.fullmatch(said):
            problem = msg(key, **{name: named(value) if name == "char" else value
                                  for name, value in found.groupdict().items()})
            at_key = key == "t_no_colon" and error.context_mark  # the key without a colon, not the line after
            return problem, error.context_mark if at_key else error.problem_mark or error.context_mark
    if error.context_mark and _unclosed(error, text):
        # An unclosed [ { or " is noticed only further on; the mistake is where it opens.
        opener = text[error.context_mark.index]
        return msg("t_quote_not_closed" if opener in "\"'" else "t_bracket_not_closed", char=opener,
                   closer=_CLOSERS[opener]), error.context_mark
    return None


_MAX_KEY = 1024  # characters of a plain key YAML reads (PyYAML's scanner): past them, its ": " starts nothing


def _long_key(error: yaml.MarkedYAMLError, text: str) -> yaml.Mark | None:
    """Where a key longer than YAML reads starts, when the error is found at the colon after it, or None: PyYAML
    tells it as ": " inside a value, at the colon 100,000 characters on."""
    mark = error.problem_mark
    if mark is None or text[mark.index:mark.index + 1] != ":":
        return None
    line = text[text.rfind("\n", 0, mark.index) + 1:mark.index]
    lead = _LEAD_DASHES.match(line).end()  # type: ignore[union-attr]  # matches the empty string at least
    if len(line) - lead <= _MAX_KEY:
        return None
    return yaml.Mark(mark.name, mark.index - len(line) + lead, mark.line, lead, None, 0)


_LEAD_DASHES = re.compile(r"[ \t]*(?:-[ \t]+)*")


def _unclosed(error: yaml.MarkedYAMLError, text: str) -> bool:
    """Whether the error is a quote or bracket opened at its context mark and not closed on its line."""
    opened, found = error.context_mark, error.problem_mark
    return (opened is not None and found is not None and text[opened.index:opened.index + 1] in _CLOSERS
            and (error.context or "").endswith(("flow sequence", "flow mapping", "quoted scalar"))
            and found.line > opened.line)


_UNSEEN = object()
_MERGE = _CORE + "merge"
_STR = _CORE + "str"


def _position_of(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Marks(Mapping):
    """The 1-based (line, column) of every value and key of a document, as a read-only mapping from paths (keys and
    indexes; KEY after a key for where the key stands) to positions, found in the composed node graph when asked
    for. Only the positions of mistakes and of what lints report are ever asked for, so they are not all computed
    when a file is read; iterating over the mapping computes them all, once."""

    def __init__(self, root: Node, key_value: Callable[[ScalarNode], Any]):
        self.root = root
        self.key_value = key_value
        self.indexes: dict[int, dict] = {}  # id of a mapping node -> {key: (key node, value node)}, once asked
        self.every: dict[tuple, tuple[int, int]] | None = None

    def __getitem__(self, where: tuple) -> tuple[int, int]:
        if self.every is not None:
            return self.every[where]
        node = self.node(where)
        if node is None:
            raise KeyError(where)
        return _position_of(node)

    def node(self, where: tuple) -> Node | None:
        """The node at `where` (the key's node after KEY), or None when there is none."""
        node, step, steps = self.root, 0, len(where)
        while step < steps:
            at = where[step]
            if isinstance(node, MappingNode):
                try:
                    entry = self.index(node).get(at)
                except TypeError:  # an unhashable step names no key
                    return None
                if entry is None:
                    return None
                if step + 1 < steps and where[step + 1] == KEY:
                    return entry[0] if step + 2 == steps else None
                node = entry[1]
            elif isinstance(node, SequenceNode) and isinstance(at, int) and 0 <= at < len(node.value):
                node = node.value[at]
            else:
                return None
            step += 1
        return node

    def index(self, node: MappingNode) -> dict:
        found = self.indexes.get(id(node))
        if found is None:
            found = self.indexes[id(node)] = {self.key_value(key): (key, value) for key, value in node.value}
        return found

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self.all())

    def all(self) -> dict[tuple, tuple[int, int]]:
        if self.every is None:
            every: dict[tuple, tuple[int, int]] = {}
            self.collect(self.root, (), every)
            self.every = every
        return self.every

    def collect(self, node: Node, where: tuple, every: dict) -> None:
        every.setdefault(where, _position_of(node))
        if isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                self.collect(item, where + (index,), every)
        elif isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                key = self.key_value(key_node)
                every[where + (key, KEY)] = _position_of(key_node)
                self.collect(value_node, where + (key,), every)


class FoldedText(str):
    """The text of a folded block scalar written over several lines (fee: > then 50 and 000 on two lines): YAML
    joined the lines with a space the user did not type, which a message about it names."""


class _Builder:
    def __init__(self, path: str, slips: list[Slip]):
        self.source = ""  # the document's text, where a block scalar's lines are counted
        self.path = path
        self.slips = slips
        self.at = [slip[0] for slip in slips]
        self.slipped: list[Slip] = []  # the slips that ended up inside a plain value or key
        self.count = 0
        self.text = 0
        self.constructor = SafeConstructor()
        # The value of each (tag, text) met before: a rule pack repeats its numbers, names and operators thousands
        # of times, and PyYAML's constructors are the slowest part of reading a scalar.
        self.values: dict[tuple[str, str], Any] = {}
        self.plain = not slips  # no slip can end up inside a value: a value met before needs no more checks

    def fail(self, node, message: Message) -> InputError:
        return InputError([Diagnostic(self.path, node.start_mark.line + 1, node.start_mark.column + 1, message)])

    def build(self, node, depth: int, key: str | None = None) -> Any:
        """The plain value of `node`, `depth` levels down; `key`: the key it is the value of, if it is one.
        No marks are kept here: _Marks finds them in the node graph when a later stage asks (keeping the path
        and position of each of a 10,000-rule pack's 300,000 values took longer than parsing the file)."""
        self.count += 1
        if node.__class__ is ScalarNode:
            self.text += len(node.value)
            if self.count > MAX_NODES or depth > MAX_DEPTH or self.text > MAX_TEXT:
                raise self.too_large(node, depth)
            # A text met before in this file, outside a folded block and in a file without slips, is the value
            # it had then: most of a rule pack's values are (scalar's checks ran when it was first met).
            if self.plain and node.style != ">":
                value = self.values.get((node.tag, node.value), _UNSEEN)
                if value is not _UNSEEN:
                    return value
            return self.scalar(node, key)
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            raise self.too_large(node, depth)
        if isinstance(node, SequenceNode):
            self.check_tag(node, _CORE + "seq")
            return [self.build(item, depth + 1) for item in node.value]
        if isinstance(node, MappingNode):
            return self.mapping(node, depth)
        raise self.fail(node, msg("y_unsupported_node"))  # pragma: no cover - PyYAML has only three kinds

    def too_large(self, node: Node, depth: int) -> InputError:
        """The mistake of a document found nested deeper than MAX_DEPTH at `node` (`depth` levels down), or with
        more than MAX_NODES values or MAX_TEXT characters; aliases are named only when the file has some."""
        hint = _alias_hint(self.source)
        if depth > MAX_DEPTH:
            return self.fail(node, msg("y_too_deep", depth=MAX_DEPTH, hint=hint))
        return self.fail(node, msg("y_too_large_document", values=MAX_NODES, characters=MAX_TEXT, hint=hint))

    def mapping(self, node: MappingNode, depth: int) -> dict:
        """A mapping's keys (plain, not repeated) and built values."""
        self.check_tag(node, _CORE + "map")
        result: dict = {}
        values, build, flow = self.values, self.build, node.flow_style
        for index, (key_node, value_node) in enumerate(node.value):
            if flow and index and (split := _split_number(node.value, index)):
                raise self.fail(node.value[index - 1][1], split)
            # a key met before (as for values in build): a rule pack repeats a few dozen keys
            key = _UNSEEN
            if self.plain and key_node.__class__ is ScalarNode and key_node.style != ">":
                key = values.get((key_node.tag, key_node.value), _UNSEEN)
            if key.__class__ is not str:
                key = self.key(key_node)
            if key in result:
                raise self.fail(key_node, msg("y_duplicate_key", key=str(key)))
            result[key] = build(value_node, depth + 1, key)
        return result

    def key(self, node: Node) -> str:
        """The text of a key; an InputError when it is no plain text."""
        if node.tag == _MERGE:
            raise self.fail(node, msg("y_merge_key"))
        if not isinstance(node, ScalarNode):
            raise self.fail(node, msg("y_key_not_plain"))
        hidden = _FORMATTING.search(node.value) or _NAME_ONLY.search(node.value)
        if hidden and (hidden.group() in NAME_ONLY or REFUSED.get(hidden.group()) == "y_invisible_character"):
            message = _unshowable(hidden.group(), node.value.replace(hidden.group(), ""))  # "fee\u200B"
            start = node.start_mark.index + hidden.start()
            if not node.style and self.source[start:start + 1] == hidden.group():  # as typed: at its own column
                raise _fail(self.path, message, *_position(self.source, start))
            raise self.fail(node, message)
        key = self.scalar(node)
        if not isinstance(key, str):
            raise self.fail(node, msg("y_key_not_text", text=escaped(clipped(node.value))))
        return key

    def check_tag(self, node, expected: str) -> None:
        if node.tag != expected:
            raise self.fail(node, _tag_refused(node.tag))

    def scalar(self, node: ScalarNode, key: str | None = None) -> Any:
        """The value of a scalar; `key`: the key it is the value of, which a mistake in it names."""
        if not node.style and self.slips:  # plain: None, or "" from libyaml
            # A slip YAML read as part of a plain value or key: work_started： true is one text, not a key.
            first = bisect.bisect_left(self.at, node.start_mark.index)
            self.slipped += self.slips[first:bisect.bisect_right(self.at, max(node.end_mark.index - 1, 0))]
        if node.tag not in _SCALAR_TAGS:
            raise self.fail(node, _tag_refused(node.tag))
        try:
            seen = (node.tag, node.value)
            value = self.values.get(seen, _UNSEEN)
            if value is _UNSEEN:
                value = self.value(node)
                # A text with a joiner is not kept: met again as a key, it would be taken without key's check.
                if not (value.__class__ is str and _NAME_ONLY.search(value)):
                    self.values[seen] = value
            if node.style == ">" and isinstance(value, str) and sum(
                    bool(line.strip()) for line in self.source[node.start_mark.index:node.end_mark.index].split("\n")[1:]) > 1:
                return FoldedText(value)
            return value
        except InputError as error:
            if key is None:
                raise
            [found] = error.diagnostics
            raise InputError([Diagnostic(found.path, found.line, found.column,
                                         msg("t_value_of", key=key, problem=found.message))]) from None

    def key_value(self, node: ScalarNode) -> Any:
        """The value of a key that was read before (what `scalar` returned for it)."""
        return self.values[node.tag, node.value]

    def value(self, node: ScalarNode) -> Any:
        """The value of a scalar, from its tag and text alone (so it is read once per document: `values`)."""
        if node.tag == _STR:  # the text itself (SafeConstructor.construct_yaml_str), most of a pack's new values
            return self.showable(node, node.value)
        if node.tag in _NUMBER_TAGS and not _DECIMAL.fullmatch(node.value):
            # YAML 1.1 reads 050000 as octal (20480) and 50:00 as base 60 (3000): refuse, never guess.
            raise self.fail(node, msg("y_yaml11_number", value=clipped(node.value)))
        if (misread := _tag_misread(node)) is not None:
            raise self.fail(node, misread)
        try:
            value = self.constructor.yaml_constructors[node.tag](self.constructor, node)
        except ValueError as error:
            reason = _impossible_date(node.value) if node.tag.endswith("timestamp") else None
            raise self.fail(node, msg("y_impossible_date" if node.tag.endswith("timestamp") else "y_invalid_value",
                                      value=clipped(node.value), reason=reason or str(error))) from None
        return self.showable(node, value)

    def showable(self, node: ScalarNode, value: Any) -> Any:
        """`value`, read from `node`; an InputError when it is a text with a character no file may hold."""
        if isinstance(value, str) and (unshowable := _UNSHOWABLE.search(value)):
            raise self.fail(node, _unshowable(unshowable.group()))
        return value


# Characters a file can hold as they are that no file may (diagnostics.REFUSED_CHARACTERS says why: they reorder,
# split or hide what is shown). Refused anywhere in a file (a comment included, where a reviewer of the pack reads
# them too), at their own line and column.
_REFUSED_RANGES = "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last, key in REFUSED_CHARACTERS
                          if key != "y_invisible_in_name")
# NEL (U+0085) is a control character that YAML reads as a line break wherever it is: refused in the file at its
# place, as it is written as an escape ("\x85"), not as the line it would end.
_FORMATTING = re.compile(f"[\x85{_REFUSED_RANGES}]")
# Joiners and variation selectors (diagnostics.NAME_ONLY): refused in keys (here) and in values that are no text
# (validate_values.read_text), kept in texts.
_NAME_ONLY = re.compile("[" + "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last, key in REFUSED_CHARACTERS
                                      if key == "y_invisible_in_name") + "]")
# What a double-quoted YAML text can hold ("\e", "\x9b", "\ud800") that no file holds as it is (PyYAML's
# reader refuses them there): a control character other than tab and line break would act on the terminal it is
# printed to (an escape sequence recolours it, a carriage return overwrites a line), and half of a surrogate
# pair cannot be written in UTF-8 at all. Refused wherever they are, in keys and values of every file, and so
# are the _FORMATTING characters written as escapes ("\u202E", "\L", "\u200B").
_UNSHOWABLE = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ud800-\\udfff{_REFUSED_RANGES}]")
# A refused character inside a key, as it is in a file: the text of the line before it and after it (a block or
# flow mapping's key, up to its colon).
_KEY_BEFORE = re.compile(r"(?:^[ \t]*(?:-[ \t]+)*|[{,][ \t]*)[\"']?([^\s:#'\"{}\[\],]*)$", re.M)  # ^: any line's start
_KEY_AFTER = re.compile(r"([^\s:#'\"{}\[\],]*)[\"']?[ \t]*:(?:[ \t]|$)")


def _unshowable(char: str, key: str | None = None) -> Message:
    """Why `char` may not be in a file; `key`: the key it is inside of (without it), which the message names."""
    if "\ud800" <= char <= "\udfff":
        return msg("y_lone_surrogate", code=f"{ord(char):04X}")
    if char in REFUSED or char in NAME_ONLY:
        name = unicodedata.name(char, "") or msg("y_unassigned")  # most tags (U+E0000, U+E0002...) have no name
        if key is not None:
            return msg("y_invisible_in_key", code=f"{ord(char):04X}", name=name, key=escaped(clipped(key)))
        return msg(REFUSED.get(char, "y_invisible_in_name"), code=f"{ord(char):04X}", name=name)
    return msg("y_control_character", code=f"{ord(char):02x}")


def _refused_at(text: str, index: int) -> Message:
    """Why the refused character at `index` of a file's `text` may not be there, naming the key it is inside of."""
    start, end = text.rfind("\n", 0, index) + 1, text.find("\n", index)
    before = _KEY_BEFORE.search(text, start, index)
    after = _KEY_AFTER.match(text, index + 1, len(text) if end < 0 else end)
    if REFUSED.get(text[index]) == "y_invisible_character" and before and after and (before[1] or after[1]):
        return _unshowable(text[index], before[1] + after[1])
    return _unshowable(text[index])


def _impossible_date(text: str) -> Message | None:
    """Why the date in a YAML timestamp `text` (YYYY-MM-DD, maybe with a time) does not exist, worked out here
    rather than read from Python's error text, whose wording changes (CPython 3.14); checked in datetime's order:
    year, month, day. None when the date exists (then the time part is what Python refused)."""
    found = SafeConstructor.timestamp_regexp.match(text)
    if found is None:
        return None
    year, month, day = int(found["year"]), int(found["month"]), int(found["day"])
    if year == 0:
        return msg("y_year_out_of_range")
    if not 1 <= month <= 12:
        return msg("y_month_out_of_range")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return msg("y_day_out_of_range", day=day, month=f"{year:04d}-{month:02d}", days=days)
    return None


def _split_number(pairs: list, index: int) -> Message | None:
    """In {fee: 50,000, ...} the comma ends the entry: YAML reads fee: 50 and a key "000" without a value. The
    message when the key at `index` of a flow mapping's (key, value) node `pairs` is digits alone, without a value,
    right after a whole number (with the keys of digits after it: 1,500,000), or None."""
    before = pairs[index - 1][1]
    if not (_plain(before) and re.fullmatch(r"[-+]?\d+", before.value)):
        return None
    groups = []
    for key, value in pairs[index:]:
        if not (_plain(key) and _plain(value) and re.fullmatch(r"\d+", key.value) and value.value == ""):
            break
        groups.append(key.value)
    if not groups:
        return None
    return msg("t_flow_comma", number=",".join([before.value, *groups]), joined="".join([before.value, *groups]))


def _plain(node: Node) -> bool:
    return isinstance(node, ScalarNode) and not node.style


def _tag_misread(node: ScalarNode) -> Message | None:
    """Why an explicit !!bool or !!timestamp tag cannot read its value (`!!bool maybe`), or None: PyYAML's
    constructors assume the value matched the tag's pattern and fail with a KeyError or AttributeError otherwise."""
    if node.tag == _CORE + "bool" and node.value.lower() not in SafeConstructor.bool_values:
        return msg("t_tag_cannot_read", tag="!!bool", value=escaped(clipped(node.value)), fix=msg("t_tag_fix_bool"))
    if node.tag == _CORE + "timestamp" and not SafeConstructor.timestamp_regexp.match(node.value):
        return msg("t_tag_cannot_read", tag="!!timestamp", value=escaped(clipped(node.value)), fix=msg("t_tag_fix_timestamp"))
    return None


def _tag_refused(tag: str) -> Message:
    shown = "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag
    return msg("y_tag_refused", tag=shown)


# An alias (*name) where YAML reads one: at the start of a value, after a dash, in a flow collection.
_ALIAS = re.compile(r"(?:^|[ \t\[{,])\*[^\s\[\]{},]", re.M)


def _alias_hint(text: str) -> Message | str:
    """The hint to look for aliases that repeat or nest parts of a document, when `text` has an alias, else ""."""
    return msg("y_aliases_hint") if _ALIAS.search(text) else ""


def _position(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def impossible_date(text: str) -> Message | None:
    """Why the date YYYY-MM-DD at the start of `text` does not exist (year 0, month or day out of range), or None
    when it exists or `text` is no such date; for dates read from other forms (validate_values.read_value)."""
    return _impossible_date(text)
