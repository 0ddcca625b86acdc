"""`lexstack serve` as a user runs it: a real process on a real port."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.conftest import PG_ADMIN_DSN

LEXSTACK = str(Path(sys.executable).with_name("lexstack"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(database_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    log = tmp_path / f"serve-{port}.log"
    env = os.environ | {
        "LEXSTACK_DATABASE_URL": database_url,
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603
            [LEXSTACK, "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=tmp_path,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/server/ping", timeout=1).text == "pong":
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield base, log
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail("lexstack serve did not stop within 15 s of SIGINT")
    assert code == 0, log.read_text()


def graphql(base: str, query: str) -> dict:
    response = httpx.post(f"{base}/graphql", json={"query": query}, timeout=10)
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def test_first_start_migrates_seeds_and_says_where_it_listens(tmp_path):
    url = f"sqlite://{tmp_path}/fresh.sqlite3"

    with serving(url, tmp_path) as (base, log):
        data = graphql(
            base,
            '{ courses_aggregated { countAll } jurisdictions(sort: ["code"]) '
            "{ code } }",
        )
        health = httpx.get(f"{base}/server/health")
        printed = log.read_text()

    assert data["courses_aggregated"][0]["countAll"] >= 12
    assert [j["code"] for j in data["jurisdictions"]] == [
        "US-CA",
        "US-FL",
        "US-IL",
        "US-NY",
        "US-TX",
    ]
    assert health.status_code == 200
    assert f"lexstack listening on {base}" in printed
    assert f"GraphQL API and console: {base}/graphql" in printed
    assert f"Database:                {url}" in printed
    assert "New database" in printed
    assert "Demo accounts (password for all: lexstack-demo-password):" in printed
    assert "admin@lexcel.example" in printed and "creator at lexcel-learning" in printed
    assert "lxc_demo_lexcel_intranet_" in printed
    assert "http.request" in printed and "request_id=" in printed

    with serving(url, tmp_path) as (base, log):
        again = graphql(base, "{ courses_aggregated { countAll } }")
        printed = log.read_text()

    assert "New database" not in printed
    assert again["courses_aggregated"] == data["courses_aggregated"]


async def _pg_database() -> tuple[asyncpg.Connection, str]:
    try:
        admin = await asyncpg.connect(PG_ADMIN_DSN, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is unreachable: {exc}")
        pytest.skip(f"PostgreSQL is unreachable: {exc}")
    name = f"lexstack_health_{uuid.uuid4().hex[:8]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    return admin, name


async def test_health_is_503_while_postgresql_is_unreachable(tmp_path):
    admin, name = await _pg_database()
    url = PG_ADMIN_DSN.rsplit("/", 1)[0] + f"/{name}"
    try:
        with serving(url, tmp_path) as (base, log):
            async with httpx.AsyncClient(base_url=base, timeout=10) as client:
                healthy = await client.get("/server/health")
                await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                await admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = $1",
                    name,
                )
                down = await client.get("/server/health")
                await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
                recovered = await client.get("/server/health")
            printed = log.read_text()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()

    assert healthy.status_code == 200
    assert down.status_code == 503
    assert down.json() == {"status": "error", "checks": {"database": "unreachable"}}
    assert recovered.status_code == 200
    assert "health.database_unreachable" in printed
