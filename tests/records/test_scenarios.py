"""Scenario tests: New York and California lawyers take the same demo courses.

Everything comes through the real paths: the reference rules and the demo
catalogue are loaded by the seeds loader (review, approval and release of
every published course), the lawyers are members of the demo firm Hartwell &
Okafor LLP, and each course is finished as a learner finishes it: enroll,
complete every lesson of the release, pass every required assessment. The
clock of record (`app.services.enrollments.now`) is pinned, so credit is
earned on a known day, inside the demo approvals' validity
(seeds/demo/courses/*.toml: valid 2026-01-01 or later until 2027-12-31).

Every expected number below is written out by hand from the rule rows of
seeds/reference/jurisdictions/us-ny.toml and us-ca.toml, naming the rule's
source, and from the credit hours of the demo approvals.

The three courses both lawyers take were chosen because New York and
California accredit them differently:

- generative-ai-legal-practice (on demand, self-study in both):
  NY ethics 1.50; CA ethics 1.00 + technology 0.50.
- cybersecurity-for-law-firms (live webinar, live in both):
  NY cybersecurity 1.50; CA technology 1.00 + ethics 0.50.
- lawyer-well-being-competence (on demand, self-study in both):
  NY ethics 1.00; CA competence 1.00 (a category New York lacks).
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from tortoise.models import Model

from app.models import (
    BarAdmission,
    CatalogEntry,
    Course,
    Credit,
    Enrollment,
    Organization,
    ReleaseKey,
)
from app.models.enums import Audience, EnrollmentStatus
from app.services import attempts, compliance, enrollments, reports
from app.services.auth import user_principal
from app.services.periods import Period
from permissions import Principal
from seeds.loader import model_answer, seed
from tests import factories

# The day the scenario's courses are finished, and the day standing is read.
FINISHED_AT = dt.datetime(2026, 9, 15, 14, 30, tzinfo=dt.UTC)
FINISHED = FINISHED_AT.date()
ON = dt.date(2026, 12, 1)

GENAI = "generative-ai-legal-practice"
CYBER = "cybersecurity-for-law-firms"
WELLBEING = "lawyer-well-being-competence"
SAME_COURSES = (GENAI, CYBER, WELLBEING)

GENAI_TITLE = "Generative AI in Legal Practice: Competence, Confidentiality and Candor"
CYBER_TITLE = "Cybersecurity for Law Firms: Duties, Threats and Incident Response"
WELLBEING_TITLE = "Lawyer Well-Being and Competence"

# Approval numbers of the demo approvals (seeds/demo/courses/<slug>.toml).
NY_GENAI = "NY Accredited Provider 3329 / Course LX-GENAI-26"
NY_CYBER = "NY Accredited Provider 4471 / Course MBA-CYBER-26"
NY_WELLBEING = "NY Accredited Provider 4471 / Course MBA-WELL-26"
CA_GENAI = "MCLE Provider 18467 / Activity LX-26-009"
CA_CYBER = "MCLE Provider 20915 / Activity MBA-26-014"
CA_WELLBEING = "MCLE Provider 20915 / Activity MBA-26-001"

# Rule sources, as us-ny.toml and us-ca.toml name them.
NY_EXPERIENCED = "22 NYCRR 1500.22(a)"
NY_CARRY_OVER = "22 NYCRR 1500.22(c)"
NY_TRANSITIONAL = "22 NYCRR 1500.12(a)"
NY_TRANSITIONAL_CARRY = "22 NYCRR 1500.12(b)"
CA_MINIMUMS = (
    "Bus. & Prof. Code 6070(a); Cal. Rules of Court 9.31(c); State Bar Rule 2.72"
)
CA_BIAS = "Bus. & Prof. Code 6070.5(a)"
CA_RULE_272_2023 = "State Bar Rule 2.72 as amended 2023"
CA_SELF_STUDY_CAP = "State Bar Rules 2.51(F)-(G), 2.72, 2.83"
CA_NO_CARRY = "pli.edu/credit/CLE/cle-california"


# The placeholder course that carries hours taken before lexstack.
PRIOR = "CLE taken elsewhere before lexstack"


def h(value: str) -> Decimal:
    """Hours as the ledger keeps them, to the hundredth."""
    return Decimal(value).quantize(Decimal("0.01"))


# ---------------------------------------------------------------- helpers


def entry(
    jurisdiction: str, title: str, category: str, hours: str, delivery: str, number: str
) -> tuple[Any, ...]:
    """A ledger line of the scenario: release 1, earned on the pinned day."""
    return (jurisdiction, title, 1, category, h(hours), delivery, FINISHED, number)


@pytest.fixture
async def firm(clean: None, monkeypatch: pytest.MonkeyPatch) -> Model:
    """The reference rules and the demo catalogue, seeded; the clock pinned."""
    await seed(demo=True)
    monkeypatch.setattr(enrollments, "now", lambda: FINISHED_AT)
    return await Organization.get(slug="hartwell-okafor")


async def lawyer(
    auth: Any,
    firm: Model,
    email: str,
    *,
    last_name: str,
    birth_date: str,
    admissions: list[dict[str, Any]],
) -> Principal:
    """A learner at the firm with a profile and bar admissions; signed in."""
    account = await factories.learner(
        auth,
        email,
        firm,
        last_name=last_name,
        birth_date=birth_date,
        admissions=admissions,
    )
    return user_principal(account.pk)


def right_answer(question: dict[str, Any], key: dict[str, Any]) -> dict[str, Any]:
    """The answer that earns every point, from the release's answer key."""
    answer = model_answer(question, key)
    assert answer is not None, f"no scripted answer to a {question['kind']} question"
    return answer


