"""The change feed: what was published, updated or withdrawn since a cursor."""

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from tortoise import connections
from tortoise.expressions import Subquery

from app.errors import Forbidden, InvalidInput
from app.models import ChangeEvent, ChannelEvent, Course, Webhook, WebhookDelivery
from app.models.enums import ChangeKind
from permissions import ALL, Action, Principal, PrincipalKind, organizations

FEED = "feed"
MAX_PAGE = 500


async def record(
    course: Course,
    kind: ChangeKind,
    release: Any = None,
    channels: Sequence[uuid.UUID] = (),
) -> ChangeEvent:
    """Append an event; call inside the transaction of the change it describes.

    `channels` are those the course stands on (or stood on, for a
    withdrawal): each gets the event in its feed, and each of their active
    webhooks a delivery in the outbox, in this same transaction.
    """
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        # Ids come from a sequence, in the order transactions ask, not the
        # order they commit. Holding this lock until commit makes the two
        # agree, so a reader's cursor never passes an event still in flight.
        await connection.execute_script(
            "LOCK TABLE change_events IN SHARE ROW EXCLUSIVE MODE"
        )
    event = await ChangeEvent.create(
        organization_id=course.organization_id,
        course=course,
        kind=kind,
        version=release.version if release is not None else None,
        content_hash=release.content_hash if release is not None else None,
    )
    if channels:
        await ChannelEvent.bulk_create(
            [ChannelEvent(channel_id=c, event_id=event.pk) for c in channels]
        )
        now = dt.datetime.now(dt.UTC)
        hooks = await Webhook.filter(channel_id__in=list(channels), active=True)
        await WebhookDelivery.bulk_create(
            [
                WebhookDelivery(webhook_id=h.pk, event_id=event.pk, next_attempt=now)
                for h in hooks
            ]
        )
    return event


def payload(event: ChangeEvent, channels: Sequence[uuid.UUID] = ()) -> dict[str, Any]:
    """An event as subscribers, webhooks and the feed show it."""
    return {
        "cursor": str(event.id),
        "kind": event.kind.value,
        "course": str(event.course_id),
        "organization": str(event.organization_id),
        "version": event.version,
        "content_hash": event.content_hash,
        "date": event.date_created.isoformat(),
        "channels": [str(c) for c in channels],
    }


async def read(
    principal: Principal, after: str | None, limit: int
) -> tuple[list[ChangeEvent], str]:
    """Events after the cursor that the principal may follow, and the next cursor."""
    try:
        cursor = int(after or 0)
    except ValueError as exc:
        raise InvalidInput("A cursor is the string a previous page returned.") from exc
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit is from 1 to {MAX_PAGE}.")
    orgs = organizations(principal, Action.READ, FEED)
    if orgs is not ALL and not orgs:
        raise Forbidden("You may not read the change feed.")
    query = ChangeEvent.filter(id__gt=cursor)
    if principal.kind is PrincipalKind.CHANNEL:
        # A channel follows the courses it carries (or carried, for a
        # withdrawal), as they were decided when each event was written.
        mine = ChannelEvent.filter(channel_id=principal.channel_id).values("event_id")
        query = query.filter(id__in=Subquery(mine))
    elif orgs is not ALL:
        query = query.filter(organization_id__in=list(orgs))
    events = await query.order_by("id").limit(limit)
    next_cursor = str(events[-1].id) if events else str(cursor)
    return events, next_cursor
