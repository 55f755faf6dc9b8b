"""Crime data integrity audits in the records store: their inputs, saved by a signed-in
account (with an audit-trail row, as every write) and read back for the inspection profile.

The store keeps what the audit found — the recording rate and its margin, or the counts it
came from — not the unrecorded figure: that is worked out from the warehouse's recorded crime
when it is shown (:mod:`peelstat.analysis.cdi`), so it follows the data loaded.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from peelstat.errors import ValidationError
from peelstat.inspection.records_accounts import signed_in, trail
from peelstat.inspection.records_connection import StoreConnection
from peelstat.inspection.records_tables import CdiAuditRow
from peelstat.inspection.records_types import Account, CdiAudit

FIELDS = ("rate", "margin", "recorded_correctly", "audited", "recorded", "source")


class RecordCdi(StoreConnection):
    """Saves and reads crime data integrity audit inputs; each method is one transaction."""

    def save_cdi_audit(self, audit: CdiAudit, *, account: Account) -> CdiAudit:
        """Store the audit (replacing one of the same force, end and offence groups)."""
        problems = _problems(audit)
        if problems:
            raise ValidationError(f"crime data integrity audit {audit.force} {audit.audit_end}",
                                  problems)  # fmt: skip
        with self._session() as session:
            signed = signed_in(session, account)
            row = session.scalar(select(CdiAuditRow).where(
                CdiAuditRow.force == audit.force, CdiAuditRow.audit_end == audit.audit_end,
                CdiAuditRow.scope == audit.scope,
            ))  # fmt: skip
            replaced = _json(row) if row is not None else None
            if row is None:
                row = CdiAuditRow(force=audit.force, audit_end=audit.audit_end,
                                  scope=audit.scope)  # fmt: skip
                session.add(row)
            for name in FIELDS:
                setattr(row, name, getattr(audit, name))
            row.offence_groups, row.recorded_by = list(audit.offence_groups), signed.name
            subject = f"cdi {audit.force} {audit.audit_end}" + (
                f" ({audit.scope})" if audit.scope else ""
            )
            trail(session, signed.name, "cdi.save", subject, replaced, _json(row))
            return _audit(row)

    def cdi_audits(self, force: str | None = None) -> list[CdiAudit]:
        """Stored audits, latest audit end first."""
        with self._session() as session:
            query = select(CdiAuditRow).order_by(CdiAuditRow.audit_end.desc(), CdiAuditRow.scope)
            if force is not None:
                query = query.where(CdiAuditRow.force == force)
            return [_audit(r) for r in session.scalars(query)]


def _problems(audit: CdiAudit) -> list[str]:
    problems = []
    if not 0 < audit.rate <= 1:
        problems.append(f"the recording rate must be in (0, 1], e.g. 0.914 (got {audit.rate})")
    if not 0 <= audit.margin < audit.rate:
        problems.append(f"the margin must be between 0 and the rate (got {audit.margin})")
    if audit.recorded is not None and audit.recorded < 0:
        problems.append(f"recorded crimes cannot be negative (got {audit.recorded})")
    return problems


def _audit(row: CdiAuditRow) -> CdiAudit:
    return CdiAudit(
        force=row.force, audit_end=row.audit_end, rate=row.rate, margin=row.margin,
        offence_groups=tuple(row.offence_groups), recorded_correctly=row.recorded_correctly,
        audited=row.audited, recorded=row.recorded, source=row.source,
        recorded_by=row.recorded_by,
    )  # fmt: skip


def _json(row: CdiAuditRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in FIELDS} | {
        "audit_end": row.audit_end, "offence_groups": list(row.offence_groups),
    }  # fmt: skip
