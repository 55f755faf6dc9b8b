"""The top-level commands through the real entry point, as an analyst runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)


def peelstat(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "peelstat.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=600,  # generous: the CI machine may be busy
    )


def street_file(folder: Path, rows: list[str]) -> Path:
    path = folder / "2019-03" / "2019-03-kent-street.csv"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join([STREET_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


GOOD = (
    "ab12,2019-03,Kent Police,Kent Police,0.52,51.27,On or near High Street,E01024000,"
    "Maidstone 001A,Burglary,Under investigation,"
)
ASB = (
    ",2019-03,Kent Police,Kent Police,0.52,51.27,On or near High Street,E01024000,"
    "Maidstone 001A,Anti-social behaviour,,"
)
BAD_MONTH = (
    "cd34,March 2019,Kent Police,Kent Police,0.52,51.27,On or near Park Road,E01024000,"
    "Maidstone 001A,Robbery,Under investigation,"
)


def test_load_status_and_rejected_tell_the_same_story(tmp_path: Path) -> None:
    warehouse = str(tmp_path / "w.duckdb")
    path = street_file(tmp_path, [GOOD, ASB, BAD_MONTH])

    loaded = peelstat("load", "police-uk", str(path), "--warehouse", warehouse, "--json")
    assert loaded.returncode == 0, loaded.stderr
    (unit,) = json.loads(loaded.stdout)["units"]
    assert (unit["outcome"], unit["rows_loaded"], unit["rows_rejected"]) == ("loaded", 2, 1)

    again = peelstat("load", "police-uk", str(path), "--warehouse", warehouse)
    assert again.returncode == 0
    assert "1 already loaded (skipped)" in again.stdout

    status = json.loads(peelstat("status", "--warehouse", warehouse, "--json").stdout)
    (street,) = status["tables"]
    assert (street["table"], street["rows"], street["rejected_rows"]) == ("police_uk_street", 2, 1)
    assert (street["first_period"], street["last_period"]) == ("2019-03", "2019-03")

    rejected = json.loads(peelstat("rejected", "--warehouse", warehouse, "--json").stdout)
    assert [(r["line"], r["raw"]) for r in rejected] == [(4, BAD_MONTH)]
    assert rejected[0]["path"] == str(path)  # the file to open, not only the unit's name
    by_path = peelstat("rejected", "--file", path.name, "--warehouse", warehouse, "--json")
    assert len(json.loads(by_path.stdout)) == 1


def test_status_of_an_empty_warehouse_says_what_to_do(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    assert (
        peelstat("load", "police-uk", str(tmp_path), "--warehouse", str(warehouse)).returncode == 0
    )
    result = peelstat("status", "--warehouse", str(warehouse))
    assert result.returncode == 0
    assert "peelstat demo" in result.stdout


@pytest.mark.parametrize(
    "command",
    [["status"], ["rejected"], ["benchmark", "--force", "kent", "--period", "2023-06"],
     ["msg", "show"]],
)  # fmt: skip
def test_a_mistyped_warehouse_is_an_error_not_an_empty_warehouse(
    tmp_path: Path, command: list[str]
) -> None:
    typo = tmp_path / "warehuose.duckdb"
    result = peelstat(*command, "--warehouse", str(typo))
    assert result.returncode == 1
    assert f"No warehouse at {typo}" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert not typo.exists()  # nothing was created


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["load", "police-ukk", "x.csv"], "Unknown source 'police-ukk'. Known sources:"),
        (["load", "police-uk", "no-such-file.zip"], "no-such-file.zip"),
    ],
)
def test_mistakes_get_a_plain_message_not_a_traceback(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = peelstat(*args, "--warehouse", str(tmp_path / "w.duckdb"))
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wrong_header_is_reported_whole_with_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "2019-03-kent-street.csv"
    path.write_text("Crime ID,Month\nx,2019-03\n", encoding="utf-8")
    result = peelstat("load", "police-uk", str(path), "--warehouse", str(tmp_path / "w.duckdb"))
    assert result.returncode == 1
    # Column lists are in square brackets: printed as Rich markup they would be eaten.
    assert "found ['Crime ID', 'Month']; missing ['Reported by'," in result.stderr
    assert "Traceback" not in result.stderr


def test_a_load_of_many_files_is_summarised_by_table(tmp_path: Path) -> None:
    from peelstat.demo.archives import generate_archives

    forces = ["kent", "essex", "surrey", "sussex", "dorset", "wiltshire", "cumbria", "durham"]
    archive = generate_archives(tmp_path, ["2019-12"], forces=forces, scale=0.01)[0]
    result = peelstat("load", "police-uk", str(archive), "--warehouse", str(tmp_path / "w.duckdb"))
    assert result.returncode == 0, result.stderr
    assert "24 files, by table" in result.stdout
    assert "police_uk_stop_search" in result.stdout
    assert "police-uk/2019-12/kent/street" not in result.stdout  # not one row per file
    assert "24 loaded, 0 replaced" in result.stdout


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    """`peelstat --help` and quick commands must not wait for scipy, statsmodels, Ibis or
    SQLAlchemy: each command imports what it uses."""
    code = (
        "import sys, peelstat.cli.main; "
        "print(sorted(m for m in ('scipy', 'statsmodels', 'ibis', 'sqlalchemy', 'duckdb') "
        "if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "[]"


def test_demo_builds_a_warehouse_and_prints_the_report_and_what_to_try_next(tmp_path: Path) -> None:
    warehouse = tmp_path / "demo" / "warehouse.duckdb"
    forces = ["--forces", "avon-and-somerset", "--forces", "kent", "--forces", "essex"]
    result = peelstat("demo", "--months", "13", *forces, "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    assert "SYNTHETIC" in result.stderr and "SYNTHETIC" in result.stdout
    assert "avon-and-somerset — 12 months to 2023-12" in result.stdout
    assert "Robbery (police.uk)" in result.stdout and "/3" in result.stdout  # ranked among 3
    assert "peelstat trend --force avon-and-somerset -m police_uk_robbery" in result.stdout
    assert (tmp_path / "demo" / "archives" / "2023-12.zip").exists()


def test_rejected_refuses_a_control_character_with_a_message(tmp_path: Path) -> None:
    warehouse = str(tmp_path / "w.duckdb")
    assert (
        peelstat(
            "load", "police-uk", str(street_file(tmp_path, [GOOD])), "-w", warehouse
        ).returncode
        == 0
    )
    result = peelstat("rejected", "--file", "kent\x01", "--warehouse", warehouse)
    assert result.returncode == 1 and "control character" in result.stderr
    assert "Traceback" not in result.stderr


def test_recount_brings_the_summaries_back_to_rows_changed_in_sql(tmp_path: Path) -> None:
    """An UPDATE keeps every month's row count, so neither the summaries nor the stored
    frames can see it; ``peelstat recount`` counts from the rows again."""
    import duckdb

    warehouse = tmp_path / "w.duckdb"
    path = street_file(tmp_path, [GOOD, GOOD.replace("ab12", "ab13"), ASB])
    assert peelstat("load", "police-uk", str(path), "--warehouse", str(warehouse)).returncode == 0
    kept = "SELECT crime_type, sum(rows__) FROM police_uk_street__monthly GROUP BY ALL ORDER BY ALL"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("UPDATE police_uk_street SET crime_type = 'Robbery' WHERE crime_id = 'ab13'")
        tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
        assert "measure_cache_state" in tables  # the load stored frames
        assert con.execute(kept).fetchall() == [("Anti-social behaviour", 1), ("Burglary", 2)]
    done = peelstat("recount", "--warehouse", str(warehouse))
    assert done.returncode == 0, done.stderr
    assert "police_uk_street__monthly" in done.stdout and "forgotten" in done.stdout
    with duckdb.connect(str(warehouse)) as con:
        assert con.execute(kept).fetchall() == [
            ("Anti-social behaviour", 1), ("Burglary", 1), ("Robbery", 1)
        ]  # fmt: skip
        tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
        assert "measure_cache_state" not in tables
    missing = peelstat("recount", "--warehouse", str(tmp_path / "nowhere.duckdb"))
    assert missing.returncode != 0 and not (tmp_path / "nowhere.duckdb").exists()
