"""After a kill or a Ctrl-C: no extraction left behind, and a message saying what was committed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from peelstat.sources.scratch import remove_abandoned, scratch_folder
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_files

SRC = str(Path(__file__).resolve().parents[2] / "src")

# A child that loads what it is given and stops inside the unit named by argv[3] (after
# the archive is extracted), having touched the marker argv[2].
_CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from peelstat.cli.main import app
    from peelstat.warehouse.batch import Batch

    warehouse, marker, stop_at, *paths = sys.argv[1:]
    prepare = Batch.prepare

    def prepare_then_wait(self, unit):
        if stop_at in unit.name:
            unit.read_bytes()  # the archive is extracted by now
            Path(marker).touch()
            time.sleep(600)
        return prepare(self, unit)

    Batch.prepare = prepare_then_wait
    app(["load", "police-uk", *paths, "--warehouse", warehouse], prog_name="peelstat")
    """
)


def _child(tmp: Path, warehouse: Path, stop_at: str, *paths: Path) -> tuple[subprocess.Popen, Path]:
    marker = tmp / "stopped"
    env = {**os.environ, "PYTHONPATH": SRC, "TMPDIR": str(tmp / "scratch")}
    (tmp / "scratch").mkdir(exist_ok=True)
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(warehouse), str(marker), stop_at, *map(str, paths)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert marker.exists(), child.communicate()[1] if child.poll() is not None else "no marker"
    return child, marker


def _archive(files, month: str, forces: tuple[str, ...]) -> Path:
    for force in forces:
        files.write("street", month, force, files.street_rows(month, force, 40), folder=month)
    return files.zip(month, f"{month}.zip")


def _load(con, *paths: Path):  # type: ignore[no-untyped-def]
    return load_files(con, "police-uk", list(paths))


def test_an_extraction_left_by_a_killed_load_is_removed_by_the_next(
    tmp_path, warehouse_path, police_uk_files, monkeypatch
) -> None:
    archive = _archive(police_uk_files, "2018-10", ("kent",))
    child, _ = _child(tmp_path, warehouse_path, "kent", archive)
    child.send_signal(signal.SIGKILL)
    child.wait()
    scratch = tmp_path / "scratch"
    left = [p for p in scratch.iterdir() if p.name.startswith(f"peelstat-police-uk-{child.pid}-")]
    assert left and any(left[0].iterdir()), "the killed load left its extraction"

    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    report = _load(connect(warehouse_path), archive)
    assert report.count("loaded") == 1
    assert list(scratch.iterdir()) == []


def test_only_the_folders_of_dead_processes_are_removed(tmp_path: Path) -> None:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    dead = tmp_path / f"peelstat-police-uk-{finished.stdout.strip()}-abc"
    alive = tmp_path / f"peelstat-police-uk-{os.getppid()}-def"  # the process that ran pytest
    mine = tmp_path / f"peelstat-police-uk-{os.getpid()}-ghi"
    other = tmp_path / "someone-elses-folder-1-x"
    for folder in (dead, alive, mine, other):
        folder.mkdir()
    assert remove_abandoned(tmp_path) == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in (alive, mine, other)
    )
    assert remove_abandoned(tmp_path) == []  # once per process and folder


def test_scratch_folders_carry_the_process_id(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with scratch_folder("police-uk") as folder:
        assert Path(folder).name.startswith(f"peelstat-police-uk-{os.getpid()}-")


@pytest.mark.slow
def test_ctrl_c_says_what_was_committed_and_how_to_resume(
    tmp_path, warehouse_path, police_uk_files
) -> None:
    first = _archive(police_uk_files, "2018-10", ("kent", "essex"))
    second = _archive(police_uk_files, "2018-11", ("kent",))
    child, _ = _child(tmp_path, warehouse_path, "2018-11/kent", first, second)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 1
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    message = " ".join(err.split())
    assert "Interrupted. Loaded and committed before the stop: 2 files (80 rows)" in message
    assert "the other 1 of the 3 files are not in the warehouse" in message
    assert "run the same command again" in message

    con = connect(warehouse_path)
    logged = con.raw_sql("SELECT file FROM load_log ORDER BY file").fetchall()
    assert [f for (f,) in logged] == [
        "police-uk/2018-10/essex/street",
        "police-uk/2018-10/kent/street",
    ]
    report = _load(con, first, second)  # resuming loads only what is missing
    assert (report.count("skipped"), report.count("loaded"), report.rows_loaded) == (2, 1, 40)
    assert list((tmp_path / "scratch").iterdir()) == []  # Ctrl-C removed its extraction