async def finish(me: Principal, slug: str) -> Enrollment:
    """Take a demo course to completion: enroll, every lesson, every required test.

    Lessons first, then the assessments, so that it is the passed
    assessment that completes the course.
    """
    course = await Course.get(slug=slug)
    enrollment = await enrollments.enroll(me, course.pk)
    document = await enrollments.document_of(enrollment)
    for lesson_id in enrollments.lessons_of(document):
        done = await enrollments.complete_lesson(me, enrollment.pk, lesson_id)
    required = [a for a in document["assessments"] if a.get("required", True)]
    assert required, f"{slug} has no required assessment to pass"
    assert done.status == EnrollmentStatus.ACTIVE, "completed before its assessment"
    keys = (await ReleaseKey.get(release_id=enrollment.release_id)).questions
    for assessment in required:
        attempt = await attempts.start_attempt(me, enrollment.pk, assessment["id"])
        answers = [
            {"question": q["id"], "answer": right_answer(q, keys[str(q["id"])])}
            for q in assessment["questions"]
        ]
        graded = await attempts.submit_attempt(me, attempt.pk, answers)
        assert (graded.passed, graded.percent, graded.late) == (
            True,
            Decimal("100.00"),
            False,
        ), slug
    await enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED, slug
    assert enrollment.date_completed == FINISHED_AT
    return enrollment


async def ledger(me: Principal) -> list[tuple[Any, ...]]:
    """The transcript's lines: jurisdiction, course, release, category, hours..."""
    found = await reports.transcript(me)
    return [
        (
            line.jurisdiction,
            line.course_title,
            line.version,
            line.category,
            line.hours,
            line.delivery,
            line.earned_on,
            line.approval_number,
        )
        for line in found.lines
    ]


def lines_of(standing: compliance.ComplianceStatus) -> dict[tuple[str, ...], tuple]:
    """Lines by (kind, category, delivery): required, earned, missing, met."""
    found = {
        (line.kind.value, line.category.value, line.delivery.value): (
            line.required,
            line.earned,
            line.missing,
            line.met,
        )
        for line in standing.lines
    }
    assert len(found) == len(standing.lines), "two lines for one rule"
    return found


def source_of(standing: compliance.ComplianceStatus, *key: str) -> str:
    (line,) = [
        line
        for line in standing.lines
        if (line.kind.value, line.category.value, line.delivery.value) == key
    ]
    return line.source


