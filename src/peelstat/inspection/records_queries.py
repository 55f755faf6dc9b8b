"""The records store's queries: samples, the answers given about them, judgments and findings.

Everything comes back as frozen values or DataFrames built inside the transaction, so nothing
an analyst holds changes the store or needs its session still open.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Select, select

from peelstat.errors import ValidationError
from peelstat.inspection.records_connection import StoreConnection
from peelstat.inspection.records_tables import (
    AuditRow,
    FindingRow,
    JudgmentRow,
    ReviewResultRow,
    SampleRecordRow,
    SampleRow,
    as_utc,
)
from peelstat.inspection.records_types import Finding, Judgment, StoredSample

SAMPLE_COLUMNS = ["sample", "audit", "force", "question_set", "seed", "records", "drawn_at"]
ANSWER_COLUMNS = [
    "sample",
    "record_id",
    "stratum",
    "question",
    "answer",
    "note",
    "reviewer",
    "reviewed_at",
]


class RecordQueries(StoreConnection):
    """Reads inspection records back; each method is one transaction."""

    def sample(self, sample_id: int) -> StoredSample:
        with self._session() as session:
            row = session.get(SampleRow, sample_id)
            if row is None:
                known = session.scalars(select(SampleRow.id)).all()
                raise ValidationError("sample", [f"no sample {sample_id}; stored: {known}"])
            return _stored_sample(row)

    def samples(self, audit: str | None = None) -> pd.DataFrame:
        """One row per sample: id, audit, force, seed, records, answers, question set."""
        with self._session() as session:
            query = select(SampleRow).join(AuditRow).order_by(SampleRow.id)
            if audit is not None:
                query = query.where(AuditRow.name == audit)
            rows = [_listed_sample(s) for s in session.scalars(query)]
        return pd.DataFrame(rows, columns=SAMPLE_COLUMNS)

    def answers(self, sample_id: int | None = None, audit: str | None = None) -> pd.DataFrame:
        """Stored answers with each record's stratum: one row per record, question, reviewer."""
        with self._session() as session:
            found = session.execute(_answers_query(sample_id, audit))
            rows = [_answer_row(r, stratum) for r, stratum in found]
        return pd.DataFrame(rows, columns=ANSWER_COLUMNS)

    def judgments(self, force: str | None = None, area: str | None = None) -> list[Judgment]:
        with self._session() as session:
            query = select(JudgmentRow).order_by(JudgmentRow.id)
            if force is not None:
                query = query.where(JudgmentRow.force == force)
            if area is not None:
                query = query.where(JudgmentRow.area.ilike(f"%{area}%"))
            return [_judgment(r) for r in session.scalars(query)]

    def findings(self, force: str | None = None, inspection: str | None = None) -> list[Finding]:
        with self._session() as session:
            query = select(FindingRow).order_by(FindingRow.id)
            if force is not None:
                query = query.where(FindingRow.force == force)
            if inspection is not None:
                query = query.where(FindingRow.inspection == inspection)
            return [_finding(r) for r in session.scalars(query)]


def _stored_sample(row: SampleRow) -> StoredSample:
    """The sample with its records in drawn order, as the review sheet lists them."""
    records = pd.DataFrame(
        [{"record_id": r.record_id, "stratum": r.stratum, **r.details} for r in row.records]
    )
    return StoredSample(
        id=row.id,
        audit=row.audit.name,
        force=row.audit.force,
        seed=row.seed,
        parameters=row.parameters,
        question_set=row.question_set,
        populations=row.populations,
        warnings=row.warnings,
        pool_checksum=row.pool_checksum,
        drawn_at=as_utc(row.drawn_at),
        records=records,
    )


def _listed_sample(sample: SampleRow) -> dict[str, object]:
    return {
        "sample": sample.id,
        "audit": sample.audit.name,
        "force": sample.audit.force,
        "question_set": sample.question_set["id"],
        "seed": sample.seed,
        "records": len(sample.records),
        "drawn_at": as_utc(sample.drawn_at).isoformat(timespec="seconds"),
    }


def _answers_query(sample_id: int | None, audit: str | None) -> Select[ReviewResultRow, str]:
    """Answers joined to their records, so every answer carries the stratum it was drawn from."""
    query = (
        select(ReviewResultRow, SampleRecordRow.stratum)
        .join(SampleRow, SampleRow.id == ReviewResultRow.sample_id)
        .join(AuditRow)
        .join(
            SampleRecordRow,
            (SampleRecordRow.sample_id == ReviewResultRow.sample_id)
            & (SampleRecordRow.record_id == ReviewResultRow.record_id),
        )
        .order_by(ReviewResultRow.id)
    )
    if sample_id is not None:
        query = query.where(ReviewResultRow.sample_id == sample_id)
    if audit is not None:
        query = query.where(AuditRow.name == audit)
    return query


def _answer_row(answer: ReviewResultRow, stratum: str) -> list[object]:
    return [
        answer.sample_id,
        answer.record_id,
        stratum,
        answer.question,
        answer.answer,
        answer.note,
        answer.reviewer,
        as_utc(answer.reviewed_at),
    ]


def _judgment(row: JudgmentRow) -> Judgment:
    return Judgment(
        force=row.force,
        inspection=row.inspection,
        inspection_year=row.inspection_year,
        area=row.area,
        grade=row.grade,
        scale=row.scale,
        published=row.published,
        source=row.source,
    )


def _finding(row: FindingRow) -> Finding:
    return Finding(
        force=row.force,
        inspection=row.inspection,
        kind=row.kind,
        text=row.text,
        area=row.area,
        status=row.status,
        status_date=row.status_date,
        id=row.id,
    )
