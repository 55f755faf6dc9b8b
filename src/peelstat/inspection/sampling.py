"""Reproducible random samples of crimes for case-file reviews.

Reading the warehouse (`candidate_crimes`) is kept apart from the seeded draw (`draw_sample`, a
pure function of the candidates), so the same pool and seed always give the same sample, and
the pool's checksum shows later whether the warehouse still holds the same pool.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import ibis
import numpy as np
import pandas as pd
from ibis.backends import BaseBackend

from peelstat.errors import ValidationError
from peelstat.periods import month_start
from peelstat.warehouse.tables import table_names

OutcomeMapping = Mapping[str, str | Iterable[str]]
RECORD_COLUMNS = [
    "record_id",
    "stratum",
    "force",
    "month",
    "crime_type",
    "outcome_category",
    "outcome_type",
    "location",
    "lsoa_name",
]


@dataclass(frozen=True)
class SampleRequest:
    """What to draw: e.g. 20 crimes each of outcome types 15, 16 and 21, seed 2022."""

    force: str
    start: str
    end: str
    seed: int
    outcome_types: tuple[str, ...] = ()
    crime_types: tuple[str, ...] = ()
    per_stratum: int | None = None
    size: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


@dataclass
class DrawnSample:
    request: SampleRequest
    records: pd.DataFrame
    populations: dict[str, int]
    pool_checksum: str
    warnings: list[str] = field(default_factory=list)
    overlapping: bool = False

    @property
    def parameters(self) -> dict[str, Any]:
        """What to store: the request, and whether strata share crimes (then never weighted)."""
        return {**self.request.as_dict(), "strata_overlap": self.overlapping}


def outcome_type_mapping(mapping: OutcomeMapping | None = None) -> dict[str, tuple[str, ...]]:
    """police.uk outcome category → the Home Office outcome types it may stand for.

    police.uk merges some types ("Unable to prosecute suspect" covers 14, 15 and 16), so one
    category can map to several types. Defaults to peelstat's reference table.
    """
    if mapping is None:
        from peelstat import reference

        table = reference.police_uk_outcome_types()
        grouped = table.groupby("police_uk_category")["outcome_type"]
        return {str(k): tuple(str(v) for v in values) for k, values in grouped}
    return {
        str(k): (str(v),) if isinstance(v, str | int) else tuple(str(x) for x in v)
        for k, v in mapping.items()
    }


def candidate_crimes(
    con: BaseBackend, force: str, start: str, end: str, mapping: OutcomeMapping | None = None
) -> pd.DataFrame:
    """Crimes a force recorded in the months `start` to `end`, with their latest outcome.

    The latest outcome comes from `police_uk_outcomes` when it has one for the crime (it is more
    recent than the street file's last outcome), else from `police_uk_street`. Anti-social
    behaviour rows (no crime id) are not crimes and are left out.
    """
    street = con.table("police_uk_street")
    crimes = street.filter(
        street.force == force,
        street.month >= month_start(start),
        street.month <= month_start(end),
        street.crime_id.notnull(),
        street.crime_id != "",
    ).select(
        record_id=street.crime_id,
        force=street.force,
        month=street.month,
        crime_type=street.crime_type,
        street_outcome=street.last_outcome_category,
        location=street.location,
        lsoa_name=street.lsoa_name,
    )
    if "police_uk_outcomes" in table_names(con):
        outcomes = con.table("police_uk_outcomes")
        outcomes = outcomes.filter(outcomes.crime_id.isin(crimes.record_id))
        window = ibis.window(
            group_by=outcomes.crime_id,
            order_by=[outcomes.month.desc(), outcomes.source_line.desc()],
        )
        latest = outcomes.mutate(rank=ibis.row_number().over(window))
        latest = latest.filter(latest["rank"] == 0).select(
            crime_id=latest.crime_id, latest_outcome=latest.outcome_category
        )
        crimes = crimes.left_join(latest, crimes.record_id == latest.crime_id)
        crimes = crimes.mutate(
            outcome_category=ibis.coalesce(crimes.latest_outcome, crimes.street_outcome)
        ).drop("crime_id", "latest_outcome", "street_outcome")
    else:
        crimes = crimes.rename(outcome_category="street_outcome")
    frame = crimes.to_pandas()
    if frame.empty:
        problem = (
            f"the warehouse holds no police.uk street crimes for {force} from {start} to {end}; "
            "load them with `peelstat load police-uk ARCHIVE.zip` (see `peelstat status` for "
            "the months loaded)"
        )
        raise ValidationError("sample", [problem])
    return with_outcome_types(frame, outcome_type_mapping(mapping))


def with_outcome_types(frame: pd.DataFrame, mapping: Mapping[str, tuple[str, ...]]) -> pd.DataFrame:
    """One row per crime (first month it appears), with its possible outcome types as text."""
    frame = frame.sort_values(["record_id", "month"], kind="stable")
    frame = frame.drop_duplicates("record_id").reset_index(drop=True)
    frame["month"] = pd.to_datetime(frame["month"]).dt.strftime("%Y-%m")
    frame["outcome_type"] = [
        "/".join(mapping.get(c, ())) if isinstance(c, str) else ""
        for c in frame["outcome_category"]
    ]
    return frame


def pool_checksum(record_ids: Iterable[str]) -> str:
    """sha256 of the sorted candidate ids: the same checksum means the same pool to draw from."""
    return hashlib.sha256("\n".join(sorted(record_ids)).encode()).hexdigest()


def draw_sample(candidates: pd.DataFrame, request: SampleRequest) -> DrawnSample:
    """Seeded draw without replacement from `candidate_crimes` output; pure and reproducible.

    With outcome types and `per_stratum`, each outcome type is a stratum of that many crimes;
    with crime types and `per_stratum` (no outcome types), each crime type is; otherwise one
    simple random sample of `size` from the filtered pool. Strata are drawn in the order given,
    and a crime drawn for one stratum is never drawn again for another.
    """
    _check_request(request, candidates)
    pool = candidates.sort_values("record_id", kind="stable").reset_index(drop=True)
    if request.crime_types:
        pool = pool[pool["crime_type"].isin(request.crime_types)]
    types = pool["outcome_type"].fillna("").str.split("/")
    if request.outcome_types:
        pool = pool[types.map(lambda ts: bool(set(ts) & set(request.outcome_types)))]
    strata = _strata(pool, request)
    rng = np.random.default_rng(request.seed)
    chosen: list[pd.DataFrame] = []
    taken: set[str] = set()
    populations, warnings = {}, _shared_category_warnings(pool, request)
    for name, members, wanted in strata:
        populations[name] = len(members)
        members = members[~members["record_id"].isin(taken)]
        if len(members) < wanted:
            warnings.append(f"stratum {name}: only {len(members)} crimes to draw {wanted} from")
        picked = members.iloc[
            rng.choice(len(members), size=min(wanted, len(members)), replace=False)
        ]
        taken.update(picked["record_id"])
        chosen.append(picked.assign(stratum=name))
    records = pd.concat(chosen, ignore_index=True) if chosen else pd.DataFrame()
    records = records.reindex(columns=RECORD_COLUMNS)
    overlapping = sum(populations.values()) > len(
        pd.concat([m for _, m, _ in strata]).drop_duplicates("record_id")
    )
    if overlapping:
        warnings.append(
            "strata share crimes, so their populations overlap: results are not weighted by them"
        )
    checksum = pool_checksum(pool["record_id"])
    return DrawnSample(request, records, populations, checksum, warnings, overlapping)


def _check_request(request: SampleRequest, candidates: pd.DataFrame) -> None:
    problems = []
    known = sorted(candidates["crime_type"].dropna().unique())
    problems += [
        f"no {crime_type!r} crimes in the period; police.uk crime types there: {', '.join(known)}"
        for crime_type in request.crime_types
        if crime_type not in known
    ]
    if request.per_stratum is None and request.size is None:
        problems.append("give a number per stratum (--per-stratum) or a sample size (--size)")
    if request.per_stratum is not None and not (request.outcome_types or request.crime_types):
        problems.append("--per-stratum needs outcome types or crime types to make strata")
    for name in ("per_stratum", "size"):
        value = getattr(request, name)
        if value is not None and value <= 0:
            problems.append(f"{name} must be positive (got {value})")
    if month_start(request.start) > month_start(request.end):
        problems.append(f"the period starts ({request.start}) after it ends ({request.end})")
    if problems:
        raise ValidationError("sample request", problems)


def _strata(pool: pd.DataFrame, request: SampleRequest) -> list[tuple[str, pd.DataFrame, int]]:
    if request.per_stratum is None:
        assert request.size is not None
        return [("all", pool, request.size)]
    if request.outcome_types:
        types = pool["outcome_type"].str.split("/")
        return [
            (f"outcome {t}", pool[types.map(lambda ts, t=t: t in ts)], request.per_stratum)
            for t in request.outcome_types
        ]
    return [
        (crime_type, pool[pool["crime_type"] == crime_type], request.per_stratum)
        for crime_type in request.crime_types
    ]


def _shared_category_warnings(pool: pd.DataFrame, request: SampleRequest) -> list[str]:
    """Say so when police.uk cannot tell the requested outcome types apart."""
    warnings = []
    for category, types in pool.groupby("outcome_category")["outcome_type"].first().items():
        possible = types.split("/")
        asked = [t for t in request.outcome_types if t in possible]
        if asked and len(possible) > 1:
            warnings.append(
                f"police.uk category {category!r} stands for outcome types {', '.join(possible)}: "
                f"crimes drawn for outcome type {', '.join(asked)} may have any of them; "
                "check each record's outcome type in the force's own records"
            )
    return warnings
