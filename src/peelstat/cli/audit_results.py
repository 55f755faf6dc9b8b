"""`peelstat audit results`: each question's estimate from the imported review answers.

Samples are pooled only when they share a question set, and strata are weighted only when one
sample's strata do not share crimes: otherwise the estimate would mix unlike things.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import pandas as pd
import typer

from peelstat.cli.audit_common import ConfidenceOption, MethodOption, emit
from peelstat.cli.common import frontend
from peelstat.errors import ValidationError

if TYPE_CHECKING:
    from peelstat.inspection.records_types import StoredSample


def results(
    ctx: typer.Context,
    sample_id: Annotated[int | None, typer.Option("--sample", help="Sample id.")] = None,
    audit: Annotated[str | None, typer.Option(help="Audit name (all its samples).")] = None,
    method: MethodOption = "wald",
    confidence: ConfidenceOption = 0.95,
) -> None:
    """Each question's estimate with its interval, from the imported answers."""
    from peelstat.inspection.questions import QuestionSet
    from peelstat.inspection.results import question_estimates

    records = frontend(ctx).workspace.records
    sample_id, ids = _chosen_samples(records, sample_id, audit)
    stored = _same_question_set([records.sample(i) for i in ids])
    answers = pd.concat([records.answers(i) for i in ids], ignore_index=True)
    populations = _strata_populations(stored)
    questions = QuestionSet.from_stored(stored[0].question_set)
    table = question_estimates(answers, questions, method, confidence, populations)
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


def _same_question_set(stored: list[StoredSample]) -> list[StoredSample]:
    """Answers to different questions cannot be pooled into one estimate."""
    if len({s.question_set["id"] for s in stored}) > 1:
        raise ValidationError("results", ["the audit's samples use different question sets"])
    return stored


def _strata_populations(stored: list[StoredSample]) -> dict[str, int] | None:
    """Weight by strata populations only for one sample whose strata do not share crimes."""
    single = stored[0] if len(stored) == 1 else None
    weighted = single is not None and not single.parameters.get("strata_overlap", True)
    return single.populations if single is not None and weighted else None
