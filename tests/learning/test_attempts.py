"""Attempts at quizzes: start, answer, submit, limits, time, scoring and feedback."""

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from app.errors import InvalidInput, LimitExceeded, NotFound
from app.models import Attempt, Enrollment, Response
from app.models.enums import AttemptStatus, EnrollmentStatus
from app.services import attempts, enrollments
from app.services.auth import user_principal
from tests import factories
from tests.learning.classroom import (
    as_json,
    classroom,
    course_with,
    enrolled,
    past_deadline,
    pick,
    true_false,
)

pytestmark = pytest.mark.usefixtures("clean")

ACCEPTED = "seventy-two hours"
NOTES = "GRADERS ONLY: Art. 33 GDPR"


async def two_questions(room, **assessment):
    """A quiz of a true/false question (1 point) and a short answer (3 points)."""
    quiz = await course_with(
        room.publisher,
        [
            true_false(True, explanation="The rule says so.", points="1"),
            {
                "kind": "short_answer",
                "points": "3",
                "answer_key": {"accepted": [ACCEPTED, "72 hours"]},
                "grading_notes": NOTES,
                "explanation": "From awareness of the breach.",
            },
        ],
        **assessment,
    )
    enrollment = await enrolled(room, quiz)
    return quiz, enrollment


def answers(quiz, *, right: bool) -> list[dict]:
    """Both questions answered, rightly or wrongly."""
    return [
        {
            "question": str(quiz.questions[0].pk),
            "answer": pick(quiz.choices[0][0 if right else 1]),
        },
        {
            "question": str(quiz.questions[1].pk),
            "answer": {"text": " 72 HOURS. " if right else "a week"},
        },
    ]


def result(attempt: Attempt) -> tuple:
    return (
        attempt.status,
        attempt.score,
        attempt.max_score,
        attempt.percent,
        attempt.passed,
        attempt.late,
    )


async def test_start_opens_numbered_attempt_with_deadline_from_time_limit(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room, time_limit_minutes=20)

    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    again = await attempts.start_attempt(
        room.student, str(enrollment.pk), str(quiz.assessment.pk)
    )

    stored = await Attempt.get(id=attempt.pk)
    assert (stored.number, stored.status, stored.user_id, stored.deadline) == (
        1,
        AttemptStatus.IN_PROGRESS,
        room.learner.pk,
        stored.started + dt.timedelta(minutes=20),
    )
    assert again.pk == attempt.pk
    assert await Attempt.filter(enrollment_id=enrollment.pk).count() == 1


async def test_start_refuses_assessment_outside_the_release_and_others_enrollment(
    auth,
):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room)
    other = await factories.learner(auth, "other@firm.example", room.firm)

    with pytest.raises(NotFound) as outside:
        await attempts.start_attempt(room.student, enrollment.pk, quiz.questions[0].pk)
    with pytest.raises(NotFound) as foreign:
        await attempts.start_attempt(
            user_principal(other.pk), enrollment.pk, quiz.assessment.pk
        )

    assert (outside.value.code, outside.value.message) == (
        "NOT_FOUND",
        f"Assessment {quiz.questions[0].pk} is not part of this release.",
    )
    assert (foreign.value.code, foreign.value.message) == (
        "NOT_FOUND",
        f"No enrollment with id {enrollment.pk}.",
    )
    assert await Attempt.all().count() == 0


async def test_submitted_quiz_is_graded_on_the_server_and_completes_the_course(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room, pass_mark=70)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )

    saved = await attempts.answer(
        room.student, attempt.pk, quiz.questions[0].pk, pick(quiz.choices[0][0])
    )
    graded = await attempts.submit_attempt(
        room.student, attempt.pk, answers(quiz, right=True)[1:]
    )

    assert (saved.answer, saved.points, saved.correct) == (
        {"choice": str(quiz.choices[0][0].pk)},
        None,
        None,
    )
    expected = (
        AttemptStatus.GRADED,
        Decimal("4.00"),
        Decimal("4.00"),
        Decimal("100.00"),
        True,
        False,
    )
    assert result(graded) == expected
    assert result(await Attempt.get(id=attempt.pk)) == expected
    marks = await Response.filter(attempt_id=attempt.pk).order_by("points")
    assert [(r.points, r.correct) for r in marks] == [
        (Decimal("1.00"), True),
        (Decimal("3.00"), True),
    ]
    completed = await Enrollment.get(id=enrollment.pk)
    assert completed.status == EnrollmentStatus.COMPLETED


