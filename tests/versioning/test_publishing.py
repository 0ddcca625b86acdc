"""A course from draft through review to releases, rollback and withdrawal."""

import pytest

from app.models import Course, Release
from app.services.auth import user_principal
from app.services.publishing import content_hash
from permissions import policies
from tests import factories

SUBMIT = "mutation($c: ID!) { submit_course_for_review(course: $c) { id status } }"
APPROVE = "mutation($r: ID!) { approve_review(review: $r) { status } }"
PUBLISH = (
    "mutation($c: ID!, $n: String) { publish_course(course: $c, notes: $n) "
    "{ version content_hash document notes } }"
)
EDIT = (
    "mutation($id: ID!, $d: update_lessons_input!) "
    "{ update_lessons_item(id: $id, data: $d) { id } }"
)


@pytest.fixture
async def desk(gql, auth):
    """A publisher with a creator and a reviewer, and a draft course."""
    org = await factories.organization(slug="home")
    creator = await factories.user(auth, "creator@home.example", creator=org)
    reviewer = await factories.user(auth, "reviewer@home.example", reviewer=org)
    course = await factories.course_tree(
        org, modules=1, lessons=2, status="draft", title="GDPR essentials"
    )
    quiz = await factories.make("assessments", course=course, title="Q", kind="quiz")
    question = await factories.make(
        "questions",
        assessment=quiz,
        kind="short_answer",
        prompt="Deadline?",
        answer_key={"accepted": ["72 hours"]},
        grading_notes="Art. 33",
    )
    await factories.make("choices", question=question, label="x", is_correct=True)
    lesson = await factories.make(
        "lessons",
        module=await course.modules.all().first(),
        title="Extra",
        kind="reading",
        body="v1",
        sort=9,
    )
    return {
        "course": course,
        "lesson": lesson,
        "creator": user_principal(creator.pk),
        "reviewer": user_principal(reviewer.pk),
    }


async def review_and_publish(gql, desk, notes=None):
    course = str(desk["course"].pk)
    review = await gql.data(SUBMIT, {"c": course}, desk["creator"])
    await gql.data(
        APPROVE, {"r": review["submit_course_for_review"]["id"]}, desk["reviewer"]
    )
    return (await gql.data(PUBLISH, {"c": course, "n": notes}, desk["reviewer"]))[
        "publish_course"
    ]


async def test_a_reviewed_course_is_published_as_a_release(gql, desk):
    release = await review_and_publish(gql, desk, notes="First edition")

    document = release["document"]
    assert release["version"] == 1 and release["notes"] == "First edition"
    assert release["content_hash"] == content_hash(document)
    assert document["title"] == "GDPR essentials"
    assert [len(m["lessons"]) for m in document["modules"]] == [3]
    question = document["assessments"][0]["questions"][0]
    # Answer keys never leave in a release.
    assert "answer_key" not in question and "grading_notes" not in question
    assert "is_correct" not in question["choices"][0]
    course = await Course.get(id=desk["course"].pk)
    assert course.status == "published"


async def test_an_edit_after_approval_voids_it(gql, desk):
    course = str(desk["course"].pk)
    review = await gql.data(SUBMIT, {"c": course}, desk["creator"])
    await gql.data(
        APPROVE, {"r": review["submit_course_for_review"]["id"]}, desk["reviewer"]
    )
    await gql.data(
        EDIT, {"id": str(desk["lesson"].pk), "d": {"body": "v2"}}, desk["creator"]
    )

    error = await gql.error(PUBLISH, {"c": course}, desk["reviewer"])

    assert error["extensions"]["code"] == "CONFLICT"
    assert await Release.filter(course_id=desk["course"].pk).count() == 0


async def test_a_reviewer_cannot_approve_their_own_change(gql, auth, desk):
    org = await desk["course"].organization
    both = await factories.user(auth, "both@home.example", creator=org)
    await policies.grant(f"user:{both.pk}", "reviewer", str(org.pk))
    author = user_principal(both.pk)
    course = str(desk["course"].pk)
    await gql.data(
        EDIT, {"id": str(desk["lesson"].pk), "d": {"body": "theirs"}}, author
    )
    review = await gql.data(SUBMIT, {"c": course}, desk["creator"])
    review_id = review["submit_course_for_review"]["id"]

    refused = await gql.error(APPROVE, {"r": review_id}, author)
    approved = await gql.data(APPROVE, {"r": review_id}, desk["reviewer"])

    assert refused["extensions"]["code"] == "FORBIDDEN"
    assert refused["message"] == "A reviewer may not decide on changes they authored."
    assert approved == {"approve_review": {"status": "approved"}}


async def test_publishing_the_same_content_twice_is_refused(gql, desk):
    await review_and_publish(gql, desk)
    course = str(desk["course"].pk)
    review = await gql.data(SUBMIT, {"c": course}, desk["creator"])
    await gql.data(
        APPROVE, {"r": review["submit_course_for_review"]["id"]}, desk["reviewer"]
    )

    error = await gql.error(PUBLISH, {"c": course}, desk["reviewer"])

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert "already has this content" in error["message"]


