"""Sources are found through the ``peelstat.sources`` entry points, built-in and plug-in alike,
and each declares the warehouse tables it writes and how measures read them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from peelstat.catalogue.parsing import parse_measure
from peelstat.catalogue.source_specs import measure_sources
from peelstat.sources import get_source, registered_sources, source_class, source_tables
from peelstat.sources.contract import PROVENANCE, WarehouseTable
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_source
from peelstat.warehouse.tables import warehouse_schemas

BUILT_IN = {
    "police-uk": ["police_uk_street", "police_uk_outcomes", "police_uk_stop_search"],
    "home-office": ["recorded_crime"],
    "home-office-rolling": ["recorded_crime_rolling"],
    "crime-outcomes": ["crime_outcomes"],
    "population": ["population"],
    "call-answering": ["call_answering"],
    "local": ["local_observations"],
    "offence-weights": ["offence_weights"],
    "ons-pfa-tables": ["ons_pfa_recorded_crime", "ons_pfa_population"],
}
NOT_READ_BY_MEASURES = {
    "population",
    "offence_weights",
    "ons_pfa_recorded_crime",
    "ons_pfa_population",
}

PLUGIN = '''
"""A third-party source, as another package would ship it."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyarrow as pa

from peelstat.sources.base import Parsed, SourceFile
from peelstat.sources.contract import SourceSpec, WarehouseTable

FINES = WarehouseTable(
    "parking_fines",
    {"force": "string", "month": "date", "fines": "int64"},
    SourceSpec("parking_fines", "month", "month", "fines", {}),
)


class ParkingFines:
    name = "parking-fines"
    title = "Parking fines by force and month"
    tables = (FINES,)

    def discover(self, paths):
        return [SourceFile(f"parking-fines/{Path(p).stem}", FINES.name, Path(p)) for p in paths]

    def parse(self, unit):
        with unit.path.open() as lines:
            rows = list(csv.DictReader(lines))
        return Parsed(
            pa.table(
                {
                    "force": [r["force"] for r in rows],
                    "month": [dt.date.fromisoformat(r["month"]) for r in rows],
                    "fines": [int(r["fines"]) for r in rows],
                    "source_line": list(range(2, len(rows) + 2)),
                },
                schema=pa.schema(
                    [("force", pa.string()), ("month", pa.date32()), ("fines", pa.int64()),
                     ("source_line", pa.int64())]
                ),
            )
        )
'''


def forget_registrations() -> None:
    """Registrations are read once per process; a test that installs a package re-reads them."""
    for cached in (registered_sources, source_tables, warehouse_schemas):
        cached.cache_clear()


def install_fake_distribution(folder: Path, entry_points: str, module: str | None) -> None:
    """What pip leaves on sys.path for a package: its module and a dist-info folder."""
    if module is not None:
        (folder / "parking_fines_plugin.py").write_text(module)
    info = folder / "parking_fines_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: parking-fines-plugin\nVersion: 1.0\n"
    )
    (info / "entry_points.txt").write_text(f"[peelstat.sources]\n{entry_points}\n")


@pytest.fixture
def plugin_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    forget_registrations()
    yield folder
    monkeypatch.undo()
    sys.modules.pop("parking_fines_plugin", None)
    forget_registrations()


def test_built_in_sources_are_registered_as_entry_points() -> None:
    points = registered_sources()
    assert set(BUILT_IN) <= set(points)
    for name in BUILT_IN:
        assert points[name].module.startswith("peelstat.sources.")
        assert get_source(name).name == name


def test_every_built_in_source_declares_its_schema_and_spec() -> None:
    for name, tables in BUILT_IN.items():
        declared = source_class(name).tables  # type: ignore[attr-defined]
        assert [t.name for t in declared] == tables
        for table in declared:
            assert isinstance(table, WarehouseTable)
            assert table.schema.names[-2:] == tuple(PROVENANCE)
            assert warehouse_schemas()[table.name] == table.schema
            if table.name in NOT_READ_BY_MEASURES:
                assert table.spec is None
            else:
                assert table.spec is not None and table.spec.table == table.name
                assert measure_sources()[table.name] is table.spec
                assert table.spec.date_column in table.columns
                assert set(table.spec.filters.values()) <= set(table.columns)
    readable = {t for ts in BUILT_IN.values() for t in ts} - NOT_READ_BY_MEASURES
    assert set(measure_sources()) == readable | {"recorded_crime_severity"}
    severity = measure_sources()["recorded_crime_severity"]
    assert severity.table == "recorded_crime" and severity.weights == "offence_weights"
    assert {"load_log", "rejected_rows"} <= set(warehouse_schemas())


def test_a_third_party_source_is_found_loaded_and_readable_by_measures(
    plugin_folder: Path, tmp_path: Path
) -> None:
    entry = "parking-fines = parking_fines_plugin:ParkingFines"
    install_fake_distribution(plugin_folder, entry, PLUGIN)
    assert "parking-fines" in registered_sources() and "police-uk" in registered_sources()
    con = connect(tmp_path / "w.duckdb")
    assert "parking_fines" in con.list_tables()  # its table is created like a built-in's
    export = tmp_path / "fines.csv"
    export.write_text("force,month,fines\nkent,2024-01-01,12\ndorset,2024-01-01,5\n")
    report = load_source(con, get_source("parking-fines"), [export])
    assert report.count("loaded") == 1
    rows = con.raw_sql(
        "SELECT force, fines, source_file, source_line FROM parking_fines ORDER BY source_line"
    ).fetchall()
    assert rows == [("kent", 12, "parking-fines/fines", 2), ("dorset", 5, "parking-fines/fines", 3)]
    assert measure_sources()["parking_fines"].count_column == "fines"
    measure = parse_measure(
        {"id": "fines", "title": "Parking fines", "source": "parking_fines", "numerator": {},
         "denominator": "residents", "unit": "per_1000_residents", "lower_is_better": True},
        file="mine.yaml",
    )  # fmt: skip
    assert measure.source_spec.grain == "month"


def test_a_broken_plugin_is_left_out_with_a_warning(plugin_folder: Path) -> None:
    install_fake_distribution(plugin_folder, "broken = no_such_module:Nothing", module=None)
    assert "broken" in registered_sources()
    with pytest.warns(UserWarning, match="'broken'.*left out"):
        tables = source_tables()
    assert set(tables) == {t for ts in BUILT_IN.values() for t in ts}
