"""``peelstat serve``: the dashboard and JSON API on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peelstat.cli.common import err_console, frontend
from peelstat.settings import BASE_MAP, BOUNDARIES, WEB_SECRET


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    boundaries: Annotated[Path | None, typer.Option(help="ONS police force area GeoJSON for the force-area map (default $PEELSTAT_BOUNDARIES).")] = None,
    base_map: Annotated[Path | None, typer.Option(help="GeoJSON drawn under the hexagon map (default $PEELSTAT_BASE_MAP).")] = None,
    warm: Annotated[bool, typer.Option(help="Store the latest overview's measure frames in the warehouse before serving, so no request pays for them.")] = True,
) -> None:  # fmt: skip
    """Serve the dashboard (overview, measure, force map, data status, inspection) and the API."""
    import uvicorn

    from peelstat.web.app import create_app
    from peelstat.web.deps import WebSettings
    from peelstat.web.warmup import store_latest_frames

    workspace = frontend(ctx).workspace
    if warm:
        err_console.print(store_latest_frames(workspace))
    chosen_boundaries = boundaries or _path(BOUNDARIES.value())
    settings = WebSettings(
        secret=WEB_SECRET.value(), boundaries=chosen_boundaries,
        base_map=base_map or _path(BASE_MAP.value()), warm=warm,
    )  # fmt: skip
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[bold yellow]Listening on {host}[/]: other machines can reach the "
                          "dashboard; put it behind a TLS proxy before anyone signs in.")  # fmt: skip
    err_console.print(
        f"peelstat dashboard on http://{host}:{port}/ (warehouse {workspace.location}, read-only)"
    )
    uvicorn.run(create_app(workspace, settings), host=host, port=port, log_level="warning")


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None
