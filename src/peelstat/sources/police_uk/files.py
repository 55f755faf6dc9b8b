"""What a police.uk file is: its kind, its exact header and the unit its name stands for.

A unit is named for what it covers, not where it was found, so the zip, the extracted folder
and a renamed copy of the same file are the same unit. Force and header are checked before
any row is read, so a misnamed or reshaped file fails saying what is wrong with it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from peelstat.errors import HeaderMismatchError, HeaderSpellingError, IngestError
from peelstat.reference import forces
from peelstat.sources.csv_records import csv_records
from peelstat.sources.police_uk.tables import OUTCOMES, STOP_SEARCH, STREET

STREET_HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
OUTCOMES_HEADER = [*STREET_HEADER[:9], "Outcome type"]
STOP_SEARCH_HEADER = [
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
]


def _snake(column: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", column.lower()).strip("_")


@dataclass(frozen=True)
class Kind:
    """One police.uk file kind: its file-name suffix, warehouse table and exact header."""

    suffix: str
    table: str
    header: list[str]
    renames: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        """Warehouse column name of each header column, in file order."""
        return [self.renames.get(c, _snake(c)) for c in self.header]


KINDS: dict[str, Kind] = {
    "street": Kind("street", STREET.name, STREET_HEADER),
    "outcomes": Kind(
        "outcomes", OUTCOMES.name, OUTCOMES_HEADER, {"Outcome type": "outcome_category"}
    ),
    "stop-and-search": Kind("stop-and-search", STOP_SEARCH.name, STOP_SEARCH_HEADER),
}

FILE_NAME = re.compile(
    r"^(?P<month>\d{4}-(?:0[1-9]|1[0-2]))-(?P<force>[a-z0-9][a-z0-9-]*?)"
    r"-(?P<kind>street|outcomes|stop-and-search)\.csv$",
    re.IGNORECASE,
)


def unit_name(month: str, force: str, kind: str) -> str:
    """The load unit one force-month-kind file stands for, wherever the file was found."""
    return f"police-uk/{month}/{force}/{kind}"


def check_force(force: str, label: str) -> None:
    """Refuse a force slug the reference table does not know, suggesting the nearest."""
    known = list(forces()["slug"])
    if force in known:
        return
    near = difflib.get_close_matches(force, known, n=3, cutoff=0.5)
    hint = f"nearest known slugs: {', '.join(near)}" if near else "see the forces reference table"
    raise IngestError(file=label, problem=f"unknown force slug {force!r} in the file name; {hint}")


def check_header(data: bytes, kind: Kind, label: str) -> None:
    """Refuse a file whose first line is not exactly its kind's header (``data`` may be a head)."""
    end = data.find(b"\n")
    first = (data if end < 0 else data[:end]).rstrip(b"\r").decode("utf-8-sig", errors="replace")
    record = next(csv_records(first), None) if first else None
    found = record.cells or [] if record is not None else []
    if found != kind.header:
        if [_spelling(c) for c in found] == [_spelling(c) for c in kind.header]:
            raise HeaderSpellingError(label, kind.header, found)
        raise HeaderMismatchError(label, kind.header, found)


def _spelling(column: str) -> str:
    """A column name without case or separators: ``crime_id``, ``Crime ID`` → ``crimeid``."""
    return re.sub(r"[\s_\-.]+", "", column).lower()
