"""Channels: what a front end carries, the events it follows, its webhooks."""

from tortoise import fields
from tortoise.models import Model

from app.models.base import Owned
from app.models.enums import DeliveryStatus


class Channel(Owned):
    """A front end of one organization: a selection of its published courses.

    `selection` is a Directus filter over catalog fields (null: every
    course); pins hold some courses at a version instead of the latest.
    Channel tokens name the channel they read as.
    """

    name = fields.CharField(max_length=100)
    description = fields.TextField(null=True)
    selection = fields.JSONField(null=True)

    search_fields = ("name", "description")

    class Meta:
        table = "channels"
        unique_together = (("organization", "name"),)

    def problems(self) -> list[str]:
        from app.errors import InvalidInput
        from app.services.catalog import validate_selection

        try:
            validate_selection(self.selection)
        except InvalidInput as exc:
            return [f"selection: {exc.message}"]
        return []


class ChannelPin(Owned):
    """A course a channel holds at one release rather than following the latest."""

    channel = fields.ForeignKeyField(
        "models.Channel", related_name="pins", on_delete=fields.CASCADE
    )
    course = fields.ForeignKeyField(
        "models.Course", related_name=False, on_delete=fields.CASCADE
    )
    version = fields.IntField()

    class Meta:
        table = "channel_pins"
        unique_together = (("channel", "course"),)


class ChannelEvent(Model):
    """A change event as one channel sees it: the course is, or was, on it."""

    id = fields.BigIntField(primary_key=True)
    channel = fields.ForeignKeyField(
        "models.Channel", related_name=False, on_delete=fields.CASCADE
    )
    event = fields.ForeignKeyField(
        "models.ChangeEvent", related_name=False, on_delete=fields.CASCADE
    )

    class Meta:
        table = "channel_events"
        unique_together = (("channel", "event"),)


class Webhook(Owned):
    """An endpoint told of a channel's events, signed with a shared secret."""

    channel = fields.ForeignKeyField(
        "models.Channel", related_name="webhooks", on_delete=fields.CASCADE
    )
    url = fields.CharField(max_length=500)
    description = fields.TextField(null=True)
    active = fields.BooleanField(default=True)
    # HMAC-SHA256 key for the signature header; shown once, when made.
    secret = fields.CharField(max_length=100)

    private_fields = ("secret",)
    read_only_collection = True
    search_fields = ("url", "description")

    class Meta:
        table = "webhooks"


class WebhookDelivery(Model):
    """One event owed to one webhook: the outbox row, written with the event."""

    id = fields.BigIntField(primary_key=True)
    webhook = fields.ForeignKeyField(
        "models.Webhook", related_name=False, on_delete=fields.CASCADE
    )
    event = fields.ForeignKeyField(
        "models.ChangeEvent", related_name=False, on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(
        DeliveryStatus, max_length=20, default=DeliveryStatus.PENDING
    )
    attempts = fields.IntField(default=0)
    next_attempt = fields.DatetimeField()
    last_status = fields.IntField(null=True)
    last_error = fields.CharField(max_length=500, null=True)
    delivered = fields.DatetimeField(null=True)
    date_created = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "webhook_deliveries"
        unique_together = (("webhook", "event"),)
        indexes = (("status", "next_attempt"),)
