"""The report definition: which sections a performance report has and which measures in each.

The built-in one (``performance.yaml``) mirrors the national crime and policing priorities and a
local police and crime plan; a user edits a copy and passes it with ``--definition``. Every
problem in a file is listed at once, each naming the file and the field
(``sections[3].measures[1].title``), and an id that is neither in the catalogue nor given a title
is refused with the nearest catalogue ids.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from peelstat.catalogue.measure import Catalogue
from peelstat.errors import ValidationError

BUILT_IN = "performance.yaml"


@dataclass(frozen=True)
class MeasureEntry:
    """One row of a section: the measure ids to try in order, and a title for one not in the data."""

    ids: tuple[str, ...]
    title: str | None = None

    @property
    def id(self) -> str:
        return self.ids[0]


@dataclass(frozen=True)
class SectionDefinition:
    title: str
    measures: tuple[MeasureEntry, ...]
    planned_action: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class ReportDefinition:
    title: str
    subtitle: str
    sections: tuple[SectionDefinition, ...]
    file: str

    def measure_ids(self, catalogue: Catalogue) -> list[str]:
        """Every catalogue measure the report reads, once each, in order."""
        ids = [i for s in self.sections for e in s.measures for i in e.ids]
        return [i for i in dict.fromkeys(ids) if i in catalogue.ids()]


def load_definition(path: str | Path | None, catalogue: Catalogue) -> ReportDefinition:
    """The definition at ``path`` (the built-in one when ``None``), checked against the catalogue."""
    if path is None:
        text = resources.files("peelstat.reports").joinpath(BUILT_IN).read_text(encoding="utf-8")
        where = f"built-in {BUILT_IN}"
    else:
        where = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ValidationError(where, [f"cannot be read ({error})"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValidationError(where, [f"not valid YAML: {str(error).splitlines()[0]}"]) from None
    return parse_definition(data, where, catalogue)


def parse_definition(data: Any, where: str, catalogue: Catalogue) -> ReportDefinition:
    """Validate a definition, listing every problem with its field."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ValidationError(where, ["expected a mapping with title and sections"])
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        raise ValidationError(where, ["field 'sections': expected a list of sections"])
    parsed = tuple(
        _section(s, f"sections[{n}]", catalogue, problems) for n, s in enumerate(sections)
    )
    if problems:
        raise ValidationError(where, problems)
    return ReportDefinition(
        str(data.get("title") or "Force performance report"),
        str(data.get("subtitle") or ""),
        parsed,
        where,
    )


def _text(block: dict[str, Any], key: str, field: str, problems: list[str]) -> str | None:
    value = block.get(key)
    if value is not None and not isinstance(value, str):
        problems.append(f"field '{field}.{key}': expected text, got {type(value).__name__}")
        return None
    return value


def _section(
    block: Any, field: str, catalogue: Catalogue, problems: list[str]
) -> SectionDefinition:
    if not isinstance(block, dict):
        problems.append(f"field '{field}': expected a mapping with title and measures")
        return SectionDefinition("", ())
    unknown = set(block) - {"title", "measures", "planned_action", "comment"}
    if unknown:
        problems.append(f"field '{field}': unknown key(s) {', '.join(sorted(unknown))}")
    title = _text(block, "title", field, problems)
    if not title:
        problems.append(f"field '{field}.title': every section needs a title")
    measures = block.get("measures")
    if not isinstance(measures, list) or not measures:
        problems.append(f"field '{field}.measures': expected a list of measure ids")
        measures = []
    entries = tuple(
        _entry(m, f"{field}.measures[{n}]", catalogue, problems) for n, m in enumerate(measures)
    )
    return SectionDefinition(
        title or "",
        entries,
        _text(block, "planned_action", field, problems),
        _text(block, "comment", field, problems),
    )


def _entry(item: Any, field: str, catalogue: Catalogue, problems: list[str]) -> MeasureEntry:
    block = {"id": item} if isinstance(item, str) else item
    if not isinstance(block, dict) or not isinstance(block.get("id"), str):
        problems.append(f"field '{field}': expected a measure id or a mapping with 'id'")
        return MeasureEntry(("",))
    alternatives = block.get("or") or []
    if isinstance(alternatives, str):
        alternatives = [alternatives]
    ids = (block["id"], *map(str, alternatives))
    title = block.get("title")
    known = set(catalogue.ids())
    for n, measure in enumerate(ids):
        if measure in known or (title and n == 0):
            continue
        near = difflib.get_close_matches(measure, sorted(known), n=3)
        hint = f"; nearest: {', '.join(near)}" if near else ""
        name = f"{field}.id" if n == 0 else f"{field}.or[{n - 1}]"
        problems.append(
            f"field '{name}': {measure!r} is not in the catalogue{hint} (give a title to list "
            "a measure the data cannot supply as 'Not available')"
        )
    return MeasureEntry(ids, str(title) if title else None)
