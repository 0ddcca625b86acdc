"""Issuers' signing keys: made, sealed at rest, rotated, published; VC-JWT signing.

Each organization signs its credentials with its own RSA key (RS256, as
Open Badges 3.0 requires at a minimum). Private keys are kept only as
AES-256-GCM ciphertext under a key-encryption key from the settings (or,
if none is set, one made and kept in the database, like the token secret).
Rotation makes a new key that signs from then on; retired keys stay in the
issuer's JWKS so that what they signed still verifies.
"""

import base64
import datetime as dt
import hashlib
import json
import logging
import os
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from app.errors import Conflict, NotFound
from app.models import Organization, ServerSecret, SigningKey
from app.services.query import parse_id
from app.settings import Settings, get_settings
from permissions import Action, Principal, authorize

logger = logging.getLogger("lexstack.credentials")

ALGORITHM = "RS256"
KEY_BITS = 2048
# The name of the server_secrets row holding a made key-encryption key, when
# the settings give none: a row name, not the secret itself.
SECRET_NAME = "credential_key"  # noqa: S105
_INFO = b"lexstack credential signing keys v1"

_settings: Settings | None = None
_kek: AESGCM | None = None
_kek_fingerprint: str | None = None
# Decrypted private keys by key id. A key never changes once made, so what
# is held here is never stale.
_private: dict[uuid.UUID, RSAKey] = {}


def configure(settings: Settings) -> None:
    """Use these settings (the app's) instead of those read from the environment."""
    global _settings, _kek, _kek_fingerprint
    if _settings is not settings:
        _settings, _kek, _kek_fingerprint = settings, None, None
        _private.clear()


def settings() -> Settings:
    return _settings or get_settings()


def base_url() -> str:
    return settings().base_url


def issuer_id(organization_id: Any) -> str:
    return f"{base_url()}/issuers/{organization_id}"


def kid_of(key: SigningKey) -> str:
    """The key's id in JWT headers: a URL that answers with its public JWK."""
    return f"{issuer_id(key.organization_id)}/keys/{key.pk}"


def jwks_url(organization_id: Any) -> str:
    return f"{issuer_id(organization_id)}/jwks.json"


async def _key_encryption_key() -> tuple[AESGCM, str]:
    global _kek, _kek_fingerprint
    if _kek is None or _kek_fingerprint is None:
        material = settings().credential_key
        if material is None:
            found = await ServerSecret.get_or_none(name=SECRET_NAME)
            if found is None:
                await ServerSecret.get_or_create(
                    name=SECRET_NAME, defaults={"value": secrets.token_urlsafe(32)}
                )
                found = await ServerSecret.get(name=SECRET_NAME)
                logger.warning(
                    "credentials.key_encryption_key_generated",
                    extra={"hint": "set LEXSTACK_CREDENTIAL_KEY in production"},
                )
            material = found.value
        raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
            material.encode()
        )
        _kek = AESGCM(raw)
        _kek_fingerprint = hashlib.sha256(raw).hexdigest()[:16]
    return _kek, _kek_fingerprint


async def _seal(key_id: uuid.UUID, private_der: bytes) -> tuple[bytes, str]:
    kek, fingerprint = await _key_encryption_key()
    nonce = os.urandom(12)
    # The key's id is bound in as associated data: ciphertext moved to
    # another row does not decrypt there.
    return nonce + kek.encrypt(nonce, private_der, key_id.bytes), fingerprint


async def _unseal(key: SigningKey) -> RSAKey:
    if key.pk in _private:
        return _private[key.pk]
    kek, fingerprint = await _key_encryption_key()
    if key.kek_fingerprint != fingerprint:
        raise RuntimeError(
            f"Signing key {key.pk} was sealed under another credential key; "
            "set LEXSTACK_CREDENTIAL_KEY to the one it was made with."
        )
    sealed = bytes(key.encrypted_private_key)
    try:
        der = kek.decrypt(sealed[:12], sealed[12:], key.pk.bytes)
    except InvalidTag as exc:
        raise RuntimeError(f"Signing key {key.pk} does not decrypt.") from exc
    private = RSAKey.import_key(serialization.load_der_private_key(der, None))
    _private[key.pk] = private
    return private


async def _make_key(organization_id: uuid.UUID, generation: int) -> SigningKey:
    """A new RSA key for the organization; the caller saves it."""
    private = RSAKey.generate_key(KEY_BITS, private=True, auto_kid=False)
    der = private.as_der(private=True)
    key = SigningKey(
        id=uuid.uuid4(), organization_id=organization_id, generation=generation
    )
    key.encrypted_private_key, key.kek_fingerprint = await _seal(key.pk, der)
    key.public_jwk = {
        name: value
        for name, value in private.as_dict(private=False).items()
        if name in ("kty", "n", "e")
    }
    return key


async def active_key(organization_id: Any) -> SigningKey:
    """The key that signs for the organization now, made on first use."""
    org_key = parse_id(organization_id)
    key = (
        await SigningKey.filter(organization_id=org_key, retired__isnull=True)
        .order_by("-generation")
        .first()
    )
    if key is not None:
        return key
    if not await Organization.exists(id=org_key):
        raise NotFound(f"No organization with id {organization_id}.")
    made = await _make_key(org_key, 1)
    try:
        await made.save()
    except IntegrityError:
        # Another process made the first key meanwhile: use that one.
        pass
    else:
        logger.info(
            "signing_key.created",
            extra={"organization": str(org_key), "key": str(made.pk)},
        )
    return await active_key(org_key)


