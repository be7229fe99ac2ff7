"""Writing a file the user named: whole or not at all, and never over an existing file unless asked.

Shared by `advise ask -o` (a scenario) and `advise SCENARIO --calendar` (an iCalendar file). Reading has its
own module (load.py); this is the only place advise writes a user's file.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_new(path: str | Path, data: str | bytes, replace: bool = False) -> None:
    """Write the file whole or not at all: a temporary file in the same folder, then moved into place.

    Without `replace`, it is hard-linked into place, which fails (FileExistsError) if `path` exists by then,
    even when created meanwhile; the temporary file is removed whatever happens. Text (str) is written as UTF-8, bytes as they are.
    """
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".advise-", suffix=".tmp")
    try:
        text = isinstance(data, str)
        with os.fdopen(handle, "w" if text else "wb", **({"encoding": "utf-8"} if text else {})) as file:
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
