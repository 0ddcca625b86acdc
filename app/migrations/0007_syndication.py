from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from app.models.enums import (
    ApprovalStatus,
    ContentStatus,
    CourseFormat,
    CourseLevel,
    Delivery,
    DeliveryStatus,
)
from app.models.fields import HoursField
from json import dumps, loads
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("models", "0006_change_feed")]

    initial = False

    operations = [
        ops.CreateModel(
            name="CatalogEntry",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
                    ),
                ),
                ("user_created", fields.UUIDField(null=True)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                ("user_updated", fields.UUIDField(null=True)),
                (
                    "date_updated",
                    fields.DatetimeField(auto_now=True, auto_now_add=False),
                ),
                ("revision", fields.UUIDField(null=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "course",
                    fields.ForeignKeyField(
                        "models.Course",
                        source_field="course_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("version", fields.IntField()),
                ("current", fields.BooleanField(default=False)),
                (
                    "status",
                    fields.CharEnumField(
                        default=ContentStatus.PUBLISHED,
                        description="DRAFT: draft\nIN_REVIEW: in_review\nPUBLISHED: published\nARCHIVED: archived",
                        enum_type=ContentStatus,
                        max_length=20,
                    ),
                ),
                (
                    "date_published",
                    fields.DatetimeField(auto_now=False, auto_now_add=False),
                ),
                ("title", fields.CharField(max_length=200)),
                ("slug", fields.CharField(max_length=120)),
                ("summary", fields.CharField(null=True, max_length=500)),
                ("description", fields.TextField(null=True, unique=False)),
                (
                    "level",
                    fields.CharEnumField(
                        description="FOUNDATIONAL: foundational\nINTERMEDIATE: intermediate\nADVANCED: advanced",
                        enum_type=CourseLevel,
                        max_length=20,
                    ),
                ),
                (
                    "format",
                    fields.CharEnumField(
                        description="ON_DEMAND: on_demand\nLIVE_WEBINAR: live_webinar\nIN_PERSON: in_person",
                        enum_type=CourseFormat,
                        max_length=20,
                    ),
                ),
                ("language", fields.CharField(max_length=10)),
                ("duration_minutes", fields.IntField()),
                ("credit_hours", HoursField()),
                ("featured", fields.BooleanField()),
                ("available_from", fields.DateField(null=True)),
            ],
            options={
                "table": "catalog",
                "app": "models",
                "unique_together": (("course", "version"),),
                "indexes": [Index(fields=["organization_id", "current"])],
                "pk_attr": "id",
                "table_description": "What a release offers, in columns: the published catalog, one row per release.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="CatalogApproval",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
                    ),
                ),
                ("user_created", fields.UUIDField(null=True)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                ("user_updated", fields.UUIDField(null=True)),
                (
                    "date_updated",
                    fields.DatetimeField(auto_now=True, auto_now_add=False),
                ),
                ("revision", fields.UUIDField(null=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "entry",
                    fields.ForeignKeyField(
                        "models.CatalogEntry",
                        source_field="entry_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="approvals",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "jurisdiction",
                    fields.ForeignKeyField(
                        "models.Jurisdiction",
                        source_field="jurisdiction_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        description="PENDING: pending\nAPPROVED: approved\nDENIED: denied\nEXPIRED: expired",
                        enum_type=ApprovalStatus,
                        max_length=20,
                    ),
                ),
                (
                    "delivery",
                    fields.CharEnumField(
                        description="ANY: any\nLIVE: live\nSELF_STUDY: self_study",
                        enum_type=Delivery,
                        max_length=20,
                    ),
                ),
                ("total_hours", HoursField()),
                ("valid_from", fields.DateField()),
                ("valid_until", fields.DateField(null=True)),
            ],
            options={
                "table": "catalog_approvals",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A jurisdiction's approval as the release states it, for catalog filters.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="CatalogPracticeArea",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
                    ),
                ),
                ("user_created", fields.UUIDField(null=True)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                ("user_updated", fields.UUIDField(null=True)),
                (
                    "date_updated",
                    fields.DatetimeField(auto_now=True, auto_now_add=False),
                ),
                ("revision", fields.UUIDField(null=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "entry",
                    fields.ForeignKeyField(
                        "models.CatalogEntry",
                        source_field="entry_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="practice_areas",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "practice_area",
                    fields.ForeignKeyField(
                        "models.PracticeArea",
                        source_field="practice_area_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
            ],
            options={
                "table": "catalog_practice_areas",
                "app": "models",
                "pk_attr": "id",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="Channel",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
                    ),
                ),
                ("user_created", fields.UUIDField(null=True)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                ("user_updated", fields.UUIDField(null=True)),
                (
                    "date_updated",
                    fields.DatetimeField(auto_now=True, auto_now_add=False),
                ),
                ("revision", fields.UUIDField(null=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("name", fields.CharField(max_length=100)),
                ("description", fields.TextField(null=True, unique=False)),
                (
                    "selection",
                    fields.JSONField(
                        null=True,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
            ],
            options={
                "table": "channels",
                "app": "models",
                "unique_together": (("organization", "name"),),
                "pk_attr": "id",
                "table_description": "A front end of one organization: a selection of its published courses.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="ChannelEvent",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "channel",
                    fields.ForeignKeyField(
                        "models.Channel",
                        source_field="channel_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "event",
                    fields.ForeignKeyField(
                        "models.ChangeEvent",
                        source_field="event_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
            ],
            options={
                "table": "channel_events",
                "app": "models",
                "unique_together": (("channel", "event"),),
                "pk_attr": "id",
                "table_description": "A change event as one channel sees it: the course is, or was, on it.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ChannelPin",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
                    ),
                ),
                ("user_created", fields.UUIDField(null=True)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                ("user_updated", fields.UUIDField(null=True)),
                (
                    "date_updated",
                    fields.DatetimeField(auto_now=True, auto_now_add=False),
                ),
                ("revision", fields.UUIDField(null=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "channel",
                    fields.ForeignKeyField(
                        "models.Channel",
                        source_field="channel_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="pins",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "course",
                    fields.ForeignKeyField(
                        "models.Course",
                        source_field="course_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("version", fields.IntField()),
            ],
            options={
                "table": "channel_pins",
                "app": "models",
                "unique_together": (("channel", "course"),),
                "pk_attr": "id",
                "table_description": "A course a channel holds at one release rather than following the latest.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="Webhook",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
                    ),
                ),
                ("user_created", fields.UUIDField(null=True)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                ("user_updated", fields.UUIDField(null=True)),
                (
                    "date_updated",
                    fields.DatetimeField(auto_now=True, auto_now_add=False),
                ),
                ("revision", fields.UUIDField(null=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "channel",
                    fields.ForeignKeyField(
                        "models.Channel",
                        source_field="channel_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="webhooks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("url", fields.CharField(max_length=500)),
                ("description", fields.TextField(null=True, unique=False)),
                ("active", fields.BooleanField(default=True)),
                ("secret", fields.CharField(max_length=100)),
            ],
            options={
                "table": "webhooks",
                "app": "models",
                "pk_attr": "id",
                "table_description": "An endpoint told of a channel's events, signed with a shared secret.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="WebhookDelivery",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "webhook",
                    fields.ForeignKeyField(
                        "models.Webhook",
                        source_field="webhook_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "event",
                    fields.ForeignKeyField(
                        "models.ChangeEvent",
                        source_field="event_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=DeliveryStatus.PENDING,
                        description="PENDING: pending\nDELIVERED: delivered\nFAILED: failed\nDEAD: dead",
                        enum_type=DeliveryStatus,
                        max_length=20,
                    ),
                ),
                ("attempts", fields.IntField(default=0)),
                (
                    "next_attempt",
                    fields.DatetimeField(auto_now=False, auto_now_add=False),
                ),
                ("last_status", fields.IntField(null=True)),
                ("last_error", fields.CharField(null=True, max_length=500)),
                (
                    "delivered",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
            ],
            options={
                "table": "webhook_deliveries",
                "app": "models",
                "unique_together": (("webhook", "event"),),
                "indexes": [Index(fields=["status", "next_attempt"])],
                "pk_attr": "id",
                "table_description": "One event owed to one webhook: the outbox row, written with the event.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Course",
            name="date_published",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Course",
            name="version",
            field=fields.IntField(null=True),
        ),
    ]
