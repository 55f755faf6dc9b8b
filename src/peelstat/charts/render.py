"""Static images of chart specs through vl-convert (no browser, no network).

The reports embed SVG: WeasyPrint runs no JavaScript, and an SVG stays sharp when printed.
vl-convert bundles Vega-Lite; the version is pinned so the same spec gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

VEGA_LITE_VERSION = "5.21"
_drawn: dict[str, str] = {}  # SVGs drawn ahead by `drawn_ahead`, by spec digest


def _digest(spec: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()


def _draw(spec: dict[str, Any]) -> str:
    import vl_convert

    return str(vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION))


def svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG document."""
    if _drawn:
        ahead = _drawn.get(_digest(spec))
        if ahead is not None:
            return ahead
    return _draw(spec)


@contextmanager
def drawn_ahead(specs: Iterable[dict[str, Any]], workers: int | None = None) -> Iterator[None]:
    """Draw ``specs`` in parallel processes first, so :func:`svg` finds them drawn.

    vl-convert draws one chart at a time per process (threads do not help), and
    ``report performance --force all`` draws about 650; one process per core draws them in
    about 1/cores of the time. ``specs`` may be a generator: each chart is sent to be drawn
    as it comes, so drawing runs while the caller is still working out the next figures.
    Workers are spawned, not forked: the parent holds DuckDB's threads, and a fork copies
    their locks.
    """
    workers = workers or os.cpu_count() or 1
    if workers == 1 or (isinstance(specs, Sequence) and len(specs) <= workers):
        for _ in specs:  # a generator does its own work even when nothing is drawn ahead
            pass
        yield  # one core, or a few charts: drawn as the page asks, without starting processes
        return
    pending: dict[str, Future[str]] = {}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        try:
            for spec in specs:
                key = _digest(spec)
                if key not in pending:
                    pending[key] = pool.submit(_draw, spec)
        except BaseException:  # the caller's figures failed: drawing the rest is wasted
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        _drawn.update((key, future.result()) for key, future in pending.items())
    try:
        yield
    finally:
        for key in pending:
            _drawn.pop(key, None)


def png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    """The chart as a PNG (``scale`` 2 for print and high-density screens)."""
    import vl_convert

    return bytes(vl_convert.vegalite_to_png(spec, vl_version=VEGA_LITE_VERSION, scale=scale))


def svg_data_uri(spec: dict[str, Any]) -> str:
    """The SVG as a ``data:`` URI for an ``<img>``: each chart keeps its own ids (clip paths),
    which inline SVGs in one page would share and break."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg(spec).encode()).decode()
