"""Review sheets: a sample written out with one column per check question, and read back in.

A returned sheet is checked as a whole: every unknown record id, answer outside the allowed
set and missing column is listed in one error, and nothing is stored unless all of it is good.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from peelstat.errors import ValidationError
from peelstat.inspection.questions import QuestionSet
from peelstat.inspection.records import RecordsStore
from peelstat.inspection.records_accounts import answer_refusal
from peelstat.inspection.records_tables import now
from peelstat.inspection.records_types import Account, Answer, StoredSample

FIXED = ["sample_id", "record_id", "reviewer", "reviewed_on"]
NOTE = "_note"


def sheet_frame(sample: StoredSample) -> pd.DataFrame:
    """The review sheet as a table: record details, then an answer and a note per question."""
    questions = QuestionSet.from_stored(sample.question_set)
    frame = sample.records.copy()
    frame.insert(0, "sample_id", sample.id)
    frame["reviewer"] = ""
    frame["reviewed_on"] = ""
    for qid in questions.question_ids:
        frame[qid] = ""
        frame[qid + NOTE] = ""
    return frame


def write_review_sheet(sample: StoredSample, path: str | Path) -> Path:
    """Write the sheet as CSV or XLSX (by suffix); XLSX adds answer drop-downs, a questions tab."""
    path = Path(path)
    frame = sheet_frame(sample)
    if path.suffix.lower() == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix.lower() == ".xlsx":
        _write_xlsx(frame, sample, path)
    else:
        raise ValidationError(str(path), ["review sheets are .csv or .xlsx files"])
    return path


def _write_xlsx(frame: pd.DataFrame, sample: StoredSample, path: Path) -> None:
    questions = QuestionSet.from_stored(sample.question_set)
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        frame.to_excel(writer, sheet_name="review", index=False)
        sheet = writer.sheets["review"]
        sheet.freeze_panes(1, 2)
        for number, column in enumerate(frame.columns):
            if column in questions.question_ids:
                sheet.data_validation(
                    1,
                    number,
                    max(len(frame), 1),
                    number,
                    {"validate": "list", "source": list(questions.answers)},
                )
                sheet.write_comment(
                    0, number, questions.questions[questions.question_ids.index(column)].text
                )
        pd.DataFrame(
            [(q.id, q.text, ", ".join(questions.answers)) for q in questions.questions],
            columns=["question", "text", "answers"],
        ).to_excel(writer, sheet_name="questions", index=False)
        about = {
            "sample_id": sample.id,
            "audit": sample.audit,
            "force": sample.force,
            "question_set": questions.title,
            "seed": sample.seed,
            "parameters": str(sample.parameters),
            "pool_checksum": sample.pool_checksum,
            "warnings": " | ".join(sample.warnings),
        }
        pd.DataFrame(list(about.items()), columns=["field", "value"]).to_excel(
            writer, sheet_name="about", index=False
        )


def read_review_sheet(path: str | Path) -> pd.DataFrame:
    """A completed sheet as text cells ('n/a' stays 'n/a', blanks are '')."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError(str(path), ["no such file"])
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise ValidationError(str(path), ["review sheets are .csv or .xlsx files"])
    try:
        if path.suffix.lower() == ".csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False)
        frame = pd.read_excel(
            path, sheet_name=0, dtype=str, keep_default_na=False, engine="openpyxl"
        )
    except (ValueError, OSError, zipfile.BadZipFile, pd.errors.ParserError) as error:
        # UnicodeDecodeError is a ValueError: a CSV saved in another encoding lands here too
        problem = (
            f"cannot be read ({str(error).splitlines()[0]}); save it again from Excel as .xlsx, "
            "or as CSV UTF-8, keeping the columns of the sheet peelstat wrote"
        )
        raise ValidationError(str(path), [problem]) from None
    return frame.map(lambda v: "" if v is None else str(v))