async def rotate(principal: Principal, organization_id: Any) -> SigningKey:
    """Retire the organization's signing key and make the next one."""
    org_key = parse_id(organization_id)
    authorize(principal, Action.ROTATE, "signing_keys", org_key)
    current = await active_key(org_key)

    made = await _make_key(org_key, current.generation + 1)
    try:
        async with in_transaction():
            await made.save()
            await SigningKey.filter(id=current.pk).update(
                retired=dt.datetime.now(dt.UTC)
            )
    except IntegrityError as exc:
        raise Conflict(
            "The key was rotated by someone else just now; nothing changed."
        ) from exc
    logger.info(
        "signing_key.rotated",
        extra={
            "organization": str(org_key),
            "retired": str(current.pk),
            "key": str(made.pk),
        },
    )
    return made


def public_jwk(key: SigningKey) -> dict[str, Any]:
    """The key as a public JWK: never a private member ('d', primes)."""
    return {
        "kty": "RSA",
        "n": key.public_jwk["n"],
        "e": key.public_jwk["e"],
        "alg": ALGORITHM,
        "use": "sig",
        "kid": kid_of(key),
    }


async def jwks(organization_id: Any) -> dict[str, Any]:
    """Every key the organization ever signed with, newest first."""
    keys = await SigningKey.filter(organization_id=parse_id(organization_id)).order_by(
        "-generation"
    )
    return {"keys": [public_jwk(key) for key in keys]}


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


async def sign(organization_id: Any, payload: dict[str, Any]) -> tuple[str, SigningKey]:
    """The payload as a compact JWS (a VC-JWT), signed by the active key."""
    key = await active_key(organization_id)
    header = {"alg": ALGORITHM, "kid": kid_of(key), "typ": "JWT"}
    token = jws.serialize_compact(header, canonical(payload), await _unseal(key))
    return token, key


@dataclass(frozen=True)
class Verified:
    header: dict[str, Any]
    payload: dict[str, Any]
    key: SigningKey


class BadSignature(Exception):
    """A token that is not a JWS this lexstack made; the message says why."""


def _segment(part: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def unverified_parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and payload of a compact JWS, unchecked: for reading, not trusting."""
    parts = token.split(".")
    if len(parts) != 3:
        raise BadSignature("A VC-JWT is three base64url parts joined by dots.")
    try:
        header, payload = _segment(parts[0]), _segment(parts[1])
    except (ValueError, RecursionError) as exc:
        raise BadSignature(
            "The JWT's header or payload is not base64url JSON."
        ) from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise BadSignature("The JWT's header and payload are JSON objects.")
    return header, payload


async def key_for_kid(kid: Any) -> SigningKey:
    """The signing key a kid names, if it is one of this lexstack's issuers'.

    Only kids under this server's own URL resolve, and they resolve from the
    database: a submitted credential never makes the server fetch anything.
    """
    prefix = f"{base_url()}/issuers/"
    if not isinstance(kid, str) or not kid.startswith(prefix):
        raise BadSignature(
            "The key is not one of this issuer's published keys; lexstack "
            "verifies only credentials it issued."
        )
    path = kid.removeprefix(prefix).split("/")
    key = None
    if len(path) == 3 and path[1] == "keys":
        try:
            organization, key_id = uuid.UUID(path[0]), uuid.UUID(path[2])
        except ValueError:
            pass
        else:
            key = await SigningKey.get_or_none(id=key_id, organization_id=organization)
    if key is None:
        raise BadSignature("The key named by the JWT's kid is not published here.")
    return key


async def verify(token: str) -> Verified:
    """Check a compact JWS against this lexstack's published keys."""
    header, _ = unverified_parts(token)
    if header.get("alg") != ALGORITHM:
        raise BadSignature(f"The JWT must be signed with {ALGORITHM}.")
    extra = set(header) - {"alg", "kid", "typ"}
    if extra:
        raise BadSignature(
            f"The JWT header has members VC-JWT does not allow: {extra}."
        )
    key = await key_for_kid(header.get("kid"))
    public = RSAKey.import_key(key.public_jwk)
    try:
        found = jws.deserialize_compact(token, public, algorithms=[ALGORITHM])
        payload = json.loads(found.payload)
    except (JoseError, ValueError) as exc:
        raise BadSignature("The signature does not match the credential.") from exc
    if not isinstance(payload, dict):
        raise BadSignature("The JWT payload is not a JSON object.")
    return Verified(header, payload, key)


def timestamp(moment: dt.datetime) -> str:
    """A date-time as credentials state them: UTC, to the second, with Z."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(value: Any) -> dt.datetime:
    """A credential's date-time; one without a time zone is refused."""
    if not isinstance(value, str):
        raise ValueError("a date-time is a string")
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("a date-time names its time zone")
    return moment


# Registered JWT claims that VC-JWT mirrors from the credential.
JWT_CLAIMS = ("iss", "jti", "nbf", "sub", "exp")


def claims_of(credential: dict[str, Any]) -> dict[str, Any]:
    """The JWT claims mirroring a credential's issuer, id, subject and dates."""
    issuer = credential["issuer"]
    claims = {
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": credential["id"],
        "nbf": int(parse_timestamp(credential["validFrom"]).timestamp()),
        "sub": credential["credentialSubject"]["id"],
    }
    if credential.get("validUntil"):
        claims["exp"] = int(parse_timestamp(credential["validUntil"]).timestamp())
    return claims


async def sign_credential(
    organization_id: Any, credential: dict[str, Any]
) -> tuple[str, SigningKey]:
    """The credential as a VC-JWT: the credential is the payload, with its claims."""
    return await sign(organization_id, {**credential, **claims_of(credential)})
