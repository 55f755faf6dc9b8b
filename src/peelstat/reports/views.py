"""The single-chart reports: all forces compared on one measure, and one force's XmR trend.

Each writes an HTML page (chart, text alternative, the table behind it, sources) and the
chart alone as SVG and PNG and the table as CSV, for slides and spreadsheets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from peelstat.analysis.comparison import MeasureComparison
from peelstat.analysis.series import MeasureSeries
from peelstat.charts import render
from peelstat.charts.choropleth import choropleth_chart
from peelstat.charts.comparison import comparison_chart
from peelstat.charts.xmr import xmr_chart
from peelstat.reports.render import render_html, write_html


@dataclass(frozen=True)
class WrittenFiles:
    """What a report command wrote, to print and to test."""

    files: tuple[Path, ...]

    @property
    def html(self) -> Path:
        return next(f for f in self.files if f.suffix == ".html")


def write_chart_files(spec: dict[str, Any], table: pd.DataFrame, stem: Path) -> list[Path]:
    """``stem``.svg, ``stem``.png and ``stem``.csv beside the HTML."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    svg, png, csv = (stem.with_suffix(s) for s in (".svg", ".png", ".csv"))
    svg.write_text(render.svg(spec), encoding="utf-8")
    png.write_bytes(render.png(spec))
    table.to_csv(csv, index=False, lineterminator="\n")
    return [svg, png, csv]


def comparison_page(
    comparison: MeasureComparison, boundaries: str | Path | None
) -> tuple[str, dict[str, Any]]:
    """The HTML page of the comparison and the bar chart spec."""
    bars = comparison_chart(comparison)
    area_map = choropleth_chart(comparison, boundaries) if boundaries else None
    html = render_html("compare.html", comparison=comparison, bars=bars, area_map=area_map,
                       warehouse_notes=comparison.sources.notes)  # fmt: skip
    return html, bars


def write_comparison(
    comparison: MeasureComparison, out: Path, boundaries: str | Path | None = None
) -> WrittenFiles:
    stem = out / f"compare-{comparison.measure.id}-{comparison.period_end:%Y-%m}"
    html, bars = comparison_page(comparison, boundaries)
    files = [write_html(html, stem.with_suffix(".html"))]
    files += write_chart_files(bars, comparison.to_frame(), stem)
    return WrittenFiles(tuple(files))


def write_trend(series: MeasureSeries, out: Path) -> WrittenFiles:
    stem = out / f"trend-{series.force}-{series.measure.id}-{series.points[-1].period_end:%Y-%m}"
    spec = xmr_chart(series)
    html = render_html("trend.html", series=series, chart=spec,
                       warehouse_notes=series.sources.notes)  # fmt: skip
    files = [write_html(html, stem.with_suffix(".html"))]
    files += write_chart_files(spec, series.to_frame(), stem)
    return WrittenFiles(tuple(files))
