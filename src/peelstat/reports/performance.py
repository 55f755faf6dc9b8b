"""The force performance report as data: sections of measure lines, each with its table row,
history chart, comments and notes, plus the "Data and methods" appendix.

Built from two Workspace calls (the report table and the histories of every measure in the
definition); a measure the data cannot supply is a line marked "Not available".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peelstat.analysis.catalogue import MeasureInfo, load_commands
from peelstat.analysis.groups import ComparisonGroup
from peelstat.analysis.history import MeasureHistory
from peelstat.analysis.provenance import DataSources
from peelstat.analysis.report import ReportTable
from peelstat.analysis.report_rows import ReportRow
from peelstat.charts.history import has_values, history_chart
from peelstat.periods import financial_quarter, is_quarter_end, parse_period
from peelstat.reports.comments import benchmark_text, change_text, row_comments
from peelstat.reports.definition import MeasureEntry, SectionDefinition, load_definition
from peelstat.workspace import Workspace

NOT_AVAILABLE = "Not available"


@dataclass(frozen=True)
class MeasureLine:
    """One measure of a section; ``row`` is None when the data cannot supply it."""

    title: str
    info: MeasureInfo | None
    row: ReportRow | None
    history: MeasureHistory | None
    benchmark: str
    change: str
    comments: tuple[str, ...]
    notes: tuple[str, ...]
    chart: dict[str, Any] | None

    @property
    def available(self) -> bool:
        return self.row is not None and math.isfinite(self.row.value)


@dataclass(frozen=True)
class Section:
    title: str
    planned_action: str | None
    comment: str | None
    lines: tuple[MeasureLine, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class PerformanceReport:
    force: str
    force_name: str
    period_end: dt.date
    period_label: str
    title: str
    subtitle: str
    msg: ComparisonGroup
    sections: tuple[Section, ...]
    notes: tuple[str, ...]
    sources: DataSources
    definition_file: str

    @property
    def lines(self) -> list[MeasureLine]:
        return [line for s in self.sections for line in s.lines]


def period_label(period_end: dt.date) -> str:
    """ "Q1 2022/23 (12 months to June 2022)" at a quarter end, else "12 months to May 2022"."""
    months = f"12 months to {period_end:%B %Y}"
    return f"{financial_quarter(period_end)} ({months})" if is_quarter_end(period_end) else months


def _chosen(entry: MeasureEntry, rows: dict[str, ReportRow]) -> str | None:
    """The first of the entry's ids with a value, else the first the catalogue knows."""
    known = [i for i in entry.ids if i in rows]
    with_value = [i for i in known if math.isfinite(rows[i].value)]
    chosen = with_value or known
    return chosen[0] if chosen else None


def _notes(row: ReportRow, history: MeasureHistory | None, name: str) -> tuple[str, ...]:
    notes = [row.note] if row.note else []
    if history is not None:
        notes += [p.note for p in history.points if p.note]
        if history.gaps:
            gaps = ", ".join(f"{g:%b %Y}" for g in history.gaps)
            notes.append(
                f"No value for {name} in the 12 months to {gaps}: left as gaps in the chart."
            )
    return tuple(dict.fromkeys(n for note in notes for n in note.split("; ")))


def _line(
    entry: MeasureEntry, rows: dict[str, ReportRow], histories: dict[str, MeasureHistory],
    infos: dict[str, MeasureInfo], name: str,
) -> MeasureLine:  # fmt: skip
    chosen = _chosen(entry, rows)
    if chosen is None:
        note = (
            "The public data do not include this measure. Load your force's own figures with "
            "peelstat load local (docs/measures.md) and it is benchmarked like the others."
        )
        return MeasureLine(
            entry.title or entry.id, None, None, None, NOT_AVAILABLE, "", (), (note,), None
        )
    row, history, info = rows[chosen], histories.get(chosen), infos[chosen]
    chart = history_chart(history) if history is not None and has_values(history) else None
    # no count now and none in the history: the table has no rows for the force (a missing
    # month within the window leaves the others, and the notes say which is missing)
    no_data = not math.isfinite(row.numerator) and chart is None
    notes = (_no_data(row, info, name),) if no_data else _notes(row, history, name)
    return MeasureLine(
        info.title, info, row, history, benchmark_text(row), change_text(row),
        tuple(row_comments(row, info, name)), notes, chart,
    )  # fmt: skip


