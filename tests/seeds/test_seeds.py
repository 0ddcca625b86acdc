"""The seeds load through the item services, completely and idempotently."""

from decimal import Decimal

from app.models import (
    Approval,
    Course,
    Jurisdiction,
    MicroCredential,
    Pathway,
    Question,
    Release,
    Requirement,
)
from app.services import publishing
from seeds.loader import seed

DRAFTED = {"gdpr-essentials", "generative-ai-legal-practice"}


async def test_seeding_twice_changes_nothing_the_second_time(clean):
    first = await seed(demo=True)
    second = await seed(demo=True)

    assert first.created > 250
    assert (second.created, second.updated) == (0, 0)
    assert second.unchanged == first.created


async def test_reference_rules_name_their_sources(clean):
    await seed(demo=False)

    codes = sorted(await Jurisdiction.all().values_list("code", flat=True))
    requirements = await Requirement.all().prefetch_related("jurisdiction")

    assert codes == ["US-CA", "US-FL", "US-IL", "US-NY", "US-TX"]
    assert all(r.source.strip() for r in requirements)
    totals = {
        r.jurisdiction.code: r.hours
        for r in requirements
        if r.kind == "minimum"
        and r.category == "total"
        and r.audience in ("all", "experienced")
        and r.effective_until is None
    }
    # Cal. Rules of Court 9.31 (25 h / 3 y); 22 NYCRR 1500.22 (24 h / 2 y);
    # Texas State Bar Rules art. XII (15 h / y); Fla. Bar Rule 6-10.3 (30 h /
    # 3 y since 2024); Ill. S. Ct. Rule 794 (30 h / 2 y).
    assert totals == {
        "US-CA": Decimal("25.00"),
        "US-NY": Decimal("24.00"),
        "US-TX": Decimal("15.00"),
        "US-FL": Decimal("30.00"),
        "US-IL": Decimal("30.00"),
    }
    ca_cap = await Requirement.get(
        jurisdiction__code="US-CA", kind="maximum", delivery="self_study"
    )
    assert ca_cap.hours == Decimal("12.50")


async def test_demo_catalogue_is_complete(clean):
    await seed(demo=True)

    courses = await Course.all().prefetch_related(
        "modules__lessons", "assessments__questions", "approvals__credits"
    )

    assert len(courses) >= 12
    for course in courses:
        assert len(course.modules) >= 2, course.slug
        assert all(len(m.lessons) >= 1 for m in course.modules), course.slug
        assert course.assessments, course.slug
        assert all(a.questions for a in course.assessments), course.slug
        jurisdictions = {a.jurisdiction_id for a in course.approvals}
        assert len(jurisdictions) >= 3, course.slug
        for approval in course.approvals:
            hours = sum((c.hours for c in approval.credits), Decimal(0))
            assert hours == approval.total_hours, (course.slug, approval.pk)
            assert approval.total_hours <= course.credit_hours

    for course in courses:
        releases = await Release.filter(course=course).order_by("version")
        if course.status == "published":
            tree = await publishing.working_tree(course)
            document = publishing.release_document(tree)
            assert [r.version for r in releases] == [1], course.slug
            # Where the editors have unpublished changes, the working copy
            # and the release differ.
            drafted = course.slug in DRAFTED
            current = releases[0].content_hash == publishing.content_hash(document)
            assert current != drafted, course.slug
        else:
            assert releases == [], course.slug

    privacy = await Pathway.get(slug="data-privacy-professional").prefetch_related(
        "micro_credentials__micro_credential"
    )
    parts = {p.micro_credential.slug for p in privacy.micro_credentials}
    assert privacy.rule == "all_of" and len(parts) == 3
    assert await MicroCredential.all().count() >= 6
    assert await Approval.filter(status="approved").count() >= 30
    assert await Question.filter(kind="multiple_choice").exists()


async def test_demo_accounts_sign_in_with_their_roles(clean, auth, gql):
    from app.models import User
    from app.services.auth import user_principal

    await seed(demo=True, auth=auth)
    again = await seed(demo=True, auth=auth)

    tokens = await auth.login("creator@lexcel.example", "lexstack-demo-password", "t")
    creator = await User.get(email="creator@lexcel.example")
    drafts = await gql.data(
        '{ courses(version: "draft", filter: {status: {_eq: "draft"}}) '
        "{ organization { slug } } }",
        principal=user_principal(creator.pk),
    )
    public = await gql.data('{ courses(filter: {status: {_eq: "draft"}}) { id } }')

    assert tokens.access_token and again.created == 0
    assert {c["organization"]["slug"] for c in drafts["courses"]} == {"lexcel-learning"}
    assert public == {"courses": []}


async def test_some_published_courses_carry_unpublished_draft_changes(gql, clean):
    from permissions import SYSTEM

    await seed(demo=True)
    query = (
        "query($v: String) { courses(version: $v, "
        'filter: {slug: {_eq: "gdpr-essentials"}}) '
        "{ summary version modules(limit: 1) { lessons(limit: 1) { title } } } }"
    )

    published = (await gql.data(query, {"v": None}))["courses"][0]
    draft = (await gql.data(query, {"v": "draft"}, SYSTEM))["courses"][0]
    again = await seed(demo=True)

    assert published["version"] == draft["version"] == 1
    assert "EDPB" not in published["summary"] and "EDPB" in draft["summary"]
    first_lesson = lambda c: c["modules"][0]["lessons"][0]["title"]  # noqa: E731
    assert first_lesson(published) == "Territorial Scope: Article 3"
    assert first_lesson(draft).endswith("With Worked Examples")
    # Seeding again neither publishes the drafts nor puts them back.
    assert (again.created, again.updated) == (0, 0)


async def test_the_demo_associate_has_finished_a_course_with_credit(clean, auth):
    from app.models import Attempt, Award, Credit, Enrollment, User
    from app.models.enums import EnrollmentStatus

    await seed(demo=True, auth=auth)
    again = await seed(demo=True, auth=auth)

    associate = await User.get(email="associate@hartwell.example")
    [enrollment] = await Enrollment.filter(user_id=associate.pk)
    attempts = await Attempt.filter(enrollment_id=enrollment.pk)
    credits = await Credit.filter(user_id=associate.pk).prefetch_related("jurisdiction")
    assert enrollment.status == EnrollmentStatus.COMPLETED
    # The quiz was taken once, through grading, and passed.
    assert [a.passed for a in attempts] == [True]
    assert {c.jurisdiction.code for c in credits} == {"US-NY", "US-CA"}
    assert all(c.course_id == enrollment.course_id for c in credits)
    # Completing the course and passing its quiz earns the demo credential.
    awards = await Award.filter(user_id=associate.pk).prefetch_related(
        "micro_credential"
    )
    assert [a.micro_credential.slug for a in awards] == ["gdpr-practitioner"]
    # Seeding again takes no second attempt and writes no second credit.
    assert again.created == 0
    assert await Attempt.filter(enrollment_id=enrollment.pk).count() == 1
    assert await Credit.filter(user_id=associate.pk).count() == len(credits)
    assert await Award.filter(user_id=associate.pk).count() == 1
