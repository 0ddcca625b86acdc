"""Verifying a credential: signature, schema, dates and status, each reported.

A credential comes as its VC-JWT, as a VC 2.0 EnvelopedVerifiableCredential
holding one, or as plain credential JSON. Keys and status lists are resolved
from this lexstack's own database, never fetched: a submitted credential
names URLs, and following them would let anyone make the server call any
address. So only credentials issued here verify here.
"""

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft201909Validator

from app.errors import InvalidInput, LimitExceeded
from app.models import Award, StatusList
from app.services import signing, status_lists

# A credential is a few kilobytes; anything this large is not one.
MAX_BYTES = 65_536
ENVELOPE = "EnvelopedVerifiableCredential"
ENVELOPE_PREFIX = "data:application/vc+jwt,"
SIGNATURE, SCHEMA, DATES, STATUS = "signature", "schema", "dates", "status"
VALID, EXPIRED, REVOKED, INVALID = "valid", "expired", "revoked", "invalid"


@dataclass(frozen=True)
class Check:
    name: str
    # None: not checked, and the detail says why.
    ok: bool | None
    detail: str
    # What a failure means for the credential: expired, revoked; or invalid.
    means: str = INVALID


@dataclass
class Report:
    valid: bool
    state: str
    checks: list[Check] = field(default_factory=list)
    credential: dict[str, Any] | None = None
    award: uuid.UUID | None = None

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)


def _parse(submitted: Any) -> tuple[str | None, dict[str, Any] | None]:
    """The VC-JWT, or the credential JSON, that was submitted."""
    if isinstance(submitted, str):
        text = submitted.strip()
        if len(text.encode()) > MAX_BYTES:
            raise LimitExceeded(f"A credential is at most {MAX_BYTES} bytes.")
        if not text.startswith("{"):
            return text, None
        try:
            submitted = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise InvalidInput("The credential is neither a JWT nor JSON.") from exc
    if not isinstance(submitted, dict):
        raise InvalidInput("A credential is a VC-JWT or a JSON object.")
    try:
        size = len(signing.canonical(submitted))
    except (ValueError, RecursionError) as exc:
        raise InvalidInput("The credential is not plain JSON.") from exc
    if size > MAX_BYTES:
        raise LimitExceeded(f"A credential is at most {MAX_BYTES} bytes.")
    types = submitted.get("type")
    if types == ENVELOPE or (isinstance(types, list) and ENVELOPE in types):
        inner = submitted.get("id")
        if not isinstance(inner, str) or not inner.startswith(ENVELOPE_PREFIX):
            raise InvalidInput(
                f"An {ENVELOPE} holds its VC-JWT in id, as {ENVELOPE_PREFIX}<jwt>."
            )
        return inner.removeprefix(ENVELOPE_PREFIX), None
    return None, submitted


def _without_claims(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k not in signing.JWT_CLAIMS}


async def verify(submitted: Any) -> Report:
    """Every check of the credential, and whether it is valid, expired or revoked."""
    token, document = _parse(submitted)
    if token is not None:
        signature, document = await _check_jwt(token)
    else:
        assert document is not None
        signature = await _check_json(document)
    report = Report(valid=False, state=INVALID, credential=document)
    report.checks.append(signature)
    if document is None:
        return report

    report.award = await _award_of(document)
    report.checks.append(_check_schema(document))
    dates = _check_dates(document)
    report.checks.append(dates)
    status = await _check_status(document)
    report.checks.append(status)

    failed = [c for c in report.checks if c.ok is False]
    if not failed:
        report.state = VALID
    elif all(c.means != INVALID for c in failed):
        # Revoked outweighs expired: it is the issuer's word on the award.
        report.state = REVOKED if any(c.means == REVOKED for c in failed) else EXPIRED
    report.valid = report.state == VALID
    return report


async def _check_jwt(token: str) -> tuple[Check, dict[str, Any] | None]:
    try:
        _, payload = signing.unverified_parts(token)
    except signing.BadSignature as exc:
        return Check(SIGNATURE, False, str(exc)), None
    document = _without_claims(payload)
    try:
        verified = await signing.verify(token)
    except signing.BadSignature as exc:
        return Check(SIGNATURE, False, str(exc)), document
    problem = _claims_problem(verified.payload, document, verified.key)
    if problem:
        return Check(SIGNATURE, False, problem), document
    return (
        Check(
            SIGNATURE,
            True,
            f"Signed with RS256 by the issuer's key {signing.kid_of(verified.key)}.",
        ),
        document,
    )


def _claims_problem(
    payload: dict[str, Any], document: dict[str, Any], key: Any
) -> str | None:
    """Why the JWT claims do not mirror the credential, or None when they do."""
    try:
        expected = signing.claims_of(document)
    except (KeyError, TypeError, ValueError):
        return "The credential lacks its issuer, id, subject id or validFrom."
    for claim in signing.JWT_CLAIMS:
        if payload.get(claim) != expected.get(claim):
            return f"The JWT claim {claim} does not match the credential."
    if expected["iss"] != signing.issuer_id(key.organization_id):
        return "The credential names an issuer other than the key's organization."
    return None


