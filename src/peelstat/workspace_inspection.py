"""The inspection side of the front object: case-file review pools, stop and search
disparity, crime data integrity estimates and the records store behind them.

:class:`peelstat.workspace.Workspace` is the one door; this is its second room, so the
warehouse side and the inspection side each read on their own.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd
    from ibis.backends import BaseBackend

    from peelstat.analysis.cdi import CdiEstimate
    from peelstat.analysis.disparity import StopSearchDisparity
    from peelstat.catalogue.measure import Catalogue
    from peelstat.inspection.cdi import RecordedCrime
    from peelstat.inspection.records import RecordsStore


class InspectionEvidence:
    """PEEL inspection evidence from the warehouse and the records store (mixed into
    ``Workspace``, which provides the connection and the catalogue)."""

    store_location: str

    if TYPE_CHECKING:

        @property
        def catalogue(self) -> Catalogue: ...

        def _reader(self) -> BaseBackend: ...

    @cached_property
    def records(self) -> RecordsStore:
        """The inspection records store (audits, samples, reviews, graded judgments)."""
        from peelstat.inspection.records import RecordsStore

        return RecordsStore(self.store_location)

    # ---- inspection ---------------------------------------------------------------------------

    def sample_pool(self, force: str, start: str, end: str) -> pd.DataFrame:
        """The police.uk crimes a case-file review sample is drawn from."""
        from peelstat.inspection.sampling import candidate_crimes

        return candidate_crimes(self._reader(), force, start, end)

    def stop_search_disparity(self, force: str, period: str | dt.date) -> StopSearchDisparity:
        """How many times as likely each ethnic group was to be searched as White people, with
        the 95% interval, and the MSG and national benchmarks."""
        from peelstat.analysis.disparity import stop_search_disparity

        return stop_search_disparity(self._reader(), self.catalogue, force, period)

    def cdi_estimates(self, force: str) -> tuple[CdiEstimate, ...]:
        """The force's stored crime data integrity audits, each with the crimes it implies went
        unrecorded (from the warehouse's recorded crime), latest first."""
        from peelstat.analysis.cdi import cdi_estimates
        from peelstat.reference import resolve_force

        slug = resolve_force(force)
        return cdi_estimates(self._reader(), self.records.cdi_audits(slug), slug)

    def recorded_crime(
        self, force: str, audit_end: str, offence_groups: list[str] | None
    ) -> RecordedCrime:
        """Crimes recorded in the 12 months to an audit's end (the base of an unrecorded estimate)."""
        from peelstat.inspection.cdi import recorded_crime_12_months

        return recorded_crime_12_months(self._reader(), force, audit_end, offence_groups)
