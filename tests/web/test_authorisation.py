"""Writes need a signed-in account and the session's CSRF token; a reviewer can change only
their own answers, by form or by API; every write is in the audit trail with who and when."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from peelstat.inspection.questions import question_set

QUESTION = question_set("victim-service").questions[0].id


def signed_in(app: FastAPI, name: str, password: str) -> tuple[TestClient, str]:
    """A client signed in as ``name`` and its session's CSRF token."""
    client = TestClient(app, base_url="http://127.0.0.1")
    form = client.get("/sign-in").text
    token = re.search(r'name="csrf" value="([^"]+)"', form)[1]  # type: ignore[index]
    answer = client.post("/sign-in", data={"name": name, "password": password,
                                           "csrf": token}, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text
    page = client.get("/inspection").text
    assert f'id="account">{name}<' in page
    return client, re.search(r'name="csrf" value="([^"]+)"', page)[1]  # type: ignore[index]


def bobs_answer(app: FastAPI) -> str:
    answers = app.state.results.workspace.records.answers(1)
    mine = answers[(answers["record_id"] == "c1") & (answers["question"] == QUESTION)]
    return str(mine.loc[mine["reviewer"] == "bob", "answer"].iloc[0])


def test_a_reviewer_cannot_alter_another_reviewers_answer_by_form(
    web_app: FastAPI, passwords: dict[str, str]
) -> None:
    carol, token = signed_in(web_app, "carol", passwords["carol"])
    before = bobs_answer(web_app)
    refused = carol.post("/inspection/answers", data={
        "sample": 1, "record_id": "c1", "question": QUESTION, "answer": "no",
        "reviewer": "bob", "csrf": token}, follow_redirects=False)  # fmt: skip
    assert refused.status_code == 403 and "only a lead may record answers" in refused.text
    assert bobs_answer(web_app) == before


def test_a_reviewer_cannot_alter_another_reviewers_answer_by_api(
    web_app: FastAPI, passwords: dict[str, str]
) -> None:
    carol, token = signed_in(web_app, "carol", passwords["carol"])
    before = bobs_answer(web_app)
    body = {"sample": 1, "record_id": "c1", "question": QUESTION, "answer": "no", "reviewer": "bob"}
    refused = carol.post("/api/v1/answers", json=body, headers={"X-CSRF-Token": token})
    assert refused.status_code == 403 and refused.json()["error"] == "NotAllowedError"
    assert bobs_answer(web_app) == before


def test_a_reviewer_records_their_own_answer_and_the_trail_says_who(
    web_app: FastAPI, passwords: dict[str, str]
) -> None:
    carol, token = signed_in(web_app, "carol", passwords["carol"])
    body = {"sample": 1, "record_id": "c2", "question": QUESTION, "answer": "yes"}
    stored = carol.post("/api/v1/answers", json=body, headers={"X-CSRF-Token": token})
    assert stored.json() == {"stored": 1, "account": "carol"}
    trail = web_app.state.results.workspace.records.audit_trail()
    latest = trail.iloc[0]
    assert (latest["account"], latest["action"]) == ("carol", "answer.save")
    assert "record c2" in latest["subject"] and latest["at"] is not None


def test_writes_without_sign_in_or_token_are_refused(
    web_app: FastAPI, passwords: dict[str, str]
) -> None:
    anonymous = TestClient(web_app, base_url="http://127.0.0.1")
    body = {"sample": 1, "record_id": "c1", "question": QUESTION, "answer": "no"}
    assert anonymous.post("/api/v1/answers", json=body).status_code == 403
    bob, _ = signed_in(web_app, "bob", passwords["bob"])
    no_token = bob.post("/api/v1/answers", json=body)
    wrong = bob.post("/inspection/answers", data={**body, "csrf": "forged"})
    assert no_token.status_code == 403 and wrong.status_code == 403
    assert bobs_answer(web_app) == "yes"


def test_a_wrong_password_is_refused_without_saying_which_part(
    web_app: FastAPI, passwords: dict[str, str]
) -> None:
    client = TestClient(web_app, base_url="http://127.0.0.1")
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/sign-in").text)[1]  # type: ignore[index]
    answer = client.post("/sign-in", data={"name": "bob", "password": "guess", "csrf": token})
    assert answer.status_code == 401 and "unknown account or wrong password" in answer.text
    assert "peelstat_session" in client.cookies  # signed, and holding no account
    assert 'id="account"' not in client.get("/inspection").text
