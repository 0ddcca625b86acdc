"""Webhooks of channels: made, changed, rotated and removed; their deliveries."""

import datetime as dt
from typing import Any

import strawberry

from app.models import WebhookDelivery
from app.services import webhooks
from app.settings import Settings


@strawberry.type(name="webhook_delivery")
class WebhookDeliveryType:
    id: strawberry.ID
    webhook: strawberry.ID
    cursor: str = strawberry.field(description="The event's cursor in the feed.")
    kind: str
    course: strawberry.ID
    status: str
    attempts: int
    next_attempt: dt.datetime
    last_status: int | None = strawberry.field(
        description="The HTTP status of the last answer; null if none came."
    )
    last_error: str | None
    delivered: dt.datetime | None
    date_created: dt.datetime


def _delivery(row: WebhookDelivery) -> WebhookDeliveryType:
    event = row.event
    return WebhookDeliveryType(
        id=strawberry.ID(str(row.pk)),
        webhook=strawberry.ID(str(row.webhook_id)),
        cursor=str(event.pk),
        kind=event.kind.value,
        course=strawberry.ID(str(event.course_id)),
        status=row.status.value,
        attempts=row.attempts,
        next_attempt=row.next_attempt,
        last_status=row.last_status,
        last_error=row.last_error,
        delivered=row.delivered,
        date_created=row.date_created,
    )


async def webhook_deliveries(
    info: strawberry.Info,
    webhook: strawberry.ID,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[WebhookDeliveryType]:
    rows = await webhooks.deliveries(
        info.context.principal, webhook, status, limit, offset
    )
    return [_delivery(row) for row in rows]


async def delete_webhook(info: strawberry.Info, id: strawberry.ID) -> bool:
    return await webhooks.delete_webhook(info.context.principal, id)


async def redeliver_webhook(
    info: strawberry.Info, delivery: strawberry.ID
) -> WebhookDeliveryType:
    row = await webhooks.redeliver(info.context.principal, delivery)
    await row.fetch_related("event")
    return _delivery(row)


def fields(
    types: dict[str, type], settings: Settings
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The query and mutation fields of this module, given the collection types."""
    webhook_type = types["webhooks"]
    allow_private = settings.webhook_allow_private
    secret_type = strawberry.type(
        type(
            "webhook_secret",
            (),
            {
                "__annotations__": {"webhook": webhook_type, "secret": str},
                "secret": strawberry.field(
                    description="Signs every delivery; shown now and never again."
                ),
            },
        ),
        name="webhook_secret",
    )

    async def create_webhook(
        info: strawberry.Info,
        channel: strawberry.ID,
        url: str,
        description: str | None = None,
    ) -> Any:
        webhook, secret = await webhooks.create_webhook(
            info.context.principal,
            channel,
            url,
            description,
            allow_private=allow_private,
        )
        return secret_type(webhook=webhook, secret=secret)

    async def update_webhook(
        info: strawberry.Info,
        id: strawberry.ID,
        url: str | None = None,
        description: str | None = None,
        active: bool | None = None,
    ) -> Any:
        return await webhooks.update_webhook(
            info.context.principal,
            id,
            url=url,
            description=description,
            active=active,
            allow_private=allow_private,
        )

    async def rotate_webhook_secret(info: strawberry.Info, id: strawberry.ID) -> Any:
        webhook, secret = await webhooks.rotate_webhook_secret(
            info.context.principal, id
        )
        return secret_type(webhook=webhook, secret=secret)

    create_webhook.__annotations__["return"] = secret_type
    rotate_webhook_secret.__annotations__["return"] = secret_type
    update_webhook.__annotations__["return"] = webhook_type
    mutation = {
        "create_webhook": strawberry.mutation(
            resolver=create_webhook,
            description="Post a channel's events to a URL; the answer holds the "
            "signing secret, once.",
        ),
        "update_webhook": strawberry.mutation(resolver=update_webhook),
        "delete_webhook": strawberry.mutation(resolver=delete_webhook),
        "rotate_webhook_secret": strawberry.mutation(
            resolver=rotate_webhook_secret,
            description="A new signing secret, shown once; the old one stops now.",
        ),
        "redeliver_webhook": strawberry.mutation(
            resolver=redeliver_webhook,
            description="Send a failed or dead delivery again, with fresh attempts.",
        ),
    }
    query = {
        "webhook_deliveries": strawberry.field(
            resolver=webhook_deliveries,
            description="A webhook's deliveries, newest first.",
        )
    }
    return query, mutation
