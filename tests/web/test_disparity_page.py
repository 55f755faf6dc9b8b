"""The inspection page's stop and search disparity is the Workspace's result, figure for
figure, with its 95% intervals, and it says which ratios rest on too few searches."""

from __future__ import annotations

import math
import re
from html import unescape
from pathlib import Path

from fastapi.testclient import TestClient

from peelstat.analysis.disparity import FEW_SEARCHES, DisparityRow
from peelstat.web.deps import number
from peelstat.workspace import Workspace

FORCE = "avon-and-somerset"


def disparity_rows(page: str) -> dict[str, list[str]]:
    """Each row of the page's disparity table: measure id -> its cells' text."""
    table = page[
        page.index('id="disparity-table"') : page.index(
            "</table>", page.index('id="disparity-table"')
        )
    ]
    rows = re.findall(r'<tr data-measure="([^"]+)"[^>]*>(.*?)</tr>', table, re.S)
    return {m: [unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in
                re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", cells, re.S)] for m, cells in rows}  # fmt: skip


def test_the_page_shows_the_workspace_disparity_with_its_intervals(
    client: TestClient, web_warehouse: Path
) -> None:
    expected = Workspace(web_warehouse, create=False).stop_search_disparity(FORCE, "2018-12")
    page = client.get(f"/inspection?force={FORCE}").text
    shown = disparity_rows(page)
    assert list(shown) == [r.measure for r in expected.rows] and len(shown) == 4
    for r in expected.rows:
        cells = shown[r.measure]
        assert cells[0].startswith(r.people)
        assert cells[1] == number(r.ratio)
        assert cells[2] == f"{number(r.lower)} to {number(r.upper)}"
        assert r.lower <= r.ratio <= r.upper
        assert cells[3:5] == [f"{r.searches:,.0f}", f"{r.white_searches:,.0f}"]
        assert cells[5] == f"{r.msg_rank} ({r.msg_position})"
        assert cells[6:8] == [number(r.msg_average), number(r.national_value)]
        assert cells[8] == r.outlier
    assert f"12 months to {expected.period_end:%B %Y}" in page


def test_too_few_searches_is_said_for_each_such_ratio_and_only_those(
    client: TestClient, web_warehouse: Path
) -> None:
    expected = Workspace(web_warehouse, create=False).stop_search_disparity(FORCE, "2018-12")
    few = {r.measure for r in expected.rows if min(r.searches, r.white_searches) < FEW_SEARCHES}
    assert few and few != {r.measure for r in expected.rows}  # the fixture has both kinds
    shown = disparity_rows(client.get(f"/inspection?force={FORCE}").text)
    assert {m for m, cells in shown.items() if "few searches" in cells[0]} == few
    page = unescape(client.get(f"/inspection?force={FORCE}").text)
    for r in expected.rows:
        assert bool(r.caution()) == r.few_searches == (r.measure in few)
        assert not r.caution() or r.caution() in page


def test_few_searches_counts_either_group_and_ignores_missing_counts() -> None:
    row = DisparityRow("m", "Black people", 2.0, 1.0, 4.0, 25.0, 400.0, "1st/8", "", 1.0, 1.0, "")
    assert not row.few_searches and row.caution() == ""
    assert DisparityRow(**{**row.__dict__, "searches": 19.0}).few_searches
    assert DisparityRow(**{**row.__dict__, "white_searches": 3.0}).few_searches
    assert not DisparityRow(**{**row.__dict__, "searches": math.nan}).few_searches
    assert "fewer than 20" in DisparityRow(**{**row.__dict__, "searches": 4.0}).caution()
