"""`peelstat audit sample`, `sheet`, `samples` and `import`: case-file samples and review sheets.

A sample is stored with its seed and pool checksum before its sheet is written, so every
sheet handed to reviewers can be traced to, and drawn again from, a stored sample.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peelstat.cli.audit_accounts import AccountOption, signed_in
from peelstat.cli.audit_common import emit
from peelstat.cli.common import frontend

if TYPE_CHECKING:
    from peelstat.inspection.sampling import DrawnSample, SampleRequest


def sample(
    ctx: typer.Context,
    audit: Annotated[str, typer.Option(help="Audit name the sample belongs to, e.g. 'VSA 2022'.")],
    force: Annotated[str, typer.Option(help="Force, e.g. avon-and-somerset.")],
    start: Annotated[str, typer.Option("--from", help="First month, e.g. 2022-01.")],
    end: Annotated[str, typer.Option("--to", help="Last month, e.g. 2022-03.")],
    outcome_type: Annotated[
        list[str] | None, typer.Option(help="Home Office outcome type (repeat: 15, 16, 21).")
    ] = None,
    crime_type: Annotated[list[str] | None, typer.Option(help="police.uk crime type.")] = None,
    per_stratum: Annotated[
        int | None, typer.Option(help="Crimes per outcome type (or crime type).")
    ] = None,
    size: Annotated[int | None, typer.Option(help="Simple random sample size.")] = None,
    seed: Annotated[
        int | None, typer.Option(help="Random seed (one is chosen and recorded).")
    ] = None,
    question_set: Annotated[
        str, typer.Option(help="Question set id or YAML file for the review sheet.")
    ] = "victim-service",
    out: Annotated[
        Path | None, typer.Option(help="Write the review sheet (.csv or .xlsx).")
    ] = None,
) -> None:
    """Draw a seeded, recorded random sample of crimes and write its review sheet."""
    from peelstat.inspection.questions import question_set as load_question_set
    from peelstat.inspection.sampling import SampleRequest, draw_sample
    from peelstat.reference import resolve_force

    force = resolve_force(force)
    questions = load_question_set(question_set)
    chosen_seed = seed if seed is not None else secrets.randbelow(2**31)
    request = SampleRequest(
        force,
        start,
        end,
        chosen_seed,
        tuple(outcome_type or ()),
        tuple(crime_type or ()),
        per_stratum,
        size,
    )
    pool = frontend(ctx).workspace.sample_pool(force, start, end)
    drawn = draw_sample(pool, request)
    records = frontend(ctx).workspace.records
    sample_id = _save_sample(records, audit, request, questions.as_dict(), drawn)
    sheet = _write_sheet(records, sample_id, out) if out else None
    _show_sample(sample_id, audit, request.seed, drawn, sheet, frontend(ctx).as_json)


def _save_sample(
    records: Any, audit: str, request: SampleRequest, questions: dict[str, Any], drawn: DrawnSample
) -> int:
    """Everything needed to draw the sample again goes into the store with it."""
    return records.save_sample(
        audit,
        request.force,
        request.seed,
        drawn.parameters,
        questions,
        drawn.records,
        drawn.populations,
        drawn.warnings,
        drawn.pool_checksum,
    )


def _write_sheet(records: Any, sample_id: int, out: Path) -> str:
    """The sheet is written from the stored sample, never the drawn one, so the two agree."""
    from peelstat.inspection.review_sheet import write_review_sheet

    return str(write_review_sheet(records.sample(sample_id), out))


def _show_sample(
    sample_id: int, audit: str, seed: int, drawn: DrawnSample, sheet: str | None, as_json: bool
) -> None:
    """Drawn against population per stratum, and the seed, so the draw can be checked."""
    if as_json:
        emit(_sample_summary(sample_id, audit, seed, drawn, sheet), "", True)
        return
    strata = [
        {"stratum": k, "drawn": int((drawn.records["stratum"] == k).sum()), "population": v}
        for k, v in drawn.populations.items()
    ]
    notes = [f"sample {sample_id}, seed {seed}" + (f", sheet {sheet}" if sheet else "")]
    emit(strata, f"Sample {sample_id} for {audit}", False, notes + drawn.warnings)


def _sample_summary(
    sample_id: int, audit: str, seed: int, drawn: DrawnSample, sheet: str | None
) -> dict[str, Any]:
    return {
        "sample": sample_id,
        "audit": audit,
        "seed": seed,
        "records": len(drawn.records),
        "populations": drawn.populations,
        "pool_checksum": drawn.pool_checksum,
        "sheet": sheet,
        "warnings": drawn.warnings,
    }


def sheet(
    ctx: typer.Context,
    sample_id: Annotated[int, typer.Argument(help="Sample id.")],
    out: Annotated[Path, typer.Argument(help="Review sheet to write (.csv or .xlsx).")],
) -> None:
    """Write (again) the review sheet of a stored sample."""
    typer.echo(_write_sheet(frontend(ctx).workspace.records, sample_id, out))


def samples(ctx: typer.Context) -> None:
    """List stored samples."""
    listing = frontend(ctx).workspace.records.samples()
    # a seed is an identifier: 2022, not "2,022"
    emit(
        listing if frontend(ctx).as_json else listing.astype({"seed": str}),
        "Samples",
        frontend(ctx).as_json,
    )


def import_sheet(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Completed review sheet (.csv or .xlsx).")],
    sample_id: Annotated[
        int | None, typer.Option("--sample", help="Sample id, if the sheet has no sample_id.")
    ] = None,
    account: AccountOption = "",
) -> None:
    """Import a completed review sheet: all of it, or nothing and a list of every problem."""
    from peelstat.inspection.review_sheet import import_review_sheet

    records = frontend(ctx).workspace.records
    summary = import_review_sheet(records, path, sample_id, account=signed_in(records, account))
    emit(summary.as_dict(), f"Imported {path.name}", frontend(ctx).as_json)
