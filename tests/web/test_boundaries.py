"""The force area shapes are served once, from their own address, with an ETag: the measure
page names that address instead of carrying the geometry, so a second page fetches nothing."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

MEASURE_PAGE = "/measure?measure=police_uk_burglary&force=kent&period=2018-12"


def map_spec(page: str) -> dict:
    start = page.index('<script type="application/json" id="spec-map">') + len(
        '<script type="application/json" id="spec-map">'
    )
    return json.loads(page[start : page.index("</script>", start)])  # type: ignore[no-any-return]


def test_boundaries_carry_an_etag_and_a_matching_request_is_a_304(client: TestClient) -> None:
    first = client.get("/api/v1/boundaries")
    assert first.status_code == 200 and first.json()["type"] == "FeatureCollection"
    etag = first.headers["etag"]
    assert "max-age=" in first.headers["cache-control"] and etag.startswith('"')
    again = client.get("/api/v1/boundaries", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other = client.get("/api/v1/boundaries", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.content == first.content


def test_the_measure_page_names_the_shapes_and_carries_only_their_values(
    client: TestClient,
) -> None:
    page = client.get(MEASURE_PAGE).text
    spec = map_spec(page)
    etag = client.get("/api/v1/boundaries").headers["etag"].strip('"')
    assert spec["data"]["url"] == f"/api/v1/boundaries?v={etag}"
    assert '"coordinates"' not in page  # no geometry in the page itself
    join = spec["transform"][0]
    rows = {r["force"]: r for r in join["from"]["data"]["values"]}
    comparison = client.get(MEASURE_PAGE.replace("/measure", "/api/v1/comparison")).json()
    kent = next(r for r in comparison["rows"] if r["force"] == "kent")
    assert rows["kent"]["value"] == kent["value"] and rows["kent"]["chosen"] is True
    shapes = client.get(spec["data"]["url"]).json()["features"]
    assert {f["properties"]["force"] for f in shapes} >= {"kent", "avon-and-somerset"}
