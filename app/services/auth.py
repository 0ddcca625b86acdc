"""Sign-in, token rotation and sign-out; and turning a bearer token into a principal.

Access tokens are short-lived JWTs (HS256) naming the user and the login;
refresh tokens are opaque, stored only as hashes, and rotate on every use.
A refresh token presented twice means it was stolen or replayed, so the
whole login it belongs to is revoked.
"""

import datetime as dt
import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.transactions import in_transaction

from app.errors import LimitExceeded, Unauthenticated
from app.models import (
    Channel,
    ChannelToken,
    LoginFailure,
    LoginSession,
    RefreshToken,
    ServerSecret,
    User,
)
from app.models.enums import UserStatus
from app.settings import Settings
from permissions import Principal, PrincipalKind, policies

logger = logging.getLogger("lexstack.auth")

ALGORITHM = "HS256"
ISSUER = "lexstack"
CHANNEL_PREFIX = "lxc_"
INVALID_LOGIN = "Invalid email or password."


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires: int  # milliseconds until the access token expires, as Directus says


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Auth:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.hasher = PasswordHasher(
            time_cost=settings.password_time_cost,
            memory_cost=settings.password_memory_kib,
        )
        # Verified against when the email is unknown, so that both answers
        # take the same time and neither tells whether the account exists.
        self._decoy = self.hasher.hash(secrets.token_urlsafe(16))
        self._key: str | None = settings.secret_key

    def hash_password(self, password: str) -> str:
        return self.hasher.hash(password)

    async def signing_key(self) -> str:
        if self._key is None:
            found = await ServerSecret.get_or_none(name="jwt")
            if found is None:
                await ServerSecret.get_or_create(
                    name="jwt", defaults={"value": secrets.token_urlsafe(48)}
                )
                found = await ServerSecret.get(name="jwt")
            self._key = found.value
        return self._key

    async def login(self, email: str, password: str, address: str) -> Tokens:
        account = digest(email.strip().lower())
        await self._throttle(account, address)

        user = await User.get_or_none(email=email.strip().lower())
        try:
            self.hasher.verify(user.password_hash if user else self._decoy, password)
            valid = user is not None and user.status == UserStatus.ACTIVE
        except (VerificationError, InvalidHashError):
            valid = False
        if not valid:
            await LoginFailure.create(account=account, address=address[:64])
            # Failures older than the window count for nothing; keep the table
            # as small as the window.
            await LoginFailure.filter(date_created__lt=self._window_start()).delete()
            logger.info("auth.login_failed", extra={"address": address})
            raise Unauthenticated(INVALID_LOGIN)

        now = dt.datetime.now(dt.UTC)
        days = dt.timedelta(days=self.settings.refresh_token_days)
        async with in_transaction():
            session = await LoginSession.create(user=user, expires=now + days)
            refresh = await self._new_refresh_token(session)
            user.last_login = now
            await user.save(update_fields=["last_login"])
        logger.info(
            "auth.login", extra={"user": str(user.pk), "login": str(session.pk)}
        )
        return await self._tokens(user.pk, session.pk, refresh)

    def _window_start(self) -> dt.datetime:
        window = dt.timedelta(minutes=self.settings.login_failure_window_minutes)
        return dt.datetime.now(dt.UTC) - window

    async def _throttle(self, account: str, address: str) -> None:
        recent = LoginFailure.filter(date_created__gte=self._window_start())
        by_account = await recent.filter(account=account).count()
        by_address = await recent.filter(address=address[:64]).count()
        if (
            by_account >= self.settings.login_failures_per_account
            or by_address >= self.settings.login_failures_per_address
        ):
            raise LimitExceeded(
                "Too many failed sign-ins; try again in "
                f"{self.settings.login_failure_window_minutes} minutes."
            )

    async def refresh(self, refresh_token: str) -> Tokens:
        now = dt.datetime.now(dt.UTC)
        token = await RefreshToken.get_or_none(
            token_hash=digest(refresh_token)
        ).select_related("session")
        if token is None:
            raise Unauthenticated("This refresh token is not valid.")
        session = token.session
        # Claim the token: only one caller can move it from unused to used,
        # so of two racing refreshes one wins and the other is a reuse.
        claimed = await RefreshToken.filter(id=token.pk, used__isnull=True).update(
            used=now
        )
        if not claimed:
            await self._revoke(session, "refresh_token_reused")
            logger.warning(
                "auth.refresh_token_reused", extra={"login": str(session.pk)}
            )
            raise Unauthenticated(
                "This refresh token was already used; the login is revoked."
            )
        if session.revoked is not None or session.expires <= now:
            raise Unauthenticated("This login has ended; sign in again.")
        refresh = await self._new_refresh_token(session)
        return await self._tokens(session.user_id, session.pk, refresh)

    async def logout(self, refresh_token: str) -> None:
        token = await RefreshToken.get_or_none(
            token_hash=digest(refresh_token)
        ).select_related("session")
        if token is None:
            raise Unauthenticated("This refresh token is not valid.")
        await self._revoke(token.session, "logout")

    async def _revoke(self, session: LoginSession, reason: str) -> None:
        await LoginSession.filter(id=session.pk, revoked__isnull=True).update(
            revoked=dt.datetime.now(dt.UTC), revoked_reason=reason
        )

    async def _new_refresh_token(self, session: LoginSession) -> str:
        token = secrets.token_urlsafe(32)
        await RefreshToken.create(session=session, token_hash=digest(token))
        return token

    async def _tokens(
        self, user_id: uuid.UUID, session_id: uuid.UUID, refresh: str
    ) -> Tokens:
        now = dt.datetime.now(dt.UTC)
        lifetime = dt.timedelta(minutes=self.settings.access_token_minutes)
        claims = {
            "iss": ISSUER,
            "sub": str(user_id),
            "sid": str(session_id),
            "iat": now,
            "exp": now + lifetime,
        }
        access = jwt.encode(claims, await self.signing_key(), algorithm=ALGORITHM)
        return Tokens(access, refresh, int(lifetime.total_seconds() * 1000))

    async def principal(self, authorization: str | None) -> Principal:
        """The principal a request's Authorization header names.

        No header is the anonymous principal; a header that names no valid
        token is an error, never a silent fall back to anonymous.
        """
        if not authorization:
            return Principal(kind=PrincipalKind.ANONYMOUS)
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("Use an Authorization header of: Bearer <token>.")
        token = token.strip()
        if token.startswith(CHANNEL_PREFIX):
            return await self._channel(token)
        return await self._user(token)

    async def _user(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                await self.signing_key(),
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["exp", "sub", "sid", "iss"]},
            )
            user_id, session_id = uuid.UUID(claims["sub"]), uuid.UUID(claims["sid"])
        except jwt.ExpiredSignatureError as exc:
            raise Unauthenticated("The access token has expired; refresh it.") from exc
        except (jwt.InvalidTokenError, ValueError) as exc:
            raise Unauthenticated("The access token is not valid.") from exc
        session = await LoginSession.get_or_none(
            id=session_id, user_id=user_id
        ).select_related("user")
        if session is None or session.revoked is not None:
            raise Unauthenticated("This login has ended; sign in again.")
        if session.user.status != UserStatus.ACTIVE:
            raise Unauthenticated("This account is suspended.")
        return user_principal(user_id)

    async def _channel(self, token: str) -> Principal:
        found = await ChannelToken.get_or_none(token_hash=digest(token))
        if found is None or found.revoked is not None:
            raise Unauthenticated("The channel token is not valid.")
        channel, _ = await Channel.get_or_create(
            organization_id=found.organization_id, name=found.channel
        )
        return Principal(
            kind=PrincipalKind.CHANNEL,
            id=found.pk,
            organization_id=found.organization_id,
            channel_id=channel.pk,
        )


def user_principal(user_id: uuid.UUID) -> Principal:
    subject = f"user:{user_id}"
    return Principal(
        kind=PrincipalKind.USER,
        id=user_id,
        roles=policies.roles(subject),
        platform_admin=policies.is_platform_admin(subject),
    )
