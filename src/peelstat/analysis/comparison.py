"""One measure across all forces at one period: the "ski slope" with the HMICFRS outlier band.

Values, national ranks, z-scores and flags come from :func:`peelstat.stats.outliers.force_outliers`
and :func:`peelstat.stats.benchmark.rank_by_polarity`; a force with no value is listed as
missing, never drawn as a zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from ibis.backends import BaseBackend

from peelstat.analysis.catalogue import MeasureInfo, load_commands
from peelstat.analysis.groups import ComparisonGroup, comparison_group
from peelstat.analysis.plain import field_names, frame_of, plain
from peelstat.analysis.provenance import DataSources, data_sources
from peelstat.catalogue.measure import Catalogue
from peelstat.errors import DataNotAvailableError
from peelstat.measures.compile import compute_measures
from peelstat.periods import last_quarter_end, parse_period
from peelstat.reference import NATIONAL, force_name, resolve_force, territorial_forces
from peelstat.stats.benchmark import national_rate, rank_by_polarity
from peelstat.stats.outliers import OutlierBand, force_outliers, outlier_band


@dataclass(frozen=True)
class ForceValue:
    """One force's bar: value, national rank (1st = best), z-score and outlier flag."""

    force: str
    force_name: str
    value: float
    numerator: float
    denominator: float
    rank: int
    z: float
    flag: str
    in_msg: bool  # in the chosen force's Most Similar Group (the force included)
    chosen: bool


@dataclass(frozen=True)
class MeasureComparison:
    """All forces' values of one measure for one window, sorted from highest to lowest."""

    measure: MeasureInfo
    period_end: dt.date
    force: str | None
    msg: ComparisonGroup | None
    rows: tuple[ForceValue, ...]
    band: OutlierBand
    national_value: float  # the England and Wales row: only when all 43 forces have a value
    forces_rate: float  # pooled rate of the forces shown (all their numerators / denominators)
    missing: tuple[str, ...]  # territorial forces with no value for this window
    notes: tuple[str, ...]
    sources: DataSources

    def to_frame(self) -> pd.DataFrame:
        return frame_of(self.rows, field_names(ForceValue))

    def to_dict(self) -> dict:
        return plain(self)


def _notes(band: OutlierBand, missing: tuple[str, ...]) -> tuple[str, ...]:
    scale = (
        "on natural logs (the values fail a Shapiro-Wilk test and their logs look more normal)"
        if band.transformed
        else "on the values themselves"
    )
    notes = [f"Outlier band: unweighted mean of forces ± 1 standard deviation, {scale}."]
    if missing:
        notes.append(
            f"No value for {', '.join(force_name(f) for f in missing)}: not ranked, and no "
            "England and Wales figure for this window (the rate of the forces shown is given)."
        )
    return tuple(notes)


def _why_no_value(forces: pd.DataFrame, source: str) -> str:
    """What is missing when no force has a value, and what to load: the counts (the table has
    no rows then) or the denominator (its note says which, e.g. households not loaded)."""
    if forces.empty or forces["numerator"].isna().all():
        loads = " or ".join(load_commands(source))
        return f": the {source} table has no rows then" + (
            f"; load them with {loads}" if loads else ""
        )
    notes = forces.get("denominator_note", pd.Series(dtype=object)).dropna().unique()
    return f": {notes[0]}" if len(notes) else ""


def compare_forces(
    con: BaseBackend, catalogue: Catalogue, measure_id: str, period: str | dt.date,
    force: str | None = None,
) -> MeasureComparison:  # fmt: skip
    """Every force's 12-month value of ``measure_id`` to ``period``, with the outlier band."""
    m = catalogue[measure_id]
    end = parse_period(period)
    if m.grain == "quarter":
        end = last_quarter_end(end)
    chosen = resolve_force(force) if force else None
    frame = compute_measures(con, [measure_id], start=end, end=end, catalogue=catalogue)
    at = frame[(frame["measure"] == measure_id) & (frame["period_end"] == pd.Timestamp(end))]
    forces = at[at["force"] != NATIONAL].set_index("force")
    present = forces[forces["value"].notna()]
    if present.empty:
        raise DataNotAvailableError(
            f"no force has a value of {measure_id} for the 12 months to {end:%Y-%m}"
            + _why_no_value(forces, m.source)
        )
    outliers = force_outliers(present["value"])
    ranks = rank_by_polarity(present["value"], m.lower_is_better)
    group = comparison_group(con, chosen) if chosen else None
    members = set(group.members) if group else set()
    ordered = present.sort_values("value", ascending=False)
    z, flags = outliers["z"].to_dict(), outliers["flag"].to_dict()
    rows = tuple(
        ForceValue(f, force_name(f), r["value"], r["numerator"], r["denominator"], int(ranks[f]),
                   z[f], flags[f], f in members, f == chosen)
        for f, r in zip(ordered.index.astype(str), ordered.to_dict("records"), strict=True)
    )  # fmt: skip
    national = at.loc[at["force"] == NATIONAL, "value"]
    missing = tuple(f for f in territorial_forces() if f not in present.index)
    band = outlier_band(present["value"])
    return MeasureComparison(
        MeasureInfo.of(m), end, chosen, group, rows, band,
        float(national.iloc[0]) if len(national) else float("nan"),
        national_rate(present.reset_index()), missing,
        _notes(band, missing), data_sources(con, [m.source]),
    )  # fmt: skip
