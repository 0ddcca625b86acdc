"""Profiles, enrollment, lesson progress, completion and the credit it writes."""

from decimal import Decimal

from app.models import Credit, Enrollment, LearnerProfile
from app.services import collections, items
from app.services.auth import user_principal
from permissions import SYSTEM
from tests import factories
from tests.records.conftest import approved_course, today

PROFILE = """
mutation($o: ID!, $u: ID, $b: Date) {
  save_learner_profile(organization: $o, user: $u, first_name: " Ada  ",
                       last_name: "Lovelace", birth_date: $b) {
    id first_name last_name birth_date organization { slug }
  }
}
"""
ADMISSION = """
mutation($j: String!, $d: Date!, $n: String, $u: ID) {
  save_bar_admission(jurisdiction: $j, admitted_on: $d, bar_number: $n, user: $u) {
    id bar_number admitted_on jurisdiction { code }
  }
}
"""
ENROLL = (
    "mutation($c: ID!) { enroll(course: $c) { id version status course { title } } }"
)
COMPLETE = """
mutation($e: ID!, $l: ID!) {
  complete_lesson(enrollment: $e, lesson: $l) { id status date_completed }
}
"""


async def test_a_learner_keeps_their_own_profile_and_admissions(gql, auth, world):
    account = await factories.user(auth, "ada@hartwell.example", learner=world.firm)
    me = user_principal(account.pk)

    saved = await gql.data(PROFILE, {"o": str(world.firm.pk), "b": "1990-12-10"}, me)
    admitted = await gql.data(
        ADMISSION, {"j": "us-ny", "d": "2016-05-04", "n": "5123456"}, me
    )

    assert saved["save_learner_profile"] | {"id": None} == {
        "id": None,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "birth_date": "1990-12-10",
        "organization": {"slug": "hartwell"},
    }
    assert admitted["save_bar_admission"]["jurisdiction"] == {"code": "US-NY"}
    read = await gql.data(
        "{ learner_profiles { last_name admissions { bar_number } } }", None, me
    )
    assert read == {
        "learner_profiles": [
            {"last_name": "Lovelace", "admissions": [{"bar_number": "5123456"}]}
        ]
    }


async def test_firm_admins_keep_their_lawyers_profiles_and_no_one_elses(
    gql, auth, world
):
    lawyer = await factories.user(auth, "lee@hartwell.example", learner=world.firm)
    variables = {"o": str(world.firm.pk), "u": str(lawyer.pk)}

    assert await gql.data(PROFILE, variables, world.admin)
    refused = await gql.error(PROFILE, variables, world.other_admin)
    stranger = await gql.error(
        PROFILE, {"o": str(world.other_firm.pk), "u": str(lawyer.pk)}, world.other_admin
    )

    assert refused["extensions"]["code"] == "FORBIDDEN"
    # Not a member of the other firm: that admin cannot claim the lawyer.
    assert stranger["extensions"]["code"] == "NOT_FOUND"
    assert await LearnerProfile.filter(user_id=lawyer.pk).count() == 1


async def test_bad_profile_input_is_refused_and_nothing_is_written(gql, auth, world):
    account = await factories.user(auth, "bo@hartwell.example", learner=world.firm)
    me = user_principal(account.pk)
    future = today().replace(year=today().year + 1).isoformat()

    born_later = await gql.error(PROFILE, {"o": str(world.firm.pk), "b": future}, me)
    await gql.data(PROFILE, {"o": str(world.firm.pk), "b": "1990-12-10"}, me)
    formula = await gql.error(
        ADMISSION, {"j": "US-NY", "d": "2016-05-04", "n": "=HYPERLINK(1)"}, me
    )
    before_birth = await gql.error(ADMISSION, {"j": "US-NY", "d": "1989-01-01"}, me)
    unknown = await gql.error(ADMISSION, {"j": "US-ZZ", "d": "2016-05-04"}, me)

    assert born_later["extensions"]["code"] == "INVALID_INPUT"
    assert formula["extensions"]["code"] == "INVALID_INPUT"
    assert before_birth["extensions"]["code"] == "INVALID_INPUT"
    assert unknown["extensions"]["code"] == "NOT_FOUND"
    data = await gql.data("{ bar_admissions { id } }", None, me)
    assert data == {"bar_admissions": []}


async def test_enrollment_keeps_the_release_studied_while_the_course_moves_on(
    gql, auth, world
):
    account = await factories.learner(auth, "cy@hartwell.example", world.firm)
    me = user_principal(account.pk)
    course = await approved_course(world.publisher, [], lessons=1, title="Edition 1")

    first = await gql.data(ENROLL, {"c": str(course.pk)}, me)
    await items.update_items(
        collections.get("courses"), [course.pk], {"title": "Edition 2"}, SYSTEM
    )
    await factories.published(course)
    again = await gql.data(ENROLL, {"c": str(course.pk)}, me)

    assert again["enroll"]["id"] == first["enroll"]["id"]
    assert [e["enroll"]["version"] for e in (first, again)] == [1, 1]
    # The course relation is the course as published now; the text studied
    # is that of the enrollment's release, read by its number.
    assert again["enroll"]["course"] == {"title": "Edition 2"}
    studied = await gql.data(
        'query($c: ID!) { courses_by_id(id: $c, version: "1") { title version } }',
        {"c": str(course.pk)},
        me,
    )
    assert studied == {"courses_by_id": {"title": "Edition 1", "version": 1}}
    assert await Enrollment.filter(user_id=account.pk).count() == 1


