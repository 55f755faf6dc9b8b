"""What the records store takes and gives back: plain frozen values, never live table rows,
so callers cannot change the store by accident or touch a closed session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class StoredSample:
    """A sample as read back: its records, question set and how it was drawn."""

    id: int
    audit: str
    force: str
    seed: int
    parameters: dict[str, Any]
    question_set: dict[str, Any]
    populations: dict[str, int]
    warnings: list[str]
    pool_checksum: str
    drawn_at: datetime
    records: pd.DataFrame


@dataclass(frozen=True)
class Answer:
    """One answer from a completed review sheet, ready to store."""

    record_id: str
    question: str
    answer: str
    reviewer: str
    reviewed_at: datetime
    note: str = ""


@dataclass(frozen=True)
class Judgment:
    force: str
    inspection: str
    inspection_year: str
    area: str
    grade: str | None
    scale: str
    published: date | None = None
    source: str = ""


@dataclass(frozen=True)
class Finding:
    force: str
    inspection: str
    kind: str
    text: str
    area: str = ""
    status: str = "open"
    status_date: date | None = None
    id: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class CdiAudit:
    """A crime data integrity audit's inputs, as published or as the audit counted them.

    ``offence_groups`` empty means all crime excluding fraud; ``recorded`` is the 12-month
    recorded crime only when the analyst gave it (otherwise it is read from the warehouse).
    """

    force: str
    audit_end: str  # the last month of the audit period, "2018-03"
    rate: float  # 0.914
    margin: float  # 0.026
    offence_groups: tuple[str, ...] = ()
    recorded_correctly: int | None = None
    audited: int | None = None
    recorded: int | None = None
    source: str = ""
    recorded_by: str = field(default="", compare=False)

    @property
    def scope(self) -> str:
        """The offence groups as one key ("" for all crime excluding fraud)."""
        return "; ".join(sorted(self.offence_groups))


ROLES = ("reviewer", "lead")
"""A reviewer records their own answers; a lead may also record them for others, and add
accounts."""


@dataclass(frozen=True)
class Account:
    """A signed-in account (as :meth:`RecordsStore.verify_password` gives it)."""

    name: str
    role: str

    @property
    def is_lead(self) -> bool:
        return self.role == "lead"
