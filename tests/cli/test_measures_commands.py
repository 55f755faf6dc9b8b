"""``peelstat measures``, ``benchmark`` and ``msg`` through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from peelstat.cli.main import app

runner = CliRunner()


def test_measures_lists_the_catalogue_as_json() -> None:
    result = runner.invoke(app, ["measures", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["measures"]
    ids = {r["id"] for r in rows}
    assert {"residential_burglary", "stop_search_disparity_black", "anti_social_behaviour"} <= ids
    drugs = next(r for r in rows if r["id"] == "drug_trafficking")
    assert drugs["better"] == "higher"


def test_benchmark_prints_the_report_table(demo_warehouse: Path) -> None:
    args = ["benchmark", "--force", "Avon & Somerset", "--period", "2018-12",
            "-m", "homicide", "-m", "police_uk_burglary", "--warehouse", str(demo_warehouse)]  # fmt: skip
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert [r["measure"] for r in rows] == ["homicide", "police_uk_burglary"]
    assert rows[0]["msg_rank"].endswith("/8") and rows[0]["national_rank"].endswith("/43")
    table = runner.invoke(app, args)
    assert "MSG (published (HMICFRS))" in table.output
    csv = runner.invoke(app, [*args, "--csv"])
    assert csv.output.splitlines()[0].startswith("measure,title")


def test_msg_show_and_set(demo_warehouse: Path, tmp_path: Path) -> None:
    shown = runner.invoke(app, ["msg", "show", "--json", "--warehouse", str(demo_warehouse)])
    groups = {g["force"]: g for g in json.loads(shown.output)["groups"]}
    assert groups["avon-and-somerset"]["origin"] == "published (HMICFRS)"
    assert groups["dorset"]["origin"] == "derived, not official"
    csv = tmp_path / "groups.csv"
    csv.write_text("force,peer\nDorset,Wiltshire\nDorset,Devon & Cornwall\n")
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(demo_warehouse.read_bytes())
    assert runner.invoke(app, ["msg", "set", str(csv), "--warehouse", str(copy)]).exit_code == 0
    one = runner.invoke(app, ["msg", "show", "dorset", "--json", "--warehouse", str(copy)])
    row = json.loads(one.output)
    assert row["origin"] == "user-supplied" and row["peers"] == ["devon-and-cornwall", "wiltshire"]
