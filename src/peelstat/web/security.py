"""Sign-in, signed session cookies and CSRF tokens for the dashboard's few writes.

The session is a cookie signed with the server's key (Starlette's SessionMiddleware,
itsdangerous): it holds the account name and a CSRF token, never a password. Every form that
writes carries the token in a hidden field, every API write in an ``X-CSRF-Token`` header;
a request without the matching token is refused before anything is written.
"""

from __future__ import annotations

import secrets

from fastapi import Request

from peelstat.errors import NotAllowedError
from peelstat.inspection.records_types import Account

SESSION_COOKIE = "peelstat_session"
SESSION_HOURS = 8


class CsrfError(NotAllowedError):
    """A write without the token of the session that asks for it (another site's form)."""

    def __init__(self) -> None:
        super().__init__("the form is out of date or comes from another site: reload the page")


class SignedOutError(NotAllowedError):
    """A write by nobody: sign in first."""

    def __init__(self) -> None:
        super().__init__("sign in to record reviews")


def csrf_token(request: Request) -> str:
    """The session's token (made on first use), for a form's hidden field."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf(request: Request, given: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not given or not secrets.compare_digest(str(expected), given):
        raise CsrfError()


def current_account(request: Request) -> Account | None:
    """The signed-in account, its role read from the records store (not from the cookie)."""
    name = request.session.get("account")
    if not name:
        return None
    results = request.app.state.results
    return results.workspace.records.account(str(name))


def required_account(request: Request) -> Account:
    account = current_account(request)
    if account is None:
        raise SignedOutError()
    return account


def sign_in(request: Request, name: str, password: str) -> Account:
    account = request.app.state.results.workspace.records.sign_in(name, password)
    request.session.clear()  # a new session on sign-in: no fixation of an older one
    request.session["account"] = account.name
    csrf_token(request)
    return account


def sign_out(request: Request) -> None:
    request.session.clear()
