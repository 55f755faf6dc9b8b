"""The first report table in a fresh process: what an analyst waits for after ``peelstat``
starts. Run by ``scale.py`` (``cold_report.py WAREHOUSE END``); prints one JSON line.

Start-up (importing peelstat and opening the warehouse) is timed apart from the report table,
which runs on a warehouse with no stored measure frames (cold), then again (warm). Whether the
measures' SQL has to be compiled depends on the ``PEELSTAT_SQL_CACHE`` the caller sets.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    path, end = Path(sys.argv[1]), sys.argv[2]
    started = time.perf_counter()
    from peelstat.measures.cache import clear_cache  # timed: this is start-up
    from peelstat.workspace import Workspace

    workspace = Workspace(path)
    clear_cache(workspace.con)
    figures = {"start-up s": time.perf_counter() - started}
    for name in ("cold s", "warm s"):
        started = time.perf_counter()
        workspace.report_table("kent", end)
        figures[name] = time.perf_counter() - started
    workspace.close()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
