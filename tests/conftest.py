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
