"""The records store's writes: samples, review answers, judgments and findings.

Each write is one transaction, so an imported sheet or grades file lands whole or not at all,
and writing the same thing again updates it rather than adding a duplicate.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from peelstat.errors import NotAllowedError, ValidationError
from peelstat.inspection.records_accounts import answer_refusal, signed_in, trail
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
from peelstat.inspection.records_types import Account, Answer, Finding, Judgment


class RecordWrites(StoreConnection):
    """Adds and updates inspection records; each method is one transaction."""

    def save_sample(
        self,
        audit: str,
        force: str,
        seed: int,
        parameters: dict[str, Any],
        question_set: dict[str, Any],
        records: pd.DataFrame,
        populations: dict[str, int],
        warnings: list[str],
        pool_checksum: str,
    ) -> int:
        """Store a drawn sample under an audit (created if new); returns the sample id."""
        with self._session() as session:
            sample = SampleRow(
                audit=_audit_for(session, audit, force),
                seed=seed,
                parameters=parameters,
                question_set=question_set,
                populations=populations,
                warnings=warnings,
                pool_checksum=pool_checksum,
                records=_sample_records(records),
            )
            session.add(sample)
            session.flush()
            return sample.id

    def save_answers(
        self, sample_id: int, answers: Iterable[Answer], source: str = "", *, account: Account
    ) -> int:
        """Store answers in one transaction, replacing a reviewer's earlier answers to the same
        questions (re-importing a corrected sheet is safe). Answers belong to the account that
        records them (a lead may record others'); each write is kept in the audit trail."""
        answers = list(answers)
        with self._session() as session:
            signed = signed_in(session, account)
            problems = [f"{a.record_id}, {a.question}: {refusal}" for a in answers
                        if (refusal := answer_refusal(a.reviewer, a.reviewed_at, signed))]  # fmt: skip
            if problems:
                raise NotAllowedError(f"answers not stored: {'; '.join(problems[:5])}"
                                      + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""))  # fmt: skip
            replaced = _forget_earlier_answers(session, sample_id, answers)
            for answer in answers:
                key = (answer.record_id, answer.question, answer.reviewer)
                session.add(ReviewResultRow(sample_id=sample_id, source=source, **answer.__dict__))
                subject = f"sample {sample_id}, record {key[0]}, {key[1]}, reviewer {key[2]}"
                trail(session, signed.name, "answer.save", subject, replaced.get(key),
                      _answer_json(answer, source))  # fmt: skip
        return len(answers)

    def save_judgments(self, judgments: Iterable[Judgment]) -> int:
        """Add or update judgments (a force's area in an inspection has one grade)."""
        count = 0
        with self._session() as session:
            for judgment in judgments:
                _save_judgment(session, judgment)
                count += 1
        return count

    def save_findings(self, findings: Iterable[Finding]) -> list[int]:
        """Add findings; one already stored (same force, inspection, kind, text) is updated."""
        with self._session() as session:
            return [_save_finding(session, finding) for finding in findings]

    def set_finding_status(self, finding_id: int, status: str, on: date | None = None) -> None:
        with self._session() as session:
            row = session.get(FindingRow, finding_id)
            if row is None:
                raise ValidationError("finding", [f"no finding with id {finding_id}"])
            row.status, row.status_date = status, on or date.today()


def _audit_for(session: Session, audit: str, force: str) -> AuditRow:
    """The named audit, created if new: an audit reviews one force's records only."""
    row = session.scalar(select(AuditRow).where(AuditRow.name == audit))
    if row is None:
        row = AuditRow(name=audit, force=force)
        session.add(row)
    elif row.force != force:
        raise ValidationError(
            f"audit {audit!r}", [f"belongs to force {row.force!r}, not {force!r}"]
        )
    return row


def _sample_records(records: pd.DataFrame) -> list[SampleRecordRow]:
    """The drawn records in the order drawn, which is the order of the review sheet."""
    return [
        _sample_record(position, record)
        for position, record in enumerate(records.to_dict("records"))
    ]


def _sample_record(position: int, record: dict[Any, Any]) -> SampleRecordRow:
    details = {k: _jsonable(v) for k, v in record.items()}
    return SampleRecordRow(
        record_id=str(details.pop("record_id")),
        stratum=str(details.pop("stratum")),
        position=position,
        details=details,
    )


def _forget_earlier_answers(
    session: Session, sample_id: int, answers: list[Answer]
) -> dict[tuple[str, str, str], dict[str, Any]]:
    """A corrected sheet replaces what its reviewers said before about the same questions;
    returns what it replaced, for the audit trail."""
    keys = {(a.record_id, a.question, a.reviewer) for a in answers}
    if not keys:
        return {}
    earlier = (
        ReviewResultRow.sample_id == sample_id,
        tuple_(ReviewResultRow.record_id, ReviewResultRow.question, ReviewResultRow.reviewer).in_(
            list(keys)
        ),
    )
    replaced = {
        (row.record_id, row.question, row.reviewer): _answer_json(row, row.source)
        for row in session.scalars(select(ReviewResultRow).where(*earlier))
    }
    session.execute(delete(ReviewResultRow).where(*earlier))
    return replaced


def _answer_json(answer: Answer | ReviewResultRow, source: str) -> dict[str, Any]:
    return {"answer": answer.answer, "note": answer.note, "reviewer": answer.reviewer,
            "reviewed_at": as_utc(answer.reviewed_at).isoformat(), "source": source}  # fmt: skip


def _save_judgment(session: Session, judgment: Judgment) -> None:
    """Add the judgment, or regrade the one stored for its force, inspection and area."""
    row = session.scalar(
        select(JudgmentRow).where(
            JudgmentRow.force == judgment.force,
            JudgmentRow.inspection == judgment.inspection,
            JudgmentRow.area == judgment.area,
        )
    )
    if row is None:
        session.add(JudgmentRow(**judgment.__dict__))
    else:
        for key, value in judgment.__dict__.items():
            setattr(row, key, value)


def _save_finding(session: Session, finding: Finding) -> int:
    """Add the finding, or bring the stored one's area and follow-up status up to date."""
    row = session.scalar(
        select(FindingRow).where(
            FindingRow.force == finding.force,
            FindingRow.inspection == finding.inspection,
            FindingRow.kind == finding.kind,
            FindingRow.text == finding.text,
        )
    )
    if row is None:
        row = FindingRow(**{k: v for k, v in finding.__dict__.items() if k != "id"})
        session.add(row)
    else:
        row.status, row.status_date, row.area = finding.status, finding.status_date, finding.area
    session.flush()
    return row.id


def _jsonable(value: Any) -> Any:
    """Sample details go into a JSON column: dates as ISO text, missing values as None."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
    if not isinstance(value, list | dict | tuple) and pd.isna(value):
        return None
    return value
