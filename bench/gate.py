"""What the permission gate costs: one Casbin decision, and a scoped page of courses.

Runs in one process against a throwaway SQLite database:

1. `enforce` for the default policies, against a dict lookup as the floor;
2. the gate's decisions for one request (organizations, row scope, compiled
   filter), which lexstack makes once per request and collection;
3. a GraphQL page of 100 courses read as a creator (scoped inside the SQL)
   against the same page read by a platform administrator (no scope), the
   baseline.

    uv run python bench/gate.py [--rounds 200]
"""

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from app import db
from app.services import collections, identity
from app.services.auth import Auth, user_principal
from app.services.filters import Dynamic, compile_filter
from app.services.query import Limits, Reader
from app.settings import Settings
from permissions import Action, organizations, policies, row_scope
from schema import build_schema
from schema.context import Context
from tests import factories

PAGE = '{ courses(limit: 100, sort: ["title"]) { id title credit_hours } }'


def timed(fn: Callable[[], object], rounds: int) -> float:
    """Median microseconds per call over `rounds` batches of 100 calls."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(100):
            fn()
        samples.append((time.perf_counter() - start) / 100 * 1e6)
    return statistics.median(samples)


async def timed_async(fn: Callable[[], Awaitable[object]], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


async def main(rounds: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="lexstack-bench-"))
    settings = Settings(
        database_url=f"sqlite://{folder}/bench.sqlite3",
        password_time_cost=1,
        password_memory_kib=1024,
        _env_file=None,
    )
    await db.migrate(settings)
    await db.close()
    await db.init(settings)
    await policies.start()
    try:
        await run(settings, rounds)
    finally:
        await policies.stop()
        await db.close()


async def run(settings: Settings, rounds: int) -> None:
    auth = Auth(settings)
    home = await factories.organization(slug="home")
    other = await factories.organization(slug="other")
    for n in range(150):
        org = home if n % 2 else other
        await factories.course(
            org, title=f"Course {n:03}", status="draft" if n % 3 == 0 else "published"
        )
    creator_user = await factories.user(auth, "creator@home.example", creator=home)
    root_user = await factories.user(auth, "root@lexstack.example")
    await identity.make_platform_admin(root_user)
    creator, root = user_principal(creator_user.pk), user_principal(root_user.pk)
    enforcer = policies.require()
    subject, domain = creator.subject, str(home.pk)
    table = {(subject, domain, "courses", "read"): True}
    courses = collections.get("courses")

    enforce_us = timed(
        lambda: enforcer.enforce(subject, domain, "courses", "read"), rounds
    )
    remembered_us = timed(
        lambda: policies.enforce(subject, domain, "courses", "read"), rounds
    )
    lookup_us = timed(lambda: table.get((subject, domain, "courses", "read")), rounds)

    def decide() -> None:
        # A new request: the principal's own memory is empty, the process's
        # remembered Casbin answers are not.
        creator.decisions.clear()
        organizations(creator, Action.READ, "courses")
        scope = row_scope(creator, courses)
        compile_filter(courses, scope, Dynamic(now=time_now()))

    decide_us = timed(decide, rounds)

    schema = build_schema(settings)
    limits = Limits(settings.default_limit, settings.max_limit)

    def page(principal) -> Callable[[], Awaitable[object]]:
        async def go() -> object:
            principal.decisions.clear()
            context = Context(principal, Reader(principal, limits), None, auth)
            result = await schema.execute(PAGE, context_value=context)
            assert result.errors is None, result.errors
            return result

        return go

    await page(root)()
    scoped_ms = await timed_async(page(creator), rounds)
    unscoped_ms = await timed_async(page(root), rounds)
    seen = len((await page(creator)()).data["courses"])
    everything = len((await page(root)()).data["courses"])

    print(f"rounds: {rounds}")
    print(f"{'measure':<52}{'lexstack':>12}{'baseline':>12}")
    print(
        f"{'one Casbin enforce vs a dict lookup (µs)':<52}"
        f"{enforce_us:>12.1f}{lookup_us:>12.2f}"
    )
    print(
        f"{'the same decision, remembered (µs)':<52}"
        f"{remembered_us:>12.2f}{lookup_us:>12.2f}"
    )
    print(
        f"{'decisions for one request and collection (µs)':<52}{decide_us:>12.1f}"
        f"{'':>12}"
    )
    print(
        f"{'page of courses, creator (scoped) vs admin (ms, p50)':<52}"
        f"{statistics.median(scoped_ms):>12.2f}"
        f"{statistics.median(unscoped_ms):>12.2f}"
    )
    print(
        f"{'  same, p90':<52}{pct(scoped_ms, 90):>12.2f}{pct(unscoped_ms, 90):>12.2f}"
    )
    print(f"{'  rows returned':<52}{seen:>12}{everything:>12}")


def pct(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100)[p - 1]


def time_now():  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.datetime.now(dt.UTC)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    asyncio.run(main(parser.parse_args().rounds))
