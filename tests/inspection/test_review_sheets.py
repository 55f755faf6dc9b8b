"""Review sheets out and back: a good sheet imports whole, a bad one not at all."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from ibis.backends import BaseBackend
from sqlalchemy.exc import IntegrityError

from peelstat.errors import ValidationError
from peelstat.inspection.questions import QuestionSet, question_set, read_question_sets
from peelstat.inspection.records import RecordsStore
from peelstat.inspection.results import question_estimates
from peelstat.inspection.review_sheet import (
    check_review_sheet,
    import_review_sheet,
    read_review_sheet,
    write_review_sheet,
)
from peelstat.inspection.sampling import SampleRequest, candidate_crimes, draw_sample

FORCE = "avon-and-somerset"
MAPPING = {
    "Unable to prosecute suspect": ("14", "15", "16"),
    "Further investigation is not in the public interest": ("21",),
    "Investigation complete; no suspect identified": ("18",),
    "Suspect charged": ("1",),
}


def drawn_sample(store: RecordsStore, warehouse: BaseBackend, per_stratum: int = 20) -> int:
    request = SampleRequest(
        FORCE, "2022-01", "2022-03", 2022, ("15", "21"), per_stratum=per_stratum
    )
    drawn = draw_sample(
        candidate_crimes(warehouse, FORCE, "2022-01", "2022-03", dict(MAPPING)), request
    )
    return store.save_sample(
        "VSA 2022",
        FORCE,
        request.seed,
        drawn.parameters,
        question_set("victim-service").as_dict(),
        drawn.records,
        drawn.populations,
        drawn.warnings,
        drawn.pool_checksum,
    )


def fill(frame: pd.DataFrame, question: str, answers: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    frame["reviewer"] = "A. Reviewer"
    frame[question] = answers
    return frame


def test_builtin_question_sets_are_valid() -> None:
    sets = read_question_sets()
    assert {"victim-service", "stop-and-search-grounds", "crime-data-integrity"} <= set(sets)
    vsa = sets["victim-service"]
    assert vsa.answers == ("yes", "no", "n/a") and vsa.excluded == ("n/a",)
    assert "vulnerability_assessed" in vsa.question_ids
    assert vsa.normalise(" N/A ") == "n/a" and vsa.normalise("maybe") is None
    assert QuestionSet.from_stored(vsa.as_dict()) == vsa


def test_bad_question_set_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "mine:\n  answers: [yes, no]\n  counts: maybe\n"
        "  questions:\n    - id: Bad Id\n      text: ''\n    - id: ok\n      text: fine\n"
    )
    with pytest.raises(ValidationError) as caught:
        read_question_sets(path)
    assert "mine.yaml" in str(caught.value)
    assert len(caught.value.problems) == 4  # booleans, counts, id, text


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_sheet_round_trip_and_estimates(
    store: RecordsStore, warehouse: BaseBackend, tmp_path: Path, suffix: str
) -> None:
    sample_id = drawn_sample(store, warehouse)
    sample = store.sample(sample_id)
    path = write_review_sheet(sample, tmp_path / f"sheet{suffix}")
    frame = read_review_sheet(path)
    questions = question_set("victim-service")
    assert {"sample_id", "record_id", "reviewer", *questions.question_ids} <= set(frame.columns)
    assert len(frame) == 40
    # 14 of 40 not assessed (one said N/A), the rest yes
    answers = ["No"] * 14 + ["N/A"] + ["yes"] * 25
    filled = fill(frame, "vulnerability_assessed", answers)
    filled.loc[0, "vulnerability_assessed_note"] = "no risk assessment on file"
    if suffix == ".csv":
        filled.to_csv(path, index=False)
    else:
        filled.to_excel(path, index=False)
    summary = import_review_sheet(store, path)
    assert (summary.sample_id, summary.answers, summary.records) == (sample_id, 40, 40)
    stored = store.answers(sample_id)
    assert set(stored["answer"]) == {"yes", "no", "n/a"}
    assert "no risk assessment on file" in set(stored["note"])
    table = question_estimates(stored, questions).set_index("question")
    row = table.loc["vulnerability_assessed"]
    assert (row["count"], row["of"], row["excluded"]) == (25, 39, 1)
    assert row["method"] == "wald"
    assert row["text"] == "Was the victim's vulnerability assessed at first contact?"
    assert row["result"].startswith("25 of 39: 64.1% ± 15.1")
    assert table.loc["victim_wishes_recorded", "result"] == "no answers"
    # importing the same sheet again replaces, never doubles
    import_review_sheet(store, path)
    assert len(store.answers(sample_id)) == 40


def test_stratified_estimate_uses_pool_sizes(
    store: RecordsStore, warehouse: BaseBackend, tmp_path: Path
) -> None:
    sample_id = drawn_sample(store, warehouse, per_stratum=10)
    sample = store.sample(sample_id)
    frame = read_review_sheet(write_review_sheet(sample, tmp_path / "s.csv"))
    answers = ["yes" if s == "outcome 15" else "no" for s in frame["stratum"]]
    fill(frame, "victim_wishes_recorded", answers).to_csv(tmp_path / "s.csv", index=False)
    import_review_sheet(store, tmp_path / "s.csv")
    table = question_estimates(
        store.answers(sample_id), question_set("victim-service"), populations=sample.populations
    ).set_index("question")
    row = table.loc["victim_wishes_recorded"]
    assert row["method"] == "stratified-wald"
    assert row["estimate"] == pytest.approx(61 / (61 + 59))


def test_bad_sheet_lists_every_problem_and_imports_nothing(
    store: RecordsStore, warehouse: BaseBackend, tmp_path: Path
) -> None:
    sample_id = drawn_sample(store, warehouse)
    frame = read_review_sheet(write_review_sheet(store.sample(sample_id), tmp_path / "s.csv"))
    frame = fill(frame, "vulnerability_assessed", ["yes"] * 40)
    frame.loc[3, "record_id"] = "not-in-sample"
    frame.loc[5, "vulnerability_assessed"] = "probably"
    frame.loc[6, "call_answered_promptly"] = "Y"
    frame.loc[7, "reviewed_on"] = "last tuesday"
    frame.loc[8, "reviewer"] = ""
    frame = frame.drop(columns=["victim_wishes_recorded", "outcome_appropriate"])
    frame.to_csv(tmp_path / "s.csv", index=False)
    with pytest.raises(ValidationError) as caught:
        import_review_sheet(store, tmp_path / "s.csv")
    problems = caught.value.problems
    message = str(caught.value)
    assert len(problems) == 6
    assert "missing columns: victim_wishes_recorded, outcome_appropriate" in message
    assert "line 5: record id 'not-in-sample' is not in sample" in message
    assert "line 7, column vulnerability_assessed: 'probably' is not one of yes, no, n/a" in message
    assert "line 8, column call_answered_promptly: 'Y'" in message
    assert "line 9: reviewed_on 'last tuesday'" in message
    assert "line 10: answers without a reviewer" in message
    assert "was not imported" in message
    assert store.answers(sample_id).empty


def test_duplicate_rows_and_missing_sample_id(
    store: RecordsStore, warehouse: BaseBackend, tmp_path: Path
) -> None:
    sample_id = drawn_sample(store, warehouse)
    frame = read_review_sheet(write_review_sheet(store.sample(sample_id), tmp_path / "s.csv"))
    frame = fill(frame, "vulnerability_assessed", ["yes"] * 40)
    pd.concat([frame, frame.iloc[[0]]]).to_csv(tmp_path / "dup.csv", index=False)
    with pytest.raises(ValidationError, match="repeats line 2"):
        import_review_sheet(store, tmp_path / "dup.csv")
    frame.drop(columns="sample_id").to_csv(tmp_path / "anon.csv", index=False)
    with pytest.raises(ValidationError, match="sample_id"):
        import_review_sheet(store, tmp_path / "anon.csv")
    assert import_review_sheet(store, tmp_path / "anon.csv", sample_id=sample_id).answers == 40


def test_unsupported_file_type(tmp_path: Path) -> None:
    (tmp_path / "sheet.ods").write_text("x")
    with pytest.raises(ValidationError, match=r"\.csv or \.xlsx"):
        read_review_sheet(tmp_path / "sheet.ods")


@pytest.mark.parametrize(
    ("name", "content"), [("sheet.xlsx", b"not a zip"), ("sheet.csv", b"\xff\xfe1,2\n")]
)
def test_unreadable_sheet_says_how_to_save_it(tmp_path: Path, name: str, content: bytes) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(ValidationError, match="save it again from Excel"):
        read_review_sheet(tmp_path / name)


def test_nothing_is_half_imported_over_earlier_answers(
    store: RecordsStore, warehouse: BaseBackend, tmp_path: Path
) -> None:
    """A refused sheet, and a write the database refuses half way, leave stored answers as
    they were: the replacing delete and the inserts are one transaction."""
    sample_id = drawn_sample(store, warehouse)
    path = tmp_path / "s.csv"
    frame = read_review_sheet(write_review_sheet(store.sample(sample_id), path))
    fill(frame, "vulnerability_assessed", ["yes"] * 40).to_csv(path, index=False)
    import_review_sheet(store, path)
    before = store.answers(sample_id)
    assert len(before) == 40

    corrected = fill(frame, "vulnerability_assessed", ["no"] * 39 + ["maybe"])
    corrected.to_csv(path, index=False)
    with pytest.raises(ValidationError, match="'maybe'"):
        import_review_sheet(store, path)
    pd.testing.assert_frame_equal(store.answers(sample_id), before)

    fill(frame, "vulnerability_assessed", ["no"] * 40).to_csv(path, index=False)
    answers = check_review_sheet(read_review_sheet(path), store.sample(sample_id), "s.csv")
    with pytest.raises(IntegrityError):  # the last answer repeats the first: a unique key fails
        store.save_answers(sample_id, [*answers, answers[0]])
    pd.testing.assert_frame_equal(store.answers(sample_id), before)
