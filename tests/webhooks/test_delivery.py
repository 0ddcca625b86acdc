"""Deliveries to a real receiver: signed, retried with backoff, dead at the end."""

import asyncio
import datetime as dt
import json
import logging
from collections import defaultdict

from app.models import WebhookDelivery
from app.models.enums import DeliveryStatus
from app.services import feed, webhooks
from app.services.webhook_worker import Worker
from permissions import SYSTEM


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def test_every_event_arrives_signed_once_the_receiver_recovers(
    desk, receiver, hook_settings, caplog
):
    caplog.set_level(logging.INFO)
    webhook, secret = await webhooks.create_webhook(
        SYSTEM, desk.channel.pk, receiver.url, "Intranet", allow_private=True
    )
    await desk.release()
    await desk.edit()
    await desk.release()
    await desk.withdraw()
    events = await desk.events()
    receiver.failures = 2
    worker = Worker(hook_settings)

    start = _now()
    first = await worker.run_once(start)
    after_first = {d.event_id: d for d in await WebhookDelivery.filter(webhook=webhook)}
    early = await worker.run_once(start + dt.timedelta(seconds=29))
    second = await worker.run_once(start + dt.timedelta(seconds=61))
    done = {d.event_id: d for d in await WebhookDelivery.filter(webhook=webhook)}

    assert [e.kind.value for e in events] == ["published", "updated", "withdrawn"]
    assert (first, early, second) == (3, 0, 2)
    failed = [d for d in after_first.values() if d.status == DeliveryStatus.FAILED]
    assert len(failed) == 2
    for d in failed:
        assert (d.attempts, d.last_status, d.last_error) == (1, 500, "HTTP 500")
        # Backoff after one failure: half the base fixed, half random.
        waited = d.next_attempt - start
        assert dt.timedelta(seconds=30) <= waited <= dt.timedelta(seconds=60)
    for event in events:
        d = done[event.pk]
        tries = 2 if after_first[event.pk].status == DeliveryStatus.FAILED else 1
        assert d.status == DeliveryStatus.DELIVERED
        assert (d.attempts, d.last_status, d.last_error) == (tries, 204, None)
        assert d.delivered is not None

    assert len(receiver.requests) == 5
    by_key = defaultdict(list)
    for request in receiver.requests:
        assert request.signed_by(secret)
        assert not request.signed_by(secret + "x")
        assert request.headers["content-type"] == "application/json"
        key = request.headers["idempotency-key"]
        assert request.headers["x-lexstack-delivery"] == key
        by_key[key].append(request)
    assert sorted(map(int, by_key)) == sorted(d.pk for d in done.values())
    for event in events:
        delivery = done[event.pk]
        tries = by_key[str(delivery.pk)]
        assert len(tries) == delivery.attempts
        expected = {
            **feed.payload(event, [desk.channel.pk]),
            "delivery": str(delivery.pk),
        }
        for request in tries:
            assert request.payload == expected
            assert request.headers["x-lexstack-event"] == event.kind.value
        # A retry repeats the delivery as it was.
        assert len({r.body for r in tries}) == 1

    attempts = [r for r in caplog.records if r.getMessage() == "webhook.attempt"]
    assert len(attempts) == 5
    assert sorted(r.outcome for r in attempts) == ["delivered"] * 3 + ["failed"] * 2
    for record in attempts:
        assert record.webhook == str(webhook.pk)
        assert record.status_code in (204, 500) and record.ms >= 0
        assert str(record.cursor) in {str(e.pk) for e in events}
    for record in caplog.records:
        logged = json.dumps(record.__dict__, default=str)
        assert secret not in logged
        assert receiver.requests[0].body.decode() not in logged


async def test_a_delivery_is_dead_after_the_last_attempt_and_can_be_sent_again(
    desk, receiver, hook_settings
):
    webhook, secret = await webhooks.create_webhook(
        SYSTEM, desk.channel.pk, receiver.url, allow_private=True
    )
    await desk.release()
    receiver.failures = 1_000
    worker = Worker(hook_settings)

    when, passes = _now(), []
    for _ in range(hook_settings.webhook_max_attempts):
        passes.append(await worker.run_once(when))
        # The cap (600 s) bounds every wait.
        when += dt.timedelta(seconds=601)
    passes.append(await worker.run_once(when + dt.timedelta(days=30)))
    dead = await WebhookDelivery.get(webhook=webhook)
    receiver.failures = 0
    again = await webhooks.redeliver(SYSTEM, dead.pk)
    resent = await worker.run_once()
    done = await WebhookDelivery.get(webhook=webhook)

    assert passes == [1, 1, 1, 1, 0]
    assert (dead.status, dead.attempts, dead.last_status) == (
        DeliveryStatus.DEAD,
        4,
        500,
    )
    assert (again.status, again.attempts) == (DeliveryStatus.PENDING, 0)
    assert resent == 1
    assert (done.status, done.attempts, done.last_status) == (
        DeliveryStatus.DELIVERED,
        1,
        204,
    )
    assert len(receiver.requests) == 5
    keys = {r.headers["idempotency-key"] for r in receiver.requests}
    assert keys == {str(dead.pk)}
    assert all(r.signed_by(secret) for r in receiver.requests)


