"""HMICFRS graded judgments: the two grading scales, grade histories and side-by-side views.

PEEL graded on four tiers until 2018/19 and on five from 2021/22, when "Adequate" was added
between "Good" and "Requires improvement" and the judgment criteria changed. A four-tier "Good"
is therefore not the same finding as a five-tier "Good": across scales, grades are compared as
"not directly comparable", never as better, worse or the same.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from peelstat.errors import PeelstatError, ValidationError
from peelstat.inspection.records_types import Finding, Judgment

NOT_COMPARABLE = "not directly comparable"
FINDING_KINDS = ("area for improvement", "cause of concern", "recommendation")
EXAMPLES = "published_grades.yaml"


@dataclass(frozen=True)
class Scale:
    id: str
    grades: tuple[str, ...]
    used: str

    def position(self, grade: str) -> int:
        """0 for the best grade; lower is better."""
        return self.grades.index(grade)


FIVE_TIER = Scale(
    "five-tier",
    ("Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate"),
    "PEEL from 2021/22",
)
FOUR_TIER = Scale(
    "four-tier",
    ("Outstanding", "Good", "Requires improvement", "Inadequate"),
    "PEEL 2014 to 2018/19",
)
SCALES = {scale.id: scale for scale in (FIVE_TIER, FOUR_TIER)}


def scale_for_year(inspection_year: str) -> Scale:
    """The scale PEEL used in an inspection year: five tiers from 2021/22, four before.

    >>> scale_for_year("2021/22").id, scale_for_year("2017").id
    ('five-tier', 'four-tier')
    """
    return FIVE_TIER if int(str(inspection_year)[:4]) >= 2021 else FOUR_TIER


def normalise_grade(grade: str | None, scale: str) -> str | None:
    """The grade as the scale spells it ('requires Improvement' → 'Requires improvement')."""
    if grade is None or str(grade).strip().lower() in ("", "ungraded", "none", "null"):
        return None
    if scale not in SCALES:
        raise ValidationError("grade", [f"unknown scale {scale!r}; use {', '.join(SCALES)}"])
    wanted = str(grade).strip().lower()
    for name in SCALES[scale].grades:
        if name.lower() == wanted:
            return name
    allowed = ", ".join(SCALES[scale].grades)
    raise ValidationError("grade", [f"{grade!r} is not a {scale} grade ({allowed})"])


def compare_grades(earlier: Judgment, later: Judgment) -> str:
    """'improved', 'declined', 'unchanged', 'ungraded' or 'not directly comparable'.

    >>> a = Judgment("x", "PEEL 2017", "2017", "Protecting vulnerable people", "Good", "four-tier")
    >>> b = Judgment("x", "PEEL 2021/22", "2021/22", "Protecting vulnerable people", "Good",
    ...              "five-tier")
    >>> compare_grades(a, b)
    'not directly comparable'
    """
    if earlier.grade is None or later.grade is None:
        return "ungraded"
    if earlier.scale != later.scale:
        return NOT_COMPARABLE
    scale = SCALES[later.scale]
    step = scale.position(earlier.grade) - scale.position(later.grade)
    return "improved" if step > 0 else "declined" if step < 0 else "unchanged"


def _frame(judgments: list[Judgment]) -> pd.DataFrame:
    columns = ["force", "inspection", "inspection_year", "area", "grade", "scale", "published"]
    return pd.DataFrame([{c: getattr(j, c) for c in columns} for j in judgments], columns=columns)


def grade_history(judgments: list[Judgment], force: str) -> pd.DataFrame:
    """A force's grades in inspection order, each compared with its previous grade in that area."""
    own = sorted(
        (j for j in judgments if j.force == force), key=lambda j: (j.inspection_year, j.area)
    )
    previous: dict[str, Judgment] = {}
    changes = []
    for judgment in own:
        key = judgment.area.lower()
        changes.append(compare_grades(previous[key], judgment) if key in previous else "")
        previous[key] = judgment
    frame = _frame(own)
    frame["grade"] = frame["grade"].fillna("ungraded")
    frame["change"] = changes
    return frame


def area_grades(judgments: list[Judgment], area: str) -> pd.DataFrame:
    """Every force's grades for an area side by side: a row per force, a column per inspection.

    Column names carry the scale ("PEEL 2021/22 (five-tier)") so that grades on different
    scales never sit in one column.
    """
    wanted = area.strip().lower()
    matching = [j for j in judgments if wanted in j.area.lower()]
    if not matching:
        return pd.DataFrame(columns=["force"])
    frame = _frame(matching)
    frame["grade"] = frame["grade"].fillna("ungraded")
    frame["column"] = frame["inspection"] + " (" + frame["scale"] + ")"
    order = frame.sort_values("inspection_year")["column"].drop_duplicates().tolist()
    wide = frame.pivot_table(index="force", columns="column", values="grade", aggfunc="first")
    return wide.reindex(columns=order).fillna("").reset_index().rename_axis(columns=None)


