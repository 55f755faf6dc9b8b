"""Real data.police.uk archives: every CSV line of every file is loaded, and counted once.

The expected counts come from Python's csv module reading the zip members directly, so they
do not depend on anything peelstat does.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from peelstat.sources.police_uk import FILE_NAME, PoliceUkArchive
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_source

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

MONTHS = ["2018-10", "2019-01"]
TABLES = {
    "street": "police_uk_street",
    "outcomes": "police_uk_outcomes",
    "stop-and-search": "police_uk_stop_search",
}


def _csv_counts(archive: Path) -> Counter[tuple[str, str, str]]:
    """(force, month, kind) → data rows, counted with the csv module."""
    counts: Counter[tuple[str, str, str]] = Counter()
    with zipfile.ZipFile(archive) as z:
        for member in z.namelist():
            found = FILE_NAME.match(Path(member).name)
            if found is None:
                continue
            text = io.TextIOWrapper(z.open(member), encoding="utf-8-sig", newline="")
            rows = sum(1 for _ in csv.reader(text)) - 1
            counts[(found["force"], found["month"], found["kind"])] = rows
    return counts


@pytest.fixture(scope="module")
def loaded(shared_data):
    archives = [shared_data / "police_uk" / "archive" / f"{m}.zip" for m in MONTHS]
    missing = [a for a in archives if not a.exists()]
    if missing:
        pytest.skip(f"real police.uk archives not found: {missing}")
    con = connect(":memory:")  # the same loading path; spares the disk on a shared machine
    source = PoliceUkArchive()
    report = load_source(con, source, archives)
    source.close()
    expected: Counter[tuple[str, str, str]] = Counter()
    for archive in archives:
        expected.update(_csv_counts(archive))
    yield con, report, expected, archives
    con.disconnect()


def test_rows_per_force_month_and_kind_equal_the_csv_lines(loaded) -> None:
    con, report, expected, _ = loaded
    assert report.rows_rejected == 0
    found: Counter[tuple[str, str, str]] = Counter()
    for kind, table in TABLES.items():
        for force, month, rows in con.raw_sql(
            f"SELECT force, strftime(month, '%Y-%m'), count(*) FROM {table} GROUP BY ALL"
        ).fetchall():
            found[(force, month, kind)] = rows
    assert found == +expected
    assert sum(expected.values()) == report.rows_loaded


def test_known_figures_from_the_sources_list(loaded) -> None:
    con, _, expected, _ = loaded
    assert expected[("avon-and-somerset", "2018-10", "street")] == 15_075
    assert expected[("avon-and-somerset", "2019-01", "stop-and-search")] == 519
    street = con.raw_sql(
        "SELECT count(*), count(crime_id) FROM police_uk_street "
        "WHERE force = 'avon-and-somerset' AND month = DATE '2018-10-01'"
    ).fetchone()
    assert street[0] == 15_075 and 0 < street[1] < street[0]  # ASB rows have no Crime ID


def test_stop_and_search_2019_01(loaded) -> None:
    con, _, expected, _ = loaded
    wanted = {k[0]: v for k, v in expected.items() if k[1:] == ("2019-01", "stop-and-search")}
    got = dict(
        con.raw_sql(
            "SELECT force, count(*) FROM police_uk_stop_search "
            "WHERE month = DATE '2019-01-01' GROUP BY force"
        ).fetchall()
    )
    assert got == wanted and len(got) >= 40
    dates = con.raw_sql(
        "SELECT count(*) FILTER (WHERE date IS NULL), year(min(date)) FROM police_uk_stop_search"
    ).fetchone()
    assert dates[0] == 0 and dates[1] in (2018, 2019)


def test_loading_again_changes_nothing(loaded) -> None:
    con, _, _, archives = loaded
    rows = con.raw_sql("SELECT count(*) FROM police_uk_street").fetchone()[0]
    again = load_source(con, PoliceUkArchive(), archives)
    assert again.count("skipped") == len(again.units) and again.rows_loaded == 0
    assert con.raw_sql("SELECT count(*) FROM police_uk_street").fetchone()[0] == rows