async def test_drafts_and_unknown_courses_cannot_be_enrolled_in(gql, auth, world):
    account = await factories.learner(auth, "di@hartwell.example", world.firm)
    draft = await factories.course(world.publisher, status="draft")

    error = await gql.error(ENROLL, {"c": str(draft.pk)}, user_principal(account.pk))
    anonymous = await gql.error(ENROLL, {"c": str(draft.pk)})

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert anonymous["extensions"]["code"] == "FORBIDDEN"


async def test_a_learner_cannot_touch_another_learners_enrollment(gql, auth, world):
    one = await factories.learner(auth, "one@hartwell.example", world.firm)
    two = await factories.learner(auth, "two@hartwell.example", world.firm)
    course = await approved_course(world.publisher, [], lessons=1)
    enrollment = await gql.data(ENROLL, {"c": str(course.pk)}, user_principal(one.pk))
    (lesson,) = await factories.lessons_of(course)

    error = await gql.error(
        COMPLETE,
        {"e": enrollment["enroll"]["id"], "l": str(lesson.pk)},
        user_principal(two.pk),
    )
    seen = await gql.data("{ enrollments { id } }", None, user_principal(two.pk))

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert seen == {"enrollments": []}


async def test_completion_writes_credit_where_an_approval_was_valid_that_day(
    gql, auth, world
):
    account = await factories.learner(
        auth,
        "eve@hartwell.example",
        world.firm,
        admissions=[
            {"jurisdiction": "US-NY", "admitted_on": "2012-02-01"},
            {"jurisdiction": "US-CA", "admitted_on": "2012-06-01"},
            {"jurisdiction": "US-TX", "admitted_on": "2013-06-01"},
        ],
    )
    me = user_principal(account.pk)
    course = await approved_course(
        world.publisher,
        [
            {
                "jurisdiction": "US-NY",
                "number": "NY-77",
                "credits": {"ethics": "1.00", "cybersecurity": "0.50"},
            },
            # Expired before today: California gives nothing for it.
            {
                "jurisdiction": "US-CA",
                "valid_until": "2021-12-31",
                "credits": {"general": "1.50"},
            },
            {
                "jurisdiction": "US-TX",
                "delivery": "live",
                "credits": {"general": "1.50"},
            },
        ],
        lessons=2,
    )
    enrollment = (await gql.data(ENROLL, {"c": str(course.pk)}, me))["enroll"]
    first, second = await factories.lessons_of(course)

    halfway = await gql.data(COMPLETE, {"e": enrollment["id"], "l": str(first.pk)}, me)
    done = await gql.data(COMPLETE, {"e": enrollment["id"], "l": str(second.pk)}, me)
    repeated = await gql.data(
        COMPLETE, {"e": enrollment["id"], "l": str(second.pk)}, me
    )

    assert halfway["complete_lesson"]["status"] == "active"
    assert done["complete_lesson"]["status"] == "completed"
    assert repeated == done
    ledger = sorted(
        (c.jurisdiction.code, c.category.value, c.hours, c.delivery.value, c.version)
        for c in await Credit.filter(user_id=account.pk).prefetch_related(
            "jurisdiction"
        )
    )
    assert ledger == [
        ("US-NY", "cybersecurity", Decimal("0.50"), "self_study", 1),
        ("US-NY", "ethics", Decimal("1.00"), "self_study", 1),
        ("US-TX", "general", Decimal("1.50"), "live", 1),
    ]
    transcript = await gql.data(
        "{ transcript { lines { jurisdiction category hours approval_number } "
        "totals { jurisdiction category hours } } }",
        None,
        me,
    )
    assert transcript["transcript"]["totals"] == [
        {"jurisdiction": "US-NY", "category": "cybersecurity", "hours": "0.50"},
        {"jurisdiction": "US-NY", "category": "ethics", "hours": "1.00"},
        {"jurisdiction": "US-TX", "category": "general", "hours": "1.50"},
    ]
    assert {
        "jurisdiction": "US-NY",
        "category": "ethics",
        "hours": "1.00",
        "approval_number": "NY-77",
    } in transcript["transcript"]["lines"]


async def test_lessons_outside_the_enrolled_release_are_refused(gql, auth, world):
    account = await factories.learner(auth, "fay@hartwell.example", world.firm)
    me = user_principal(account.pk)
    course = await approved_course(world.publisher, [], lessons=1)
    enrollment = (await gql.data(ENROLL, {"c": str(course.pk)}, me))["enroll"]
    other = await approved_course(world.publisher, [], lessons=1)
    (foreign,) = await factories.lessons_of(other)

    error = await gql.error(COMPLETE, {"e": enrollment["id"], "l": str(foreign.pk)}, me)

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "not part of release 1" in error["message"]


async def test_transcripts_are_for_the_learner_and_their_firms_admins(gql, auth, world):
    account = await factories.learner(auth, "gus@hartwell.example", world.firm)
    query = "query($u: ID) { transcript(user: $u) { last_name lines { hours } } }"
    variables = {"u": str(account.pk)}

    own = await gql.data(query, None, user_principal(account.pk))
    admin = await gql.data(query, variables, world.admin)
    other = await gql.error(query, variables, world.other_admin)
    publisher = await gql.error(query, variables, world.publisher_admin)

    assert own == admin == {"transcript": {"last_name": "Learner", "lines": []}}
    assert other["extensions"]["code"] == "NOT_FOUND"
    assert publisher["extensions"]["code"] == "NOT_FOUND"
