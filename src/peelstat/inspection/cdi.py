"""Crime data integrity: the recorded crime an audit's recording rate is scaled by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ibis.backends import BaseBackend

from peelstat.errors import ValidationError
from peelstat.periods import is_quarter_end, parse_period, quarter_ends_of_year

FRAUD = "Fraud offences"


@dataclass(frozen=True)
class RecordedCrime:
    """Crimes a force recorded in the 12 months to an audit's end, and which quarters they are."""

    force: str
    offences: int
    quarters: list[str]
    offence_groups: list[str]


def twelve_month_quarter_ends(audit_end: str) -> list[date]:
    """The four quarter ends of the 12 months to `audit_end` (which must end a quarter)."""
    end = parse_period(audit_end)
    if not is_quarter_end(end):
        problem = (
            f"audit end {audit_end} is not the end of a quarter (March, June, September or "
            "December): Home Office recorded crime is quarterly; give --recorded instead"
        )
        raise ValidationError("crime data integrity", [problem])
    return quarter_ends_of_year(end)


def recorded_crime_12_months(
    con: BaseBackend, force: str, audit_end: str, offence_groups: list[str] | None = None
) -> RecordedCrime:
    """Recorded crime excluding fraud (or in the given offence groups) for the 12 months to the
    audit end, from the warehouse's `recorded_crime`; every missing quarter is named."""
    ends = twelve_month_quarter_ends(audit_end)
    table = con.table("recorded_crime")
    rows = table.filter(
        table.force == force, table.period_end >= ends[0], table.period_end <= ends[-1]
    )
    if offence_groups:
        rows = rows.filter(rows.offence_group.isin(offence_groups))
    else:
        rows = rows.filter(rows.offence_group != FRAUD)
    totals = rows.group_by("period_end").aggregate(offences=rows.offences.sum()).to_pandas()
    found = {date.fromisoformat(str(d)[:10]): int(n) for d, n in totals.itertuples(index=False)}
    missing = [d.isoformat() for d in ends if d not in found]
    if missing:
        problem = (
            f"no recorded crime for {force} in the quarters ending {', '.join(missing)}; "
            "load the Home Office tables or give --recorded"
        )
        raise ValidationError("crime data integrity", [problem])
    return RecordedCrime(
        force,
        sum(found.values()),
        [d.isoformat() for d in ends],
        offence_groups or [f"all except {FRAUD}"],
    )
