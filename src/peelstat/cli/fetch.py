"""``peelstat fetch``: download public data with progress, retries and resume, then load it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from peelstat.cli.common import dump_json, err_console, frontend, show
from peelstat.settings import POLICE_UK_URL

if TYPE_CHECKING:  # the downloader and warehouse (Ibis) load when a fetch runs, not for --help
    from peelstat.sources.download import ByteProgress, FetchReport

app = typer.Typer(
    help="Download public police data and load it into the warehouse.",
    no_args_is_help=True,
)


@app.callback()
def _fetch() -> None:
    """Download public police data and load it into the warehouse."""


@contextmanager
def download_progress() -> Iterator[ByteProgress]:
    """A Rich bar per archive with bytes, speed and time left (on stderr, so --json is clean)."""
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err_console, transient=False) as progress:
        tasks: dict[str, TaskID] = {}

        def on_bytes(month: str, done: int, total: int | None) -> None:
            if month not in tasks:
                tasks[month] = progress.add_task(f"{month}.zip", total=total)
            progress.update(tasks[month], completed=done, total=total)

        yield on_bytes


@app.command("police-uk")
def police_uk(
    ctx: typer.Context,
    from_month: Annotated[str, typer.Option("--from", help="First month, YYYY-MM.")],
    to_month: Annotated[str, typer.Option("--to", help="Last month, YYYY-MM.")],
    force: Annotated[
        list[str] | None,
        typer.Option("--force", help="Load only this force (slug or name); repeat for more."),
    ] = None,
    dest: Annotated[
        Path | None,
        typer.Option(
            help="Folder for the archives (default $PEELSTAT_DOWNLOADS or "
            "~/.peelstat/downloads/police-uk).",
            show_default=False,
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            help=f"Archive base URL (default ${POLICE_UK_URL.variable} or {POLICE_UK_URL.default()})."
        ),
    ] = None,
    download_only: Annotated[
        bool, typer.Option("--download-only", help="Download and check, but do not load.")
    ] = False,
) -> None:
    """Download data.police.uk monthly archives (resuming, retrying, checked), then load them."""
    from peelstat.sources.download import months_between
    from peelstat.warehouse.progress import loading_progress

    out = frontend(ctx)
    months = months_between(from_month, to_month)
    with download_progress() as on_bytes, loading_progress("Loading police-uk") as on_unit:
        report = out.workspace.fetch_police_uk(
            months, dest, force or (), base_url, download_only,
            on_bytes=on_bytes, on_unit_done=on_unit,
        )  # fmt: skip
    _print(report, out.as_json)
    for month in report.missing:
        err_console.print(f"[bold red]Error:[/] data.police.uk has no archive for {month}")
    if report.missing:
        raise typer.Exit(1)


def _print(report: FetchReport, as_json: bool) -> None:
    archives: list[dict[str, Any]] = [
        {
            "month": d.month,
            "file": str(d.path),
            "bytes": d.size,
            "sha256": d.sha256,
            "how": "reused" if d.reused else "resumed" if d.resumed else "downloaded",
        }
        for d in report.downloaded
    ]
    load = report.load
    if as_json:
        units = [u.__dict__ for u in load.units] if load else []
        dump_json({"archives": archives, "missing": report.missing, "units": units})
        return
    if archives:
        show(
            [{**a, "sha256": a["sha256"][:16] + "…"} for a in archives],
            title="data.police.uk archives",
        )
    if load is not None:
        print(
            f"{load.count('loaded')} files loaded, {load.count('replaced')} replaced, "
            f"{load.count('skipped')} already loaded (skipped); "
            f"{load.rows_loaded:,} rows loaded, {load.rows_rejected:,} rejected"
        )
