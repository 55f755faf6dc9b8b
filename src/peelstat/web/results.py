"""Workspace results for many concurrent requests: a pool of read-only workspaces and a memo.

DuckDB serves many read-only connections to one file at once, but one connection must not be
used by two threads. Each request borrows a workspace of its own from the pool; a result
already computed for the same call is served from memory until the warehouse file changes
(a load by another process), so the overview and measure pages cost one computation each.
"""

from __future__ import annotations

import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from peelstat.workspace import Workspace

POOL_SIZE = 4
"""Connections open at once: DuckDB uses every core for one query, so more would only queue."""
MEMO_SIZE = 512
"""Results kept (each a few kilobytes to a megabyte): every force's overview, many measures."""


class Results:
    """Workspace calls from many threads, each result computed once per warehouse state."""

    def __init__(self, workspace: Workspace, size: int = POOL_SIZE) -> None:
        self.workspace = workspace
        self._pool: queue.Queue[Workspace] = queue.Queue()
        for i in range(size):
            self._pool.put(workspace if i == 0 else workspace.sibling())
        self._memo: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[tuple, threading.Lock] = {}
        self._stamp = self._warehouse_stamp()

    @contextmanager
    def borrow(self) -> Iterator[Workspace]:
        """A workspace no other thread uses until it is given back."""
        ws = self._pool.get()
        try:
            yield ws
        finally:
            self._pool.put(ws)

    def get(self, method: str, *args: Any) -> Any:
        """``Workspace.<method>(*args)``, from the memo when the warehouse has not changed."""
        return self.compute((method, *args), lambda ws: getattr(ws, method)(*args))

    def compute(self, key: tuple, work: Callable[[Workspace], Any]) -> Any:
        """``work(workspace)`` once per key: concurrent requests for it wait for the first."""

        def borrowing() -> Any:
            with self.borrow() as ws:
                return work(ws)

        return self.remember(key, borrowing)

    def remember(self, key: tuple, make: Callable[[], Any]) -> Any:
        """``make()`` once per key and warehouse state (a rendered page, a JSON body); it
        borrows no connection itself, so it may call :meth:`get` without a deadlock."""
        self._forget_if_changed()
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            with self._lock:
                if key in self._memo:
                    return self._memo[key]
            value = make()
            with self._lock:
                self._memo[key] = value
                self._computing.pop(key, None)
                while len(self._memo) > MEMO_SIZE:
                    self._memo.popitem(last=False)
        return value

    def close(self) -> None:
        """Close every connection (each workspace opens its own again if used later)."""
        borrowed = [self._pool.get() for _ in range(self._pool.qsize())]
        for ws in borrowed:
            ws.close()
            self._pool.put(ws)

    def _warehouse_stamp(self) -> tuple[float, int] | None:
        path = Path(self.workspace.location).expanduser()
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return (stat.st_mtime, stat.st_size)

    def _forget_if_changed(self) -> None:
        stamp = self._warehouse_stamp()
        if stamp != self._stamp:
            with self._lock:
                self._memo.clear()
                self._stamp = stamp
