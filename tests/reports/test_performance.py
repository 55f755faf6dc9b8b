"""The performance report: each section's HTML as users see it (snapshots), the PDF, honest
gaps, local measures benchmarked, the definition file's errors, byte-identical reruns."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peelstat.cli.main import app
from peelstat.errors import ValidationError
from peelstat.reports.performance import (
    performance_html,
    performance_report,
    write_performance,
    write_performance_reports,
)
from peelstat.workspace import Workspace

from .conftest import ABSENT_PEER, FORCE

SNAPSHOTS = Path(__file__).parent / "snapshots"
PERIOD = "Q3 2018/19"


def sections(html: str) -> list[str]:
    """Each section's HTML, chart images replaced by their alt text (the chart tests check data)."""
    found = re.findall(r'<section class="report-section".*?</section>', html, flags=re.S)
    return [re.sub(r'src="data:image/svg\+xml;base64,[^"]+"', 'src="chart"', s) for s in found]


@pytest.fixture(scope="module")
def demo_html(demo_workspace: Workspace) -> str:
    return performance_html(performance_report(demo_workspace, FORCE, PERIOD))


def test_each_section_matches_its_snapshot(demo_html: str, snapshot) -> None:
    """PEELSTAT_UPDATE_SNAPSHOTS=1 rewrites them; review the diff."""
    found = sections(demo_html)
    assert len(found) == 12
    for number, section in enumerate(found, start=1):
        snapshot(SNAPSHOTS / f"performance-section-{number:02d}.html", section)


def test_all_forces_draw_their_charts_in_parallel_into_the_same_pages(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    """``--force all`` draws every chart in worker processes first; the pages must be the
    bytes that one report at a time gives."""
    forces = [FORCE, "hampshire"]
    seen: list[str] = []
    together = write_performance_reports(
        demo_workspace, forces, PERIOD, tmp_path / "all", on_report=seen.append
    )
    assert seen == forces + forces  # figures, then pages
    for force, path in zip(forces, together, strict=True):
        (alone,) = write_performance(demo_workspace, force, PERIOD, tmp_path / force)
        assert path.name == alone.name and path.read_bytes() == alone.read_bytes()


def test_the_report_is_self_contained_and_byte_identical_on_rerun(
    demo_workspace: Workspace, demo_html: str
) -> None:
    assert "http://" not in demo_html.replace("http://www.w3.org", "")
    assert not re.search(r"<(script|link)\b", demo_html)
    assert demo_html.count('<img src="data:image/svg+xml;base64,') >= 10
    assert "Open Government Licence v3.0" in demo_html and "Data and methods" in demo_html
    banner = '<p class="synthetic" role="note"><strong>SYNTHETIC data — not real figures.</strong>'
    assert demo_html.index(banner) < demo_html.index("<h1>")  # above everything else
    again = performance_html(performance_report(demo_workspace, FORCE, PERIOD))
    assert again == demo_html


def test_figures_in_the_tables_are_the_report_table_rows(
    demo_workspace: Workspace, demo_html: str
) -> None:
    table = demo_workspace.report_table(FORCE, PERIOD, ["residential_burglary", "homicide"])
    burglary = table.row("residential_burglary")
    assert f"{burglary.value:.1f}" in demo_html
    position = burglary.msg_position.replace("MSG average", "MSG average rates")
    places = burglary.msg_rank_range.split(", ", 1)[1]  # "plausibly 4th–8th"
    assert f"{burglary.msg_rank} MSG ({places}; {position})" in demo_html
    homicide = table.row("homicide")
    assert homicide.small_numbers == (min(homicide.numerator, homicide.previous_numerator) < 50)


def test_measures_the_public_data_cannot_supply_say_not_available(demo_html: str) -> None:
    for title in ("Victim satisfaction (all victims)", "Proven reoffending rate",
                  "Hours deployed by special constables"):  # fmt: skip
        row = re.search(rf"{re.escape(title)}</th>\s*<td[^>]*>([^<]*)", demo_html)
        assert row and row.group(1).startswith("Not available"), title


def test_missing_month_and_partial_msg_are_said_where_they_matter(
    gappy_workspace: Workspace, tmp_path: Path
) -> None:
    definition = tmp_path / "report.yaml"
    definition.write_text(
        "sections:\n"
        "  - title: Neighbourhood crime\n"
        "    measures: [police_uk_burglary, residential_burglary]\n"
    )
    report = performance_report(gappy_workspace, FORCE, "2018-12", definition)
    burglary = report.sections[0].lines[1]
    assert burglary.row is not None and "/7 (no value for Hampshire)" in burglary.row.msg_rank
    assert burglary.row.msg_missing == ("hampshire",)
    assert any("out of 7, not 8: no value for Hampshire" in c for c in burglary.comments)
    street = report.sections[0].lines[0]
    assert street.history is not None and street.history.gaps
    html = performance_html(report)
    assert "left as gaps in the chart" in html
    assert "no value for Hampshire" in html
    missing = f"{street.history.gaps[0]:%b %Y}"
    assert missing in html


def test_a_measure_whose_table_has_no_rows_for_the_force_says_what_to_load(
    gappy_workspace: Workspace, tmp_path: Path
) -> None:
    """Hampshire has no recorded crime in that warehouse: its burglary line says so and names
    the load command, instead of a denominator note about a division that never happened."""
    definition = tmp_path / "report.yaml"
    definition.write_text(
        "sections:\n  - title: Neighbourhood crime\n    measures: [residential_burglary]\n"
    )
    report = performance_report(gappy_workspace, ABSENT_PEER, "2018-12", definition)
    (line,) = report.sections[0].lines
    assert not line.available
    assert line.notes == (
        "No figure: the recorded_crime table of the warehouse has no rows for Hampshire in the "
        "12 months to December 2018; load them with peelstat load home-office.",
    )
    assert f"Not available. {html.escape(line.notes[0])}" in performance_html(report)


def test_a_local_measure_loaded_from_a_csv_is_benchmarked(
    tmp_path: Path, demo_warehouse: Path
) -> None:
    import shutil

    from peelstat.reference import territorial_forces

    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_warehouse, warehouse)
    rows = ["measure,force,period_end,numerator,denominator"]
    for n, force in enumerate(territorial_forces()):
        for month in range(1, 13):
            rows.append(f"victim_satisfaction,{force},2018-{month:02d},{300 + n * 5},400")
    (tmp_path / "satisfaction.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "local.yaml").write_text(
        "measures:\n  - id: victim_satisfaction\n    title: Victim satisfaction (all victims)\n"
        "    source: local_observations\n    grain: month\n    unit: percent\n"
        "    lower_is_better: false\n    priority: victim satisfaction\n"
    )
    workspace = Workspace(warehouse, catalogue_files=[tmp_path / "local.yaml"])
    workspace.load("local", [tmp_path / "satisfaction.csv"])
    report = performance_report(workspace, FORCE, "2018-12")
    line = next(x for x in report.lines if x.title.startswith("Victim satisfaction (all"))
    assert line.available and line.row is not None
    assert line.benchmark.endswith("MSG average rates)") and "/8 MSG" in line.benchmark
    assert line.row.value == pytest.approx(
        100 * (300 + 5 * sorted(territorial_forces()).index(FORCE)) / 400
    )
    workspace.close()