async def _check_json(document: dict[str, Any]) -> Check:
    """Plain JSON carries no signature of its own: it must be what was signed."""
    if "proof" in document:
        return Check(
            SIGNATURE,
            False,
            "Embedded proofs are not verified here; submit the credential's VC-JWT.",
        )
    award = await _award_of(document)
    if award is None:
        return Check(
            SIGNATURE,
            False,
            "Not a credential issued here; lexstack verifies only its own.",
        )
    try:
        verified = await signing.verify(award.jwt)
    except signing.BadSignature as exc:
        return Check(SIGNATURE, False, f"The issued VC-JWT does not verify: {exc}")
    if _without_claims(verified.payload) != document:
        return Check(
            SIGNATURE,
            False,
            "The credential differs from the one its issuer signed.",
        )
    return Check(
        SIGNATURE,
        True,
        "Identical to the VC-JWT the issuer signed with RS256 by key "
        f"{signing.kid_of(verified.key)}.",
    )


async def _award_of(document: dict[str, Any]) -> Award | None:
    prefix = f"{signing.base_url()}/credentials/"
    found = document.get("id")
    if not isinstance(found, str) or not found.startswith(prefix):
        return None
    try:
        key = uuid.UUID(found.removeprefix(prefix))
    except ValueError:
        return None
    return await Award.get_or_none(id=key)


@cache
def _validator(path: Path) -> Draft201909Validator:
    schema = json.loads(path.read_text())
    return Draft201909Validator(
        schema, format_checker=Draft201909Validator.FORMAT_CHECKER
    )


def _check_schema(document: dict[str, Any]) -> Check:
    path = signing.settings().ob3_schema
    if path is None:
        return Check(
            SCHEMA,
            None,
            "Not checked: LEXSTACK_OB3_SCHEMA names no Open Badges 3.0 schema file.",
        )
    try:
        # Paths mix names and indices: sorted as text, never compared raw.
        errors = sorted(
            _validator(path).iter_errors(document),
            key=lambda e: [str(p) for p in e.absolute_path],
        )
    except RecursionError:
        return Check(SCHEMA, False, "The credential is nested too deeply to check.")
    subject = document.get("credentialSubject")
    if isinstance(subject, dict) and not (
        subject.get("id") or subject.get("identifier")
    ):
        return Check(SCHEMA, False, "The subject has neither an id nor an identifier.")
    if errors:
        shown = "; ".join(
            f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
            for e in errors[:3]
        )
        return Check(SCHEMA, False, f"{len(errors)} problems with the schema: {shown}")
    return Check(SCHEMA, True, "Valid against the Open Badges 3.0 JSON Schema.")


def _check_dates(document: dict[str, Any]) -> Check:
    moment = dt.datetime.now(dt.UTC)
    try:
        valid_from = signing.parse_timestamp(document.get("validFrom"))
        until = document.get("validUntil")
        valid_until = signing.parse_timestamp(until) if until is not None else None
    except ValueError:
        return Check(DATES, False, "validFrom and validUntil are RFC 3339 date-times.")
    if valid_from > moment:
        return Check(DATES, False, f"Not valid before {document['validFrom']}.")
    if valid_until is not None and valid_until <= moment:
        return Check(
            DATES, False, f"Expired on {document['validUntil']}.", means=EXPIRED
        )
    if valid_until is None:
        return Check(DATES, True, f"Valid from {document['validFrom']}, no end date.")
    return Check(
        DATES, True, f"Valid from {document['validFrom']} to {document['validUntil']}."
    )


async def _check_status(document: dict[str, Any]) -> Check:
    status = document.get("credentialStatus")
    if status is None:
        return Check(STATUS, None, "The credential declares no status.")
    if not isinstance(status, dict) or status.get("type") != "BitstringStatusListEntry":
        return Check(STATUS, False, "The status is not a BitstringStatusListEntry.")
    if status.get("statusPurpose") != status_lists.PURPOSE:
        return Check(STATUS, False, "Only revocation status is published here.")
    status_list = await _status_list_of(status.get("statusListCredential"))
    if status_list is None or status_list.jwt is None:
        return Check(STATUS, False, "The status list is not one published here.")
    try:
        index = int(status.get("statusListIndex"))
    except (TypeError, ValueError):
        index = -1
    if not 0 <= index < status_list.size:
        return Check(STATUS, False, "The status list index is out of range.")

    try:
        verified = await signing.verify(status_list.jwt)
        bits = status_lists.decode(verified.payload["credentialSubject"]["encodedList"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return Check(STATUS, False, "The published status list does not verify.")
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if verified.payload.get("issuer") != issuer_id:
        return Check(STATUS, False, "The status list belongs to another issuer.")
    published = verified.payload.get("validFrom")
    if status_lists.is_set(bits, index):
        return Check(
            STATUS,
            False,
            f"Revoked: so says the issuer's status list of {published}.",
            means=REVOKED,
        )
    return Check(STATUS, True, f"Not revoked, by the status list of {published}.")


async def _status_list_of(url: Any) -> StatusList | None:
    prefix = f"{signing.base_url()}/status-lists/"
    if not isinstance(url, str) or not url.startswith(prefix):
        return None
    try:
        return await StatusList.get_or_none(id=uuid.UUID(url.removeprefix(prefix)))
    except ValueError:
        return None
