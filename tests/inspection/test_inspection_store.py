"""The records store round-trips every kind of record, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest

from peelstat.errors import ValidationError
from peelstat.inspection.questions import question_set
from peelstat.inspection.records import RecordsStore
from peelstat.inspection.records_connection import store_url
from peelstat.inspection.records_types import Account, Answer, Finding, Judgment


def save_example_sample(store: RecordsStore, audit: str = "VSA 2022") -> int:
    records = pd.DataFrame(
        {
            "record_id": ["c1", "c2", "c3"],
            "stratum": ["outcome 15", "outcome 15", "outcome 21"],
            "month": ["2022-01", "2022-02", "2022-03"],
            "crime_type": ["Burglary", "Burglary", None],
            "outcome_type": ["14/15/16", "14/15/16", "21"],
        }
    )
    return store.save_sample(
        audit=audit,
        force="avon-and-somerset",
        seed=2022,
        parameters={"start": "2022-01", "end": "2022-03", "outcome_types": ["15", "21"]},
        question_set=question_set("victim-service").as_dict(),
        records=records,
        populations={"outcome 15": 61, "outcome 21": 59},
        warnings=["police.uk cannot tell 15 from 16"],
        pool_checksum="ab" * 32,
    )


def test_sample_round_trip(store: RecordsStore) -> None:
    sample_id = save_example_sample(store)
    sample = store.sample(sample_id)
    assert (sample.audit, sample.force, sample.seed) == ("VSA 2022", "avon-and-somerset", 2022)
    assert sample.parameters["outcome_types"] == ["15", "21"]
    assert sample.populations == {"outcome 15": 61, "outcome 21": 59}
    assert sample.question_set["id"] == "victim-service"
    assert sample.records["record_id"].tolist() == ["c1", "c2", "c3"]
    assert pd.isna(sample.records.loc[2, "crime_type"])
    assert sample.drawn_at.tzinfo is not None
    listing = store.samples()
    assert listing[["sample", "audit", "records"]].values.tolist() == [[sample_id, "VSA 2022", 3]]


def test_second_sample_joins_the_audit_but_not_another_force(store: RecordsStore) -> None:
    first, second = save_example_sample(store), save_example_sample(store)
    assert second == first + 1
    assert len(store.samples(audit="VSA 2022")) == 2
    records = pd.DataFrame({"record_id": ["x"], "stratum": ["all"]})
    with pytest.raises(ValidationError, match="belongs to force"):
        store.save_sample("VSA 2022", "wiltshire", 1, {}, {}, records, {}, [], "")


def test_unknown_sample_lists_known_ones(store: RecordsStore) -> None:
    save_example_sample(store)
    with pytest.raises(ValidationError, match="no sample 99"):
        store.sample(99)


def test_answers_round_trip_and_reimport_replaces(store: RecordsStore, reviewer: Account) -> None:
    sample_id = save_example_sample(store)
    moment = datetime(2022, 5, 31, 14, 30, tzinfo=UTC)
    answers = [
        Answer("c1", "vulnerability_assessed", "no", "A. Reviewer", moment, "no DASH form"),
        Answer("c2", "vulnerability_assessed", "yes", "A. Reviewer", moment),
    ]
    assert store.save_answers(sample_id, answers, source="sheet.csv", account=reviewer) == 2
    stored = store.answers(sample_id)
    assert stored[["record_id", "stratum", "answer", "note"]].values.tolist() == [
        ["c1", "outcome 15", "no", "no DASH form"],
        ["c2", "outcome 15", "yes", ""],
    ]
    assert stored["reviewed_at"].tolist() == [moment, moment]
    store.save_answers(
        sample_id,
        [Answer("c1", "vulnerability_assessed", "yes", "A. Reviewer", moment)],
        account=reviewer,
    )
    assert sorted(store.answers(audit="VSA 2022")["answer"]) == ["yes", "yes"]


def test_judgments_round_trip_and_update(store: RecordsStore) -> None:
    judgment = Judgment(
        "avon-and-somerset",
        "PEEL 2021/22",
        "2021/22",
        "Investigating crime",
        "Requires improvement",
        "five-tier",
        date(2022, 9, 30),
        "report",
    )
    ungraded = Judgment(
        "avon-and-somerset",
        "PEEL effectiveness 2017",
        "2017",
        "Specialist capabilities",
        None,
        "four-tier",
    )
    store.save_judgments([judgment, ungraded])
    assert store.judgments(force="avon-and-somerset") == [judgment, ungraded]
    improved = Judgment(**{**judgment.__dict__, "grade": "Adequate"})
    store.save_judgments([improved])
    assert store.judgments(area="investigating") == [improved]
    assert store.judgments(force="gloucestershire") == []


def test_findings_with_status(store: RecordsStore) -> None:
    finding = Finding(
        "avon-and-somerset",
        "PEEL 2021/22",
        "area for improvement",
        "The force should record crime within 24 hours.",
        "Recording data",
    )
    [finding_id] = store.save_findings([finding])
    assert store.save_findings([finding]) == [finding_id]  # same finding: updated, not doubled
    store.set_finding_status(finding_id, "addressed", date(2023, 6, 1))
    [stored] = store.findings(force="avon-and-somerset")
    assert (stored.status, stored.status_date, stored.id) == (
        "addressed",
        date(2023, 6, 1),
        finding_id,
    )
    with pytest.raises(ValidationError):
        store.set_finding_status(12345, "closed")


def test_store_url_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEELSTAT_STORE", str(tmp_path / "env.sqlite"))
    assert store_url() == f"sqlite:///{tmp_path / 'env.sqlite'}"
    assert store_url(tmp_path / "a" / "b.sqlite") == f"sqlite:///{tmp_path / 'a' / 'b.sqlite'}"
    assert (tmp_path / "a").is_dir()
    assert store_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.delenv("PEELSTAT_STORE")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert store_url().endswith("inspection.sqlite")


@pytest.mark.parametrize(
    "location", ["postgresql+psycopg://someone:secret@127.0.0.1:1/x", "nosuch://x"]
)
def test_store_that_cannot_be_opened_says_what_to_check(location: str) -> None:
    with pytest.raises(ValidationError, match="Check --store or \\$PEELSTAT_STORE") as caught:
        RecordsStore(location)
    assert "secret" not in str(caught.value)
