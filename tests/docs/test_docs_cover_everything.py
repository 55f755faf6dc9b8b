"""Docs cannot drift: every command, setting and catalogue measure is documented."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from peelstat.cli.main import app
from peelstat.settings import SETTINGS

REPO = Path(__file__).resolve().parents[2]
DOCS = "\n".join(
    p.read_text(encoding="utf-8") for p in [REPO / "README.md", *REPO.glob("docs/*.md")]
)


def command_paths(command: object, prefix: str = "peelstat") -> list[str]:
    if hasattr(command, "commands"):
        paths = []
        for name, sub in command.commands.items():
            paths += command_paths(sub, f"{prefix} {name}")
        return paths
    return [prefix]


def test_every_cli_command_is_documented() -> None:
    paths = command_paths(typer.main.get_command(app))
    assert len(paths) > 10
    missing = [p for p in paths if p not in DOCS]
    assert not missing, f"document these commands in docs/*.md: {missing}"


def test_every_setting_is_documented() -> None:
    variables = [s.variable for s in SETTINGS]
    assert "PEELSTAT_HOME" in variables and "PEELSTAT_WAREHOUSE" in variables
    missing = [v for v in variables if v not in DOCS]
    assert not missing, f"document these settings: {missing}"


def test_every_environment_variable_read_is_in_the_settings_registry() -> None:
    """A variable read anywhere but through peelstat.settings would escape the docs test."""
    source = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (REPO / "src").rglob("*.py")
        if p.name != "settings.py"
    )
    named = set(re.findall(r"PEELSTAT_[A-Z_]+", source))
    assert not named - {s.variable for s in SETTINGS}
