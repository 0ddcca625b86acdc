"""Published reads from releases, and what each channel carries and follows."""

import pytest

from app.models import CatalogEntry, Channel, ChannelPin
from app.services import collections, identity, items
from permissions import ANONYMOUS, SYSTEM
from tests import factories

COURSES = '{ courses(sort: ["title"]) { title version } }'
FEED = "{ channel_feed { events { kind course version } } }"


@pytest.fixture
async def shelf(clean, auth):
    """A publisher with a privacy course and an ethics course, both published."""
    org = await factories.organization()
    privacy = await factories.make(
        "practice_areas", organization=org, name="Privacy", slug="privacy"
    )
    ethics = await factories.make(
        "practice_areas", organization=org, name="Ethics", slug="ethics"
    )
    courses = {}
    for title, area in (("GDPR", privacy), ("Candour", ethics)):
        course = await factories.course_tree(org, modules=1, lessons=1, title=title)
        await factories.make(
            "courses_practice_areas", course=course, practice_area=area
        )
        await factories.published(course, notes="with its practice area")
        courses[title] = course
    return org, courses


async def channel(auth, org, name: str, selection=None):
    """A channel token's principal, for a channel with the given selection."""
    _, secret = await identity.create_channel_token(SYSTEM, org.pk, name)
    await Channel.filter(organization_id=org.pk, name=name).update(selection=selection)
    return await auth.principal(f"Bearer {secret}")


async def edit(collection: str, item, **values) -> None:
    await items.update_items(collections.get(collection), [item.pk], values, SYSTEM)


async def test_a_channel_carries_only_its_selection(gql, auth, shelf):
    org, courses = shelf
    privacy = {"practice_areas": {"practice_area": {"slug": {"_eq": "privacy"}}}}
    narrow = await channel(auth, org, "privacy-app", privacy)
    wide = await channel(auth, org, "all-courses")

    carried = await gql.data(COURSES, principal=narrow)
    everything = await gql.data(COURSES, principal=wide)
    by_id = await gql.data(
        "query($id: ID!) { courses_by_id(id: $id) { title } }",
        {"id": str(courses["Candour"].pk)},
        narrow,
    )

    assert carried == {"courses": [{"title": "GDPR", "version": 2}]}
    assert [c["title"] for c in everything["courses"]] == ["Candour", "GDPR"]
    assert by_id == {"courses_by_id": None}


async def test_a_channel_feed_has_the_events_of_what_it_carries(gql, auth, shelf):
    org, courses = shelf
    privacy = {"practice_areas": {"practice_area": {"slug": {"_eq": "privacy"}}}}
    narrow = await channel(auth, org, "privacy-app", privacy)
    wide = await channel(auth, org, "all-courses")

    for course in courses.values():
        await edit("courses", course, summary="Second edition")
        await factories.published(course)
    await factories.withdraw(courses["GDPR"])

    narrow_feed = await gql.data(FEED, principal=narrow)
    wide_feed = await gql.data(FEED, principal=wide)

    gdpr, candour = str(courses["GDPR"].pk), str(courses["Candour"].pk)
    assert narrow_feed["channel_feed"]["events"] == [
        {"kind": "updated", "course": gdpr, "version": 3},
        {"kind": "withdrawn", "course": gdpr, "version": None},
    ]
    assert [(e["kind"], e["course"]) for e in wide_feed["channel_feed"]["events"]] == [
        ("updated", gdpr),
        ("updated", candour),
        ("withdrawn", gdpr),
    ]


async def test_a_pinned_course_stays_at_its_version(gql, auth, shelf):
    org, courses = shelf
    gdpr = courses["GDPR"]
    pinned = await channel(auth, org, "intranet")
    app = await Channel.get(organization_id=org.pk, name="intranet")
    await factories.make(
        "channel_pins", organization=org, channel=app, course=gdpr, version=2
    )
    await edit("courses", gdpr, title="GDPR, third edition")
    await factories.published(gdpr)

    held = await gql.data(COURSES, principal=pinned)
    anyone = await gql.data(COURSES)
    await ChannelPin.filter(channel_id=app.pk).delete()
    released = await gql.data(COURSES, principal=pinned)
    await factories.withdraw(gdpr)
    await factories.make(
        "channel_pins", organization=org, channel=app, course=gdpr, version=2
    )
    withdrawn = await gql.data(COURSES, principal=pinned)

    assert held == {
        "courses": [{"title": "Candour", "version": 2}, {"title": "GDPR", "version": 2}]
    }
    assert anyone["courses"][1] == {"title": "GDPR, third edition", "version": 3}
    assert released["courses"][1] == {"title": "GDPR, third edition", "version": 3}
    assert withdrawn == {"courses": [{"title": "Candour", "version": 2}]}


