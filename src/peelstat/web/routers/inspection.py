"""The inspection pages: graded judgments and their history, review samples with their
progress and estimates, and the one write the dashboard makes: a reviewer's answer.

Answers go through :meth:`RecordsStore.save_answers`, which refuses an answer naming another
reviewer unless a lead records it, and keeps every write in the audit trail with who and when.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Header, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, Field

from peelstat.analysis.cdi import CdiEstimate
from peelstat.analysis.disparity import FEW_SEARCHES, StopSearchDisparity
from peelstat.inspection.questions import QuestionSet
from peelstat.inspection.records import RecordsStore
from peelstat.inspection.records_types import Account, Answer
from peelstat.inspection.results import question_estimates
from peelstat.reports.inspection import latest_disparity
from peelstat.web import queries
from peelstat.web.deps import results, templates
from peelstat.web.figures import grades_figure
from peelstat.web.results import Results
from peelstat.web.security import check_csrf, csrf_token, current_account, required_account
from peelstat.web.security import sign_in as start_session
from peelstat.web.security import sign_out as end_session

router = APIRouter()
Door = Annotated[Results, Depends(results)]
Short = Annotated[str, Form(min_length=1, max_length=200)]


def _sample_view(store: RecordsStore, sample_id: int) -> dict[str, Any]:
    """A sample's progress (answers given of answers due) and its estimates so far."""
    stored = store.sample(sample_id)
    answers = store.answers(sample_id)
    questions = QuestionSet.from_stored(stored.question_set)
    weighted = not stored.parameters.get("strata_overlap", True)
    estimates = question_estimates(
        answers, questions, populations=stored.populations if weighted else None
    )
    due = len(stored.records) * len(questions.questions)
    done = len(answers.drop_duplicates(["record_id", "question"])) if len(answers) else 0
    return {"sample": stored, "answers": answers, "estimates": estimates, "due": due,
            "done": done, "questions": questions}  # fmt: skip


def _disparity(door: Results, force: str) -> tuple[StopSearchDisparity | None, str | None]:
    """The report's stop and search disparity (the latest 12 months), remembered like the
    warehouse's other results."""
    return door.compute(("disparity", force), lambda ws: latest_disparity(ws, force))  # type: ignore[no-any-return]


def _cdi(door: Results, force: str) -> tuple[CdiEstimate, ...]:
    """Not remembered like the warehouse's results: a saved audit shows at once."""
    with door.borrow() as ws:
        return ws.cdi_estimates(force)


@router.get("/inspection", response_class=HTMLResponse, include_in_schema=False)
def inspection(request: Request, door: Door, force: str | None = None) -> HTMLResponse:
    store = door.workspace.records
    slug = queries.Choices.force(force)
    samples = store.samples()
    views = [_sample_view(store, int(i)) for i in samples["sample"]]
    pick = queries.choices(door)
    judgments = store.judgments(slug)
    disparity, disparity_problem = _disparity(door, slug)
    return templates.TemplateResponse(request, "inspection.html", {
        "disparity": disparity, "disparity_problem": disparity_problem,
        "force": slug, "forces": pick.forces, "judgments": judgments,
        "grades": grades_figure(judgments), "cdi": _cdi(door, slug),
        "findings": store.findings(slug), "samples": views, "account": current_account(request),
        "csrf": csrf_token(request), "trail": store.audit_trail(20), "few_searches": FEW_SEARCHES,
    })  # fmt: skip


@router.get("/sign-in", response_class=HTMLResponse, include_in_schema=False)
def sign_in_form(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "sign_in.html", {"csrf": csrf_token(request)})


@router.post("/sign-in", include_in_schema=False)
def sign_in(
    request: Request, name: Short, password: Short, csrf: Annotated[str, Form()]
) -> RedirectResponse:
    check_csrf(request, csrf)
    start_session(request, name, password)
    return RedirectResponse("/inspection", status_code=303)


@router.post("/sign-out", include_in_schema=False)
def sign_out(request: Request, csrf: Annotated[str, Form()]) -> RedirectResponse:
    check_csrf(request, csrf)
    end_session(request)
    return RedirectResponse("/inspection", status_code=303)


def _save(door: Results, account: Account, sample: int, record_id: str, question: str,
          answer: str, note: str, reviewer: str | None) -> int:  # fmt: skip
    given = Answer(record_id, question, answer, reviewer or account.name,
                   datetime.now(UTC), note)  # fmt: skip
    return door.workspace.records.save_answers(sample, [given], "dashboard", account=account)


@router.post("/inspection/answers", include_in_schema=False)
def answer_form(
    request: Request, door: Door, sample: Annotated[int, Form()], record_id: Short,
    question: Short, answer: Short, csrf: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
    reviewer: Annotated[str | None, Form(max_length=200)] = None,
) -> RedirectResponse:  # fmt: skip
    check_csrf(request, csrf)
    _save(door, required_account(request), sample, record_id, question, answer, note, reviewer)
    return RedirectResponse("/inspection", status_code=303)


class AnswerIn(BaseModel):
    """One review answer; ``reviewer`` defaults to the signed-in account."""

    sample: int
    record_id: str = Field(min_length=1, max_length=200)
    question: str = Field(min_length=1, max_length=200)
    answer: str = Field(min_length=1, max_length=200)
    note: str = Field("", max_length=2000)
    reviewer: str | None = Field(None, max_length=200)


@router.post("/api/v1/answers", tags=["api"], summary="Record a review answer (signed in)")
def answer_api(
    request: Request, door: Door, body: AnswerIn,
    x_csrf_token: Annotated[str | None, Header()] = None,
) -> JSONResponse:  # fmt: skip
    check_csrf(request, x_csrf_token)
    account = required_account(request)
    count = _save(door, account, body.sample, body.record_id, body.question, body.answer,
                  body.note, body.reviewer)  # fmt: skip
    return JSONResponse({"stored": count, "account": account.name})
