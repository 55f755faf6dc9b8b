"""Read measure declarations from YAML: the built-ins, then any files the user adds.

A user's file has the same form as ``builtin.yaml`` (a top-level ``measures:`` list). A user
measure with a built-in's id replaces it, so a force can redefine a measure locally.

>>> catalogue = load_catalogue()
>>> catalogue["residential_burglary"].unit
'per_1000_households'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from peelstat.catalogue.measure import Catalogue, Measure
from peelstat.catalogue.parsing import parse_measure
from peelstat.catalogue.problems import Problems
from peelstat.errors import CatalogueError

BUILTIN = "builtin.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ten times faster, same rules


def _read_yaml(text: str, file: str) -> list[Mapping[str, Any]]:
    try:
        document = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        raise CatalogueError(file, None, None, f"not valid YAML: {error}") from None
    if not isinstance(document, Mapping) or not isinstance(document.get("measures"), list):
        raise CatalogueError(file, None, "measures", "expected a top-level 'measures:' list")
    items = document["measures"]
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise CatalogueError(file, None, f"measures[{i}]", "each measure is a mapping")
    return items


def parse_file(text: str, file: str) -> list[Measure]:
    """Every measure in one YAML document; all problems in the file are reported together."""
    problems = Problems(file)
    measures = [parse_measure(item, file, problems) for item in _read_yaml(text, file)]
    seen: set[str] = set()
    for m in measures:
        if m.id in seen:
            problems.add(m.id, "id", "declared twice in this file")
        seen.add(m.id)
    problems.raise_if_any()
    return measures


def _check_references(measures: dict[str, Measure]) -> dict[str, Measure]:
    """Measures named by another (sum_of, ratio_of, denominator) must exist and fit together."""
    resolved = dict(measures)
    for m in measures.values():
        problems = Problems(m.file)
        for part in m.sum_of:
            if part not in measures:
                problems.add(m.id, "numerator.sum_of", f"no measure {part!r}")
            elif measures[part].source != m.source:
                problems.add(m.id, "numerator.sum_of", f"{part!r} reads another source")
        if m.denominator.kind == "measure" and m.denominator.measure not in measures:
            problems.add(m.id, "denominator.measure", f"no measure {m.denominator.measure!r}")
        if m.ratio_of:
            missing = [r for r in m.ratio_of if r not in measures]
            if missing:
                problems.add(m.id, "ratio_of", f"no measure {missing[0]!r}")
            elif any(measures[r].ratio_of for r in m.ratio_of):
                problems.add(m.id, "ratio_of", "a ratio of ratios is not supported")
            else:
                first = measures[m.ratio_of[0]]
                resolved[m.id] = dataclasses.replace(
                    m, source=first.source, window_months=first.window_months
                )
        problems.raise_if_any()
    return resolved


@cache
def builtin_measures() -> tuple[Measure, ...]:
    """The measures shipped with peelstat (parsed once)."""
    text = files(__package__).joinpath(BUILTIN).read_text(encoding="utf-8")
    return tuple(parse_file(text, f"peelstat/catalogue/{BUILTIN}"))


def load_catalogue(
    user_files: Iterable[str | Path] = (), include_builtin: bool = True
) -> Catalogue:
    """The built-in measures plus the user's YAML files (later files override earlier ids)."""
    measures: dict[str, Measure] = {}
    if include_builtin:
        measures.update((m.id, m) for m in builtin_measures())
    for path in user_files:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise CatalogueError(str(path), None, None, f"cannot read: {error}") from None
        measures.update((m.id, m) for m in parse_file(text, str(path)))
    return Catalogue(_check_references(measures))
