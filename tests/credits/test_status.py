"""A lawyer's compliance status from the ledger: the answer, who sees it, its cost."""

import datetime as dt
import itertools
import uuid
from decimal import Decimal

import pytest

from app.errors import Forbidden, NotFound
from app.models import (
    BarAdmission,
    Credit,
    Enrollment,
    LearnerProfile,
    Release,
    Requirement,
)
from app.models.enums import Audience, CreditCategory, Delivery, RequirementKind
from app.services import compliance, identity
from app.services.auth import user_principal
from app.services.periods import Period
from permissions import SYSTEM, anonymous
from tests import factories
from tests.conftest import count_statements

C = CreditCategory
LIVE, SELF, ANY = Delivery.LIVE, Delivery.SELF_STUDY, Delivery.ANY
MINIMUM, MAXIMUM, CARRY = (
    RequirementKind.MINIMUM,
    RequirementKind.MAXIMUM,
    RequirementKind.CARRY_OVER,
)
ALL = Audience.ALL
D = dt.date.fromisoformat
ON = D("2025-09-01")
_n = itertools.count(1)


def h(value: str) -> Decimal:
    return Decimal(value)


class Firm:
    """A firm with a lawyer admitted in Texas and New York, and onlookers."""

    async def build(self, auth, seeded) -> "Firm":
        self.firm = await factories.organization(kind="firm")
        self.publisher = await factories.organization()
        n = next(_n)
        self.learner = await factories.user(
            auth, f"lee{n}@firm.example", learner=self.firm
        )
        self.colleague = await factories.user(
            auth, f"lou{n}@firm.example", learner=self.firm
        )
        self.admin = await factories.user(
            auth, f"admin{n}@firm.example", admin=self.firm
        )
        self.publisher_admin = await factories.user(
            auth, f"admin{n}@publisher.example", admin=self.publisher
        )
        self.root = await factories.user(auth, f"root{n}@lexstack.example")
        await identity.make_platform_admin(self.root)
        self.profile = await LearnerProfile.create(
            user_id=self.learner.pk,
            organization_id=self.firm.pk,
            first_name="Lee",
            last_name="Lopez",
            birth_date=D("1980-07-22"),
        )
        self.texas = await self.admit(seeded["US-TX"], "2005-11-04")
        self.new_york = await self.admit(seeded["US-NY"], "2008-03-03")
        return self

    async def admit(self, jurisdiction, admitted_on: str) -> BarAdmission:
        return await BarAdmission.create(
            profile=self.profile,
            user_id=self.learner.pk,
            organization_id=self.firm.pk,
            jurisdiction=jurisdiction,
            admitted_on=D(admitted_on),
        )

    async def completed(
        self,
        admission: BarAdmission,
        entries: list[tuple[CreditCategory, str, Delivery, str]],
        profile: LearnerProfile | None = None,
    ) -> None:
        """A published course finished, with its ledger entries in one bar."""
        profile = profile or self.profile
        course = await factories.course(self.publisher)
        release = await Release.filter(course_id=course.pk).get()
        enrollment = await Enrollment.create(
            user_id=profile.user_id,
            profile=profile,
            organization_id=profile.organization_id,
            course=course,
            release=release,
            version=release.version,
            publisher_id=self.publisher.pk,
            status="completed",
        )
        await Credit.bulk_create(
            [
                Credit(
                    organization_id=profile.organization_id,
                    user_id=profile.user_id,
                    profile=profile,
                    admission=admission,
                    jurisdiction_id=admission.jurisdiction_id,
                    enrollment=enrollment,
                    course=course,
                    release=release,
                    version=release.version,
                    course_title=course.title,
                    category=category,
                    hours=h(hours),
                    delivery=delivery,
                    earned_on=D(earned_on),
                    approval=uuid.uuid4(),
                )
                for category, hours, delivery, earned_on in entries
            ]
        )


@pytest.fixture
async def firm(auth, seeded) -> Firm:
    return await Firm().build(auth, seeded)


