"""Reports: a learner's transcript, a firm's or a regulator's compliance roll, and
the aggregate outcomes a publisher may see of its courses."""

import csv
import datetime as dt
import io
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from tortoise.functions import Avg, Count

from app.errors import Forbidden, NotFound
from app.models import (
    Attempt,
    BarAdmission,
    Course,
    Credit,
    Enrollment,
    Jurisdiction,
    LearnerProfile,
)
from app.models.enums import (
    AttemptStatus,
    CreditCategory,
    EnrollmentStatus,
    RequirementKind,
)
from app.services import compliance, learners
from app.services.query import parse_id
from permissions import Action, Principal, authorize

# Outcomes over fewer learners than this are withheld: a publisher must not
# be able to single out one firm's one lawyer from a cohort of one.
MIN_COHORT = 5


@dataclass
class TranscriptLine:
    jurisdiction: str
    course: str
    course_title: str
    version: int
    category: str
    hours: Decimal
    delivery: str
    earned_on: dt.date
    approval_number: str | None


@dataclass
class Transcript:
    user: str
    first_name: str
    last_name: str
    organization: str
    lines: list[TranscriptLine] = field(default_factory=list)
    # Hours by jurisdiction, then by category.
    totals: dict[str, dict[str, Decimal]] = field(default_factory=dict)


async def _readable_profile(principal: Principal, user_id: Any) -> LearnerProfile:
    """A learner's profile, for the learner, their firm's admins, platform admins."""
    try:
        return await learners.readable_profile(principal, user_id, "credits")
    except Forbidden as exc:
        # Whether someone is a learner anywhere is not for strangers to learn.
        raise NotFound("No learner profile for this user.") from exc


async def transcript(principal: Principal, user_id: Any = None) -> Transcript:
    """Every credit a learner earned, with the release and approval behind it."""
    profile = await _readable_profile(principal, user_id)
    credits = sorted(
        await Credit.filter(user_id=profile.user_id).prefetch_related("jurisdiction"),
        key=lambda c: (c.earned_on, c.course_title, c.jurisdiction.code, c.category),
    )
    answer = Transcript(
        user=str(profile.user_id),
        first_name=profile.first_name,
        last_name=profile.last_name,
        organization=str(profile.organization_id),
    )
    for credit in credits:
        code = credit.jurisdiction.code
        answer.lines.append(
            TranscriptLine(
                jurisdiction=code,
                course=str(credit.course_id),
                course_title=credit.course_title,
                version=credit.version,
                category=credit.category.value,
                hours=credit.hours,
                delivery=credit.delivery.value,
                earned_on=credit.earned_on,
                approval_number=credit.approval_number,
            )
        )
        by_category = answer.totals.setdefault(code, {})
        category = credit.category.value
        by_category[category] = by_category.get(category, Decimal("0")) + credit.hours
    return answer


@dataclass
class RollLine:
    """One lawyer's standing in a jurisdiction, as a regulator files it."""

    bar_number: str | None
    last_name: str
    first_name: str
    organization: str
    period_start: dt.date
    period_end: dt.date
    deadline: dt.date
    audience: str
    required_hours: Decimal
    earned_hours: Decimal
    carried_in: Decimal
    missing_hours: Decimal
    compliant: bool
    # Missing hours per category, for the categories short.
    missing_by_category: dict[str, Decimal] = field(default_factory=dict)


async def compliance_roll(
    principal: Principal,
    jurisdiction_code: str,
    *,
    organization_id: Any = None,
    on: dt.date | None = None,
) -> list[RollLine]:
    """The standing of every lawyer reporting to a jurisdiction, on a date.

    The regulator that owns the jurisdiction sees everyone admitted there; a
    firm's admins see their own lawyers (name the firm); platform admins see
    all, or one firm's.
    """
    jurisdiction = await Jurisdiction.get_or_none(
        code__iexact=(jurisdiction_code or "").strip()
    )
    if jurisdiction is None:
        raise NotFound(f"No jurisdiction with code {jurisdiction_code!r}.")
    admissions = BarAdmission.filter(jurisdiction=jurisdiction)
    if organization_id is not None:
        org_key = parse_id(organization_id)
        authorize(principal, Action.READ, "compliance", org_key)
        admissions = admissions.filter(organization_id=org_key)
    else:
        # Without a firm, the roll is the regulator's own.
        authorize(principal, Action.READ, "compliance", jurisdiction.organization_id)

    found = await admissions.prefetch_related("profile").order_by("bar_number")
    lines = [
        _roll_line(admission, standing)
        for admission, standing in await compliance.standings(jurisdiction, found, on)
    ]
    lines.sort(key=lambda line: (line.last_name.casefold(), line.first_name))
    return lines


def _roll_line(
    admission: BarAdmission, standing: compliance.ComplianceStatus
) -> RollLine:
    profile = admission.profile
    missing = {
        line.category.value: line.missing
        for line in standing.lines
        if line.kind is RequirementKind.MINIMUM
        and line.category is not CreditCategory.TOTAL
        and line.missing > 0
    }
    return RollLine(
        bar_number=admission.bar_number,
        last_name=profile.last_name,
        first_name=profile.first_name,
        organization=str(admission.organization_id),
        period_start=standing.period.start,
        period_end=standing.period.end,
        deadline=standing.period.deadline,
        audience=standing.period.audience.value,
        required_hours=standing.required,
        earned_hours=standing.earned,
        carried_in=standing.carried_in,
        missing_hours=standing.missing,
        compliant=standing.compliant,
        missing_by_category=missing,
    )


