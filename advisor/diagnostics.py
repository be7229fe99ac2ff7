"""What advise says, as data: a catalog key with its values (Message), and one located diagnostic type used by
every input error. Nothing here reads a catalog: messages.py renders these in a language when they are printed,
so this module sits below the one that reads files (load.py), which reports its own mistakes with them.
"""
from __future__ import annotations

import datetime as dt
import errno
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Message:
    """A catalog key with its values (text, numbers, or other Messages); messages.render shows it in a language."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    def __lt__(self, other: Message) -> bool:  # diagnostics at one place are listed in one order in every language
        return (self.key, repr(self.values)) < (other.key, repr(other.values))


@dataclass(frozen=True)
class SchemaText(Message):
    """A JSON Schema's English errorMessage or title, as a message (translated in locale/<lang>/schemas.yaml)."""


@dataclass(frozen=True)
class Quoted(Message):
    """A text value as a message quotes it (show): "fee" in English, 「fee」 in Japanese, which needs no space
    around its brackets (messages.say drops the catalog's spaces beside it)."""


@dataclass(frozen=True)
class Labelled(Message):
    """An enum value with its labels (a model.Text): shown as the label in the language, with the value beside it
    where they differ (messages.labelled)."""


def msg(key: str, /, **values: Any) -> Message:
    return Message(key, tuple(sorted(values.items())))


@dataclass(frozen=True)
class Diagnostic:
    """A mistake at `path:line:column` (1-based), or about a file or folder as a whole (it cannot be read, is not a
    rule pack, may not be written) when `line` and `column` are None: printed then as `path: message`."""

    path: str
    line: int | None
    column: int | None
    message: Message
    code: str = ""  # the check that found it, for rule packs (advisor/check.py); "" for other input

    def __lt__(self, other: Diagnostic) -> bool:  # by file, then place (the file as a whole first), then message
        return self._order() < other._order()

    def _order(self) -> tuple:
        return self.path, self.line or 0, self.column or 0, self.message, self.code


def about_file(path: object, message: Message, code: str = "") -> Diagnostic:
    """A diagnostic about the file or folder at `path` as a whole, at no line."""
    return Diagnostic(str(path), None, None, message, code)


class InputError(Exception):
    """A user's or rule author's mistake: reported as located diagnostics (messages.report), exit code 2."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics))
        # For a traceback only (an InputError that escaped the command line is a bug): the keys, not the words.
        super().__init__("\n".join(f"{place(d)}: {d.message.key}" for d in self.diagnostics))


def place(diagnostic: Diagnostic) -> str:
    """`path:line:col`, or `path` for a diagnostic about the file as a whole; the path as shown_path shows it."""
    if diagnostic.line is None:
        return shown_path(diagnostic.path)
    return f"{shown_path(diagnostic.path)}:{diagnostic.line}:{diagnostic.column}"


def shown_path(path: object) -> str:
    """A file name as text on one line: bytes of the name that are not UTF-8 (a name made under a Latin-1 or
    Shift_JIS system, which Python holds as lone surrogates) as \\xNN, control characters as escaped shows them.
    Such a name could not be written to a UTF-8 terminal at all, and a line break in it would split a line."""
    return escaped("".join(f"\\x{ord(char) - 0xDC00:02x}" if "\udc80" <= char <= "\udcff" else char
                           for char in str(path)))


def did_you_mean(name: object, choices: Iterable[str]) -> Message | str:
    """The catalog's ' (did you mean "x"?)' for a close match (closest), else ''."""
    close = closest(name, choices)
    return msg("did_you_mean", name=close) if close else ""


def closest(name: object, choices: Iterable[str]) -> str | None:
    """The choice `name` is a likely typo of, or None. The name is compared in NFKC, so that a key typed in
    full-width letters or with a full-width space (ｆｅｅ, "fee　") finds its half-width spelling."""
    import difflib  # here: only a mistake needs it, and advice printed without one starts faster
    close = difflib.get_close_matches(unicodedata.normalize("NFKC", str(name)).strip(), sorted(choices), n=1,
                                      cutoff=0.6)
    return close[0] if close else None


# The operating system's reasons a file cannot be read or written, by errno: its own words (strerror) are English.
_OS_REASONS = {errno.ENOENT: "os_no_such_file", errno.EACCES: "os_permission_denied",
               errno.EPERM: "os_permission_denied", errno.EISDIR: "os_is_a_folder",
               errno.ENOTDIR: "os_not_a_folder_on_path", errno.ENOSPC: "os_no_space", errno.EROFS: "os_read_only",
               errno.ELOOP: "os_link_loop", errno.ENAMETOOLONG: "os_name_too_long"}


def os_reason(error: OSError | int) -> Message:
    """Why the system refused to open, read or write a file (an OSError, or its errno), in the catalogs' words; an
    errno without words of its own is named by its symbol (EXDEV), an OSError without errno by its class."""
    code = error if isinstance(error, int) else error.errno
    if code in _OS_REASONS:
        return msg(_OS_REASONS[code])
    return msg("os_error", code=errno.errorcode.get(code, str(code)) if code is not None else type(error).__name__)


def show(value: object) -> Message | str:
    """A value as a message quotes it: "text" (「text」 in Japanese: a Quoted message), 12, true, 2026-11-25, a
    mapping."""
    if isinstance(value, bool):
        return "true" if value else "false"  # as written in YAML, in every language
    if value is None:
        return msg("value_nothing")
    if isinstance(value, str):
        return Quoted("value_quoted", (("text", escaped(clipped(value))),))  # "text" / 「text」
    if isinstance(value, (dict, list)):
        return msg("value_mapping" if isinstance(value, dict) else "value_list")
    if isinstance(value, dt.datetime):  # a datetime fact's value: to the minute, as it is typed
        return value.strftime("%Y-%m-%d %H:%M")
    return clipped(str(value))  # a number of 4,000 digits too


