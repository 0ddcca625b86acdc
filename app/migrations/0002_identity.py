from tortoise import migrations
from tortoise.migrations import operations as ops
from app.models.enums import UserStatus
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    initial = False

    operations = [
        ops.CreateModel(
            name="CasbinRule",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("ptype", fields.CharField(max_length=8)),
                ("v0", fields.CharField(default="", max_length=120)),
                ("v1", fields.CharField(default="", max_length=120)),
                ("v2", fields.CharField(default="", max_length=120)),
                ("v3", fields.CharField(default="", max_length=120)),
                ("v4", fields.CharField(default="", max_length=120)),
                ("v5", fields.CharField(default="", max_length=120)),
            ],
            options={
                "table": "casbin_rules",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One Casbin policy line (p or g), as the project's adapter stores them.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ChannelToken",
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
                ("channel", fields.CharField(max_length=100)),
                ("prefix", fields.CharField(max_length=12)),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                (
                    "revoked",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "last_used",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "channel_tokens",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A front end's secret, scoped to one organization's published content.",
            },
            bases=["Record"],
        ),
        ops.CreateModel(
            name="LoginFailure",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("account", fields.CharField(db_index=True, max_length=64)),
                ("address", fields.CharField(db_index=True, max_length=64)),
                (
                    "date_created",
                    fields.DatetimeField(
                        db_index=True, auto_now=False, auto_now_add=True
                    ),
                ),
            ],
            options={
                "table": "login_failures",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A failed sign-in, counted per account and per address to throttle guessing.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ServerSecret",
            fields=[
                (
                    "name",
                    fields.CharField(
                        primary_key=True, unique=True, db_index=True, max_length=60
                    ),
                ),
                ("value", fields.CharField(max_length=200)),
            ],
            options={
                "table": "server_secrets",
                "app": "models",
                "pk_attr": "name",
                "table_description": "Secrets lexstack makes for itself when settings give none (JWT signing).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="User",
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
                ("email", fields.CharField(unique=True, max_length=254)),
                ("password_hash", fields.CharField(max_length=255)),
                ("first_name", fields.CharField(null=True, max_length=100)),
                ("last_name", fields.CharField(null=True, max_length=100)),
                (
                    "status",
                    fields.CharEnumField(
                        default=UserStatus.ACTIVE,
                        description="ACTIVE: active\nSUSPENDED: suspended",
                        enum_type=UserStatus,
                        max_length=20,
                    ),
                ),
                (
                    "last_login",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={"table": "users", "app": "models", "pk_attr": "id"},
            bases=["Record"],
        ),
        ops.CreateModel(
            name="LoginSession",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
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
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                ("expires", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "revoked",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("revoked_reason", fields.CharField(null=True, max_length=40)),
            ],
            options={
                "table": "login_sessions",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One sign-in: the refresh tokens it rotates through, until revoked.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RefreshToken",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
                    ),
                ),
                (
                    "session",
                    fields.ForeignKeyField(
                        "models.LoginSession",
                        source_field="session_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                (
                    "used",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={"table": "refresh_tokens", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
