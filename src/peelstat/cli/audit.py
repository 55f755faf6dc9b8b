"""`peelstat audit ...` and `peelstat cdi`: audit estimates, samples, review sheets and results.

Each command parses options, calls one pure function or the records store, and renders the
returned rows as a Rich table or, with --json, as JSON.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from peelstat.cli.common import (
    JsonOption,
    WarehouseOption,
    console,
    dump_json,
    plain_errors,
    show,
)
from peelstat.errors import ValidationError
from peelstat.stats.audit import compare_audits, recording_rate, unrecorded_estimate
from peelstat.stats.intervals import (
    METHODS,
    ProportionEstimate,
    proportion_interval,
    sample_size_for_margin,
)

app = typer.Typer(help="Audit estimates, case-file samples, review sheets and their results.")

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar="PEELSTAT_STORE",
        help="Records store: a SQLite file or a SQLAlchemy URL "
        "(default ~/.peelstat/inspection.sqlite).",
    ),
]
ConfidenceOption = Annotated[
    float, typer.Option("--confidence", help="Confidence level, e.g. 0.95.", min=0.5, max=0.999)
]
MethodOption = Annotated[
    str,
    typer.Option(
        "--method",
        help="Interval: wald (normal approximation, as HMICFRS prints), wilson, "
        "clopper-pearson, or all.",
    ),
]


def emit(data: Any, title: str, as_json: bool, notes: Sequence[str] = ()) -> None:
    """Rows (a list of dicts, one dict or a DataFrame) as the shared table, or as JSON.

    JSON goes through `dump_json` rather than `show`: one result stays one object, and dates
    stay "2023-06-01" and years "2021/22" (pandas would print "2023-06-01T00:00:00.000", "2021\\/22").
    """
    if as_json:
        if isinstance(data, pd.DataFrame):
            data = data.astype(object).where(data.notna(), None).to_dict("records")
        dump_json(data)
        return
    show(data if isinstance(data, pd.DataFrame) else _rows(data), title)
    for note in notes:
        console.print(f"Note: {note}", highlight=False)


def _rows(data: Any) -> list[dict[str, Any]]:
    rows = data if isinstance(data, list) else [data]
    return [{k: json.dumps(v) if isinstance(v, dict) else v for k, v in r.items()} for r in rows]


def _margin(result: ProportionEstimate) -> str:
    below, above = 100 * (result.estimate - result.lower), 100 * (result.upper - result.estimate)
    return f"± {below:.1f}" if f"{below:.1f}" == f"{above:.1f}" else f"−{below:.1f} / +{above:.1f}"


def _store(location: str | None) -> Any:
    from peelstat.inspection.records import RecordsStore

    return RecordsStore(location)


@app.command()
@plain_errors
def estimate(
    count: Annotated[int, typer.Argument(help="Records meeting the standard, e.g. 159.")],
    of: Annotated[int, typer.Argument(help="Records reviewed, e.g. 182.")],
    method: MethodOption = "wald",
    confidence: ConfidenceOption = 0.95,
    json_: JsonOption = False,
) -> None:
    """A proportion with its confidence interval: `audit estimate 159 182` → 87.4% ± 4.8."""
    methods = list(METHODS) if method == "all" else [method]
    results = [proportion_interval(count, of, confidence, m) for m in methods]
    if json_:
        dicts = [r.as_dict() for r in results]
        emit(dicts if method == "all" else dicts[0], "", True)
        return
    rows = [
        {
            "method": r.method_title,
            "estimate": f"{100 * r.estimate:.1f}%",
            "interval": f"{100 * r.lower:.1f}% to {100 * r.upper:.1f}%",
            "margin": _margin(r),
            "confidence": f"{100 * confidence:g}%",
        }
        for r in results
    ]
    emit(rows, f"{count} of {of}", False, [r.describe() for r in results])


@app.command("sample-size")
@plain_errors
def sample_size(
    margin: Annotated[float, typer.Option(help="Target margin, e.g. 0.05 for ± 5 points.")],
    proportion: Annotated[
        float, typer.Option(help="Expected proportion (0.5 when unknown: the largest sample).")
    ] = 0.5,
    population: Annotated[
        int | None, typer.Option(help="Records in the population (finite population).")
    ] = None,
    confidence: ConfidenceOption = 0.95,
    json_: JsonOption = False,
) -> None:
    """Records to review for a normal-approximation margin of ± MARGIN."""
    n = sample_size_for_margin(margin, confidence, proportion, population)
    row = {
        "records": n,
        "margin": margin,
        "expected_proportion": proportion,
        "population": population,
        "confidence": confidence,
    }
    emit(row, "Sample size", json_)


@app.command()
@plain_errors
def compare(
    first_count: Annotated[int, typer.Argument(help="Earlier audit: records meeting it.")],
    first_of: Annotated[int, typer.Argument(help="Earlier audit: records reviewed.")],
    second_count: Annotated[int, typer.Argument(help="Later audit: records meeting it.")],
    second_of: Annotated[int, typer.Argument(help="Later audit: records reviewed.")],
    confidence: ConfidenceOption = 0.95,
    json_: JsonOption = False,
) -> None:
    """Has the proportion changed between two audits? (two-proportion z test)"""
    result = compare_audits(first_count, first_of, second_count, second_of, confidence)
    if json_:
        emit(result.as_dict(), "", True)
        return
    row = {
        "earlier": result.first.describe(),
        "later": result.second.describe(),
        "change": f"{100 * result.difference:+.1f} points",
        "p_value": result.p_value,
        "significant": result.significant,
    }
    emit(row, "Audit comparison", False, [result.describe()])


@app.command()
@plain_errors
def sample(
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
    store: StoreOption = None,
    warehouse: WarehouseOption = None,
    json_: JsonOption = False,
) -> None:
    """Draw a seeded, recorded random sample of crimes and write its review sheet."""
    from peelstat.inspection.questions import question_set as load_question_set
    from peelstat.inspection.review_sheet import write_review_sheet
    from peelstat.inspection.sampling import SampleRequest, candidate_crimes, draw_sample
    from peelstat.reference import resolve_force
    from peelstat.warehouse.connect import connect

    force = resolve_force(force)
    questions = load_question_set(question_set)
    request = SampleRequest(
        force,
        start,
        end,
        seed if seed is not None else secrets.randbelow(2**31),
        tuple(outcome_type or ()),
        tuple(crime_type or ()),
        per_stratum,
        size,
    )
    drawn = draw_sample(
        candidate_crimes(connect(warehouse, create=False), force, start, end), request
    )
    records = _store(store)
    sample_id = records.save_sample(
        audit,
        force,
        request.seed,
        drawn.parameters,
        questions.as_dict(),
        drawn.records,
        drawn.populations,
        drawn.warnings,
        drawn.pool_checksum,
    )
    sheet = str(write_review_sheet(records.sample(sample_id), out)) if out else None
    result = {
        "sample": sample_id,
        "audit": audit,
        "seed": request.seed,
        "records": len(drawn.records),
        "populations": drawn.populations,
        "pool_checksum": drawn.pool_checksum,
        "sheet": sheet,
        "warnings": drawn.warnings,
    }
    if json_:
        emit(result, "", True)
        return
    strata = [
        {"stratum": k, "drawn": int((drawn.records["stratum"] == k).sum()), "population": v}
        for k, v in drawn.populations.items()
    ]
    notes = [f"sample {sample_id}, seed {request.seed}" + (f", sheet {sheet}" if sheet else "")]
    emit(strata, f"Sample {sample_id} for {audit}", False, notes + drawn.warnings)


@app.command("sheet")
@plain_errors
def sheet(
    sample_id: Annotated[int, typer.Argument(help="Sample id.")],
    out: Annotated[Path, typer.Argument(help="Review sheet to write (.csv or .xlsx).")],
    store: StoreOption = None,
) -> None:
    """Write (again) the review sheet of a stored sample."""
    from peelstat.inspection.review_sheet import write_review_sheet

    typer.echo(str(write_review_sheet(_store(store).sample(sample_id), out)))


@app.command("samples")
@plain_errors
def samples(store: StoreOption = None, json_: JsonOption = False) -> None:
    """List stored samples."""
    listing = _store(store).samples()
    # a seed is an identifier: 2022, not "2,022"
    emit(listing if json_ else listing.astype({"seed": str}), "Samples", json_)


@app.command("import")
@plain_errors
def import_sheet(
    path: Annotated[Path, typer.Argument(help="Completed review sheet (.csv or .xlsx).")],
    sample_id: Annotated[
        int | None, typer.Option("--sample", help="Sample id, if the sheet has no sample_id.")
    ] = None,
    store: StoreOption = None,
    json_: JsonOption = False,
) -> None:
    """Import a completed review sheet: all of it, or nothing and a list of every problem."""
    from peelstat.inspection.review_sheet import import_review_sheet

    summary = import_review_sheet(_store(store), path, sample_id)
    emit(summary.as_dict(), f"Imported {path.name}", json_)


@app.command()
@plain_errors
def results(
    sample_id: Annotated[int | None, typer.Option("--sample", help="Sample id.")] = None,
    audit: Annotated[str | None, typer.Option(help="Audit name (all its samples).")] = None,
    method: MethodOption = "wald",
    confidence: ConfidenceOption = 0.95,
    store: StoreOption = None,
    json_: JsonOption = False,
) -> None:
    """Each question's estimate with its interval, from the imported answers."""
    from peelstat.inspection.questions import QuestionSet
    from peelstat.inspection.results import question_estimates

    records = _store(store)
    listing = records.samples(audit)
    if sample_id is None and len(listing) == 1:
        sample_id = int(listing["sample"].iloc[0])
    ids = [sample_id] if sample_id is not None else [int(i) for i in listing["sample"]]
    if not ids:
        raise ValidationError("results", ["no samples stored: draw one with `audit sample`"])
    if sample_id is None and audit is None:
        raise ValidationError("results", [f"choose --sample or --audit; stored samples: {ids}"])
    stored = [records.sample(i) for i in ids]
    if len({s.question_set["id"] for s in stored}) > 1:
        raise ValidationError("results", ["the audit's samples use different question sets"])
    answers = pd.concat([records.answers(i) for i in ids], ignore_index=True)
    # weight by strata populations only for one sample whose strata do not share crimes
    single = stored[0] if len(stored) == 1 else None
    weighted = single is not None and not single.parameters.get("strata_overlap", True)
    populations = single.populations if single is not None and weighted else None
    table = question_estimates(
        answers, QuestionSet.from_stored(stored[0].question_set), method, confidence, populations
    )
    label = f"sample {sample_id}" if sample_id is not None else f"audit {audit}"
    if json_:
        emit(table, "", True)
        return
    emit(table[["question", "count", "of", "excluded", "result"]], f"Results, {label}", False)


