"""Fixtures for the inspection toolkit: a records store on every engine, a small warehouse."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from peelstat.inspection.records import RecordsStore
from peelstat.inspection.records_types import Account

POSTGRES_ENV = "PEELSTAT_TEST_POSTGRES_URL"


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
