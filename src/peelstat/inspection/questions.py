"""Check-question sets for case-file reviews, declared as data (question_sets.yaml or your own)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from peelstat.errors import ValidationError

BUILTIN = "question_sets.yaml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Question:
    id: str
    text: str


@dataclass(frozen=True)
class QuestionSet:
    """Questions a reviewer answers for every record, and the answers allowed."""

    id: str
    title: str
    answers: tuple[str, ...]
    counts: str
    excluded: tuple[str, ...]
    questions: tuple[Question, ...]
    description: str = ""

    @property
    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]

    def normalise(self, answer: str) -> str | None:
        """The allowed answer this text means ('Yes ' → 'yes'), or None if not allowed."""
        wanted = answer.strip().lower()
        return next((a for a in self.answers if a.lower() == wanted), None)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, id: str, data: Any, where: str = "question set") -> QuestionSet:
        """Validate a declaration, listing every problem with the set and field it is in."""
        subject = f"{where}, question set {id!r}"
        if not isinstance(data, dict):
            raise ValidationError(subject, ["must be a mapping with title, answers, questions"])
        problems: list[str] = []
        answers = [str(a) for a in data.get("answers") or []]
        if not answers or any(isinstance(a, bool) for a in data.get("answers") or []):
            problems.append('field \'answers\': give a list of quoted answers, e.g. ["yes", "no"]')
        counts = str(data.get("counts", answers[0] if answers else ""))
        excluded = [str(a) for a in data.get("excluded") or []]
        problems += [
            f"field 'counts'/'excluded': {a!r} is not one of the answers {answers}"
            for a in [counts, *excluded]
            if a not in answers
        ]
        questions, seen = [], set()
        for number, raw in enumerate(data.get("questions") or [], start=1):
            qid, text = str((raw or {}).get("id", "")), str((raw or {}).get("text", ""))
            if not _ID.match(qid):
                problems.append(f"question {number}: id {qid!r} must be lower_snake_case")
            if qid in seen:
                problems.append(f"question {number}: id {qid!r} is used twice")
            if not text:
                problems.append(f"question {number}: no text")
            seen.add(qid)
            questions.append(Question(qid, text))
        if not questions:
            problems.append("field 'questions': no questions")
        if problems:
            raise ValidationError(subject, problems)
        return cls(
            id=id,
            title=str(data.get("title", id)),
            answers=tuple(answers),
            counts=counts,
            excluded=tuple(excluded),
            questions=tuple(questions),
            description=str(data.get("description", "")).strip(),
        )

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> QuestionSet:
        """Rebuild a set saved with a sample (as_dict output), so imports never need the file."""
        return cls(
            id=data["id"],
            title=data["title"],
            answers=tuple(data["answers"]),
            counts=data["counts"],
            excluded=tuple(data["excluded"]),
            questions=tuple(Question(**q) for q in data["questions"]),
            description=data.get("description", ""),
        )


def read_question_sets(path: str | Path | None = None) -> dict[str, QuestionSet]:
    """Every question set in a YAML file (the built-in file when no path is given)."""
    if path is None:
        return dict(_builtin())
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValidationError(str(path), [f"cannot be read as a question set: {error}"]) from None
    return _parse(text, str(path))


@cache
def _builtin() -> dict[str, QuestionSet]:
    text = resources.files("peelstat.inspection").joinpath(BUILTIN).read_text(encoding="utf-8")
    return _parse(text, BUILTIN)


def _parse(text: str, where: str) -> dict[str, QuestionSet]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        problem = f"is not valid YAML ({str(error).splitlines()[0]}); see question_sets.yaml"
        raise ValidationError(where, [problem]) from None
    if not isinstance(data, dict):
        raise ValidationError(where, ["must map question set ids to their declarations"])
    return {str(k): QuestionSet.from_dict(str(k), v, where) for k, v in data.items()}


def question_set(name: str) -> QuestionSet:
    """A built-in set by id ('victim-service'), or a file path holding exactly one set."""
    builtin = _builtin()
    if name in builtin:
        return builtin[name]
    if Path(name).is_file():
        sets = read_question_sets(name)
        if len(sets) == 1:
            return next(iter(sets.values()))
        raise ValidationError(name, [f"holds {len(sets)} question sets; keep one per file"])
    raise ValidationError(
        "question set", [f"unknown question set {name!r}; built in: {', '.join(builtin)}"]
    )
