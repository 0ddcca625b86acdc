from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from app.models.credentials import AwardKind
from json import dumps, loads
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("models", "0008_learning")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Award",
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
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "profile",
                    fields.ForeignKeyField(
                        "models.LearnerProfile",
                        source_field="profile_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="MICRO_CREDENTIAL: micro_credential\nPATHWAY: pathway",
                        enum_type=AwardKind,
                        max_length=20,
                    ),
                ),
                (
                    "micro_credential",
                    fields.ForeignKeyField(
                        "models.MicroCredential",
                        source_field="micro_credential_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "pathway",
                    fields.ForeignKeyField(
                        "models.Pathway",
                        source_field="pathway_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("title", fields.CharField(max_length=200)),
                (
                    "valid_from",
                    fields.DatetimeField(auto_now=False, auto_now_add=False),
                ),
                (
                    "valid_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "parts",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("status_list", fields.UUIDField()),
                ("status_index", fields.IntField()),
                ("signing_key", fields.UUIDField()),
                (
                    "credential",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("jwt", fields.TextField(unique=False)),
                (
                    "revoked",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("revoked_reason", fields.TextField(null=True, unique=False)),
                ("revoked_by", fields.UUIDField(null=True)),
            ],
            options={
                "table": "awards",
                "app": "models",
                "unique_together": (
                    ("user", "micro_credential"),
                    ("user", "pathway"),
                    ("status_list", "status_index"),
                ),
                "pk_attr": "id",
                "table_description": "A micro-credential or pathway issued to a learner, signed by the issuer.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="SigningKey",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
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
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("generation", fields.IntField()),
                (
                    "public_jwk",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("encrypted_private_key", fields.BinaryField()),
                ("kek_fingerprint", fields.CharField(max_length=16)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                (
                    "retired",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "signing_keys",
                "app": "models",
                "unique_together": (("organization", "generation"),),
                "pk_attr": "id",
                "table_description": "An organization's RSA key for signing credentials, encrypted at rest.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="StatusList",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
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
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("sequence", fields.IntField()),
                ("purpose", fields.CharField(default="revocation", max_length=20)),
                ("size", fields.IntField()),
                ("next_index", fields.IntField(default=0)),
                ("stride", fields.IntField()),
                ("offset", fields.IntField()),
                ("version", fields.IntField(default=0)),
                (
                    "credential",
                    fields.JSONField(
                        null=True,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("jwt", fields.TextField(null=True, unique=False)),
                (
                    "date_published",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "status_lists",
                "app": "models",
                "unique_together": (("organization", "sequence"),),
                "pk_attr": "id",
                "table_description": "One revocation list of an issuer, a W3C Bitstring Status List.",
            },
            bases=["Model"],
        ),
    ]
