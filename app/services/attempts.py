"""Attempts at assessments: start, answer, submit, review of work product, feedback.

An attempt is measured against the release the learner enrolled in: its
document for the questions, its answer keys for grading. Keys never leave
the server; what a learner learns of them is the attempt's feedback, as far
as the assessment's feedback policy allows.

Row locks keep the state machine honest under concurrent requests: the
enrollment while an attempt starts, so two starts cannot both become
attempt N; the attempt while it is answered, submitted or graded, so a
double submit grades once and two reviewers finishing at once complete it
once.
"""

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from app.errors import InvalidInput, LimitExceeded, NotFound
from app.models import Attempt, Enrollment, ReleaseKey, Response, SubmissionFile
from app.models.enums import AttemptStatus, FeedbackPolicy, LatePolicy
from app.services import enrollments, grading
from app.services.enrollments import document_of, own_enrollment, refresh_completion
from app.services.grading import Mark
from app.services.query import parse_id
from permissions import Principal, PrincipalKind

logger = logging.getLogger("lexstack.learning")


def clock() -> dt.datetime:
    # The same time of record as completions: deadlines and credit agree.
    return enrollments.now()


def is_expired(attempt: Attempt, now: dt.datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline


def assessment_of(document: dict[str, Any], assessment_id: Any) -> dict[str, Any]:
    for assessment in document["assessments"]:
        if str(assessment["id"]) == str(assessment_id):
            return assessment
    raise NotFound(f"Assessment {assessment_id} is not part of this release.")


def question_of(assessment: dict[str, Any], question_id: Any) -> dict[str, Any]:
    for question in assessment["questions"]:
        if str(question["id"]) == str(question_id):
            return question
    raise NotFound(f"Question {question_id} is not part of this assessment.")


async def keys_of(enrollment: Enrollment) -> dict[str, Any]:
    found = await ReleaseKey.get_or_none(release_id=enrollment.release_id)
    return found.questions if found else {}


async def own_attempt(
    principal: Principal, attempt_id: Any, *, lock: bool = False
) -> Attempt:
    """The caller's own attempt; someone else's is as good as missing."""
    query = Attempt.filter(id=parse_id(attempt_id), user_id=principal.id)
    if lock:
        query = query.select_for_update()
    attempt = await query.first()
    if attempt is None or principal.kind is not PrincipalKind.USER:
        raise NotFound(f"No attempt with id {attempt_id}.")
    return attempt


async def setting_of(attempt: Attempt) -> tuple[Enrollment, dict[str, Any]]:
    enrollment = await Enrollment.get(id=attempt.enrollment_id)
    document = await document_of(enrollment)
    return enrollment, assessment_of(document, attempt.assessment)


def still_open(attempt: Attempt, now: dt.datetime) -> None:
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise InvalidInput("This attempt was submitted; its answers are final.")
    if is_expired(attempt, now):
        raise InvalidInput("Time is up: the attempt's deadline has passed.")


async def start_attempt(
    principal: Principal, enrollment_id: Any, assessment_id: Any
) -> Attempt:
    """Start an attempt, or carry on with the one still open.

    An open attempt whose time ran out is submitted first, as it stands.
    """
    assessment_key = parse_id(assessment_id)
    expired: Attempt | None = None
    started: Attempt | None = None
    async with in_transaction():
        enrollment = await own_enrollment(principal, enrollment_id, lock=True)
        assessment = assessment_of(await document_of(enrollment), assessment_key)
        # The attempts too: a submission of the open one may be under way.
        attempts = (
            await Attempt.filter(enrollment_id=enrollment.pk, assessment=assessment_key)
            .select_for_update()
            .order_by("number")
        )
        now = clock()
        current = next(
            (a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None
        )
        if current is not None and not is_expired(current, now):
            return current
        if current is not None:
            expired = await _finish(current, assessment, await keys_of(enrollment), now)

        limit = assessment.get("max_attempts")
        if limit is None or len(attempts) < limit:
            minutes = assessment.get("time_limit_minutes")
            started = await Attempt.create(
                enrollment=enrollment,
                user_id=principal.id,
                organization_id=enrollment.organization_id,
                assessment=assessment_key,
                number=len(attempts) + 1,
                started=now,
                deadline=now + dt.timedelta(minutes=minutes) if minutes else None,
                user_created=principal.id,
            )

    if expired is not None:
        await after_submit(expired)
    if started is None:
        # Outside the transaction: the expired attempt's submission stands.
        allowed = "1 attempt" if limit == 1 else f"{limit} attempts"
        raise LimitExceeded(
            f"This assessment allows {allowed}, and you have used every one."
        )
    logger.info(
        "attempt.started",
        extra={
            "attempt": str(started.pk),
            "enrollment": str(enrollment.pk),
            "assessment": str(assessment_key),
        },
    )
    return started


async def answer(
    principal: Principal, attempt_id: Any, question_id: Any, answer: Any
) -> Response:
    """Save the answer to one question, replacing any earlier one."""
    question_key = parse_id(question_id)
    async with in_transaction():
        attempt = await own_attempt(principal, attempt_id, lock=True)
        now = clock()
        still_open(attempt, now)
        _, assessment = await setting_of(attempt)
        question = question_of(assessment, question_key)
        value = grading.check_answer(question, answer)
        return await save_answer(attempt, question_key, value, now)


async def save_answer(
    attempt: Attempt, question: Any, value: dict[str, Any] | None, now: dt.datetime
) -> Response:
    response = await Response.get_or_none(attempt_id=attempt.pk, question=question)
    if response is None:
        return await Response.create(
            attempt=attempt,
            user_id=attempt.user_id,
            organization_id=attempt.organization_id,
            question=question,
            answer=value,
            answered=now,
            user_created=attempt.user_id,
        )
    if value is not None:
        response.answer = value
    response.answered = now
    response.user_updated = attempt.user_id
    await response.save(update_fields=["answer", "answered", "user_updated"])
    return response


def _answers(assessment: dict[str, Any], answers: Any) -> dict[Any, Any]:
    """Answers sent with a submission, each checked: question id -> answer."""
    if not isinstance(answers, list):
        raise InvalidInput("answers is a list of {question, answer}.")
    checked: dict[Any, Any] = {}
    for item in answers:
        if not isinstance(item, dict) or set(item) != {"question", "answer"}:
            raise InvalidInput("Each answer is {question, answer} and no more.")
        key = parse_id(item["question"])
        if key in checked:
            raise InvalidInput(f"Question {key} is answered twice.")
        question = question_of(assessment, key)
        checked[key] = grading.check_answer(question, item["answer"])
    return checked


async def submit_attempt(
    principal: Principal, attempt_id: Any, answers: list[Any] | None = None
) -> Attempt:
    """Submit and grade the attempt; submitting it again changes nothing.

    After the deadline the attempt is late and the assessment's late policy
    applies; answers sent with a late submission never count.
    """
    async with in_transaction():
        attempt = await own_attempt(principal, attempt_id, lock=True)
        if attempt.status != AttemptStatus.IN_PROGRESS:
            return attempt
        now = clock()
        enrollment, assessment = await setting_of(attempt)
        if answers and not is_expired(attempt, now):
            for question, value in _answers(assessment, answers).items():
                await save_answer(attempt, question, value, now)
        await _finish(attempt, assessment, await keys_of(enrollment), now)
    await after_submit(attempt)
    return attempt


async def _finish(
    attempt: Attempt, assessment: dict[str, Any], keys: dict[str, Any], now: dt.datetime
) -> Attempt:
    """Mark the attempt submitted and grade it, or leave its essays to a reviewer.

    The caller holds the attempt locked.
    """
    attempt.submitted = now
    attempt.late = is_expired(attempt, now)
    questions = assessment["questions"]
    if attempt.late and assessment.get("late_policy") == LatePolicy.ZERO.value:
        # Nothing of a late attempt counts; its answers are left ungraded.
        max_score = sum((grading.points_of(q) for q in questions), grading.ZERO)
        record_score(attempt, assessment, grading.ZERO, max_score, now, zero=True)
        await attempt.save()
        return attempt

    responses = {
        str(r.question): r for r in await Response.filter(attempt_id=attempt.pk)
    }
    with_files = set(
        await SubmissionFile.filter(
            response_id__in=[r.pk for r in responses.values()]
        ).values_list("response_id", flat=True)
    )
    pending = False
    for question in questions:
        response = responses.get(str(question["id"]))
        if response is None:
            continue
        on_time = attempt.deadline is None or response.answered <= attempt.deadline
        mark = grading.grade(
            question,
            keys.get(str(question["id"]), {}),
            response.answer if on_time else None,
        )
        if on_time and grading.needs_review(question) and response.pk in with_files:
            # A document handed in is work for the reviewer, text or none.
            mark = Mark(points=None, correct=None)
        response.points, response.correct = mark.points, mark.correct
        await response.save(update_fields=["points", "correct"])
        pending = pending or mark.pending

    if pending:
        attempt.status = AttemptStatus.AWAITING_REVIEW
    else:
        total_score(attempt, assessment, list(responses.values()), now)
    await attempt.save()
    return attempt


def total_score(
    attempt: Attempt,
    assessment: dict[str, Any],
    responses: list[Response],
    now: dt.datetime,
) -> None:
    """Total the attempt over every question of the assessment; unanswered earn 0."""
    ids = {str(q["id"]) for q in assessment["questions"]}
    score = sum(
        (r.points or grading.ZERO for r in responses if str(r.question) in ids),
        grading.ZERO,
    )
    max_score = sum(
        (grading.points_of(q) for q in assessment["questions"]), grading.ZERO
    )
    record_score(attempt, assessment, score, max_score, now)


def record_score(
    attempt: Attempt,
    assessment: dict[str, Any],
    score: Decimal,
    max_score: Decimal,
    now: dt.datetime,
    *,
    zero: bool = False,
) -> None:
    percent = grading.ZERO if zero else grading.percent_of(score, max_score)
    attempt.score, attempt.max_score, attempt.percent = score, max_score, percent
    attempt.passed = not zero and grading.has_passed(percent, assessment["pass_mark"])
    attempt.status = AttemptStatus.GRADED
    attempt.graded = now


async def after_submit(attempt: Attempt) -> None:
    """Record the submission; a graded attempt may complete the course."""
    logger.info(
        "attempt.submitted",
        extra={
            "attempt": str(attempt.pk),
            "status": attempt.status.value,
            "late": attempt.late,
        },
    )
    if attempt.status == AttemptStatus.GRADED:
        logger.info("attempt.graded", extra={"attempt": str(attempt.pk)})
        await refresh_completion(attempt.enrollment_id, passed=bool(attempt.passed))


async def attempt_feedback(principal: Principal, attempt_id: Any) -> dict[str, Any]:
    """What the learner may know of a submitted attempt, by the feedback policy.

    `none`: the result only. `after_submit`: each question's points, and the
    feedback on the choices picked; explanations once the assessment is
    passed or no attempt is left. `after_pass`: that detail once passed.
    Never which choices are right, accepted answers or grading notes.
    """
    attempt = await own_attempt(principal, attempt_id)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return {"attempt": str(attempt.pk), "status": attempt.status.value}
    enrollment, assessment = await setting_of(attempt)
    feedback = {
        "attempt": str(attempt.pk),
        "status": attempt.status.value,
        "assessment": str(assessment["id"]),
        "number": attempt.number,
        "submitted": attempt.submitted,
        "late": attempt.late,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "percent": attempt.percent,
        "passed": attempt.passed,
    }
    attempts = await Attempt.filter(
        enrollment_id=enrollment.pk, assessment=attempt.assessment
    )
    passed = any(a.passed for a in attempts if a.status == AttemptStatus.GRADED)
    policy = FeedbackPolicy(assessment.get("feedback") or FeedbackPolicy.AFTER_SUBMIT)
    if policy is FeedbackPolicy.NONE or (
        policy is FeedbackPolicy.AFTER_PASS and not passed
    ):
        return feedback

    limit = assessment.get("max_attempts")
    explain = passed or (limit is not None and len(attempts) >= limit)
    keys = await keys_of(enrollment)
    responses = {
        str(r.question): r for r in await Response.filter(attempt_id=attempt.pk)
    }
    feedback["questions"] = [
        _question_feedback(
            question,
            keys.get(str(question["id"]), {}),
            responses.get(str(question["id"])),
            explain=explain,
        )
        for question in assessment["questions"]
    ]
    return feedback


def _question_feedback(
    question: dict[str, Any],
    key: dict[str, Any],
    response: Response | None,
    *,
    explain: bool,
) -> dict[str, Any]:
    answer = response.answer if response else None
    picked = []
    if answer and "choice" in answer:
        picked = [answer["choice"]]
    elif answer and "choices" in answer:
        picked = answer["choices"]
    choices = key.get("choices") or {}
    entry: dict[str, Any] = {
        "question": str(question["id"]),
        "points": response.points if response else grading.ZERO,
        "max_points": grading.points_of(question),
        "correct": response.correct if response else False,
        "answer": answer,
        # The author's words on the learner's own picks, not on the others:
        # those would tell which choices are right.
        "choice_feedback": [
            {"choice": choice, "feedback": choices[choice]["feedback"]}
            for choice in picked
            if (choices.get(choice) or {}).get("feedback")
        ],
        "explanation": question.get("explanation") if explain else None,
    }
    if grading.needs_review(question) and response and response.rubric_scores:
        rubric = grading.rubric_of(question, key)
        entry["rubric"] = [
            {
                "criterion": rubric[mark["criterion"]].criterion,
                "points": Decimal(mark["points"]),
                "max_points": rubric[mark["criterion"]].points,
            }
            for mark in response.rubric_scores
        ]
        entry["reviewer_comment"] = response.reviewer_comment
    return entry