async def test_waits_between_attempts_double_up_to_the_cap(hook_settings):
    worker = Worker(hook_settings)

    waits = [worker.backoff(n).total_seconds() for n in range(1, 8)]

    # Base 60 s, cap 600 s: each wait is between half and all of its delay.
    for wait, delay in zip(waits, (60, 120, 240, 480, 600, 600, 600), strict=True):
        assert delay / 2 <= wait <= delay


async def test_a_rotated_secret_signs_what_is_sent_after(desk, receiver, hook_settings):
    webhook, old = await webhooks.create_webhook(
        SYSTEM, desk.channel.pk, receiver.url, allow_private=True
    )
    await desk.release()

    _, new = await webhooks.rotate_webhook_secret(SYSTEM, webhook.pk)
    await Worker(hook_settings).run_once()

    (request,) = receiver.requests
    assert new != old
    assert request.signed_by(new) and not request.signed_by(old)


async def test_a_private_address_is_refused_again_when_delivering(
    desk, receiver, hook_settings
):
    # Saved while private addresses were allowed; this worker does not allow them.
    webhook, _ = await webhooks.create_webhook(
        SYSTEM, desk.channel.pk, receiver.url, allow_private=True
    )
    await desk.release()
    strict = hook_settings.model_copy(update={"webhook_allow_private": False})

    claimed = await Worker(strict).run_once()
    delivery = await WebhookDelivery.get(webhook=webhook)

    assert claimed == 1
    assert receiver.requests == []
    assert (delivery.status, delivery.attempts, delivery.last_status) == (
        DeliveryStatus.FAILED,
        1,
        None,
    )
    assert delivery.last_error == "127.0.0.1 is not a public address (127.0.0.1)."


async def test_a_host_name_is_sent_as_host_while_its_checked_address_is_called(
    desk, receiver, hook_settings
):
    url = receiver.url.replace("127.0.0.1", "localhost")
    await webhooks.create_webhook(SYSTEM, desk.channel.pk, url, allow_private=True)
    await desk.release()

    await Worker(hook_settings).run_once()

    (request,) = receiver.requests
    assert request.headers["host"] == url.split("/")[2]


async def test_a_receiver_that_does_not_answer_in_time_fails_the_attempt(
    desk, receiver, hook_settings
):
    webhook, _ = await webhooks.create_webhook(
        SYSTEM, desk.channel.pk, receiver.url, allow_private=True
    )
    await desk.release()
    receiver.gate = asyncio.Event()
    impatient = hook_settings.model_copy(update={"webhook_timeout_seconds": 0.5})

    await Worker(impatient).run_once()
    delivery = await WebhookDelivery.get(webhook=webhook)

    assert len(receiver.requests) == 1
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert (delivery.last_status, delivery.last_error) == (None, "timed out")


async def test_an_inactive_webhook_keeps_its_deliveries_until_active_again(
    desk, receiver, hook_settings
):
    webhook, _ = await webhooks.create_webhook(
        SYSTEM, desk.channel.pk, receiver.url, allow_private=True
    )
    await desk.release()
    worker = Worker(hook_settings)

    await webhooks.update_webhook(SYSTEM, webhook.pk, active=False)
    while_inactive = await worker.run_once()
    await webhooks.update_webhook(SYSTEM, webhook.pk, active=True)
    once_active = await worker.run_once()

    assert (while_inactive, once_active) == (0, 1)
    assert len(receiver.requests) == 1


async def test_a_failing_receiver_does_not_hold_up_another(
    desk, receiver, hook_settings
):
    refused = "http://127.0.0.1:9/nothing-listens-here"
    down, _ = await webhooks.create_webhook(
        SYSTEM, desk.channel.pk, refused, allow_private=True
    )
    up, _ = await webhooks.create_webhook(
        SYSTEM, desk.channel.pk, receiver.url, allow_private=True
    )
    await desk.release()

    await Worker(hook_settings).run_once()
    failed = await WebhookDelivery.get(webhook=down)
    delivered = await WebhookDelivery.get(webhook=up)

    assert delivered.status == DeliveryStatus.DELIVERED
    assert (failed.status, failed.last_status) == (DeliveryStatus.FAILED, None)
    assert failed.last_error.startswith("ConnectError")
    assert "nothing-listens-here" not in failed.last_error
