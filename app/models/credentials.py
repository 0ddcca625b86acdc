"""Awards and what makes them verifiable: signing keys and status lists.

An award is the signed credential itself, kept as issued: the credential
JSON and its VC-JWT never change after issuance, and revocation is told to
the world through the issuer's status list, not by editing the award.
"""

import uuid
from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from app.models.base import Owned


class AwardKind(StrEnum):
    MICRO_CREDENTIAL = "micro_credential"
    PATHWAY = "pathway"


class Award(Owned):
    """A micro-credential or pathway issued to a learner, signed by the issuer.

    The organization is the issuer, whose admins may revoke it, and the
    learner (`user`) reads their own. Exactly one of micro_credential and
    pathway is set. A learner holds each at most once.
    """

    user = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.RESTRICT
    )
    profile = fields.ForeignKeyField(
        "models.LearnerProfile", related_name=False, on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(AwardKind, max_length=20)
    micro_credential = fields.ForeignKeyField(
        "models.MicroCredential",
        related_name=False,
        null=True,
        on_delete=fields.RESTRICT,
    )
    pathway = fields.ForeignKeyField(
        "models.Pathway", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    title = fields.CharField(max_length=200)
    valid_from = fields.DatetimeField()
    valid_until = fields.DatetimeField(null=True)
    # The awards a pathway award rests on, by id.
    parts = fields.JSONField(default=list)
    # The entry in the issuer's revocation list (status_lists, by id).
    status_list = fields.UUIDField()
    status_index = fields.IntField()
    signing_key = fields.UUIDField()
    credential = fields.JSONField()
    jwt = fields.TextField()
    revoked = fields.DatetimeField(null=True)
    revoked_reason = fields.TextField(null=True)
    revoked_by = fields.UUIDField(null=True)

    search_fields = ("title",)
    read_only_collection = True
    owner_field = "user"
    # The API shows awards through the credential operations, with their
    # state and links, rather than as a Directus collection.
    exposed = False

    class Meta:
        table = "awards"
        unique_together = (
            ("user", "micro_credential"),
            ("user", "pathway"),
            ("status_list", "status_index"),
        )


class SigningKey(Model):
    """An organization's RSA key for signing credentials, encrypted at rest.

    Keys are numbered per organization. The newest signs, and every older
    one stays published so that what it signed still verifies.
    """

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    organization = fields.ForeignKeyField(
        "models.Organization", related_name=False, on_delete=fields.RESTRICT
    )
    generation = fields.IntField()
    public_jwk = fields.JSONField()
    # AES-GCM nonce followed by the ciphertext of the PKCS#8 private key.
    encrypted_private_key = fields.BinaryField()
    # Which key-encryption key sealed it: the first bytes of its digest.
    kek_fingerprint = fields.CharField(max_length=16)
    date_created = fields.DatetimeField(auto_now_add=True)
    retired = fields.DatetimeField(null=True)

    class Meta:
        table = "signing_keys"
        unique_together = (("organization", "generation"),)


class StatusList(Model):
    """One revocation list of an issuer, a W3C Bitstring Status List.

    Indices are claimed by counting `next_index` up in the database. The
    published credential is rebuilt from the revoked awards on every change.
    """

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    organization = fields.ForeignKeyField(
        "models.Organization", related_name=False, on_delete=fields.RESTRICT
    )
    sequence = fields.IntField()
    purpose = fields.CharField(max_length=20, default="revocation")
    size = fields.IntField()
    next_index = fields.IntField(default=0)
    # The n-th claim gets index (n * stride + offset) mod size: every index
    # once, in an order that does not tell a stranger who was awarded when.
    stride = fields.IntField()
    offset = fields.IntField()
    # Bumped by every publication, which writes it first to hold the row.
    version = fields.IntField(default=0)
    credential = fields.JSONField(null=True)
    jwt = fields.TextField(null=True)
    date_published = fields.DatetimeField(null=True)

    class Meta:
        table = "status_lists"
        unique_together = (("organization", "sequence"),)


__all__ = ["Award", "AwardKind", "SigningKey", "StatusList"]
