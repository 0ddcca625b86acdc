"""Transcripts and compliance rolls over HTTP, authorized as GraphQL is."""

import csv
import io

from app.services import enrollments
from app.services.auth import user_principal
from tests import factories
from tests.records.conftest import approved_course


async def _token(http, email: str) -> dict[str, str]:
    answer = await http.post(
        "/graphql",
        json={
            "query": "mutation($e: String!, $p: String!) { auth_login(email: $e, "
            "password: $p) { access_token } }",
            "variables": {"e": email, "p": factories.PASSWORD},
        },
    )
    token = answer.json()["data"]["auth_login"]["access_token"]
    return {"Authorization": f"Bearer {token}"}


async def _complete(account, course) -> None:
    me = user_principal(account.pk)
    enrollment = await enrollments.enroll(me, course.pk)
    for lesson in await factories.lessons_of(course):
        await enrollments.complete_lesson(me, enrollment.pk, lesson.pk)


async def test_a_learner_downloads_their_transcript_as_csv_and_json(http, auth, world):
    account = await factories.learner(
        auth,
        "ann@hartwell.example",
        world.firm,
        last_name="Avery",
        admissions=[{"jurisdiction": "US-NY", "admitted_on": "2012-02-01"}],
    )
    course = await approved_course(
        world.publisher,
        [{"jurisdiction": "US-NY", "number": "=1+1", "credits": {"ethics": "1.00"}}],
        lessons=1,
        title="@Ethics for Counsel",
    )
    await _complete(account, course)
    headers = await _token(http, "ann@hartwell.example")

    as_csv = await http.get("/reports/transcript.csv", headers=headers)
    as_json = await http.get("/reports/transcript.json", headers=headers)

    assert as_csv.status_code == 200
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert as_csv.headers["cache-control"] == "no-store"
    assert 'filename="transcript-avery.csv"' in as_csv.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert rows[0] == [
        "jurisdiction",
        "earned_on",
        "course_title",
        "version",
        "category",
        "hours",
        "delivery",
        "approval_number",
    ]
    # Cells a spreadsheet would run as formulas are written as text.
    assert rows[1][2:] == [
        "'@Ethics for Counsel",
        "1",
        "ethics",
        "1.00",
        "self_study",
        "'=1+1",
    ]
    body = as_json.json()
    assert body["last_name"] == "Avery"
    assert [(line["category"], line["hours"]) for line in body["lines"]] == [
        ("ethics", "1.00")
    ]


async def test_downloads_refuse_strangers_and_bad_tokens(http, auth, world):
    account = await factories.learner(auth, "ben@hartwell.example", world.firm)
    await factories.user(auth, "nosy@bayard.example", learner=world.other_firm)
    headers = await _token(http, "nosy@bayard.example")

    anonymous = await http.get(f"/reports/transcript.json?user={account.pk}")
    stranger = await http.get(
        f"/reports/transcript.json?user={account.pk}", headers=headers
    )
    forged = await http.get(
        "/reports/transcript.json", headers={"Authorization": "Bearer forged"}
    )
    wrong_format = await http.get("/reports/transcript.xlsx", headers=headers)

    assert anonymous.status_code == 404
    assert stranger.status_code == 404
    assert stranger.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert forged.status_code == 401
    assert forged.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert wrong_format.status_code == 400
