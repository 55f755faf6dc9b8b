"""The JSON API on the small SYNTHETIC warehouse: each endpoint's body snapshotted, figures
checked against the Workspace result they come from, CSV beside JSON, errors as 404/422."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from fastapi.testclient import TestClient

FORCE, PERIOD = "avon-and-somerset", "2018-12"
MEASURES = ["police_uk_burglary", "stop_search_rate"]
ENDPOINTS = {
    "forces": "/api/v1/forces",
    "measures": "/api/v1/measures",
    "measure_frame": f"/api/v1/measure-frame?measure=police_uk_burglary&force={FORCE}&start=2018-10&end=2018-12",
    "report_table": f"/api/v1/report-table?force={FORCE}&period={PERIOD}&measure={MEASURES[0]}&measure={MEASURES[1]}",
    "comparison": f"/api/v1/comparison?measure=police_uk_burglary&period={PERIOD}&force={FORCE}",
    "history": f"/api/v1/history?measure=police_uk_burglary&force={FORCE}&period={PERIOD}&months=12",
    "series": f"/api/v1/series?measure=police_uk_burglary&force={FORCE}&period={PERIOD}&months=24",
    "status": "/api/v1/status",
    "rejected_rows": "/api/v1/rejected-rows",
    "force_map": f"/api/v1/force-map?force={FORCE}&month={PERIOD}&months=12",
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_endpoint_json_matches_its_snapshot_and_its_csv(
    client: TestClient, snapshot, name: str
) -> None:
    url = ENDPOINTS[name]
    response = client.get(url)
    assert response.status_code == 200, response.text
    snapshot(name, response.json())
    path, _, query = url.partition("?")
    as_csv = client.get(f"{path}.csv?{query}")
    assert as_csv.status_code == 200
    assert as_csv.headers["content-type"].startswith("text/csv")
    frame = pd.read_csv(io.StringIO(as_csv.text))
    assert len(frame) > 0 or name == "rejected_rows"


def test_report_table_figures_are_the_workspace_figures(client: TestClient, web_app) -> None:
    body = client.get(ENDPOINTS["report_table"]).json()
    with web_app.state.results.borrow() as ws:
        table = ws.report_table(FORCE, PERIOD, MEASURES)
    burglary = next(r for r in body["rows"] if r["measure"] == "police_uk_burglary")
    expected = table.row("police_uk_burglary")
    assert burglary["value"] == pytest.approx(expected.value)
    assert burglary["msg_rank"] == expected.msg_rank
    assert body["sources"]["licence"].startswith("Contains public sector information")


def test_comparison_is_sorted_and_marks_the_force_and_its_group(client: TestClient) -> None:
    body = client.get(ENDPOINTS["comparison"]).json()
    values = [r["value"] for r in body["rows"]]
    assert values == sorted(values, reverse=True) and len(values) == 43
    chosen = [r["force"] for r in body["rows"] if r["chosen"]]
    assert chosen == [FORCE]
    assert {r["force"] for r in body["rows"] if r["in_msg"]} == {FORCE, *body["msg"]["peers"]}


def test_force_map_counts_every_row_placed_or_not(client: TestClient, web_app) -> None:
    body = client.get(ENDPOINTS["force_map"]).json()
    with web_app.state.results.borrow() as ws:
        street = ws.con.table("police_uk_street")
        rows = street.filter(street.force == FORCE, street.month >= pd.Timestamp("2018-01-01"))
        expected = int(rows.count().execute())
        unplaced = int(rows.filter(rows.latitude.isnull()).count().execute())
    assert body["crimes"] == expected
    assert sum(c["crimes"] for c in body["cells"]) == expected - unplaced
    assert body["without_location"] == unplaced


@pytest.mark.parametrize(
    ("url", "status", "named"),
    [
        ("/api/v1/report-table?force=avon-and-somerest", 404, "Avon and Somerset"),
        ("/api/v1/report-table?force=zzzz", 404, "Did you mean"),
        ("/api/v1/comparison?measure=police_uk_burglery", 404, "police_uk_burglary"),
        ("/api/v1/report-table?period=2031-01", 404, "2018-12"),
        ("/api/v1/report-table?period=2015-01", 404, "2016-07"),
        ("/api/v1/report-table?period=Q5 2018/19", 422, "Q1 2022/23"),
        ("/api/v1/series?measure=police_uk_burglary&months=2", 422, "months"),
        ("/api/v1/force-map?months=6", 422, "months must be 1"),
        ("/api/v1/force-map?crime_type=Piracy", 422, "Burglary"),
        (
            "/api/v1/measure-frame?measure=police_uk_burglary&start=2018-12&end=2018-01",
            422,
            "start",
        ),
    ],
)
def test_bad_parameters_are_404_or_422_naming_valid_values(
    client: TestClient, url: str, status: int, named: str
) -> None:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert named in response.text


def test_pages_answer_unknown_names_with_a_page_not_a_500(client: TestClient) -> None:
    response = client.get("/measure?measure=police_uk_burglery")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"] and "Nearest valid" in response.text


def test_security_headers_on_every_response(client: TestClient) -> None:
    for url in ["/api/v1/forces", "/status", "/static/style.css", "/api/v1/report-table?force=x"]:
        headers = client.get(url).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


def test_openapi_lists_every_table_and_its_csv(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for url in ENDPOINTS.values():
        path = url.partition("?")[0]
        assert path in paths and f"{path}.csv" in paths


def test_vendored_scripts_are_served_from_the_package(client: TestClient) -> None:
    for name in ["vega", "vega-lite", "vega-embed"]:
        response = client.get(f"/static/vendor/{name}.min.js")
        assert response.status_code == 200 and len(response.content) > 50_000
    page = client.get("/status").text
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
