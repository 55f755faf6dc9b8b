"""Fixtures for the inspection toolkit: a records store on every engine, a small warehouse."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import ibis
import pandas as pd
import pytest
from ibis.backends import BaseBackend

from peelstat.inspection.records import Account, RecordsStore

POSTGRES_ENV = "PEELSTAT_TEST_POSTGRES_URL"
FORCE = "avon-and-somerset"
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


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[RecordsStore]:
    store = RecordsStore(tmp_path / "inspection.sqlite")
    yield store
    store.close()


@pytest.fixture
def postgres_store() -> Iterator[RecordsStore]:
    """A store in a fresh schema of the test server, dropped afterwards."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set: start a server with .ci/postgres.sh")
    from sqlalchemy import create_engine, text

    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'create schema "{schema}"'))
    separator = "&" if "?" in url else "?"
    store = RecordsStore(f"{url}{separator}options=-csearch_path%3D{schema}")
    yield store
    store.close()
    with admin.begin() as connection:
        connection.execute(text(f'drop schema "{schema}" cascade'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest) -> RecordsStore:
    """The records store on SQLite and, when a server is configured, on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture
def reviewer(store: RecordsStore) -> Account:
    """A reviewer account, "A. Reviewer" (added by the lead account "L. Lead")."""
    lead = store.create_account("L. Lead", "lead password 1", "lead")
    return store.create_account("A. Reviewer", "reviewer password 1", by=lead)


def street_rows() -> pd.DataFrame:
    """240 crimes over three months for the force, 20 for a neighbour, and 10 ASB rows."""
    rows = []
    for i in range(240):
        rows.append(
            {
                "crime_id": f"c{i:04d}",
                "month": date(2022, 1 + i % 3, 1),
                "force": FORCE,
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
                "force": FORCE,
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
            "force": FORCE,
            "outcome_category": "Suspect charged",
            "source_line": i,
        }
        for i in range(3, 240, 4)
    ]
    rows.append(
        {
            "crime_id": "c0001",
            "month": date(2022, 5, 1),
            "force": FORCE,
            "outcome_category": "Under investigation",
            "source_line": 1,
        }
    )
    rows.append(
        {
            "crime_id": "c0001",
            "month": date(2022, 7, 1),
            "force": FORCE,
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
                    "force": FORCE,
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
