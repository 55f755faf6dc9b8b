"""The wrong file for a source (a police.uk zip given to `load home-office`, a binary file
named .csv): a message naming the file and the forms the source reads, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peelstat.cli.main import app
from peelstat.sources import registered_sources

TABLE_SOURCES = [s for s in registered_sources() if s != "police-uk"]


def police_uk_zip(folder: Path) -> Path:
    path = folder / "2019-03.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2019-03/2019-03-kent-street.csv", "Crime ID,Month\n" + "x,y\n" * 500)
    return path


@pytest.mark.parametrize("source", TABLE_SOURCES)
def test_a_police_uk_zip_given_to_a_table_source_is_named_and_refused(
    source: str, tmp_path: Path, warehouse_path: Path
) -> None:
    archive = police_uk_zip(tmp_path)
    result = CliRunner().invoke(
        app, ["load", source, str(archive), "--warehouse", str(warehouse_path)]
    )
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, UnicodeDecodeError)
    message = " ".join(result.output.split())
    assert f"{archive}: this is a zip archive, not a table this source reads" in message
    assert "expected a CSV table (UTF-8 or Windows-1252 text) or a spreadsheet" in message
    assert "peelstat load police-uk" in message


@pytest.mark.parametrize(
    ("content", "kind"),
    [(b"\x00\x01\x02binary\x00" * 100, "binary data, not text"),
     (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF"),
     (b"force,month\n\x81\x8d\x8f\x90\x9d,2023-01\n", "text in neither UTF-8 nor Windows-1252")],
)  # fmt: skip
def test_a_binary_or_undecodable_csv_is_named_and_refused(
    content: bytes, kind: str, tmp_path: Path, warehouse_path: Path
) -> None:
    path = tmp_path / "calls.csv"
    path.write_bytes(content)
    result = CliRunner().invoke(
        app, ["load", "call-answering", str(path), "--warehouse", str(warehouse_path)]
    )
    assert result.exit_code == 1, result.output
    assert f"{path}: this is {kind}, not a table this source reads" in " ".join(
        result.output.split()
    )
