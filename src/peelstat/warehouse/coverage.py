"""The coverage ledger: for every table, force and period, what is there and what is not.

A rate over a gap is not a rate, and a gap can hide in several ways, so each row says:

* how many rows the force has that month (quarter), and ``missing`` when it has none, for
  every territorial force, including forces with no rows in the table at all (police.uk
  holds no street files for Greater Manchester, the Metropolitan Police, West Midlands or
  West Yorkshire in the shared extracts, and no stop and search for Greater Manchester after
  June 2019);
* street: the share of rows with no LSOA and with no location (no coordinates: police.uk
  writes "No Location"), and police.uk crimes (rows with a Crime ID) in the month's quarter
  against the Home Office recorded crime (excluding fraud) for the same force and quarter,
  when both are loaded (Greater Manchester's 2019 street data held about half);
* stop and search: the share of rows with "Outcome linked to object of search" blank and
  with officer-defined ethnicity blank.

One aggregation per table, all in the warehouse (any Ibis backend).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import ibis.expr.types as ir
import pandas as pd
from ibis.backends import BaseBackend

from peelstat.reference import territorial_forces
from peelstat.warehouse.status import period_column
from peelstat.warehouse.tables import raw_tables, table_names, table_schema

STREET, STOP_SEARCH = "police_uk_street", "police_uk_stop_search"


@dataclass(frozen=True)
class CoverageRow:
    """One table, force and period (``2018-10``; a quarterly table's quarter end month)."""

    table: str
    force: str
    period: str
    rows: int
    missing: bool
    no_lsoa_share: float | None = None
    no_location_share: float | None = None
    police_uk_crimes_in_quarter: int | None = None
    home_office_offences_in_quarter: int | None = None
    police_uk_to_home_office: float | None = None
    outcome_linked_blank_share: float | None = None
    ethnicity_blank_share: float | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _blank(column: ir.Column) -> ir.IntegerValue:
    """1 where a text or flag cell is empty (NULL, or '' for text)."""
    empty = column.isnull()
    if column.type().is_string():
        empty = empty | (column == "")
    return empty.cast("int64")


def _counts(con: BaseBackend, table: str) -> pd.DataFrame:
    """Rows per force and period, with the blank-field counts the table's checks need."""
    t = con.table(table)
    extra: dict[str, ir.Scalar] = {}
    if table == STREET:
        extra = {
            "no_lsoa": _blank(t.lsoa_code).sum(),
            "no_location": t.longitude.isnull().cast("int64").sum(),
            # rows with a Crime ID; read from the crime type, which is far cheaper to scan
            "crimes": (t.crime_type != "Anti-social behaviour").cast("int64").sum(),
        }
    elif table == STOP_SEARCH:
        extra = {
            "linked_blank": _blank(t.outcome_linked_to_object_of_search).sum(),
            "ethnicity_blank": _blank(t.officer_defined_ethnicity).sum(),
        }
    period = t[period_column(table)].cast("date")
    return t.group_by(force=t.force, period=period).aggregate(rows=t.count(), **extra).to_pandas()


def _expected(counts: pd.DataFrame, monthly: bool) -> pd.DataFrame:
    """Every force (all territorial ones too) × every period from the first loaded to the last."""
    first, last = pd.Timestamp(counts["period"].min()), pd.Timestamp(counts["period"].max())
    if monthly:
        periods = pd.period_range(first, last, freq="M")
    else:
        periods = pd.PeriodIndex(sorted(set(pd.to_datetime(counts["period"]))), freq="M")
    forces = sorted(set(territorial_forces()) | set(counts["force"]))
    grid = pd.MultiIndex.from_product([forces, periods.strftime("%Y-%m")], names=["force", "p"])
    counts = counts.assign(p=pd.to_datetime(counts["period"]).dt.strftime("%Y-%m"))
    return counts.drop(columns="period").set_index(["force", "p"]).reindex(grid).reset_index()


def home_office_quarters(con: BaseBackend) -> pd.DataFrame:
    """Home Office offences (excluding fraud) by force and quarter end, if loaded."""
    if "recorded_crime" not in table_names(con):
        return pd.DataFrame(columns=["force", "quarter", "offences"])
    t = con.table("recorded_crime")
    t = t.filter(t.offence_group.isnull() | (t.offence_group != "Fraud offences"))
    grouped = t.group_by(force=t.force, quarter=t.period_end).aggregate(offences=t.offences.sum())
    frame = grouped.to_pandas()
    frame["quarter"] = pd.to_datetime(frame["quarter"]).dt.to_period("Q")
    return frame


def _against_home_office(street: pd.DataFrame, home_office: pd.DataFrame) -> pd.DataFrame:
    """police.uk crimes per force-quarter (complete quarters only) beside the Home Office's."""
    street = street.assign(quarter=pd.PeriodIndex(street["p"], freq="M").asfreq("Q"))
    quarters = street.groupby(["force", "quarter"]).agg(
        months=("rows", lambda r: int(r.notna().sum())), crimes=("crimes", "sum")
    )
    quarters.loc[quarters["months"] < 3, "crimes"] = float("nan")
    joined = quarters.reset_index().merge(home_office, on=["force", "quarter"], how="left")
    joined["ratio"] = joined["crimes"] / joined["offences"].where(joined["offences"] > 0)
    return street.merge(joined[["force", "quarter", "crimes", "offences", "ratio"]].rename(
        columns={"crimes": "quarter_crimes"}), on=["force", "quarter"], how="left")  # fmt: skip


SHARES = {
    "no_lsoa": "no_lsoa_share",
    "no_location": "no_location_share",
    "linked_blank": "outcome_linked_blank_share",
    "ethnicity_blank": "ethnicity_blank_share",
}
COMPARISON = {
    "quarter_crimes": "police_uk_crimes_in_quarter",
    "offences": "home_office_offences_in_quarter",
    "ratio": "police_uk_to_home_office",
}


def _rows(table: str, grid: pd.DataFrame) -> list[CoverageRow]:
    """Ledger rows from the expected grid: counts become shares, NaN becomes None."""
    rows = grid["rows"].fillna(0).astype("int64")
    frame = pd.DataFrame({"force": grid["force"], "period": grid["p"], "rows": rows})
    for count, share in SHARES.items():
        if count in grid:
            frame[share] = grid[count] / rows.where(rows > 0)
    for column, field in COMPARISON.items():
        if column in grid:
            frame[field] = grid[column]
    cleaned = frame.astype(object).where(frame.notna(), None)
    records = [{str(k): v for k, v in r.items()} for r in cleaned.to_dict("records")]
    for record in records:
        for field in ("police_uk_crimes_in_quarter", "home_office_offences_in_quarter"):
            if record.get(field) is not None:
                record[field] = int(record[field])
    return [CoverageRow(table=table, missing=r["rows"] == 0, **r) for r in records]


def coverage_ledger(con: BaseBackend) -> list[CoverageRow]:
    """Every table with a force and a month or quarter: one row per force and period."""
    existing = table_names(con)
    ledger: list[CoverageRow] = []
    home_office: pd.DataFrame | None = None
    for table in raw_tables():
        names = table_schema(table).names
        if table not in existing or "force" not in names or period_column(table) == "year":
            continue
        counts = _counts(con, table)
        if counts.empty:
            continue
        grid = _expected(counts, monthly=period_column(table) == "month")
        if table == STREET:
            home_office = home_office_quarters(con) if home_office is None else home_office
            grid = _against_home_office(grid, home_office)
        ledger.extend(_rows(table, grid))
    return ledger


def coverage_frame(ledger: list[CoverageRow]) -> pd.DataFrame:
    """The ledger as a DataFrame (one column per field), for analysis or export."""
    columns = list(CoverageRow.__dataclass_fields__)
    return pd.DataFrame([row.as_dict() for row in ledger], columns=columns)


def forces_without_rows(ledger: list[CoverageRow]) -> dict[str, list[str]]:
    """Per table, the forces missing in every period of it (hidden by a list of force-months)."""
    seen: dict[str, dict[str, bool]] = {}
    for row in ledger:
        forces = seen.setdefault(row.table, {})
        forces[row.force] = forces.get(row.force, True) and row.missing
    return {t: sorted(f for f, none in forces.items() if none) for t, forces in seen.items()}


def needs_attention(row: CoverageRow, blank: float = 0.0, low: float = 0.9) -> bool:
    """A row to show an analyst: missing, fields left blank, or police.uk short of the Home Office."""
    shares = (row.no_lsoa_share, row.outcome_linked_blank_share, row.ethnicity_blank_share)
    short = row.police_uk_to_home_office is not None and row.police_uk_to_home_office < low
    return row.missing or short or any(s is not None and s > blank for s in shares)
