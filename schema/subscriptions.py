"""The Subscription type: release events as they happen, over graphql-transport-ws."""

from collections.abc import AsyncGenerator
from typing import Any

import strawberry

from app.services.subscriptions import Follower
from schema.publishing import ChangeEventType


def subscription_type(queue_size: int) -> type:
    """The root Subscription type; each subscriber holds at most `queue_size` events."""

    async def release_events(
        info: strawberry.Info, after: str | None = None
    ) -> AsyncGenerator[ChangeEventType, None]:
        # Checked before the stream starts, so a refusal is the protocol's
        # `error` message for the operation, not an event.
        follower = Follower(info.context.principal, after, queue_size)
        return _shaped(follower.events())

    namespace = {
        "release_events": strawberry.subscription(
            resolver=release_events,
            description="Courses published, updated or withdrawn, as it happens; "
            "with `after`, first those after that cursor. A channel follows its "
            "own channel's events.",
        )
    }
    return strawberry.type(type("Subscription", (), namespace), name="Subscription")


async def _shaped(
    events: AsyncGenerator[dict[str, Any], None],
) -> AsyncGenerator[ChangeEventType, None]:
    try:
        async for event in events:
            yield ChangeEventType(
                cursor=event["cursor"],
                kind=event["kind"],
                course=strawberry.ID(event["course"]),
                version=event["version"],
                content_hash=event["content_hash"],
                date=event["date"],
            )
    finally:
        await events.aclose()
