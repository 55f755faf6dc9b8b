"""Crime data integrity on the real Home Office 2017/18 table, through the real command."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peelstat.cli.main import app

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


def test_cdi_scales_recorded_crime_excluding_fraud_from_the_real_table(
    shared_data: Path, warehouse_path: Path
) -> None:
    path = shared_data / "home_office" / "prc-pfa-mar2013-onwards-tables201718.csv"
    with path.open(newline="") as handle:
        expected = sum(
            int(row["Number of Offences"])
            for row in csv.DictReader(handle)
            if row["Force Name"] == "Avon and Somerset" and row["Offence Group"] != "Fraud offences"
        )
    runner = CliRunner()
    loaded = runner.invoke(app, ["load", "home-office", str(path), "-w", str(warehouse_path)])
    assert loaded.exit_code == 0, loaded.output
    args = ["cdi", "--force", "Avon and Somerset", "--rate", "0.914", "--moe", "0.026"]
    result = runner.invoke(
        app, [*args, "--audit-end", "2018-03", "-w", str(warehouse_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["recorded"] == expected == 140_071
    assert data["unrecorded"] == pytest.approx(expected * (1 / 0.914 - 1))
    assert "quarters ending 2017-06-30, 2017-09-30, 2017-12-31, 2018-03-31" in data["recorded_from"]
