"""The JSON API under ``/api/v1/``: every table also as CSV (``….csv``), OpenAPI at
``/openapi.json``. Bodies are the results' ``to_dict()``: the same figures, notes and
provenance (``sources``) as the command line's ``--json`` and the reports."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Depends, Header, Query, Response

from peelstat.web import queries
from peelstat.web.answers import Rows, Tabular, table_route
from peelstat.web.deps import WebSettings, results, settings
from peelstat.web.forcemap import DEFAULT_RESOLUTION
from peelstat.web.results import Results

router = APIRouter(prefix="/api/v1", tags=["api"])
Door = Annotated[Results, Depends(results)]
Force = Annotated[str | None, Query(description="Force, any spelling; default avon-and-somerset.",
                                    max_length=80)]  # fmt: skip
Period = Annotated[str | None, Query(description="Last month of the 12-month window: YYYY-MM "
                                     "or 'Q1 2022/23'; default the latest loaded.", max_length=40)]  # fmt: skip
Measure = Annotated[str, Query(description="Measure id (GET /api/v1/measures lists them).",
                               min_length=1, max_length=80)]  # fmt: skip
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
"""Text that reaches a query: no control characters (DuckDB cannot take a NUL in a literal)."""
Months = Annotated[int, Query(ge=3, le=120, description="How many months of history.")]


@table_route(router, "/forces", "The 43 territorial forces")
def forces(door: Door) -> Tabular:
    pairs = queries.choices(door).forces
    return Rows("forces", pd.DataFrame(pairs, columns=["force", "name"]))


@table_route(router, "/measures", "The measure catalogue")
def measures(door: Door) -> Tabular:
    return door.get("catalogue_listing")  # type: ignore[no-any-return]


@table_route(router, "/measure-frame", "The measure frame: values by measure, force and month")
def measure_frame(
    door: Door,
    measure: Annotated[list[str], Query(description="Measure ids (1 to 10).")],
    force: Annotated[list[str] | None, Query(description="Forces (default all).")] = None,
    start: Period = None,
    end: Period = None,
) -> Tabular:
    return queries.measure_frame(door, measure, force, start, end)


@table_route(router, "/report-table", "The performance-report table of one force")
def report_table(
    door: Door, force: Force = None, period: Period = None,
    measure: Annotated[list[str] | None, Query(description="Measure ids (default all).")] = None,
) -> Tabular:  # fmt: skip
    return queries.report_table(door, force, period, measure)


@table_route(router, "/comparison", "One measure across all forces, with the outlier band")
def comparison(door: Door, measure: Measure, period: Period = None, force: Force = None) -> Tabular:
    return queries.comparison(door, measure, period, force)


@table_route(router, "/history", "A force's 12-month value against its MSG and the nation")
def history(
    door: Door, measure: Measure, force: Force = None, period: Period = None, months: Months = 60
) -> Tabular:
    return queries.history(door, force, measure, period, months)


@table_route(router, "/series", "A force's single months: the XmR chart and the outlook")
def series(
    door: Door, measure: Measure, force: Force = None, period: Period = None, months: Months = 36
) -> Tabular:
    return queries.series(door, force, measure, period, months)


@table_route(router, "/status", "What the warehouse holds, per table")
def status(door: Door) -> Tabular:
    return queries.status(door)


@table_route(router, "/files", "The files loaded, with sha256 and load time")
def files(door: Door) -> Tabular:
    return queries.loaded_files(door)


@table_route(router, "/rejected-rows", "Rows a load refused, with file, line and reason")
def rejected_rows(
    door: Door,
    file: Annotated[str | None, Query(max_length=200, pattern=PRINTABLE)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> Tabular:
    return queries.rejected_rows(door, file, limit)


@table_route(router, "/force-map", "police.uk street crimes in H3 hexagon cells")
def force_map(
    door: Door, force: Force = None,
    month: Annotated[str | None, Query(description="Last month (YYYY-MM).", max_length=40)] = None,
    months: Annotated[int, Query(description="1 or 12.")] = 12,
    crime_type: Annotated[str | None, Query(max_length=80, pattern=PRINTABLE)] = None,
    resolution: Annotated[int, Query(ge=5, le=9)] = DEFAULT_RESOLUTION,
) -> Tabular:  # fmt: skip
    return queries.force_map(door, force, month, months, crime_type, resolution)


BOUNDARY_CACHE = "public, max-age=86400"
"""A day in the browser's cache; the measure page asks for ``?v=<etag>``, so a new file is a new
address, and a revalidation with ``If-None-Match`` is a 304 with no body."""


@router.get("/boundaries", summary="ONS force area shapes (GeoJSON) for the map, when set",
            responses={304: {"description": "Not modified (If-None-Match holds the ETag)"}})  # fmt: skip
def boundaries(
    door: Door, config: Annotated[WebSettings, Depends(settings)],
    v: Annotated[str | None, Query(description="The version (ETag) a page asks for.",
                                   max_length=64, pattern=r"^[0-9a-f]*$")] = None,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:  # fmt: skip
    body, etag = queries.boundaries(door, config.boundaries)
    headers = {"ETag": f'"{etag}"', "Cache-Control": BOUNDARY_CACHE}
    if if_none_match and f'"{etag}"' in {
        t.strip().removeprefix("W/") for t in if_none_match.split(",")
    }:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/geo+json", headers=headers)
