"""Each check question's estimate, with its interval, from stored review answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from peelstat.errors import ValidationError
from peelstat.inspection.questions import QuestionSet
from peelstat.stats.intervals import Stratum, proportion_interval, stratified_estimate

COLUMNS = [
    "question",
    "text",
    "count",
    "of",
    "excluded",
    "estimate",
    "lower",
    "upper",
    "margin",
    "method",
    "result",
]
# what each row takes from its interval ("text" is the question's, not the interval's)
INTERVAL_FIELDS = ("estimate", "lower", "upper", "margin", "method")


def latest_answers(answers: pd.DataFrame) -> pd.DataFrame:
    """One answer per record and question: the latest, when two reviewers marked the same file."""
    ordered = answers.sort_values("reviewed_at", kind="stable")
    return ordered.drop_duplicates(["sample", "record_id", "question"], keep="last")


def question_estimates(
    answers: pd.DataFrame,
    questions: QuestionSet,
    method: str = "wald",
    confidence: float = 0.95,
    populations: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Share of records answered `questions.counts` ('yes') per question, excluded answers left out.

    With `populations` (records per stratum in the pool sampled) and more than one stratum,
    the estimate is the population-weighted stratified one, so deliberately over-sampled
    strata do not distort it; otherwise it is the plain share with the chosen interval.
    """
    answers = latest_answers(answers)
    rows = []
    for question in questions.questions:
        given = answers[answers["question"] == question.id]
        counted = given[~given["answer"].isin(questions.excluded)]
        count, of = int((counted["answer"] == questions.counts).sum()), len(counted)
        row: dict[str, object] = {
            "question": question.id,
            "text": question.text,
            "count": count,
            "of": of,
            "excluded": len(given) - of,
        }
        if of:
            strata = _strata(counted, questions.counts, populations)
            estimate = (
                stratified_estimate(strata, confidence)
                if len(strata) > 1
                else proportion_interval(count, of, confidence, method)
            )
            row |= {k: v for k, v in estimate.as_dict().items() if k in INTERVAL_FIELDS}
            row["result"] = f"{count} of {of}: {estimate.describe()}"
        else:
            row["result"] = "no answers"
        rows.append(row)
    return pd.DataFrame(rows).reindex(columns=COLUMNS)


def _strata(
    counted: pd.DataFrame, counts: str, populations: Mapping[str, int] | None
) -> list[Stratum]:
    groups = {str(name): group for name, group in counted.groupby("stratum")}
    if not populations or not all(populations.get(name) for name in groups):
        return []  # without every stratum's population there is nothing to weight by
    return [
        Stratum(name, int((group["answer"] == counts).sum()), len(group), populations[name])
        for name, group in groups.items()
    ]


def audit_results(
    records: Any, sample_ids: list[int], method: str = "wald", confidence: float = 0.95
) -> pd.DataFrame:
    """Each question's estimate from the stored answers of ``sample_ids`` (one audit's samples).

    Samples are pooled only when they share a question set, and strata are weighted only when
    one sample's strata do not share crimes: otherwise the estimate would mix unlike things.
    """
    stored = [records.sample(i) for i in sample_ids]
    if len({s.question_set["id"] for s in stored}) > 1:
        raise ValidationError("results", ["the audit's samples use different question sets"])
    answers = pd.concat([records.answers(i) for i in sample_ids], ignore_index=True)
    single = stored[0] if len(stored) == 1 else None
    weighted = single is not None and not single.parameters.get("strata_overlap", True)
    populations = single.populations if single is not None and weighted else None
    questions = QuestionSet.from_stored(stored[0].question_set)
    return question_estimates(answers, questions, method, confidence, populations)
