"""Measures on the real public extracts in ../shared/data, against independent counts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from ibis.backends import BaseBackend

from peelstat.catalogue.loader import load_catalogue, parse_file
from peelstat.catalogue.measure import Catalogue
from peelstat.measures.compile import compute_measures
from peelstat.measures.msg import msg_for
from peelstat.reference import population, resolve_force
from peelstat.sources import get_source
from peelstat.stats.benchmark import msg_rank, ordinal
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_source

pytestmark = [pytest.mark.realdata, pytest.mark.slow]
STREET_MONTHS = ["2018-10", "2018-11", "2018-12", "2019-01"]


@pytest.fixture(scope="module")
def real_warehouse(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> BaseBackend:
    con = connect(str(tmp_path_factory.mktemp("real") / "warehouse.duckdb"))
    rolling = shared_data / "home_office" / "rec-crime-pfa.csv"
    load_source(con, get_source("home-office-rolling"), [rolling])
    zips = [shared_data / "police_uk" / "archive" / f"{m}.zip" for m in STREET_MONTHS]
    load_source(con, get_source("police-uk"), zips)
    return con


@pytest.fixture(scope="module")
def rolling_csv(shared_data: Path) -> pd.DataFrame:
    table = pd.read_csv(shared_data / "home_office" / "rec-crime-pfa.csv")
    table.columns = ["end", "pfa", "region", "offence", "offences"]
    table["end"] = pd.to_datetime(table["end"].replace("30-12-2017", "31-12-2017"), dayfirst=True)
    return table


def _mid_2017(force: str) -> float:
    people = population()
    return float(people[(people.force == force) & (people.year == 2017)].residents.iloc[0])


def test_avon_and_somerset_total_crime_rate_y_e_march_2018(real_warehouse: BaseBackend) -> None:
    frame = compute_measures(
        real_warehouse,
        "all_crime_excluding_fraud_rolling",
        start="2018-03",
        forces=["avon-and-somerset"],
    )
    row = frame[frame.force == "avon-and-somerset"].iloc[0]
    assert row.numerator == 140_071  # the published total, also the sum of the PRC table
    assert row.value == pytest.approx(140_071 / _mid_2017("avon-and-somerset") * 1000)


def test_msg_rank_for_robbery_matches_a_hand_ranking(real_warehouse, rolling_csv) -> None:
    frame = compute_measures(real_warehouse, "robbery_rolling", start="2018-03")
    group = msg_for(real_warehouse, "avon-and-somerset")
    rank = msg_rank(
        frame[frame.force != "england-and-wales"], "avon-and-somerset", group.peers, True
    )
    march = rolling_csv[(rolling_csv.end == "2018-03-31") & (rolling_csv.offence == "Robbery")]
    rates = {
        resolve_force(r.pfa): r.offences / _mid_2017(resolve_force(r.pfa))
        for r in march.itertuples()
        if resolve_force(r.pfa) in group.members
    }
    ordered = sorted(rates, key=rates.get)  # lower is better for robbery
    assert rank.label == f"{ordinal(ordered.index('avon-and-somerset') + 1)}/8"


def test_residential_burglary_does_not_fall_to_zero_at_the_2017_change(
    real_warehouse, rolling_csv
) -> None:
    frame = compute_measures(
        real_warehouse, "residential_burglary_rolling", start="2016-03", end="2018-12",
        forces=["avon-and-somerset"],
    )  # fmt: skip
    avon = frame[frame.force == "avon-and-somerset"].set_index("period_end")
    assert (avon.numerator > 2000).all()  # never the false fall to 0 of one column alone
    csv = rolling_csv[
        (rolling_csv.pfa == "Avon and Somerset")
        & rolling_csv.offence.isin(["Domestic burglary", "Residential burglary"])
    ]
    by_end = csv.groupby("end").offences.sum()
    for end, numerator in avon.numerator.items():
        assert numerator == by_end[end]
    assert "earlier definition" in avon.loc["2016-12-31", "definition_note"]
    assert "spans the definition change" in avon.loc["2017-09-30", "definition_note"]
    assert pd.isna(avon.loc["2018-03-31", "definition_note"])
    # no household counts are published here: no rate, and the note says why
    assert avon.value.isna().all()
    assert "no household counts" in avon.loc["2018-03-31", "denominator_note"]


def _street_catalogue() -> Catalogue:
    monthly = parse_file(
        """
measures:
  - id: street_records
    title: police.uk street records in the month
    source: police_uk_street
    numerator: {}
    unit: count
    window: 1
    lower_is_better: true
    notes: Every street record, one month at a time.
""",
        "test.yaml",
    )
    return Catalogue({m.id: m for m in [*load_catalogue(), *monthly]})


def test_police_uk_monthly_counts_equal_csv_rows(real_warehouse, shared_data: Path) -> None:
    frame = compute_measures(
        real_warehouse, "street_records", start="2018-10", end="2019-01",
        catalogue=_street_catalogue(), national=False,
        forces=["avon-and-somerset", "kent", "sussex", "dorset"],
    )  # fmt: skip
    for month in STREET_MONTHS:
        with zipfile.ZipFile(shared_data / "police_uk" / "archive" / f"{month}.zip") as archive:
            for force in ("avon-and-somerset", "kent", "sussex", "dorset"):
                name = f"{month}/{month}-{force}-street.csv"
                if name not in archive.namelist():
                    continue
                with archive.open(name) as handle:
                    expected = len(pd.read_csv(handle, dtype=str))
                got = frame[
                    (frame.force == force)
                    & (frame.period_end == pd.Period(month, "M").end_time.normalize())
                ].numerator.iloc[0]
                assert got == expected, (force, month)
