"""Writing a file the user named: whole or not at all, and never over an existing file unless asked.

Shared by `advise ask -o` (a scenario) and `advise SCENARIO --calendar` (an iCalendar file): both check first
with `check_writable`, before any work, then write with `write_file`; either raises NotWritten, which the
command line reports and maps to exit code 2. Reading has its own module (load.py); this is the only place
advise writes a user's file.
"""
from __future__ import annotations

import errno
import os
from pathlib import Path

from .diagnostics import Message, os_reason


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


def write_file(path: str | Path, data: str | bytes, replace: bool = False) -> None:
    """`write_new`, with its failures as NotWritten: the file exists by then (even when created meanwhile), or
    the system refused."""
    try:
        write_new(path, data, replace)
    except FileExistsError:
        raise NotWritten(path) from None
    except OSError as error:
        raise NotWritten(path, os_reason(error)) from None


def write_new(path: str | Path, data: str | bytes, replace: bool = False) -> None:
    """Write the file whole or not at all: a temporary file in the same folder, then moved into place.

    Without `replace`, it is hard-linked into place, which fails (FileExistsError) if `path` exists by then,
    even when created meanwhile; the temporary file is removed whatever happens. Text (str) is written as UTF-8, bytes as they are.
    """
    import tempfile  # here: it imports shutil, bz2 and lzma, 3 ms of every start-up, and only a write needs it

    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".advise-", suffix=".tmp")
    try:
        text = isinstance(data, str)
        with os.fdopen(handle, "w" if text else "wb", encoding="utf-8" if text else None) as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's private 0600
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)