def scales_table() -> pd.DataFrame:
    """The two scales, best grade first, each grade compared only within its own scale.

    No grade is mapped onto the other scale, not even "Outstanding" onto "Outstanding": HMICFRS
    publishes no such mapping, and the judgment criteria changed with the scale.
    """
    rows = [
        {
            "scale": s.id,
            "rank": i + 1,
            "grade": g,
            "used": s.used,
            "compare_with": f"{s.id} grades only",
        }
        for s in (FIVE_TIER, FOUR_TIER)
        for i, g in enumerate(s.grades)
    ]
    return pd.DataFrame(rows)


def example_grades() -> tuple[list[Judgment], list[Finding]]:
    """The published grades shipped with peelstat (Avon and Somerset, Gloucestershire)."""
    text = resources.files("peelstat.inspection").joinpath(EXAMPLES).read_text(encoding="utf-8")
    return parse_grades(yaml.safe_load(text), EXAMPLES)


def read_grades(path: str | Path) -> tuple[list[Judgment], list[Finding]]:
    """Grades from a YAML file (as published_grades.yaml) or a CSV with one row per area."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError(str(path), ["no such file"])
    try:
        if path.suffix.lower() == ".csv":
            return parse_grades(_csv_blocks(path), str(path))
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        problem = (
            f"cannot be read as a grades file ({str(error).splitlines()[0]}); give a UTF-8 "
            "YAML file laid out like published_grades.yaml, or a CSV with columns force, "
            "inspection, inspection_year, area, grade"
        )
        raise ValidationError(str(path), [problem]) from None
    return parse_grades(data, str(path))


def _csv_blocks(path: Path) -> list[dict[str, Any]]:
    """CSV rows as one-area inspection blocks, so CSV and YAML share one validation."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        {
            **{k: v for k, v in row.items() if k not in ("area", "grade")},
            "grades": {row.get("area", ""): row.get("grade") or None},
        }
        for row in rows
    ]


def parse_grades(data: Any, where: str) -> tuple[list[Judgment], list[Finding]]:
    """Validate inspection blocks (force, inspection, year, scale, grades, findings); list all
    problems, each with the block it is in."""
    if not isinstance(data, list):
        raise ValidationError(where, ["expected a list of inspections"])
    judgments: list[Judgment] = []
    findings: list[Finding] = []
    problems: list[str] = []
    for number, block in enumerate(data, start=1):
        label = f"inspection {number}"
        try:
            js, fs = _parse_block(block)
            judgments += js
            findings += fs
        except ValidationError as error:
            problems += [f"{label}: {p}" for p in error.problems]
    if problems:
        raise ValidationError(where, problems)
    return judgments, findings


def _parse_block(block: Any) -> tuple[list[Judgment], list[Finding]]:
    from peelstat.reference import resolve_force

    if not isinstance(block, dict):
        raise ValidationError("inspection", ["must be a mapping"])
    problems: list[str] = []
    missing = [k for k in ("force", "inspection", "inspection_year") if not block.get(k)]
    problems += [f"missing {k}" for k in missing]
    if missing:
        raise ValidationError("inspection", problems)
    try:
        force = resolve_force(str(block["force"]))
    except PeelstatError as error:
        problems.append(str(error))
        force = str(block["force"])
    year = str(block["inspection_year"])
    try:
        scale = str(block.get("scale") or scale_for_year(year).id)
    except ValueError:
        problem = f"inspection_year {year!r} is not like 2021/22"
        raise ValidationError("inspection", [problem]) from None
    published = parse_date(block.get("published"), problems)
    judgments = []
    for area, grade in (block.get("grades") or {}).items():
        try:
            judgments.append(
                Judgment(
                    force,
                    str(block["inspection"]),
                    year,
                    str(area),
                    normalise_grade(grade, scale),
                    scale,
                    published,
                    str(block.get("source", "")),
                )
            )
        except ValidationError as error:
            problems += [f"area {area!r}: {p}" for p in error.problems]
    findings = []
    for item in block.get("findings") or []:
        kind = str(item.get("kind", "")).lower()
        if kind not in FINDING_KINDS or not item.get("text"):
            problems.append(f"finding {item!r}: needs text and a kind ({', '.join(FINDING_KINDS)})")
            continue
        findings.append(
            Finding(
                force,
                str(block["inspection"]),
                kind,
                str(item["text"]),
                str(item.get("area", "")),
                str(item.get("status", "open")),
                parse_date(item.get("status_date"), problems),
            )
        )
    if problems:
        raise ValidationError("inspection", problems)
    return judgments, findings


def parse_date(value: Any, problems: list[str]) -> date | None:
    """An ISO date (or None when blank); a bad one is added to `problems`, to list with the rest."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"date {value!r} is not like 2022-09-30")
        return None
