"""``peelstat export-lake``: write the warehouse as a Parquet lake for a Spark cluster to read."""

from __future__ import annotations

from typing import Annotated

import typer

from peelstat.cli.common import JsonOption, WarehouseOption, dump_json, show


def export_lake_command(
    target: Annotated[
        str,
        typer.Argument(
            help="Folder or URI of the lake (file://, s3a://, abfss://, gs://, hdfs://)."
        ),
    ],
    warehouse: WarehouseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write every warehouse table as Parquet under TARGET/<table>/ (replacing an earlier export)."""
    from peelstat.workspace import Workspace

    written = Workspace(warehouse, create=False).export_lake(target)
    if as_json:
        dump_json({"lake": target, "rows": written})
        return
    show([{"table": t, "rows": n} for t, n in written.items()], title=f"Parquet lake {target}")
    print(f"Point Spark at it: --warehouse 'sc://HOST:15002/;lake={target}' (see docs/spark.md)")
