"""Temporary folders a load works in, and the clean-up of those a killed process left behind.

Each folder's name carries the process id (``peelstat-police-uk-<pid>-xxxx``). A process that
is killed (SIGKILL, a power cut) cannot remove its own, so every run first removes the
folders of processes that are no longer running: an extracted archive (40–80 MB) is then
left behind at most until the next load.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

NAME = re.compile(r"peelstat-[a-z-]+?-(\d+)-")
_swept: set[str] = set()
_lock = threading.Lock()


def scratch_folder(kind: str) -> tempfile.TemporaryDirectory[str]:
    """A new temporary folder for ``kind`` (e.g. ``police-uk``), after removing dead ones."""
    remove_abandoned()
    return tempfile.TemporaryDirectory(prefix=f"peelstat-{kind}-{os.getpid()}-")


def remove_abandoned(folder: Path | None = None) -> list[Path]:
    """Remove the scratch folders of peelstat processes that are no longer running
    (once per process and temporary folder); returns what was removed."""
    where = folder or Path(tempfile.gettempdir())
    with _lock:
        if str(where) in _swept:
            return []
        _swept.add(str(where))
    removed = []
    for path in where.glob("peelstat-*"):
        found = NAME.match(path.name)
        if found and path.is_dir() and not _running(int(found[1])):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
