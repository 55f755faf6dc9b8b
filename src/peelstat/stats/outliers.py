"""HMICFRS-style outlier band: which forces sit well above or well below the other forces.

The band is the unweighted mean of force values ± 1 sample standard deviation (ddof=1):
HMICFRS uses the mean of forces, not a pooled rate, so large forces do not dominate. Rates
are often right-skewed, so when the values fail a Shapiro-Wilk normality test (p < 0.05),
all are positive, and their natural logs look more normal (a higher Shapiro-Wilk p-value),
the band is computed on the logs and transformed back with exp. A force is an outlier when
its z-score on the scale used is beyond ±1, i.e. strictly outside the band.
"""

from __future__ import annotations

import importlib
import sys
import threading
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from peelstat.reference import NATIONAL

NORMALITY_ALPHA = 0.05


@dataclass(frozen=True)
class OutlierBand:
    """The band, the scale it was computed on and the evidence for choosing that scale."""

    lower: float
    centre: float  # mean, or geometric mean when `transformed`
    upper: float
    transformed: bool  # True: mean ± SD of natural logs, transformed back with exp
    shapiro_p: float  # Shapiro-Wilk p of the values; NaN with fewer than 3 values
    shapiro_p_log: float | None  # of the logs; None when not all values are positive
    sd: float  # sample SD (ddof=1) on the scale used: logs when `transformed`


def import_in_background() -> None:
    """Start importing scipy.stats (about a second) on another thread, for a caller that will
    need outlier bands after a query: the import then overlaps the query, which runs in DuckDB
    without Python's lock. Importing it where it is used waits for this import to finish."""
    if "scipy.stats" not in sys.modules:
        threading.Thread(target=importlib.import_module, args=("scipy.stats",), daemon=True).start()


def shapiro_p(values: np.ndarray) -> float:
    """Shapiro-Wilk p-value, NaN when there are too few values (scipy needs 3)."""
    if len(values) < 3:
        return float("nan")
    from scipy import stats  # a second to import: only a comparison of forces needs it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns on identical values; p = 1 is right
        return float(stats.shapiro(values).pvalue)


def outlier_band(values: ArrayLike) -> OutlierBand:
    """Mean ± 1 sample SD of the forces, on logs when that is the more normal scale.

    Examples
    --------
    >>> band = outlier_band([4.0, 5.0, 6.0])
    >>> band.lower, band.centre, band.upper, band.transformed
    (4.0, 5.0, 6.0, False)
    """
    present = np.asarray(values, dtype=float)
    present = present[np.isfinite(present)]
    p_raw = shapiro_p(present)
    p_log = shapiro_p(np.log(present)) if np.all(present > 0) else None
    transformed = bool(p_raw < NORMALITY_ALPHA and p_log is not None and p_log > p_raw)
    scaled = np.log(present) if transformed else present
    # one force has no spread and none has no centre: NaN, without numpy's warnings
    mean = float(np.mean(scaled)) if len(scaled) else float("nan")
    sd = float(np.std(scaled, ddof=1)) if len(scaled) > 1 else float("nan")
    band = np.array([mean - sd, mean, mean + sd])
    lower, centre, upper = (float(x) for x in (np.exp(band) if transformed else band))
    return OutlierBand(lower, centre, upper, transformed, p_raw, p_log, sd)


def outlier_z_scores(values: pd.Series, band: OutlierBand) -> pd.Series:
    """(value − centre) / SD on the band's scale; 0 when every force has the same value."""
    return values.map(lambda value: outlier_z(value, band)).astype(float)


def outlier_z(value: float, band: OutlierBand) -> float:
    """One force's z-score on the band's scale (as :func:`outlier_z_scores`); NaN if no value."""
    if not np.isfinite(value) or (band.transformed and value <= 0):
        return float("nan")
    scaled = np.log(value) if band.transformed else value
    centre = np.log(band.centre) if band.transformed else band.centre
    return 0.0 if band.sd == 0 else float((scaled - centre) / band.sd)


def outlier_flag(z: float) -> str:
    """ "well above average" / "well below average" beyond |z| > 1, else "within band"."""
    if not np.isfinite(z):
        return "no value"
    if z > 1:
        return "well above average"
    return "well below average" if z < -1 else "within band"


def force_outliers(values: pd.Series) -> pd.DataFrame:
    """Value, z-score and flag for each force (index), band from all forces but the national row.

    Examples
    --------
    >>> values = pd.Series([4.0, 5.0, 6.0, 5.0, 9.0], index=list("abcde"))
    >>> force_outliers(values)["flag"].tolist()
    ['within band', 'within band', 'within band', 'within band', 'well above average']
    """
    forces = values.drop(NATIONAL, errors="ignore").astype(float)
    z = outlier_z_scores(forces, outlier_band(forces))
    return pd.DataFrame({"value": forces, "z": z, "flag": z.map(outlier_flag)})
