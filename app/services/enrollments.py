"""Enrollment, lesson progress and completion; completion writes the credit.

A learner enrolls in the course as published now: the enrollment names that
release, and everything after (lessons done, attempts, credit) is measured
against its document, whatever editors do to the working copy meanwhile.
"""

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from app.errors import Forbidden, NotFound
from app.models import (
    Attempt,
    BarAdmission,
    CatalogEntry,
    Credit,
    Enrollment,
    LearnerProfile,
    LessonProgress,
    Release,
)
from app.models.enums import (
    ApprovalStatus,
    AttemptStatus,
    CourseFormat,
    Delivery,
    EnrollmentStatus,
    ScoringPolicy,
)
from app.services import awards
from app.services.query import parse_id
from permissions import Action, Principal, PrincipalKind, authorize

logger = logging.getLogger("lexstack.learning")


def now() -> dt.datetime:
    """The time of record for completions; scenario tests set it to a known day."""
    return dt.datetime.now(dt.UTC)


async def profile_of(principal: Principal) -> LearnerProfile:
    """The signed-in user's learner profile; learning starts with one."""
    if principal.kind is not PrincipalKind.USER:
        raise Forbidden("Only a signed-in learner takes courses.")
    profile = await LearnerProfile.get_or_none(user_id=principal.id)
    if profile is None:
        raise NotFound(
            "You have no learner profile yet: save_learner_profile records your "
            "name and firm, save_bar_admission the bars you report to."
        )
    return profile


async def enroll(principal: Principal, course_id: Any) -> Enrollment:
    """Enroll in the course's current release; enrolling again changes nothing."""
    profile = await profile_of(principal)
    authorize(principal, Action.ENROLL, "enrollments", profile.organization_id)
    course_key = parse_id(course_id)
    existing = await Enrollment.get_or_none(user_id=principal.id, course_id=course_key)
    if existing is not None:
        return existing
    entry = await CatalogEntry.get_or_none(course_id=course_key, current=True)
    if entry is None:
        raise NotFound(f"No published course with id {course_id}.")
    async with in_transaction():
        enrollment, created = await Enrollment.get_or_create(
            user_id=principal.id,
            course_id=course_key,
            defaults={
                "organization_id": profile.organization_id,
                "profile": profile,
                "release_id": entry.pk,
                "version": entry.version,
                "publisher_id": entry.organization_id,
                "user_created": principal.id,
            },
        )
    if created:
        logger.info(
            "enrollment.created",
            extra={"enrollment": str(enrollment.pk), "release": str(entry.pk)},
        )
    return enrollment


async def own_enrollment(
    principal: Principal, enrollment_id: Any, *, lock: bool = False
) -> Enrollment:
    """The caller's own enrollment; someone else's is as good as missing."""
    query = Enrollment.filter(id=parse_id(enrollment_id), user_id=principal.id)
    if lock:
        query = query.select_for_update()
    enrollment = await query.first()
    if enrollment is None or principal.kind is not PrincipalKind.USER:
        raise NotFound(f"No enrollment with id {enrollment_id}.")
    return enrollment


async def document_of(enrollment: Enrollment) -> dict[str, Any]:
    release = await Release.get(id=enrollment.release_id)
    return release.document


def lessons_of(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        str(lesson["id"]): lesson
        for module in document["modules"]
        for lesson in module["lessons"]
    }


async def complete_lesson(
    principal: Principal, enrollment_id: Any, lesson_id: Any
) -> Enrollment:
    """Mark a lesson of the enrolled release done; marking it again changes nothing."""
    enrollment = await own_enrollment(principal, enrollment_id)
    lesson_key = parse_id(lesson_id)
    if str(lesson_key) not in lessons_of(await document_of(enrollment)):
        raise NotFound(
            f"Lesson {lesson_id} is not part of release {enrollment.version} "
            "of this course."
        )
    await LessonProgress.get_or_create(
        enrollment=enrollment,
        lesson=lesson_key,
        defaults={
            "organization_id": enrollment.organization_id,
            "user_id": enrollment.user_id,
            "user_created": principal.id,
        },
    )
    return await refresh_completion(enrollment.pk)


@dataclass(frozen=True)
class AssessmentResult:
    """Where a learner stands on one assessment, by its scoring policy."""

    assessment: str
    attempts: int
    percent: Decimal | None
    passed: bool


def result_of(assessment: dict[str, Any], attempts: list[Attempt]) -> AssessmentResult:
    """The attempt that counts: the highest score, or the latest graded one."""
    graded = sorted(
        (a for a in attempts if a.status == AttemptStatus.GRADED),
        key=lambda a: a.number,
    )
    counted: Attempt | None = None
    if graded and assessment["scoring_policy"] == ScoringPolicy.LATEST.value:
        counted = graded[-1]
    elif graded:
        counted = max(graded, key=lambda a: (a.percent or Decimal(0), -a.number))
    return AssessmentResult(
        assessment=str(assessment["id"]),
        attempts=len(attempts),
        percent=counted.percent if counted else None,
        passed=bool(counted and counted.passed),
    )


