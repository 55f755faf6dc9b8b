"""Signing in for the audit commands that write answers, and ``peelstat audit add-account``.

The account comes from ``--account`` (or ``$PEELSTAT_ACCOUNT``) and its password from
``$PEELSTAT_PASSWORD`` or a hidden prompt; the checking is the records store's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from peelstat.cli.common import frontend
from peelstat.settings import ACCOUNT, NEW_PASSWORD, PASSWORD

if TYPE_CHECKING:
    from peelstat.inspection.records import RecordsStore
    from peelstat.inspection.records_types import Account

AccountOption = Annotated[
    str,
    typer.Option(
        "--account", envvar=ACCOUNT.variable,
        help="Your account in the records store (password from $PEELSTAT_PASSWORD, else asked).",
    ),
]  # fmt: skip


def signed_in(store: RecordsStore, name: str) -> Account:
    """The account, once its password (``$PEELSTAT_PASSWORD`` or a prompt) checks out."""
    from peelstat.errors import NotAllowedError

    if not name:
        raise NotAllowedError(
            "give --account NAME (or $PEELSTAT_ACCOUNT): answers belong to the account that "
            "records them"
        )
    password = PASSWORD.value()
    if password is None:
        password = typer.prompt(f"Password for {name}", hide_input=True, err=True)
    return store.sign_in(name, password)


def add_account(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The new account's name, as reviewers sign sheets.")],
    role: Annotated[str, typer.Option(help="reviewer, or lead (may act for others).")] = "reviewer",
    by: Annotated[
        str | None, typer.Option("--by", help="The lead adding it (not needed for the first).")
    ] = None,
    password: Annotated[
        str,
        typer.Option(
            prompt="New account's password",
            hide_input=True,
            confirmation_prompt=True,
            envvar=NEW_PASSWORD.variable,
            help="Asked for if not given.",
        ),
    ] = "",
) -> None:
    """Add an account to the records store (the first must be a lead; then a lead adds them)."""
    records = frontend(ctx).workspace.records
    lead = signed_in(records, by) if by else None
    account = records.create_account(name, password, role, by=lead)
    typer.echo(f"Added {account.role} account {account.name!r}.")
