"""A demo warehouse says "SYNTHETIC data — not real figures" everywhere a figure is shown;
a warehouse of real-format files loaded through the loader does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from peelstat.demo.archives import DEFAULT_LAST_MONTH as LAST
from peelstat.demo.archives import generate_demo
from peelstat.reports.views import comparison_page
from peelstat.warehouse.notes import SYNTHETIC_BANNER
from peelstat.web.app import create_app
from peelstat.web.deps import WebSettings
from peelstat.workspace import Workspace

MEASURE = "police_uk_robbery"


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Twelve months of police.uk-format archives for one force (files in the real format)."""
    folder = tmp_path_factory.mktemp("archives")
    return generate_demo(folder, months=12, forces=["kent"], scale=0.05)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """What `peelstat demo` builds (Workspace.load_demo)."""
    ws = Workspace(tmp_path_factory.mktemp("demo") / "warehouse.duckdb")
    ws.load_demo(months=12, forces=["kent"])
    return ws


@pytest.fixture(scope="module")
def loaded(archives: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The same format of files, loaded with `peelstat load` (no declaration of synthetic)."""
    ws = Workspace(tmp_path_factory.mktemp("loaded") / "warehouse.duckdb")
    ws.load("police-uk", archives)
    return ws


def _pages(ws: Workspace) -> dict[str, str]:
    """A comparison report, a dashboard page and an API answer over the warehouse."""
    period = LAST
    comparison = ws.compare(MEASURE, period, "kent")
    html, _ = comparison_page(comparison, None)
    client = TestClient(create_app(ws, WebSettings(secret="s", warm=False)))
    page = client.get("/status")
    api = client.get("/api/v1/comparison", params={"measure": MEASURE, "period": period})
    assert page.status_code == 200 and api.status_code == 200, (page.text[:300], api.text[:300])
    return {"report": html, "page": page.text, "api": str(api.json()["sources"]["notes"])}


def test_a_demo_warehouse_says_synthetic_in_reports_pages_and_api(demo: Workspace) -> None:
    assert [n.note for n in demo.warehouse_notes()] == ["synthetic"]
    shown = _pages(demo)
    for where, text in shown.items():
        assert SYNTHETIC_BANNER in text, where
    assert demo.compare(MEASURE, LAST).sources.synthetic


def test_real_format_files_loaded_by_the_loader_show_no_banner(loaded: Workspace) -> None:
    assert loaded.warehouse_notes() == ()
    assert not loaded.compare(MEASURE, LAST).sources.synthetic
    for where, text in _pages(loaded).items():
        assert SYNTHETIC_BANNER not in text, where


def test_loading_real_files_into_a_demo_warehouse_keeps_the_note(
    demo: Workspace, archives: list[Path]
) -> None:
    demo.load("police-uk", archives)  # same months: replaced by the files, rows real-format
    notes = demo.warehouse_notes()
    assert len(notes) == 1
    assert "contains synthetic rows" in notes[0].text
    assert "even after real files are loaded" in notes[0].text


def test_peelstat_load_into_a_demo_warehouse_says_what_the_note_means(
    demo: Workspace, archives: list[Path]
) -> None:
    from typer.testing import CliRunner

    from peelstat.cli.main import app

    demo.close()
    result = CliRunner().invoke(
        app, ["load", "police-uk", str(archives[0]), "--warehouse", str(demo.location)]
    )
    assert result.exit_code == 0, result.output
    assert "contains synthetic rows" in " ".join(result.output.split())
