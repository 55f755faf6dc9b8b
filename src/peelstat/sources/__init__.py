"""Data sources: one module each, all registered here the way a plug-in would be.

``SOURCES`` maps the name used on the command line (``peelstat load police-uk ...``) to the
module path and class that implements :class:`peelstat.sources.base.Source`; modules are
imported only when used so a missing optional dependency of one source never breaks another.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from peelstat.errors import PeelstatError
from peelstat.sources.base import Source

SOURCES: dict[str, str] = {
    "police-uk": "peelstat.sources.police_uk:PoliceUkArchive",
    "home-office": "peelstat.sources.home_office:RecordedCrimeTable",
    "home-office-rolling": "peelstat.sources.home_office:RollingYearTable",
    "crime-outcomes": "peelstat.sources.home_office:CrimeOutcomesTable",
    "population": "peelstat.sources.population:PopulationSource",
    "call-answering": "peelstat.sources.call_answering:CallAnsweringSource",
    "local": "peelstat.sources.local:LocalObservationsSource",
    "offence-weights": "peelstat.sources.offence_weights:OffenceWeightsSource",
    "ons-pfa-tables": "peelstat.sources.ons_pfa_tables:PfaTablesSource",
}


def get_source(name: str, **options: Any) -> Source:
    """The source registered under ``name``, built with its options (e.g. ``lookup=...``)."""
    if name not in SOURCES:
        known = ", ".join(sorted(SOURCES))
        raise PeelstatError(f"Unknown source {name!r}. Known sources: {known}.")
    module_name, _, class_name = SOURCES[name].partition(":")
    factory = getattr(import_module(module_name), class_name)
    source: Source = factory(**options)
    return source
