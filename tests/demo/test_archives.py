"""The SYNTHETIC demo archives: deterministic, in the real layout, plausible, and labelled."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import numpy as np
import pytest

from peelstat.demo.archives import (
    chosen_forces,
    demo_months,
    generate_archives,
    generate_demo,
    month_range,
)
from peelstat.demo.columns import ordinal
from peelstat.demo.generator import DemoGenerator
from peelstat.demo.mixes import CRIME_TYPES
from peelstat.sources.police_uk import KINDS, PoliceUkArchive
from peelstat.warehouse.connect import connect
from peelstat.warehouse.loading import load_source

FORCES = ["kent", "city-of-london", "btp"]


@pytest.fixture(scope="module")
def archives(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("demo")
    return generate_archives(folder, ["2019-01", "2019-02", "2019-03"], forces=FORCES, scale=0.05)


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path) -> None:
    def digests(folder: Path, seed: int) -> list[str]:
        paths = generate_archives(folder, ["2019-01"], forces=["kent"], seed=seed, scale=0.02)
        return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]

    assert digests(tmp_path / "a", 1) == digests(tmp_path / "b", 1)
    assert digests(tmp_path / "a", 1) != digests(tmp_path / "c", 2)


def test_months_shared_between_processes_give_the_same_bytes(tmp_path) -> None:
    """Outcomes cite crimes of earlier months: a process starting mid-run must still agree."""

    def digests(folder: Path, workers: int) -> list[str]:
        months = ["2019-01", "2019-02", "2019-03", "2019-04", "2019-05"]
        paths = generate_archives(folder, months, forces=["kent"], scale=0.02, workers=workers)
        assert [p.name for p in paths] == [f"{m}.zip" for m in months]
        return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]

    assert digests(tmp_path / "one", 1) == digests(tmp_path / "two", 2)


def test_real_layout_and_headers_and_plainly_synthetic(archives) -> None:
    assert [p.name for p in archives] == ["2019-01.zip", "2019-02.zip", "2019-03.zip"]
    with zipfile.ZipFile(archives[0]) as archive:
        names = archive.namelist()
        assert "2019-01/README.txt" in names
        assert "SYNTHETIC DATA" in archive.read("2019-01/README.txt").decode()
        assert "NOT real police data" in archive.read("2019-01/README.txt").decode()
        for force in FORCES:
            for kind in KINDS:
                member = f"2019-01/2019-01-{force}-{kind}.csv"
                assert member in names
                header = archive.read(member).decode().split("\n", 1)[0]
                assert header == ",".join(KINDS[kind].header)
        street = archive.read("2019-01/2019-01-kent-street.csv").decode()
    assert "Synthetic 001A" in street and "On or near Synthetic Street" in street
    assert '"On or near Synthetic Street 7, Synthetic Town"' in street  # quoted like real files


def test_loads_through_the_police_uk_source_without_rejects(archives, tmp_path) -> None:
    con = connect(tmp_path / "w.duckdb")
    report = load_source(con, PoliceUkArchive(), archives)
    assert report.rows_rejected == 0
    assert report.count("loaded") == 3 * len(FORCES) * 3
    sql = con.raw_sql
    asb_share = sql(
        "SELECT avg((crime_type = 'Anti-social behaviour')::INT) FROM police_uk_street"
    ).fetchone()[0]
    assert 0.25 < asb_share < 0.42
    assert sql("SELECT count(*) FROM police_uk_street WHERE crime_id IS NULL").fetchone()[0] > 0
    # Outcomes cite crimes of their own and earlier months, several events per crime at times.
    cited = sql(
        "SELECT avg((crime_id IN (SELECT crime_id FROM police_uk_street))::INT) "
        "FROM police_uk_outcomes WHERE month = DATE '2019-03-01'"
    ).fetchone()[0]
    assert cited > 0.7
    repeated = sql("SELECT count(*) - count(DISTINCT crime_id) FROM police_uk_outcomes").fetchone()[
        0
    ]
    assert repeated > 0
    ethnicities = {
        e
        for (e,) in sql(
            "SELECT DISTINCT officer_defined_ethnicity FROM police_uk_stop_search"
        ).fetchall()
    }
    assert ethnicities <= {"White", "Black", "Asian", "Other", "Mixed", None}
    con.disconnect()


def test_national_volumes_are_realistic() -> None:
    generator = DemoGenerator(seed=0, scale=1.0, forces=sorted(chosen_forces(None)))
    month = ordinal("2019-03")
    expected = sum(generator.expected(f, month) for f in generator.forces.values())
    street = expected.sum()
    assert 450_000 < street < 800_000  # a national month of street rows
    crimes = expected[1:].sum() * 12
    residents = sum(f.residents(2019) for f in generator.forces.values() if f.slug != "btp")
    assert 70 < crimes / residents * 1000 < 100


def test_violence_and_asb_peak_in_summer_and_forces_differ() -> None:
    generator = DemoGenerator(seed=0, scale=1.0, forces=["kent", "essex"])
    kent = generator.forces["kent"]
    july, january = (generator.expected(kent, ordinal(m)) for m in ("2019-07", "2019-01"))
    violence = CRIME_TYPES.index("Violence and sexual offences")
    assert july[violence] > 1.1 * january[violence]
    assert july[0] > 1.2 * january[0]
    assert not np.allclose(kent.type_multiplier, generator.forces["essex"].type_multiplier)


def test_month_helpers_and_cli_signature(tmp_path) -> None:
    assert demo_months(2, last="2019-01") == ["2018-12", "2019-01"]
    assert month_range("2018-11", "2019-02") == ["2018-11", "2018-12", "2019-01", "2019-02"]
    paths = generate_demo(tmp_path, months=2, forces=["Kent Police"], scale=0.01, last="2020-02")
    assert [p.name for p in paths] == ["2020-01.zip", "2020-02.zip"]
    with pytest.raises(ValueError, match="give months"):
        generate_archives(tmp_path, forces=["kent"])
