"""Taking an assessment through the API: GraphQL for answers, HTTP for documents."""

import json

from app.models import User
from app.services.auth import user_principal
from tests import factories
from tests.learning.classroom import classroom, course_with, pdf, true_false

START = """
mutation($e: ID!, $a: ID!) {
  start_attempt(enrollment: $e, assessment: $a) { id number status deadline }
}
"""
SUBMIT = """
mutation($t: ID!, $answers: [answer_input!]) {
  submit_attempt(attempt: $t, answers: $answers) {
    id status score max_score percent passed late
  }
}
"""


async def _enroll(gql, principal, course) -> str:
    data = await gql.data(
        "mutation($c: ID!) { enroll(course: $c) { id } }",
        {"c": str(course.pk)},
        principal,
    )
    return data["enroll"]["id"]


async def test_a_quiz_is_taken_graded_and_fed_back_without_its_key(gql, auth):
    room = await classroom(auth)
    quiz = await course_with(
        room.publisher,
        [
            true_false(points="1"),
            {
                "kind": "short_answer",
                "points": "1",
                "answer_key": {"accepted": ["72 hours"]},
                "explanation": "Article 33(1).",
            },
        ],
        pass_mark=50,
        max_attempts=2,
        time_limit_minutes=20,
        feedback="after_submit",
    )
    enrollment = await _enroll(gql, room.student, quiz.course)
    started = await gql.data(
        START, {"e": enrollment, "a": str(quiz.assessment.pk)}, room.student
    )
    attempt = started["start_attempt"]["id"]
    right, _ = quiz.choices[0]

    saved = await gql.data(
        "mutation($t: ID!, $q: ID!, $a: JSON!) { answer_question(attempt: $t, "
        "question: $q, answer: $a) { question answer } }",
        {"t": attempt, "q": str(quiz.questions[0].pk), "a": {"choice": str(right.pk)}},
        room.student,
    )
    submitted = await gql.data(
        SUBMIT,
        {
            "t": attempt,
            "answers": [
                {"question": str(quiz.questions[1].pk), "answer": {"text": "48"}}
            ],
        },
        room.student,
    )
    again = await gql.data(SUBMIT, {"t": attempt, "answers": []}, room.student)
    feedback = await gql.data(
        "query($t: ID!) { attempt_feedback(attempt: $t) }", {"t": attempt}, room.student
    )

    assert started["start_attempt"]["number"] == 1
    assert started["start_attempt"]["status"] == "in_progress"
    assert started["start_attempt"]["deadline"] is not None
    assert saved["answer_question"]["answer"] == {"choice": str(right.pk)}
    assert submitted["submit_attempt"] | {"id": None} == {
        "id": None,
        "status": "graded",
        "score": "1.00",
        "max_score": "2.00",
        "percent": "50.00",
        "passed": True,
        "late": False,
    }
    assert again == submitted
    shown = feedback["attempt_feedback"]
    assert [q["correct"] for q in shown["questions"]] == [True, False]
    text = json.dumps(shown)
    for secret in ("is_correct", "accepted", "72 hours", "grading_notes"):
        assert secret not in text
    # The release a learner reads has no answer keys either.
    published = await gql(
        "query($id: ID!) { questions_by_id(id: $id) { answer_key } }",
        {"id": str(quiz.questions[1].pk)},
        room.student,
    )
    assert published.errors[0].formatted["extensions"]["code"] == "FORBIDDEN"


async def test_responses_show_no_marks_to_the_learner_beyond_the_feedback(gql, auth):
    room = await classroom(auth)
    quiz = await course_with(
        room.publisher, [true_false(points="1")], feedback="none", pass_mark=50
    )
    enrollment = await _enroll(gql, room.student, quiz.course)
    started = await gql.data(
        START, {"e": enrollment, "a": str(quiz.assessment.pk)}, room.student
    )

    await gql.data(SUBMIT, {"t": started["start_attempt"]["id"]}, room.student)
    marks = await gql("{ responses { id correct } }", None, room.student)
    feedback = await gql.data(
        "query($t: ID!) { attempt_feedback(attempt: $t) }",
        {"t": started["start_attempt"]["id"]},
        room.student,
    )

    assert marks.errors and "correct" in marks.errors[0].message
    assert "questions" not in feedback["attempt_feedback"]
    assert feedback["attempt_feedback"]["passed"] is False


async def _login(http, email: str) -> dict[str, str]:
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


async def test_work_product_is_handed_in_over_http_and_graded_blind(http, gql, auth):
    room = await classroom(auth)
    await factories.user(auth, "marker@home.example", reviewer=room.publisher)
    quiz = await course_with(
        room.publisher,
        [
            {
                "kind": "essay",
                "points": "10",
                "answer_key": {
                    "rubric": [
                        {"criterion": "Issues spotted", "points": "6"},
                        {"criterion": "Clear advice", "points": "4"},
                    ]
                },
            }
        ],
        kind="work_product",
        pass_mark=70,
    )
    learner = await _login(http, room.learner.email)
    grader = await _login(http, "marker@home.example")
    enrollment = await _enroll(gql, room.student, quiz.course)
    started = await gql.data(
        START, {"e": enrollment, "a": str(quiz.assessment.pk)}, room.student
    )
    attempt = started["start_attempt"]["id"]
    url = f"/uploads/attempts/{attempt}/questions/{quiz.questions[0].pk}"
    memo = pdf()

    refused = await http.put(
        url + "?filename=memo.pdf",
        content=b"MZ\x90\x00binary",
        headers=learner | {"Content-Type": "application/pdf"},
    )
    handed_in = await http.put(
        url + "?filename=../../Marbury%20memo.pdf",
        content=memo,
        headers=learner | {"Content-Type": "application/pdf"},
    )
    submitted = await gql.data(SUBMIT, {"t": attempt}, room.student)
    marker = user_principal((await User.get(email="marker@home.example")).pk)
    queue = await gql.data("{ grading_queue }", None, marker)
    stored = handed_in.json()
    fetched = await http.get(f"/files/{stored['id']}", headers=grader)
    stranger = await http.get(
        f"/files/{stored['id']}",
        headers=await _login(http, "marker@home.example")
        | {"Authorization": "Bearer nonsense"},
    )

    assert refused.status_code == 400
    assert handed_in.status_code == 201
    assert stored["content_type"] == "application/pdf"
    assert "/" not in stored["filename"]
    assert submitted["submit_attempt"]["status"] == "awaiting_review"
    (task,) = queue["grading_queue"]
    assert room.learner.email not in json.dumps(task)
    assert "Marbury" not in json.dumps(task)
    assert fetched.status_code == 200
    # A grader's copy: the same page, its document information reduced to
    # the title.
    assert fetched.content.startswith(b"%PDF-")
    assert fetched.content != memo
    assert "Marbury" not in fetched.headers["content-disposition"]
    assert fetched.headers["cache-control"] == "no-store"
    assert stranger.status_code == 401

    response = task["responses"][0]["response"]
    graded = await gql.data(
        "mutation($r: ID!) { grade_response(response: $r, rubric_scores: "
        '[{criterion: 0, points: "5"}, {criterion: 1, points: "3"}], '
        'comment: "Sound.") { points attempt_status reviewer_comment } }',
        {"r": response},
        marker,
    )
    assert graded["grade_response"] == {
        "points": "8.00",
        "attempt_status": "graded",
        "reviewer_comment": "Sound.",
    }
