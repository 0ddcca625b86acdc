"""A course from draft to readers and back, through every part a front end meets.

lexstack runs on a real port with its webhook worker; editors and readers
speak GraphQL over HTTP, a channel follows over graphql-transport-ws and a
webhook receiver listens on loopback. The course is drafted, reviewed by a
second person, released, read by a channel, told to its feed, its webhook
and its subscription; edited without the published text changing; released
again; and rolled back.
"""

from typing import Any

import httpx

from app.models import Channel
from app.services import identity, webhooks
from app.settings import Settings
from permissions import SYSTEM
from tests import factories
from tests.subscriptions.helpers import event_of, running, subscribed
from tests.webhooks.conftest import Receiver

LESSON_BODY = "query($id: ID!, $v: String) { courses_by_id(id: $id, version: $v) "
LESSON_BODY += "{ version modules { lessons { body } } } }"


class Editor:
    """Someone speaking GraphQL over HTTP with a token, or none."""

    def __init__(self, client: httpx.AsyncClient, token: str | None) -> None:
        self.client, self.token = client, token

    async def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        return body["data"]


def body_of(data: dict[str, Any]) -> str | None:
    course = data["courses_by_id"]
    return course["modules"][0]["lessons"][0]["body"] if course else None


async def test_a_course_from_draft_to_channels_and_back(
    clean, auth, settings: Settings, receiver: Receiver
):
    org = await factories.organization(slug="lexcel")
    await factories.user(auth, "creator@lexcel.example", creator=org)
    await factories.user(auth, "reviewer@lexcel.example", reviewer=org)
    tokens = {
        who: (await auth.login(f"{who}@lexcel.example", factories.PASSWORD, "e2e"))
        for who in ("creator", "reviewer")
    }
    _, channel_token = await identity.create_channel_token(SYSTEM, org.pk, "app")
    channel = await Channel.get(organization_id=org.pk, name="app")
    webhook, secret = await webhooks.create_webhook(
        SYSTEM, channel.pk, receiver.url, allow_private=True
    )
    served = settings.model_copy(update={"webhook_allow_private": True})

    async with running(served) as ws_url:
        base = ws_url.replace("ws://", "http://").removesuffix("/graphql")
        async with (
            httpx.AsyncClient(base_url=base, timeout=30) as client,
            subscribed(ws_url, channel_token, after="0") as follower,
        ):
            creator = Editor(client, tokens["creator"].access_token)
            reviewer = Editor(client, tokens["reviewer"].access_token)
            app = Editor(client, channel_token)
            anyone = Editor(client, None)

            # A creator drafts a course.
            course = (
                await creator(
                    "mutation($d: create_courses_input!) "
                    "{ create_courses_item(data: $d) { id status } }",
                    d={
                        "organization": str(org.pk),
                        "title": "Breach Notification",
                        "slug": "breach-notification",
                        "level": "intermediate",
                        "format": "on_demand",
                        "credit_hours": "1.00",
                    },
                )
            )["create_courses_item"]
            module = (
                await creator(
                    "mutation($c: ID!) { create_modules_item(data: "
                    '{course: $c, title: "The first 72 hours", sort: 1}) { id } }',
                    c=course["id"],
                )
            )["create_modules_item"]
            lesson = (
                await creator(
                    "mutation($m: ID!) { create_lessons_item(data: {module: $m, "
                    'title: "Deadlines", kind: "reading", body: "Notify within '
                    '72 hours."}) { id revision } }',
                    m=module["id"],
                )
            )["create_lessons_item"]
            unseen = await anyone(LESSON_BODY, id=course["id"])

            # A second person reviews and publishes it.
            review = (
                await creator(
                    "mutation($c: ID!) { submit_course_for_review(course: $c) { id } }",
                    c=course["id"],
                )
            )["submit_course_for_review"]
            await reviewer(
                "mutation($r: ID!) { approve_review(review: $r) { status } }",
                r=review["id"],
            )
            first = (
                await reviewer(
                    "mutation($c: ID!) { publish_course(course: $c, "
                    'notes: "First edition") { version content_hash } }',
                    c=course["id"],
                )
            )["publish_course"]

            # Readers and the channel see the release; the channel is told.
            carried = await app("{ courses { id title version } }")
            published = await anyone(LESSON_BODY, id=course["id"])
            told = event_of(await follower.receive())

            # The creator edits; readers keep the published text.
            await creator(
                "mutation($id: ID!, $d: update_lessons_input!, $r: ID) "
                "{ update_lessons_item(id: $id, data: $d, revision: $r) { id } }",
                id=lesson["id"],
                d={"body": "Notify within 72 hours, unless unlikely to harm."},
                r=lesson["revision"],
            )
            still = await anyone(LESSON_BODY, id=course["id"])
            draft = await creator(LESSON_BODY, id=course["id"], v="draft")

            # The second edition goes through review and out.
            review = (
                await creator(
                    "mutation($c: ID!) { submit_course_for_review(course: $c) { id } }",
                    c=course["id"],
                )
            )["submit_course_for_review"]
            await reviewer(
                "mutation($r: ID!) { approve_review(review: $r) { status } }",
                r=review["id"],
            )
            await reviewer(
                "mutation($c: ID!) { publish_course(course: $c) { version } }",
                c=course["id"],
            )
            second = await app(LESSON_BODY, id=course["id"])
            updated = event_of(await follower.receive())
            diff = await anyone(
                "query($c: ID!) { release_diff(course: $c, before: 1, after: 2) }",
                c=course["id"],
            )

            # And is rolled back: the first text as a third release.
            await reviewer(
                "mutation($c: ID!) { rollback_course(course: $c, version: 1) "
                "{ version rollback_of } }",
                c=course["id"],
            )
            rolled = await app(LESSON_BODY, id=course["id"])
            pinned = await anyone(LESSON_BODY, id=course["id"], v="2")
            back = event_of(await follower.receive())
            feed = await app("{ channel_feed { events { kind version } } }")
            await receiver.until(3)

    assert course["status"] == "draft"
    assert unseen == {"courses_by_id": None}
    assert first["version"] == 1 and len(first["content_hash"]) == 64
    assert carried == {
        "courses": [{"id": course["id"], "title": "Breach Notification", "version": 1}]
    }
    assert body_of(published) == "Notify within 72 hours."
    assert (told["kind"], told["course"], told["version"]) == (
        "published",
        course["id"],
        1,
    )
    assert told["content_hash"] == first["content_hash"]
    assert body_of(still) == "Notify within 72 hours."
    assert body_of(draft) == "Notify within 72 hours, unless unlikely to harm."
    assert body_of(second) == "Notify within 72 hours, unless unlikely to harm."
    assert second["courses_by_id"]["version"] == 2
    assert (updated["kind"], updated["version"]) == ("updated", 2)
    assert [change["change"] for change in diff["release_diff"]] == ["changed"]
    assert diff["release_diff"][0]["path"].endswith(".body")
    assert body_of(rolled) == "Notify within 72 hours."
    assert rolled["courses_by_id"]["version"] == 3
    assert body_of(pinned) == "Notify within 72 hours, unless unlikely to harm."
    assert (back["kind"], back["version"]) == ("updated", 3)
    assert feed["channel_feed"]["events"] == [
        {"kind": "published", "version": 1},
        {"kind": "updated", "version": 2},
        {"kind": "updated", "version": 3},
    ]
    # Every event reached the webhook, signed with its secret, once each.
    delivered = [r.payload for r in receiver.requests]
    assert [(p["kind"], p["version"]) for p in delivered] == [
        ("published", 1),
        ("updated", 2),
        ("updated", 3),
    ]
    assert all(r.signed_by(secret) for r in receiver.requests)
    assert len({r.headers["idempotency-key"] for r in receiver.requests}) == 3
    assert {p["course"] for p in delivered} == {course["id"]}
    assert webhook.channel_id == channel.pk