async def test_published_text_changes_only_with_the_next_release(gql, shelf, system):
    _, courses = shelf
    gdpr = courses["GDPR"]
    lesson = (await factories.lessons_of(gdpr))[0]
    query = (
        "query($v: String) { courses(version: $v, "
        'filter: {title: {_eq: "GDPR"}}) { modules { lessons { body } } } }'
    )
    body = lambda data: data["courses"][0]["modules"][0]["lessons"][0]["body"]  # noqa: E731

    await edit("lessons", lesson, body="Revised guidance")
    before = await gql.data(query, {"v": None})
    draft = await gql.data(query, {"v": "draft"}, system)
    await factories.published(gdpr)
    after = await gql.data(query, {"v": None})
    first = await gql.data(query, {"v": "1"})

    assert body(before) is None
    assert body(draft) == "Revised guidance"
    assert body(after) == "Revised guidance"
    assert first == {"courses": [{"modules": [{"lessons": [{"body": None}]}]}]}


async def test_drafts_never_reach_channels_or_anonymous_readers(gql, auth, shelf):
    org, _ = shelf
    reader = await channel(auth, org, "app")
    draft = '{ courses(version: "draft") { title } }'

    for principal in (reader, ANONYMOUS):
        error = await gql.error(draft, principal=principal)
        assert error["extensions"]["code"] == "FORBIDDEN"
        assert "version" in error["message"]


async def test_filters_on_the_course_tree_are_met_from_the_documents(gql, shelf):
    by_lesson = (
        '{ courses(filter: {modules: {lessons: {title: {_eq: "Lesson 1.1"}}}}, '
        'sort: ["-title"]) { title } }'
    )
    by_publisher = '{ lessons(filter: {module: {course: {title: {_eq: "GDPR"}}}}) '
    by_publisher += "{ title module { course { title } } } }"

    courses = await gql.data(by_lesson)
    lessons = await gql.data(by_publisher)

    assert courses == {"courses": [{"title": "GDPR"}, {"title": "Candour"}]}
    assert lessons == {
        "lessons": [{"title": "Lesson 1.1", "module": {"course": {"title": "GDPR"}}}]
    }


async def test_a_selection_is_a_filter_over_catalog_fields(gql, shelf, system):
    org, _ = shelf
    create = (
        "mutation($d: create_channels_input!) "
        "{ create_channels_item(data: $d) { name } }"
    )

    unknown = await gql.error(
        create,
        {"d": {"organization": str(org.pk), "name": "x", "selection": {"nope": 1}}},
        system,
    )
    fine = await gql.data(
        create,
        {
            "d": {
                "organization": str(org.pk),
                "name": "advanced",
                "selection": {"level": {"_eq": "advanced"}},
            }
        },
        system,
    )

    assert unknown["extensions"]["code"] == "INVALID_INPUT"
    assert "selection" in unknown["message"]
    assert not await Channel.filter(name="x").exists()
    assert fine == {"create_channels_item": {"name": "advanced"}}


async def test_catalog_rows_follow_releases_and_withdrawals(shelf):
    _, courses = shelf
    gdpr = courses["GDPR"]

    await factories.withdraw(gdpr)
    after_withdrawal = await CatalogEntry.filter(course_id=gdpr.pk).values(
        "version", "current"
    )

    assert sorted((r["version"], r["current"]) for r in after_withdrawal) == [
        (1, False),
        (2, False),
    ]


async def test_published_parts_aggregate_over_releases_only(gql, shelf, system):
    _, courses = shelf
    module = await factories.make(
        "modules", course=courses["GDPR"], title="Unreleased", sort=9
    )
    await factories.make(
        "lessons",
        module=module,
        title="Draft lesson",
        kind="video",
        sort=1,
        duration_minutes=45,
    )
    query = (
        'query($v: String) { lessons_aggregated(version: $v, groupBy: ["kind"]) '
        "{ group countAll sum { duration_minutes } max { duration_minutes } } }"
    )
    keys = '{ choices_aggregated(groupBy: ["is_correct"]) { countAll } }'

    published = await gql.data(query, {"v": None})
    draft = await gql.data(query, {"v": "draft"}, system)
    refused = await gql.error(keys)

    assert published == {
        "lessons_aggregated": [
            {
                "group": {"kind": "reading"},
                "countAll": 2,
                "sum": {"duration_minutes": 20},
                "max": {"duration_minutes": 10},
            }
        ]
    }
    assert [row["group"]["kind"] for row in draft["lessons_aggregated"]] == [
        "reading",
        "video",
    ]
    assert refused["extensions"]["code"] == "INVALID_INPUT"
