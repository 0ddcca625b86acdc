"""What verification makes of hostile input: failed checks or a 4xx, never a 500."""

import base64
import hashlib
import hmac
import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.credentials.conftest import PUBLIC_URL, earned
from tests.credentials.verifying import encoded

VERIFY = """
mutation($c: String!) {
  verify_credential(credential: $c) { valid state checks { name passed detail } }
}
"""


async def _post(web, body: str, media: str = "text/plain"):
    return await web.post(
        "/credentials/verify", content=body, headers={"content-type": media}
    )


def _signature(report: dict) -> dict:
    return next(c for c in report["checks"] if c["name"] == "signature")


def _attacker_jwt(payload: dict, kid: str) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})


@pytest.mark.parametrize(
    "body",
    [
        "hello",
        "a.b.c",
        "....",
        "eyJhbGciOiJSUzI1NiJ9.%%%%.sig",
        "\x00\x01\x02",
        "[1, 2, 3]",
    ],
)
async def test_garbage_fails_the_signature_check_or_is_refused(web, body):
    answer = await _post(web, body)

    assert answer.status_code in (200, 400)
    if answer.status_code == 200:
        report = answer.json()
        assert report["valid"] is False and report["state"] == "invalid"
        assert _signature(report)["passed"] is False
    else:
        assert answer.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_a_huge_body_is_refused_with_its_limit(web, gql):
    huge = "x" * 70_000

    answer = await _post(web, huge)
    error = await gql.error(VERIFY, {"c": huge})

    assert answer.status_code == 413
    assert answer.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_deeply_nested_json_is_refused_not_crashed_on(web, gql):
    deep = '{"a":' * 5_000 + "1" + "}" * 5_000

    answer = await _post(web, deep, "application/json")
    as_text = await _post(web, deep)
    error = await gql.error(VERIFY, {"c": deep})

    assert answer.status_code == 400
    assert as_text.status_code == 400
    assert error["extensions"]["code"] == "INVALID_INPUT"


async def test_alg_none_is_refused(scene, web):
    award = await earned(scene)
    _, payload, _ = award.jwt.split(".")
    kid = jwt.get_unverified_header(award.jwt)["kid"]
    unsigned = f"{encoded({'alg': 'none', 'kid': kid})}.{payload}."

    report = (await _post(web, unsigned)).json()

    assert report["valid"] is False
    assert _signature(report) == {
        "name": "signature",
        "passed": False,
        "detail": "The JWT must be signed with RS256.",
    }


async def test_hs256_with_the_public_key_as_secret_is_refused(scene, web):
    award = await earned(scene)
    kid = jwt.get_unverified_header(award.jwt)["kid"]
    public = (await web.get(kid)).content
    _, payload, _ = award.jwt.split(".")
    signed = f"{encoded({'alg': 'HS256', 'kid': kid})}.{payload}"
    mac = hmac.new(public, signed.encode(), hashlib.sha256).digest()
    forged = f"{signed}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"

    report = (await _post(web, forged)).json()

    assert _signature(report)["passed"] is False
    assert report["state"] == "invalid"


async def test_a_foreign_kid_is_never_fetched_and_fails(scene, web):
    award = await earned(scene)
    payload = jwt.decode(award.jwt, options={"verify_signature": False})
    foreign = _attacker_jwt(payload, "https://attacker.example/keys/1")
    # A kid under this server's URL, but the attacker's signature.
    ours = _attacker_jwt(payload, jwt.get_unverified_header(award.jwt)["kid"])
    unknown = _attacker_jwt(
        payload, f"{PUBLIC_URL}/issuers/{award.organization_id}/keys/{award.pk}"
    )

    reports = [(await _post(web, token)).json() for token in (foreign, ours, unknown)]

    assert [r["valid"] for r in reports] == [False, False, False]
    assert [_signature(r)["detail"] for r in reports] == [
        "The key is not one of this issuer's published keys; lexstack verifies "
        "only credentials it issued.",
        "The signature does not match the credential.",
        "The key named by the JWT's kid is not published here.",
    ]


async def test_json_naming_urls_elsewhere_fails_without_fetching(scene, web):
    award = await earned(scene)
    elsewhere = json.loads(json.dumps(award.credential))
    elsewhere["id"] = "https://attacker.example/credentials/1"
    elsewhere["issuer"]["id"] = "http://169.254.169.254/latest/meta-data"
    elsewhere["credentialStatus"]["statusListCredential"] = "http://127.0.0.1:22/"

    report = (await _post(web, json.dumps(elsewhere), "application/json")).json()
    checks = {c["name"]: c for c in report["checks"]}

    assert report["valid"] is False
    assert checks["signature"]["passed"] is False
    assert checks["signature"]["detail"] == (
        "Not a credential issued here; lexstack verifies only its own."
    )
    assert checks["status"] == {
        "name": "status",
        "passed": False,
        "detail": "The status list is not one published here.",
    }


async def test_an_enveloped_credential_is_unwrapped(scene, web):
    award = await earned(scene)
    envelope = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": "EnvelopedVerifiableCredential",
        "id": f"data:application/vc+jwt,{award.jwt}",
    }

    report = (await _post(web, json.dumps(envelope), "application/json")).json()
    bad = await _post(
        web, json.dumps({**envelope, "id": "https://x.example"}), "application/json"
    )

    assert report["state"] == "valid"
    assert bad.status_code == 400
