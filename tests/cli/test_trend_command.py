"""``peelstat trend``: the series as a table, the signals in words, and the outlook."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from peelstat.cli.main import app


def test_trend_command_prints_signals_and_outlook(demo_warehouse: Path) -> None:
    args = ["trend", "--force", "Avon & Somerset", "-m", "police_uk_robbery", "--period",
            "2018-12", "--months", "24", "--warehouse", str(demo_warehouse)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "XmR chart" in result.output and "Outlook (95% prediction interval)" in result.output
    assert "Signals" in result.output or "No signal" in result.output
    data = json.loads(CliRunner().invoke(app, [*args, "--json"]).output)
    assert data["measure"]["id"] == "police_uk_robbery" and len(data["points"]) == 24
    assert {"centre", "lower", "upper", "signal"} <= set(data["points"][0])
    assert data["points"][0]["period_end"] == "2017-01-31"  # an ISO date, not a timestamp
