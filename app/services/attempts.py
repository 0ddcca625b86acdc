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
import hashlib
import io
import logging
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from app.errors import Conflict, Forbidden, InvalidInput, LimitExceeded, NotFound
from app.models import Attempt, Enrollment, ReleaseKey, Response, SubmissionFile
from app.models.enums import AttemptStatus, FeedbackPolicy, LatePolicy
from app.services import grading
from app.services.enrollments import (
    document_of,
    own_enrollment,
    refresh_completion,
    result_of,
)
from app.services.grading import Criterion, Mark
from app.services.query import parse_id
from permissions import ALL, Action, Principal, PrincipalKind, authorize, organizations

logger = logging.getLogger("lexstack.learning")

MAX_FILE_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", TEXT: ".txt"}
MAX_COMMENT = 10_000


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _expired(attempt: Attempt, now: dt.datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline


def _assessment(document: dict[str, Any], assessment_id: Any) -> dict[str, Any]:
    for assessment in document["assessments"]:
        if str(assessment["id"]) == str(assessment_id):
            return assessment
    raise NotFound(f"Assessment {assessment_id} is not part of this release.")


def _question(assessment: dict[str, Any], question_id: Any) -> dict[str, Any]:
    for question in assessment["questions"]:
        if str(question["id"]) == str(question_id):
            return question
    raise NotFound(f"Question {question_id} is not part of this assessment.")


async def _keys(enrollment: Enrollment) -> dict[str, Any]:
    found = await ReleaseKey.get_or_none(release_id=enrollment.release_id)
    return found.questions if found else {}


async def _own_attempt(
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


async def _setting(attempt: Attempt) -> tuple[Enrollment, dict[str, Any]]:
    enrollment = await Enrollment.get(id=attempt.enrollment_id)
    document = await document_of(enrollment)
    return enrollment, _assessment(document, attempt.assessment)


def _still_open(attempt: Attempt, now: dt.datetime) -> None:
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise InvalidInput("This attempt was submitted; its answers are final.")
    if _expired(attempt, now):
        raise InvalidInput("Time is up: the attempt's deadline has passed.")


async def start_attempt(
    principal: Principal, enrollment_id: Any, assessment_id: Any
) -> Attempt:
    """Start an attempt, or carry on with the one still open.

    An open attempt whose time ran out is submitted first, as it stands.
    """
    assessment_key = parse_id(assessment_id)
    now = _now()
    expired: Attempt | None = None
    started: Attempt | None = None
    async with in_transaction():
        enrollment = await own_enrollment(principal, enrollment_id, lock=True)
        assessment = _assessment(await document_of(enrollment), assessment_key)
        attempts = await Attempt.filter(
            enrollment_id=enrollment.pk, assessment=assessment_key
        ).order_by("number")
        current = next(
            (a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None
        )
        if current is not None and not _expired(current, now):
            return current
        if current is not None:
            expired = await _finish(current, assessment, await _keys(enrollment), now)

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
        await _after_submit(expired)
    if started is None:
        # Outside the transaction: the expired attempt's submission stands.
        raise LimitExceeded(
            f"You have used all {limit} attempts allowed at this assessment."
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
        attempt = await _own_attempt(principal, attempt_id, lock=True)
        now = _now()
        _still_open(attempt, now)
        _, assessment = await _setting(attempt)
        question = _question(assessment, question_key)
        value = grading.check_answer(question, answer)
        return await _save(attempt, question_key, value, now)


async def _save(
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
        question = _question(assessment, key)
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
        attempt = await _own_attempt(principal, attempt_id, lock=True)
        if attempt.status != AttemptStatus.IN_PROGRESS:
            return attempt
        now = _now()
        enrollment, assessment = await _setting(attempt)
        if answers and not _expired(attempt, now):
            for question, value in _answers(assessment, answers).items():
                await _save(attempt, question, value, now)
        await _finish(attempt, assessment, await _keys(enrollment), now)
    await _after_submit(attempt)
    return attempt


async def _finish(
    attempt: Attempt, assessment: dict[str, Any], keys: dict[str, Any], now: dt.datetime
) -> Attempt:
    """Mark the attempt submitted and grade it, or leave its essays to a reviewer.

    The caller holds the attempt (or its enrollment) locked.
    """
    attempt.submitted = now
    attempt.late = _expired(attempt, now)
    questions = assessment["questions"]
    if attempt.late and assessment.get("late_policy") == LatePolicy.ZERO.value:
        # Nothing of a late attempt counts; its answers are left ungraded.
        max_score = sum((grading.points_of(q) for q in questions), grading.ZERO)
        _record_score(attempt, assessment, grading.ZERO, max_score, now, zero=True)
        await attempt.save()
        return attempt

    responses = {
        str(r.question): r for r in await Response.filter(attempt_id=attempt.pk)
    }
    with_files = set(
        str(q)
        for q in await SubmissionFile.filter(
            response_id__in=[r.pk for r in responses.values()]
        ).values_list("response__question", flat=True)
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
            mark = Mark(points=None, correct=None)
        if on_time and str(response.question) in with_files:
            mark = Mark(points=None, correct=None)
        response.points, response.correct = mark.points, mark.correct
        await response.save(update_fields=["points", "correct"])
        pending = pending or mark.pending

    if pending:
        attempt.status = AttemptStatus.AWAITING_REVIEW
    else:
        _score(attempt, assessment, list(responses.values()), now)
    await attempt.save()
    return attempt


def _score(
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
    _record_score(attempt, assessment, score, max_score, now)


def _record_score(
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


async def _after_submit(attempt: Attempt) -> None:
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
        await refresh_completion(attempt.enrollment_id)
