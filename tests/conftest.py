"""Fixtures every test folder may use: the real public data extracts, and a fresh warehouse."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


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
