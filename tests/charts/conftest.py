"""Analysis results of the small SYNTHETIC warehouse, computed once for every chart test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from peelstat.workspace import Workspace

FORCE = "avon-and-somerset"
PERIOD = "2018-12"


@pytest.fixture(scope="session")
def demo_workspace(demo_warehouse: Path) -> Iterator[Workspace]:
    workspace = Workspace(demo_warehouse, create=False)
    yield workspace
    workspace.close()
