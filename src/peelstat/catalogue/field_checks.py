"""Checks on how a measure is reported: unit, direction, window, priority, ratio and grain.

Each returns a usable value even when wrong, so parsing goes on and finds every problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peelstat.catalogue.measure import Denominator
from peelstat.catalogue.problems import Problems
from peelstat.catalogue.source_specs import PRIORITIES, UNITS
from peelstat.periods import Grain
from peelstat.sources.contract import SourceSpec

LOCAL_SOURCE = "local_observations"


def checked_unit(
    raw: Mapping[str, Any], denominator: Denominator, mid: str | None, problems: Problems
) -> str:
    """The unit, which must agree with the denominator (per 1,000 households needs households)."""
    unit = str(raw.get("unit", "count"))
    if unit not in UNITS:
        problems.add(mid, "unit", f"unknown unit {unit!r}; use one of {sorted(UNITS)}")
        unit = "count"
    if unit == "per_1000_households" and denominator.kind != "households":
        problems.add(mid, "unit", "per_1000_households needs denominator: households")
    if unit in ("per_1000_residents", "severity_per_resident") and denominator.kind != "residents":
        problems.add(mid, "unit", f"{unit} needs denominator: residents")
    return unit


def checked_polarity(raw: Mapping[str, Any], mid: str | None, problems: Problems) -> bool:
    """Whether a fall is good news; "yes" or 1 would be ambiguous, so only true/false."""
    polarity = raw.get("lower_is_better", True)
    if not isinstance(polarity, bool):
        problems.add(mid, "lower_is_better", f"must be true or false, got {polarity!r}")
        return True
    return polarity


def checked_window(
    raw: Mapping[str, Any], source: str, spec: SourceSpec, mid: str | None, problems: Problems
) -> int:
    """Months in a window: whole quarters for quarterly data, 12 for rolling-year tables."""
    window = raw.get("window", 12)
    if not isinstance(window, int) or window < 1 or (spec.grain == "quarter" and window % 3):
        problems.add(
            mid, "window", f"months, a whole number (multiple of 3 for quarterly data): {window!r}"
        )
        window = 12
    if spec.already_rolling and window != 12:
        problems.add(mid, "window", f"{source} holds 12-month totals already; window must be 12")
    return window


def checked_priority(raw: Mapping[str, Any], mid: str | None, problems: Problems) -> str:
    """The report section the measure appears under."""
    priority = str(raw.get("priority", "other"))
    if priority not in PRIORITIES:
        problems.add(
            mid, "priority", f"unknown priority {priority!r}; use one of {list(PRIORITIES)}"
        )
    return priority


def checked_ratio_of(
    raw: Mapping[str, Any], mid: str | None, problems: Problems
) -> tuple[str, str] | None:
    """The two measures whose values are divided, if the measure is a ratio of measures."""
    ratio_of = raw.get("ratio_of")
    if ratio_of is not None and (not isinstance(ratio_of, list) or len(ratio_of) != 2):
        problems.add(mid, "ratio_of", "a list of two measure ids: [numerator, denominator]")
        return None
    return (str(ratio_of[0]), str(ratio_of[1])) if ratio_of else None


def checked_grain(
    raw: Mapping[str, Any], source: str, mid: str | None, problems: Problems
) -> Grain | None:
    """A local export's grain (monthly or quarterly); other sources have theirs fixed."""
    grain = raw.get("grain")
    if grain is not None and (source != LOCAL_SOURCE or grain not in ("month", "quarter")):
        problems.add(mid, "grain", "only local_observations take a grain: month or quarter")
        return None
    return grain
