"""Learning over GraphQL: profiles, enrollment, progress, reports and outcomes."""

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry

from app.services import compliance, enrollments, learners, reports


@strawberry.type(name="transcript_line")
class TranscriptLineType:
    jurisdiction: str
    course: strawberry.ID
    course_title: str
    version: int = strawberry.field(description="The release studied.")
    category: str
    hours: Decimal
    delivery: str
    earned_on: dt.date
    approval_number: str | None


@strawberry.type(name="transcript_total")
class TranscriptTotalType:
    jurisdiction: str
    category: str
    hours: Decimal


@strawberry.type(name="transcript")
class TranscriptType:
    user: strawberry.ID
    first_name: str
    last_name: str
    organization: strawberry.ID
    lines: list[TranscriptLineType]
    totals: list[TranscriptTotalType]


def _transcript(found: reports.Transcript) -> TranscriptType:
    return TranscriptType(
        user=strawberry.ID(found.user),
        first_name=found.first_name,
        last_name=found.last_name,
        organization=strawberry.ID(found.organization),
        lines=[
            TranscriptLineType(**{**vars(line), "course": strawberry.ID(line.course)})
            for line in found.lines
        ],
        totals=[
            TranscriptTotalType(jurisdiction=code, category=category, hours=hours)
            for code, by_category in sorted(found.totals.items())
            for category, hours in sorted(by_category.items())
        ],
    )


@strawberry.type(name="category_hours")
class CategoryHoursType:
    category: str
    hours: Decimal


@strawberry.type(name="compliance_roll_line")
class RollLineType:
    bar_number: str | None
    last_name: str
    first_name: str
    organization: strawberry.ID
    period_start: dt.date
    period_end: dt.date
    deadline: dt.date
    audience: str
    required_hours: Decimal
    earned_hours: Decimal
    carried_in: Decimal
    missing_hours: Decimal
    compliant: bool
    missing_by_category: list[CategoryHoursType]


def _roll_line(line: reports.RollLine) -> RollLineType:
    data = vars(line) | {
        "organization": strawberry.ID(line.organization),
        "missing_by_category": [
            CategoryHoursType(category=k, hours=v)
            for k, v in sorted(line.missing_by_category.items())
        ],
    }
    return RollLineType(**data)


@strawberry.type(name="compliance_line")
class ComplianceLineType:
    category: str
    kind: str = strawberry.field(
        description="minimum: hours due; maximum: a cap on hours that count; "
        "carry_over: the most hours that may move to the next period."
    )
    delivery: str
    audience: str
    required: Decimal
    earned: Decimal = strawberry.field(description="Hours that count for the line.")
    missing: Decimal
    met: bool
    source: str = strawberry.field(description="The rule the line comes from.")


@strawberry.type(name="compliance_period")
class CompliancePeriodType:
    start: dt.date
    end: dt.date
    deadline: dt.date = strawberry.field(description="When the period's hours are due.")
    audience: str = strawberry.field(
        description="newly_admitted or experienced: whose requirements apply."
    )
    months: int


@strawberry.type(name="compliance_status")
class ComplianceStatusType:
    jurisdiction: str
    user: strawberry.ID
    on: dt.date
    period: CompliancePeriodType
    lines: list[ComplianceLineType]
    required: Decimal
    earned: Decimal
    missing: Decimal
    carried_in: Decimal = strawberry.field(
        description="Hours carried over from the period before."
    )
    capped_out: Decimal = strawberry.field(
        description="Hours earned that a cap keeps from counting."
    )
    compliant: bool
    days_left: int


def _status(found: compliance.ComplianceStatus) -> ComplianceStatusType:
    period = found.period
    return ComplianceStatusType(
        jurisdiction=found.jurisdiction,
        user=strawberry.ID(str(found.user)),
        on=found.on,
        period=CompliancePeriodType(
            start=period.start,
            end=period.end,
            deadline=period.deadline,
            audience=period.audience.value,
            months=period.months,
        ),
        lines=[
            ComplianceLineType(
                category=line.category.value,
                kind=line.kind.value,
                delivery=line.delivery.value,
                audience=line.audience.value,
                required=line.required,
                earned=line.earned,
                missing=line.missing,
                met=line.met,
                source=line.source,
            )
            for line in found.lines
        ],
        required=found.required,
        earned=found.earned,
        missing=found.missing,
        carried_in=found.carried_in,
        capped_out=found.capped_out,
        compliant=found.compliant,
        days_left=found.days_left,
    )


@strawberry.type(name="assessment_outcome")
class AssessmentOutcomeType:
    assessment: strawberry.ID
    title: str
    learners: int
    attempts: int | None
    pass_rate: Decimal | None
    average_percent: Decimal | None


