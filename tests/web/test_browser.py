"""End to end in a real headless Chromium (Debian's /usr/bin/chromium through Playwright, no
browser download): every page opened, a force and a measure picked, the table and the charts
checked against the API's numbers, with every request not to 127.0.0.1 blocked."""

from __future__ import annotations

import itertools
import math
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import uvicorn
from fastapi import FastAPI

from peelstat.web.deps import number

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
WIDTHS = {"laptop": (1366, 900), "phone": (390, 844)}
REPORT_CSP = """document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
});"""
"""Each Content-Security-Policy violation said on the console, where the page fixture hears it."""


@pytest.fixture(scope="module")
def server(web_app: FastAPI) -> Iterator[str]:
    """The app on a free loopback port, in a thread."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(web_app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (scripts/test.sh installs Debian's chromium)")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server: str) -> Iterator[object]:
    """A page whose requests anywhere but 127.0.0.1 are blocked (and listed), failing its test
    on any JavaScript error, console error or Content-Security-Policy violation."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script(REPORT_CSP)
    blocked: list[str] = []

    def only_loopback(route) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    headers: list[str] = []
    tab.on("response", lambda r: headers.append(r.headers.get("content-security-policy", ""))
           if r.request.resource_type == "document" else None)  # fmt: skip
    tab.server = server  # type: ignore[attr-defined]
    yield tab
    context.close()
    assert not blocked, f"the page asked for other hosts: {blocked}"
    assert not errors, f"JavaScript or console errors: {errors}"
    assert headers and all("script-src 'self' 'sha256-" in h for h in headers), headers
    assert not any("unsafe-eval" in h for h in headers), headers


def shoot(tab, name: str) -> None:
    """Screenshots at laptop and phone widths (PEELSTAT_SCREENSHOTS names the folder)."""
    folder = os.environ.get("PEELSTAT_SCREENSHOTS")
    if not folder:
        return
    for width, size in WIDTHS.items():
        tab.set_viewport_size({"width": size[0], "height": size[1]})
        tab.wait_for_timeout(300)
        tab.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    tab.set_viewport_size({"width": 1366, "height": 900})


def rendered(tab, chart: str) -> None:
    tab.wait_for_selector(f"#chart-{chart}[data-rendered='yes'] svg", timeout=60_000)


def every_chart_drawn(tab) -> list[str]:
    """Every chart on the page drawn as SVG with marks in it (none blank, none in error)."""
    names = tab.eval_on_selector_all("div.vega[data-spec]", "els => els.map(e => e.id)")
    for name in names:
        tab.wait_for_selector(
            f"#{name}[data-rendered='yes'] svg g.role-mark > *", state="attached", timeout=60_000
        )
    assert tab.locator("div.vega[data-rendered='error']").count() == 0
    return [str(n).removeprefix("chart-") for n in names]


def test_overview_pick_a_force_and_read_the_table(page, client) -> None:
    page.goto(page.server + "/?period=2018-12")
    with page.expect_navigation():
        page.select_option("select[name=force]", "kent")
    assert "Kent" in page.inner_text("h1")
    api = client.get("/api/v1/report-table?force=kent&period=2018-12").json()
    row = next(r for r in api["rows"] if r["measure"] == "police_uk_burglary")
    cells = page.locator("tr[data-measure=police_uk_burglary] td")
    assert cells.nth(0).inner_text() == number(row["value"], row["unit"])
    assert cells.nth(3).inner_text() == row["msg_rank"]
    assert every_chart_drawn(page) == []  # a table page: the CSP checks are the fixture's
    shoot(page, "overview")


def test_measure_page_draws_its_charts_with_the_api_numbers(page, client) -> None:
    page.goto(page.server + "/measure?force=kent&period=2018-12")
    with page.expect_navigation():
        page.select_option("select[name=measure]", "police_uk_burglary")
    drawn = every_chart_drawn(page)
    assert {"history", "comparison", "xmr"} <= set(drawn)
    api = client.get(
        "/api/v1/comparison?measure=police_uk_burglary&period=2018-12&force=kent"
    ).json()
    bars = page.locator("#chart-comparison [aria-roledescription='bar']")
    assert bars.count() == len(api["rows"]) == 43
    chosen = next(r for r in api["rows"] if r["chosen"])
    assert number(chosen["value"], api["measure"]["unit"]) in page.inner_text("#headline")
    labels = " ".join(bars.nth(i).get_attribute("aria-label") or "" for i in range(bars.count()))
    assert "Kent" in labels
    table = page.locator("#comparison-table tbody tr")
    assert table.count() == 43 and "this force" in page.inner_text("#comparison-table tr.chosen")
    assert "map" in drawn  # its shapes fetched from /api/v1/boundaries: every area drawn
    areas = page.locator("#chart-map [aria-roledescription='geoshape']")
    assert areas.count() == len(client.get("/api/v1/boundaries").json()["features"]) >= 2
    kent = page.locator("#chart-map [aria-roledescription='geoshape'][aria-label*='Force: Kent;']")
    shaded = (kent.get_attribute("aria-label") or "").split(";")[0].rpartition(": ")[2]
    assert math.isclose(float(shaded), chosen["value"], rel_tol=1e-9)  # its value joined on
    shoot(page, "measure")


