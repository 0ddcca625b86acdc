"""Every change records a revision; updates based on an old revision conflict."""

import asyncio

from app.models import Activity, Course, Revision
from app.services import collections, items
from app.services.auth import user_principal
from tests import factories

UPDATE = """mutation($id: ID!, $d: update_courses_input!, $rev: ID) {
  update_courses_item(id: $id, data: $d, revision: $rev) { title revision }
}"""


async def editor(auth, org, email="creator@home.example"):
    account = await factories.user(auth, email, creator=org)
    return user_principal(account.pk)


async def test_create_update_delete_are_recorded_with_who_and_what(gql, auth):
    org = await factories.organization()
    creator = await editor(auth, org)
    course = await factories.course(org, title="Before", status="draft")

    await gql.data(UPDATE, {"id": str(course.pk), "d": {"title": "After"}}, creator)
    await gql.data(
        "mutation($id: ID!) { delete_courses_item(id: $id) { id } }",
        {"id": str(course.pk)},
        creator,
    )

    history = await Revision.filter(item=course.pk).order_by("date_created")
    assert [r.action for r in history] == ["create", "update", "delete"]
    assert history[0].user_created is None and history[0].data["title"] == "Before"
    assert history[1].user_created == creator.id
    assert history[1].before == {"title": "Before"}
    assert history[1].after == {"title": "After"}
    assert history[2].data["title"] == "After" and history[2].after is None
    activity = await Activity.filter(item=course.pk).order_by("date_created")
    assert [(a.action, a.revision_id) for a in activity] == [
        (r.action, r.pk) for r in history
    ]


async def test_an_update_that_changes_nothing_records_nothing(gql, auth):
    org = await factories.organization()
    creator = await editor(auth, org)
    course = await factories.course(org, title="Same", status="draft")

    await gql.data(UPDATE, {"id": str(course.pk), "d": {"title": "Same"}}, creator)

    assert await Revision.filter(item=course.pk).count() == 1


async def test_an_update_based_on_an_old_revision_conflicts(gql, auth):
    org = await factories.organization()
    creator = await editor(auth, org)
    course = await factories.course(org, title="v1", status="draft")
    seen = (
        await gql.data(
            'query($id: ID!) { courses_by_id(id: $id, version: "draft") { revision } }',
            {"id": str(course.pk)},
            creator,
        )
    )["courses_by_id"]["revision"]

    first = await gql.data(
        UPDATE, {"id": str(course.pk), "d": {"title": "v2"}, "rev": seen}, creator
    )
    second = await gql.error(
        UPDATE, {"id": str(course.pk), "d": {"title": "v2b"}, "rev": seen}, creator
    )

    assert first["update_courses_item"]["title"] == "v2"
    assert first["update_courses_item"]["revision"] != seen
    assert second["extensions"]["code"] == "CONFLICT"
    assert second["extensions"]["revision"] == first["update_courses_item"]["revision"]
    assert second["extensions"]["current"]["title"] == "v2"
    assert "nothing was written" in second["message"]
    assert (await Course.get(id=course.pk)).title == "v2"


async def test_revisions_are_for_editors_only(gql, auth):
    org = await factories.organization()
    await factories.course(org)

    listed = await gql.error("{ revisions { id } }")
    activity = await gql.error("{ activity { id } }")

    assert listed["extensions"]["code"] == "FORBIDDEN"
    assert activity["extensions"]["code"] == "FORBIDDEN"


async def test_a_row_names_its_latest_revision(gql, auth):
    org = await factories.organization()
    creator = await editor(auth, org)
    course = await factories.course(org, title="v1", status="draft")

    data = await gql.data(UPDATE, {"id": str(course.pk), "d": {"title": "v2"}}, creator)

    newest = await Revision.filter(item=course.pk).order_by("-date_created").first()
    assert data["update_courses_item"]["revision"] == str(newest.pk)
    assert newest.after == {"title": "v2"}


async def test_revert_brings_back_a_recorded_state(gql, auth):
    org = await factories.organization()
    creator = await editor(auth, org)
    course = await factories.course(org, title="Original", summary="s1", status="draft")
    await gql.data(
        UPDATE,
        {"id": str(course.pk), "d": {"title": "Edited", "summary": "s2"}},
        creator,
    )
    created = await Revision.get(item=course.pk, action="create")

    data = await gql.data(
        "mutation($id: ID!) { revert_revision(id: $id) { action after } }",
        {"id": str(created.pk)},
        creator,
    )

    stored = await Course.get(id=course.pk)
    assert (stored.title, stored.summary) == ("Original", "s1")
    assert data["revert_revision"] == {
        "action": "update",
        "after": {"title": "Original", "summary": "s1"},
    }
    last = await Activity.filter(item=course.pk).order_by("-date_created").first()
    assert last.comment == f"revert to revision {created.pk}"


async def test_concurrent_editors_lose_no_accepted_change(auth, clean):
    """Editors race to append to the same field, each building on what it read.

    Every accepted update was based on the latest revision, so every editor's
    mark survives exactly once; the losers of a race get CONFLICT and retry.
    """
    org = await factories.organization()
    course = await factories.course(org, summary="", status="draft")
    courses = collections.get("courses")
    editors = [await editor(auth, org, f"e{n}@home.example") for n in range(6)]
    conflicts = 0

    async def edit(n: int, principal) -> None:
        nonlocal conflicts
        for _ in range(200):
            # One read gives the text and the revision it belongs to.
            row = await Course.get(id=course.pk)
            try:
                await items.update_items(
                    courses,
                    [course.pk],
                    {"summary": f"{row.summary}[{n}]"},
                    principal,
                    based_on=row.revision,
                )
                return
            except Exception as exc:
                if getattr(exc, "code", None) != "CONFLICT":
                    raise
                conflicts += 1
                await asyncio.sleep(0)
        raise AssertionError(f"editor {n} never got through")

    await asyncio.gather(*(edit(n, p) for n, p in enumerate(editors)))

    summary = (await Course.get(id=course.pk)).summary
    assert sorted(summary.replace("][", "] [").split()) == [f"[{n}]" for n in range(6)]
    assert await Revision.filter(item=course.pk, action="update").count() == 6
    # The editors did race: some updates were refused and retried.
    assert conflicts > 0