ROLL_COLUMNS = (
    "bar_number",
    "last_name",
    "first_name",
    "organization",
    "period_start",
    "period_end",
    "deadline",
    "audience",
    "required_hours",
    "earned_hours",
    "carried_in",
    "missing_hours",
    "compliant",
    "missing_by_category",
)


def _cell(value: Any) -> str:
    if isinstance(value, dict):
        value = "; ".join(f"{k} {v}" for k, v in sorted(value.items()))
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    text = "" if value is None else str(value)
    # A cell that a spreadsheet would run as a formula is written as text:
    # names and bar numbers come from users (CSV injection).
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def roll_csv(lines: list[RollLine]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ROLL_COLUMNS)
    for line in lines:
        data = asdict(line)
        writer.writerow([_cell(data[column]) for column in ROLL_COLUMNS])
    return out.getvalue()


TRANSCRIPT_COLUMNS = (
    "jurisdiction",
    "earned_on",
    "course_title",
    "version",
    "category",
    "hours",
    "delivery",
    "approval_number",
)


def transcript_csv(found: Transcript) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TRANSCRIPT_COLUMNS)
    for line in found.lines:
        data = asdict(line)
        writer.writerow([_cell(data[column]) for column in TRANSCRIPT_COLUMNS])
    return out.getvalue()


def plain(value: Any) -> Any:
    """Dataclasses, decimals and dates as JSON has them."""
    if hasattr(value, "__dataclass_fields__"):
        return {k: plain(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


@dataclass
class AssessmentOutcome:
    assessment: str
    title: str
    learners: int
    attempts: int | None
    pass_rate: Decimal | None
    average_percent: Decimal | None


@dataclass
class CourseOutcomes:
    """How a course's learners fare, in aggregate only."""

    course: str
    enrollments: int
    completions: int | None
    completion_rate: Decimal | None
    assessments: list[AssessmentOutcome]
    # True when some figures are withheld for a cohort under MIN_COHORT.
    withheld: bool
    min_cohort: int = MIN_COHORT


def _rate(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


async def course_outcomes(
    principal: Principal, course_id: Any, *, min_cohort: int = MIN_COHORT
) -> CourseOutcomes:
    """Enrollments, completions and assessment results of a course, as counts.

    For its publisher's editors. No learner, answer or single attempt is
    ever named, and any figure over fewer than `min_cohort` learners is
    withheld.
    """
    course = await Course.get_or_none(id=parse_id(course_id))
    if course is None:
        raise NotFound(f"No courses item with id {course_id}.")
    try:
        authorize(principal, Action.READ, "outcomes", course.organization_id)
    except Forbidden as exc:
        raise Forbidden("Only the course's publisher sees its outcomes.") from exc

    enrollments = Enrollment.filter(course_id=course.pk)
    total = await enrollments.count()
    completed = await enrollments.filter(status=EnrollmentStatus.COMPLETED).count()
    titles = await _assessment_titles(course.pk)
    rows = (
        await Attempt.filter(
            enrollment__course_id=course.pk, status=AttemptStatus.GRADED
        )
        .group_by("assessment")
        .annotate(
            attempts=Count("id"),
            learners=Count("user_id", distinct=True),
            average=Avg("percent"),
        )
        .values("assessment", "attempts", "learners", "average")
    )
    passed = (
        await Attempt.filter(
            enrollment__course_id=course.pk,
            status=AttemptStatus.GRADED,
            passed=True,
        )
        .group_by("assessment")
        .annotate(learners=Count("user_id", distinct=True))
        .values("assessment", "learners")
    )
    passed_by = {str(r["assessment"]): r["learners"] for r in passed}
    withheld = total < min_cohort
    outcomes = []
    for row in rows:
        key = str(row["assessment"])
        small = row["learners"] < min_cohort
        withheld = withheld or small
        average = row["average"]
        outcomes.append(
            AssessmentOutcome(
                assessment=key,
                title=titles.get(key, ""),
                learners=row["learners"],
                attempts=None if small else row["attempts"],
                pass_rate=None
                if small
                else _rate(passed_by.get(key, 0), row["learners"]),
                average_percent=None
                if small or average is None
                else Decimal(str(average)).quantize(Decimal("0.01")),
            )
        )
    outcomes.sort(key=lambda o: o.title)
    return CourseOutcomes(
        course=str(course.pk),
        enrollments=total,
        completions=None if total < min_cohort else completed,
        completion_rate=None
        if total < min_cohort or not total
        else _rate(completed, total),
        assessments=outcomes,
        withheld=withheld,
        min_cohort=min_cohort,
    )


async def _assessment_titles(course_id: Any) -> dict[str, str]:
    from app.models import Release

    titles: dict[str, str] = {}
    for release in await Release.filter(course_id=course_id).order_by("version"):
        for assessment in release.document.get("assessments", []):
            titles[str(assessment["id"])] = assessment["title"]
    return titles
