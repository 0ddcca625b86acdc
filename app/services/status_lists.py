"""Revocation lists as W3C Bitstring Status Lists: indices, encoding, publication.

Every award holds one index in a list of its issuer. The list is published
as a credential of its own, signed like the awards, at a stable URL; a set
bit means revoked. Indices are claimed through the database, so two
processes never hand out the same one, and each publication holds the
list's row while it rebuilds the bits from the revoked awards, so a later
publication never loses an earlier revocation.
"""

import base64
import datetime as dt
import gzip
import logging
import secrets
import uuid
import zlib
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from app.models import Award, StatusList
from app.services import signing

logger = logging.getLogger("lexstack.credentials")

# 16 KiB of bits, the smallest list the W3C Recommendation allows: a list is
# herd privacy, and a short one would let its reader single out a holder.
SIZE = 131_072
PURPOSE = "revocation"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"


def url_of(list_id: Any) -> str:
    return f"{signing.base_url()}/status-lists/{list_id}"


def encode(bits: bytes) -> str:
    """GZIP, then base64url without padding, with the multibase prefix 'u'."""
    compressed = gzip.compress(bits, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode(encoded: str, max_bytes: int = SIZE // 8) -> bytes:
    """The bits of an encodedList; refuses more than max_bytes when inflated."""
    if not encoded.startswith("u"):
        raise ValueError("an encodedList is multibase base64url, prefixed 'u'")
    body = encoded[1:]
    compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    # Inflate with a bound: a few bytes of gzip may claim gigabytes.
    inflater = zlib.decompressobj(wbits=31)
    bits = inflater.decompress(compressed, max_bytes + 1)
    if len(bits) > max_bytes or not inflater.eof:
        raise ValueError("the status list is larger than lists lexstack publishes")
    return bits


def bitstring(size: int, indices: list[int]) -> bytes:
    """Bits set at the indices; index 0 is the leftmost bit of the first byte."""
    bits = bytearray(size // 8)
    for index in indices:
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def entry(status_list: StatusList, index: int) -> dict[str, Any]:
    """The credentialStatus of an award holding the index in the list."""
    url = url_of(status_list.pk)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": status_list.purpose,
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


async def _create(organization_id: uuid.UUID, sequence: int) -> StatusList:
    made = StatusList(
        id=uuid.uuid4(),
        organization_id=organization_id,
        sequence=sequence,
        purpose=PURPOSE,
        size=SIZE,
        # Odd strides are coprime with a power of two: the n-th claim's
        # index (n * stride + offset) mod SIZE visits every index once.
        stride=secrets.randbelow(SIZE // 2) * 2 + 1,
        offset=secrets.randbelow(SIZE),
    )
    try:
        await made.save()
    except IntegrityError:
        # Another process opened this list first; the caller looks again.
        return await StatusList.get(organization_id=organization_id, sequence=sequence)
    logger.info(
        "status_list.created",
        extra={"organization": str(organization_id), "status_list": str(made.pk)},
    )
    return await publish(made.pk)


async def with_room(organization_id: Any) -> StatusList:
    """The issuer's list that new awards take indices from, opened if need be."""
    latest = (
        await StatusList.filter(organization_id=organization_id)
        .order_by("-sequence")
        .first()
    )
    if latest is None:
        return await _create(organization_id, 1)
    if latest.next_index >= latest.size:
        return await _create(organization_id, latest.sequence + 1)
    return latest


async def claim(status_list: StatusList) -> int | None:
    """Take the list's next index, within the caller's transaction; None if full.

    The counter moves in one UPDATE, which also holds the row until the
    transaction ends, so what is read back afterwards is this claim's.
    """
    moved = await StatusList.filter(
        id=status_list.pk, next_index__lt=status_list.size
    ).update(next_index=F("next_index") + 1)
    if not moved:
        return None
    row = await StatusList.get(id=status_list.pk)
    return ((row.next_index - 1) * row.stride + row.offset) % row.size


async def publish(list_id: Any) -> StatusList:
    """Rebuild the list from its revoked awards, sign it, and keep it to serve."""
    row = await StatusList.get(id=list_id)
    # Made before the transaction: a first key is never made inside one.
    await signing.active_key(row.organization_id)

    async with in_transaction():
        # Writing first holds the row: publications of one list take turns,
        # and each reads every revocation committed before it.
        await StatusList.filter(id=row.pk).update(version=F("version") + 1)
        row = await StatusList.get(id=row.pk)
        revoked = await Award.filter(
            status_list=row.pk, revoked__isnull=False
        ).values_list("status_index", flat=True)
        url = url_of(row.pk)
        credential = {
            "@context": [VC_CONTEXT],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": signing.issuer_id(row.organization_id),
            "validFrom": signing.timestamp(dt.datetime.now(dt.UTC)),
            "credentialSubject": {
                "id": f"{url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": row.purpose,
                "encodedList": encode(bitstring(row.size, list(revoked))),
            },
        }
        token, _ = await signing.sign_credential(row.organization_id, credential)
        row.credential, row.jwt, row.date_published = (
            credential,
            token,
            signing.parse_timestamp(credential["validFrom"]),
        )
        await row.save(update_fields=["credential", "jwt", "date_published"])
    logger.info(
        "status_list.published",
        extra={
            "status_list": str(row.pk),
            "version": row.version,
            "revoked": len(revoked),
        },
    )
    return row


async def republish_all(organization_id: Any) -> int:
    """Publish every list of the issuer again, as signed by its current key."""
    ids = await StatusList.filter(organization_id=organization_id).values_list(
        "id", flat=True
    )
    for list_id in ids:
        await publish(list_id)
    return len(ids)
