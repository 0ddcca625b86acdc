"""Sign-in, rotation, sign-out and bearer tokens, over HTTP as a client sees them."""

import asyncio
import base64
import datetime as dt
import json

import jwt
import pytest

from app.models import LoginSession, ServerSecret
from app.services import identity
from permissions import SYSTEM
from tests import factories

LOGIN = """mutation($e: String!, $p: String!) {
  auth_login(email: $e, password: $p) { access_token refresh_token expires }
}"""
REFRESH = """mutation($t: String!) {
  auth_refresh(refresh_token: $t) { access_token refresh_token expires }
}"""
ME = "{ users_me { email } }"


async def post(http, query, variables=None, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    return response.status_code, response.json()


async def login(http, email, password=factories.PASSWORD):
    status, body = await post(http, LOGIN, {"e": email, "p": password})
    assert status == 200, body
    return body


@pytest.fixture
async def member(auth, clean):
    org = await factories.organization(slug="home")
    return await factories.user(auth, "Lawyer@Firm.example", creator=org)


async def test_login_gives_tokens_that_identify_the_user(http, member):
    body = await login(http, "lawyer@firm.example")

    tokens = body["data"]["auth_login"]
    assert tokens["expires"] == 15 * 60 * 1000
    status, me = await post(http, ME, token=tokens["access_token"])
    assert (status, me) == (
        200,
        {"data": {"users_me": {"email": "lawyer@firm.example"}}},
    )


async def test_email_is_matched_without_regard_to_case(http, member):
    body = await login(http, "LAWYER@firm.EXAMPLE")

    assert body["data"]["auth_login"]["access_token"]


async def test_wrong_password_and_unknown_email_get_the_same_answer(http, member):
    wrong = await login(http, "lawyer@firm.example", "not the password at all")
    unknown = await login(http, "nobody@firm.example", "not the password at all")

    assert (
        wrong
        == unknown
        == {
            "data": None,
            "errors": [
                {
                    "message": "Invalid email or password.",
                    "locations": [{"line": 2, "column": 3}],
                    "path": ["auth_login"],
                    "extensions": {"code": "UNAUTHENTICATED"},
                }
            ],
        }
    )


async def test_failed_logins_are_throttled_per_account(http, member):
    for _ in range(5):
        await login(http, "lawyer@firm.example", "guess guess guess")

    body = await login(http, "lawyer@firm.example")

    assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert body["data"] is None


async def test_unknown_accounts_are_throttled_the_same_way(http, member):
    for _ in range(5):
        await login(http, "nobody@firm.example", "guess guess guess")

    body = await login(http, "nobody@firm.example", "guess guess guess")

    assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_failed_logins_are_throttled_per_address(http, auth, member):
    for n in range(30):
        await login(http, f"guess{n}@firm.example", "guess guess guess")

    body = await login(http, "lawyer@firm.example")

    assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_refresh_rotates_and_a_reused_token_revokes_the_login(http, member):
    first = (await login(http, "lawyer@firm.example"))["data"]["auth_login"]

    _, rotated = await post(http, REFRESH, {"t": first["refresh_token"]})
    second = rotated["data"]["auth_refresh"]
    _, reused = await post(http, REFRESH, {"t": first["refresh_token"]})
    _, after = await post(http, REFRESH, {"t": second["refresh_token"]})
    status, me = await post(http, ME, token=second["access_token"])

    assert second["refresh_token"] != first["refresh_token"]
    assert reused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "already used" in reused["errors"][0]["message"]
    assert after["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert status == 401 and me["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    session = await LoginSession.get(user_id=member.pk)
    assert session.revoked_reason == "refresh_token_reused"


async def test_logout_ends_the_login(http, member):
    tokens = (await login(http, "lawyer@firm.example"))["data"]["auth_login"]

    _, out = await post(
        http,
        "mutation($t: String!) { auth_logout(refresh_token: $t) }",
        {"t": tokens["refresh_token"]},
    )
    _, again = await post(http, REFRESH, {"t": tokens["refresh_token"]})
    status, _ = await post(http, ME, token=tokens["access_token"])

    assert out == {"data": {"auth_logout": True}}
    assert again["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert status == 401


async def forged(claims, key, algorithm="HS256"):
    return jwt.encode(claims, key, algorithm=algorithm)


async def test_expired_tampered_and_unsigned_tokens_are_refused(http, member):
    tokens = (await login(http, "lawyer@firm.example"))["data"]["auth_login"]
    good = tokens["access_token"]
    claims = jwt.decode(good, options={"verify_signature": False})
    key = (await ServerSecret.get(name="jwt")).value
    expired = jwt.encode(
        claims | {"exp": dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)}, key
    )
    header, payload, signature = good.split(".")
    other_user = (
        base64.urlsafe_b64encode(
            json.dumps(
                claims | {"sub": "00000000-0000-4000-8000-000000000000"}
            ).encode()
        )
        .rstrip(b"=")
        .decode()
    )
    tampered = f"{header}.{other_user}.{signature}"
    none_header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=")
    unsigned = f"{none_header.decode()}.{payload}."
    wrong_key = jwt.encode(claims, "a key that is not lexstack's own key at all")

    for token, message in [
        (expired, "The access token has expired; refresh it."),
        (tampered, "The access token is not valid."),
        (unsigned, "The access token is not valid."),
        (wrong_key, "The access token is not valid."),
        ("garbage", "The access token is not valid."),
    ]:
        status, body = await post(http, ME, token=token)
        assert status == 401, token
        assert body == {
            "errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]
        }


async def test_a_malformed_authorization_header_is_refused(http, member):
    response = await http.post(
        "/graphql", json={"query": ME}, headers={"Authorization": "Basic abc"}
    )

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_channel_tokens_read_and_stop_when_revoked(http, member):
    org = await factories.organization(slug="publisher")
    await factories.course(org, title="Published here")
    await factories.course(org, title="Draft here", status="draft")
    elsewhere = await factories.organization(slug="elsewhere")
    await factories.course(elsewhere, title="Published elsewhere")
    token, secret = await identity.create_channel_token(SYSTEM, org.pk, "intranet")

    _, seen = await post(http, '{ courses(sort: ["title"]) { title } }', token=secret)
    await identity.revoke_channel_token(SYSTEM, token.pk)
    status, refused = await post(http, "{ courses { title } }", token=secret)

    assert seen == {"data": {"courses": [{"title": "Published here"}]}}
    assert status == 401
    assert refused["errors"][0]["message"] == "The channel token is not valid."
    assert secret.startswith("lxc_") and token.token_hash != secret


async def test_a_suspended_user_is_refused(http, member):
    tokens = (await login(http, "lawyer@firm.example"))["data"]["auth_login"]
    member.status = "suspended"
    await member.save()

    status, _ = await post(http, ME, token=tokens["access_token"])
    again = await login(http, "lawyer@firm.example")

    assert status == 401
    assert again["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_permissions_me_tells_a_channel_what_it_carries(http, member):
    org = await factories.organization(slug="publisher")
    _, secret = await identity.create_channel_token(SYSTEM, org.pk, "app")

    _, body = await post(http, "{ permissions_me }", token=secret)

    me = body["data"]["permissions_me"]
    assert me["principal"] == "channel"
    assert me["collections"]["courses"] == {"read_published": [str(org.pk)]}
    assert me["collections"]["jurisdictions"] == {"read": "all"}
    assert "users" not in me["collections"]


async def test_racing_refreshes_let_one_through_and_end_the_login(auth, member):
    first = await auth.login("lawyer@firm.example", factories.PASSWORD, "t")

    async def attempt():
        try:
            return await auth.refresh(first.refresh_token)
        except Exception as exc:
            return exc

    results = await asyncio.gather(*(attempt() for _ in range(5)))

    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1
    assert {getattr(e, "code", None) for e in losers} == {"UNAUTHENTICATED"}
    # A token used twice means it leaked: the login is over for everyone.
    session = await LoginSession.get(user_id=member.pk)
    assert session.revoked_reason == "refresh_token_reused"
