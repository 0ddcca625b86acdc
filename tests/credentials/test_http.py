"""The public credential URLs: content negotiation, the page, issuers, lists."""

import uuid

from app.services import awards
from tests.credentials.conftest import PUBLIC_URL, earned


async def test_a_browser_gets_a_page_under_a_strict_policy(scene, web):
    award = await earned(scene)

    page = await web.get(
        f"/credentials/{award.pk}",
        headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert policy.startswith("default-src 'none'; style-src 'sha256-")
    assert "script" not in page.text.lower()
    assert page.headers["vary"] == "Accept"
    for shown in ("Lee Lovelace", "GDPR Practitioner", "Lexcel CLE", "Valid"):
        assert shown in page.text
    assert "ada@hartwell.example" not in page.text
    assert 'href="https://www.linkedin.com/profile/add?' in page.text


async def test_json_and_jwt_have_addresses_of_their_own(scene, web):
    award = await earned(scene)

    as_json = await web.get(f"/credentials/{award.pk}.json")
    as_jwt = await web.get(f"/credentials/{award.pk}.jwt")
    default = await web.get(f"/credentials/{award.pk}")

    assert as_json.json() == award.credential
    assert as_json.headers["access-control-allow-origin"] == "*"
    assert as_jwt.text == award.jwt
    assert default.json() == award.credential


async def test_unknown_credentials_are_not_found(web):
    missing = uuid.uuid4()

    as_json = await web.get(f"/credentials/{missing}")
    as_page = await web.get(f"/credentials/{missing}", headers={"accept": "text/html"})
    as_list = await web.get(f"/status-lists/{missing}")
    as_keys = await web.get(f"/issuers/{missing}/jwks.json")

    assert as_json.status_code == 404
    assert as_json.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert as_page.status_code == 404
    assert "No such credential" in as_page.text
    assert (as_list.status_code, as_keys.status_code) == (404, 404)


async def test_the_issuer_profile_is_public(scene, web):
    award = await earned(scene)

    profile = await web.get(award.credential["issuer"]["id"])

    assert profile.json() == {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": f"{PUBLIC_URL}/issuers/{scene.publisher.pk}",
        "type": ["Profile"],
        "name": "Lexcel CLE",
        "url": "https://lexcel.example",
    }


async def test_the_status_list_is_served_as_json_when_asked(scene, web):
    award = await earned(scene)
    url = award.credential["credentialStatus"]["statusListCredential"]

    as_json = await web.get(url, headers={"accept": "application/vc+ld+json"})

    assert as_json.json()["id"] == url
    assert as_json.json()["credentialSubject"]["statusPurpose"] == "revocation"
    assert awards.state_of(award) == "valid"