@plain_errors
def cdi_command(
    force: Annotated[str, typer.Option(help="Force, e.g. avon-and-somerset.")],
    audit_end: Annotated[str, typer.Option(help="Last month of the audit period, e.g. 2022-03.")],
    rate: Annotated[
        float | None, typer.Option(help="Audited recording rate, e.g. 0.914 (with --moe).")
    ] = None,
    moe: Annotated[float | None, typer.Option(help="Its margin of error, e.g. 0.026.")] = None,
    audit_sample: Annotated[
        tuple[int, int] | None,
        typer.Option(
            metavar="RECORDED AUDITED",
            help="Instead of --rate/--moe: crimes recorded correctly and crimes audited, "
            "e.g. 457 500 (normal-approximation interval, as HMICFRS prints).",
        ),
    ] = None,
    recorded: Annotated[
        int | None,
        typer.Option(
            help="Crimes recorded (excl. fraud) in the 12 months; else read from the warehouse."
        ),
    ] = None,
    offence_group: Annotated[
        list[str] | None,
        typer.Option(
            help="Home Office offence group instead of all crime excluding fraud "
            "(repeatable), e.g. 'Violence against the person'."
        ),
    ] = None,
    warehouse: WarehouseOption = None,
    json_: JsonOption = False,
) -> None:
    """Crime data integrity: estimated crimes not recorded in the 12 months to the audit end."""
    from peelstat.inspection.cdi import recorded_crime_12_months
    from peelstat.inspection.sampling import parse_month
    from peelstat.reference import resolve_force

    force = resolve_force(force)
    rate, moe = _rate_and_margin(rate, moe, audit_sample)
    if recorded is None:
        from peelstat.warehouse.connect import connect

        figures = recorded_crime_12_months(
            connect(warehouse, create=False), force, audit_end, offence_group
        )
        quarters = ", ".join(figures.quarters)
        recorded = figures.offences
        source = f"Home Office recorded crime in the warehouse, quarters ending {quarters}"
    else:
        parse_month(audit_end)
        source = "given (--recorded)"
    result = unrecorded_estimate(recorded, rate, moe)
    row = {
        "recorded": recorded,
        "recording_rate": f"{100 * rate:.1f}% ± {100 * moe:.1f}",
        "unrecorded": round(result.unrecorded),
        "published_as": f"more than {result.published:,}",
        "range": f"{result.lower:,.0f} to {result.upper:,.0f}",
    }
    if json_:
        emit(
            {
                **result.as_dict(),
                "force": force,
                "audit_end": audit_end,
                "recorded_from": source,
                "offence_groups": offence_group or ["all crime excluding fraud"],
            },
            "",
            True,
        )
        return
    title = f"Crime data integrity, {force}, 12 months to {audit_end}"
    emit(row, title, False, [result.describe(), f"recorded crime: {source}"])


def _rate_and_margin(
    rate: float | None, moe: float | None, audit_sample: tuple[int, int] | None
) -> tuple[float, float]:
    """The recording rate and its margin: as given, or estimated from the audit's counts."""
    if audit_sample is not None and rate is None and moe is None:
        estimate = recording_rate(*audit_sample)
        return estimate.estimate, estimate.margin
    if audit_sample is None and rate is not None and moe is not None:
        return rate, moe
    problem = "give --rate and --moe (e.g. --rate 0.914 --moe 0.026) or --audit-sample 457 500"
    raise ValidationError("cdi", [problem])
