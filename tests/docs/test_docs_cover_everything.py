"""Docs cannot drift: every command, setting and catalogue measure is documented."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from peelstat.cli.main import app

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


def test_every_environment_setting_is_documented() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "src").rglob("*.py"))
    settings = set(re.findall(r"PEELSTAT_[A-Z_]+", source))
    assert "PEELSTAT_WAREHOUSE" in settings
    missing = sorted(s for s in settings if s not in DOCS)
    assert not missing, f"document these settings: {missing}"
