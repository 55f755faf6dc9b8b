"""The records store's tables: audits, their samples, review answers, judgments, findings and
crime data integrity audit inputs.

Kept apart from the reads and writes so a schema change is reviewed in one place.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


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


class AccountRow(Base):
    """Someone who records reviews (and signs in to the dashboard): name, role, password hash."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    created_by: Mapped[str] = mapped_column(String(200), default="")


class AuditTrailRow(Base):
    """One write to the store: who made it, when, what it wrote and what it replaced."""

    __tablename__ = "audit_trail"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(500))
    replaced: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    written: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


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


class CdiAuditRow(Base):
    """A crime data integrity audit's inputs: the recording rate and its margin for a force's
    12 months to ``audit_end``, over all crime excluding fraud or named offence groups."""

    __tablename__ = "cdi_audits"
    __table_args__ = (UniqueConstraint("force", "audit_end", "scope"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    force: Mapped[str] = mapped_column(String(100))
    audit_end: Mapped[str] = mapped_column(String(7))  # "2018-03"
    scope: Mapped[str] = mapped_column(String(500))  # "" for all crime excluding fraud
    offence_groups: Mapped[list[Any]] = mapped_column(JSON)
    rate: Mapped[float] = mapped_column(Float)
    margin: Mapped[float] = mapped_column(Float)
    recorded_correctly: Mapped[int | None] = mapped_column(Integer, nullable=True)
    audited: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recorded: Mapped[int | None] = mapped_column(Integer, nullable=True)  # given, not read
    source: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200))
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
