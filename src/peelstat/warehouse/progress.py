"""A Rich progress bar for long loads: units done, rows loaded and rows per second.

>>> with loading_progress("Loading police-uk", disable=True) as on_unit_done:
...     on_unit_done.start([])
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from peelstat.sources.base import SourceFile


class RowsPerSecondColumn(ProgressColumn):
    """Rows loaded so far and the rate: what tells an analyst how long a national load takes."""

    def render(self, task: Task) -> Text:
        rows = int(task.fields.get("rows", 0))
        elapsed = task.elapsed or 0.0
        rate = rows / elapsed if elapsed > 0 else 0.0
        return Text(f"{rows:,} rows {rate:,.0f} rows/s", style="progress.data.speed")


class UnitProgress:
    """The ``on_unit_done`` callback for :func:`peelstat.warehouse.loading.load_source`."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self.progress, self.task, self.rows = progress, task, 0

    def start(self, units: Sequence[SourceFile]) -> None:
        """Called by ``load_source`` with every unit found, so the bar knows its total."""
        self.progress.update(self.task, total=len(units))

    def __call__(self, unit: SourceFile, rows: int) -> None:
        self.rows += rows
        self.progress.update(self.task, advance=1, rows=self.rows)


@contextmanager
def loading_progress(
    description: str = "Loading", console: Console | None = None, disable: bool = False
) -> Iterator[UnitProgress]:
    """A progress bar (on stderr) whose callback ``load_source`` advances per unit."""
    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(bar_width=16),
        MofNCompleteColumn(),
        RowsPerSecondColumn(),
        TimeElapsedColumn(),
        console=console or Console(stderr=True),
        transient=False,
        disable=disable,
    )
    with progress:
        task = progress.add_task(description, total=None, rows=0)
        yield UnitProgress(progress, task)
