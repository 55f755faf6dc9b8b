"""Problems found in a measure file, gathered so they are reported together."""

from __future__ import annotations

from peelstat.errors import CatalogueError


class Problems:
    """Collects every problem in a file so the analyst fixes them in one go."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[CatalogueError] = []

    def add(self, measure: str | None, field_name: str | None, problem: str) -> None:
        self.items.append(CatalogueError(self.file, measure, field_name, problem))

    def raise_if_any(self) -> None:
        if len(self.items) == 1:
            raise self.items[0]
        if self.items:
            listing = "\n".join(f"  - {e}" for e in self.items)
            raise CatalogueError(self.file, None, None, f"{len(self.items)} problems:\n{listing}")
