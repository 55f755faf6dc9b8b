"""Settings: every default follows PEELSTAT_HOME; a variable beats the default, an option beats both."""

from __future__ import annotations

from pathlib import Path

import pytest

from peelstat.inspection.records_connection import store_url
from peelstat.settings import downloads_folder, police_uk_url, store_location, warehouse_location
from peelstat.workspace import Workspace


def test_peelstat_home_moves_every_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("PEELSTAT_WAREHOUSE", "PEELSTAT_STORE", "PEELSTAT_DOWNLOADS"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PEELSTAT_HOME", str(tmp_path))
    assert warehouse_location() == str(tmp_path / "warehouse.duckdb")
    assert store_location() == str(tmp_path / "inspection.sqlite")
    assert store_url() == f"sqlite:///{tmp_path / 'inspection.sqlite'}"
    assert downloads_folder() == tmp_path / "downloads" / "police-uk"
    workspace = Workspace()
    assert workspace.location == str(tmp_path / "warehouse.duckdb")
    assert workspace.store_location == str(tmp_path / "inspection.sqlite")


def test_a_variable_beats_the_default_and_an_option_beats_both(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PEELSTAT_WAREHOUSE", "/data/w.duckdb")
    monkeypatch.setenv("PEELSTAT_POLICE_UK_URL", "http://127.0.0.1:9/archive/")
    assert warehouse_location() == "/data/w.duckdb"
    assert warehouse_location("other.duckdb") == "other.duckdb"
    assert police_uk_url() == "http://127.0.0.1:9/archive/"
