"""The compiled-pack cache: a rule pack read, validated and compiled once is kept on disk, so that a new process
reading it again skips YAML, validation and compiling (a 10,000-rule pack: seconds; see README.md, "Cache").

One file per pack folder (its absolute path names the file, so an edited pack replaces its own entry and the cache
does not grow with each edit), in the user's cache folder (`folder`), holding two lines of JSON: the key the entry
was made for with a digest of the second line, and the validated Pack (model.py) with its Compiled form
(compile.py); the message catalogs are kept the same way (`cached_data`). The key is everything the
entry depends on: the bytes of every file of the pack (a hash: an edit keeping the file's size and time is seen),
the pack folder's absolute path, advise's version, the cache format (FORMAT), the Python version, and the size and
time of advise's own modules and schemas (a changed checkout compiles differently under the same version number).

Nothing in the file is trusted: it is JSON, read by `json.loads` and decoded by this module into the model's
classes alone, by name (`_CLASSES`), with their fields checked against the running code's; a file that cannot be
read or decoded, of another key, format or shape, or whose body does not match its digest, is ignored, and the pack is read from its files and the entry
written again. Pickle and the like are never used: reading them can run code, and a cache folder is not a place
advise alone writes to. A cache that cannot be written (a read-only home, a full disk) changes nothing the user
sees: the advice is printed as without it, and no word is said about it (it would be repeated at every run, about
something the user did not ask for). `advise check` never reads it: it reports what it finds in the files.

Turned off by `--no-cache` (`use(False)`) or ADVISE_NO_CACHE=1; ADVISE_CACHE_DIR names another folder.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import sys
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from . import __version__
from .compile import Compiled, Names, Shard
from .load import MAX_BYTES, collector_paused, is_pack_file
from .model import Derivation, Draft, EventType, Fact, Group, Pack, Parameter, Rule, Source, Test, Text, Variant, Where

try:  # hashlib's own blake2b: `import hashlib` loads OpenSSL too, 2.5 ms of every start-up for a hash it does not use
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

DATA_PREFIX = "data-"  # the file names of cached_data's entries
FORMAT = 2  # raised whenever the layout of an entry changes
MAX_ENTRIES = 64  # pack folders kept; past it, the entries least recently used go
_CLASSES: dict[str, type] = {cls.__name__: cls for cls in (Text, Where, Derivation, Fact, Variant, Parameter, Source,
                                                             Test, Group, Rule, EventType, Draft, Pack)}
_HERE = Path(__file__).resolve().parent

_enabled = True  # --no-cache (use)


def use(enabled: bool) -> None:
    """Turn the cache on or off for this process (--no-cache: off); ADVISE_NO_CACHE turns it off whatever this says."""
    global _enabled
    _enabled = enabled


def active() -> bool:
    """Whether packs are looked up in the cache and written to it: not with --no-cache, nor with ADVISE_NO_CACHE set
    to anything but "" or "0"."""
    return _enabled and os.environ.get("ADVISE_NO_CACHE", "") in ("", "0")


def folder() -> Path:
    """Where entries are kept: ADVISE_CACHE_DIR, else the platform's folder for a user's cached files.

    Written here rather than taken from platformdirs, which says the same (its user_cache_dir("advise")): importing
    it takes 6 ms (it imports tempfile), a tenth of the time Python takes to import what advise needs to start."""
    if os.environ.get("ADVISE_CACHE_DIR"):
        return Path(os.environ["ADVISE_CACHE_DIR"])
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "advise" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "advise"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # the XDG Base Directory specification: a relative XDG_CACHE_HOME is invalid and is ignored
    return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "advise"


def cached(directory: str, load: Callable[[str], Pack],
           compile_pack: Callable[[Pack], Compiled]) -> tuple[Pack, Compiled]:
    """The pack in `directory` and its compiled form: from its cache entry when that was made for the same files
    (and advise, and Python), else `compile_pack(load(directory))`, then kept for the next process. What `load` and
    `compile_pack` raise (InputError for a pack with mistakes) goes through, and such a pack is never kept. Never
    raises because of the cache itself: without a cache folder it only reads the pack."""
    key = _key(directory) if active() else None
    if key is None:
        return _compiled(directory, load, compile_pack)
    path = _entry(key["folder"])
    found = _read(path, key, directory)
    if found is not None:
        return found
    pack, compiled = _compiled(directory, load, compile_pack)
    if _key(directory) == key:  # no file changed while it was read: the entry is of the files it was made from
        _write(path, key, pack, compiled)
    return pack, compiled


def _compiled(directory: str, load: Callable[[str], Pack],
              compile_pack: Callable[[Pack], Compiled]) -> tuple[Pack, Compiled]:
    pack = load(directory)
    return pack, compile_pack(pack)


def _key(directory: str) -> dict[str, Any] | None:
    """What an entry for the pack in `directory` must have been made for, or None when it cannot be known (a pack
    file that cannot be read, is not a regular file or is too large: reading the pack reports it)."""
    try:
        names = sorted(name for name in os.listdir(directory) if is_pack_file(name))
    except OSError:
        return None
    files = _digest([os.path.join(directory, name) for name in names])
    if files is None:
        return None
    return {**_version(), "folder": os.path.abspath(directory), "files": files}


def _version() -> dict[str, Any]:
    """What every entry depends on beside its files: the cache format, advise and its code, Python."""
    return {"format": FORMAT, "advise": __version__, "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
            "code": _code()}


def _digest(paths: Iterable[str]) -> str | None:
    """A hash of the files at `paths`, their names and bytes, in that order; None when one cannot be read, is not
    a regular file or is too large (whoever reads it reports that)."""
    digest = blake2b(digest_size=32)
    try:
        for path in paths:
            status = os.stat(path)
            if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_BYTES:  # a FIFO would block the read
                return None
            with open(path, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
            encoded = os.path.basename(path).encode("utf-8", "surrogateescape")
            digest.update(b"%d:%b%d:" % (len(encoded), encoded, len(data)))  # lengths first: no two packs alike
            digest.update(data)
    except OSError:
        return None
    return digest.hexdigest()


def cached_data(name: str, paths: Iterable[Path], build: Callable[[], Any], valid: Callable[[Any], bool]) -> Any:
    """`build()`'s plain JSON data (dicts, lists, text, numbers) made from advise's own files at `paths`, kept
    under `name` (one entry per name) for the next process: the message catalogs, which every run reads in both
    languages (YAML: about 8 ms a language; the entry: a tenth of a millisecond). An entry is used only when made
    for the same files (their names, sizes and times, as for advise's modules in `_code`: hashing their bytes took
    1 ms, stat 0.06 ms), the same advise and Python, and when `valid(data)` says its shape is the one `build`
    makes; otherwise it is rebuilt. Never raises because of the cache itself; what `build` raises goes through."""
    if not active():
        return build()
    files = []
    try:
        for path in paths:
            status = os.stat(path)
            files.append([str(path), status.st_size, status.st_mtime_ns])
    except OSError:
        return build()
    key = {**_version(), "name": name, "files": files}
    path = folder() / f"{DATA_PREFIX}{name}.json"  # by its name: a pack's entry is named by a hash
    try:
        data = _load_entry(path, key)
        if data is not None and valid(data):
            return data
    except Exception:  # anything a damaged or foreign file does means: build it again
        pass
    data = build()
    _put(path, key, lambda: json.dumps(data, separators=(",", ":")))
    return data


def _load_entry(path: Path, key: dict[str, Any]) -> Any:
    """The body of the entry at `path` (JSON data), or None when there is no entry, it was made for another key, or
    its body is not the one written with it. An entry is two lines: {"key": ..., "digest": ...}, then the body; the
    digest (blake2b of the body's bytes) tells an entry damaged inside its JSON (a flipped digit, a hand edit) from a
    good one: a damaged value that still parses would otherwise reach the advice. Raises OSError, ValueError."""
    with open(path, "rb") as handle:
        head = json.loads(handle.readline())
        body = handle.read()
    if not isinstance(head, dict) or head.get("key") != key or head.get("digest") != _hash(body):
        return None
    return json.loads(body)


def _hash(body: bytes) -> str:
    return blake2b(body, digest_size=32).hexdigest()


@lru_cache(maxsize=1)  # once a process: a process runs one version of advise
def _code() -> str:
    """The size and time of advise's own modules and schemas: a checkout edited between two runs compiles packs
    differently under the same version number. A stat of each (some 60 files: a fraction of a millisecond)."""
    digest = blake2b(digest_size=16)
    for place in (_HERE, _HERE / "rules" / "schemas", _HERE.parent / "rules" / "schemas"):
        try:
            with os.scandir(place) as entries:
                for entry in sorted(entries, key=lambda e: e.name):
                    if entry.name.endswith((".py", ".json")):
                        status = entry.stat()
                        digest.update(f"{place}/{entry.name}:{status.st_size}:{status.st_mtime_ns};".encode(
                            "utf-8", "surrogateescape"))
        except OSError:
            continue  # the schemas are in one of the two places only
    return digest.hexdigest()


def _entry(absolute: str) -> Path:
    """The file of the entry for the pack folder at `absolute`: named by a hash of the path, one per folder."""
    return folder() / (blake2b(absolute.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest() + ".json")


def _read(path: Path, key: dict[str, Any], directory: str) -> tuple[Pack, Compiled] | None:
    """The entry at `path`, when it was made for `key` and decodes whole; None otherwise (no entry, another key,
    anything wrong with it: it is then rebuilt). The pack's paths are given as `directory` names the folder."""
    try:
        # no garbage cycles among the many objects an entry makes: the collections their number set off took 60% of
        # the time (10,000 rules: 0.7 s of 1.1 s)
        with collector_paused():
            data = _load_entry(path, key)
            if data is None:
                return None
            found = decode(data, directory)
    except Exception:  # anything a damaged or foreign file does means: read the pack itself
        return None
    try:
        os.utime(path)  # used now: the last to go when the cache is trimmed (_trim)
    except OSError:
        pass
    return found


def _write(path: Path, key: dict[str, Any], pack: Pack, compiled: Compiled) -> None:
    """Keep the pack's entry (_put)."""
    def body() -> str:
        with collector_paused():
            return json.dumps(encode(pack, compiled), separators=(",", ":"))
    _put(path, key, body)


def _put(path: Path, key: dict[str, Any], body: Callable[[], str]) -> None:
    """Put the entry for `key` with the body `body()` at `path` whole (_load_entry's two lines; a temporary file
    beside it, then renamed over it, so that a reader never sees half of one), or not at all: any failure is ignored
    (the cache only saves time). Not synced to the disk: an entry that a crash left short fails its digest and is
    rebuilt."""
    import tempfile  # here: only a write needs it (3 ms at start-up)

    temporary = None
    try:
        data = body().encode("ascii")
        if not path.parent.is_dir() and not _may_create(path.parent):
            return
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=TEMPORARY, suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(json.dumps({"key": key, "digest": _hash(data)}, separators=(",", ":")).encode("ascii"))
            file.write(b"\n" + data)
        os.replace(temporary, path)
        temporary = None
        _trim(path.parent)
    except (OSError, ValueError, TypeError, RecursionError):
        pass
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def _may_create(place: Path) -> bool:
    """Whether the cache folder may be made: always where ADVISE_CACHE_DIR names it, else its last two levels only
    (`.cache/advise`), in a folder that exists and is not the file system's root: an empty or missing HOME must not
    make `/.cache` or a whole missing home."""
    if os.environ.get("ADVISE_CACHE_DIR"):
        return True
    grand = place.parent.parent
    return grand.is_dir() and grand != Path(grand.anchor)


# The names of advise's own files in the cache folder, the only ones _trim removes: the folder may be one the user
# named (ADVISE_CACHE_DIR) and holds other files.
_ENTRY = re.compile(r"[0-9a-f]{32}\.json")
TEMPORARY = ".advise-"
_TEMPORARY = re.compile(r"\.advise-[A-Za-z0-9_]+\.tmp")


def _ours(path: str) -> bool:
    """Whether the file at `path` is one advise wrote (_put): it begins as every entry does, or is an empty temporary
    file (made, not yet written). A file of another program named alike is never removed."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(len(_START))
    except OSError:
        return False
    return start == _START or (start == b"" and path.endswith(".tmp"))


_START = b'{"key":{"format":'  # how _put begins every entry: json.dumps of {"key": _version() | ...}


def _trim(place: Path) -> None:
    """Keep the MAX_ENTRIES pack entries used last; temporary files that an ended process left go too (after an
    hour: another process may be writing one now). Only advise's own files (_ENTRY, _TEMPORARY) are touched."""
    import time

    entries = []
    with os.scandir(place) as found:
        for entry in found:
            if (_ENTRY.fullmatch(entry.name) or _TEMPORARY.fullmatch(entry.name)) and _ours(entry.path):
                entries.append((entry.stat().st_mtime, entry.name))
    entries.sort(reverse=True)
    jsons = [name for _, name in entries if name.endswith(".json")]
    stale = [name for when, name in entries if name.endswith(".tmp") and when < time.time() - 3600]
    for name in jsons[MAX_ENTRIES:] + stale:
        try:
            os.unlink(place / name)
        except OSError:
            pass


def encode(pack: Pack, compiled: Compiled) -> dict[str, Any]:
    """The pack and its compiled form as JSON-ready data (the entry less its key). Raises TypeError for a value of a
    type the cache does not know (a new kind of field in model.py: add it to `_encode`)."""
    return {
        "fields": {name: [f.name for f in fields(cls)] for name, cls in _CLASSES.items()},
        "prefix": _prefix(pack.directory),
        "pack": _encode(pack),
        "compiled": {"shards": [[shard.definition, shard.key, shard.valuation] for shard in compiled.shards],
                     "rules": [[name, rule.order] for name, rule in compiled.rules.items()],
                     "valuations": _encode(compiled.valuations),
                     "names": [compiled.names.facts, compiled.names.markers, compiled.names.codes]},
    }


def decode(data: dict[str, Any], directory: str) -> tuple[Pack, Compiled]:
    """The pack and its compiled form from `encode`'s data, the pack's paths under `directory` as given now (the
    same folder may be named otherwise than when the entry was made: `rules/x`, `./rules/x`). Raises ValueError,
    TypeError, KeyError or IndexError for data of another shape."""
    if data["fields"] != {name: [f.name for f in fields(cls)] for name, cls in _CLASSES.items()}:
        raise ValueError("the entry was made for other classes")
    pack = _Decoder(data["prefix"], _prefix(str(Path(directory)))).value(data["pack"])
    if not isinstance(pack, Pack) or not isinstance(pack.directory, str):
        raise TypeError("the entry holds no pack")
    pack = _renamed(pack, str(Path(directory)))
    part = data["compiled"]
    shards = tuple(Shard(definition, key, valuation) for definition, key, valuation in part["shards"])
    rules = {name: pack.rules[order] for name, order in part["rules"]}
    valuations = _Decoder("", "").value(part["valuations"])
    if not all(isinstance(item, dict) for item in valuations) or not all(
            isinstance(shard.definition, dict) and isinstance(shard.key, str) for shard in shards):
        raise TypeError("the entry holds no compiled pack")
    return pack, Compiled(shards, rules, valuations, Names(*part["names"]))


def _renamed(pack: Pack, directory: str) -> Pack:
    """`pack` with its folder named as now (Pack.directory)."""
    if pack.directory == directory:
        return pack
    from dataclasses import replace

    return replace(pack, directory=directory)


def _prefix(directory: str) -> str:
    """What the path of a file in the pack folder starts with, as load_pack names it (folder / name): "rules/x/",
    "" for ".", "/" for "/"."""
    return str(Path(directory) / "_")[:-1]


def _encode(value: Any) -> Any:
    """A value of the model as JSON data: None, bool, int and str as they are, a tuple as a list, and the rest as
    an object of one key that says what it is: {"date": "2026-11-10"}, {"datetime": ...}, {"dict": [[key, value],
    ...]} (any keys, in their order), {"Rule": [its fields' values in order]}. Types are matched exactly: a value of
    any other type (a subclass too) raises TypeError, and the pack is then not cached."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    names = _FIELDS.get(kind)
    if names is not None:
        return {kind.__name__: _encoded(getattr(value, name) for name in names)}
    if kind is tuple:
        return _encoded(value)
    if kind is dict:
        return {"dict": [[_encode(name), _encode(item)] for name, item in value.items()]}
    if kind is dt.datetime:
        return {"datetime": value.isoformat()}
    if kind is dt.date:
        return {"date": value.isoformat()}
    raise TypeError(f"the pack cache cannot hold a {kind.__name__}")


def _encoded(values: Iterable[Any]) -> list[Any]:
    # plain values as they are, without a call for each: that took half of the time
    return [item if type(item) in _PLAIN else _encode(item) for item in values]


_PLAIN = (str, int, bool, type(None))
_FIELDS = {cls: tuple(f.name for f in fields(cls)) for cls in _CLASSES.values()}


class _Decoder:
    """`_encode`'s data back into the model's values; the path of each Where that starts with `old` (the pack
    folder as named when the entry was made) starts with `new` instead."""

    def __init__(self, old: str, new: str):
        self.old, self.new = old, new

    def value(self, data: Any) -> Any:
        kind = type(data)
        if kind is list:
            return tuple(self.items(data))
        if kind is not dict:
            return data
        (tag, body), = data.items()
        if tag == "dict":
            return dict(zip(self.items(name for name, _ in body), self.items(item for _, item in body)))
        if tag == "date":
            return dt.date.fromisoformat(body)
        if tag == "datetime":
            return dt.datetime.fromisoformat(body)
        if tag == "Where" and self.old != self.new and body[0].startswith(self.old):
            return Where(self.new + body[0][len(self.old):], body[1], body[2])
        return _CLASSES[tag](*self.items(body))

    def items(self, data: Iterable[Any]) -> list[Any]:
        # most items are plain (str, int): not calling `value` for them halves the time of a 10,000-rule pack
        return [item if type(item) in _PLAIN else self.value(item) for item in data]