def test_definition_errors_name_the_file_and_the_field(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "sections:\n"
        "  - title: Homicide\n    measures: [homicde, {id: x_unknown}]\n"
        "  - measures: []\n    colour: red\n"
    )
    with pytest.raises(ValidationError) as error:
        performance_report(demo_workspace, FORCE, PERIOD, bad)
    message = str(error.value)
    assert message.startswith(str(bad))
    assert (
        "sections[0].measures[0].id': 'homicde' is not in the catalogue; nearest: homicide"
        in message
    )
    assert "sections[0].measures[1].id'" in message
    assert "sections[1].title'" in message and "sections[1].measures'" in message
    assert "unknown key(s) colour" in message


def test_report_performance_command_writes_html_and_an_a4_landscape_pdf(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    result = CliRunner().invoke(app, [
        "report", "performance", "--force", "Avon and Somerset", "--quarter", PERIOD,
        "--out", str(tmp_path), "--pdf", "--warehouse", str(demo_warehouse),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    html = tmp_path / "performance-avon-and-somerset-2018-12.html"
    pdf = PdfReader(tmp_path / "performance-avon-and-somerset-2018-12.pdf")
    assert html.exists() and f"Wrote {html}" in result.output
    assert len(pdf.pages) >= 8
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape, pt
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Force performance report: Avon and Somerset" in text
    assert "Data and methods" in text and "Open Government Licence" in text
    # the SYNTHETIC warehouse says so at the top of every page
    assert all("SYNTHETIC data — not real figures" in page.extract_text() for page in pdf.pages)
    table = Workspace(demo_warehouse, create=False).report_table(FORCE, PERIOD, ["rape"])
    assert f"{table.row('rape').value:.1f}" in text


def test_report_performance_needs_a_quarter_or_a_period(demo_warehouse: Path) -> None:
    result = CliRunner().invoke(
        app, ["report", "performance", "--force", FORCE, "--warehouse", str(demo_warehouse)]
    )
    assert result.exit_code != 0 and "--quarter" in result.output