async def prior_hours(
    me: Principal, jurisdiction: str, rows: list[tuple[str, str, str, dt.date]]
) -> None:
    """Ledger entries for CLE taken before the lawyer used lexstack.

    Written directly as Credit rows, the one place these scenarios do so:
    the demo catalogue's approvals only start in 2025-2026, too late and too
    few for a previous New York cycle or a full California period. A ledger
    entry must name an enrollment, course and release, so the rows hang off
    an enrollment in a placeholder course (published, with no approvals)
    that the lawyer never completes. Rows: (category, hours, delivery, day).
    """
    publisher = await Organization.get(slug="lexcel-learning")
    holder = await factories.course(publisher, title=PRIOR, slug="prior-cle")
    enrollment = await enrollments.enroll(me, holder.pk)
    admission = await BarAdmission.get(
        user_id=me.id, jurisdiction__code=jurisdiction
    ).prefetch_related("jurisdiction")
    for category, hours, delivery, day in rows:
        await Credit.create(
            organization_id=enrollment.organization_id,
            user_id=me.id,
            profile_id=enrollment.profile_id,
            admission=admission,
            jurisdiction_id=admission.jurisdiction_id,
            enrollment=enrollment,
            course_id=holder.pk,
            release_id=enrollment.release_id,
            version=enrollment.version,
            course_title=holder.title,
            category=category,
            hours=Decimal(hours),
            delivery=delivery,
            earned_on=day,
            approval=uuid.uuid4(),
            approval_number="Prior record",
        )


# The New York lawyer of the scenarios. Admitted 2011-03-10, an odd year, so
# she registers in odd years (us-ny.toml period_rule: registration_year_parity
# = "same_as_admission_year"; 22 NYCRR 118.1). Born June 20: each biennial
# cycle runs from the day after her birthday in a registration year to her
# birthday two years later (cycle_months = 24, anchor = "birthday";
# 22 NYCRR 1500.22(b)(1): the two years between registrations), and she
# certifies within 30 days after that birthday
# (registration_due_days_after_birthday = 30; 22 NYCRR 118.1).
# Fifteen years after admission she is long past the transitional years
# (22 NYCRR 1500.22(b)(2)): an experienced attorney.
NY_ADMISSION = {
    "jurisdiction": "US-NY",
    "admitted_on": "2011-03-10",
    "bar_number": "4719302",
}
NY_BIRTH = "1985-06-20"
# Registration years 2025 and 2027: the cycle holding 2026-12-01.
NY_PERIOD = Period(
    start=dt.date(2025, 6, 21),
    end=dt.date(2027, 6, 20),
    deadline=dt.date(2027, 7, 20),  # June 20 + 30 days
    audience=Audience.EXPERIENCED,
    months=24,
)

# The California lawyer. Last name Morales at admission: M falls in Group 2,
# H-M (us-ca.toml [[jurisdiction.period_rule.groups]] group 2; State Bar
# notice "MCLE Compliance Information"), whose one-time 38-month cycle runs
# 2024-02-01 to 2027-03-29, reported by 2027-03-30 (transition_* keys).
# Admitted in 2012, she owes the full, unprorated requirement
# (new_admittee_requirement = "proportional" only cuts the first period).
CA_ADMISSION = {
    "jurisdiction": "US-CA",
    "admitted_on": "2012-06-01",
    "bar_number": "281734",
    "last_name_at_admission": "Morales",
}
CA_BIRTH = "1984-02-11"
CA_PERIOD = Period(
    start=dt.date(2024, 2, 1),
    end=dt.date(2027, 3, 29),
    deadline=dt.date(2027, 3, 30),
    audience=Audience.EXPERIENCED,
    # February 2024 through March 2027: 38 calendar months.
    months=38,
)

# What the three courses write, from the demo approvals valid on 2026-09-15.
NY_LEDGER = [
    entry("US-NY", CYBER_TITLE, "cybersecurity", "1.50", "live", NY_CYBER),
    entry("US-NY", GENAI_TITLE, "ethics", "1.50", "self_study", NY_GENAI),
    entry("US-NY", WELLBEING_TITLE, "ethics", "1.00", "self_study", NY_WELLBEING),
]
CA_LEDGER = [
    entry("US-CA", CYBER_TITLE, "ethics", "0.50", "live", CA_CYBER),
    entry("US-CA", CYBER_TITLE, "technology", "1.00", "live", CA_CYBER),
    entry("US-CA", GENAI_TITLE, "ethics", "1.00", "self_study", CA_GENAI),
    entry("US-CA", GENAI_TITLE, "technology", "0.50", "self_study", CA_GENAI),
    entry("US-CA", WELLBEING_TITLE, "competence", "1.00", "self_study", CA_WELLBEING),
]


# ---------------------------------------------------------------- scenarios


