"""Writing a file the user named: whole or not at all, and never over an existing file unless asked.

Shared by `advise ask -o` (a scenario) and `advise SCENARIO --calendar` (an iCalendar file): both check first
with `check_writable`, before any work, then write with `write_file`; either raises NotWritten, which the
command line reports and maps to exit code 2. Reading has its own module (load.py); this is the only place
advise writes a user's file.
"""
from __future__ import annotations

import errno
import os
import signal
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .diagnostics import Message, msg, os_reason

# The files this process has put in place, in order: a Ctrl-C after one was written must not say that nothing was
WRITTEN: list[str] = []


class NotWritten(Exception):
    """A file the user named was not written: `reason` is None when it exists (and replacing it was not asked),
    else the operating system's reason (diagnostics.os_reason)."""

    def __init__(self, path: str | Path, reason: Message | None = None):
        self.path, self.reason = str(path), reason
        super().__init__(f"{self.path}: {reason.key if reason else 'exists'}")


def check_writable(path: str | Path, replace: bool = False, folder: bool = False) -> None:
    """What `write_file` would refuse, found before any work: `path` exists and `replace` is not asked; with
    `folder`, also a folder that does not exist or cannot be written to; `path` a folder, even with `replace`.
    Raises NotWritten."""
    if os.path.isdir(path):  # not even with `replace`: a file is never put in a folder's place
        raise NotWritten(path, os_reason(errno.EISDIR))
    if os.path.lexists(path) and not replace:
        raise NotWritten(path)
    not_regular(path)
    where = os.path.dirname(os.path.abspath(path))
    if folder:
        try:  # the system's own reason: ENOENT, or ENOTDIR when a part of the path is a file
            if not os.path.isdir(os.path.realpath(where)):
                os.listdir(where)
                raise NotADirectoryError(errno.ENOTDIR, where)
        except OSError as error:
            raise NotWritten(path, os_reason(error)) from None
        if not os.access(where, os.W_OK):
            raise NotWritten(path, os_reason(errno.EACCES))


# What --force does not replace, by the kind of file found: replacing a link would change what the user pointed
# at, and a device or pipe (/dev/null, a FIFO another program reads) is a channel, not a file's content.
_KINDS = ((stat.S_ISLNK, "write_not_regular_link"), (stat.S_ISCHR, "write_not_regular_device"),
          (stat.S_ISBLK, "write_not_regular_device"), (stat.S_ISFIFO, "write_not_regular_fifo"),
          (stat.S_ISSOCK, "write_not_regular_socket"), (stat.S_ISDIR, "os_is_a_folder"))


def not_regular(path: str | Path) -> None:
    """Raises NotWritten, with what `path` is (a symbolic link, a device, a FIFO, a socket, a folder), when it
    exists and is not a regular file: only a regular file is ever replaced, even with --force."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return  # nothing there (or unreachable): the write itself says why, if it fails
    for kind, key in _KINDS:
        if kind(mode):
            raise NotWritten(path, msg(key))


def write_file(path: str | Path, data: str | bytes, replace: bool = False) -> None:
    """`write_new`, with its failures as NotWritten: the file exists by then (even when created meanwhile), is
    not a regular file (not_regular), or the system refused."""
    try:
        write_new(path, data, replace)
    except FileExistsError:
        raise NotWritten(path) from None
    except OSError as error:
        raise NotWritten(path, os_reason(error)) from None


def write_new(path: str | Path, data: str | bytes, replace: bool = False) -> None:
    """Write the file whole or not at all: a temporary file in the same folder, then moved into place.

    Without `replace`, it is hard-linked into place, which fails (FileExistsError) if `path` exists by then,
    even when created meanwhile; with it, a `path` that is not a regular file raises NotWritten (not_regular). The
    temporary file is removed whatever happens, SIGINT, SIGTERM and SIGHUP included (the signal then ends the
    process as it would have). Text (str) is written as UTF-8, bytes as they are.
    """
    import tempfile  # here: it imports shutil, bz2 and lzma, 3 ms of every start-up, and only a write needs it

    folder = os.path.dirname(os.path.abspath(path))
    temporary = None
    with _terminable():
        try:
            with _held():  # a signal between creating the file and knowing its name would leave it behind
                handle, temporary = tempfile.mkstemp(dir=folder, prefix=".advise-", suffix=".tmp")
            text = isinstance(data, str)
            with os.fdopen(handle, "w" if text else "wb", encoding="utf-8" if text else None) as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's private 0600
            if replace:
                not_regular(path)  # again: it may have become a link or a FIFO while advise worked
                os.replace(temporary, path)
            else:
                os.link(temporary, path)
            WRITTEN.append(str(path))
        finally:
            if temporary is not None and os.path.lexists(temporary):
                os.unlink(temporary)


class _Terminated(BaseException):
    """SIGTERM or SIGHUP during a write: raised to remove the temporary file, then the signal is delivered again."""


_ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def _terminable() -> Iterator[None]:
    """SIGTERM and SIGHUP, which end a process without Python's clean-up, raise _Terminated for the duration, so
    the `finally` of the write removes the temporary file; the process then ends by the same signal, as it would
    have (exit status 128 + signal for a shell). SIGINT needs nothing: it raises KeyboardInterrupt already. Only the
    main thread may set handlers: elsewhere the write goes without."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(number, frame):
        raise _Terminated(number)

    saved = {number: signal.signal(number, stop) for number in _ENDING}
    try:
        yield
    except _Terminated as ended:
        for number, handler in saved.items():
            signal.signal(number, handler)
        os.kill(os.getpid(), ended.args[0])
        raise SystemExit(128 + ended.args[0]) from None  # where the handler saved was not the default one
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


@contextmanager
def _held() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP held back (delivered when the block ends), where the system can do so."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, *_ENDING}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
