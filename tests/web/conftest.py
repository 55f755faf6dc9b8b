"""The dashboard over the small SYNTHETIC warehouse, with a records store holding three
accounts (a lead and two reviewers) and one review sample that bob has started."""

from __future__ import annotations

import json
import math
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from peelstat.inspection.questions import question_set
from peelstat.inspection.records import RecordsStore
from peelstat.inspection.records_types import Answer, Judgment
from peelstat.web.app import create_app
from peelstat.web.deps import WebSettings
from peelstat.web.warmup import store_latest_frames
from peelstat.workspace import Workspace

SNAPSHOTS = Path(__file__).parent / "snapshots"
PASSWORDS = {"alice": "alice lead password", "bob": "bob reviewer password",
             "carol": "carol reviewer password"}  # fmt: skip
MEASURES = ["police_uk_burglary", "stop_search_rate"]
"""The measures most tests ask for: the overview page itself reads the whole catalogue."""
BOUNDARIES = "ons/boundaries/pfa_dec2016_ugc_geojson/force_boundaries_ugc.geojson"
TIME_FIELDS = {"loaded_on", "first_loaded", "last_loaded", "loaded_at", "at", "drawn_at"}


@pytest.fixture(scope="session")
def web_warehouse(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo warehouse with the latest overview's frames stored, as serve does."""
    path = tmp_path_factory.mktemp("web") / "warehouse.duckdb"
    shutil.copy(demo_warehouse, path)
    assert "are stored" in store_latest_frames(Workspace(path, create=False))
    return path


def save_sample(store: RecordsStore) -> int:
    records = pd.DataFrame({"record_id": ["c1", "c2", "c3"],
                            "stratum": ["outcome 15", "outcome 15", "outcome 21"]})  # fmt: skip
    return store.save_sample(
        "VSA 2018", "avon-and-somerset", 2018, {"strata_overlap": True},
        question_set("victim-service").as_dict(), records,
        {"outcome 15": 61, "outcome 21": 59}, [], "ab" * 32,
    )  # fmt: skip


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """alice (lead), bob and carol (reviewers); bob has answered one question of sample 1;
    two graded judgments of Avon and Somerset (the inspection page's grades chart)."""
    path = tmp_path_factory.mktemp("web-store") / "inspection.sqlite"
    store = RecordsStore(path)
    alice = store.create_account("alice", PASSWORDS["alice"], "lead")
    store.create_account("bob", PASSWORDS["bob"], by=alice)
    store.create_account("carol", PASSWORDS["carol"], by=alice)
    sample = save_sample(store)
    question = question_set("victim-service").questions[0].id
    bob = store.sign_in("bob", PASSWORDS["bob"])
    store.save_answers(sample, [Answer("c1", question, "yes", "bob",
                                       datetime(2026, 1, 5, tzinfo=UTC))], account=bob)  # fmt: skip
    store.save_judgments([
        Judgment("avon-and-somerset", "PEEL 2018/19", "2018/19", "Investigating crime", "Good",
                 "four-tier"),
        Judgment("avon-and-somerset", "PEEL 2021/22", "2021/22", "Investigating crime",
                 "Adequate", "five-tier"),
    ])  # fmt: skip
    store.close()
    return path


def square(west: float, south: float) -> dict[str, Any]:
    ring = [[west, south], [west + 0.5, south], [west + 0.5, south + 0.4], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture(scope="session")
def web_boundaries(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ONS boundaries from PEELSTAT_SHARED_DATA, else two made-up areas (Kent's and Avon and
    Somerset's ONS codes), so the map is always drawn and tested."""
    shared = Path(os.environ.get("PEELSTAT_SHARED_DATA", "/nonexistent")) / BOUNDARIES
    if shared.exists():
        return shared
    path = tmp_path_factory.mktemp("boundaries") / "two_areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"PFA16CD": "E23000032"}, "geometry": square(0.5, 51.0)},
        {"type": "Feature", "properties": {"PFA16CD": "E23000036"}, "geometry": square(-2.9, 51.2)},
    ]}))  # fmt: skip
    return path


@pytest.fixture(scope="session")
def web_app(web_warehouse: Path, web_store: Path, web_boundaries: Path) -> FastAPI:
    workspace = Workspace(web_warehouse, store=web_store, create=False)
    settings = WebSettings(secret="test secret", warm=False, boundaries=web_boundaries)
    return create_app(workspace, settings)


@pytest.fixture
def client(web_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(web_app, base_url="http://127.0.0.1") as test_client:
        yield test_client


def stable(value: Any) -> Any:
    """JSON without load times (they change each run) and with floats to 7 significant digits
    (a fitted forecast differs in the 9th digit between numerical library builds)."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k not in TIME_FIELDS}
    if isinstance(value, list):
        return [stable(v) for v in value]
    if isinstance(value, float) and math.isfinite(value):
        return float(f"{value:.7g}")
    return value


@pytest.fixture
def passwords() -> dict[str, str]:
    return dict(PASSWORDS)


@pytest.fixture
def snapshot() -> Any:
    """``snapshot(name, data)``: compare with (or, with PEELSTAT_UPDATE_SNAPSHOTS=1, write)
    ``snapshots/<name>.json``."""
    return assert_snapshot


def assert_snapshot(name: str, data: Any) -> None:
    """``data`` equals ``snapshots/<name>.json``; a missing snapshot fails unless
    PEELSTAT_UPDATE_SNAPSHOTS=1, which (re)writes it."""
    path = SNAPSHOTS / f"{name}.json"
    shown = json.dumps(stable(data), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("PEELSTAT_UPDATE_SNAPSHOTS") == "1":
        path.write_text(shown, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run with PEELSTAT_UPDATE_SNAPSHOTS=1"
    expected = json.loads(path.read_text(encoding="utf-8"))
    # floats within a part in a million: rounding to 7 digits alone can fall either side of a 5
    assert json.loads(shown) == approx_floats(expected), f"{name} differs from {path.name}"


def approx_floats(value: Any) -> Any:
    """``value`` with every finite float replaced by ``pytest.approx`` (relative 1e-6)."""
    if isinstance(value, dict):
        return {k: approx_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [approx_floats(v) for v in value]
    if isinstance(value, float) and math.isfinite(value):
        return pytest.approx(value, rel=1e-6, abs=1e-12)
    return value
