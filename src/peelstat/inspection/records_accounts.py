"""Accounts in the records store, and the audit trail every write leaves.

The same accounts sign in to the dashboard: :meth:`RecordAccounts.verify_password` is the one
check. The first account is a lead (someone must be able to add the others); after that only
a lead adds accounts. Every account added and every answer written leaves a row in
``audit_trail`` saying who, when, what was written and what it replaced.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peelstat.errors import NotAllowedError, SignInError, ValidationError
from peelstat.inspection.passwords import hash_password, password_matches, password_problem
from peelstat.inspection.records_connection import StoreConnection
from peelstat.inspection.records_tables import AccountRow, AuditTrailRow, now
from peelstat.inspection.records_types import ROLES, Account

TRAIL_COLUMNS = ["account", "at", "action", "subject", "replaced", "written"]


class RecordAccounts(StoreConnection):
    """Accounts: add them, check a password, look one up, read the audit trail."""

    def create_account(
        self, name: str, password: str, role: str = "reviewer", *, by: Account | None = None
    ) -> Account:
        """Add an account; ``by`` is the signed-in lead adding it (none for the first)."""
        name = name.strip()
        problems = _account_problems(name, password, role)
        if problems:
            raise ValidationError(f"account {name!r}", problems)
        with self._session() as session:
            existing = session.scalar(select(func.count()).select_from(AccountRow)) or 0
            if existing == 0 and role != "lead":
                raise NotAllowedError("the first account must be a lead (--role lead)")
            if existing and (by is None or not signed_in(session, by).is_lead):
                raise NotAllowedError("only a lead may add accounts: give --by LEAD")
            if session.scalar(select(AccountRow).where(AccountRow.name == name)) is not None:
                raise ValidationError(f"account {name!r}", ["an account of that name exists"])
            creator = by.name if by else name
            session.add(AccountRow(name=name, role=role, password_hash=hash_password(password),
                                   created_by=creator))  # fmt: skip
            trail(session, creator, "account.create", f"account {name}", None, {"role": role})
        return Account(name, role)

    def verify_password(self, name: str, password: str) -> Account | None:
        """The account, if ``password`` is its password; None otherwise (or no such account)."""
        with self._session() as session:
            row = session.scalar(select(AccountRow).where(AccountRow.name == name.strip()))
            if row is None or not password_matches(password, row.password_hash):
                return None
            return Account(row.name, row.role)

    def sign_in(self, name: str, password: str) -> Account:
        """The account, or :class:`SignInError` (not saying whether the name or password was wrong)."""
        account = self.verify_password(name, password)
        if account is None:
            raise SignInError(name)
        return account

    def account(self, name: str) -> Account:
        with self._session() as session:
            return signed_in(session, Account(name, ""))

    def audit_trail(self, limit: int | None = None) -> pd.DataFrame:
        """Every write, newest first: account, when, action, subject, what it replaced."""
        with self._session() as session:
            query = select(AuditTrailRow).order_by(AuditTrailRow.id.desc()).limit(limit)
            rows = [[getattr(r, c) for c in TRAIL_COLUMNS] for r in session.scalars(query)]
        return pd.DataFrame(rows, columns=TRAIL_COLUMNS)


def signed_in(session: Session, account: Account) -> Account:
    """The account as stored (its role read from the store, not from the caller)."""
    row = session.scalar(select(AccountRow).where(AccountRow.name == account.name))
    if row is None:
        raise NotAllowedError(
            f"no account {account.name!r} in the records store; a lead adds it with "
            "`peelstat audit add-account`"
        )
    return Account(row.name, row.role)


def trail(
    session: Session,
    account: str,
    action: str,
    subject: str,
    replaced: dict[str, Any] | None,
    written: dict[str, Any] | None,
) -> None:
    """Keep one write in the audit trail, in the transaction that makes it."""
    session.add(AuditTrailRow(account=account, at=now(), action=action, subject=subject,
                              replaced=replaced, written=written))  # fmt: skip


FUTURE_TOLERANCE = timedelta(hours=14)
"""A review may be dated up to 14 hours ahead (the furthest time zone), never later."""


def answer_refusal(
    reviewer: str, reviewed_at: datetime, account: Account, at: datetime | None = None
) -> str | None:
    """Why ``account`` may not record this answer, or None: answers belong to the reviewer
    who gives them (a lead may record others'), and a review cannot be dated in the future."""
    if reviewer != account.name and not account.is_lead:
        return (
            f"names reviewer {reviewer!r}, but you are signed in as {account.name!r}; only a "
            "lead may record answers for someone else"
        )
    if reviewed_at > (at or now()) + FUTURE_TOLERANCE:
        return f"is dated {reviewed_at.date().isoformat()}, in the future"
    return None


def _account_problems(name: str, password: str, role: str) -> list[str]:
    problems = []
    if not name:
        problems.append("an account needs a name")
    if role not in ROLES:
        problems.append(f"role {role!r} is not one of {', '.join(ROLES)}")
    weak = password_problem(password)
    if weak:
        problems.append(weak)
    return problems
