"""Grades: two scales never presented as equal, histories, side-by-side views, example data."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from peelstat.errors import ValidationError
from peelstat.inspection import grades
from peelstat.inspection.grades import (
    FIVE_TIER,
    FOUR_TIER,
    NOT_COMPARABLE,
    area_grades,
    compare_grades,
    example_grades,
    grade_history,
    normalise_grade,
    read_grades,
    scale_for_year,
    scales_table,
)
from peelstat.inspection.records import RecordsStore
from peelstat.inspection.records_types import Judgment


def judgment(grade: str | None, scale: str = "five-tier", year: str = "2021/22") -> Judgment:
    return Judgment("avon-and-somerset", f"PEEL {year}", year, "Investigating crime", grade, scale)


def test_doctests() -> None:
    assert doctest.testmod(grades).failed == 0


def test_the_two_scales() -> None:
    assert FIVE_TIER.grades == (
        "Outstanding",
        "Good",
        "Adequate",
        "Requires improvement",
        "Inadequate",
    )
    assert FOUR_TIER.grades == ("Outstanding", "Good", "Requires improvement", "Inadequate")
    assert scale_for_year("2021/22") is FIVE_TIER and scale_for_year("2023/25") is FIVE_TIER
    assert scale_for_year("2018/19") is FOUR_TIER and scale_for_year("2015") is FOUR_TIER


@pytest.mark.parametrize("grade", FOUR_TIER.grades)
def test_four_tier_grade_is_never_equal_to_a_five_tier_one(grade: str) -> None:
    for later in FIVE_TIER.grades:
        result = compare_grades(judgment(grade, "four-tier", "2017"), judgment(later))
        assert result == NOT_COMPARABLE


def test_within_a_scale_grades_order() -> None:
    assert compare_grades(judgment("Adequate"), judgment("Good")) == "improved"
    assert compare_grades(judgment("Good"), judgment("Requires improvement")) == "declined"
    assert compare_grades(judgment("Good"), judgment("Good")) == "unchanged"
    assert compare_grades(judgment(None), judgment("Good")) == "ungraded"


def test_normalise_grade_checks_the_scale() -> None:
    assert normalise_grade("requires Improvement", "four-tier") == "Requires improvement"
    assert normalise_grade("ungraded", "four-tier") is None
    with pytest.raises(ValidationError, match="not a four-tier grade"):
        normalise_grade("Adequate", "four-tier")


def test_scales_table_maps_no_grade_onto_the_other_scale() -> None:
    table = scales_table().set_index(["scale", "grade"])
    assert len(table) == 9
    assert table.loc[("four-tier", "Outstanding"), "compare_with"] == "four-tier grades only"
    assert set(table.columns) == {"rank", "used", "compare_with"}  # no five-tier column


def test_example_grades_are_the_published_ones() -> None:
    judgments, findings = example_grades()
    assert findings == []
    by_key = {(j.force, j.inspection_year, j.area): j for j in judgments}
    peel = {k[2]: j.grade for k, j in by_key.items() if k[1] == "2021/22"}
    assert peel["Engaging with and treating the public with fairness and respect"] == "Outstanding"
    assert sorted(a for a, g in peel.items() if g == "Requires improvement") == [
        "Investigating crime",
        "Managing offenders and suspects",
        "Recording data about crime",
        "Responding to the public",
    ]
    assert [g for g in peel.values()].count("Good") == 2
    assert [g for g in peel.values()].count("Adequate") == 2
    assert by_key["avon-and-somerset", "2017", "Specialist capabilities"].grade is None
    assert by_key["avon-and-somerset", "2017", "Effectiveness (overall)"].grade == "Good"
    glos = {k[2]: j.grade for k, j in by_key.items() if k[0] == "gloucestershire"}
    assert glos == {
        "Preventing crime": "Good",
        "Investigating crime": "Requires improvement",
        "Protecting vulnerable people": "Requires improvement",
        "Tackling serious and organised crime": "Requires improvement",
    }
    assert {j.scale for j in judgments if j.inspection_year != "2021/22"} == {"four-tier"}
    assert len(judgments) == 18


def test_history_marks_the_scale_change() -> None:
    judgments, _ = example_grades()
    history = grade_history(judgments, "avon-and-somerset")
    assert history["inspection_year"].tolist() == ["2017"] * 5 + ["2021/22"] * 9
    vulnerable = history[history["area"] == "Protecting vulnerable people"]
    assert vulnerable["grade"].tolist() == ["Good", "Adequate"]
    assert vulnerable["change"].tolist() == ["", NOT_COMPARABLE]
    assert "ungraded" in history["grade"].tolist()


def test_area_side_by_side_keeps_scales_apart() -> None:
    judgments, _ = example_grades()
    table = area_grades(judgments, "protecting vulnerable people")
    assert table["force"].tolist() == ["avon-and-somerset", "gloucestershire"]
    assert list(table.columns) == [
        "force",
        "PEEL effectiveness 2015 (four-tier)",
        "PEEL effectiveness 2017 (four-tier)",
        "PEEL 2021/22 (five-tier)",
    ]
    row = table.set_index("force").loc["gloucestershire"]
    assert row["PEEL effectiveness 2015 (four-tier)"] == "Requires improvement"
    assert row["PEEL 2021/22 (five-tier)"] == ""
    assert area_grades(judgments, "no such area").empty


def test_examples_load_into_the_store(store: RecordsStore) -> None:
    judgments, _ = example_grades()
    assert store.save_judgments(judgments) == 18
    assert store.save_judgments(judgments) == 18  # again: updated, not doubled
    assert store.judgments() == judgments


def test_grades_file_with_findings_and_every_problem(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(
        "- force: Avon & Somerset\n  inspection: PEEL 2023/25\n  inspection_year: 2023/25\n"
        "  published: 2024-10-01\n  grades:\n    Investigating crime: adequate\n"
        "  findings:\n    - kind: Cause of concern\n      text: Too many crimes unrecorded.\n"
    )
    judgments, findings = read_grades(good)
    assert judgments[0].force == "avon-and-somerset" and judgments[0].scale == "five-tier"
    assert judgments[0].grade == "Adequate" and str(judgments[0].published) == "2024-10-01"
    assert findings[0].kind == "cause of concern" and findings[0].status == "open"
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "- force: Atlantis\n  inspection: X\n  inspection_year: '2017'\n"
        "  grades:\n    A: Adequate\n    B: Brilliant\n"
        "  findings:\n    - kind: gripe\n      text: hmm\n"
        "- inspection: Y\n"
    )
    with pytest.raises(ValidationError) as caught:
        read_grades(bad)
    message = str(caught.value)
    assert len(caught.value.problems) == 6
    assert "inspection 1: Unknown force 'Atlantis'" in message
    assert "inspection 1: area 'A': 'Adequate' is not a four-tier grade" in message
    assert "inspection 2: missing force" in message


def test_grades_csv(tmp_path: Path) -> None:
    path = tmp_path / "grades.csv"
    path.write_text(
        "force,inspection,inspection_year,area,grade\n"
        "Wiltshire,PEEL 2021/22,2021/22,Investigating crime,Good\n"
        "Wiltshire,PEEL 2021/22,2021/22,Responding to the public,\n"
    )
    judgments, _ = read_grades(path)
    assert [(j.force, j.grade) for j in judgments] == [("wiltshire", "Good"), ("wiltshire", None)]


@pytest.mark.parametrize(("name", "content"), [("g.yaml", b"a: [\n"), ("g.yaml", b"\x95\x00")])
def test_unreadable_grades_file_is_refused_plainly(
    tmp_path: Path, name: str, content: bytes
) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(ValidationError, match="cannot be read as a grades file"):
        read_grades(tmp_path / name)