def test_force_map_draws_cells_and_states_the_unplaced_share(page, client) -> None:
    page.goto(page.server + "/map?force=avon-and-somerset&month=2018-12&months=12")
    assert every_chart_drawn(page) == ["hexbins"]
    api = client.get("/api/v1/force-map?force=avon-and-somerset&month=2018-12&months=12").json()
    cells = page.locator("#chart-hexbins [aria-roledescription='geoshape']")
    assert cells.count() == len(api["cells"]) > 0
    assert page.inner_text("#no-location") == f"{100 * api['share_without_location']:.1f}%"
    with page.expect_navigation():
        page.select_option("select[name=crime_type]", "Burglary")
    rendered(page, "hexbins")
    assert "Burglary" in page.inner_text("#chart-hexbins")
    shoot(page, "map")


def test_status_page_lists_every_table(page, client) -> None:
    page.goto(page.server + "/status")
    tables = [t["table"] for t in client.get("/api/v1/status").json()["tables"]]
    rows = page.locator("#status-table tbody th")
    assert [rows.nth(i).inner_text() for i in range(rows.count())] == tables
    shoot(page, "status")


def test_inspection_sign_in_and_record_an_answer_by_keyboard(page, passwords) -> None:
    page.goto(page.server + "/sign-in")
    page.fill("input[name=name]", "bob")
    page.fill("input[name=password]", passwords["bob"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.inner_text("#account") == "bob"
    before = page.inner_text("#sample-1 p")
    page.click("#sample-1 summary")
    page.select_option("#sample-1 select[name=record_id]", "c3")
    page.fill("#sample-1 input[name=answer]", "yes")
    with page.expect_navigation():
        page.click("#sample-1 button[type=submit]")
    after = page.inner_text("#sample-1 p")
    assert int(after.split(" of ")[0]) == int(before.split(" of ")[0]) + 1
    assert "grades" in every_chart_drawn(page)
    assert page.locator("#chart-grades g.role-mark > *").count() >= 2  # the two judgments
    shoot(page, "inspection")


PHONE_PAGES = [
    "/?force=kent&period=2018-12",
    "/measure?force=kent&period=2018-12&measure=police_uk_burglary",
    "/map?force=avon-and-somerset&month=2018-12&months=12",
    "/status",
    "/inspection",
]
LABEL_BOXES = """el => [...el.querySelectorAll('g.role-axis-label text')].map(t => {
  const b = t.getBoundingClientRect();
  return [b.left, b.top, b.right, b.bottom, parseFloat(getComputedStyle(t).fontSize) *
          (b.height / t.getBBox().height || 1)];
})"""
"""Each axis label's box on screen and its font size as drawn (the SVG may be scaled)."""


def test_at_a_phone_width_nothing_overflows_and_chart_labels_are_legible(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    for url in PHONE_PAGES:
        page.goto(page.server + url)
        every_chart_drawn(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width} px wide at a 390 px phone"
        split = page.eval_on_selector_all("td.period", "els => els.filter(e => "
                                          "e.getClientRects().length > 0 && e.firstChild && "
                                          "(r => (r.selectNode(e.firstChild), r.getClientRects()"
                                          ".length > 1))(document.createRange())).length")  # fmt: skip
        assert split == 0, f"{url}: a month split over two lines"
    page.goto(page.server + PHONE_PAGES[1])
    every_chart_drawn(page)
    boxes = page.eval_on_selector("#chart-comparison", LABEL_BOXES)
    names = sorted((b for b in boxes if b[2] - b[0] > 0), key=lambda b: (b[1], b[0]))
    assert len(names) >= 43  # every force named, none dropped for want of room
    assert all(b[4] >= 10 for b in names), "axis labels drawn under 10 px"
    right = page.eval_on_selector("#chart-comparison", "el => el.getBoundingClientRect().right")
    assert all(b[2] <= right + 1 for b in names), "a label runs off the chart"
    overlaps = [(a, b) for a, b in itertools.pairwise(names)
                if b[1] < a[3] - 1 and b[0] < a[2] and a[0] < b[2]]  # fmt: skip
    assert not overlaps, f"overlapping labels: {overlaps[:3]}"
