"""The PEEL-style inspection profile of a force: graded judgments and their history (one panel
per grading scale), areas for improvement and causes of concern, audit estimates with their
intervals, the crime data integrity estimate of unrecorded crime, and the stop and search
disparity measures with their intervals.

Everything comes from the records store and the measure engine through the Workspace; what
is not recorded is said, never left blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from peelstat.analysis.cdi import CdiEstimate
from peelstat.analysis.disparity import StopSearchDisparity
from peelstat.charts.grades import grades_chart
from peelstat.errors import PeelstatError
from peelstat.inspection.grades import grade_history
from peelstat.inspection.records_types import Finding
from peelstat.inspection.results import audit_results
from peelstat.reference import force_name, resolve_force
from peelstat.reports.render import render_html, write_html, write_pdf
from peelstat.workspace import Workspace


@dataclass(frozen=True)
class AuditSummary:
    audit: str
    samples: tuple[int, ...]
    estimates: pd.DataFrame  # one row per question: count, of, estimate, lower, upper, result


@dataclass(frozen=True)
class InspectionProfile:
    force: str
    force_name: str
    grades: pd.DataFrame  # grade_history: inspection, area, grade, scale, change
    grades_chart: dict[str, Any] | None
    findings: tuple[Finding, ...]
    audits: tuple[AuditSummary, ...]
    cdi: tuple[CdiEstimate, ...]
    disparity: StopSearchDisparity | None
    notes: tuple[str, ...]
    warehouse_notes: tuple[str, ...] = ()


def _audits(workspace: Workspace, force: str) -> tuple[AuditSummary, ...]:
    listing = workspace.records.samples()
    mine = listing[listing["force"] == force]
    summaries = []
    for audit, samples in mine.groupby("audit", sort=True):
        ids = [int(i) for i in samples["sample"]]
        summaries.append(
            AuditSummary(str(audit), tuple(ids), audit_results(workspace.records, ids))
        )
    return tuple(summaries)


def latest_disparity(
    workspace: Workspace, force: str
) -> tuple[StopSearchDisparity | None, str | None]:
    """The disparity for the 12 months to the latest stop and search month, or why there is none."""
    tables = [t for t in workspace.status().tables if t.table == "police_uk_stop_search"]
    latest = tables[0].last_period if tables else None
    if latest is None:
        return None, "No stop and search data loaded: the disparity measures are not shown."
    try:
        return workspace.stop_search_disparity(force, latest), None
    except PeelstatError as error:
        return None, f"Stop and search disparity not available: {error}"


def inspection_profile(workspace: Workspace, force: str) -> InspectionProfile:
    """Everything the inspection profile shows for ``force``."""
    force = resolve_force(force)
    judgments = workspace.records.judgments(force=force)
    notes = []
    if not judgments:
        notes.append(
            "No graded judgments recorded for this force: add them with `peelstat grades import`."
        )
    disparity, problem = latest_disparity(workspace, force)
    if problem:
        notes.append(problem)
    audits = _audits(workspace, force)
    if not audits:
        notes.append(
            "No case-file audits recorded: draw one with the command peelstat audit sample."
        )
    cdi = workspace.cdi_estimates(force)
    if not cdi:
        notes.append(
            "No crime data integrity audit recorded: keep one with `peelstat cdi … --save`."
        )
    return InspectionProfile(
        force, force_name(force), grade_history(judgments, force),
        grades_chart(judgments) if judgments else None,
        tuple(workspace.records.findings(force=force)), audits, cdi, disparity, tuple(notes),
        tuple(n.text for n in workspace.warehouse_notes()),
    )  # fmt: skip


def write_inspection(workspace: Workspace, force: str, out: Path, pdf: bool = False) -> list[Path]:
    """Write ``inspection-<force>.html`` (and ``.pdf``) under ``out``."""
    profile = inspection_profile(workspace, force)
    html = render_html("inspection.html", profile=profile, warehouse_notes=profile.warehouse_notes)
    stem = out / f"inspection-{profile.force}"
    written = [write_html(html, stem.with_suffix(".html"))]
    if pdf:
        written.append(write_pdf(html, stem.with_suffix(".pdf")))
    return written
