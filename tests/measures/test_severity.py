"""Crime severity scores: offences × weight ÷ residents, checked by hand on a few codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peelstat.demo.warehouse import load_tables
from peelstat.measures.compile import compute_measures
from peelstat.sources import get_source
from peelstat.sources.offence_weights import THIRD_PARTY_CSS
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_source

QUARTERS = [dt.date(2017, 6, 30), dt.date(2017, 9, 30), dt.date(2017, 12, 31), dt.date(2018, 3, 31)]
# code: (group, offences per quarter); weights as in the ONS CSS derivation (SOURCES.md)
OFFENCES = {
    "28E": ("Theft offences", 10),  # residential burglary, 465.38
    "34B": ("Robbery", 2),  # robbery of personal property, 799.63
    "8N": ("Violence against the person", 5),  # assault with injury, 189.15
    "105A": ("Violence against the person", 20),  # assault without injury, 13.51
    "99Z": ("Miscellaneous crimes", 3),  # no weight in the table below
}
WEIGHTS = "offence_code,weight,offence_description\n28E,465.38,Residential burglary\n"
WEIGHTS += "34B,799.63,Robbery of personal property\n8N,189.15,Assault with injury\n"
WEIGHTS += "105A,13.51,Assault without injury\n"
RESIDENTS = 100_000
SCORES = ["crime_severity_score", "crime_severity_violent", "crime_severity_property"]


def recorded_crime() -> pd.DataFrame:
    rows = [
        {
            "force": "dorset",
            "financial_year": "2017/18",
            "financial_quarter": i + 1,
            "period_end": end,
            "offence_code": code,
            "offence_description": code,
            "offence_group": group,
            "offence_subgroup": group,
            "offences": n,
            "source_file": "hand.csv",
            "source_line": 2 + i,
        }
        for i, end in enumerate(QUARTERS)
        for code, (group, n) in OFFENCES.items()
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def con(tmp_path: Path):
    con = connect(str(tmp_path / "w.duckdb"))
    population = pd.DataFrame(
        {"force": ["dorset"], "year": [2017], "residents": [RESIDENTS], "households": [40_000]}
    ).assign(source_file="p.csv", source_line=2)
    load_tables(con, {"recorded_crime": recorded_crime(), "population": population})
    return con


def scores(con) -> pd.DataFrame:
    frame = compute_measures(con, SCORES, start="2018-03", forces=["dorset"], national=False)
    return frame.set_index("measure")


def test_no_weights_loaded_gives_no_score_and_says_so(con) -> None:
    frame = scores(con)
    assert frame["value"].isna().all()  # never a score of 0
    assert frame["definition_note"].str.contains("no offence weights loaded").all()


def test_score_is_offences_times_weight_over_residents_by_hand(con, tmp_path: Path) -> None:
    path = tmp_path / "my-weights.csv"
    path.write_text(WEIGHTS)
    report = load_source(con, get_source("offence-weights"), [path])
    assert report.units[0].rows_loaded == 4
    frame = scores(con)
    year = 4  # quarters in the window
    overall = year * (10 * 465.38 + 2 * 799.63 + 5 * 189.15 + 20 * 13.51) / RESIDENTS
    violent = year * (2 * 799.63 + 5 * 189.15 + 20 * 13.51) / RESIDENTS
    property_ = year * 10 * 465.38 / RESIDENTS
    assert frame.loc["crime_severity_score", "value"] == pytest.approx(overall)
    assert frame.loc["crime_severity_violent", "value"] == pytest.approx(violent)
    assert frame.loc["crime_severity_property", "value"] == pytest.approx(property_)
    # 99Z has no weight: listed where it matters, not silently dropped
    assert frame.loc["crime_severity_score", "definition_note"] == (
        "weighted by weights from my-weights.csv; offence codes with no weight, "
        "left out of the score: 99Z"
    )
    assert frame.loc["crime_severity_violent", "definition_note"] == (
        "weighted by weights from my-weights.csv"
    )


def test_weights_are_replaced_by_the_next_table_loaded(con, tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(WEIGHTS)
    second.write_text("offence_code,weight,weights_label\n28E,1,flat\n34B,1,flat\n")
    load_source(con, get_source("offence-weights"), [first])
    load_source(con, get_source("offence-weights"), [second])
    frame = scores(con)
    assert frame.loc["crime_severity_property", "value"] == pytest.approx(4 * 10 / RESIDENTS)
    note = frame.loc["crime_severity_score", "definition_note"]
    assert (
        note
        == "weighted by flat; offence codes with no weight, left out of the score: 105A, 8N, 99Z"
    )


def test_bad_weights_are_rejected_with_their_line(con, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("offence_code,weight\n28E,465.38\n34B,-1\n8N,lots\n28E,465.38\n")
    report = load_source(con, get_source("offence-weights"), [path])
    assert (report.units[0].rows_loaded, report.units[0].rows_rejected) == (1, 3)
    reasons = con.table("rejected_rows").to_pandas().set_index("line")["reason"]
    assert reasons[3] == "weight is negative: -1.0"
    assert reasons[4] == "weight is not a number: 'lots'"
    assert reasons[5].startswith("repeats line 2")


@pytest.mark.realdata
def test_third_party_derivation_loads_labelled_as_such(con, shared_data: Path) -> None:
    path = shared_data / "derived" / "css_weights" / "DEPRECATED-severity_codes.csv"
    report = load_source(con, get_source("offence-weights"), [path])
    weights = con.table("offence_weights").to_pandas().set_index("offence_code")
    assert set(weights["weights_label"]) == {THIRD_PARTY_CSS}
    assert report.units[0].rows_rejected == 1  # 4.1 is listed twice, with the same weight
    expected = {"28E": 465.38, "34B": 799.63, "8N": 189.15, "105A": 13.51}
    for code, weight in expected.items():
        assert weights.loc[code, "weight"] == pytest.approx(weight, abs=0.005)
    frame = scores(con)
    by_hand = 4 * sum(
        n * weights.loc[code, "weight"] for code, (_, n) in OFFENCES.items() if code != "99Z"
    )
    assert frame.loc["crime_severity_score", "numerator"] == pytest.approx(by_hand)
    assert np.isfinite(frame["value"]).all()
