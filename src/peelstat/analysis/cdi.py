"""Crime data integrity: the crimes a force's audit suggests went unrecorded, from the audit
inputs in the records store and the recorded crime in the warehouse.

"The force records 91.4 percent (± 2.6) of reported crime, so about 13,100 crimes went
unrecorded": unrecorded = recorded × (1/rate − 1) (:func:`peelstat.stats.audit.unrecorded_estimate`),
with *recorded* the force's crime excluding fraud for the 12 months to the audit end. When the
warehouse cannot give that figure the estimate keeps the audited rate and says what is missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from ibis.backends import BaseBackend

from peelstat.analysis.plain import plain
from peelstat.analysis.provenance import DataSources, data_sources
from peelstat.errors import PeelstatError
from peelstat.inspection.cdi import FRAUD, recorded_crime_12_months
from peelstat.inspection.records_types import CdiAudit
from peelstat.periods import parse_period
from peelstat.reference import force_name
from peelstat.stats.audit import round_down_like_hmicfrs, unrecorded_estimate

ALL_CRIME = f"all crime excluding {FRAUD.lower()}"


@dataclass(frozen=True)
class CdiEstimate:
    """One audit's recording rate with its interval, and the crimes it implies went unrecorded
    (None, with ``gap`` saying why, when the recorded-crime figure is missing)."""

    force: str
    force_name: str
    audit_end: dt.date  # the audit period's last month (its last day)
    offences: str  # "all crime excluding fraud offences", or the offence groups
    rate: float
    margin: float
    rate_lower: float
    rate_upper: float
    audit_counts: tuple[int, int] | None  # (recorded correctly, audited) when saved
    recorded: int | None
    recorded_from: str | None
    unrecorded: float | None
    unrecorded_lower: float | None
    unrecorded_upper: float | None
    gap: str | None
    source: str
    recorded_by: str
    sources: DataSources

    @property
    def about(self) -> int | None:
        """The unrecorded figure as HMICFRS rounds it ("about 13,100")."""
        return None if self.unrecorded is None else round_down_like_hmicfrs(self.unrecorded)

    def describe(self) -> str:
        """The sentence an inspection report prints."""
        head = (
            f"In the 12 months to {self.audit_end:%B %Y}, {self.force_name} recorded "
            f"{100 * self.rate:.1f} percent (± {100 * self.margin:.1f}) of reported crime "
            f"({self.offences})"
        )
        if self.unrecorded is None:
            return f"{head}; the number of crimes unrecorded is not estimated: {self.gap}."
        return (
            f"{head}, so about {self.about:,} crimes ({self.unrecorded_lower:,.0f} to "
            f"{self.unrecorded_upper:,.0f}) went unrecorded, of {self.recorded:,} recorded."
        )

    def to_dict(self) -> dict:
        return plain(self) | {"about": self.about, "text": self.describe()}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{k: v for k, v in self.to_dict().items() if k != "sources"}])


def cdi_estimate(con: BaseBackend, audit: CdiAudit, sources: DataSources) -> CdiEstimate:
    """One stored audit as an estimate, the recorded crime read from the warehouse unless the
    analyst gave it when saving."""
    groups = list(audit.offence_groups) or None
    recorded, gap = audit.recorded, None
    recorded_from: str | None = "given when the audit was saved"
    if recorded is None:
        try:
            figures = recorded_crime_12_months(con, audit.force, audit.audit_end, groups)
        except PeelstatError as error:
            recorded_from, gap = None, _reason(error, audit.force)
        else:
            recorded = figures.offences
            recorded_from = (
                f"Home Office recorded crime, quarters ending {', '.join(figures.quarters)}"
            )
    found = (
        unrecorded_estimate(recorded, audit.rate, audit.margin) if recorded is not None else None
    )
    counts = (audit.recorded_correctly, audit.audited)
    return CdiEstimate(
        audit.force, force_name(audit.force), parse_period(audit.audit_end),
        "; ".join(audit.offence_groups) or ALL_CRIME, audit.rate, audit.margin,
        max(0.0, audit.rate - audit.margin), min(1.0, audit.rate + audit.margin),
        counts if None not in counts else None,  # type: ignore[arg-type]
        recorded, recorded_from,
        found.unrecorded if found else None, found.lower if found else None,
        found.upper if found else None, gap, audit.source, audit.recorded_by, sources,
    )  # fmt: skip


def cdi_estimates(con: BaseBackend, audits: list[CdiAudit], force: str) -> tuple[CdiEstimate, ...]:
    """Every stored audit of ``force``, latest first."""
    mine = [a for a in audits if a.force == force]
    sources = data_sources(con, ["recorded_crime"])
    return tuple(cdi_estimate(con, a, sources) for a in mine)


def _reason(error: PeelstatError, force: str) -> str:
    """The problem alone, in a reader's words ("the warehouse has no recorded crime for Avon
    and Somerset in the quarters ending …"), without the command-line advice."""
    problems = getattr(error, "problems", None) or [str(error)]
    text = "; ".join(p.split("; ")[0].split(": Home Office")[0] for p in problems)
    return text.replace(f"for {force} ", f"for {force_name(force)} ").replace(
        "no recorded crime", "the warehouse has no recorded crime", 1
    )
