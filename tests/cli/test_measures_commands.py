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


SNAPSHOTS = Path(__file__).parent / "snapshots"


def test_benchmark_json_is_the_typed_result_with_iso_dates(demo_warehouse: Path, snapshot) -> None:  # type: ignore[no-untyped-def]
    args = ["benchmark", "--force", "avon-and-somerset", "--period", "Q3 2018/19",
            "-m", "police_uk_burglary", "-m", "homicide", "-m", "stop_search_find_rate",
            "--json", "--warehouse", str(demo_warehouse)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["period_end"] == "2018-12-31" and data["rows"][0]["period_end"] == "2018-12-31"
    assert data["msg"]["origin"] == "published (HMICFRS)" and len(data["msg"]["peers"]) == 7
    assert "NaN" not in result.output  # a missing number is null
    snapshot(SNAPSHOTS / "benchmark_avon_and_somerset_2018_12.json", result.output)


def test_root_options_may_follow_the_command(demo_warehouse: Path) -> None:
    before = runner.invoke(
        app, ["--json", "--warehouse", str(demo_warehouse), "msg", "show", "kent"]
    )
    after = runner.invoke(
        app, ["msg", "show", "kent", "--warehouse", str(demo_warehouse), "--json"]
    )
    assert before.exit_code == after.exit_code == 0, after.output
    assert json.loads(before.output) == json.loads(after.output)
    assert json.loads(after.output)["force"] == "kent"


def test_a_bad_period_and_an_unknown_measure_are_plain_errors(demo_warehouse: Path) -> None:
    for period, expected in [
        ("2018-13", "'2018-13' is not a period"),
        ("foo", "financial-year quarter"),
    ]:
        result = runner.invoke(
            app, ["benchmark", "--force", "kent", "--period", period, "-w", str(demo_warehouse)]
        )
        assert result.exit_code == 1 and expected in result.output, result.output
        assert "Traceback" not in result.output
    result = runner.invoke(
        app,
        ["compare", "-m", "police_uk_burglry", "--period", "2018-12", "-w", str(demo_warehouse)],
    )
    assert result.exit_code == 1 and "Did you mean: police_uk_burglary" in result.output
