"""`peelstat audit results`: each question's estimate from the imported review answers
(pooled and weighted as :func:`peelstat.inspection.results.audit_results` explains)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from peelstat.cli.audit_common import ConfidenceOption, MethodOption, emit
from peelstat.cli.common import frontend
from peelstat.errors import ValidationError


def results(
    ctx: typer.Context,
    sample_id: Annotated[int | None, typer.Option("--sample", help="Sample id.")] = None,
    audit: Annotated[str | None, typer.Option(help="Audit name (all its samples).")] = None,
    method: MethodOption = "wald",
    confidence: ConfidenceOption = 0.95,
) -> None:
    """Each question's estimate with its interval, from the imported answers."""
    from peelstat.inspection.results import audit_results

    records = frontend(ctx).workspace.records
    sample_id, ids = _chosen_samples(records, sample_id, audit)
    table = audit_results(records, ids, method, confidence)
    label = f"sample {sample_id}" if sample_id is not None else f"audit {audit}"
    if frontend(ctx).as_json:
        emit(table, "", True)
        return
    emit(table[["question", "count", "of", "excluded", "result"]], f"Results, {label}", False)


def _chosen_samples(
    records: Any, sample_id: int | None, audit: str | None
) -> tuple[int | None, list[int]]:
    """The sample asked for, else the audit's samples; a store of one sample needs neither."""
    listing = records.samples(audit)
    if sample_id is None and len(listing) == 1:
        sample_id = int(listing["sample"].iloc[0])
    ids = [sample_id] if sample_id is not None else [int(i) for i in listing["sample"]]
    if not ids:
        raise ValidationError("results", ["no samples stored: draw one with `audit sample`"])
    if sample_id is None and audit is None:
        raise ValidationError("results", [f"choose --sample or --audit; stored samples: {ids}"])
    return sample_id, ids
