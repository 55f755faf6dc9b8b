"""The Content-Security-Policy allows no eval and no inline script but the import map, and
every vendored script the pages load is the one VENDORED.md names, byte for byte."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from fastapi.testclient import TestClient

STATIC = Path(__file__).parents[2] / "src" / "peelstat" / "web" / "static"
PAGES = ["/", "/measure", "/map", "/status", "/inspection", "/sign-in"]
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", re.S
)


def script_sources(csp: str) -> list[str]:
    directive = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    return directive.split()[1:]


def test_script_src_has_no_unsafe_eval_and_hashes_the_only_inline_script(
    client: TestClient,
) -> None:
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        sources = script_sources(response.headers["content-security-policy"])
        assert "'unsafe-eval'" not in sources and "'unsafe-inline'" not in sources
        inline = INLINE_SCRIPT.findall(response.text)
        assert len(inline) == 1, f"{url}: inline scripts {inline}"
        digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
        assert sources == ["'self'", f"'sha256-{digest}'"], url


def test_every_vendored_script_matches_its_recorded_sha256(client: TestClient) -> None:
    table = (STATIC / "VENDORED.md").read_text(encoding="utf-8")
    recorded = dict(re.findall(r"^\| (vendor/\S+\.js) \|.*\| ([0-9a-f]{64}) \|$", table, re.M))
    page = client.get("/measure").text
    loaded = re.findall(r'src="/static/(vendor/[^"]+)"', page)
    imported = re.findall(r'from "/static/(vendor/[^"]+)"', (STATIC / "interpreter.js").read_text())
    assert "vendor/vega-interpreter.js" in imported
    for name in loaded + imported:
        body = client.get(f"/static/{name}").content
        assert hashlib.sha256(body).hexdigest() == recorded[name], name
    assert set(recorded) == {str(p.relative_to(STATIC)) for p in (STATIC / "vendor").glob("*.js")}
