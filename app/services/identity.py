"""Accounts, roles in organizations and channel tokens."""

import datetime as dt
import logging
import re
import secrets
import uuid
from typing import Any

from app.errors import Forbidden, InvalidInput, NotFound
from app.models import Channel, ChannelToken, Organization, User
from app.models.enums import Role
from app.services.auth import CHANNEL_PREFIX, Auth, digest
from app.services.collections import exposed
from permissions import (
    ALL,
    Action,
    Principal,
    PrincipalKind,
    authorize,
    organizations,
    policies,
)
from permissions.gate import public

logger = logging.getLogger("lexstack.identity")

MEMBERSHIPS = "memberships"
TOKENS = "channel_tokens"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


async def create_user(
    auth: Auth,
    email: str,
    password: str,
    *,
    first_name: str | None = None,
    last_name: str | None = None,
) -> User:
    email = email.strip().lower()
    if not _EMAIL.match(email) or len(email) > 254:
        raise InvalidInput(f"{email!r} is not an email address.")
    if len(password) < 12:
        raise InvalidInput("A password needs at least 12 characters.")
    if await User.exists(email=email):
        raise InvalidInput("An account with this email exists.")
    user = await User.create(
        email=email,
        password_hash=auth.hash_password(password),
        first_name=first_name,
        last_name=last_name,
    )
    logger.info("user.created", extra={"user": str(user.pk)})
    return user


async def grant_role(
    principal: Principal, user_id: Any, organization_id: Any, role: str
) -> bool:
    """Give a user a role in an organization; True if they did not hold it."""
    return await _change_role(principal, user_id, organization_id, role, grant=True)


async def revoke_role(
    principal: Principal, user_id: Any, organization_id: Any, role: str
) -> bool:
    """Take a role away; True if the user held it."""
    return await _change_role(principal, user_id, organization_id, role, grant=False)


async def _change_role(
    principal: Principal, user_id: Any, organization_id: Any, role: str, *, grant: bool
) -> bool:
    user, org = await _user_and_org(principal, user_id, organization_id)
    change = policies.grant if grant else policies.revoke
    changed = await change(f"user:{user.pk}", _role(role), str(org.pk))
    logger.info(
        "role.granted" if grant else "role.revoked",
        extra={"user": str(user.pk), "organization": str(org.pk), "role": role},
    )
    return changed


async def make_platform_admin(user: User) -> None:
    await policies.grant(f"user:{user.pk}", "platform_admin", "*")


def _role(role: str) -> str:
    if role not in {r.value for r in Role}:
        raise InvalidInput(
            f"{role!r} is not a role; use one of {', '.join(r.value for r in Role)}."
        )
    return role


async def _user_and_org(
    principal: Principal, user_id: Any, organization_id: Any
) -> tuple[User, Organization]:
    org_key, user_key = _uuid(organization_id), _uuid(user_id)
    authorize(principal, Action.GRANT, MEMBERSHIPS, org_key)
    org = await Organization.get_or_none(id=org_key)
    user = await User.get_or_none(id=user_key)
    if org is None or user is None:
        raise NotFound("No such user or organization.")
    return user, org


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise InvalidInput(f"{value!r} is not a valid id.") from exc


async def create_channel_token(
    principal: Principal, organization_id: Any, channel: str
) -> tuple[ChannelToken, str]:
    """A new token for a front end; the secret is returned once and never stored."""
    org_key = _uuid(organization_id)
    authorize(principal, Action.MANAGE_TOKENS, TOKENS, org_key)
    channel = channel.strip()
    if not channel or len(channel) > 100:
        raise InvalidInput("A channel needs a name of 1 to 100 characters.")
    if not await Organization.exists(id=org_key):
        raise NotFound("No such organization.")
    await Channel.get_or_create(organization_id=org_key, name=channel)
    secret = CHANNEL_PREFIX + secrets.token_urlsafe(32)
    token = await ChannelToken.create(
        organization_id=org_key,
        channel=channel,
        prefix=secret[:12],
        token_hash=digest(secret),
        user_created=principal.id,
    )
    logger.info("channel_token.created", extra={"token": str(token.pk)})
    return token, secret


async def revoke_channel_token(principal: Principal, token_id: Any) -> bool:
    token = await ChannelToken.get_or_none(id=_uuid(token_id))
    if token is None:
        raise NotFound("No such channel token.")
    try:
        authorize(principal, Action.MANAGE_TOKENS, TOKENS, token.organization_id)
    except Forbidden as exc:
        # One answer for tokens that do not exist and tokens of others.
        raise NotFound("No such channel token.") from exc
    if token.revoked is not None:
        return False
    token.revoked = dt.datetime.now(dt.UTC)
    await token.save(update_fields=["revoked"])
    logger.info("channel_token.revoked", extra={"token": str(token.pk)})
    return True


ACTIONS = tuple(a for a in Action)


def effective_permissions(principal: Principal) -> dict[str, Any]:
    """What the principal may do, per collection: everywhere, or per organization."""
    collections = sorted([*exposed(), MEMBERSHIPS, TOKENS])
    result: dict[str, Any] = {
        "principal": principal.kind.value,
        "user": str(principal.id) if principal.id else None,
        "platform_admin": principal.platform_admin,
        "roles": {str(o): sorted(r) for o, r in principal.roles.items()},
        "collections": {},
    }
    for name in collections:
        actions: dict[str, Any] = {}
        for action in ACTIONS:
            orgs = organizations(principal, action, name)
            channel = principal.kind is PrincipalKind.CHANNEL
            if orgs is ALL or (
                public(action, name)
                and not (channel and action is Action.READ_PUBLISHED)
            ):
                actions[action.value] = "all"
            elif orgs:
                actions[action.value] = sorted(str(o) for o in orgs)
        if actions:
            result["collections"][name] = actions
    return result