async def texas_year(firm: Firm) -> None:
    """Last year's surplus, this year's hours, and entries that must not count."""
    # The compliance year before (Jul 1, 2024 - Jun 30, 2025): 5 above 15.
    await firm.completed(
        firm.texas,
        [
            (C.ETHICS, "5.00", LIVE, "2024-10-01"),
            (C.GENERAL, "15.00", LIVE, "2025-03-01"),
        ],
    )
    # This year (Jul 1, 2025 - Jun 30, 2026).
    await firm.completed(
        firm.texas,
        [
            (C.ETHICS, "2.00", SELF, "2025-08-01"),
            (C.GENERAL, "8.00", LIVE, "2025-07-15"),
        ],
    )
    await firm.completed(firm.texas, [(C.GENERAL, "1.00", SELF, "2025-08-20")])
    # Two years ago; in New York; a colleague's.
    await firm.completed(firm.texas, [(C.GENERAL, "10.00", LIVE, "2023-05-01")])
    await firm.completed(firm.new_york, [(C.ETHICS, "4.00", LIVE, "2025-08-02")])
    colleague = await LearnerProfile.create(
        user_id=firm.colleague.pk,
        organization_id=firm.firm.pk,
        first_name="Lou",
        last_name="Lam",
        birth_date=D("1985-01-01"),
    )
    admission = await BarAdmission.create(
        profile=colleague,
        user_id=firm.colleague.pk,
        organization_id=firm.firm.pk,
        jurisdiction_id=firm.texas.jurisdiction_id,
        admitted_on=D("2010-05-01"),
    )
    await firm.completed(
        admission, [(C.ETHICS, "9.00", LIVE, "2025-08-01")], profile=colleague
    )


async def test_texas_status_counts_carry_over_and_the_ethics_self_study_cap(firm):
    await texas_year(firm)
    me = user_principal(firm.learner.pk)

    found = await compliance.status(me, firm.learner.pk, "us-tx", ON)

    # Art. XII sec. 6: 2 ethics and 3 general hours move in from last year;
    # of the 2 self-study ethics hours, 1 counts (sec. 6(B)).
    assert found.period == Period(
        D("2025-07-01"), D("2026-06-30"), D("2026-07-31"), Audience.EXPERIENCED, 12
    )
    rows = [
        (
            line.category,
            line.kind,
            line.delivery,
            line.audience,
            line.required,
            line.earned,
            line.missing,
            line.met,
        )
        for line in found.lines
    ]
    assert rows == [
        (C.TOTAL, MINIMUM, ANY, ALL, h("15.00"), h("15.00"), h("0.00"), True),
        (C.ETHICS, MINIMUM, ANY, ALL, h("3.00"), h("3.00"), h("0.00"), True),
        (C.TOTAL, MAXIMUM, SELF, ALL, h("3.00"), h("2.00"), h("0.00"), True),
        (C.ETHICS, MAXIMUM, SELF, ALL, h("1.00"), h("1.00"), h("0.00"), True),
        (C.TOTAL, CARRY, ANY, ALL, h("15.00"), h("0.00"), h("0.00"), True),
        (C.ETHICS, CARRY, ANY, ALL, h("3.00"), h("0.00"), h("0.00"), True),
    ]
    sources = await Requirement.filter(
        jurisdiction_id=firm.texas.jurisdiction_id
    ).order_by("date_created", "id")
    assert [line.source for line in found.lines] == [r.source for r in sources]
    assert (
        found.jurisdiction,
        found.user,
        found.on,
        found.required,
        found.earned,
        found.missing,
        found.carried_in,
        found.capped_out,
        found.compliant,
        found.days_left,
    ) == (
        "US-TX",
        firm.learner.pk,
        ON,
        h("15.00"),
        h("15.00"),
        h("0.00"),
        h("5.00"),
        h("1.00"),
        True,
        333,
    )


async def test_statuses_cover_every_admission_in_code_order(firm):
    await texas_year(firm)

    found = await compliance.statuses(SYSTEM, firm.learner.pk, ON)

    # 22 NYCRR 118.1: admitted in 2008, so registering in even years, the
    # cycle ending on the 2026 birthday.
    assert [s.jurisdiction for s in found] == ["US-NY", "US-TX"]
    new_york = found[0]
    assert new_york.period == Period(
        D("2024-07-23"), D("2026-07-22"), D("2026-08-21"), Audience.EXPERIENCED, 24
    )
    assert (new_york.earned, new_york.missing, new_york.compliant) == (
        h("4.00"),
        h("20.00"),
        False,
    )
    assert found[1] == await compliance.status(SYSTEM, firm.learner.pk, "US-TX", ON)


async def test_the_learner_their_firm_admins_and_platform_admins_may_see_it(firm):
    await texas_year(firm)
    expected = await compliance.status(SYSTEM, firm.learner.pk, "US-TX", ON)

    for who in (firm.learner, firm.admin, firm.root):
        found = await compliance.status(
            user_principal(who.pk), str(firm.learner.pk), "US-TX", ON
        )
        assert found == expected


async def test_a_colleague_a_publisher_admin_or_a_stranger_may_not(firm):
    for principal in (
        user_principal(firm.colleague.pk),
        user_principal(firm.publisher_admin.pk),
        anonymous(),
    ):
        with pytest.raises(Forbidden) as raised:
            await compliance.status(principal, firm.learner.pk, "US-TX", ON)
        assert raised.value.code == "FORBIDDEN"
        with pytest.raises(Forbidden):
            await compliance.statuses(principal, firm.learner.pk, ON)


