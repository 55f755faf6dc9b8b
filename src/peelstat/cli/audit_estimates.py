"""`peelstat audit estimate`, `sample-size` and `compare`: the arithmetic of an audit.

They take counts an analyst already has (from a report or a finished review) and need neither
the warehouse nor the records store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from peelstat.cli.audit_common import ConfidenceOption, MethodOption, emit
from peelstat.cli.common import frontend

if TYPE_CHECKING:  # the statistics (scipy) are imported by the commands that use them
    from peelstat.stats.intervals import ProportionEstimate


def estimate(
    ctx: typer.Context,
    count: Annotated[int, typer.Argument(help="Records meeting the standard, e.g. 159.")],
    of: Annotated[int, typer.Argument(help="Records reviewed, e.g. 182.")],
    method: MethodOption = "wald",
    confidence: ConfidenceOption = 0.95,
) -> None:
    """A proportion with its confidence interval: `audit estimate 159 182` → 87.4% ± 4.8."""
    from peelstat.stats.intervals import METHODS, proportion_interval

    methods = list(METHODS) if method == "all" else [method]
    results = [proportion_interval(count, of, confidence, m) for m in methods]
    if frontend(ctx).as_json:
        dicts = [r.as_dict() for r in results]
        emit(dicts if method == "all" else dicts[0], "", True)
        return
    rows = [_estimate_row(r, confidence) for r in results]
    emit(rows, f"{count} of {of}", False, [r.describe() for r in results])


def _estimate_row(result: ProportionEstimate, confidence: float) -> dict[str, str]:
    return {
        "method": result.method_title,
        "estimate": f"{100 * result.estimate:.1f}%",
        "interval": f"{100 * result.lower:.1f}% to {100 * result.upper:.1f}%",
        "margin": _margin(result),
        "confidence": f"{100 * confidence:g}%",
    }


def _margin(result: ProportionEstimate) -> str:
    """The margin as HMICFRS prints it ("± 4.8"), or both sides when the interval is lopsided."""
    below, above = 100 * (result.estimate - result.lower), 100 * (result.upper - result.estimate)
    return f"± {below:.1f}" if f"{below:.1f}" == f"{above:.1f}" else f"−{below:.1f} / +{above:.1f}"


def sample_size(
    ctx: typer.Context,
    margin: Annotated[float, typer.Option(help="Target margin, e.g. 0.05 for ± 5 points.")],
    proportion: Annotated[
        float, typer.Option(help="Expected proportion (0.5 when unknown: the largest sample).")
    ] = 0.5,
    population: Annotated[
        int | None, typer.Option(help="Records in the population (finite population).")
    ] = None,
    confidence: ConfidenceOption = 0.95,
) -> None:
    """Records to review for a normal-approximation margin of ± MARGIN."""
    from peelstat.stats.intervals import sample_size_for_margin

    n = sample_size_for_margin(margin, confidence, proportion, population)
    row = {
        "records": n,
        "margin": margin,
        "expected_proportion": proportion,
        "population": population,
        "confidence": confidence,
    }
    emit(row, "Sample size", frontend(ctx).as_json)


def compare(
    ctx: typer.Context,
    first_count: Annotated[int, typer.Argument(help="Earlier audit: records meeting it.")],
    first_of: Annotated[int, typer.Argument(help="Earlier audit: records reviewed.")],
    second_count: Annotated[int, typer.Argument(help="Later audit: records meeting it.")],
    second_of: Annotated[int, typer.Argument(help="Later audit: records reviewed.")],
    confidence: ConfidenceOption = 0.95,
) -> None:
    """Has the proportion changed between two audits? (two-proportion z test)"""
    from peelstat.stats.audit import compare_audits

    result = compare_audits(first_count, first_of, second_count, second_of, confidence)
    if frontend(ctx).as_json:
        emit(result.as_dict(), "", True)
        return
    row = {
        "earlier": result.first.describe(),
        "later": result.second.describe(),
        "change": f"{100 * result.difference:+.1f} points",
        "p_value": result.p_value,
        "significant": result.significant,
    }
    emit(row, "Audit comparison", False, [result.describe()])
