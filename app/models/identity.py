"""Who may sign in and how: users, logins, channel tokens, policies."""

import uuid

from tortoise import fields
from tortoise.models import Model

from app.models.base import Record
from app.models.enums import UserStatus


class User(Record):
    email = fields.CharField(max_length=254, unique=True)
    # argon2id; never leaves the server, never reaches the API.
    password_hash = fields.CharField(max_length=255)
    first_name = fields.CharField(max_length=100, null=True)
    last_name = fields.CharField(max_length=100, null=True)
    status = fields.CharEnumField(UserStatus, max_length=20, default=UserStatus.ACTIVE)
    last_login = fields.DatetimeField(null=True)

    search_fields = ("email", "first_name", "last_name")
    private_fields = ("password_hash",)
    read_only_collection = True

    class Meta:
        table = "users"


class LoginSession(Model):
    """One sign-in: the refresh tokens it rotates through, until revoked."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    user = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.CASCADE
    )
    date_created = fields.DatetimeField(auto_now_add=True)
    expires = fields.DatetimeField()
    revoked = fields.DatetimeField(null=True)
    revoked_reason = fields.CharField(max_length=40, null=True)

    class Meta:
        table = "login_sessions"


class RefreshToken(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    session = fields.ForeignKeyField(
        "models.LoginSession", related_name=False, on_delete=fields.CASCADE
    )
    # sha256 of the token; the token itself is only ever in the client's hands.
    token_hash = fields.CharField(max_length=64, unique=True)
    date_created = fields.DatetimeField(auto_now_add=True)
    used = fields.DatetimeField(null=True)

    class Meta:
        table = "refresh_tokens"


class LoginFailure(Model):
    """A failed sign-in, counted per account and per address to throttle guessing."""

    id = fields.BigIntField(primary_key=True)
    account = fields.CharField(max_length=64, db_index=True)
    address = fields.CharField(max_length=64, db_index=True)
    date_created = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "login_failures"


class ChannelToken(Record):
    """A front end's secret, scoped to one organization's published content."""

    organization = fields.ForeignKeyField(
        "models.Organization", related_name=False, on_delete=fields.CASCADE
    )
    channel = fields.CharField(max_length=100)
    # The first characters, so operators can tell tokens apart.
    prefix = fields.CharField(max_length=12)
    token_hash = fields.CharField(max_length=64, unique=True)
    revoked = fields.DatetimeField(null=True)
    last_used = fields.DatetimeField(null=True)

    search_fields = ("channel", "prefix")
    private_fields = ("token_hash",)
    read_only_collection = True

    class Meta:
        table = "channel_tokens"


class CasbinRule(Model):
    """One Casbin policy line (p or g), as the project's adapter stores them."""

    id = fields.BigIntField(primary_key=True)
    ptype = fields.CharField(max_length=8)
    v0 = fields.CharField(max_length=120, default="")
    v1 = fields.CharField(max_length=120, default="")
    v2 = fields.CharField(max_length=120, default="")
    v3 = fields.CharField(max_length=120, default="")
    v4 = fields.CharField(max_length=120, default="")
    v5 = fields.CharField(max_length=120, default="")

    class Meta:
        table = "casbin_rules"


class ServerSecret(Model):
    """Secrets lexstack makes for itself when settings give none (JWT signing)."""

    name = fields.CharField(max_length=60, primary_key=True)
    value = fields.CharField(max_length=200)

    class Meta:
        table = "server_secrets"
