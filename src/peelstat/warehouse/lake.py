"""The Parquet lake: every warehouse table written as ``<lake>/<table>/part-0.parquet``.

The lake is the hand-over from the embedded DuckDB warehouse to Spark (a local session or a
cluster, :mod:`peelstat.warehouse.spark`) or to any engine that reads Parquet. The target is a
folder or a URI that Arrow can write (``file://``, ``s3://``, ``gs://``, ``hdfs://``,
``abfs://``); Spark's spellings ``s3a://`` and ``abfss://`` are accepted for the same stores,
so the URI given to ``export-lake`` can be the one the cluster reads.

Tables are streamed in record batches, so a warehouse larger than memory exports; each
table's folder is emptied first, so a re-export never leaves stale parts behind.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.fs as pafs
import pyarrow.parquet as pq
from ibis.backends import BaseBackend

from peelstat.warehouse.tables import table_schema, warehouse_schemas

ARROW_SCHEMES = {"s3a": "s3", "abfss": "abfs"}
"""Spark (Hadoop) URI schemes → the Arrow file system of the same store."""
BATCH_ROWS = 1_000_000


def lake_filesystem(target: str | Path) -> tuple[pafs.FileSystem, str]:
    """The Arrow file system and the path inside it for a lake folder or URI.

    >>> fs, path = lake_filesystem("file:///tmp/lake")
    >>> type(fs).__name__, path
    ('LocalFileSystem', '/tmp/lake')
    """
    text = str(target)
    scheme, sep, rest = text.partition("://")
    if not sep:
        return pafs.LocalFileSystem(), str(Path(text).expanduser().resolve())
    uri = f"{ARROW_SCHEMES.get(scheme, scheme)}://{rest}"
    fs, path = pafs.FileSystem.from_uri(uri)
    return fs, path


def export_lake(con: BaseBackend, target: str | Path) -> dict[str, int]:
    """Write every peelstat table to ``target/<table>/part-0.parquet``; returns rows per table."""
    fs, root = lake_filesystem(target)
    written = {}
    for name in warehouse_schemas():
        folder = f"{root.rstrip('/')}/{name}"
        fs.create_dir(folder, recursive=True)
        fs.delete_dir_contents(folder, missing_dir_ok=True)
        written[name] = _write_table(con, name, fs, f"{folder}/part-0.parquet")
    return written


def _write_table(con: BaseBackend, name: str, fs: pafs.FileSystem, path: str) -> int:
    table = con.table(name)
    schema = table_schema(name).to_pyarrow()
    rows = 0
    with pq.ParquetWriter(path, schema, filesystem=fs) as writer:
        for batch in table.to_pyarrow_batches(chunk_size=BATCH_ROWS):
            writer.write_batch(batch.cast(schema) if batch.schema != schema else batch)
            rows += batch.num_rows
    return rows