def _no_data(row: ReportRow, info: MeasureInfo, name: str) -> str:
    """Why a measure has no figure when its table has no rows for the force then, and what
    to load (a denominator's notes would only distract: there is nothing to divide)."""
    loaders = " or ".join(load_commands(info.source))
    return (
        f"No figure: the {info.source} table of the warehouse has no rows for {name} in the 12 months to "
        f"{row.period_end:%B %Y}" + (f"; load them with {loaders}." if loaders else ".")
    )


def performance_report(
    workspace: Workspace, force: str, period: str | dt.date,
    definition: str | Path | None = None, months: int = 60,
) -> PerformanceReport:  # fmt: skip
    """Everything the performance report shows for ``force`` and the 12 months to ``period``."""
    chosen = load_definition(definition, workspace.catalogue)
    ids = chosen.measure_ids(workspace.catalogue)
    end = parse_period(period)
    table = workspace.report_table(force, end, ids)
    rows = {r.measure: r for r in table.rows}
    histories = dict(zip(ids, workspace.histories(force, ids, end, months), strict=True))
    infos = {i: MeasureInfo.of(workspace.catalogue[i]) for i in ids}
    sections = tuple(_section(s, rows, histories, infos, table) for s in chosen.sections)
    return PerformanceReport(
        table.force, table.force_name, table.period_end, period_label(table.period_end),
        chosen.title, chosen.subtitle, table.msg, sections, table.notes, table.sources,
        chosen.file,
    )  # fmt: skip


def _section(
    section: SectionDefinition, rows: dict[str, ReportRow],
    histories: dict[str, MeasureHistory], infos: dict[str, MeasureInfo], table: ReportTable,
) -> Section:  # fmt: skip
    lines = tuple(_line(e, rows, histories, infos, table.force_name) for e in section.measures)
    tables = {line.info.source for line in lines if line.info is not None}
    sources = tuple(
        text for t, text in zip(table.sources.tables, table.sources.describe(), strict=True)
        if t.table in tables
    )  # fmt: skip
    return Section(section.title, section.planned_action, section.comment, lines, sources)


def performance_html(report: PerformanceReport) -> str:
    """The report as one self-contained HTML page."""
    from peelstat.reports.comments import SMALL_NUMBERS_RULE
    from peelstat.reports.render import render_html
    from peelstat.stats import outliers, trend

    return render_html(
        "performance.html",
        report=report,
        outlier_rule=outliers,
        trend_rule=trend,
        small_numbers=SMALL_NUMBERS_RULE,
        warehouse_notes=report.sources.notes,
    )


def write_performance(
    workspace: Workspace, force: str, period: str, out: Path, pdf: bool = False,
    definition: str | Path | None = None,
) -> list[Path]:  # fmt: skip
    """Write ``performance-<force>-<YYYY-MM>.html`` (and ``.pdf``) under ``out``."""
    return _write(performance_report(workspace, force, period, definition), out, pdf)


def write_performance_reports(
    workspace: Workspace, forces: Sequence[str], period: str, out: Path, pdf: bool = False,
    definition: str | Path | None = None, on_report: Callable[[str], None] | None = None,
) -> list[Path]:  # fmt: skip
    """:func:`write_performance` for many forces (``--force all``): each force's figures,
    its charts sent to be drawn in parallel processes while the next force's figures are
    worked out, then the pages. ``on_report(force)`` is called as each force's figures are
    ready and again as its files are written (a progress bar)."""
    from peelstat.charts.render import drawn_ahead

    reports: list[PerformanceReport] = []

    def charts() -> Iterator[dict[str, Any]]:
        for force in forces:
            report = performance_report(workspace, force, period, definition)
            reports.append(report)
            if on_report:
                on_report(force)
            yield from (line.chart for s in report.sections for line in s.lines if line.chart)

    written: list[Path] = []
    with drawn_ahead(charts()):
        for report in reports:
            written += _write(report, out, pdf)
            if on_report:
                on_report(report.force)
    return written


def _write(report: PerformanceReport, out: Path, pdf: bool) -> list[Path]:
    from peelstat.reports.render import write_html, write_pdf

    html = performance_html(report)
    stem = out / f"performance-{report.force}-{report.period_end:%Y-%m}"
    written = [write_html(html, stem.with_suffix(".html"))]
    if pdf:
        written.append(write_pdf(html, stem.with_suffix(".pdf")))
    return written
