"""Awards over GraphQL: a learner's awards, verification, revocation, key rotation."""

import datetime as dt
from typing import Any

import strawberry
from strawberry.scalars import JSON

from app.models import Award, Organization, SigningKey
from app.services import awards, signing, verification


@strawberry.type(name="award")
class AwardType:
    id: strawberry.ID
    kind: str = strawberry.field(description="micro_credential or pathway.")
    title: str
    user: strawberry.ID = strawberry.field(description="The learner it was issued to.")
    organization: strawberry.ID = strawberry.field(description="The issuer.")
    issuer_name: str
    micro_credential: strawberry.ID | None
    pathway: strawberry.ID | None
    parts: list[strawberry.ID] = strawberry.field(
        description="For a pathway, the awards it rests on."
    )
    valid_from: dt.datetime
    valid_until: dt.datetime | None
    state: str = strawberry.field(description="valid, expired or revoked.")
    revoked: dt.datetime | None
    revoked_reason: str | None
    credential_url: str = strawberry.field(
        description="Where anyone verifies it: a page for people, JSON or the "
        "VC-JWT by content negotiation."
    )
    linkedin_url: str = strawberry.field(
        description="LinkedIn's add-to-profile link, filled in with the award."
    )
    jwt: str = strawberry.field(description="The credential as a signed VC-JWT.")
    credential: JSON = strawberry.field(
        description="The Open Badges 3.0 OpenBadgeCredential, as signed."
    )


@strawberry.type(name="credential_check")
class CheckType:
    name: str = strawberry.field(description="signature, schema, dates or status.")
    passed: bool | None = strawberry.field(
        description="Null when the check could not be made; the detail says why."
    )
    detail: str


@strawberry.type(name="credential_verification")
class VerificationType:
    valid: bool
    state: str = strawberry.field(description="valid, expired, revoked or invalid.")
    award: strawberry.ID | None = strawberry.field(
        description="The award verified, when it was issued here."
    )
    checks: list[CheckType]
    credential: JSON | None


@strawberry.type(name="signing_key")
class SigningKeyType:
    id: strawberry.ID
    organization: strawberry.ID
    generation: int
    kid: str = strawberry.field(description="The key's id in VC-JWT headers.")
    jwks_url: str = strawberry.field(description="Where the issuer's keys are.")
    date_created: dt.datetime


async def _shaped(found: list[Award]) -> list[AwardType]:
    names = dict(
        await Organization.filter(
            id__in={a.organization_id for a in found}
        ).values_list("id", "name")
    )
    return [_award(a, names[a.organization_id]) for a in found]


def _award(award: Award, issuer_name: str) -> AwardType:
    return AwardType(
        id=strawberry.ID(str(award.pk)),
        kind=award.kind.value,
        title=award.title,
        user=strawberry.ID(str(award.user_id)),
        organization=strawberry.ID(str(award.organization_id)),
        issuer_name=issuer_name,
        micro_credential=_id(award.micro_credential_id),
        pathway=_id(award.pathway_id),
        parts=[strawberry.ID(p) for p in award.parts],
        valid_from=award.valid_from,
        valid_until=award.valid_until,
        state=awards.state_of(award),
        revoked=award.revoked,
        revoked_reason=award.revoked_reason,
        credential_url=awards.credential_url(award),
        linkedin_url=awards.linkedin_url(award, issuer_name),
        jwt=award.jwt,
        credential=award.credential,
    )


def _id(value: Any) -> strawberry.ID | None:
    return strawberry.ID(str(value)) if value is not None else None


def _key(key: SigningKey) -> SigningKeyType:
    return SigningKeyType(
        id=strawberry.ID(str(key.pk)),
        organization=strawberry.ID(str(key.organization_id)),
        generation=key.generation,
        kid=signing.kid_of(key),
        jwks_url=signing.jwks_url(key.organization_id),
        date_created=key.date_created,
    )


def _verification(report: verification.Report) -> VerificationType:
    return VerificationType(
        valid=report.valid,
        state=report.state,
        award=_id(report.award.pk if report.award else None),
        checks=[
            CheckType(name=c.name, passed=c.ok, detail=c.detail) for c in report.checks
        ],
        credential=report.credential,
    )


def fields(types: dict[str, type]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The query and mutation fields of this module."""

    async def my_awards(info: strawberry.Info) -> list[AwardType]:
        return await _shaped(await awards.listed(info.context.principal))

    async def awards_(
        info: strawberry.Info,
        user: strawberry.ID | None = None,
        organization: strawberry.ID | None = None,
    ) -> list[AwardType]:
        found = await awards.listed(info.context.principal, user, organization)
        return await _shaped(found)

    async def award(info: strawberry.Info, id: strawberry.ID) -> AwardType:
        found = await awards.readable(info.context.principal, id)
        return (await _shaped([found]))[0]

    async def evaluate_awards(
        info: strawberry.Info, user: strawberry.ID | None = None
    ) -> list[AwardType]:
        return await _shaped(await awards.evaluate_for(info.context.principal, user))

    async def verify_credential(
        info: strawberry.Info, credential: str
    ) -> VerificationType:
        return _verification(await verification.verify(credential))

    async def revoke_award(
        info: strawberry.Info, id: strawberry.ID, reason: str
    ) -> AwardType:
        found = await awards.revoke(info.context.principal, id, reason)
        return (await _shaped([found]))[0]

    async def rotate_signing_key(
        info: strawberry.Info, organization: strawberry.ID
    ) -> SigningKeyType:
        return _key(await signing.rotate(info.context.principal, organization))

    query = {
        "my_awards": strawberry.field(
            resolver=my_awards, description="Your awards, oldest first."
        ),
        "awards": strawberry.field(
            resolver=awards_,
            description="A learner's awards (for them, their firm's admins, and "
            "the issuers' admins, each issuer's own), or with `organization` "
            "what that organization issued, for its admins.",
        ),
        "award": strawberry.field(
            resolver=award,
            description="One award, for its learner, their firm's admins and "
            "the issuer's admins.",
        ),
    }
    mutation = {
        "evaluate_awards": strawberry.mutation(
            resolver=evaluate_awards,
            description="Issue the awards a learner has earned and not yet "
            "received (yours without `user`), and list all of theirs.",
        ),
        "verify_credential": strawberry.mutation(
            resolver=verify_credential,
            description="Check a credential issued here, given as its VC-JWT or "
            "its JSON: signature, schema, dates and status, each with a detail.",
        ),
        "revoke_award": strawberry.mutation(
            resolver=revoke_award,
            description="Revoke an award, with the reason; the issuer's status "
            "list is republished at once. For admins of the issuer.",
        ),
        "rotate_signing_key": strawberry.mutation(
            resolver=rotate_signing_key,
            description="Make a new signing key for the organization; older keys "
            "stay published so what they signed still verifies.",
        ),
    }
    return query, mutation
