"""The server-rendered pages: overview, measure, force map and data status."""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from peelstat.errors import PeelstatError
from peelstat.web import queries
from peelstat.web.deps import WebSettings, results, settings, templates
from peelstat.web.figures import measure_figures
from peelstat.web.forcemap import DEFAULT_RESOLUTION, RESOLUTIONS, hexbin_spec
from peelstat.web.results import Results

router = APIRouter(include_in_schema=False)
Door = Annotated[Results, Depends(results)]
Config = Annotated[WebSettings, Depends(settings)]
Text = Annotated[str | None, Query(max_length=80)]


def warm(door: Results) -> None:
    """The default overview, computed before the first request (a missing warehouse waits)."""
    with contextlib.suppress(PeelstatError):
        queries.report_table(door, None, None, None)


def _page(request: Request, name: str, door: Results, **context: object) -> HTMLResponse:
    pick = queries.choices(door)
    page = templates.get_template(name).render(
        request=request, forces=pick.forces, periods=pick.periods(), **context
    )
    return HTMLResponse(page)


def remembered(route: Callable[..., HTMLResponse]) -> Callable[..., HTMLResponse]:
    """A page is the same for every visitor until the warehouse changes: render it once."""

    @functools.wraps(route)
    def page(*args: Any, **kwargs: Any) -> HTMLResponse:
        request, door = kwargs["request"], kwargs["door"]
        key = ("page", request.url.path, request.url.query)
        return HTMLResponse(door.remember(key, lambda: route(*args, **kwargs).body))

    return page


@router.get("/", response_class=HTMLResponse)
@remembered
def overview(request: Request, door: Door, force: Text = None, period: Text = None) -> HTMLResponse:
    table = queries.report_table(door, force, period, None)
    sections: dict[str, list] = {}
    for row in table.rows:  # by priority, in the order the catalogue first names each
        sections.setdefault(row.priority, []).append(row)
    return _page(request, "overview.html", door, table=table, sections=list(sections.items()),
                 period=period or f"{table.period_end:%Y-%m}")  # fmt: skip


@router.get("/measure", response_class=HTMLResponse)
@remembered
def measure(
    request: Request, door: Door, config: Config, measure: Text = None, force: Text = None,
    period: Text = None,
) -> HTMLResponse:  # fmt: skip
    listing = door.get("catalogue_listing")
    chosen = measure or listing.measures[0].id
    history = queries.history(door, force, chosen, period)
    comparison = queries.comparison(door, chosen, period, history.force)
    try:
        series, series_problem = queries.series(door, history.force, chosen, period), None
    except PeelstatError as problem:
        series, series_problem = None, str(problem)
    shapes = ""
    if config.boundaries is not None:
        shapes = f"/api/v1/boundaries?v={queries.boundaries(door, config.boundaries)[1]}"
    figures = door.compute(
        ("measure figures", chosen, history.force, comparison.period_end, config.boundaries),
        lambda _: measure_figures(history, comparison, series, config.boundaries, shapes),
    )
    chosen_row = next((r for r in comparison.rows if r.chosen), None)
    options = [(i.id, f"{i.title} ({i.priority})") for i in listing.measures]
    return _page(request, "measure.html", door, measure_options=options, history=history,
                 comparison=comparison, series=series, series_problem=series_problem,
                 figures=figures, chosen=chosen_row, period=period or f"{comparison.period_end:%Y-%m}",
                 query=request.url.query)  # fmt: skip


@router.get("/map", response_class=HTMLResponse)
@remembered
def force_map(
    request: Request, door: Door, config: Config, force: Text = None, month: Text = None,
    months: int = 12, crime_type: Text = None, resolution: int = DEFAULT_RESOLUTION,
) -> HTMLResponse:  # fmt: skip
    bins = queries.force_map(door, force, month, months, crime_type, resolution)
    base = _base_map(config.base_map)
    sizes = ["largest", "large", "medium", "small", "smallest"]
    return _page(request, "map.html", door, bins=bins, spec=hexbin_spec(bins, base),
                 months=months, base_map=config.base_map,
                 month_options=[(f"{m:%Y-%m}", f"{m:%B %Y}") for m in queries.choices(door).months],
                 type_options=[("", "All crime types")] + [(t, t) for t in bins.crime_types],
                 size_options=[(str(r), s) for r, s in zip(RESOLUTIONS, sizes, strict=True)],
                 month=month or f"{bins.last_month:%Y-%m}", query=request.url.query)  # fmt: skip


@router.get("/status", response_class=HTMLResponse)
@remembered
def status(request: Request, door: Door) -> HTMLResponse:
    return _page(request, "status.html", door, coverage=queries.status(door),
                 absent=queries.forces_absent(door), files=queries.loaded_files(door).frame,
                 rejected=queries.rejected_rows(door, None, 100).frame)  # fmt: skip


def _base_map(path: Path | None) -> dict | None:
    return json.loads(path.read_text(encoding="utf-8")) if path else None
