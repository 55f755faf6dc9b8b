"""The coverage ledger on the real police.uk files, against counts taken with the csv module;
and the find rate of forces that leave its field blank: not available, not 0%."""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from peelstat.measures.compile import compute_measures
from peelstat.reference import territorial_forces
from peelstat.sources.police_uk import FILE_NAME
from peelstat.warehouse.connect import connect
from peelstat.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

SEARCH_MONTHS = [f"2019-{m:02d}" for m in range(1, 13)]


def extract(shared: Path, target: Path) -> dict[tuple[str, str, str], Counter[str]]:
    """Street files of 2018-10 and stop and search files of 2019 into ``target``; per
    (kind, force, month) the csv module's counts of rows and of blank fields."""
    counts: dict[tuple[str, str, str], Counter[str]] = {}
    for month, kind in [("2018-10", "street"), *((m, "stop-and-search") for m in SEARCH_MONTHS)]:
        with zipfile.ZipFile(shared / "police_uk" / "archive" / f"{month}.zip") as archive:
            for member in archive.namelist():
                found = FILE_NAME.match(Path(member).name)
                if found is None or found["kind"] != kind:
                    continue
                data = archive.read(member)
                (target / Path(member).name).write_bytes(data)
                rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
                tally: Counter[str] = Counter(rows=len(rows))
                for row in rows:
                    tally["no_lsoa"] += not row.get("LSOA code", "x")
                    tally["linked_blank"] += not row.get("Outcome linked to object of search", "x")
                counts[(kind, found["force"], month)] = tally
    return counts


@pytest.fixture(scope="module")
def loaded(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("files")
    counts = extract(shared_data, folder)
    workspace = Workspace(str(tmp_path_factory.mktemp("w") / "warehouse.duckdb"))
    workspace.load("police-uk", [folder])
    ledger = {(r.table, r.force, r.period): r for r in workspace.coverage()}
    return workspace, counts, ledger


def test_ledger_counts_equal_the_csv_lines(loaded) -> None:
    _, counts, ledger = loaded
    tables = {"street": "police_uk_street", "stop-and-search": "police_uk_stop_search"}
    for (kind, force, month), tally in counts.items():
        row = ledger[(tables[kind], force, month)]
        assert row.rows == tally["rows"]
        if kind == "street":
            assert row.no_lsoa_share == pytest.approx(tally["no_lsoa"] / tally["rows"])
        elif tally["rows"]:
            share = tally["linked_blank"] / tally["rows"]
            assert row.outcome_linked_blank_share == pytest.approx(share)
    present = {(tables[k], f, m) for (k, f, m), t in counts.items() if t["rows"]}
    missing = {key for key, row in ledger.items() if row.missing}
    assert not present & missing


def test_forces_with_no_rows_at_all_are_missing_every_month(loaded) -> None:
    _, _, ledger = loaded
    street = {f for (t, f, _), r in ledger.items() if t == "police_uk_street" and r.missing}
    # SOURCES.md: no street files for these four, nor Lancashire or Northumbria in 2018-10
    assert street == {
        "greater-manchester", "metropolitan", "west-midlands", "west-yorkshire",
        "lancashire", "northumbria",
    }  # fmt: skip
    search = {
        (f, m) for (t, f, m), r in ledger.items() if t == "police_uk_stop_search" and r.missing
    }
    assert ("greater-manchester", "2019-07") in search and (
        "greater-manchester",
        "2019-06",
    ) not in search
    assert ("gwent", "2019-08") in search
    assert {m for f, m in search if f == "metropolitan"} == set(SEARCH_MONTHS[2:])
    assert {f for (t, f, _) in ledger if t == "police_uk_street"} >= set(territorial_forces())


def test_a_field_blank_in_every_row_gives_no_find_rate(loaded) -> None:
    workspace, counts, _ = loaded
    blank: Counter[str] = Counter()
    rows: Counter[str] = Counter()
    for (kind, force, _), tally in counts.items():
        if kind == "stop-and-search":
            blank[force] += tally["linked_blank"]
            rows[force] += tally["rows"]
    always = sorted(f for f in rows if rows[f] and blank[f] == rows[f])
    assert always == ["gwent", "humberside", "lancashire", "metropolitan"]  # every 2019 row
    con = connect(str(workspace.location))
    frame = compute_measures(con, ["stop_search_find_rate"], start="2019-12", national=False)
    found = frame.set_index("force")
    for force in always:
        assert math.isnan(found.loc[force, "value"]), force  # not 0%
        assert found.loc[force, "definition_note"].startswith(
            "not available: outcome linked to object of search is blank in every row"
        )
    # Merseyside leaves it blank in about three rows of four: a value, with the share noted
    share = round(100 * blank["merseyside"] / rows["merseyside"])
    assert found.loc["merseyside", "value"] > 0
    assert found.loc["merseyside", "definition_note"].startswith(
        f"outcome linked to object of search is blank in {share}% of this force's rows"
    )
    assert found.loc["avon-and-somerset", "value"] > 0
