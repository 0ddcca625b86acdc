"""Sign-in, the caller's own account and permissions, roles and channel tokens."""

from typing import Any

import strawberry
from strawberry.scalars import JSON

from app.services import identity
from app.services.collections import get
from app.services.revisions import revert
from schema.context import Context


@strawberry.type(name="auth_tokens")
class AuthTokens:
    access_token: str
    refresh_token: str
    expires: int = strawberry.field(description="Milliseconds the access token lasts.")


@strawberry.type(name="channel_token_created")
class ChannelTokenCreated:
    id: strawberry.ID
    channel: str
    organization: strawberry.ID
    token: str = strawberry.field(description="Shown once; only its hash is kept.")


def _address(context: Context) -> str:
    request = context.request
    client = getattr(request, "client", None)
    return client.host if client else "unknown"


async def auth_login(info: strawberry.Info, email: str, password: str) -> AuthTokens:
    context: Context = info.context
    tokens = await context.auth.login(email, password, _address(context))
    return AuthTokens(**tokens.__dict__)


async def auth_refresh(info: strawberry.Info, refresh_token: str) -> AuthTokens:
    tokens = await info.context.auth.refresh(refresh_token)
    return AuthTokens(**tokens.__dict__)


async def auth_logout(info: strawberry.Info, refresh_token: str) -> bool:
    await info.context.auth.logout(refresh_token)
    return True


def permissions_me(info: strawberry.Info) -> JSON:
    return identity.effective_permissions(info.context.principal)


async def grant_role(
    info: strawberry.Info, user: strawberry.ID, organization: strawberry.ID, role: str
) -> bool:
    return await identity.grant_role(info.context.principal, user, organization, role)


async def revoke_role(
    info: strawberry.Info, user: strawberry.ID, organization: strawberry.ID, role: str
) -> bool:
    return await identity.revoke_role(info.context.principal, user, organization, role)


async def create_channel_token(
    info: strawberry.Info, organization: strawberry.ID, channel: str
) -> ChannelTokenCreated:
    token, secret = await identity.create_channel_token(
        info.context.principal, organization, channel
    )
    return ChannelTokenCreated(
        id=strawberry.ID(str(token.pk)),
        channel=token.channel,
        organization=strawberry.ID(str(token.organization_id)),
        token=secret,
    )


async def revoke_channel_token(info: strawberry.Info, id: strawberry.ID) -> bool:
    return await identity.revoke_channel_token(info.context.principal, id)


def fields(types: dict[str, type]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The query and mutation fields of this module, given the collection types."""
    users_type = types["users"]

    async def revert_revision(info: strawberry.Info, id: strawberry.ID) -> Any:
        return await revert(info.context.principal, id)

    revert_revision.__annotations__["return"] = types["revisions"] | None

    async def users_me(info: strawberry.Info) -> Any:
        context: Context = info.context
        if context.principal.id is None or context.principal.kind.value != "user":
            return None
        return await context.reader.item(get("users"), context.principal.id)

    users_me.__annotations__["return"] = users_type | None
    query = {
        "users_me": strawberry.field(
            resolver=users_me, description="The signed-in user, or null."
        ),
        "permissions_me": strawberry.field(
            resolver=permissions_me,
            description="What the caller may do, per collection and organization.",
        ),
    }
    mutation = {
        "auth_login": strawberry.mutation(resolver=auth_login),
        "auth_refresh": strawberry.mutation(resolver=auth_refresh),
        "auth_logout": strawberry.mutation(resolver=auth_logout),
        "grant_role": strawberry.mutation(resolver=grant_role),
        "revoke_role": strawberry.mutation(resolver=revoke_role),
        "create_channel_token": strawberry.mutation(resolver=create_channel_token),
        "revoke_channel_token": strawberry.mutation(resolver=revoke_channel_token),
        "revert_revision": strawberry.mutation(
            resolver=revert_revision,
            description="Bring an item back to the state a revision recorded; "
            "the change is itself a new revision.",
        ),
    }
    return query, mutation
