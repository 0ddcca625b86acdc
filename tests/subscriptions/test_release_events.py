"""release_events over a real WebSocket: who hears what, replay, and the bounds."""

from tortoise.transactions import in_transaction

from app.models import ChangeEvent, Course
from app.models.enums import ChangeKind
from app.services import events, feed, publishing
from permissions import SYSTEM, policies
from tests import factories
from tests.subscriptions.conftest import latest
from tests.subscriptions.helpers import event_of, running, subscribed


async def test_a_channel_hears_only_what_its_channel_carries(desk, url):
    before = [
        await desk.release(level="intermediate"),
        await desk.release(level="advanced"),
    ]

    async with (
        subscribed(url, desk.tokens["everything"], after="0") as everything,
        subscribed(url, desk.tokens["advanced"], after="0") as advanced,
    ):
        replayed_everything = [event_of(await everything.receive()) for _ in "ab"]
        replayed_advanced = [event_of(await advanced.receive())]
        live = [
            await desk.release(level="intermediate"),
            await desk.release(level="advanced"),
        ]
        live_everything = [event_of(await everything.receive()) for _ in "ab"]
        live_advanced = [event_of(await advanced.receive())]

    assert replayed_everything == before
    assert replayed_advanced == [before[1]]
    assert live_everything == live
    assert live_advanced == [live[1]]


async def test_after_replays_the_feed_then_continues_live(desk, url):
    first = await desk.release(title="Ethics in practice")
    second = await desk.release(title="Data protection")

    async with subscribed(url, desk.tokens["reviewer"], after=first["cursor"]) as c:
        replayed = event_of(await c.receive())
        await publishing.withdraw(desk.reviewer, first["course"])
        withdrawn = event_of(await c.receive())

    assert replayed == second
    assert replayed["kind"] == "published" and replayed["version"] == 1
    assert withdrawn == await latest(first["course"])
    assert withdrawn["kind"] == "withdrawn"
    assert withdrawn["version"] is None and withdrawn["content_hash"] is None
    assert int(withdrawn["cursor"]) > int(second["cursor"])


async def test_a_new_release_of_a_course_is_an_update(desk, url):
    first = await desk.release()
    course = await Course.get(id=first["course"])
    module = (await course.modules.all())[0]

    async with subscribed(url, desk.tokens["everything"], after="0") as client:
        assert event_of(await client.receive()) == first
        await factories.make(
            "lessons", module=module, title="Addendum", kind="reading", sort=5
        )
        review = await publishing.submit(desk.creator, course.pk, None)
        await publishing.decide(desk.reviewer, review.pk, approve=True, comment=None)
        release = await publishing.publish(desk.reviewer, course.pk, None)
        update = event_of(await client.receive())

    assert update == await latest(course.pk)
    assert update["kind"] == "updated"
    assert update["version"] == 2 == release.version
    assert update["content_hash"] == release.content_hash


async def test_a_consumer_that_falls_behind_is_ended_with_its_cursor(desk, settings):
    first = await desk.release()
    course = await Course.get(id=first["course"])
    channel = desk.channels["everything"].pk
    bounded = settings.model_copy(update={"subscription_queue_size": 2})

    async with (
        running(bounded) as url,
        subscribed(url, desk.tokens["everything"], after="0") as client,
    ):
        assert event_of(await client.receive()) == first
        burst = []
        for _ in range(5):
            async with in_transaction():
                burst.append(
                    await feed.record(course, ChangeKind.UPDATED, None, [channel])
                )
        # Announced back to back, without yielding to the server: the
        # subscriber's queue takes two and the third overflows it.
        for event in burst:
            await events.announce(feed.payload(event, [channel]))
        heard = [event_of(await client.receive()) for _ in "ab"]
        ended = await client.receive()
        complete = await client.receive()

    assert [e["cursor"] for e in heard] == [str(e.id) for e in burst[:2]]
    assert ended == {
        "id": "1",
        "type": "next",
        "payload": {
            "data": None,
            "errors": [
                {
                    "message": "More than 2 events waited for this subscription; "
                    "subscribe again with the cursor in `after`.",
                    "extensions": {
                        "code": "LIMIT_EXCEEDED",
                        "after": heard[1]["cursor"],
                    },
                }
            ],
        },
    }
    assert complete == {"id": "1", "type": "complete"}


async def test_a_revoked_role_ends_the_subscription(desk, url):
    first = await desk.release()
    reviewer = str(desk.reviewer.id)

    async with subscribed(url, desk.tokens["reviewer"], after="0") as client:
        assert event_of(await client.receive()) == first
        await policies.revoke(f"user:{reviewer}", "reviewer", str(desk.org.pk))
        await desk.release(reviewer=SYSTEM)
        ended = await client.receive()
        complete = await client.receive()

    assert ended == {
        "id": "1",
        "type": "next",
        "payload": {
            "data": None,
            "errors": [
                {
                    "message": "You may not follow release events.",
                    "extensions": {"code": "FORBIDDEN"},
                }
            ],
        },
    }
    assert complete == {"id": "1", "type": "complete"}
    assert await ChangeEvent.all().count() == 2


async def test_users_follow_the_organizations_whose_feed_they_read(desk, url):
    first = await desk.release()

    async with subscribed(url, desk.tokens["reviewer"], after="0") as reviewer:
        heard = event_of(await reviewer.receive())
    async with subscribed(url, desk.tokens["learner"], after="0") as learner:
        refused = await learner.receive()
    async with subscribed(url, None, after="0") as anonymous:
        refused_anonymous = await anonymous.receive()

    assert heard == first
    for message in (refused, refused_anonymous):
        assert message == {
            "id": "1",
            "type": "error",
            "payload": [
                {
                    "message": "You may not follow release events.",
                    "locations": [{"line": 1, "column": 32}],
                    "path": ["release_events"],
                    "extensions": {"code": "FORBIDDEN"},
                }
            ],
        }
