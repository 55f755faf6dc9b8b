"""`peelstat audit ...` and `peelstat cdi`: audit estimates, samples, review sheets and results.

Each command parses options, calls one pure function or the records store, and renders the
returned rows as a Rich table or, with --json, as JSON. The commands live in `audit_estimates`,
`audit_samples`, `audit_results` and `cdi`; here they are put on the `audit` group in the order
`peelstat audit --help` lists them.
"""

from __future__ import annotations

import typer

from peelstat.cli.audit_accounts import add_account
from peelstat.cli.audit_estimates import compare, estimate, sample_size
from peelstat.cli.audit_results import results
from peelstat.cli.audit_samples import import_sheet, sample, samples, sheet
from peelstat.cli.cdi import cdi_command

__all__ = ["app", "cdi_command"]

app = typer.Typer(help="Audit estimates, case-file samples, review sheets and their results.")
app.command()(estimate)
app.command("sample-size")(sample_size)
app.command()(compare)
app.command()(sample)
app.command("sheet")(sheet)
app.command("samples")(samples)
app.command("import")(import_sheet)
app.command("add-account")(add_account)
app.command()(results)
