"""The questions pages and API ask, each checked (force, measure, period) and then answered
from the memo: one function per question, so a page and its API table give the same figures."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from peelstat.analysis.comparison import MeasureComparison
from peelstat.analysis.coverage import DataCoverage
from peelstat.analysis.history import MeasureHistory
from peelstat.analysis.report import ReportTable
from peelstat.analysis.series import MeasureSeries
from peelstat.charts.choropleth import boundary_shapes, read_boundaries
from peelstat.errors import BadInputError, NotFoundError
from peelstat.periods import add_months
from peelstat.reference import resolve_force
from peelstat.web.answers import Rows
from peelstat.web.forcemap import HexBins, hex_bins
from peelstat.web.params import Choices
from peelstat.web.results import Results

MAX_FRAME_MEASURES = 10
MAX_FRAME_MONTHS = 120


def status(results: Results) -> DataCoverage:
    return results.get("status")  # type: ignore[no-any-return]


def choices(results: Results) -> Choices:
    return results.compute(("choices",), lambda ws: Choices.of(ws.status()))  # type: ignore[no-any-return]


def measure_ids(results: Results, measures: Sequence[str] | None) -> tuple[str, ...] | None:
    """The ids, each checked against the catalogue (an unknown one names the nearest)."""
    catalogue = results.workspace.catalogue
    for m in measures or ():
        catalogue[m]
    return tuple(measures) if measures else None


def report_table(
    results: Results, force: str | None, period: str | None, measures: Sequence[str] | None
) -> ReportTable:
    slug, end = Choices.force(force), choices(results).period(period)
    return results.get("report_table", slug, end, measure_ids(results, measures))  # type: ignore[no-any-return]


def comparison(
    results: Results, measure: str, period: str | None, force: str | None
) -> MeasureComparison:
    measure_ids(results, [measure])
    end = choices(results).period(period)
    return results.get("compare", measure, end, resolve_force(force) if force else None)  # type: ignore[no-any-return]


def history(
    results: Results, force: str | None, measure: str, period: str | None, months: int = 60
) -> MeasureHistory:
    measure_ids(results, [measure])
    slug, end = Choices.force(force), choices(results).period(period)
    return results.get("history", slug, measure, end, months)  # type: ignore[no-any-return]


def series(
    results: Results, force: str | None, measure: str, period: str | None, months: int = 36
) -> MeasureSeries:
    measure_ids(results, [measure])
    slug, end = Choices.force(force), choices(results).period(period)
    return results.get("series", slug, measure, end, months)  # type: ignore[no-any-return]


def measure_frame(
    results: Results, measures: Sequence[str], forces: Sequence[str] | None,
    start: str | None, end: str | None,
) -> Rows:  # fmt: skip
    """The measure frame, bounded so one request cannot ask for the whole warehouse."""
    ids = measure_ids(results, measures) or ()
    if not ids or len(ids) > MAX_FRAME_MEASURES:
        raise BadInputError(f"ask for 1 to {MAX_FRAME_MEASURES} measures (measure=ID, repeated)")
    pick = choices(results)
    last = pick.period(end)
    first = pick.period(start) if start else add_months(last, -11)
    if first > last or add_months(first, MAX_FRAME_MONTHS) < last:
        raise BadInputError(
            f"start must be before end and at most {MAX_FRAME_MONTHS} months before it"
        )
    slugs = tuple(sorted({resolve_force(f) for f in forces})) if forces else None
    frame = results.compute(("measures", ids, first, last, slugs), lambda ws: ws.measures(
        list(ids), start=f"{first:%Y-%m}", end=f"{last:%Y-%m}", forces=slugs))  # fmt: skip
    return Rows("rows", frame, ("Notes per row: definition_note and denominator_note.",))


def force_map(
    results: Results, force: str | None, month: str | None, months: int, crime_type: str | None,
    resolution: int,
) -> HexBins:  # fmt: skip
    if months not in (1, 12):
        raise BadInputError("months must be 1 (one month) or 12 (the 12 months to it)")
    slug, last = Choices.force(force), choices(results).period(month)
    first = add_months(last, -(months - 1)).replace(day=1)
    points = results.compute(("street_points", slug, first, last), lambda ws: ws.street_points(
        slug, first, last.replace(day=1)))  # fmt: skip
    return hex_bins(points, slug, last, months, crime_type or None, resolution)


def loaded_files(results: Results) -> Rows:
    frame = results.compute(("loaded_files",), lambda ws: ws.loaded_files())
    return Rows("files", frame)


def rejected_rows(results: Results, file: str | None, limit: int) -> Rows:
    frame = results.compute(("rejected", file, limit), lambda ws: ws.rejected_rows(file, limit))
    return Rows("rejected_rows", frame)


def forces_absent(results: Results) -> dict[str, list[str]]:
    """Per table, the territorial forces with no rows at all (not even one month)."""
    wanted = [f for f, _ in choices(results).forces]

    def absent(ws: Any) -> dict[str, list[str]]:
        partial = [t.table for t in status(results).tables if 0 < t.forces < len(wanted)]
        return {table: [f for f in wanted if f not in set(ws.forces_in(table))]
                for table in partial}  # fmt: skip

    return results.compute(("forces_absent",), absent)  # type: ignore[no-any-return]


def boundaries(results: Results, path: Path | None) -> tuple[bytes, str]:
    """The ONS force area shapes as the map draws them (geometry rounded, each feature's force
    slug), as JSON bytes with their ETag: the same for every measure, so fetched once."""
    if path is None:
        raise NotFoundError("no force area boundaries are set: set PEELSTAT_BOUNDARIES or "
                            "--boundaries to an ONS police force area GeoJSON file")  # fmt: skip

    def read(_: Any) -> tuple[bytes, str]:
        shapes = {"type": "FeatureCollection", "features": boundary_shapes(read_boundaries(path))}
        body = json.dumps(shapes, separators=(",", ":")).encode()
        return body, hashlib.sha256(body).hexdigest()[:32]

    return results.compute(("boundaries", str(path)), read)  # type: ignore[no-any-return]


def month_of(value: dt.date) -> str:
    return f"{value:%Y-%m}"
