"""Test fixtures: a real database (SQLite or PostgreSQL), migrated by the migrations.

`LEXSTACK_TEST_DATABASE=postgres` runs the suite on PostgreSQL (a database
made for the run on 127.0.0.1:5432 and dropped after); the default is a
SQLite file in a temporary directory. Under CI=true an unreachable
PostgreSQL fails the run instead of skipping it.
"""

import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import asyncpg
import httpx
import pytest
from tortoise import Tortoise, connections

from app import db
from app.main import create_app
from app.models import CasbinRule
from app.services import collections
from app.services.auth import Auth
from app.services.query import Limits, Reader
from app.settings import Settings
from permissions import ANONYMOUS, SYSTEM, Principal, policies
from schema import build_schema
from schema.context import Context

DATABASE = os.environ.get("LEXSTACK_TEST_DATABASE", "sqlite")
PG_ADMIN_DSN = os.environ.get(
    "LEXSTACK_TEST_PG_DSN", "postgres://postgres@127.0.0.1:5432/test"
)


async def _postgres_url() -> AsyncIterator[str]:
    name = f"lexstack_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = await asyncpg.connect(PG_ADMIN_DSN, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        message = f"PostgreSQL is unreachable at {PG_ADMIN_DSN}: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    await admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_DSN.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    if DATABASE == "postgres":
        async for url in _postgres_url():
            yield url
    else:
        path = tmp_path_factory.mktemp("db") / "lexstack.sqlite3"
        yield f"sqlite://{path}"


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    # argon2 at its lowest cost: hashing speed is not what the tests check.
    return Settings(
        database_url=database_url,
        seed_demo=False,
        password_time_cost=1,
        password_memory_kib=1024,
        _env_file=None,
    )


@pytest.fixture(scope="session")
def auth(settings: Settings) -> Auth:
    return Auth(settings)


@pytest.fixture(scope="session")
async def orm(settings: Settings) -> AsyncIterator[None]:
    await db.migrate(settings)
    await db.close()
    await db.init(settings)
    await policies.start()
    yield
    await policies.stop()
    await db.close()


async def _clear() -> None:
    # Children before parents, so restrictive foreign keys never object.
    conn = connections.get("default")
    tables = [c.name for c in collections.registry().values()]
    tables += ["login_failures", "refresh_tokens", "login_sessions"]
    tables += ["webhook_deliveries", "channel_events", "change_events"]
    tables += ["release_keys"]
    if DATABASE == "postgres":
        await conn.execute_script(
            "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE"
        )
    else:
        await conn.execute_script("PRAGMA foreign_keys = OFF")
        for table in tables:
            await conn.execute_script(f'DELETE FROM "{table}"')  # noqa: S608
        await conn.execute_script("PRAGMA foreign_keys = ON")


async def _clear_grants() -> None:
    # Role grants are policy lines; the default policies stay.
    await CasbinRule.filter(ptype="g").delete()
    await policies.reload()


@pytest.fixture
async def clean(orm: None) -> AsyncIterator[None]:
    """An empty database for the test; what it wrote is removed afterwards."""
    await _clear()
    await _clear_grants()
    yield
    await _clear()
    await _clear_grants()


@pytest.fixture(scope="session")
def schema(orm: None, settings: Settings) -> Any:
    return build_schema(settings)


class GQL:
    """Runs GraphQL operations in-process as a given principal."""

    def __init__(self, schema: Any, settings: Settings, auth: Auth) -> None:
        self.schema = schema
        self.auth = auth
        self.limits = Limits(settings.default_limit, settings.max_limit)

    async def __call__(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        principal: Principal = ANONYMOUS,
    ) -> Any:
        context = Context(principal, Reader(principal, self.limits), None, self.auth)
        return await self.schema.execute(
            query, variable_values=variables, context_value=context
        )

    async def data(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        principal: Principal = ANONYMOUS,
    ) -> dict[str, Any]:
        result = await self(query, variables, principal)
        assert result.errors is None, [e.formatted for e in result.errors]
        return result.data

    async def error(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        principal: Principal = ANONYMOUS,
    ) -> dict[str, Any]:
        result = await self(query, variables, principal)
        assert result.errors, f"expected an error, got {result.data}"
        return result.errors[0].formatted


@pytest.fixture
def gql(schema: Any, settings: Settings, auth: Auth, clean: None) -> GQL:
    return GQL(schema, settings, auth)


@pytest.fixture
def system() -> Principal:
    return SYSTEM


@pytest.fixture
async def http(settings: Settings, clean: None) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://lexstack") as c:
        yield c


class StatementCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        sql = str(record.args[0]) if record.args else ""
        if sql.lstrip().split(" ", 1)[0].upper() in {
            "SELECT",
            "INSERT",
            "UPDATE",
            "DELETE",
            "WITH",
        }:
            self.statements.append(sql)


@contextmanager
def count_statements() -> Iterator[StatementCounter]:
    """Counts the SQL statements the ORM sends while the block runs."""
    logger = logging.getLogger("tortoise.db_client")
    counter = StatementCounter()
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
        logger.propagate = propagate


__all__ = ["GQL", "Tortoise", "count_statements"]
