"""Awards verify outside lexstack; tampered, expired and revoked ones do not."""

import datetime as dt

import jwt
import pytest

from app.models import Award, MicroCredential, SigningKey
from app.services import awards, periods, signing
from tests.credentials.conftest import (
    PUBLIC_URL,
    earned,
    learn,
    micro_credential,
    quiz_course,
    years_ago,
)
from tests.credentials.verifying import (
    bit,
    credential_of,
    encoded,
    segment,
    set_bits,
    verified,
)

VC_JWT = {"accept": "application/vc+jwt"}
VC_JSON = {"accept": "application/json"}
REVOKE = """
mutation($id: ID!, $reason: String!) {
  revoke_award(id: $id, reason: $reason) { id state revoked revoked_reason }
}
"""
ROTATE = """
mutation($o: ID!) {
  rotate_signing_key(organization: $o) { id generation kid jwks_url }
}
"""
VERIFY = """
mutation($c: String!) {
  verify_credential(credential: $c) { valid state award checks { name passed detail } }
}
"""


async def _verify(web, body: str, media: str = "application/vc+jwt") -> dict:
    answer = await web.post(
        "/credentials/verify", content=body, headers={"content-type": media}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _checks(report: dict) -> dict:
    return {c["name"]: c["passed"] for c in report["checks"]}


async def test_a_credential_verifies_against_the_published_jwks(scene, web, ob3):
    award = await earned(scene)

    as_jwt = await web.get(f"/credentials/{award.pk}", headers=VC_JWT)
    as_json = await web.get(f"/credentials/{award.pk}", headers=VC_JSON)
    payload = await verified(web, as_jwt.text)

    assert as_jwt.headers["content-type"].startswith("application/vc+jwt")
    assert as_jwt.text == award.jwt
    assert as_json.json() == award.credential
    credential = credential_of(payload)
    assert credential == award.credential
    assert list(ob3.iter_errors(credential)) == []
    assert payload["iss"] == credential["issuer"]["id"]
    assert payload["jti"] == credential["id"]
    assert payload["sub"] == credential["credentialSubject"]["id"]
    assert payload["nbf"] == int(
        dt.datetime.fromisoformat(credential["validFrom"]).timestamp()
    )
    # The kid dereferences to the key that signed.
    kid = jwt.get_unverified_header(award.jwt)["kid"]
    assert kid.startswith(f"{PUBLIC_URL}/issuers/{scene.publisher.pk}/keys/")
    key = (await web.get(kid)).json()
    assert set(key) == {"kty", "n", "e", "alg", "use", "kid"}
    assert key["kid"] == kid
    report = await _verify(web, award.jwt)
    assert report["valid"] is True and report["state"] == "valid"
    assert _checks(report) == {
        "signature": True,
        "schema": True,
        "dates": True,
        "status": True,
    }
    assert report["award"] == str(award.pk)


async def test_json_of_a_credential_verifies_as_the_signed_one(scene, web):
    award = await earned(scene)

    report = await _verify(
        web, (await web.get(award.credential["id"])).text, "application/json"
    )

    assert _checks(report)["signature"] is True
    assert report["state"] == "valid"


async def test_a_tampered_credential_fails_its_signature(scene, web):
    award = await earned(scene)
    header, payload, signature = award.jwt.split(".")
    changed = segment(payload)
    changed["credentialSubject"]["achievement"]["name"] = "Senior Privacy Partner"
    forged = f"{header}.{encoded(changed)}.{signature}"

    with pytest.raises(jwt.InvalidSignatureError):
        await verified(web, forged)
    report = await _verify(web, forged)
    edited = dict(award.credential, name="Senior Privacy Partner")
    as_json = await _verify(web, signing.canonical(edited).decode(), "application/json")

    assert report["valid"] is False and report["state"] == "invalid"
    assert _checks(report)["signature"] is False
    assert as_json["valid"] is False
    assert _checks(as_json)["signature"] is False
    assert "differs" in as_json["checks"][0]["detail"]


async def test_an_expired_credential_fails_its_dates(scene, web, monkeypatch, ob3):
    await MicroCredential.filter(id=scene.badge.pk).update(validity_months=12)
    monkeypatch.setattr(awards, "now", lambda: years_ago(2))
    award = await earned(scene)

    with pytest.raises(jwt.ExpiredSignatureError):
        await verified(web, award.jwt)
    report = await _verify(web, award.jwt)

    assert award.valid_until == periods.add_months(award.valid_from, 12)
    assert award.valid_from <= years_ago(2) + dt.timedelta(minutes=1)
    assert awards.state_of(award) == "expired"
    assert award.credential["validUntil"] == signing.timestamp(award.valid_until)
    assert report["valid"] is False and report["state"] == "expired"
    assert _checks(report) == {
        "signature": True,
        "schema": True,
        "dates": False,
        "status": True,
    }


async def test_a_revoked_credential_fails_once_the_list_is_republished(
    scene, web, gql, ob3
):
    award = await earned(scene)
    status = award.credential["credentialStatus"]
    index = int(status["statusListIndex"])

    before = await web.get(status["statusListCredential"], headers=VC_JWT)
    listed = credential_of(await verified(web, before.text))
    revoked = await gql.data(
        REVOKE, {"id": str(award.pk), "reason": "Issued in error."}, scene.issuer_admin
    )
    after = await web.get(status["statusListCredential"], headers=VC_JWT)
    republished = credential_of(await verified(web, after.text))
    report = await _verify(web, award.jwt)

    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listed["issuer"] == award.credential["issuer"]["id"]
    assert bit(listed["credentialSubject"]["encodedList"], index) is False
    assert bit(republished["credentialSubject"]["encodedList"], index) is True
    assert set_bits(republished["credentialSubject"]["encodedList"]) == 1
    assert after.headers["cache-control"] == "no-cache"
    assert revoked["revoke_award"]["state"] == "revoked"
    assert revoked["revoke_award"]["revoked_reason"] == "Issued in error."
    assert report["valid"] is False and report["state"] == "revoked"
    assert _checks(report) == {
        "signature": True,
        "schema": True,
        "dates": True,
        "status": False,
    }
    # The credential itself is as issued: revocation is the list's to tell.
    assert (await web.get(award.credential["id"], headers=VC_JWT)).text == award.jwt


async def test_a_rotated_key_still_verifies_old_credentials(scene, web, gql):
    old = await earned(scene)
    old_kid = jwt.get_unverified_header(old.jwt)["kid"]

    rotated = await gql.data(ROTATE, {"o": str(scene.publisher.pk)}, scene.issuer_admin)
    breach = await quiz_course(scene.publisher, "Breach Response")
    second = await micro_credential(
        scene.publisher, "breach-response", "Breach Response", breach
    )
    await learn(scene.student, breach)
    new = await Award.get(user_id=scene.learner.pk, micro_credential_id=second.pk)
    new_kid = jwt.get_unverified_header(new.jwt)["kid"]
    keys = (await web.get(f"/issuers/{scene.publisher.pk}/jwks.json")).json()

    assert rotated["rotate_signing_key"]["generation"] == 2
    assert new_kid == rotated["rotate_signing_key"]["kid"] != old_kid
    assert [k["kid"] for k in keys["keys"]] == [new_kid, old_kid]
    assert credential_of(await verified(web, old.jwt)) == old.credential
    assert credential_of(await verified(web, new.jwt)) == new.credential
    assert (await _verify(web, old.jwt))["state"] == "valid"
    assert (await _verify(web, new.jwt))["state"] == "valid"


async def test_private_keys_are_sealed_under_the_settings_key(scene, web, issuing):
    award = await earned(scene)
    stored = await SigningKey.get(id=award.signing_key)
    sealed = bytes(stored.encrypted_private_key)
    private = await signing._unseal(stored)
    der = private.as_der(private=True)
    pem = private.as_pem(private=True)

    assert der not in sealed and pem not in sealed
    assert b"PRIVATE KEY" not in sealed
    assert "d" not in stored.public_jwk and "p" not in stored.public_jwk
    # Another credential key cannot open it.
    signing.configure(issuing.model_copy(update={"credential_key": "x" * 43}))
    fresh = await SigningKey.get(id=stored.pk)
    with pytest.raises(RuntimeError, match="sealed under another credential key"):
        await signing._unseal(fresh)
    signing.configure(issuing)


async def test_verify_mutation_reports_each_check(scene, web, gql, ob3):
    award = await earned(scene)

    good = await gql.data(VERIFY, {"c": award.jwt})
    as_json = await gql.data(
        VERIFY, {"c": signing.canonical(award.credential).decode()}
    )
    garbage = await gql.data(VERIFY, {"c": "not a credential"})

    assert good["verify_credential"]["valid"] is True
    assert good["verify_credential"]["award"] == str(award.pk)
    assert [c["name"] for c in good["verify_credential"]["checks"]] == [
        "signature",
        "schema",
        "dates",
        "status",
    ]
    assert all(c["passed"] for c in good["verify_credential"]["checks"])
    assert as_json["verify_credential"]["state"] == "valid"
    assert garbage["verify_credential"]["valid"] is False
    assert garbage["verify_credential"]["checks"] == [
        {
            "name": "signature",
            "passed": False,
            "detail": "A VC-JWT is three base64url parts joined by dots.",
        }
    ]
