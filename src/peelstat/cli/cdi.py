"""`peelstat cdi`: crime data integrity, the crimes a force's audit suggests went unrecorded.

HMICFRS scales an audited recording rate up to a force's recorded crime; this command does the
same from the published rate or the audit's own counts, so an analyst can check the figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from peelstat.cli.audit_accounts import AccountOption
from peelstat.cli.audit_common import emit
from peelstat.cli.common import err_console, frontend
from peelstat.errors import ValidationError

if TYPE_CHECKING:  # scipy is imported by the command, not by `peelstat --help`
    from peelstat.stats.audit import UnrecordedEstimate
    from peelstat.workspace import Workspace


def cdi_command(
    ctx: typer.Context,
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
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help="Also keep the audit's inputs in the records store (signed in with --account), "
            "for the inspection profile and the dashboard.",
        ),
    ] = False,
    source: Annotated[
        str, typer.Option(help="With --save: where the figures come from, e.g. the report.")
    ] = "",
    account: AccountOption = "",
) -> None:
    """Crime data integrity: estimated crimes not recorded in the 12 months to the audit end."""
    from peelstat.reference import resolve_force
    from peelstat.stats.audit import unrecorded_estimate

    force = resolve_force(force)
    rate, moe = _rate_and_margin(rate, moe, audit_sample)
    recorded_given = recorded
    recorded, source = _recorded_crime(
        frontend(ctx).workspace, recorded, force, audit_end, offence_group
    )
    result = unrecorded_estimate(recorded, rate, moe)
    if save:
        _save(frontend(ctx).workspace, account, force, audit_end, (rate, moe), audit_sample,
              recorded_given, offence_group, source)  # fmt: skip
    if frontend(ctx).as_json:
        groups = offence_group or ["all crime excluding fraud"]
        details = {"force": force, "audit_end": audit_end, "recorded_from": source}
        emit({**result.as_dict(), **details, "offence_groups": groups}, "", True)
        return
    title = f"Crime data integrity, {force}, 12 months to {audit_end}"
    row = _cdi_row(recorded, rate, moe, result)
    emit(row, title, False, [result.describe(), f"recorded crime: {source}"])


def _save(
    workspace: Workspace, account: str, force: str, audit_end: str,
    rate_and_margin: tuple[float, float], audit_sample: tuple[int, int] | None,
    recorded: int | None, offence_group: list[str] | None, source: str,
) -> None:  # fmt: skip
    """Keep the audit's inputs (not the estimate: that follows the warehouse's recorded crime)."""
    from peelstat.cli.audit_accounts import signed_in
    from peelstat.inspection.records_types import CdiAudit
    from peelstat.periods import parse_period

    month = f"{parse_period(audit_end):%Y-%m}"
    correct, audited = audit_sample if audit_sample is not None else (None, None)
    audit = CdiAudit(force, month, *rate_and_margin, tuple(offence_group or ()), correct,
                     audited, recorded, source)  # fmt: skip
    store = workspace.records
    store.save_cdi_audit(audit, account=signed_in(store, account))
    err_console.print(
        f"Saved the crime data integrity audit of {force} to {month} in the records store."
    )


def _rate_and_margin(
    rate: float | None, moe: float | None, audit_sample: tuple[int, int] | None
) -> tuple[float, float]:
    """The recording rate and its margin: as given, or estimated from the audit's counts."""
    from peelstat.stats.audit import recording_rate

    if audit_sample is not None and rate is None and moe is None:
        estimate = recording_rate(*audit_sample)
        return estimate.estimate, estimate.margin
    if audit_sample is None and rate is not None and moe is not None:
        return rate, moe
    problem = "give --rate and --moe (e.g. --rate 0.914 --moe 0.026) or --audit-sample 457 500"
    raise ValidationError("cdi", [problem])


def _recorded_crime(
    workspace: Workspace,
    recorded: int | None,
    force: str,
    audit_end: str,
    offence_group: list[str] | None,
) -> tuple[int, str]:
    """Recorded crime in the 12 months and where it came from, since the estimate scales it."""
    from peelstat.periods import parse_period

    if recorded is not None:
        parse_period(audit_end)
        return recorded, "given (--recorded)"
    figures = workspace.recorded_crime(force, audit_end, offence_group)
    quarters = ", ".join(figures.quarters)
    return (
        figures.offences,
        f"Home Office recorded crime in the warehouse, quarters ending {quarters}",
    )


def _cdi_row(
    recorded: int, rate: float, moe: float, result: UnrecordedEstimate
) -> dict[str, str | int]:
    return {
        "recorded": recorded,
        "recording_rate": f"{100 * rate:.1f}% ± {100 * moe:.1f}",
        "unrecorded": round(result.unrecorded),
        "published_as": f"more than {result.published:,}",
        "range": f"{result.lower:,.0f} to {result.upper:,.0f}",
    }
