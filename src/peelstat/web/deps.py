"""What every route shares: the server's settings, the templates and the results door."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from peelstat.web.results import Results

TEMPLATES = Path(__file__).parent / "templates"
IMPORT_MAP = '{"imports": {"vega-util": "/static/vega-util.js"}}'
"""Where the vendored vega-interpreter (an ES module) finds ``vega-util``: the page's one
inline script, allowed by its hash in the Content-Security-Policy (app.py)."""
ARROWS = {"Strong reduction": "⬇", "Moderate reduction": "↓", "Stable": "→",
          "Moderate increase": "↑", "Strong increase": "⬆"}  # fmt: skip


@dataclass(frozen=True)
class WebSettings:
    """How ``peelstat serve`` was started (the command line and settings registry fill it)."""

    secret: str | None = None  # signs session cookies; None: a random key per start
    boundaries: Path | None = None  # ONS police force area GeoJSON for the choropleth
    base_map: Path | None = None  # GeoJSON drawn under the hexagon map
    warm: bool = True  # compute the default overview before the first request
    https_only: bool = False  # session cookie only over HTTPS (behind a TLS proxy)


def results(request: Request) -> Results:
    """The app's :class:`Results` (a FastAPI dependency)."""
    found = request.app.state.results
    assert isinstance(found, Results)
    return found


def settings(request: Request) -> WebSettings:
    found = request.app.state.settings
    assert isinstance(found, WebSettings)
    return found


def number(value: Any, unit: str = "", digits: int = 2) -> str:
    """A figure as a reader sees it; a missing one is a dash, never a zero.

    >>> number(5.129), number(0.03456), number(1234.5), number(float("nan")), number(87.4, "percent")
    ('5.13', '0.0346', '1,234', '–', '87.4%')
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if unit == "percent":
        return f"{value:,.1f}%"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1 or value == 0:
        return f"{value:,.{digits}f}"
    return f"{value:.3g}"  # a small rate keeps three significant figures, never 0.00


def percent_change(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return f"{value * 100:+.1f}%"


def points_change(value: Any) -> str:
    """A percent measure's change on the year, in percentage points (not a percent of a percent).

    >>> points_change(1.5), points_change(-0.04), points_change(float("nan"))
    ('+1.5 percentage points', '0.0 percentage points', '–')
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    text = f"{value:+.1f}"
    return f"{'0.0' if text in ('+0.0', '-0.0') else text} percentage points"


def as_json(value: Any) -> str:
    """JSON for a ``<script type="application/json">`` block: ``</`` cannot close the tag."""
    from peelstat.analysis.plain import plain

    return json.dumps(plain(value), separators=(",", ":")).replace("</", "<\\/")


def warehouse_notes(request: Request) -> tuple[str, ...]:
    """What the warehouse declares about itself, for every page's banner (base.html): a
    SYNTHETIC warehouse says so on each page."""
    state = getattr(request.app.state, "results", None)
    notes = state.get("warehouse_notes") if isinstance(state, Results) else ()
    return tuple(n.text for n in notes)


templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.filters.update(number=number, percent_change=percent_change,
                             points_change=points_change, as_json=as_json)  # fmt: skip
templates.env.globals.update(arrows=ARROWS, warehouse_notes=warehouse_notes,
                             import_map=IMPORT_MAP)  # fmt: skip
