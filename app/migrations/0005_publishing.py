from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from app.models.enums import ReviewStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("models", "0004_row_revision")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Review",
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
                        related_name="reviews",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=ReviewStatus.PENDING,
                        description="PENDING: pending\nAPPROVED: approved\nCHANGES_REQUESTED: changes_requested\nVOID: void",
                        enum_type=ReviewStatus,
                        max_length=20,
                    ),
                ),
                ("content_hash", fields.CharField(max_length=64)),
                ("comment", fields.TextField(null=True, unique=False)),
                ("reviewer", fields.UUIDField(null=True)),
                (
                    "decided",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "reviews",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A reviewer's decision on a working copy, bound to the content hash it saw.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="Release",
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
                        related_name="releases",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("version", fields.IntField()),
                ("content_hash", fields.CharField(max_length=64)),
                (
                    "document",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("notes", fields.TextField(null=True, unique=False)),
                (
                    "review",
                    fields.ForeignKeyField(
                        "models.Review",
                        source_field="review_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("approved_by", fields.UUIDField(null=True)),
                ("published_by", fields.UUIDField(null=True)),
                ("rollback_of", fields.IntField(null=True)),
            ],
            options={
                "table": "releases",
                "app": "models",
                "unique_together": (("course", "version"),),
                "pk_attr": "id",
                "table_description": "A numbered, content-hashed, immutable document of a whole course.",
            },
            bases=["Owned"],
        ),
    ]
