"""The worker the app runs: woken by each event, stopped with the app."""

from app.main import create_app
from app.models import WebhookDelivery
from app.models.enums import DeliveryStatus
from app.services import webhooks
from permissions import SYSTEM


async def test_the_app_sends_an_event_as_soon_as_it_is_published(
    desk, receiver, hook_settings
):
    # Polling every five minutes: only the event's announcement can explain
    # a delivery within the receiver's ten-second wait.
    settings = hook_settings.model_copy(
        update={"webhook_worker": True, "webhook_poll_seconds": 300.0}
    )
    webhook, secret = await webhooks.create_webhook(
        SYSTEM, desk.channel.pk, receiver.url, allow_private=True
    )
    app = create_app(settings, manage_database=False)

    async with app.router.lifespan_context(app):
        await desk.release()
        await receiver.until(1)

    (request,) = receiver.requests
    (delivery,) = await WebhookDelivery.filter(webhook=webhook)
    assert request.signed_by(secret)
    assert request.payload["kind"] == "published"
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)
