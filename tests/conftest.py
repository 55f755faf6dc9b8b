"""Fixtures every test folder may use: the real public data extracts, and a fresh warehouse."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import ibis
import pandas as pd
import pytest
from hypothesis import settings
from ibis.backends import BaseBackend

from peelstat.demo.warehouse import load_tables, warehouse_tables
from peelstat.warehouse.connect import connect

REPO = Path(__file__).resolve().parents[1]

# The machine running the suite is shared (2 cores, other jobs): time-based deadlines would
# fail examples for being slow, not wrong. Properties are still checked on every example.
settings.register_profile("peelstat", deadline=None)
settings.load_profile("peelstat")


def shared_data_dir() -> Path:
    """``$PEELSTAT_SHARED_DATA``, else ``../shared/data`` beside the repository."""
    return Path(os.environ.get("PEELSTAT_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real extracts; tests that need them skip, saying why, when they are absent."""
    folder = shared_data_dir()
    if not (folder / "police_uk").is_dir():
        pytest.skip(f"real data extracts not found at {folder} (set PEELSTAT_SHARED_DATA)")
    return folder


def check_snapshot(path: Path, text: str) -> None:
    """``text`` must equal the snapshot at ``path``; ``PEELSTAT_UPDATE_SNAPSHOTS=1`` rewrites it.

    A missing snapshot fails (with how to write it): a test that writes its own expectation
    on first run can never fail.
    """
    if os.environ.get("PEELSTAT_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if not path.exists():
        pytest.fail(
            f"no snapshot at {path}: review the output and run with PEELSTAT_UPDATE_SNAPSHOTS=1"
        )
    assert text == path.read_text(encoding="utf-8"), f"differs from {path}"


@pytest.fixture
def snapshot() -> Callable[[Path, str], None]:
    """Compare text with a reviewed snapshot file (see :func:`check_snapshot`)."""
    return check_snapshot


@pytest.fixture
def warehouse_path(tmp_path: Path) -> Path:
    """Path for a throwaway DuckDB warehouse file."""
    return tmp_path / "warehouse.duckdb"


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the user's ~/.peelstat: defaults point into a temporary folder."""
    home = tmp_path_factory.mktemp("peelstat-home")
    monkeypatch.setenv("PEELSTAT_WAREHOUSE", str(home / "warehouse.duckdb"))
    monkeypatch.setenv("PEELSTAT_STORE", f"sqlite:///{home / 'inspection.sqlite'}")
    # compiled measure SQL is shared by the tests of one run, never kept in the user's home
    monkeypatch.setenv("PEELSTAT_SQL_CACHE", str(tmp_path_factory.getbasetemp() / "sql-cache"))


# ---- police.uk archive files written by tests (owned by the police.uk source) ----------------

POLICE_UK_NAMES = {
    "kent": "Kent Police",
    "essex": "Essex Police",
    "avon-and-somerset": "Avon and Somerset Constabulary",
    "northern-ireland": "Police Service of Northern Ireland",
}


class PoliceUkFiles:
    """Small police.uk files in the real layout, written under one folder for a test."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @staticmethod
    def street_rows(month: str, force: str, n: int, start: int = 0) -> list[list[str]]:
        """``n`` street rows; every third is anti-social behaviour (empty Crime ID)."""
        name = POLICE_UK_NAMES.get(force, force.title())
        rows = []
        for i in range(start, start + n):
            asb = i % 3 == 0
            rows.append(
                [
                    "" if asb else f"{i:064x}",
                    month,
                    name,
                    name,
                    f"{-0.5 + i % 1000 / 1000:.6f}",
                    f"{51.2 + i % 1000 / 1000:.6f}",
                    f"On or near Street {i}",
                    f"E0100{i:04d}",
                    f"Area {i:03d}A",
                    "Anti-social behaviour" if asb else "Burglary",
                    "" if asb else "Under investigation",
                    "",
                ]
            )
        return rows

    @staticmethod
    def outcome_rows(month: str, force: str, crime_ids: list[str]) -> list[list[str]]:
        name = POLICE_UK_NAMES.get(force, force.title())
        return [
            [cid, month, name, name, "", "", "No location", "", "", "Unable to prosecute suspect"]
            for cid in crime_ids
        ]

    @staticmethod
    def stop_search_rows(month: str, n: int) -> list[list[str]]:
        rows = []
        for i in range(n):
            rows.append(
                [
                    "Person search",
                    f"{month}-{i % 28 + 1:02d}T12:{i % 60:02d}:00+00:00",
                    ["True", "False", ""][i % 3],
                    "",
                    "51.5",
                    "-0.1",
                    "Male",
                    "18-24",
                    "",
                    ["White", "Black", "Asian", "Other", "Mixed"][i % 5],
                    "Misuse of Drugs Act 1971 (section 23)",
                    "Controlled drugs",
                    "Arrest",
                    ["True", "False", ""][(i + 1) % 3],
                    "False",
                ]
            )
        return rows

    def write(
        self,
        kind: str,
        month: str,
        force: str,
        rows: list[list[str]],
        header: list[str] | None = None,
        folder: str = "extracted",
        name: str | None = None,
    ) -> Path:
        """Write ``<folder>/YYYY-MM/YYYY-MM-<force>-<kind>.csv`` (or ``name``) and return it."""
        import csv
        import io

        from peelstat.sources.police_uk import KINDS

        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(header if header is not None else KINDS[kind].header)
        writer.writerows(rows)
        path = self.root / folder / month / (name or f"{month}-{force}-{kind}.csv")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.getvalue(), encoding="utf-8")
        return path

    def zip(self, folder: str = "extracted", name: str = "archive.zip") -> Path:
        """Zip a folder the way data.police.uk does (entries ``YYYY-MM/<file>.csv``)."""
        import zipfile

        source = self.root / folder
        target = self.root / name
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(source.rglob("*.csv")):
                archive.write(path, path.relative_to(source).as_posix())
        return target


@pytest.fixture
def police_uk_files(tmp_path: Path) -> PoliceUkFiles:
    """Write police.uk files for a test: street, outcomes, stop and search, zipped or not."""
    return PoliceUkFiles(tmp_path / "police_uk")


# ---- a small warehouse for the inspection toolkit (samples, cdi), shared with tests/cli ----

INSPECTED_FORCE = "avon-and-somerset"
CATEGORIES = [
    "Unable to prosecute suspect",  # 14/15/16
    "Further investigation is not in the public interest",  # 21
    "Investigation complete; no suspect identified",  # 18
    "Under investigation",  # no outcome yet
]
MAPPING = {
    "Unable to prosecute suspect": ("14", "15", "16"),
    "Further investigation is not in the public interest": ("21",),
    "Investigation complete; no suspect identified": ("18",),
    "Suspect charged": ("1",),
}


def street_rows() -> pd.DataFrame:
    """240 crimes over three months for the force, 20 for a neighbour, and 10 ASB rows."""
    rows = []
    for i in range(240):
        rows.append(
            {
                "crime_id": f"c{i:04d}",
                "month": date(2022, 1 + i % 3, 1),
                "force": INSPECTED_FORCE,
                "crime_type": ["Violence and sexual offences", "Burglary", "Shoplifting"][i % 3],
                "last_outcome_category": CATEGORIES[i % 4],
                "location": f"On or near Street {i}",
                "lsoa_name": f"Bristol {i % 30:03d}A",
            }
        )
    for i in range(20):
        rows.append(
            {
                "crime_id": f"w{i:04d}",
                "month": date(2022, 1, 1),
                "force": "wiltshire",
                "crime_type": "Burglary",
                "last_outcome_category": CATEGORIES[0],
                "location": "On or near Nowhere",
                "lsoa_name": "Swindon 001A",
            }
        )
    for _ in range(10):
        rows.append(
            {
                "crime_id": "",
                "month": date(2022, 1, 1),
                "force": INSPECTED_FORCE,
                "crime_type": "Anti-social behaviour",
                "last_outcome_category": "",
                "location": "On or near Park",
                "lsoa_name": "Bristol 001A",
            }
        )
    # the same crime again in a later file (a duplicate must not be drawn twice)
    rows.append({**rows[0], "month": date(2022, 2, 1)})
    frame = pd.DataFrame(rows)
    frame["reported_by"] = frame["falls_within"] = "Avon and Somerset Constabulary"
    frame["longitude"] = frame["latitude"] = 0.0
    frame["lsoa_code"] = "E01000001"
    frame["context"] = ""
    frame["source_file"] = "street.csv"
    frame["source_line"] = range(2, len(frame) + 2)
    return frame


def outcome_rows() -> pd.DataFrame:
    """Later outcomes: crimes c0003, c0007 ... (under investigation) were later charged."""
    rows = [
        {
            "crime_id": f"c{i:04d}",
            "month": date(2022, 6, 1),
            "force": INSPECTED_FORCE,
            "outcome_category": "Suspect charged",
            "source_line": i,
        }
        for i in range(3, 240, 4)
    ]
    rows.append(
        {
            "crime_id": "c0001",
            "month": date(2022, 5, 1),
            "force": INSPECTED_FORCE,
            "outcome_category": "Under investigation",
            "source_line": 1,
        }
    )
    rows.append(
        {
            "crime_id": "c0001",
            "month": date(2022, 7, 1),
            "force": INSPECTED_FORCE,
            "outcome_category": "Unable to prosecute suspect",
            "source_line": 1,
        }
    )
    frame = pd.DataFrame(rows)
    for column in ("reported_by", "falls_within", "location", "lsoa_code", "lsoa_name"):
        frame[column] = ""
    frame["longitude"] = frame["latitude"] = 0.0
    frame["source_file"] = "outcomes.csv"
    return frame


def recorded_crime_rows() -> pd.DataFrame:
    """Home Office recorded crime for 2021/22 (and one quarter of 2022/23) with fraud rows."""
    groups = {
        "Violence against the person": 13_000,
        "Sexual offences": 1_400,
        "Theft offences": 20_000,
        "Fraud offences": 900,
    }
    rows = []
    quarters = [
        (2021, 6, 30, "2021/22", 1),
        (2021, 9, 30, "2021/22", 2),
        (2021, 12, 31, "2021/22", 3),
        (2022, 3, 31, "2021/22", 4),
        (2022, 6, 30, "2022/23", 1),
    ]
    for year, month, day, financial_year, quarter in quarters:
        for group, offences in groups.items():
            rows.append(
                {
                    "force": INSPECTED_FORCE,
                    "financial_year": financial_year,
                    "financial_quarter": quarter,
                    "period_end": date(year, month, day),
                    "offence_code": group[:3],
                    "offence_description": group,
                    "offence_group": group,
                    "offence_subgroup": group,
                    "offences": offences,
                    "source_file": "rc.csv",
                    "source_line": len(rows) + 2,
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture
def outcome_mapping() -> dict[str, tuple[str, ...]]:
    """police.uk category → Home Office outcome types, as the reference table has it."""
    return dict(MAPPING)


@pytest.fixture(scope="session")
def warehouse_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB warehouse file holding the three tables the toolkit reads (built once, closed)."""
    path = tmp_path_factory.mktemp("inspection") / "warehouse.duckdb"
    con = ibis.duckdb.connect(str(path))
    con.create_table("police_uk_street", street_rows())
    con.create_table("police_uk_outcomes", outcome_rows())
    con.create_table("recorded_crime", recorded_crime_rows())
    con.disconnect()
    return path


@pytest.fixture
def warehouse(warehouse_file: Path) -> Iterator[BaseBackend]:
    con = ibis.duckdb.connect(str(warehouse_file))
    yield con
    con.disconnect()


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small SYNTHETIC warehouse file: all forces, 30 months from July 2016, every table."""
    path = tmp_path_factory.mktemp("measures") / "warehouse.duckdb"
    con = connect(str(path))
    load_tables(con, warehouse_tables(first_month="2016-07", months=30))
    con.disconnect()
    return path
