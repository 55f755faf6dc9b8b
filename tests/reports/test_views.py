"""report compare, report trend and report inspection: the files they write hold the figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from peelstat.cli.main import app
from peelstat.inspection.grades import example_grades
from peelstat.workspace import Workspace

from .conftest import FORCE

BOUNDARIES = "ons/boundaries/pfa_dec2016_ugc_geojson/force_boundaries_ugc.geojson"


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_report_compare_writes_the_chart_map_and_the_table_behind_them(
    demo_warehouse: Path, tmp_path: Path, shared_data: Path
) -> None:
    output = run(
        "report", "compare", "-m", "residential_burglary", "--period", "2018-12",
        "--force", FORCE, "--out", str(tmp_path), "--boundaries", str(shared_data / BOUNDARIES),
        "--warehouse", str(demo_warehouse),
    )  # fmt: skip
    stem = tmp_path / "compare-residential_burglary-2018-12"
    for suffix in (".html", ".svg", ".png", ".csv"):
        assert f"Wrote {stem.with_suffix(suffix)}" in output
    comparison = Workspace(demo_warehouse, create=False).compare(
        "residential_burglary", "2018-12", FORCE
    )
    table = pd.read_csv(stem.with_suffix(".csv"))
    assert table["value"].tolist() == pytest.approx([r.value for r in comparison.rows])
    html = stem.with_suffix(".html").read_text()
    assert html.count("data:image/svg+xml;base64,") == 2  # bars and map
    assert ("natural logs" in html) == comparison.band.transformed
    assert stem.with_suffix(".svg").read_text().startswith("<svg")


def test_report_compare_without_boundaries_says_there_is_no_map(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    run("report", "compare", "-m", "homicide", "--period", "2018-12", "--out", str(tmp_path),
        "--warehouse", str(demo_warehouse))  # fmt: skip
    html = (tmp_path / "compare-homicide-2018-12.html").read_text()
    assert "No force-area map" in html and html.count("data:image/svg+xml") == 1


def test_report_trend_writes_the_xmr_chart_with_limits_signals_and_outlook(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    run("report", "trend", "--force", FORCE, "-m", "police_uk_robbery", "--period", "2018-12",
        "--out", str(tmp_path), "--warehouse", str(demo_warehouse))  # fmt: skip
    stem = tmp_path / f"trend-{FORCE}-police_uk_robbery-2018-12"
    series = Workspace(demo_warehouse, create=False).series(FORCE, "police_uk_robbery", "2018-12")
    table = pd.read_csv(stem.with_suffix(".csv"))
    assert table["upper"].tolist() == pytest.approx([p.upper for p in series.points])
    html = stem.with_suffix(".html").read_text()
    assert "Outlook" in html and series.outlook_method in html
    assert "95% interval" in html


def test_report_inspection_shows_grades_per_scale_and_says_what_is_not_recorded(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    store = tmp_path / "records.sqlite"
    workspace = Workspace(demo_warehouse, create=False, store=store)
    judgments, findings = example_grades()
    workspace.records.save_judgments(judgments)
    workspace.records.save_findings(findings)
    output = run("report", "inspection", "--force", FORCE, "--out", str(tmp_path), "--pdf",
                 "--warehouse", str(demo_warehouse), "--store", str(store))  # fmt: skip
    html = (tmp_path / f"inspection-{FORCE}.html").read_text()
    assert "four-tier scale" in html and "five-tier scale" in html
    assert "not directly comparable" in html
    assert "No case-file audits recorded" in html
    assert "Black people were" in html and "times as likely to be searched" in html
    assert "No crime data integrity audit recorded" in html
    assert f"Wrote {tmp_path / f'inspection-{FORCE}.pdf'}" in output
