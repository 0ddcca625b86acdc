"""The Open Badges 3.0 shape of an award: an OpenBadgeCredential as JSON.

Plain data in, plain JSON out; awards.py gathers what goes in. Credit hours
by jurisdiction and category have no place in Open Badges (its
`creditsEarned` is one number), so they travel as an extension term,
`cleCredits`, defined in an inline JSON-LD context: it adds terms without
touching the protected ones, and the JSON Schema allows extra properties.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.services import signing

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
    "ob_v3p0_achievementcredential_schema.json"
)
SCHEMA_VALIDATOR = "1EdTechJsonSchemaValidator2019"
MICRO_CREDENTIAL = "MicroCredential"
CERTIFICATE = "Certificate"


def extension_context() -> dict[str, Any]:
    """The JSON-LD terms of lexstack's CLE credit extension."""
    ns = f"{signing.base_url()}/ns/cle#"
    return {
        "CleCredit": f"{ns}CleCredit",
        "cleCredits": {
            "@id": f"{ns}cleCredits",
            "@container": "@set",
            "@context": {
                "jurisdiction": f"{ns}jurisdiction",
                "category": f"{ns}category",
                "hours": f"{ns}hours",
            },
        },
    }


@dataclass(frozen=True)
class Issuer:
    id: Any
    name: str
    website: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Outcome:
    """How the learner met one criterion: a percentage, or a completion."""

    id: str
    name: str
    percent: Decimal | None = None
    required_percent: int | None = None


@dataclass(frozen=True)
class Alignment:
    name: str
    url: str
    code: str
    framework: str


@dataclass(frozen=True)
class Part:
    """An award a pathway award rests on."""

    url: str
    title: str
    awarded: dt.datetime


@dataclass
class Achievement:
    id: str
    name: str
    description: str
    criteria: str
    achievement_type: str
    outcomes: list[Outcome] = field(default_factory=list)
    alignments: list[Alignment] = field(default_factory=list)


def profile(issuer: Issuer) -> dict[str, Any]:
    """The issuer's Open Badges Profile."""
    found: dict[str, Any] = {
        "id": signing.issuer_id(issuer.id),
        "type": ["Profile"],
        "name": issuer.name,
    }
    if issuer.website and issuer.website.startswith(("https://", "http://")):
        found["url"] = issuer.website
    if issuer.description:
        found["description"] = issuer.description
    return found


def _achievement(achievement: Achievement) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": achievement.id,
        "type": ["Achievement"],
        "achievementType": achievement.achievement_type,
        "name": achievement.name,
        "description": achievement.description,
        "criteria": {"narrative": achievement.criteria},
    }
    if achievement.alignments:
        found["alignment"] = [
            {
                "type": ["Alignment"],
                "targetName": a.name,
                "targetUrl": a.url,
                "targetCode": a.code,
                "targetFramework": a.framework,
            }
            for a in achievement.alignments
        ]
    if achievement.outcomes:
        found["resultDescription"] = [
            _result_description(o) for o in achievement.outcomes
        ]
    return found


def _result_description(outcome: Outcome) -> dict[str, Any]:
    if outcome.percent is None:
        return {
            "id": outcome.id,
            "type": ["ResultDescription"],
            "name": outcome.name,
            "resultType": "Status",
        }
    described: dict[str, Any] = {
        "id": outcome.id,
        "type": ["ResultDescription"],
        "name": outcome.name,
        "resultType": "Percent",
        "valueMin": "0",
        "valueMax": "100",
    }
    if outcome.required_percent is not None:
        described["requiredValue"] = str(outcome.required_percent)
    return described


def _result(outcome: Outcome) -> dict[str, Any]:
    if outcome.percent is None:
        return {
            "type": ["Result"],
            "resultDescription": outcome.id,
            "status": "Completed",
        }
    return {
        "type": ["Result"],
        "resultDescription": outcome.id,
        "value": str(outcome.percent),
    }


def credential(
    *,
    award_id: Any,
    issuer: Issuer,
    subject_id: str,
    learner_name: str,
    achievement: Achievement,
    credits: dict[tuple[str, str], Decimal],
    parts: list[Part],
    valid_from: dt.datetime,
    valid_until: dt.datetime | None,
    status: dict[str, Any],
) -> dict[str, Any]:
    """The OpenBadgeCredential of an award, ready to sign."""
    subject: dict[str, Any] = {
        "id": subject_id,
        "type": ["AchievementSubject"],
        # The name on the learner profile, as the bars know the lawyer; the
        # email address never goes into a credential that anyone may read.
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": learner_name,
                "identityType": "name",
                "hashed": False,
            }
        ],
        "achievement": _achievement(achievement),
    }
    if achievement.outcomes:
        subject["result"] = [_result(o) for o in achievement.outcomes]
    if credits:
        subject["cleCredits"] = [
            {
                "type": "CleCredit",
                "jurisdiction": code,
                "category": category,
                "hours": float(hours),
            }
            for (code, category), hours in sorted(credits.items())
        ]
    found: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT, extension_context()],
        "id": credential_url(award_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement.name,
        "description": achievement.description,
        "issuer": profile(issuer),
        "validFrom": signing.timestamp(valid_from),
        "awardedDate": signing.timestamp(valid_from),
        "credentialSubject": subject,
        "credentialSchema": [{"id": OB_SCHEMA, "type": SCHEMA_VALIDATOR}],
        "credentialStatus": status,
    }
    if valid_until is not None:
        found["validUntil"] = signing.timestamp(valid_until)
    if parts:
        # A pathway names the micro-credentials it rests on: each is
        # evidence, by the URL where its own credential verifies.
        found["evidence"] = [
            {
                "id": part.url,
                "type": ["Evidence"],
                "name": part.title,
                "description": f"The micro-credential {part.title}, awarded "
                f"{part.awarded.date().isoformat()}.",
                "genre": "Micro-credential",
            }
            for part in parts
        ]
    return found


def credential_url(award_id: Any) -> str:
    return f"{signing.base_url()}/credentials/{award_id}"