async def test_ny_and_ca_lawyers_earn_each_states_credit_for_the_same_courses(
    auth, firm
):
    new_york = await lawyer(
        auth,
        firm,
        "ny@hartwell.example",
        last_name="Whitcombe",
        birth_date=NY_BIRTH,
        admissions=[NY_ADMISSION],
    )
    california = await lawyer(
        auth,
        firm,
        "ca@hartwell.example",
        last_name="Morales",
        birth_date=CA_BIRTH,
        admissions=[CA_ADMISSION],
    )

    for slug in SAME_COURSES:
        await finish(new_york, slug)
        await finish(california, slug)

    # Each lawyer's ledger holds their own bar's categories only, each entry
    # naming release 1 (the demo edition) and the approval that granted it.
    assert await ledger(new_york) == NY_LEDGER
    assert await ledger(california) == CA_LEDGER
    # Release 1 is the release each course is published at: the entries
    # point at it, not merely at its number.
    credits = await Credit.filter(user_id__in=[new_york.id, california.id])
    assert len(credits) == len(NY_LEDGER) + len(CA_LEDGER)
    for credit in credits:
        published = await CatalogEntry.get(course_id=credit.course_id, current=True)
        assert (credit.release_id, credit.version) == (published.pk, 1)
    assert (await reports.transcript(new_york)).totals == {
        "US-NY": {"cybersecurity": h("1.50"), "ethics": h("2.50")}
    }
    assert (await reports.transcript(california)).totals == {
        "US-CA": {
            "competence": h("1.00"),
            "ethics": h("1.50"),
            "technology": h("1.50"),
        }
    }


async def test_experienced_new_york_lawyer_is_short_of_24_hours_ethics_and_diversity(
    auth, firm
):
    me = await lawyer(
        auth,
        firm,
        "ny@hartwell.example",
        last_name="Whitcombe",
        birth_date=NY_BIRTH,
        admissions=[NY_ADMISSION],
    )
    for slug in SAME_COURSES:
        await finish(me, slug)

    standing = await compliance.status(me, me.id, "US-NY", ON)

    assert await ledger(me) == NY_LEDGER
    assert standing.period == NY_PERIOD
    assert standing.days_left == 231  # 2026-12-01 to 2027-07-20
    # Earned in the cycle: ethics 1.50 + 1.00, cybersecurity 1.50 = 4.00.
    # No previous-cycle hours, so nothing carries in; New York has no
    # self-study cap for experienced attorneys (us-ny.toml header), so
    # nothing is capped.
    assert (
        standing.required,
        standing.earned,
        standing.missing,
        standing.carried_in,
        standing.capped_out,
        standing.compliant,
    ) == (h("24"), h("4.00"), h("20.00"), h("0"), h("0"), False)
    assert lines_of(standing) == {
        # 22 NYCRR 1500.22(a): 24 hours per biennial cycle; 24 - 4.00 = 20.00.
        ("minimum", "total", "any"): (h("24"), h("4.00"), h("20.00"), False),
        # 22 NYCRR 1500.22(a): at least 4 ethics; 1.50 + 1.00 = 2.50, 1.50 short.
        ("minimum", "ethics", "any"): (h("4"), h("2.50"), h("1.50"), False),
        # 22 NYCRR 1500.22(a): 1 hour diversity, inclusion and elimination of
        # bias (re-registrations on or after 2018-07-01); none taken.
        ("minimum", "diversity", "any"): (h("1"), h("0"), h("1"), False),
        # 22 NYCRR 1500.22(a), 1500.2(h): 1 hour cybersecurity (re-registrations
        # on or after 2023-07-01); the live cybersecurity course gave 1.50.
        ("minimum", "cybersecurity", "any"): (h("1"), h("1.50"), h("0"), True),
        # 22 NYCRR 1500.22(c): up to 6 hours above the 24 carry over; with
        # 4.00 earned, none would move.
        ("carry_over", "total", "any"): (h("6"), h("0"), h("0"), True),
    }
    assert source_of(standing, "minimum", "total", "any") == NY_EXPERIENCED
    assert source_of(standing, "minimum", "ethics", "any") == NY_EXPERIENCED
    assert source_of(standing, "minimum", "diversity", "any").startswith(NY_EXPERIENCED)
    assert source_of(standing, "minimum", "cybersecurity", "any").startswith(
        NY_EXPERIENCED
    )
    assert source_of(standing, "carry_over", "total", "any") == NY_CARRY_OVER


