"""The inspection profile's crime data integrity estimate (saved with `peelstat cdi --save`,
shown in the report and on the dashboard from one result) and its stop and search disparity
ratios with their 95% intervals; figures checked against hand computations."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from peelstat.cli.main import app
from peelstat.errors import NotAllowedError
from peelstat.inspection.records_types import Account, CdiAudit
from peelstat.reports.inspection import write_inspection
from peelstat.stats.intervals import rate_ratio_interval
from peelstat.web.app import create_app
from peelstat.web.deps import WebSettings
from peelstat.workspace import Workspace

from .conftest import FORCE

LEAD, PASSWORD = "L. Lead", "lead password 1"
CDI = ["cdi", "--force", FORCE, "--rate", "0.914", "--moe", "0.026", "--audit-end", "2018-03"]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "records.sqlite"
    monkeypatch.setenv("PEELSTAT_STORE", str(path))
    Workspace(":memory:", store=path).records.create_account(LEAD, PASSWORD, "lead")
    monkeypatch.setenv("PEELSTAT_PASSWORD", PASSWORD)
    return path


def recorded_by_hand(warehouse: Path, quarters: list[str]) -> int:
    """Recorded crime excluding fraud, summed straight from the warehouse file."""
    con = duckdb.connect(str(warehouse), read_only=True)
    ends = ", ".join(f"DATE '{q}'" for q in quarters)
    (total,) = con.execute(
        f"SELECT sum(offences) FROM recorded_crime WHERE force = '{FORCE}' "
        f"AND offence_group <> 'Fraud offences' AND period_end IN ({ends})"
    ).fetchone()
    con.close()
    return int(total)


def test_cdi_saved_by_an_account_is_the_hand_computed_estimate(
    demo_warehouse: Path, store: Path
) -> None:
    refused = CliRunner().invoke(app, [*CDI, "--save", "--warehouse", str(demo_warehouse)])
    assert refused.exit_code != 0 and isinstance(refused.exception, (NotAllowedError, SystemExit))
    saved = CliRunner().invoke(app, [*CDI, "--save", "--account", LEAD, "--source",
                                     "HMICFRS crime data integrity 2018",
                                     "--warehouse", str(demo_warehouse)])  # fmt: skip
    assert saved.exit_code == 0, saved.output
    ws = Workspace(demo_warehouse, create=False, store=store)
    (estimate,) = ws.cdi_estimates("Avon and Somerset")
    recorded = recorded_by_hand(demo_warehouse, ["2017-06-30", "2017-09-30", "2017-12-31",
                                                 "2018-03-31"])  # fmt: skip
    assert estimate.recorded == recorded
    assert estimate.unrecorded == pytest.approx(recorded * (1 / 0.914 - 1), rel=1e-12)
    assert estimate.unrecorded_lower == pytest.approx(recorded * (1 / 0.940 - 1), rel=1e-12)
    assert estimate.unrecorded_upper == pytest.approx(recorded * (1 / 0.888 - 1), rel=1e-12)
    assert (estimate.rate_lower, estimate.rate_upper) == pytest.approx((0.888, 0.940))
    assert estimate.recorded_by == LEAD and estimate.gap is None
    trail = ws.records.audit_trail()
    assert trail.iloc[0]["action"] == "cdi.save" and trail.iloc[0]["account"] == LEAD
    assert f"about {estimate.about:,} crimes" in estimate.describe()


def test_the_published_sentence_and_a_missing_recorded_figure(
    demo_warehouse: Path, store: Path
) -> None:
    ws = Workspace(demo_warehouse, create=False, store=store)
    lead = Account(LEAD, "lead")
    # "91.4 percent of reported crime, so about 13,100 went unrecorded" of 139,300 recorded
    ws.records.save_cdi_audit(CdiAudit(FORCE, "2022-03", 0.914, 0.026, recorded=139_300),
                              account=lead)  # fmt: skip
    ws.records.save_cdi_audit(CdiAudit(FORCE, "2015-03", 0.88, 0.03), account=lead)
    published, early = ws.cdi_estimates(FORCE)
    assert published.unrecorded == pytest.approx(139_300 * (1 / 0.914 - 1))  # 13,106.8
    assert published.about == 13_100 and "about 13,100 crimes" in published.describe()
    assert early.unrecorded is None and early.recorded is None
    assert "2015-03-31" in (early.gap or "") and "not estimated" in early.describe()
    ws.records.save_cdi_audit(CdiAudit(FORCE, "2015-03", 0.9, 0.03), account=lead)  # replaces
    assert [e.rate for e in ws.cdi_estimates(FORCE)] == [0.914, 0.9]


def test_profile_and_dashboard_show_the_same_cdi_and_disparity_intervals(
    demo_warehouse: Path, store: Path, tmp_path: Path
) -> None:
    ws = Workspace(demo_warehouse, create=False, store=store)
    ws.records.save_cdi_audit(CdiAudit(FORCE, "2018-03", 0.914, 0.026), account=Account(LEAD, ""))
    (estimate,) = ws.cdi_estimates(FORCE)
    html_file, pdf_file = write_inspection(ws, FORCE, tmp_path, pdf=True)
    html = html_file.read_text()
    assert estimate.describe() in html and pdf_file.stat().st_size > 0
    assert "SYNTHETIC data — not real figures" in html
    page = TestClient(create_app(ws, WebSettings(secret="s", warm=False))).get(
        "/inspection", params={"force": FORCE}
    )
    assert page.status_code == 200 and estimate.describe() in page.text
    disparity = ws.stop_search_disparity(FORCE, "2018-12")
    black = next(r for r in disparity.rows if r.measure == "stop_search_disparity_black")
    assert black.describe() in html
    assert black.describe().startswith("Black people were ")
    assert " times as likely to be searched as White people" in black.describe()


def test_the_warehouse_katz_interval_is_the_stats_function(demo_workspace: Workspace) -> None:
    """The disparity the Ibis expression computes equals rate_ratio_interval on its counts."""
    period = "2018-12"
    frame = demo_workspace.measures(
        ["stop_search_disparity_black", "stop_search_rate_black", "stop_search_rate_white"],
        start=period, end=period, forces=[FORCE],
    )  # fmt: skip
    frame = frame[frame["force"] == FORCE].set_index("measure")
    black, white = frame.loc["stop_search_rate_black"], frame.loc["stop_search_rate_white"]
    by_hand = rate_ratio_interval(black.numerator, black.denominator, white.numerator,
                                  white.denominator)  # fmt: skip
    ratio = frame.loc["stop_search_disparity_black"]
    assert (ratio.value, ratio.lower, ratio.upper) == pytest.approx(
        (by_hand.ratio, by_hand.lower, by_hand.upper), rel=1e-9
    )
    row = demo_workspace.stop_search_disparity(FORCE, period).rows[0]
    assert (row.ratio, row.lower, row.upper) == pytest.approx(
        (ratio.value, ratio.lower, ratio.upper)
    )
    assert (row.searches, row.white_searches) == (black.numerator, white.numerator)
    assert math.isfinite(row.lower) and row.lower < row.ratio < row.upper


def test_disparity_on_few_searches_says_the_ratio_says_little() -> None:
    """Below FEW_SEARCHES of either group the ratio is still shown, with the caution naming
    both counts, in the sentence the report and the dashboard print."""
    from peelstat.analysis.disparity import FEW_SEARCHES, DisparityRow

    def row(searches: float, white: float) -> DisparityRow:
        return DisparityRow("stop_search_disparity_asian", "Asian people", 2.5, 1.1, 5.6,
                            searches, white, "3rd/8", "", 2.0, 1.8, "")  # fmt: skip

    few = row(FEW_SEARCHES - 1, 900).describe()
    assert f"Based on {FEW_SEARCHES - 1} searches of Asian people and 900 of White people" in few
    assert "too few for the ratio to mean much" in few
    assert "too few" in row(400, 12).describe()
    assert "too few" not in row(FEW_SEARCHES, 900).describe()
