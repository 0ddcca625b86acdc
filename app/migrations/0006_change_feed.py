from tortoise import migrations
from tortoise.migrations import operations as ops
from app.models.enums import ChangeKind
from tortoise.fields.base import OnDelete
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("models", "0005_publishing")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ChangeEvent",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
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
                (
                    "kind",
                    fields.CharEnumField(
                        description="PUBLISHED: published\nUPDATED: updated\nWITHDRAWN: withdrawn",
                        enum_type=ChangeKind,
                        max_length=20,
                    ),
                ),
                ("version", fields.IntField(null=True)),
                ("content_hash", fields.CharField(null=True, max_length=64)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
            ],
            options={
                "table": "change_events",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One entry of the change feed: a course published, updated or withdrawn.",
            },
            bases=["Model"],
        ),
    ]