async def test_failed_attempt_scores_the_share_earned_and_leaves_course_open(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room, pass_mark=70)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )

    graded = await attempts.submit_attempt(
        room.student, attempt.pk, answers(quiz, right=True)[:1]
    )

    assert result(graded) == (
        AttemptStatus.GRADED,
        Decimal("1.00"),
        Decimal("4.00"),
        Decimal("25.00"),
        False,
        False,
    )
    assert (await Enrollment.get(id=enrollment.pk)).status == EnrollmentStatus.ACTIVE


async def test_answers_are_checked_and_final_once_submitted(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    # A multiple-choice answer to a true/false question.
    several = {"choices": [str(quiz.choices[0][0].pk)]}

    with pytest.raises(InvalidInput) as wrong_shape:
        await attempts.answer(room.student, attempt.pk, quiz.questions[0].pk, several)
    with pytest.raises(NotFound) as elsewhere:
        await attempts.answer(
            room.student, attempt.pk, quiz.assessment.pk, {"text": "x"}
        )
    await attempts.submit_attempt(room.student, attempt.pk)
    with pytest.raises(InvalidInput) as final:
        await attempts.answer(
            room.student, attempt.pk, quiz.questions[1].pk, {"text": ACCEPTED}
        )

    assert wrong_shape.value.message == (
        'This question (true_false) takes {"choice": ...} and no more.'
    )
    assert elsewhere.value.message == (
        f"Question {quiz.assessment.pk} is not part of this assessment."
    )
    assert (final.value.code, final.value.message) == (
        "INVALID_INPUT",
        "This attempt was submitted; its answers are final.",
    )
    assert await Response.filter(attempt_id=attempt.pk).count() == 0


async def test_nobody_answers_or_submits_someone_elses_attempt(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    other = user_principal(
        (await factories.learner(auth, "other@firm.example", room.firm)).pk
    )

    with pytest.raises(NotFound) as answering:
        await attempts.answer(
            other, attempt.pk, quiz.questions[1].pk, {"text": ACCEPTED}
        )
    with pytest.raises(NotFound) as submitting:
        await attempts.submit_attempt(other, attempt.pk)
    with pytest.raises(NotFound) as reading:
        await attempts.attempt_feedback(other, attempt.pk)

    message = f"No attempt with id {attempt.pk}."
    assert [e.value.message for e in (answering, submitting, reading)] == [message] * 3
    assert (await Attempt.get(id=attempt.pk)).status == AttemptStatus.IN_PROGRESS


async def test_no_attempt_starts_past_the_assessments_limit(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room, max_attempts=2)
    for _ in range(2):
        attempt = await attempts.start_attempt(
            room.student, enrollment.pk, quiz.assessment.pk
        )
        await attempts.submit_attempt(room.student, attempt.pk)

    with pytest.raises(LimitExceeded) as refused:
        await attempts.start_attempt(room.student, enrollment.pk, quiz.assessment.pk)

    assert (refused.value.code, refused.value.message) == (
        "LIMIT_EXCEEDED",
        "This assessment allows 2 attempts, and you have used every one.",
    )
    numbers = await Attempt.filter(enrollment_id=enrollment.pk).values_list(
        "number", flat=True
    )
    assert sorted(numbers) == [1, 2]


async def test_answering_after_the_deadline_is_refused(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room, time_limit_minutes=10)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    await past_deadline(attempt)

    with pytest.raises(InvalidInput) as late:
        await attempts.answer(
            room.student, attempt.pk, quiz.questions[1].pk, {"text": ACCEPTED}
        )

    assert (late.value.code, late.value.message) == (
        "INVALID_INPUT",
        "Time is up: the attempt's deadline has passed.",
    )


async def test_late_submission_counts_only_answers_saved_in_time(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(
        room, time_limit_minutes=10, late_policy="on_time_answers"
    )
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    await attempts.answer(
        room.student, attempt.pk, quiz.questions[0].pk, pick(quiz.choices[0][0])
    )
    await past_deadline(attempt)

    graded = await attempts.submit_attempt(
        room.student, attempt.pk, answers(quiz, right=True)
    )

    assert result(graded) == (
        AttemptStatus.GRADED,
        Decimal("1.00"),
        Decimal("4.00"),
        Decimal("25.00"),
        False,
        True,
    )
    saved = await Response.filter(attempt_id=attempt.pk).values_list(
        "question", flat=True
    )
    assert saved == [quiz.questions[0].pk]


async def test_late_submission_scores_zero_under_the_zero_policy(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(
        room, time_limit_minutes=10, late_policy="zero", pass_mark=0
    )
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    for item in answers(quiz, right=True):
        await attempts.answer(
            room.student, attempt.pk, item["question"], item["answer"]
        )
    await past_deadline(attempt)

    graded = await attempts.submit_attempt(room.student, attempt.pk)

    assert result(graded) == (
        AttemptStatus.GRADED,
        Decimal("0.00"),
        Decimal("4.00"),
        Decimal("0.00"),
        False,
        True,
    )
    marks = await Response.filter(attempt_id=attempt.pk).values_list(
        "points", "correct"
    )
    assert marks == [(None, None), (None, None)]
    assert (await Enrollment.get(id=enrollment.pk)).status == EnrollmentStatus.ACTIVE


async def test_expired_open_attempt_is_submitted_before_the_next_starts(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room, time_limit_minutes=10)
    first = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    await attempts.answer(
        room.student, first.pk, quiz.questions[0].pk, pick(quiz.choices[0][0])
    )
    await past_deadline(first)

    second = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )

    assert second.number == 2
    assert result(await Attempt.get(id=first.pk)) == (
        AttemptStatus.GRADED,
        Decimal("1.00"),
        Decimal("4.00"),
        Decimal("25.00"),
        False,
        True,
    )


async def test_expired_last_attempt_is_submitted_even_though_no_new_one_starts(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room, time_limit_minutes=10, max_attempts=1)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    await past_deadline(attempt)

    with pytest.raises(LimitExceeded):
        await attempts.start_attempt(room.student, enrollment.pk, quiz.assessment.pk)

    stored = await Attempt.get(id=attempt.pk)
    assert (stored.status, stored.late, stored.score) == (
        AttemptStatus.GRADED,
        True,
        Decimal("0.00"),
    )


@pytest.mark.parametrize(
    ("policy", "percent", "passed"),
    [("highest", Decimal("100.00"), True), ("latest", Decimal("0.00"), False)],
)
async def test_scoring_policy_picks_the_attempt_that_counts(
    auth, policy, percent, passed
):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room, scoring_policy=policy)
    for right in (True, False):
        attempt = await attempts.start_attempt(
            room.student, enrollment.pk, quiz.assessment.pk
        )
        await attempts.submit_attempt(
            room.student, attempt.pk, answers(quiz, right=right)
        )

    (assessment,) = (await enrollments.document_of(enrollment))["assessments"]
    counted = enrollments.result_of(
        assessment, await Attempt.filter(enrollment_id=enrollment.pk)
    )

    assert counted == enrollments.AssessmentResult(
        assessment=str(quiz.assessment.pk),
        attempts=2,
        percent=percent,
        passed=passed,
    )


async def test_submitting_twice_changes_nothing(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    first = await attempts.submit_attempt(
        room.student, attempt.pk, answers(quiz, right=True)
    )

    second = await attempts.submit_attempt(
        room.student, attempt.pk, answers(quiz, right=False)
    )

    assert (*result(second), second.graded) == (*result(first), first.graded)
    stored = await Response.filter(attempt_id=attempt.pk).order_by("points")
    assert [r.answer for r in stored] == [
        a["answer"] for a in answers(quiz, right=True)
    ]


async def test_concurrent_submits_grade_the_attempt_once(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )

    one, two = await asyncio.gather(
        attempts.submit_attempt(room.student, attempt.pk, answers(quiz, right=True)),
        attempts.submit_attempt(room.student, attempt.pk, answers(quiz, right=False)),
    )

    stored = await Attempt.get(id=attempt.pk)
    assert (*result(one), one.graded) == (*result(stored), stored.graded)
    assert (*result(two), two.graded) == (*result(stored), stored.graded)
    assert stored.score in (Decimal("4.00"), Decimal("0.00"))
    assert await Response.filter(attempt_id=attempt.pk).count() == 2


async def test_concurrent_starts_open_one_attempt(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room)

    one, two = await asyncio.gather(
        attempts.start_attempt(room.student, enrollment.pk, quiz.assessment.pk),
        attempts.start_attempt(room.student, enrollment.pk, quiz.assessment.pk),
    )

    assert one.pk == two.pk
    assert await Attempt.filter(enrollment_id=enrollment.pk).count() == 1


async def test_feedback_before_submission_is_the_status_only(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    await attempts.answer(
        room.student, attempt.pk, quiz.questions[0].pk, pick(quiz.choices[0][0])
    )

    feedback = await attempts.attempt_feedback(room.student, attempt.pk)

    assert feedback == {"attempt": str(attempt.pk), "status": "in_progress"}


async def submitted(room, quiz, enrollment, *, right: bool) -> tuple:
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    graded = await attempts.submit_attempt(
        room.student, attempt.pk, answers(quiz, right=right)
    )
    return graded, await attempts.attempt_feedback(room.student, attempt.pk)


def summary(attempt: Attempt, quiz) -> dict:
    return {
        "attempt": str(attempt.pk),
        "status": "graded",
        "assessment": str(quiz.assessment.pk),
        "number": attempt.number,
        "submitted": attempt.submitted,
        "late": False,
        "score": attempt.score,
        "max_score": Decimal("4.00"),
        "percent": attempt.percent,
        "passed": attempt.passed,
    }


def detail(quiz, *, right: bool, explained: bool) -> list[dict]:
    picked = quiz.choices[0][0 if right else 1]
    return [
        {
            "question": str(quiz.questions[0].pk),
            "points": Decimal("1.00") if right else Decimal("0.00"),
            "max_points": Decimal("1.00"),
            "correct": right,
            "answer": pick(picked),
            "choice_feedback": [
                {"choice": str(picked.pk), "feedback": picked.feedback}
            ],
            "explanation": "The rule says so." if explained else None,
        },
        {
            "question": str(quiz.questions[1].pk),
            "points": Decimal("3.00") if right else Decimal("0.00"),
            "max_points": Decimal("3.00"),
            "correct": right,
            "answer": {"text": " 72 HOURS. " if right else "a week"},
            "choice_feedback": [],
            "explanation": "From awareness of the breach." if explained else None,
        },
    ]


async def test_feedback_policy_none_gives_the_result_only(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room, feedback="none")

    attempt, feedback = await submitted(room, quiz, enrollment, right=True)

    assert feedback == summary(attempt, quiz)


async def test_feedback_after_submit_explains_once_no_attempt_is_left(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(
        room, feedback="after_submit", max_attempts=2
    )

    first, early = await submitted(room, quiz, enrollment, right=False)
    last, final = await submitted(room, quiz, enrollment, right=False)

    assert early == {
        **summary(first, quiz),
        "questions": detail(quiz, right=False, explained=False),
    }
    assert final == {
        **summary(last, quiz),
        "questions": detail(quiz, right=False, explained=True),
    }


async def test_feedback_after_submit_explains_once_passed(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room, feedback="after_submit")

    attempt, feedback = await submitted(room, quiz, enrollment, right=True)

    assert feedback == {
        **summary(attempt, quiz),
        "questions": detail(quiz, right=True, explained=True),
    }


async def test_feedback_after_pass_holds_detail_until_passed(auth):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room, feedback="after_pass")

    failed, before = await submitted(room, quiz, enrollment, right=False)
    passed, after = await submitted(room, quiz, enrollment, right=True)

    assert before == summary(failed, quiz)
    assert after == {
        **summary(passed, quiz),
        "questions": detail(quiz, right=True, explained=True),
    }


@pytest.mark.parametrize("policy", ["none", "after_submit", "after_pass"])
async def test_no_learner_facing_answer_carries_the_answer_key(auth, policy):
    room = await classroom(auth)
    quiz, enrollment = await two_questions(room, feedback=policy, max_attempts=2)
    seen = []
    for right in (False, True):
        attempt = await attempts.start_attempt(
            room.student, enrollment.pk, quiz.assessment.pk
        )
        seen.append(attempt)
        seen.append(await attempts.attempt_feedback(room.student, attempt.pk))
        seen.append(
            await attempts.answer(
                room.student, attempt.pk, quiz.questions[0].pk, pick(quiz.choices[0][1])
            )
        )
        seen.append(
            await attempts.submit_attempt(
                room.student, attempt.pk, answers(quiz, right=right)[1:]
            )
        )
        seen.append(await attempts.attempt_feedback(room.student, attempt.pk))

    text = as_json(seen)

    for secret in ("is_correct", "accepted", "grading_notes", ACCEPTED, NOTES):
        assert secret not in text
