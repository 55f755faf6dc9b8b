"""Review sheets out and back: a good sheet imports whole, a bad one not at all; answers
belong to the account that records them, and every write is in the audit trail."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from ibis.backends import BaseBackend
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from peelstat.errors import NotAllowedError, SignInError, ValidationError
from peelstat.inspection.passwords import hash_password, password_matches
from peelstat.inspection.questions import QuestionSet, question_set, read_question_sets
from peelstat.inspection.records import RecordsStore
from peelstat.inspection.records_types import Account, Answer
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
    store: RecordsStore, reviewer: Account, warehouse: BaseBackend, tmp_path: Path, suffix: str
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
    summary = import_review_sheet(store, path, account=reviewer)
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
    import_review_sheet(store, path, account=reviewer)
    assert len(store.answers(sample_id)) == 40


def test_stratified_estimate_uses_pool_sizes(
    store: RecordsStore, reviewer: Account, warehouse: BaseBackend, tmp_path: Path
) -> None:
    sample_id = drawn_sample(store, warehouse, per_stratum=10)
    sample = store.sample(sample_id)
    frame = read_review_sheet(write_review_sheet(sample, tmp_path / "s.csv"))
    answers = ["yes" if s == "outcome 15" else "no" for s in frame["stratum"]]
    fill(frame, "victim_wishes_recorded", answers).to_csv(tmp_path / "s.csv", index=False)
    import_review_sheet(store, tmp_path / "s.csv", account=reviewer)
    table = question_estimates(
        store.answers(sample_id), question_set("victim-service"), populations=sample.populations
    ).set_index("question")
    row = table.loc["victim_wishes_recorded"]
    assert row["method"] == "stratified-wald"
    assert row["estimate"] == pytest.approx(61 / (61 + 59))


def test_bad_sheet_lists_every_problem_and_imports_nothing(
    store: RecordsStore, reviewer: Account, warehouse: BaseBackend, tmp_path: Path
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
        import_review_sheet(store, tmp_path / "s.csv", account=reviewer)
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
    store: RecordsStore, reviewer: Account, warehouse: BaseBackend, tmp_path: Path
) -> None:
    sample_id = drawn_sample(store, warehouse)
    frame = read_review_sheet(write_review_sheet(store.sample(sample_id), tmp_path / "s.csv"))
    frame = fill(frame, "vulnerability_assessed", ["yes"] * 40)
    pd.concat([frame, frame.iloc[[0]]]).to_csv(tmp_path / "dup.csv", index=False)
    with pytest.raises(ValidationError, match="repeats line 2"):
        import_review_sheet(store, tmp_path / "dup.csv", account=reviewer)
    frame.drop(columns="sample_id").to_csv(tmp_path / "anon.csv", index=False)
    with pytest.raises(ValidationError, match="sample_id"):
        import_review_sheet(store, tmp_path / "anon.csv", account=reviewer)
    assert (
        import_review_sheet(
            store, tmp_path / "anon.csv", sample_id=sample_id, account=reviewer
        ).answers
        == 40
    )


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
    store: RecordsStore, reviewer: Account, warehouse: BaseBackend, tmp_path: Path
) -> None:
    """A refused sheet, and a write the database refuses half way, leave stored answers as
    they were: the replacing delete and the inserts are one transaction."""
    sample_id = drawn_sample(store, warehouse)
    path = tmp_path / "s.csv"
    frame = read_review_sheet(write_review_sheet(store.sample(sample_id), path))
    fill(frame, "vulnerability_assessed", ["yes"] * 40).to_csv(path, index=False)
    import_review_sheet(store, path, account=reviewer)
    before = store.answers(sample_id)
    assert len(before) == 40

    corrected = fill(frame, "vulnerability_assessed", ["no"] * 39 + ["maybe"])
    corrected.to_csv(path, index=False)
    with pytest.raises(ValidationError, match="'maybe'"):
        import_review_sheet(store, path, account=reviewer)
    pd.testing.assert_frame_equal(store.answers(sample_id), before)

    fill(frame, "vulnerability_assessed", ["no"] * 40).to_csv(path, index=False)
    answers = check_review_sheet(read_review_sheet(path), store.sample(sample_id), "s.csv")
    with pytest.raises(IntegrityError):  # the last answer repeats the first: a unique key fails
        store.save_answers(sample_id, [*answers, answers[0]], account=reviewer)
    pd.testing.assert_frame_equal(store.answers(sample_id), before)


# --- reviews belong to their reviewer's account ----------------------------------------

QUESTION = "vulnerability_assessed"


def sheet(store: RecordsStore, sample_id: int, path: Path, reviewer: str, answer: str,
          reviewed_on: str = "2022-05-31") -> Path:  # fmt: skip
    frame = read_review_sheet(write_review_sheet(store.sample(sample_id), path))
    frame["reviewer"], frame[QUESTION], frame["reviewed_on"] = reviewer, answer, reviewed_on
    frame.to_csv(path, index=False)
    return path


def test_passwords_are_salted_scrypt_hashes() -> None:
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first.startswith("scrypt$16384$8$1$") and first != second  # salted
    assert "correct horse" not in first
    assert password_matches("correct horse", first) and not password_matches("Correct horse", first)
    salt, digest = first.split("$")[4:]
    expected = hashlib.scrypt(b"correct horse", salt=base64.b64decode(salt), n=2**14, r=8, p=1,
                              dklen=32)  # fmt: skip
    assert base64.b64decode(digest) == expected  # the standard scrypt, checkable by anyone
    assert not password_matches("x", "not a hash")


def test_accounts_sign_in_and_only_a_lead_adds_them(store: RecordsStore) -> None:
    with pytest.raises(NotAllowedError, match="the first account must be a lead"):
        store.create_account("A. Reviewer", "reviewer password 1")
    lead = store.create_account("L. Lead", "lead password 1", "lead")
    with pytest.raises(NotAllowedError, match="only a lead may add accounts"):
        store.create_account("B. Other", "other password 1")
    reviewer = store.create_account("A. Reviewer", "reviewer password 1", by=lead)
    with pytest.raises(NotAllowedError, match="only a lead may add accounts"):
        store.create_account("C. Third", "third password 1", by=reviewer)
    with pytest.raises(ValidationError, match="at least 10 characters"):
        store.create_account("D. Short", "short", by=lead)
    with pytest.raises(ValidationError, match="an account of that name exists"):
        store.create_account("A. Reviewer", "another password", by=lead)
    assert store.verify_password("A. Reviewer", "reviewer password 1") == reviewer
    assert store.verify_password("A. Reviewer", "wrong password 1") is None
    assert store.verify_password("Nobody", "reviewer password 1") is None
    with pytest.raises(SignInError, match="unknown account or wrong password"):
        store.sign_in("A. Reviewer", "wrong password 1")
    with store.engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM accounts")).scalars().all()
    assert all(h.startswith("scrypt$") and "password" not in h for h in stored)


@pytest.fixture
def accounts(store: RecordsStore) -> dict[str, Account]:
    lead = store.create_account("L. Lead", "lead password 1", "lead")
    return {
        "lead": lead,
        "a": store.create_account("A. Reviewer", "reviewer password 1", by=lead),
        "b": store.create_account("B. Other", "other password 1", by=lead),
    }


def test_a_sheet_naming_another_reviewer_is_refused_and_changes_nothing(
    store: RecordsStore, warehouse: BaseBackend, tmp_path: Path, accounts: dict[str, Account]
) -> None:
    sample_id = drawn_sample(store, warehouse)
    import_review_sheet(store, sheet(store, sample_id, tmp_path / "b.csv", "B. Other", "yes"),
                        account=accounts["b"])  # fmt: skip
    before = store.answers(sample_id)
    hostile = sheet(store, sample_id, tmp_path / "a.csv", "B. Other", "no")
    with pytest.raises(ValidationError) as raised:
        import_review_sheet(store, hostile, account=accounts["a"])
    assert "line 2: names reviewer 'B. Other', but you are signed in as 'A. Reviewer'" in str(
        raised.value
    )
    assert "only a lead may record answers for someone else" in str(raised.value)
    pd.testing.assert_frame_equal(store.answers(sample_id), before)
    # the store itself refuses too, whatever calls it
    moment = datetime(2022, 5, 31, tzinfo=UTC)
    record = before["record_id"].iloc[0]
    with pytest.raises(NotAllowedError, match=r"names reviewer 'B\. Other'"):
        store.save_answers(sample_id, [Answer(record, QUESTION, "no", "B. Other", moment)],
                           account=accounts["a"])  # fmt: skip
    with pytest.raises(NotAllowedError, match=r"names reviewer 'B\. Other'"):  # a forged role
        store.save_answers(sample_id, [Answer(record, QUESTION, "no", "B. Other", moment)],
                           account=Account("A. Reviewer", "lead"))  # fmt: skip
    pd.testing.assert_frame_equal(store.answers(sample_id), before)
    # a lead may correct another reviewer's answers
    import_review_sheet(store, hostile, account=accounts["lead"])
    assert set(store.answers(sample_id)["answer"]) == {"no"}


def test_a_review_dated_in_the_future_is_refused(
    store: RecordsStore, warehouse: BaseBackend, tmp_path: Path, accounts: dict[str, Account]
) -> None:
    sample_id = drawn_sample(store, warehouse)
    later = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    path = sheet(store, sample_id, tmp_path / "a.csv", "A. Reviewer", "yes", reviewed_on=later)
    with pytest.raises(ValidationError, match=f"line 2: is dated {later}, in the future"):
        import_review_sheet(store, path, account=accounts["a"])
    assert store.answers(sample_id).empty
    today = datetime.now(UTC).date().isoformat()
    sheet(store, sample_id, path, "A. Reviewer", "yes", reviewed_on=today)
    assert import_review_sheet(store, path, account=accounts["a"]).answers == 40


def test_every_write_is_in_the_audit_trail_with_what_it_replaced(
    store: RecordsStore, warehouse: BaseBackend, tmp_path: Path, accounts: dict[str, Account]
) -> None:
    sample_id = drawn_sample(store, warehouse)
    path = sheet(store, sample_id, tmp_path / "a.csv", "A. Reviewer", "yes")
    import_review_sheet(store, path, account=accounts["a"])
    sheet(store, sample_id, path, "A. Reviewer", "no")
    import_review_sheet(store, path, account=accounts["lead"])
    trail = store.audit_trail()
    saved = trail[trail["action"] == "answer.save"]
    assert len(saved) == 80
    latest = saved.iloc[0]
    assert latest["account"] == "L. Lead"
    assert latest["written"]["answer"] == "no" and latest["replaced"]["answer"] == "yes"
    assert latest["replaced"]["reviewer"] == "A. Reviewer"
    assert f"sample {sample_id}, record " in latest["subject"]
    first = saved[saved["account"] == "A. Reviewer"]
    assert len(first) == 40 and first["replaced"].isna().all()
    created = trail[trail["action"] == "account.create"]
    assert sorted(created["subject"]) == [
        "account A. Reviewer",
        "account B. Other",
        "account L. Lead",
    ]
    assert all(isinstance(moment, datetime) for moment in trail["at"])
