"""Every setting peelstat reads from the environment, with its default, in one registry.

Defaults are computed when asked for, not at import, so ``PEELSTAT_HOME`` moves every default
folder at once and a test can change a variable without reloading modules. The docs test
walks :data:`SETTINGS`, so a setting added here must be documented.

>>> import os
>>> os.environ["PEELSTAT_HOME"] = "/srv/peelstat"
>>> str(warehouse_location())
'/srv/peelstat/warehouse.duckdb'
>>> del os.environ["PEELSTAT_HOME"]
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    """One environment variable: what it sets and its default (a function: defaults move)."""

    variable: str
    meaning: str
    default: Callable[[], str | None]

    def value(self, given: str | Path | None = None) -> str | None:
        """The given value, else the environment variable, else the default."""
        if given:
            return str(given)
        return os.environ.get(self.variable) or self.default()


HOME = Setting(
    "PEELSTAT_HOME",
    "folder for the default warehouse, records store and downloads",
    lambda: str(Path.home() / ".peelstat"),
)


def home() -> Path:
    """Folder for the default warehouse, records store and downloads (``~/.peelstat``)."""
    return Path(str(HOME.value())).expanduser()


WAREHOUSE = Setting(
    "PEELSTAT_WAREHOUSE",
    "the warehouse: a DuckDB file path or an Ibis URL",
    lambda: str(home() / "warehouse.duckdb"),
)
STORE = Setting(
    "PEELSTAT_STORE",
    "the inspection records store: a SQLite file path or a SQLAlchemy URL",
    lambda: str(home() / "inspection.sqlite"),
)
DOWNLOADS = Setting(
    "PEELSTAT_DOWNLOADS",
    "where `peelstat fetch police-uk` keeps archives",
    lambda: str(home() / "downloads" / "police-uk"),
)
POLICE_UK_URL = Setting(
    "PEELSTAT_POLICE_UK_URL",
    "where data.police.uk serves its monthly archives (YYYY-MM.zip)",
    lambda: "https://data.police.uk/data/archive/",
)
FETCH_MAX_BYTES = Setting(
    "PEELSTAT_FETCH_MAX_BYTES",
    "the largest download `peelstat fetch` accepts, in bytes",
    lambda: None,
)
FETCH_HOSTS = Setting(
    "PEELSTAT_FETCH_HOSTS",
    "hosts (comma-separated) a download may be redirected to, besides the archive server's own",
    lambda: None,
)
ZIP_MAX_MEMBER_BYTES = Setting(
    "PEELSTAT_ZIP_MAX_MEMBER_BYTES",
    "the largest zip member a load extracts, in bytes (a larger one refuses its archive)",
    lambda: str(2 * 10**9),
)
ZIP_MAX_RATIO = Setting(
    "PEELSTAT_ZIP_MAX_RATIO",
    "the highest compression ratio of a zip member a load extracts (a zip bomb refuses its "
    "archive)",
    lambda: "200",
)
LAKE = Setting(
    "PEELSTAT_LAKE",
    "the Parquet lake a Spark warehouse (sc:// or pyspark://) reads, when the URL names none",
    lambda: None,
)
ACCOUNT = Setting(
    "PEELSTAT_ACCOUNT",
    "your account in the records store, for commands that record answers",
    lambda: None,
)
PASSWORD = Setting(
    "PEELSTAT_PASSWORD", "that account's password (else it is asked for, hidden)", lambda: None
)
NEW_PASSWORD = Setting(
    "PEELSTAT_NEW_PASSWORD", "the password of an account `audit add-account` creates", lambda: None
)
BOUNDARIES = Setting(
    "PEELSTAT_BOUNDARIES",
    "the ONS police force area boundary file (GeoJSON) that force-area maps are drawn from",
    lambda: None,
)
SHARED_DATA = Setting(
    "PEELSTAT_SHARED_DATA",
    "the real public data extracts the integration tests read",
    lambda: None,
)
TEST_POSTGRES_URL = Setting(
    "PEELSTAT_TEST_POSTGRES_URL",
    "a PostgreSQL server for the records store's tests (`make test` starts one)",
    lambda: None,
)
UPDATE_SNAPSHOTS = Setting(
    "PEELSTAT_UPDATE_SNAPSHOTS",
    "`1` rewrites the SQL and JSON snapshots of the tests",
    lambda: None,
)
WEB_SECRET = Setting(
    "PEELSTAT_WEB_SECRET",
    "the key that signs the dashboard's session cookies (default: a new random key at each "
    "start, so sign-ins end when `peelstat serve` restarts)",
    lambda: None,
)
BASE_MAP = Setting(
    "PEELSTAT_BASE_MAP",
    "a GeoJSON file drawn under the dashboard's hexagon map (coast, roads); none by default",
    lambda: None,
)

DUCKDB_MEMORY = Setting(
    "PEELSTAT_DUCKDB_MEMORY",
    "the most memory DuckDB may hold for a warehouse (e.g. `4GB`); past it, large "
    "aggregations spill to a temporary folder beside the warehouse",
    lambda: "4GB",
)

SQL_CACHE = Setting(
    "PEELSTAT_SQL_CACHE",
    "folder where the measures' compiled SQL is kept between runs (`off` keeps it in memory only)",
    lambda: str(home() / "sql-cache"),
)

SETTINGS: tuple[Setting, ...] = (
    HOME, WAREHOUSE, STORE, DOWNLOADS, POLICE_UK_URL, FETCH_MAX_BYTES, FETCH_HOSTS,
    ZIP_MAX_MEMBER_BYTES, ZIP_MAX_RATIO, LAKE,
    ACCOUNT, PASSWORD, NEW_PASSWORD, BOUNDARIES, SHARED_DATA, TEST_POSTGRES_URL, UPDATE_SNAPSHOTS,
    WEB_SECRET, BASE_MAP, DUCKDB_MEMORY, SQL_CACHE,
)  # fmt: skip
"""Every environment variable peelstat reads (the docs test checks each is documented)."""


def warehouse_location(given: str | Path | None = None) -> str:
    """The warehouse path or URL: the argument, else ``$PEELSTAT_WAREHOUSE``, else the default."""
    return str(WAREHOUSE.value(given))


def boundaries_location(given: str | Path | None = None) -> str | None:
    """The force-area boundary file: the argument, else ``$PEELSTAT_BOUNDARIES``, else none."""
    return BOUNDARIES.value(given)


def sql_cache_folder() -> Path | None:
    """Where compiled measure SQL is kept between runs; None when ``PEELSTAT_SQL_CACHE=off``."""
    value = str(SQL_CACHE.value())
    return None if value.lower() == "off" else Path(value).expanduser()


def store_location(given: str | Path | None = None) -> str:
    """The records store: the argument, else ``$PEELSTAT_STORE``, else the default."""
    return str(STORE.value(given))


def downloads_folder(given: Path | None = None) -> Path:
    """Where fetched archives are kept: the argument, else ``$PEELSTAT_DOWNLOADS``, else default."""
    return Path(str(DOWNLOADS.value(given))).expanduser()


def police_uk_url(given: str | None = None) -> str:
    """The archive server: the argument, else ``$PEELSTAT_POLICE_UK_URL``, else data.police.uk."""
    return str(POLICE_UK_URL.value(given))
