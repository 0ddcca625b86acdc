"""A delivery is claimed by one pass at a time: in this process or in another."""

import asyncio
import datetime as dt

import pytest
from tortoise.transactions import in_transaction

from app.models import WebhookDelivery
from app.models.enums import DeliveryStatus
from app.services import webhooks
from app.services.webhook_worker import Worker
from permissions import SYSTEM
from tests.conftest import DATABASE


async def test_a_delivery_in_flight_is_not_sent_again_by_another_pass(
    desk, receiver, hook_settings
):
    await webhooks.create_webhook(
        SYSTEM, desk.channel.pk, receiver.url, allow_private=True
    )
    await desk.release()
    receiver.gate = asyncio.Event()
    first, second = Worker(hook_settings), Worker(hook_settings)

    sending = asyncio.create_task(first.run_once())
    await receiver.until(1)
    meanwhile = await second.run_once()
    receiver.gate.set()
    sent = await sending
    afterwards = await second.run_once()

    assert (sent, meanwhile, afterwards) == (1, 0, 0)
    assert len(receiver.requests) == 1
    (delivery,) = await WebhookDelivery.all()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)


ONE_WRITER = pytest.mark.skipif(
    DATABASE != "postgres",
    reason="SQLite has one writer, so two claims never overlap there; this checks "
    "PostgreSQL's row locks between two connections claiming at once",
)


@ONE_WRITER
async def test_a_claim_skips_deliveries_another_claim_has_locked(
    desk, receiver, hook_settings
):
    for n in range(8):
        await webhooks.create_webhook(
            SYSTEM, desk.channel.pk, f"{receiver.url}?n={n}", allow_private=True
        )
    await desk.release()
    worker = Worker(hook_settings)
    go = asyncio.Event()

    async def claim_when_told() -> list[int]:
        await go.wait()
        return await worker.claim(dt.datetime.now(dt.UTC))

    # Made before the transaction below, so that it claims on a connection
    # of its own, as another process would.
    claiming = asyncio.create_task(claim_when_told())
    async with in_transaction() as connection:
        # Another pass, between locking its batch and committing the lease.
        locked = (
            await WebhookDelivery.all()
            .order_by("id")
            .limit(5)
            .select_for_update()
            .using_db(connection)
        )
        go.set()
        claimed = await asyncio.wait_for(asyncio.shield(claiming), 5)

    all_ids = await WebhookDelivery.all().order_by("id").values_list("id", flat=True)
    assert [d.pk for d in locked] == all_ids[:5]
    assert sorted(claimed) == all_ids[5:]


@ONE_WRITER
async def test_two_workers_claiming_at_once_share_the_deliveries_out(
    desk, receiver, hook_settings
):
    for n in range(8):
        await webhooks.create_webhook(
            SYSTEM, desk.channel.pk, f"{receiver.url}?n={n}", allow_private=True
        )
    await desk.release()
    receiver.gate = asyncio.Event()
    small = hook_settings.model_copy(update={"webhook_batch_size": 5})
    one, other = Worker(small), Worker(small)
    # Two connections open already, so neither claim waits to connect.
    await asyncio.gather(*(WebhookDelivery.all().count() for _ in range(2)))

    passes = asyncio.gather(one.run_once(), other.run_once())
    # Both batches in flight at the same time: neither pass waited for the other.
    await receiver.until(8)
    receiver.gate.set()
    claimed = await passes
    afterwards = await one.run_once()

    assert sorted(claimed) == [3, 5] and afterwards == 0
    keys = [r.headers["idempotency-key"] for r in receiver.requests]
    assert len(keys) == len(set(keys)) == 8
    statuses = await WebhookDelivery.all().values_list("status", flat=True)
    assert statuses == [DeliveryStatus.DELIVERED] * 8