async def test_newly_admitted_new_york_lawyer_gets_no_live_ethics_from_self_study(
    auth, firm
):
    # Admitted 2025-11-10: the transitional window is the 24 months from the
    # admission day (us-ny.toml period_rule newly_admitted_months = 24;
    # 22 NYCRR 1500.12(a)), 2025-11-10 to 2027-11-09. No separate
    # certification date is encoded for it, so the deadline is its last day.
    me = await lawyer(
        auth,
        firm,
        "new@hartwell.example",
        last_name="Brennan",
        birth_date="1999-04-02",
        admissions=[{"jurisdiction": "US-NY", "admitted_on": "2025-11-10"}],
    )
    for slug in SAME_COURSES:
        await finish(me, slug)

    standing = await compliance.status(me, me.id, "US-NY", ON)

    # Same courses, same New York approvals: the same ledger as the
    # experienced lawyer's.
    assert await ledger(me) == NY_LEDGER
    assert standing.period == Period(
        start=dt.date(2025, 11, 10),
        end=dt.date(2027, 11, 9),
        deadline=dt.date(2027, 11, 9),
        audience=Audience.NEWLY_ADMITTED,
        months=24,
    )
    assert (standing.required, standing.earned, standing.missing) == (
        h("32"),
        h("4.00"),
        h("28.00"),
    )
    assert (standing.carried_in, standing.capped_out, standing.compliant) == (
        h("0"),
        h("0"),
        False,
    )
    assert lines_of(standing) == {
        # 22 NYCRR 1500.12(a): 32 transitional hours in the first two years,
        # in any format; all 4.00 count. 32 - 4.00 = 28.00.
        ("minimum", "total", "any"): (h("32"), h("4.00"), h("28.00"), False),
        # 22 NYCRR 1500.12(a); CLE Board Regulations sec. 2(C)(2): 6 ethics,
        # which the newly admitted must take live. Both ethics courses were
        # self-study (on demand), so their 2.50 hours count toward the 32 but
        # not here; the live course gave cybersecurity, not ethics.
        ("minimum", "ethics", "live"): (h("6"), h("0"), h("6"), False),
        # 22 NYCRR 1500.12(a); sec. 2(C)(1): 12 skills hours, live; none taken.
        ("minimum", "skills", "live"): (h("12"), h("0"), h("12"), False),
        # 22 NYCRR 1500.12(a) footnote: 1 of the 32 in cybersecurity, any
        # format (effective 2023-07-01); the live course gave 1.50.
        ("minimum", "cybersecurity", "any"): (h("1"), h("1.50"), h("0"), True),
        # 22 NYCRR 1500.12(b): up to 6 hours above the requirement carry into
        # the first experienced cycle, never ethics; nothing is above it.
        ("carry_over", "total", "any"): (h("6"), h("0"), h("0"), True),
        ("carry_over", "ethics", "any"): (h("0"), h("0"), h("0"), True),
    }
    assert source_of(standing, "minimum", "total", "any") == NY_TRANSITIONAL
    assert source_of(standing, "minimum", "ethics", "live").startswith(NY_TRANSITIONAL)
    assert source_of(standing, "minimum", "skills", "live").startswith(NY_TRANSITIONAL)
    assert source_of(standing, "carry_over", "total", "any") == NY_TRANSITIONAL_CARRY
    assert source_of(standing, "carry_over", "ethics", "any") == NY_TRANSITIONAL_CARRY


