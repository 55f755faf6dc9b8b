"""The order units are written in: each folder or archive together, its heaviest table first,
a table's units side by side (so they combine into one insert), nothing lost or repeated."""

from __future__ import annotations

import itertools

from peelstat.sources.police_uk import PoliceUkArchive
from peelstat.warehouse.loading import in_load_order
from peelstat.warehouse.writers import place_of


def _tables_by_place(units) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """(place, its tables in order, one entry per run of units of a table) for each run of
    units from one place: a table split in two, or a place met twice, shows as a repeat."""
    runs = []
    for place, run in itertools.groupby(units, key=place_of):
        tables = [table for table, _ in itertools.groupby(u.table for u in run)]
        runs.append((place.name, tables))
    return runs


def test_folders_heaviest_table_first_each_folder_together(police_uk_files) -> None:  # type: ignore[no-untyped-def]
    files = police_uk_files
    # January: stop and search is the heaviest table, street the lightest
    for force in ("kent", "essex"):
        files.write("street", "2019-01", force, files.street_rows("2019-01", force, 3))
        files.write(
            "outcomes",
            "2019-01",
            force,
            files.outcome_rows("2019-01", force, [f"{i:064x}" for i in range(30)]),
        )
        files.write("stop-and-search", "2019-01", force, files.stop_search_rows("2019-01", 200))
    # February: street heaviest, stop and search lightest
    files.write("street", "2019-02", "kent", files.street_rows("2019-02", "kent", 300))
    files.write("stop-and-search", "2019-02", "kent", files.stop_search_rows("2019-02", 2))
    source = PoliceUkArchive()
    units = source.discover([files.root / "extracted"])
    ordered = in_load_order(units)
    assert sorted(u.name for u in ordered) == sorted(u.name for u in units)  # none lost or doubled
    assert _tables_by_place(ordered) == [
        ("2019-01", ["police_uk_stop_search", "police_uk_outcomes", "police_uk_street"]),
        ("2019-02", ["police_uk_street", "police_uk_stop_search"]),
    ]  # each folder once (a run per folder), each table's units side by side within it


def test_an_archive_is_ordered_by_its_members_uncompressed_sizes(police_uk_files) -> None:  # type: ignore[no-untyped-def]
    files = police_uk_files
    # the zip lists stop and search first (by name); street holds more bytes
    files.write("street", "2019-01", "kent", files.street_rows("2019-01", "kent", 400))
    files.write("stop-and-search", "2019-01", "kent", files.stop_search_rows("2019-01", 2))
    archive = files.zip()
    discovered = PoliceUkArchive().discover([archive])
    assert [u.table for u in discovered] == ["police_uk_stop_search", "police_uk_street"]
    ordered = in_load_order(discovered)
    assert [u.table for u in ordered] == ["police_uk_street", "police_uk_stop_search"]
    assert {place_of(u) for u in ordered} == {archive}
