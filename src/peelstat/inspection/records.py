"""The inspection records store: audits, samples, review answers and graded judgments.

SQLAlchemy, so one file on an analyst's laptop (SQLite, the default) and a shared PostgreSQL
database for an audit team are the same code. Every write is one transaction: an import either
lands whole or not at all.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    select,
    tuple_,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from peelstat.errors import ValidationError

DEFAULT_STORE = Path.home() / ".peelstat" / "inspection.sqlite"
ENV_VAR = "PEELSTAT_STORE"


def now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything peelstat stores is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar = {dict[str, Any]: JSON, list[Any]: JSON}


class AuditRow(Base):
    """A named review exercise ("VSA 2022"): a force, a question set, one or more samples."""

    __tablename__ = "audits"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    force: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    samples: Mapped[list[SampleRow]] = relationship(back_populates="audit")


class SampleRow(Base):
    """A drawn sample with everything needed to draw it again: seed, parameters, pool checksum."""

    __tablename__ = "samples"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"))
    seed: Mapped[int] = mapped_column(Integer)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    question_set: Mapped[dict[str, Any]] = mapped_column(JSON)
    populations: Mapped[dict[str, Any]] = mapped_column(JSON)
    warnings: Mapped[list[Any]] = mapped_column(JSON)
    pool_checksum: Mapped[str] = mapped_column(String(64))
    drawn_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    audit: Mapped[AuditRow] = relationship(back_populates="samples")
    records: Mapped[list[SampleRecordRow]] = relationship(
        back_populates="sample", order_by="SampleRecordRow.position"
    )


class SampleRecordRow(Base):
    __tablename__ = "sample_records"
    __table_args__ = (UniqueConstraint("sample_id", "record_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("samples.id"))
    record_id: Mapped[str] = mapped_column(String(200))
    stratum: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    sample: Mapped[SampleRow] = relationship(back_populates="records")


class ReviewResultRow(Base):
    """One reviewer's answer to one question about one record."""

    __tablename__ = "review_results"
    __table_args__ = (UniqueConstraint("sample_id", "record_id", "question", "reviewer"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("samples.id"))
    record_id: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(String(100))
    answer: Mapped[str] = mapped_column(String(50))
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(200))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(500), default="")