async def test_unknown_learner_admission_or_jurisdiction_is_not_found(firm):
    admin = user_principal(firm.admin.pk)

    with pytest.raises(NotFound, match="No learner profile"):
        await compliance.status(admin, uuid.uuid4(), "US-TX", ON)
    with pytest.raises(NotFound, match="no bar admission in US-CA"):
        await compliance.status(admin, firm.learner.pk, "US-CA", ON)
    with pytest.raises(NotFound, match="No jurisdiction"):
        await compliance.status(admin, firm.learner.pk, "US-ZZ", ON)


async def test_the_ledger_is_read_in_two_statements_however_long_it_is(firm):
    # One entry, then a thousand: 13 categories per course, so 77 courses.
    categories = [c for c in CreditCategory if c is not C.TOTAL]
    await firm.completed(firm.texas, [(C.GENERAL, "1.00", LIVE, "2025-08-01")])
    me = user_principal(firm.learner.pk)
    with count_statements() as one:
        small = await compliance.status(me, firm.learner.pk, "US-TX", ON)

    entries = [
        (categories[i % len(categories)], "0.25", LIVE if i % 3 else SELF, day)
        for i in range(1, 1000)
        for day in [("2024-11-15", "2025-08-10")[i % 2]]
    ]
    for start in range(0, len(entries), len(categories)):
        await firm.completed(firm.texas, entries[start : start + len(categories)])
    with count_statements() as thousand:
        large = await compliance.status(me, firm.learner.pk, "US-TX", ON)

    def ledger(counter) -> list[str]:
        return [sql for sql in counter.statements if 'FROM "credits"' in sql]

    assert await Credit.filter(user_id=firm.learner.pk).count() == 1000
    assert len(ledger(one)) == len(ledger(thousand)) == 2
    assert len(one.statements) == len(thousand.statements)
    assert all("SUM(" in sql and "GROUP BY" in sql for sql in ledger(thousand))
    # The sums are the ledger's: 500 entries of 0.25 this year, and the one.
    this_year = [e for e in entries if e[3] == "2025-08-10"]
    assert small.earned == h("1.00")
    assert large.earned - large.carried_in + large.capped_out == h("1.00") + sum(
        (h(e[1]) for e in this_year), h("0")
    )


async def test_a_roll_gives_each_lawyer_their_own_status_in_constant_statements(
    firm, auth
):
    from app.models import Jurisdiction
    from app.services import reports

    await texas_year(firm)
    texas = await Jurisdiction.get(id=firm.texas.jurisdiction_id)
    # A third Texas lawyer, admitted after the roll's date: no period yet.
    late = await factories.user(auth, "late@firm.example", learner=firm.firm)
    late_profile = await LearnerProfile.create(
        user_id=late.pk,
        organization_id=firm.firm.pk,
        first_name="Max",
        last_name="Moss",
        birth_date=D("1995-02-02"),
    )
    await BarAdmission.create(
        profile=late_profile,
        user_id=late.pk,
        organization_id=firm.firm.pk,
        jurisdiction=texas,
        admitted_on=D("2025-11-01"),
    )
    admin = user_principal(firm.admin.pk)

    with count_statements() as counted:
        roll = await reports.compliance_roll(
            admin, "US-TX", organization_id=firm.firm.pk, on=ON
        )
    one_by_one = [
        await compliance.status(SYSTEM, user, "US-TX", ON)
        for user in (firm.colleague.pk, firm.learner.pk)
    ]

    assert [line.last_name for line in roll] == ["Lam", "Lopez"]
    for line, standing in zip(roll, one_by_one, strict=True):
        assert (line.period_start, line.period_end, line.deadline) == (
            standing.period.start,
            standing.period.end,
            standing.period.deadline,
        )
        assert (
            line.required_hours,
            line.earned_hours,
            line.carried_in,
            line.missing_hours,
            line.compliant,
        ) == (
            standing.required,
            standing.earned,
            standing.carried_in,
            standing.missing,
            standing.compliant,
        )
    # Texas carries 2 ethics and 3 general hours into Lopez's year (see above).
    assert roll[1].carried_in == h("5.00")
    # Jurisdiction, admissions with profiles, requirements, one ledger sum.
    ledger = [sql for sql in counted.statements if 'FROM "credits"' in sql]
    assert len(ledger) == 1 and "GROUP BY" in ledger[0]
    assert len(counted.statements) <= 5