async def test_ca_lawyer_in_the_38_month_cycle_is_short_of_25_hours_and_4_categories(
    auth, firm
):
    me = await lawyer(
        auth,
        firm,
        "ca@hartwell.example",
        last_name="Morales",
        birth_date=CA_BIRTH,
        admissions=[CA_ADMISSION],
    )
    for slug in SAME_COURSES:
        await finish(me, slug)

    standing = await compliance.status(me, me.id, "US-CA", ON)

    assert await ledger(me) == CA_LEDGER
    assert standing.period == CA_PERIOD
    assert standing.days_left == 119  # 2026-12-01 to 2027-03-30
    # Earned: ethics 0.50 + 1.00, technology 1.00 + 0.50, competence 1.00
    # = 4.00, of which 2.50 self-study (the two on-demand courses), under the
    # 12.50 cap: nothing is capped. California carries nothing over.
    assert (
        standing.required,
        standing.earned,
        standing.missing,
        standing.carried_in,
        standing.capped_out,
        standing.compliant,
    ) == (h("25"), h("4.00"), h("21.00"), h("0"), h("0"), False)
    assert lines_of(standing) == {
        # B&P Code 6070(a); CRC 9.31(c); Rule 2.72: 25 hours per period.
        ("minimum", "total", "any"): (h("25"), h("4.00"), h("21.00"), False),
        # Same sources: at least 4 of the 25 in legal ethics; 1.50 earned.
        ("minimum", "ethics", "any"): (h("4"), h("1.50"), h("2.50"), False),
        # B&P Code 6070.5(a); Rule 2.72: 2 hours of elimination of bias; none.
        ("minimum", "bias", "any"): (h("2"), h("0"), h("2"), False),
        # Rule 2.72 as amended 2023: 2 hours of competence; the well-being
        # course gave 1.00 (New York gave it ethics instead).
        ("minimum", "competence", "any"): (h("2"), h("1.00"), h("1.00"), False),
        # Rule 2.72 as amended 2023: 1 hour of technology; 1.50 earned.
        ("minimum", "technology", "any"): (h("1"), h("1.50"), h("0"), True),
        # Rule 2.72 as amended 2023: 1 hour of civility; none.
        ("minimum", "civility", "any"): (h("1"), h("0"), h("1"), False),
        # State Bar Rules 2.51(F)-(G), 2.72, 2.83: at most 12.50 self-study
        # hours count; the line shows the 2.50 self-study hours counted.
        ("maximum", "total", "self_study"): (h("12.50"), h("2.50"), h("0"), True),
        # No carry-forward in California (pli.edu; CRC 9.31(b) unadopted).
        ("carry_over", "total", "any"): (h("0"), h("0"), h("0"), True),
    }
    assert source_of(standing, "minimum", "total", "any") == CA_MINIMUMS
    assert source_of(standing, "minimum", "ethics", "any") == CA_MINIMUMS
    assert source_of(standing, "minimum", "bias", "any").startswith(CA_BIAS)
    for category in ("competence", "technology", "civility"):
        assert source_of(standing, "minimum", category, "any").startswith(
            CA_RULE_272_2023
        ), category
    assert source_of(standing, "maximum", "total", "self_study").startswith(
        CA_SELF_STUDY_CAP
    )
    assert source_of(standing, "carry_over", "total", "any").startswith(CA_NO_CARRY)


async def test_california_self_study_cap_leaves_a_lawyer_with_28_50_hours_short_of_25(
    auth, firm
):
    # Lindqvist: L is in Group 2 (H-M), the same 38-month cycle as Morales.
    me = await lawyer(
        auth,
        firm,
        "cap@hartwell.example",
        last_name="Lindqvist",
        birth_date="1981-09-30",
        admissions=[
            {
                "jurisdiction": "US-CA",
                "admitted_on": "2009-12-01",
                "last_name_at_admission": "Lindqvist",
            }
        ],
    )
    # Earlier in the same period (2025-05-01), before lexstack: 18 self-study
    # hours of general credit, and participatory hours that meet every
    # category but ethics and competence part-way. Direct ledger rows, see
    # prior_hours.
    earlier = dt.date(2025, 5, 1)
    await prior_hours(
        me,
        "US-CA",
        [
            ("general", "18.00", "self_study", earlier),
            ("bias", "2.00", "live", earlier),
            ("civility", "1.00", "live", earlier),
            ("ethics", "2.50", "live", earlier),
            ("competence", "1.00", "live", earlier),
        ],
    )
    for slug in SAME_COURSES:
        await finish(me, slug)

    standing = await compliance.status(me, me.id, "US-CA", ON)

    # The earlier hours first (2025-05-01), then the three courses.
    assert (
        await ledger(me)
        == [
            ("US-CA", PRIOR, 1, category, h(hours), delivery, earlier, "Prior record")
            for category, hours, delivery in (
                ("bias", "2.00", "live"),
                ("civility", "1.00", "live"),
                ("competence", "1.00", "live"),
                ("ethics", "2.50", "live"),
                ("general", "18.00", "self_study"),
            )
        ]
        + CA_LEDGER
    )
    assert standing.period == CA_PERIOD
    # Own hours: 24.50 earlier + 4.00 from the courses = 28.50, enough for 25
    # on their face. Self-study among them: 18.00 + 1.50 (generative AI) +
    # 1.00 (well-being) = 20.50. State Bar Rules 2.51(F)-(G), 2.72, 2.83: at
    # most 12.50 self-study hours count toward the 25, so 20.50 - 12.50 =
    # 8.00 are capped out. Counted: 12.50 self-study + 8.00 participatory
    # (2.00 bias, 1.00 civility, 2.50 + 0.50 ethics, 1.00 competence, 1.00
    # technology) = 20.50; 25 - 20.50 = 4.50 missing. Not compliant.
    assert (
        standing.required,
        standing.earned,
        standing.missing,
        standing.carried_in,
        standing.capped_out,
        standing.compliant,
    ) == (h("25"), h("20.50"), h("4.50"), h("0"), h("8.00"), False)
    # Which 12.50 self-study hours count is the lawyer's claim to make; the
    # ones that close a category's gap are claimed first: 1.00 ethics (3.00
    # live + 1.00 = 4) and 1.00 competence (1.00 live + 1.00 = 2), then
    # 10.50 of the 18.00 general. The half hour of self-study technology is
    # among those left out: the technology hour is met live anyway.
    assert lines_of(standing) == {
        ("minimum", "total", "any"): (h("25"), h("20.50"), h("4.50"), False),
        ("minimum", "ethics", "any"): (h("4"), h("4.00"), h("0"), True),
        ("minimum", "bias", "any"): (h("2"), h("2.00"), h("0"), True),
        ("minimum", "competence", "any"): (h("2"), h("2.00"), h("0"), True),
        ("minimum", "technology", "any"): (h("1"), h("1.00"), h("0"), True),
        ("minimum", "civility", "any"): (h("1"), h("1.00"), h("0"), True),
        # The cap is full: exactly 12.50 self-study hours count.
        ("maximum", "total", "self_study"): (h("12.50"), h("12.50"), h("0"), True),
        ("carry_over", "total", "any"): (h("0"), h("0"), h("0"), True),
    }
    # Every category is met: only the cap stands between her and compliance.
    missing = {key: line for key, line in lines_of(standing).items() if not line[3]}
    assert missing == {
        ("minimum", "total", "any"): (h("25"), h("20.50"), h("4.50"), False)
    }


