"""`peelstat grades ...`: graded judgments, grade histories and areas side by side."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from peelstat.cli.audit_common import emit
from peelstat.cli.common import frontend
from peelstat.errors import ValidationError
from peelstat.inspection import grades as grading
from peelstat.inspection.records_types import Judgment

app = typer.Typer(help="HMICFRS graded judgments on the four- and five-tier scales.")
LOAD_GRADES = (
    "Load the published examples with `peelstat grades import --examples`, or your own with "
    "`peelstat grades import FILE` (YAML or CSV) or `peelstat grades add`."
)


@app.command()
def scales(ctx: typer.Context) -> None:
    """The two grading scales; a four-tier grade is never equal to a five-tier one."""
    note = (
        "Across scales grades are 'not directly comparable', whatever their names: five-tier "
        "'Adequate' was added in 2021/22 and the judgment criteria changed with it."
    )
    emit(grading.scales_table(), "Grading scales", frontend(ctx).as_json, [note])


@app.command()
def history(
    ctx: typer.Context,
    force: Annotated[str, typer.Argument(help="Force, e.g. avon-and-somerset.")],
) -> None:
    """A force's grades across inspections, each compared with its previous grade in that area."""
    from peelstat.reference import resolve_force

    force = resolve_force(force)
    table = grading.grade_history(frontend(ctx).workspace.records.judgments(force=force), force)
    if table.empty and not frontend(ctx).as_json:
        typer.echo(f"No grades stored for {force}. {LOAD_GRADES}")
        return
    emit(table.drop(columns=["force"]), f"Grades, {force}", frontend(ctx).as_json)


@app.command()
def area(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Area, or part of its name: 'investigating'.")],
) -> None:
    """All forces' grades for an area side by side, one column per inspection and scale."""
    table = grading.area_grades(frontend(ctx).workspace.records.judgments(area=name), name)
    if table.empty and not frontend(ctx).as_json:
        typer.echo(f"No stored grades for an area whose name contains {name!r}. {LOAD_GRADES}")
        return
    emit(table, f"Grades: {name}", frontend(ctx).as_json)


@app.command()
def add(
    ctx: typer.Context,
    force: Annotated[str, typer.Option(help="Force, e.g. avon-and-somerset.")],
    inspection: Annotated[str, typer.Option(help="Inspection, e.g. 'PEEL 2021/22'.")],
    year: Annotated[str, typer.Option(help="Inspection year, e.g. 2021/22.")],
    area: Annotated[str, typer.Option(help="Area graded, e.g. 'Investigating crime'.")],
    grade: Annotated[str, typer.Option(help="Grade, or 'ungraded'.")],
    scale: Annotated[
        str | None, typer.Option(help="five-tier or four-tier (default: from the year).")
    ] = None,
    published: Annotated[str | None, typer.Option(help="Publication date, 2022-09-30.")] = None,
    source: Annotated[str, typer.Option(help="Report title or address.")] = "",
) -> None:
    """Add or correct one graded judgment."""
    block = {
        "force": force,
        "inspection": inspection,
        "inspection_year": year,
        "scale": scale,
        "published": published,
        "source": source,
        "grades": {area: grade},
    }
    judgments, _ = grading.parse_grades([block], "grades add")
    frontend(ctx).workspace.records.save_judgments(judgments)
    emit([_row(j) for j in judgments], "Added", frontend(ctx).as_json)


@app.command("import")
def import_grades(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Argument(help="YAML or CSV file of grades.")] = None,
    examples: Annotated[
        bool, typer.Option("--examples", help="Load the published example grades shipped.")
    ] = False,
) -> None:
    """Import grades (and findings) from a file, or the published examples with --examples."""
    if examples and path is None:
        judgments, findings = grading.example_grades()
    elif path is not None and not examples:
        judgments, findings = grading.read_grades(path)
    else:
        raise ValidationError("grades import", ["give a file or --examples (not both)"])
    records = frontend(ctx).workspace.records
    result = {
        "judgments": records.save_judgments(judgments),
        "findings": len(records.save_findings(findings)),
    }
    emit(result, "Imported", frontend(ctx).as_json)


@app.command()
def findings(
    ctx: typer.Context,
    force: Annotated[str | None, typer.Option(help="Force.")] = None,
    inspection: Annotated[str | None, typer.Option(help="Inspection.")] = None,
) -> None:
    """Areas for improvement, causes of concern and recommendations with their status."""
    rows = [asdict(f) for f in frontend(ctx).workspace.records.findings(force, inspection)]
    emit(rows, "Findings", frontend(ctx).as_json)


@app.command("follow-up")
def follow_up(
    ctx: typer.Context,
    finding_id: Annotated[int, typer.Argument(help="Finding id (see `grades findings`).")],
    status: Annotated[str, typer.Argument(help="New status, e.g. addressed, in progress.")],
    on: Annotated[str | None, typer.Option(help="Date of the status, 2023-06-01.")] = None,
) -> None:
    """Record what a later inspection found about a finding."""
    problems: list[str] = []
    when = grading.parse_date(on, problems)
    if problems:
        raise ValidationError("grades follow-up --on", problems)
    frontend(ctx).workspace.records.set_finding_status(finding_id, status, when)
    typer.echo(f"finding {finding_id}: {status}")


def _row(judgment: Judgment) -> dict[str, object]:
    return {**asdict(judgment), "grade": judgment.grade or "ungraded"}