async def refresh_completion(
    enrollment_id: uuid.UUID, *, passed: bool = False
) -> Enrollment:
    """Complete the enrollment if its course's rule is now met, and write credit;
    then issue the awards a completion or a `passed` assessment earns.

    The rule: every lesson of the release done and every required assessment
    passed. The enrollment row is locked, so of two requests finishing the
    course at once one completes it and the other finds it completed.
    """
    enrollment, completed = await _complete_if_met(enrollment_id)
    if completed or passed:
        # After the commit: the completion and its credit stand whatever
        # issuing the awards it earns comes to.
        await awards.after_learning(enrollment.user_id)
    return enrollment


async def _complete_if_met(enrollment_id: uuid.UUID) -> tuple[Enrollment, bool]:
    """The enrollment, and whether this call completed it."""
    async with in_transaction():
        enrollment = await Enrollment.filter(id=enrollment_id).select_for_update().get()
        if enrollment.status == EnrollmentStatus.COMPLETED:
            return enrollment, False
        document = await document_of(enrollment)
        done = set(
            str(key)
            for key in await LessonProgress.filter(
                enrollment_id=enrollment.pk
            ).values_list("lesson", flat=True)
        )
        if set(lessons_of(document)) - done:
            return enrollment, False
        attempts = await Attempt.filter(enrollment_id=enrollment.pk)
        for assessment in document["assessments"]:
            if not assessment.get("required", True):
                continue
            mine = [a for a in attempts if str(a.assessment) == str(assessment["id"])]
            if not result_of(assessment, mine).passed:
                return enrollment, False
        enrollment.status = EnrollmentStatus.COMPLETED
        enrollment.date_completed = now()
        await enrollment.save(update_fields=["status", "date_completed"])
        written = await _write_credits(enrollment, document)
    logger.info(
        "enrollment.completed",
        extra={"enrollment": str(enrollment.pk), "credits": written},
    )
    return enrollment, True


def approval_on(
    document: dict[str, Any], jurisdiction_code: str, day: dt.date
) -> dict[str, Any] | None:
    """The release's approval in the jurisdiction that was valid on the day."""
    valid = []
    for approval in document["approvals"]:
        if approval["jurisdiction"]["code"] != jurisdiction_code:
            continue
        if approval["status"] != ApprovalStatus.APPROVED.value:
            continue
        start = dt.date.fromisoformat(approval["valid_from"])
        until = approval.get("valid_until")
        end = dt.date.fromisoformat(until) if until else None
        if start <= day and (end is None or day <= end):
            valid.append(approval)
    return max(valid, key=lambda a: a["valid_from"]) if valid else None


def delivery_of(approval: dict[str, Any], document: dict[str, Any]) -> Delivery:
    """Live or self-study, as the approval says or, failing that, the format."""
    stated = approval.get("delivery") or Delivery.ANY.value
    if stated != Delivery.ANY.value:
        return Delivery(stated)
    if document.get("format") == CourseFormat.ON_DEMAND.value:
        return Delivery.SELF_STUDY
    return Delivery.LIVE


async def _write_credits(enrollment: Enrollment, document: dict[str, Any]) -> int:
    """A ledger entry per category for every bar the learner reports to.

    Credit is given where the release had an approval valid on the day of
    completion; elsewhere the course earns nothing, and says so by absence.
    """
    assert enrollment.date_completed is not None
    day = enrollment.date_completed.date()
    admissions = await BarAdmission.filter(
        profile_id=enrollment.profile_id
    ).prefetch_related("jurisdiction")
    rows = []
    for admission in admissions:
        approval = approval_on(document, admission.jurisdiction.code, day)
        if approval is None:
            continue
        delivery = delivery_of(approval, document)
        for credit in approval["credits"]:
            rows.append(
                Credit(
                    organization_id=enrollment.organization_id,
                    user_id=enrollment.user_id,
                    profile_id=enrollment.profile_id,
                    admission_id=admission.pk,
                    jurisdiction_id=admission.jurisdiction_id,
                    enrollment_id=enrollment.pk,
                    course_id=enrollment.course_id,
                    release_id=enrollment.release_id,
                    version=enrollment.version,
                    course_title=document["title"],
                    category=credit["category"],
                    hours=Decimal(str(credit["hours"])),
                    delivery=delivery,
                    earned_on=day,
                    approval=uuid.UUID(str(approval["id"])),
                    approval_number=approval.get("approval_number"),
                )
            )
    for row in rows:
        await row.save()
    return len(rows)
