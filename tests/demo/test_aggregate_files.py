"""`peelstat demo` fills every priority: SYNTHETIC Home Office and 999 tables written as the
files their loaders read, loaded through those loaders, traceable like any other file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from peelstat.demo import aggregate_tables
from peelstat.demo.aggregate_files import as_file, write_aggregate_files
from peelstat.demo.archives import demo_months
from peelstat.sources import source_class
from peelstat.workspace import Workspace

FORCES = ["avon-and-somerset", "kent", "Hampshire Constabulary"]  # any spelling, as the CLI


def test_the_files_load_back_to_the_generated_rows(tmp_path: Path) -> None:
    """Each file, loaded by its source, gives exactly the rows generated (nothing rejected)."""
    months = demo_months(15)
    files = write_aggregate_files(tmp_path / "files", months, FORCES, seed=3)
    assert sorted(files) == [
        "call-answering",
        "crime-outcomes",
        "home-office",
        "home-office-rolling",
    ]
    ws = Workspace(tmp_path / "w.duckdb")
    report = ws.load("home-office", [files["home-office"]])
    assert report.rows_rejected == 0
    loaded = ws.con.table("recorded_crime").to_pandas()
    assert set(loaded["force"]) == {"avon-and-somerset", "kent", "hampshire"}
    quarter_ends = sorted(pd.to_datetime(loaded["period_end"]).dt.strftime("%Y-%m").unique())
    assert quarter_ends == [m for m in months if int(m[-2:]) % 3 == 0]  # whole quarters only
    shown = pd.read_csv(files["home-office"])
    assert "Number of Offences" in shown.columns and "Avon and Somerset" in set(shown["Force Name"])
    assert int(shown["Number of Offences"].sum()) == int(loaded["offences"].sum())
    ws.close()


def test_as_file_uses_the_loaders_own_headings() -> None:
    import datetime as dt

    import numpy as np

    frame = aggregate_tables.call_answering(
        ["kent"], [dt.date(2023, 1, 1)], np.random.default_rng(0)
    )
    file = as_file("call-answering", frame)
    accepted = {c.spellings[0] for c in source_class("call-answering").columns}  # type: ignore[attr-defined]
    assert set(file.columns) <= accepted and list(file["force"]) == ["Kent"]


def test_the_demo_report_has_recorded_crime_with_its_file(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "demo" / "warehouse.duckdb")
    report = ws.load_demo(months=15, forces=FORCES)
    sources = {u.file.split("/")[0] for u in report.units}
    assert sources == {"police-uk", "home-office", "home-office-rolling", "crime-outcomes",
                       "call-answering"}  # fmt: skip
    table = ws.report_table("kent", "2023-12", ["homicide", "police_uk_robbery"])
    homicide = next(r for r in table.rows if r.measure == "homicide")
    assert homicide.value > 0 and "/3 (" in homicide.msg_rank  # ranked among the 3 forces loaded
    files = {t.table: t for t in table.sources.tables}["recorded_crime"]
    assert files.files >= 1 and table.sources.synthetic
    ws.close()