async def test_new_york_carries_six_of_seven_surplus_hours_into_the_next_cycle(
    auth, firm
):
    me = await lawyer(
        auth,
        firm,
        "carry@hartwell.example",
        last_name="Whitcombe",
        birth_date=NY_BIRTH,
        admissions=[NY_ADMISSION],
    )
    # The previous cycle, 2023-06-21 to 2025-06-20 (registration years 2023
    # and 2025, birthday June 20): 31 hours taken before lexstack, direct
    # ledger rows (see prior_hours). The 25 areas-of-practice hours fall on
    # the birthday, 2025-06-20, the cycle's last day: they belong to it, not
    # to the cycle that starts the next day.
    await prior_hours(
        me,
        "US-NY",
        [
            ("ethics", "4.00", "live", dt.date(2024, 1, 15)),
            ("diversity", "1.00", "self_study", dt.date(2024, 3, 1)),
            ("cybersecurity", "1.00", "self_study", dt.date(2024, 10, 1)),
            ("areas_of_practice", "25.00", "self_study", dt.date(2025, 6, 20)),
        ],
    )
    for slug in SAME_COURSES:
        await finish(me, slug)

    before = await compliance.status(me, me.id, "US-NY", dt.date(2025, 6, 20))
    standing = await compliance.status(me, me.id, "US-NY", ON)

    # The previous cycle: 4 + 1 + 1 + 25 = 31 hours, every minimum met
    # (22 NYCRR 1500.22(a)). 22 NYCRR 1500.22(c): of the 31 - 24 = 7 hours
    # above the 24, at most 6 carry into the next cycle.
    assert before.period == Period(
        start=dt.date(2023, 6, 21),
        end=dt.date(2025, 6, 20),
        deadline=dt.date(2025, 7, 20),
        audience=Audience.EXPERIENCED,
        months=24,
    )
    assert (before.required, before.earned, before.missing, before.compliant) == (
        h("24"),
        h("31.00"),
        h("0"),
        True,
    )
    assert lines_of(before)[("carry_over", "total", "any")] == (
        h("6"),
        h("6.00"),
        h("0"),
        True,
    )
    # The current cycle: the three courses' 4.00 hours plus the 6.00 carried
    # in = 10.00 toward the 24; 14.00 missing. The carried hours were areas of
    # practice (ethics, diversity and cybersecurity had no surplus over their
    # own minimums), so they help the total only.
    assert standing.period == NY_PERIOD
    assert (
        standing.required,
        standing.earned,
        standing.missing,
        standing.carried_in,
        standing.capped_out,
        standing.compliant,
    ) == (h("24"), h("10.00"), h("14.00"), h("6.00"), h("0"), False)
    assert lines_of(standing) == {
        ("minimum", "total", "any"): (h("24"), h("10.00"), h("14.00"), False),
        ("minimum", "ethics", "any"): (h("4"), h("2.50"), h("1.50"), False),
        ("minimum", "diversity", "any"): (h("1"), h("0"), h("1"), False),
        ("minimum", "cybersecurity", "any"): (h("1"), h("1.50"), h("0"), True),
        # Hours carried in never move again: 10.00 is below 24, none would.
        ("carry_over", "total", "any"): (h("6"), h("0"), h("0"), True),
    }