class JudgmentRow(Base):
    """A graded judgment: one area of one inspection of one force."""

    __tablename__ = "judgments"
    __table_args__ = (UniqueConstraint("force", "inspection", "area"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    force: Mapped[str] = mapped_column(String(100))
    inspection: Mapped[str] = mapped_column(String(200))
    inspection_year: Mapped[str] = mapped_column(String(20))
    area: Mapped[str] = mapped_column(String(300))
    grade: Mapped[str | None] = mapped_column(String(50), nullable=True)
    scale: Mapped[str] = mapped_column(String(20))
    published: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(Text, default="")


class FindingRow(Base):
    """An area for improvement, cause of concern or recommendation, and its follow-up status."""

    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    force: Mapped[str] = mapped_column(String(100))
    inspection: Mapped[str] = mapped_column(String(200))
    area: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(40), default="open")
    status_date: Mapped[date | None] = mapped_column(Date, nullable=True)


@dataclass(frozen=True)
class StoredSample:
    """A sample as read back: its records, question set and how it was drawn."""

    id: int
    audit: str
    force: str
    seed: int
    parameters: dict[str, Any]
    question_set: dict[str, Any]
    populations: dict[str, int]
    warnings: list[str]
    pool_checksum: str
    drawn_at: datetime
    records: pd.DataFrame


@dataclass(frozen=True)
class Answer:
    """One answer from a completed review sheet, ready to store."""

    record_id: str
    question: str
    answer: str
    reviewer: str
    reviewed_at: datetime
    note: str = ""


@dataclass(frozen=True)
class Judgment:
    force: str
    inspection: str
    inspection_year: str
    area: str
    grade: str | None
    scale: str
    published: date | None = None
    source: str = ""


@dataclass(frozen=True)
class Finding:
    force: str
    inspection: str
    kind: str
    text: str
    area: str = ""
    status: str = "open"
    status_date: date | None = None
    id: int | None = field(default=None, compare=False)


def store_location(location: str | Path | None = None) -> str:
    """The store as the analyst gave it: the argument, else ``$PEELSTAT_STORE``, else the default."""
    return str(location or os.environ.get(ENV_VAR) or DEFAULT_STORE)


def store_url(location: str | Path | None = None) -> str:
    """The store URL: the argument, else ``$PEELSTAT_STORE``, else ~/.peelstat/inspection.sqlite.

    A plain path is taken as a SQLite file; anything with ``://`` is a SQLAlchemy URL.
    """
    chosen = store_location(location)
    if "://" in chosen:
        return chosen
    path = Path(chosen).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


class RecordsStore:
    """Reads and writes inspection records; each method is one transaction."""

    def __init__(self, location: str | Path | None = None) -> None:
        self.url = store_location(location)
        try:
            self.url = store_url(location)
            self.engine: Engine = create_engine(self.url)
            Base.metadata.create_all(self.engine)
        except (SQLAlchemyError, ImportError, OSError) as error:
            # an analyst needs the reason and where to change the setting, not a traceback
            reason = str(error).splitlines()[0]
            problem = (
                f"cannot open it: {reason}. Check --store or ${ENV_VAR}: give a SQLite file in "
                "a folder you can write to, or a URL such as "
                "postgresql+psycopg://user@host/database for a running server"
            )
            raise ValidationError(f"records store {self.display_url}", [problem]) from None

    @property
    def display_url(self) -> str:
        """The URL without its password, for messages."""
        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except SQLAlchemyError:
            return self.url.split("@")[-1]

    def __repr__(self) -> str:
        return f"RecordsStore({self.display_url!r})"

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    # -- samples -------------------------------------------------------------------------

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
            row = session.scalar(select(AuditRow).where(AuditRow.name == audit))
            if row is None:
                row = AuditRow(name=audit, force=force)
                session.add(row)
            elif row.force != force:
                raise ValidationError(
                    f"audit {audit!r}", [f"belongs to force {row.force!r}, not {force!r}"]
                )
            sample = SampleRow(
                audit=row,
                seed=seed,
                parameters=parameters,
                question_set=question_set,
                populations=populations,
                warnings=warnings,
                pool_checksum=pool_checksum,
            )
            for position, record in enumerate(records.to_dict("records")):
                details = {k: _jsonable(v) for k, v in record.items()}
                sample.records.append(
                    SampleRecordRow(
                        record_id=str(details.pop("record_id")),
                        stratum=str(details.pop("stratum")),
                        position=position,
                        details=details,
                    )
                )
            session.add(sample)
            session.flush()
            return sample.id

    def sample(self, sample_id: int) -> StoredSample:
        with self._session() as session:
            row = session.get(SampleRow, sample_id)
            if row is None:
                known = session.scalars(select(SampleRow.id)).all()
                raise ValidationError("sample", [f"no sample {sample_id}; stored: {known}"])
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

    def samples(self, audit: str | None = None) -> pd.DataFrame:
        """One row per sample: id, audit, force, seed, records, answers, question set."""
        with self._session() as session:
            query = select(SampleRow).join(AuditRow).order_by(SampleRow.id)
            if audit is not None:
                query = query.where(AuditRow.name == audit)
            rows = [
                {
                    "sample": s.id,
                    "audit": s.audit.name,
                    "force": s.audit.force,
                    "question_set": s.question_set["id"],
                    "seed": s.seed,
                    "records": len(s.records),
                    "drawn_at": as_utc(s.drawn_at).isoformat(timespec="seconds"),
                }
                for s in session.scalars(query)
            ]
        return pd.DataFrame(
            rows,
            columns=["sample", "audit", "force", "question_set", "seed", "records", "drawn_at"],
        )

    # -- review results ------------------------------------------------------------------

    def save_answers(self, sample_id: int, answers: Iterable[Answer], source: str = "") -> int:
        """Store answers in one transaction, replacing a reviewer's earlier answers to the same
        questions (re-importing a corrected sheet is safe)."""
        answers = list(answers)
        keys = {(a.record_id, a.question, a.reviewer) for a in answers}
        with self._session() as session:
            if keys:
                session.execute(
                    delete(ReviewResultRow).where(
                        ReviewResultRow.sample_id == sample_id,
                        tuple_(
                            ReviewResultRow.record_id,
                            ReviewResultRow.question,
                            ReviewResultRow.reviewer,
                        ).in_(list(keys)),
                    )
                )
            session.add_all(
                ReviewResultRow(sample_id=sample_id, source=source, **a.__dict__) for a in answers
            )
        return len(answers)

    def answers(self, sample_id: int | None = None, audit: str | None = None) -> pd.DataFrame:
        """Stored answers with each record's stratum: one row per record, question, reviewer."""
        columns = [
            "sample",
            "record_id",
            "stratum",
            "question",
            "answer",
            "note",
            "reviewer",
            "reviewed_at",
        ]
        with self._session() as session:
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
            rows = [
                [
                    r.sample_id,
                    r.record_id,
                    stratum,
                    r.question,
                    r.answer,
                    r.note,
                    r.reviewer,
                    as_utc(r.reviewed_at),
                ]
                for r, stratum in session.execute(query)
            ]
        return pd.DataFrame(rows, columns=columns)

    # -- graded judgments ----------------------------------------------------------------

    def save_judgments(self, judgments: Iterable[Judgment]) -> int:
        """Add or update judgments (a force's area in an inspection has one grade)."""
        count = 0
        with self._session() as session:
            for j in judgments:
                row = session.scalar(
                    select(JudgmentRow).where(
                        JudgmentRow.force == j.force,
                        JudgmentRow.inspection == j.inspection,
                        JudgmentRow.area == j.area,
                    )
                )
                if row is None:
                    session.add(JudgmentRow(**j.__dict__))
                else:
                    for key, value in j.__dict__.items():
                        setattr(row, key, value)
                count += 1
        return count

    def judgments(self, force: str | None = None, area: str | None = None) -> list[Judgment]:
        with self._session() as session:
            query = select(JudgmentRow).order_by(JudgmentRow.id)
            if force is not None:
                query = query.where(JudgmentRow.force == force)
            if area is not None:
                query = query.where(JudgmentRow.area.ilike(f"%{area}%"))
            return [
                Judgment(
                    force=r.force,
                    inspection=r.inspection,
                    inspection_year=r.inspection_year,
                    area=r.area,
                    grade=r.grade,
                    scale=r.scale,
                    published=r.published,
                    source=r.source,
                )
                for r in session.scalars(query)
            ]

    def save_findings(self, findings: Iterable[Finding]) -> list[int]:
        """Add findings; one already stored (same force, inspection, kind, text) is updated."""
        ids = []
        with self._session() as session:
            for f in findings:
                row = session.scalar(
                    select(FindingRow).where(
                        FindingRow.force == f.force,
                        FindingRow.inspection == f.inspection,
                        FindingRow.kind == f.kind,
                        FindingRow.text == f.text,
                    )
                )
                values = {k: v for k, v in f.__dict__.items() if k != "id"}
                if row is None:
                    row = FindingRow(**values)
                    session.add(row)
                else:
                    row.status, row.status_date, row.area = f.status, f.status_date, f.area
                session.flush()
                ids.append(row.id)
        return ids

    def set_finding_status(self, finding_id: int, status: str, on: date | None = None) -> None:
        with self._session() as session:
            row = session.get(FindingRow, finding_id)
            if row is None:
                raise ValidationError("finding", [f"no finding with id {finding_id}"])
            row.status, row.status_date = status, on or date.today()

    def findings(self, force: str | None = None, inspection: str | None = None) -> list[Finding]:
        with self._session() as session:
            query = select(FindingRow).order_by(FindingRow.id)
            if force is not None:
                query = query.where(FindingRow.force == force)
            if inspection is not None:
                query = query.where(FindingRow.inspection == inspection)
            return [
                Finding(
                    force=r.force,
                    inspection=r.inspection,
                    kind=r.kind,
                    text=r.text,
                    area=r.area,
                    status=r.status,
                    status_date=r.status_date,
                    id=r.id,
                )
                for r in session.scalars(query)
            ]


def _jsonable(value: Any) -> Any:
    """Sample details go into a JSON column: dates as ISO text, missing values as None."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
    if not isinstance(value, list | dict | tuple) and pd.isna(value):
        return None
    return value
