"""The audit, cdi and grades commands, through Typer's test runner on our own app objects."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from peelstat.cli import audit, grades
from peelstat.cli.main import app

runner = CliRunner()
SAMPLE = ["audit", "sample", "--audit", "A", "--force", "avon-and-somerset"]
PERIOD = ["--from", "2022-01", "--to", "2022-03"]


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def fails(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 1, result.output
    return result.output


@pytest.fixture(autouse=True)
def own_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store of one's own, with a lead and a reviewer; commands act as the reviewer."""
    monkeypatch.setenv("PEELSTAT_STORE", str(tmp_path / "store.sqlite"))
    run("audit", "add-account", "L. Lead", "--role", "lead", "--password", "lead password 1")
    monkeypatch.setenv("PEELSTAT_PASSWORD", "lead password 1")
    run("audit", "add-account", "A. Reviewer", "--by", "L. Lead",
        "--password", "reviewer password 1")  # fmt: skip
    monkeypatch.setenv("PEELSTAT_ACCOUNT", "A. Reviewer")
    monkeypatch.setenv("PEELSTAT_PASSWORD", "reviewer password 1")


@pytest.fixture
def cli_warehouse(warehouse_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PEELSTAT_WAREHOUSE", str(warehouse_file))
    return warehouse_file


def test_estimate_prints_the_published_figure() -> None:
    assert "87.4% ± 4.8 (normal approximation, 95%)" in run("audit", "estimate", "159", "182")
    data = json.loads(run("audit", "estimate", "159", "182", "--json"))
    assert data["method"] == "wald" and round(100 * data["margin"], 1) == 4.8


def test_estimate_other_methods() -> None:
    output = run("audit", "estimate", "159", "182", "--method", "all")
    assert "Wilson score" in output and "Clopper-Pearson exact" in output
    data = json.loads(run("audit", "estimate", "14", "65", "--method", "wilson", "--json"))
    assert data["method"] == "wilson" and data["text"].startswith("21.5% (13.3% to 33.0%")


def test_estimate_bad_input_lists_problems_without_traceback() -> None:
    output = fails("audit", "estimate", "5", "0")
    assert "2 problem(s)" in output and "Traceback" not in output


def test_compare_and_sample_size() -> None:
    data = json.loads(run("audit", "compare", "211", "244", "159", "182", "--json"))
    assert data["significant"] is False and "not a significant change" in data["text"]
    assert "not a significant change" in run("audit", "compare", "211", "244", "159", "182")
    assert json.loads(run("audit", "sample-size", "--margin", "0.05", "--json"))["records"] == 385
    data = json.loads(
        run("audit", "sample-size", "--margin", "0.05", "--population", "1000", "--json")
    )
    assert data["records"] == 278


def test_cdi_with_recorded_given() -> None:
    args = ["cdi", "--force", "Avon & Somerset", "--rate", "0.914", "--moe", "0.026"]
    data = json.loads(run(*args, "--audit-end", "2022-03", "--recorded", "139300", "--json"))
    assert data["published"] == 13_100 and data["force"] == "avon-and-somerset"
    assert "more than 13,100" in run(*args, "--audit-end", "2022-03", "--recorded", "139300")


def test_cdi_reads_recorded_crime_excluding_fraud(cli_warehouse: Path) -> None:
    args = ["cdi", "--force", "avon-and-somerset", "--rate", "0.914", "--moe", "0.026"]
    data = json.loads(run(*args, "--audit-end", "2022-03", "--json"))
    assert data["recorded"] == 4 * (13_000 + 1_400 + 20_000)  # fraud left out
    assert data["published"] == 12_900
    assert "2021-06-30" in data["recorded_from"] and "2022-03-31" in data["recorded_from"]
    violence = json.loads(
        run(
            "cdi",
            "--force",
            "avon-and-somerset",
            "--rate",
            "0.866",
            "--moe",
            "0.046",
            "--audit-end",
            "2022-03",
            "--offence-group",
            "Violence against the person",
            "--json",
        )
    )
    assert violence["recorded"] == 52_000 and violence["published"] == 8_000
    assert "not the end of a quarter" in fails(*args, "--audit-end", "2022-05")
    output = fails(*args, "--audit-end", "2023-03")
    assert "2022-09-30, 2022-12-31, 2023-03-31" in output


def test_sample_import_results_round_trip(cli_warehouse: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.xlsx"
    data = json.loads(
        run(
            *SAMPLE[:3],
            "VSA 2022",
            *SAMPLE[4:],
            *PERIOD,
            "--outcome-type",
            "15",
            "--outcome-type",
            "16",
            "--outcome-type",
            "21",
            "--per-stratum",
            "20",
            "--seed",
            "2022",
            "--out",
            str(sheet),
            "--json",
        )
    )
    assert data["records"] == 60 and data["seed"] == 2022 and sheet.is_file()
    assert any("police.uk category" in w for w in data["warnings"])
    frame = pd.read_excel(sheet, dtype=str, keep_default_na=False, engine="openpyxl")
    frame["reviewer"] = "A. Reviewer"
    frame["vulnerability_assessed"] = ["no"] * 14 + ["yes"] * 46
    frame.to_excel(sheet, index=False)
    imported = json.loads(run("audit", "import", str(sheet), "--json"))
    assert imported["answers"] == 60
    rows = json.loads(run("audit", "results", "--json"))
    row = next(r for r in rows if r["question"] == "vulnerability_assessed")
    assert (row["count"], row["of"]) == (46, 60)
    # strata 15 and 16 share one police.uk category, so the estimate is not weighted by them
    assert row["method"] == "wald" and row["result"].startswith("46 of 60: 76.7% ± 10.7")
    assert "46 of 60" in run("audit", "results", "--audit", "VSA 2022")
    listing = json.loads(run("audit", "samples", "--json"))
    assert listing[0]["seed"] == 2022
    again = tmp_path / "again.csv"
    run("audit", "sheet", str(data["sample"]), str(again))
    assert len(pd.read_csv(again)) == 60


def test_sample_is_reproducible_from_the_recorded_seed(cli_warehouse: Path) -> None:
    args = [*SAMPLE, *PERIOD, "--size", "10", "--json"]
    first = json.loads(run(*args))
    second = json.loads(run(*args, "--seed", str(first["seed"])))
    from peelstat.inspection.records import RecordsStore

    store = RecordsStore()
    ids = [store.sample(s["sample"]).records["record_id"].tolist() for s in (first, second)]
    assert ids[0] == ids[1]


def test_import_of_a_bad_sheet_lists_every_problem(cli_warehouse: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    run(*SAMPLE, *PERIOD, "--size", "5", "--seed", "1", "--out", str(sheet))
    frame = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    frame["reviewer"] = "A. Reviewer"
    frame["vulnerability_assessed"] = ["yes", "no", "maybe", "yes", "perhaps"]
    frame.loc[0, "record_id"] = "zzz"
    frame.drop(columns="outcome_appropriate").to_csv(sheet, index=False)
    output = fails("audit", "import", str(sheet))
    assert "4 problem(s)" in output
    assert "'maybe'" in output and "'perhaps'" in output and "'zzz'" in output
    assert "missing columns: outcome_appropriate" in output
    assert json.loads(run("audit", "results", "--json"))[0]["result"] == "no answers"


def test_grades_commands() -> None:
    assert json.loads(run("grades", "import", "--examples", "--json")) == {
        "judgments": 18,
        "findings": 0,
    }
    history = json.loads(run("grades", "history", "Avon and Somerset", "--json"))
    changes = {(r["inspection_year"], r["area"]): r["change"] for r in history}
    assert changes["2021/22", "Protecting vulnerable people"] == "not directly comparable"
    side = json.loads(run("grades", "area", "investigating", "--json"))
    assert {r["force"] for r in side} == {"avon-and-somerset", "gloucestershire"}
    assert "not directly comparable" in run("grades", "scales")
    added = json.loads(
        run(
            "grades",
            "add",
            "--force",
            "gloucestershire",
            "--inspection",
            "PEEL 2021/22",
            "--year",
            "2021/22",
            "--area",
            "Investigating crime",
            "--grade",
            "adequate",
            "--json",
        )
    )
    assert added[0]["grade"] == "Adequate" and added[0]["scale"] == "five-tier"
    assert "is not a four-tier grade" in fails(
        "grades",
        "add",
        "--force",
        "gloucestershire",
        "--inspection",
        "PEEL 2017",
        "--year",
        "2017",
        "--area",
        "Investigating crime",
        "--grade",
        "Adequate",
    )
    assert "not both" in fails("grades", "import")


def test_findings_and_follow_up(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(
        "- force: avon-and-somerset\n  inspection: PEEL 2021/22\n  inspection_year: 2021/22\n"
        "  findings:\n    - kind: recommendation\n      text: Record crime on time.\n"
    )
    assert json.loads(run("grades", "import", str(path), "--json"))["findings"] == 1
    [finding] = json.loads(run("grades", "findings", "--json"))
    run("grades", "follow-up", str(finding["id"]), "addressed", "--on", "2023-06-01")
    [finding] = json.loads(run("grades", "findings", "--force", "avon-and-somerset", "--json"))
    assert (finding["status"], finding["status_date"]) == ("addressed", "2023-06-01")


def test_every_command_is_documented() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "inspection.md").read_text(encoding="utf-8")
    for group, typer_app in (("audit", audit.app), ("grades", grades.app)):
        for command in typer_app.registered_commands:
            name = command.name or command.callback.__name__.replace("_", "-")
            assert f"peelstat {group} {name}" in docs, f"peelstat {group} {name}"
    assert "peelstat cdi" in docs


def test_errors_say_what_to_do_without_a_traceback(cli_warehouse: Path, tmp_path: Path) -> None:
    messages = [
        fails("grades", "follow-up", "1", "addressed", "--on", "1/6/2023"),
        fails("audit", "results", "--store", "postgresql+psycopg://u@127.0.0.1:1/x"),
        fails(*SAMPLE, "--from", "2030-01", "--to", "2030-03", "--size", "5"),
        fails(*SAMPLE, *PERIOD, "--size", "5", "--crime-type", "x"),
        fails("audit", "estimate", "1", "2", "--method", "bayes"),
    ]
    assert "not like 2022-09-30" in messages[0]
    assert "Check --store" in messages[1]
    assert "peelstat load police-uk" in messages[2]
    assert "police.uk crime types there: Burglary" in messages[3]
    assert "use wald, wilson or clopper-pearson" in messages[4]
    assert not any("Traceback" in m for m in messages)


def test_empty_grade_views_say_how_to_load_grades() -> None:
    assert "peelstat grades import --examples" in run("grades", "history", "wiltshire")
    assert "peelstat grades import --examples" in run("grades", "area", "investigating")
    assert json.loads(run("grades", "history", "wiltshire", "--json")) == []


def test_cdi_from_the_audit_counts() -> None:
    """457 of 500 audited crimes recorded: 91.4% ± 1.96·√(0.914·0.086/500) = ± 2.46 points."""
    args = ["cdi", "--force", "avon-and-somerset", "--audit-end", "2022-03"]
    data = json.loads(run(*args, "--audit-sample", "457", "500", "--recorded", "139300", "--json"))
    assert data["rate"] == pytest.approx(0.914)
    assert data["margin"] == pytest.approx(1.959964 * (0.914 * 0.086 / 500) ** 0.5, rel=1e-6)
    assert data["upper"] == pytest.approx(139_300 * (1 / (0.914 - data["margin"]) - 1))
    assert "give --rate and --moe" in fails(*args, "--rate", "0.914", "--recorded", "1")