async def test_lawyer_admitted_in_both_states_gets_each_states_credit_once(auth, firm):
    # New York: admitted 2013 (odd year), born October 9: the cycle
    # 2025-10-10 to 2027-10-09, certified by 2027-11-08 (22 NYCRR 118.1,
    # 1500.22). California: Nakamura, N is Group 3 (N-Z), whose 38-month
    # cycle ended 2026-03-29; the regular 36-month period after it runs
    # 2026-03-30 to 2029-03-29, reported by 2029-03-30 (us-ca.toml group 3,
    # period_start 03-30, period_end 03-29, report_deadline 03-30).
    me = await lawyer(
        auth,
        firm,
        "both@hartwell.example",
        last_name="Nakamura",
        birth_date="1987-10-09",
        admissions=[
            {"jurisdiction": "US-NY", "admitted_on": "2013-02-04"},
            {
                "jurisdiction": "US-CA",
                "admitted_on": "2014-06-02",
                "last_name_at_admission": "Nakamura",
            },
        ],
    )
    enrollment = await finish(me, GENAI)
    # Finishing it again changes nothing: no second set of entries.
    (lesson_id, *_) = enrollments.lessons_of(await enrollments.document_of(enrollment))
    await enrollments.complete_lesson(me, enrollment.pk, lesson_id)
    await enrollments.refresh_completion(enrollment.pk)
    await enrollments.enroll(me, enrollment.course_id)

    new_york = await compliance.status(me, me.id, "US-NY", ON)
    california = await compliance.status(me, me.id, "US-CA", ON)

    assert sorted(await ledger(me)) == [
        entry("US-CA", GENAI_TITLE, "ethics", "1.00", "self_study", CA_GENAI),
        entry("US-CA", GENAI_TITLE, "technology", "0.50", "self_study", CA_GENAI),
        entry("US-NY", GENAI_TITLE, "ethics", "1.50", "self_study", NY_GENAI),
    ]
    assert (await reports.transcript(me)).totals == {
        "US-CA": {"ethics": h("1.00"), "technology": h("0.50")},
        "US-NY": {"ethics": h("1.50")},
    }
    assert new_york.period == Period(
        start=dt.date(2025, 10, 10),
        end=dt.date(2027, 10, 9),
        deadline=dt.date(2027, 11, 8),
        audience=Audience.EXPERIENCED,
        months=24,
    )
    assert california.period == Period(
        start=dt.date(2026, 3, 30),
        end=dt.date(2029, 3, 29),
        deadline=dt.date(2029, 3, 30),
        audience=Audience.EXPERIENCED,
        months=36,
    )
    # Each bar counts the course once, in its own categories: New York 1.50
    # toward 24 (22 NYCRR 1500.22(a)), all ethics; California 1.50 toward 25
    # (B&P Code 6070(a)), 1.00 ethics and 0.50 technology, all self-study.
    assert (new_york.earned, new_york.missing) == (h("1.50"), h("22.50"))
    assert lines_of(new_york)[("minimum", "ethics", "any")] == (
        h("4"),
        h("1.50"),
        h("2.50"),
        False,
    )
    assert (california.earned, california.missing) == (h("1.50"), h("23.50"))
    ca_lines = lines_of(california)
    assert ca_lines[("minimum", "ethics", "any")] == (
        h("4"),
        h("1.00"),
        h("3.00"),
        False,
    )
    assert ca_lines[("minimum", "technology", "any")] == (
        h("1"),
        h("0.50"),
        h("0.50"),
        False,
    )
    assert ca_lines[("maximum", "total", "self_study")] == (
        h("12.50"),
        h("1.50"),
        h("0"),
        True,
    )
    assert not new_york.compliant and not california.compliant
