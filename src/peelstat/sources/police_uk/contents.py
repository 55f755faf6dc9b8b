"""Whether a file's rows are what its name says: the force, and the month.

In the real archives every street and outcomes file has one force in "Reported by" and
"Falls within" (British Transport Police rows name BTP in "Reported by" and the territorial
force in "Falls within": either one agreeing is enough), and every stop-and-search date lies
within a day of its file's month (UTC against the time zone the search was recorded in).
A row that disagrees is rejected saying so (see :mod:`.validation`); a file whose first
rows mostly disagree is refused whole before anything from it is read, because it is
misnamed and loading it would put its rows under the wrong force or month.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import cache
from operator import itemgetter

from peelstat.errors import IngestError
from peelstat.reference import forces, read_reference
from peelstat.sources.csv_records import csv_records
from peelstat.sources.police_uk.files import Kind
from peelstat.sources.police_uk.sql import sql_literal

DATE_TOLERANCE = timedelta(days=1)
SAMPLE_ROWS = 250
"""Rows judged: a misnamed file disagrees from its first row, and the sample is read for every
file of every load (a national month has 132), so it is kept small."""


@cache
def force_names() -> dict[str, str]:
    """Each spelling of a force (lower case) that police.uk or the alias table uses → slug."""
    names: dict[str, str] = {}
    for row in forces().to_dict("records"):
        for column in ("police_uk_name", "name", "home_office_name", "slug"):
            if isinstance(row[column], str) and row[column]:
                names[row[column].strip().lower()] = str(row["slug"])
    aliases = read_reference("aliases.csv")
    for alias, slug in zip(aliases["alias"], aliases["slug"], strict=True):
        names[str(alias).strip().lower()] = str(slug)
    return names


@cache
def police_uk_names() -> dict[str, str]:
    """Each force's name exactly as police.uk files spell it (slug → name), where that
    spelling means the force in :func:`force_names`."""
    names = {}
    for row in forces().to_dict("records"):
        name = row["police_uk_name"]
        spelt = isinstance(name, str) and name == name.strip() and name
        if spelt and force_names().get(name.lower()) == row["slug"]:
            names[str(row["slug"])] = name
    return names


@cache
def force_sql(column: str) -> str:
    """SQL for the slug a column's force name stands for (NULL for a name not known)."""
    pairs = ", ".join(f"{sql_literal(k)}: {sql_literal(v)}" for k, v in force_names().items())
    return f"MAP {{{pairs}}}[lower(trim({column}))]"


def check_name_matches_contents(
    head: bytes, kind: Kind, month: str, force: str, label: str
) -> None:
    """Refuse a file whose first rows (up to ``SAMPLE_ROWS``) mostly belong to another force or
    month."""
    rows = _sample(head, kind)
    # rows repeat the same force and month: each distinct combination is judged once
    judged = _JUDGED[kind.suffix]
    seen = Counter(map(itemgetter(*(kind.header.index(c) for c in judged)), rows))
    disagreeing: Counter[str] = Counter()
    for values, times in seen.items():
        cells = values if len(judged) > 1 else (values,)  # one column: itemgetter gives it bare
        if found := _disagreement(dict(zip(judged, cells, strict=True)), month, force):
            disagreeing[found] += times
    count = sum(disagreeing.values())
    if rows and count * 2 > len(rows):
        most = disagreeing.most_common(1)[0][0]
        raise IngestError(
            file=label,
            problem=f"the file name says {force}, {month}, but {count} of its first "
            f"{len(rows)} rows say {most}: it looks misnamed, so nothing from it was loaded. "
            "Rename it for what it holds (YYYY-MM-<force>-<kind>.csv) and load it again",
        )


# the columns that say a row's force and month, by kind of file
_JUDGED = {
    "street": ("Reported by", "Falls within", "Month"),
    "outcomes": ("Reported by", "Falls within", "Month"),
    "stop-and-search": ("Date",),
}


def _sample(head: bytes, kind: Kind) -> list[list[str]]:
    raw = head.split(b"\n", SAMPLE_ROWS + 2)[1 : SAMPLE_ROWS + 2]  # a CR is csv's to handle
    if len(raw) > SAMPLE_ROWS:
        raw = raw[:SAMPLE_ROWS]
    elif len(raw) > 1 and not head.endswith((b"\n", b"\r")):
        raw = raw[:-1]  # the head may end mid-row
    lines = [line.decode("utf-8", errors="replace") for line in raw]
    width = len(kind.header)
    try:
        # the C reader: the sample is read for every file of every load, and only has to
        # say whether most rows disagree with the name
        cells = list(csv.reader(lines))
    except csv.Error:  # an unclosed quote or a huge field: the exact reader says which rows
        records = csv_records("\n".join(lines), width=width)
        cells = [r.cells for r in records if r.cells is not None]
    return [c for c in cells if len(c) == width]


def _disagreement(row: dict[str, str], month: str, force: str) -> str | None:
    """What a row says instead of the file's force or month, or None if it agrees."""
    if "Falls within" in row:
        named = {force_names().get(row[c].strip().lower()) for c in ("Reported by", "Falls within")}
        if force not in named and named - {None}:
            return f"Falls within {row['Falls within']!r}"
        if row["Month"].strip() not in (month, ""):
            return f"Month {row['Month'].strip()}"
        return None
    return _date_disagreement(row.get("Date", ""), month)


def _date_disagreement(text: str, month: str) -> str | None:
    text = text.strip()
    if text[:8] == f"{month}-":
        return None  # in the month by its own clock: within a day of it in UTC
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None  # an unreadable date is rejected on its own, not counted as misnamed
    start = datetime.fromisoformat(f"{month}-01").replace(tzinfo=UTC)
    end = (start + timedelta(days=32)).replace(day=1)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if start - DATE_TOLERANCE <= moment < end + DATE_TOLERANCE:
        return None
    return f"dates in {moment.strftime('%Y-%m')}"
