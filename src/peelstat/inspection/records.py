"""The inspection records store: audits, samples, review answers and graded judgments.

SQLAlchemy, so one file on an analyst's laptop (SQLite, the default) and a shared PostgreSQL
database for an audit team are the same code. Every write is one transaction: an import either
lands whole or not at all.

The store is split by what a change touches: the tables (`records_tables`), the values callers
hold (`records_types`), opening the store (`records_connection`), its writes
(`records_writes`), its queries (`records_queries`), accounts (`records_accounts`) and
crime data integrity audits (`records_cdi`); `RecordsStore` puts them together.
"""

from __future__ import annotations

from peelstat.inspection.records_accounts import RecordAccounts
from peelstat.inspection.records_cdi import RecordCdi
from peelstat.inspection.records_queries import RecordQueries
from peelstat.inspection.records_writes import RecordWrites


class RecordsStore(RecordWrites, RecordQueries, RecordAccounts, RecordCdi):
    """Reads and writes inspection records; each method is one transaction."""