@strawberry.type(name="course_outcomes")
class CourseOutcomesType:
    course: strawberry.ID
    enrollments: int
    completions: int | None
    completion_rate: Decimal | None
    assessments: list[AssessmentOutcomeType]
    withheld: bool = strawberry.field(
        description="Some figures are null: they would describe fewer than "
        "min_cohort learners."
    )
    min_cohort: int


def fields(types: dict[str, type]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The query and mutation fields of this module, given the collection types."""

    async def save_learner_profile(
        info: strawberry.Info,
        organization: strawberry.ID,
        first_name: str,
        last_name: str,
        birth_date: dt.date | None = None,
        user: strawberry.ID | None = None,
    ) -> Any:
        return await learners.save_profile(
            info.context.principal,
            organization_id=organization,
            first_name=first_name,
            last_name=last_name,
            birth_date=birth_date,
            user_id=user,
        )

    async def save_bar_admission(
        info: strawberry.Info,
        jurisdiction: str,
        admitted_on: dt.date,
        bar_number: str | None = None,
        last_name_at_admission: str | None = None,
        cycle_ends_on: dt.date | None = None,
        user: strawberry.ID | None = None,
    ) -> Any:
        return await learners.save_admission(
            info.context.principal,
            jurisdiction=jurisdiction,
            admitted_on=admitted_on,
            bar_number=bar_number,
            last_name_at_admission=last_name_at_admission,
            cycle_ends_on=cycle_ends_on,
            user_id=user,
        )

    async def remove_bar_admission(info: strawberry.Info, id: strawberry.ID) -> bool:
        return await learners.remove_admission(info.context.principal, id)

    async def enroll(info: strawberry.Info, course: strawberry.ID) -> Any:
        return await enrollments.enroll(info.context.principal, course)

    async def complete_lesson(
        info: strawberry.Info, enrollment: strawberry.ID, lesson: strawberry.ID
    ) -> Any:
        return await enrollments.complete_lesson(
            info.context.principal, enrollment, lesson
        )

    async def transcript(
        info: strawberry.Info, user: strawberry.ID | None = None
    ) -> TranscriptType:
        return _transcript(await reports.transcript(info.context.principal, user))

    async def compliance_status(
        info: strawberry.Info,
        jurisdiction: str | None = None,
        user: strawberry.ID | None = None,
        on: dt.date | None = None,
    ) -> list[ComplianceStatusType]:
        principal = info.context.principal
        if jurisdiction is None:
            found = await compliance.statuses(principal, user, on)
        else:
            found = [await compliance.status(principal, user, jurisdiction, on)]
        return [_status(standing) for standing in found]

    async def compliance_roll(
        info: strawberry.Info,
        jurisdiction: str,
        organization: strawberry.ID | None = None,
        on: dt.date | None = None,
    ) -> list[RollLineType]:
        lines = await reports.compliance_roll(
            info.context.principal,
            jurisdiction,
            organization_id=organization,
            on=on,
        )
        return [_roll_line(line) for line in lines]

    async def course_outcomes(
        info: strawberry.Info, course: strawberry.ID
    ) -> CourseOutcomesType:
        found = await reports.course_outcomes(info.context.principal, course)
        return CourseOutcomesType(
            **vars(found)
            | {
                "course": strawberry.ID(found.course),
                "assessments": [
                    AssessmentOutcomeType(
                        **vars(a) | {"assessment": strawberry.ID(a.assessment)}
                    )
                    for a in found.assessments
                ],
            }
        )

    returns = {
        save_learner_profile: types["learner_profiles"],
        save_bar_admission: types["bar_admissions"],
        enroll: types["enrollments"],
        complete_lesson: types["enrollments"],
    }
    for fn, returned in returns.items():
        fn.__annotations__["return"] = returned
    mutation = {
        fn.__name__: strawberry.mutation(resolver=fn)
        for fn in (*returns, remove_bar_admission)
    }
    query = {
        "transcript": strawberry.field(
            resolver=transcript,
            description="A learner's credits, with the release and approval "
            "behind each; your own without `user`.",
        ),
        "compliance_status": strawberry.field(
            resolver=compliance_status,
            description="Where a learner stands in the current compliance period "
            "of each jurisdiction they report to (or of one): hours due, earned "
            "and missing, by category, and the deadline. Your own without `user`.",
        ),
        "compliance_roll": strawberry.field(
            resolver=compliance_roll,
            description="Where each lawyer reporting to a jurisdiction stands: "
            "a firm's (name it) or, for the regulator, everyone's.",
        ),
        "course_outcomes": strawberry.field(
            resolver=course_outcomes,
            description="A course's enrollments, completions and results, in "
            "aggregate, for its publisher.",
        ),
    }
    return query, mutation