def sheet_sample_id(frame: pd.DataFrame, subject: str) -> int:
    """The sample a sheet belongs to, from its sample_id column (one value for the whole sheet)."""
    values = {v.strip() for v in frame.get("sample_id", pd.Series(dtype=str)) if v.strip()}
    if len(values) != 1 or not next(iter(values)).removesuffix(".0").isdigit():
        found = sorted(values) or "none"
        raise ValidationError(
            subject, [f"column sample_id must hold one sample id (found {found})"]
        )
    return int(next(iter(values)).removesuffix(".0"))


def check_review_sheet(
    frame: pd.DataFrame,
    sample: StoredSample,
    subject: str,
    imported_at: datetime | None = None,
    account: Account | None = None,
) -> list[Answer]:
    """Every answer in the sheet, or a ValidationError listing every problem in it (with
    ``account``, also each line it may not record: another reviewer's, or a future date)."""
    questions = QuestionSet.from_stored(sample.question_set)
    problems: list[str] = []
    missing = [c for c in ["record_id", "reviewer", *questions.question_ids] if c not in frame]
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    known = set(sample.records["record_id"])
    seen: dict[tuple[str, str], int] = {}
    answers: list[Answer] = []
    present = [q for q in questions.question_ids if q in frame]
    for index, row in enumerate(frame.to_dict("records")):
        line = index + 2  # the header is line 1
        record_id, reviewer = row.get("record_id", "").strip(), row.get("reviewer", "").strip()
        given = {q: row[q].strip() for q in present if row[q].strip()}
        if record_id not in known:
            problems.append(f"line {line}: record id {record_id!r} is not in sample {sample.id}")
        if (record_id, reviewer) in seen:
            problems.append(
                f"line {line}: record {record_id!r} by {reviewer or 'no reviewer'} "
                f"repeats line {seen[record_id, reviewer]}"
            )
        seen[record_id, reviewer] = line
        if given and not reviewer and "reviewer" in frame:
            problems.append(f"line {line}: answers without a reviewer")
        when, problem = _reviewed_at(row.get("reviewed_on", ""), imported_at)
        if problem:
            problems.append(f"line {line}: {problem}")
        refusal = answer_refusal(reviewer, when, account, imported_at) if account else None
        if refusal and given and reviewer:
            problems.append(f"line {line}: {refusal}")
        for qid, text in given.items():
            answer = questions.normalise(text)
            if answer is None:
                allowed = ", ".join(questions.answers)
                problems.append(f"line {line}, column {qid}: {text!r} is not one of {allowed}")
                continue
            note = str(row.get(qid + NOTE, "")).strip()
            answers.append(Answer(record_id, qid, answer, reviewer, when, note))
    if problems:
        raise ValidationError(f"{subject} was not imported", problems)
    return answers


def _reviewed_at(text: str, default: datetime | None) -> tuple[datetime, str | None]:
    text = (text or "").strip()
    if not text:
        return default or now(), None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return now(), f"reviewed_on {text!r} is not a date like 2022-05-31"
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)), None


@dataclass(frozen=True)
class ImportSummary:
    sample_id: int
    answers: int
    records: int
    blank: int

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def import_review_sheet(
    store: RecordsStore, path: str | Path, sample_id: int | None = None, *, account: Account
) -> ImportSummary:
    """Check a completed sheet against its sample and store all its answers in one
    transaction, as ``account`` (the signed-in reviewer or lead)."""
    frame = read_review_sheet(path)
    subject = f"review sheet {Path(path).name}"
    sample = store.sample(sample_id if sample_id is not None else sheet_sample_id(frame, subject))
    answers = check_review_sheet(frame, sample, subject, account=store.account(account.name))
    store.save_answers(sample.id, answers, source=Path(path).name, account=account)
    questions = QuestionSet.from_stored(sample.question_set).question_ids
    cells = len(frame) * len([q for q in questions if q in frame])
    return ImportSummary(
        sample.id, len(answers), len({a.record_id for a in answers}), cells - len(answers)
    )
