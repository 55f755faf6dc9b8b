"""The performance report as a reader opens it in Chromium: at a phone's width the page never
scrolls sideways (wide tables scroll within themselves), and every chart image loads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from peelstat.reports.performance import performance_html, performance_report
from peelstat.workspace import Workspace

from .conftest import FORCE

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (scripts/test.sh installs Debian's chromium)")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def demo_html(demo_workspace: Workspace) -> str:
    return performance_html(performance_report(demo_workspace, FORCE, "Q3 2018/19"))


@pytest.mark.parametrize("width", [390, 1366])
def test_the_page_fits_its_width_and_every_chart_loads(
    browser: object, demo_html: str, tmp_path: Path, width: int
) -> None:
    path = tmp_path / "report.html"
    path.write_text(demo_html, encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith(
        ("file:", "data:")) else route.continue_())  # fmt: skip  # offline: nothing from elsewhere
    page.goto(path.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    images = page.evaluate("[...document.images].map(i => [i.complete, i.naturalWidth, i.alt])")
    assert images and all(done and shown > 0 and alt for done, shown, alt in images)
    tables = page.evaluate("[...document.querySelectorAll('table')].map(t => t.scrollWidth)")
    assert tables and (width > 760 or max(tables) > width)  # on a phone the wide ones scroll
    page.close()
