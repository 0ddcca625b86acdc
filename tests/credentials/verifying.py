"""An independent verifier: PyJWT against the JWKS the issuer publishes over HTTP."""

import base64
import gzip
import json
from typing import Any

import httpx
import jwt

CLAIMS = ("iss", "jti", "nbf", "sub", "exp")


def segment(part: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def encoded(value: Any) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def published_keys(web: httpx.AsyncClient, token: str) -> dict[str, Any]:
    """The JWKS of the issuer the token names, fetched from its stable URL."""
    issuer = jwt.decode(token, options={"verify_signature": False})["iss"]
    answer = await web.get(f"{issuer}/jwks.json")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/jwk-set+json")
    return answer.json()


async def verified(web: httpx.AsyncClient, token: str) -> dict[str, Any]:
    """The token's payload, once PyJWT has checked it against the issuer's JWKS."""
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256"
    assert set(header) <= {"alg", "kid", "typ"}
    keys = jwt.PyJWKSet.from_dict(await published_keys(web, token))
    key = next(k for k in keys.keys if k.key_id == header["kid"])
    return jwt.decode(
        token,
        key.key,
        algorithms=["RS256"],
        options={"require": ["iss", "jti", "nbf", "sub"]},
    )


def credential_of(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k not in CLAIMS}


def bit(encoded_list: str, index: int) -> bool:
    """The bit at the index of a Bitstring Status List: multibase, gzip, MSB first."""
    assert encoded_list.startswith("u")
    body = encoded_list[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert len(bits) * 8 >= 131_072
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bits(encoded_list: str) -> int:
    body = encoded_list[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return sum(bin(b).count("1") for b in bits)
