"""inspection."""

from __future__ import annotations
