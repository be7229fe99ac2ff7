"""Stage 1, load: the only module that opens YAML.

Files are read as bytes with a size cap, decoded as strict UTF-8, composed with PyYAML's safe loader
and turned into plain Python values by our own walk of the node graph. The walk is what keeps the
line and column of every key and value (so later stages can point at them), refuses tags outside
YAML's core types (so `!!python/object` never reaches a constructor), refuses duplicate keys, and
counts nodes so that an alias bomb stops after a bounded amount of work and memory.
"""
from __future__ import annotations

import calendar
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic, InputError, Message, about_file, msg
from .model import FACTS_FILE, PACK_FILE

MAX_BYTES = 1024 * 1024  # no scenario or rule file comes near this; larger input is a mistake
MAX_NODES = 100_000  # values built from one document, aliases counted each time they are used
MAX_TEXT = 4 * MAX_BYTES  # characters of text built from one document, aliases counted each time too

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}

# libyaml's parser is about ten times faster on a rule pack and gives the same nodes and marks.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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


@dataclass(frozen=True)
class Document:
    """Plain data from one YAML file, with the 1-based (line, column) of every value and key."""

    path: str
    data: Any
    marks: dict[tuple, tuple[int, int]] = field(repr=False)

    def mark(self, *where: Any) -> tuple[int, int]:
        """The position of the value at `where`, or of its nearest known parent."""
        where = tuple(where)
        while where and where not in self.marks:
            where = where[:-1]
        return self.marks.get(where, (1, 1))

    def error(self, message: Message, *where: Any, code: str = "") -> Diagnostic:
        line, column = self.mark(*where)
        return Diagnostic(self.path, line, column, message, code)


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
        raise InputError([about_file(shown, msg("y_cannot_read", reason=error.strerror))]) from None
    return parse(raw, shown)


def parse(raw: bytes, path: str) -> Document:
    """The plain data of one YAML file's bytes, shown as `path`; every mistake is an InputError at its line."""
    if len(raw) > MAX_BYTES:
        raise InputError([about_file(path, msg("y_too_large", size=MAX_BYTES // 1024))])
    node = _compose(_decode(raw, path), path)
    if node is None or (isinstance(node, ScalarNode) and node.tag == _CORE + "null" and node.value == ""):
        raise InputError([about_file(path, msg("y_empty"))])
    builder = _Builder(path)
    data = builder.build(node, ())
    return Document(path, data, builder.marks)


def _fail(path: str, message: Message, line: int = 1, column: int = 1) -> InputError:
    return InputError([Diagnostic(path, line, column, message)])


def _decode(raw: bytes, path: str) -> str:
    """Strict UTF-8 text without its byte order mark; a wrong byte is reported where it stands."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        line = raw.count(b"\n", 0, error.start) + 1
        column = len(raw[line_start:error.start].decode("utf-8", errors="replace")) + 1
        raise _fail(path, msg("y_not_utf8", byte=f"{raw[error.start]:02x}"), line, column) from None
    return text.removeprefix("\ufeff")


def _compose(text: str, path: str) -> Node | None:
    """PyYAML's node graph of the text (None for an empty file); a syntax error is reported at its line."""
    try:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            # Parse again with the pure-Python parser, so that error messages read the same on every machine.
            return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as error:
        line, column = _position(text, error.position)
        raise _fail(path, msg("y_invalid", problem=msg("y_control_character", code=f"{error.character:02x}")),
                    line, column) from None
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, path) from None
    except yaml.YAMLError as error:
        raise _fail(path, msg("y_invalid", problem=str(error))) from None
    except RecursionError:
        raise _fail(path, msg("y_invalid", problem=msg("y_too_deep"))) from None


def _syntax_error(error: yaml.MarkedYAMLError, path: str) -> InputError:
    """PyYAML's own description of the problem stays in its words (English); the frame around it is ours."""
    mark = error.problem_mark or error.context_mark
    said = error.problem or error.context
    problem: Message | str = said or msg("y_unknown_problem")
    context = error.context or ""
    if said and "another document" in said:
        problem = msg("y_second_document")
    elif error.context_mark and context.endswith(("flow sequence", "flow mapping", "quoted scalar")):
        # An unclosed [ { or " is noticed only further on; the mistake is where it opens.
        mark = error.context_mark
        opened = context.replace("while parsing ", "").replace("while scanning ", "")
        problem = msg("y_not_closed", opened=msg(_OPENED[opened]) if opened in _OPENED else opened, problem=problem)
    if mark is None:
        return _fail(path, msg("y_invalid", problem=problem))
    return _fail(path, msg("y_invalid", problem=problem), mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(self, path: str):
        self.path = path
        self.marks: dict[tuple, tuple[int, int]] = {}
        self.count = 0
        self.text = 0
        self.constructor = SafeConstructor()

    def fail(self, node, message: Message) -> InputError:
        return InputError([Diagnostic(self.path, node.start_mark.line + 1, node.start_mark.column + 1, message)])

    def build(self, node, where: tuple) -> Any:
        self.count += 1
        self.text += len(node.value) if isinstance(node, ScalarNode) else 0
        if self.count > MAX_NODES or len(where) > 50 or self.text > MAX_TEXT:
            raise self.fail(node, msg("y_too_large_document", values=MAX_NODES, characters=MAX_TEXT))
        self.marks.setdefault(where, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if isinstance(node, SequenceNode):
            self.check_tag(node, _CORE + "seq")
            return [self.build(item, where + (index,)) for index, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            self.check_tag(node, _CORE + "map")
            result: dict = {}
            for key_node, value_node in node.value:
                if key_node.tag == _CORE + "merge":
                    raise self.fail(key_node, msg("y_merge_key"))
                if not isinstance(key_node, ScalarNode):
                    raise self.fail(key_node, msg("y_key_not_plain"))
                key = self.scalar(key_node)
                if key in result:
                    raise self.fail(key_node, msg("y_duplicate_key", key=str(key)))
                self.marks[where + (key, KEY)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                result[key] = self.build(value_node, where + (key,))
            return result
        raise self.fail(node, msg("y_unsupported_node"))  # pragma: no cover - PyYAML has only three kinds

    def check_tag(self, node, expected: str) -> None:
        if node.tag != expected:
            raise self.fail(node, _tag_refused(node.tag))

    def scalar(self, node: ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise self.fail(node, _tag_refused(node.tag))
        if node.tag in _NUMBER_TAGS and not _DECIMAL.fullmatch(node.value):
            # YAML 1.1 reads 050000 as octal (20480) and 50:00 as base 60 (3000): refuse, never guess.
            raise self.fail(node, msg("y_yaml11_number", value=node.value))
        try:
            return self.constructor.yaml_constructors[node.tag](self.constructor, node)
        except ValueError as error:
            reason = _impossible_date(node.value) if node.tag.endswith("timestamp") else None
            raise self.fail(node, msg("y_impossible_date" if node.tag.endswith("timestamp") else "y_invalid_value",
                                      value=node.value, reason=reason or str(error))) from None


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


def _tag_refused(tag: str) -> Message:
    shown = "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag
    return msg("y_tag_refused", tag=shown)


def _position(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1
