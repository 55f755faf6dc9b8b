"""data.police.uk monthly archives: street crime, outcomes and stop and search.

Accepts the zip exactly as data.police.uk serves it, an extracted folder
(``YYYY-MM/YYYY-MM-<force>-<kind>.csv``), or single CSV files. A load unit is one
force-month-kind, named for what it covers (``police-uk/2018-10/avon-and-somerset/street``),
so the zip, the folder and a renamed copy of the same file are the same unit.

Parsing runs in DuckDB's CSV reader (all columns as text, then validated and cast in SQL)
because national months run to a million rows; rows that cannot be read or cast are
returned as rejects with their real 1-based line number (the header is line 1).

>>> unit_name("2018-10", "kent", "street")
'police-uk/2018-10/kent/street'

The modules: :mod:`.files` (kinds, headers, file names), :mod:`.archive` (zips),
:mod:`.sql` (DuckDB's reader), :mod:`.validation` (checks and casts), :mod:`.lines`
(line numbers), :mod:`.reading` (parsing), :mod:`.native` (loading inside DuckDB),
:mod:`.tables` (the warehouse tables it writes and how measures read them) and
:mod:`.source` (the source itself).
"""

from __future__ import annotations

from peelstat.sources.police_uk.archive import ArchiveMember
from peelstat.sources.police_uk.files import (
    FILE_NAME,
    KINDS,
    OUTCOMES_HEADER,
    STOP_SEARCH_HEADER,
    STREET_HEADER,
    Kind,
    unit_name,
)
from peelstat.sources.police_uk.source import PoliceUkArchive

__all__ = [
    "FILE_NAME",
    "KINDS",
    "OUTCOMES_HEADER",
    "STOP_SEARCH_HEADER",
    "STREET_HEADER",
    "ArchiveMember",
    "Kind",
    "PoliceUkArchive",
    "unit_name",
]