async def test_new_versions_diff_and_roll_back(gql, desk):
    first = await review_and_publish(gql, desk)
    await gql.data(
        EDIT, {"id": str(desk["lesson"].pk), "d": {"body": "v2"}}, desk["creator"]
    )
    second = await review_and_publish(gql, desk)
    course = str(desk["course"].pk)

    changes = await gql.data(
        "query($c: ID!) { release_diff(course: $c, before: 1, after: 2) }",
        {"c": course},
        desk["creator"],
    )
    rolled = await gql.data(
        "mutation($c: ID!) { rollback_course(course: $c, version: 1) "
        "{ version rollback_of content_hash } }",
        {"c": course},
        desk["reviewer"],
    )

    lesson = str(desk["lesson"].pk)
    module = second["document"]["modules"][0]["id"]
    assert second["version"] == 2
    assert changes["release_diff"] == [
        {
            "path": f"modules[{module}].lessons[{lesson}].body",
            "change": "changed",
            "before": "v1",
            "after": "v2",
        }
    ]
    assert rolled["rollback_course"] == {
        "version": 3,
        "rollback_of": 1,
        "content_hash": first["content_hash"],
    }


async def test_creators_cannot_approve_or_publish(gql, desk):
    course = str(desk["course"].pk)
    review = await gql.data(SUBMIT, {"c": course}, desk["creator"])

    approve = await gql.error(
        APPROVE, {"r": review["submit_course_for_review"]["id"]}, desk["creator"]
    )
    publish = await gql.error(PUBLISH, {"c": course}, desk["creator"])

    assert approve["extensions"]["code"] == "FORBIDDEN"
    assert publish["extensions"]["code"] == "FORBIDDEN"


async def test_withdrawn_courses_leave_the_catalogue(gql, desk):
    await review_and_publish(gql, desk)
    course = str(desk["course"].pk)
    seen = await gql.data("{ courses { title } releases { version } }")

    await gql.data(
        "mutation($c: ID!) { withdraw_course(course: $c) { status } }",
        {"c": course},
        desk["reviewer"],
    )
    gone = await gql.data("{ courses { title } releases { version } }")

    assert seen == {
        "courses": [{"title": "GDPR essentials"}],
        "releases": [{"version": 1}],
    }
    assert gone == {"courses": [], "releases": []}


async def test_requesting_changes_needs_a_comment_and_blocks_publishing(gql, desk):
    course = str(desk["course"].pk)
    review = await gql.data(SUBMIT, {"c": course}, desk["creator"])
    review_id = review["submit_course_for_review"]["id"]
    ask = "mutation($r: ID!, $m: String!) { request_changes(review: $r, comment: $m) "
    ask += "{ status comment } }"

    empty = await gql.error(ask, {"r": review_id, "m": "  "}, desk["reviewer"])
    sent = await gql.data(ask, {"r": review_id, "m": "Cite Art. 33."}, desk["reviewer"])
    publish = await gql.error(PUBLISH, {"c": course}, desk["reviewer"])

    assert empty["extensions"]["code"] == "INVALID_INPUT"
    assert sent == {
        "request_changes": {"status": "changes_requested", "comment": "Cite Art. 33."}
    }
    assert publish["extensions"]["code"] == "CONFLICT"


FEED = (
    "query($after: String) { channel_feed(after: $after) "
    "{ events { cursor kind version course } next_cursor } }"
)


async def test_the_change_feed_lists_releases_and_withdrawals_in_order(gql, desk):
    from app.models import Channel
    from app.services import identity
    from permissions import SYSTEM, Principal, PrincipalKind

    org = await desk["course"].organization
    token, _ = await identity.create_channel_token(SYSTEM, org.pk, "app")
    app = await Channel.get(organization_id=org.pk, name="app")
    channel = Principal(
        kind=PrincipalKind.CHANNEL,
        id=token.pk,
        organization_id=org.pk,
        channel_id=app.pk,
    )
    elsewhere = await factories.organization(slug="elsewhere")
    theirs = await factories.course(elsewhere, status="draft")
    from app.services import publishing

    course = str(desk["course"].pk)
    await review_and_publish(gql, desk)
    start = (await gql.data(FEED, {"after": None}, channel))["channel_feed"]
    await gql.data(
        EDIT, {"id": str(desk["lesson"].pk), "d": {"body": "v2"}}, desk["creator"]
    )
    await review_and_publish(gql, desk)
    review = await publishing.submit(SYSTEM, theirs.pk, None)
    await publishing.decide(SYSTEM, review.pk, approve=True, comment=None)
    await publishing.publish(SYSTEM, theirs.pk, None)
    await gql.data(
        "mutation($c: ID!) { withdraw_course(course: $c) { id } }",
        {"c": course},
        desk["reviewer"],
    )
    rest = (await gql.data(FEED, {"after": start["next_cursor"]}, channel))[
        "channel_feed"
    ]
    anonymous = await gql.error(FEED, {"after": None})

    assert [(e["kind"], e["version"], e["course"]) for e in start["events"]] == [
        ("published", 1, course)
    ]
    assert [(e["kind"], e["version"]) for e in rest["events"]] == [
        ("updated", 2),
        ("withdrawn", None),
    ]
    cursors = [int(e["cursor"]) for e in start["events"] + rest["events"]]
    assert cursors == sorted(cursors) and rest["next_cursor"] == str(cursors[-1])
    assert anonymous["extensions"]["code"] == "FORBIDDEN"
