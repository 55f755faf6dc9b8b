"""``peelstat export-lake``: write the warehouse as a Parquet lake for a Spark cluster to read."""

from __future__ import annotations

from typing import Annotated

import typer

from peelstat.cli.common import dump_json, frontend, show


def export_lake_command(
    ctx: typer.Context,
    target: Annotated[
        str,
        typer.Argument(
            help="Folder or URI of the lake (file://, s3a://, abfss://, gs://, hdfs://)."
        ),
    ],
) -> None:
    """Write every warehouse table as Parquet under TARGET/<table>/ (replacing an earlier export)."""
    out = frontend(ctx)
    written = out.workspace.export_lake(target)
    if out.as_json:
        dump_json({"lake": target, "rows": written})
        return
    show([{"table": t, "rows": n} for t, n in written.items()], title=f"Parquet lake {target}")
    print(f"Point Spark at it: --warehouse 'sc://HOST:15002/;lake={target}' (see docs/spark.md)")
