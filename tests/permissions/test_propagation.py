"""A role granted in one process reaches another through Redis pub/sub."""

import asyncio
import os
import time

import httpx
import pytest
from redis import asyncio as aioredis

from app.services import identity
from permissions.enforcer import Policies
from tests.server.test_serve import serving

REDIS_URL = os.environ.get("LEXSTACK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


async def redis_or_skip() -> None:
    client = aioredis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (OSError, aioredis.RedisError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is unreachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis is unreachable at {REDIS_URL}: {exc}")
    finally:
        await client.aclose()


async def roles_seen(client: httpx.AsyncClient, token: str) -> dict:
    response = await client.post(
        "/graphql",
        json={"query": "{ permissions_me }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.json()["data"]["permissions_me"]["roles"]


async def test_a_grant_reaches_another_process(
    clean, auth, database_url, tmp_path, monkeypatch
):
    await redis_or_skip()
    from tests import factories

    org = await factories.organization(slug="home")
    user = await identity.create_user(auth, "editor@home.example", factories.PASSWORD)
    monkeypatch.setenv("LEXSTACK_REDIS_URL", REDIS_URL)
    monkeypatch.setenv("LEXSTACK_SEED_DEMO", "false")
    here = Policies()
    await here.start(REDIS_URL)
    try:
        with serving(database_url, tmp_path) as (base, _):
            client = httpx.AsyncClient(base_url=base, timeout=5)
            login = (
                await client.post(
                    "/graphql",
                    json={
                        "query": "mutation($e: String!, $p: String!) { auth_login("
                        "email: $e, password: $p) { access_token } }",
                        "variables": {"e": user.email, "p": factories.PASSWORD},
                    },
                )
            ).json()
            token = login["data"]["auth_login"]["access_token"]
            before = await roles_seen(client, token)

            await here.grant(f"user:{user.pk}", "creator", str(org.pk))

            deadline = time.monotonic() + 10
            after = await roles_seen(client, token)
            while not after and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
                after = await roles_seen(client, token)
            await client.aclose()
    finally:
        await here.stop()

    assert before == {}
    assert after == {str(org.pk): ["creator"]}