SHOWN = 80  # characters of a value a message quotes; a longer one is cut, with an ellipsis


def clipped(text: str) -> str:
    """`text` as a message quotes it: whole up to SHOWN characters, else its first SHOWN - 1 and an ellipsis (…),
    so that a 10,000-character value makes a diagnostic line of a readable length (cut before it is escaped,
    so that an escape is never cut in half)."""
    return text if len(text) <= SHOWN else text[:SHOWN - 1] + "\u2026"


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

# The characters no file may hold, as they are or as escapes (load.py refuses them at their line and column), as
# (first, last code point, the catalog key saying why). Formatting characters act on the line they are shown
# on: the bidirectional ones (U+202E, right-to-left override, and its kin) reorder what a terminal, an editor or
# a calendar shows after them, so that advice, a draft or a diagnostic could read other than it is, and U+2028
# and U+2029 end a line for YAML, Python's splitlines and many terminals. Invisible characters (Unicode's
# Default_Ignorable_Code_Point, and the Hangul fillers, which show as a blank) show nothing, so that a key or
# value holding one is not what it looks like: "fee" with a zero width space in it is an unknown key that reads
# as fee, and a word in the advice compares unequal to the one it shows. The joiners and variation selectors
# ("y_invisible_in_name") are invisible too, but text needs them: an emoji sequence (👨‍👩‍👧, ❤️) or a Persian
# word is written with them; they are refused only in keys and in values that are names, numbers, dates or
# words of a list (NAME_ONLY), never in a title, a note or a pack's texts.
REFUSED_CHARACTERS = (
    (0x061C, 0x061C, "y_formatting_character"),  # ARABIC LETTER MARK
    (0x200E, 0x200F, "y_formatting_character"),  # LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK
    (0x202A, 0x202E, "y_formatting_character"),  # embeddings and overrides
    (0x2066, 0x2069, "y_formatting_character"),  # isolates
    (0x2028, 0x2029, "y_formatting_character"),  # LINE SEPARATOR, PARAGRAPH SEPARATOR
    (0x00AD, 0x00AD, "y_invisible_character"),  # SOFT HYPHEN: shown only where a line is broken at it
    (0x034F, 0x034F, "y_invisible_character"),  # COMBINING GRAPHEME JOINER
    (0x115F, 0x1160, "y_invisible_character"),  # HANGUL CHOSEONG and JUNGSEONG FILLER: letters shown blank
    (0x17B4, 0x17B5, "y_invisible_character"),  # KHMER VOWEL INHERENT AQ, AA: deprecated, show nothing
    (0x180E, 0x180E, "y_invisible_character"),  # MONGOLIAN VOWEL SEPARATOR
    (0x200B, 0x200B, "y_invisible_character"),  # ZERO WIDTH SPACE
    (0x2060, 0x2064, "y_invisible_character"),  # WORD JOINER, invisible mathematical operators
    (0x206A, 0x206F, "y_invisible_character"),  # deprecated formatting (symmetric swapping, digit shapes)
    (0x3164, 0x3164, "y_invisible_character"),  # HANGUL FILLER: a letter shown blank
    (0xFEFF, 0xFEFF, "y_invisible_character"),  # ZERO WIDTH NO-BREAK SPACE: a byte order mark, but past the start
    (0xFFA0, 0xFFA0, "y_invisible_character"),  # HALFWIDTH HANGUL FILLER
    (0xFFF0, 0xFFF8, "y_invisible_character"),  # unassigned, reserved as ignorable: shown as nothing when assigned
    (0xFFF9, 0xFFFB, "y_invisible_character"),  # interlinear annotation anchors
    (0x1BCA0, 0x1BCA3, "y_invisible_character"),  # shorthand format controls
    (0x1D173, 0x1D17A, "y_invisible_character"),  # musical symbol formatting (begin beam, end phrase ...)
    (0xE0000, 0xE007F, "y_invisible_character"),  # tags: invisible letters that can spell hidden text
    (0x200C, 0x200D, "y_invisible_in_name"),  # ZERO WIDTH NON-JOINER, ZERO WIDTH JOINER
    (0xFE00, 0xFE0F, "y_invisible_in_name"),  # VARIATION SELECTOR-1 to -16 (❤️ is U+2764 U+FE0F)
    (0xE0100, 0xE01EF, "y_invisible_in_name"),  # VARIATION SELECTOR-17 to -256 (ideographic variants)
)
REFUSED = {chr(code): key for first, last, key in REFUSED_CHARACTERS for code in range(first, last + 1)
           if key != "y_invisible_in_name"}
NAME_ONLY = {chr(code) for first, last, key in REFUSED_CHARACTERS for code in range(first, last + 1)
             if key == "y_invisible_in_name"}


def escaped(text: str) -> str:
    """`text` on one line: a line break or other control character (U+2028 and U+2029 included) as \\n, \\r, \\t
    or \\uXXXX, so that a message stays one line (a block scalar's value, a control character in a file), and a
    REFUSED character as \\uXXXX (\\U000E0041 beyond U+FFFF), so that it cannot reorder the line or hide."""
    return "".join(_ESCAPES.get(char) or (_code_escape(char) if char in REFUSED or
                                           unicodedata.category(char) in ("Cc", "Zl", "Zp") else char)
                    for char in text)


def _code_escape(char: str) -> str:
    return f"\\u{ord(char):04X}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08X}"


def kind_of(value: object) -> Message | str:
    """What a value is, for "must be a mapping, not ...": a list, nothing, the value 3."""
    if isinstance(value, (dict, list)) or value is None:
        return show(value)
    return msg("value_the", value=show(value))
