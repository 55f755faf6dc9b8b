"""Where the records store lives and how it is opened: one transaction per store method.

The location is the analyst's setting (``--store`` or ``$PEELSTAT_STORE``), so a store that
cannot be opened says which setting to change rather than showing a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from peelstat.errors import ValidationError
from peelstat.inspection.records_tables import Base
from peelstat.settings import STORE, store_location

ENV_VAR = STORE.variable


def store_url(location: str | Path | None = None) -> str:
    """The store URL: the argument, else ``$PEELSTAT_STORE``, else ~/.peelstat/inspection.sqlite.

    A plain path is taken as a SQLite file; anything with ``://`` is a SQLAlchemy URL.
    """
    chosen = store_location(location)
    if "://" in chosen:
        return chosen
    path = Path(chosen).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


class StoreConnection:
    """The open store: its engine and transactions, which the writes and queries build on."""

    def __init__(self, location: str | Path | None = None) -> None:
        self.url = store_location(location)
        try:
            self.url = store_url(location)
            self.engine: Engine = create_engine(self.url)
            Base.metadata.create_all(self.engine)
        except (SQLAlchemyError, ImportError, OSError) as error:
            raise self._cannot_open(error) from None

    def _cannot_open(self, error: Exception) -> ValidationError:
        """An analyst needs the reason and where to change the setting, not a traceback."""
        reason = str(error).splitlines()[0]
        problem = (
            f"cannot open it: {reason}. Check --store or ${ENV_VAR}: give a SQLite file in "
            "a folder you can write to, or a URL such as "
            "postgresql+psycopg://user@host/database for a running server"
        )
        return ValidationError(f"records store {self.display_url}", [problem])

    @property
    def display_url(self) -> str:
        """The URL without its password, for messages."""
        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except SQLAlchemyError:
            return self.url.split("@")[-1]

    def __repr__(self) -> str:
        return f"RecordsStore({self.display_url!r})"

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session
