"""Benchmark the course-page read path: lexstack against a hand-written floor."""

import argparse
import asyncio
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

QUERY = (
    '{ courses(limit: 20, sort: ["title"]) { id title modules(sort: ["sort"]) '
    '{ title lessons(sort: ["sort"]) { title } } } }'
)
PAGE = 20
COURSES, MODULES, LESSONS = 50, 5, 4
PG_ADMIN_DSN = os.environ.get(
    "LEXSTACK_BENCH_PG_DSN", "postgres://postgres@127.0.0.1:5432/test"
)
LEXSTACK = str(Path(sys.executable).with_name("lexstack"))
SCRIPT = str(Path(__file__).resolve())
REFERENCE = (
    "Reference, Directus 11.3.5 on a 2-core machine (from the team's notes, "
    "NOT measured by this script):\n"
    "  10 connections: ~90-100 req/s, p50 ~100 ms;  1 connection: p50 ~11 ms"
)

Row = Sequence[Any]
Page = dict[str, Any]


# The baseline: the same page from three statements, no GraphQL, ORM or policies.

SQLITE_COURSES = (
    "SELECT id, title FROM courses WHERE status = 'published' "
    "ORDER BY title, id LIMIT ?"
)
SQLITE_MODULES = (
    "SELECT id, course_id, title FROM modules WHERE course_id IN ({}) ORDER BY sort, id"
)
SQLITE_LESSONS = (
    "SELECT module_id, title FROM lessons WHERE module_id IN ({}) ORDER BY sort, id"
)
PG_COURSES = (
    "SELECT id, title FROM courses WHERE status = 'published' "
    "ORDER BY title, id LIMIT $1"
)
PG_MODULES = (
    "SELECT id, course_id, title FROM modules WHERE course_id = ANY($1::uuid[]) "
    "ORDER BY sort, id"
)
PG_LESSONS = (
    "SELECT module_id, title FROM lessons WHERE module_id = ANY($1::uuid[]) "
    "ORDER BY sort, id"
)


def shape(courses: list[Row], modules: list[Row], lessons: list[Row]) -> Page:
    """The GraphQL response body, built from rows already in their sort order."""
    lessons_of: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for module_id, title in lessons:
        lessons_of[module_id].append({"title": title})
    modules_of: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for module_id, course_id, title in modules:
        modules_of[course_id].append({"title": title, "lessons": lessons_of[module_id]})
    page = [
        {"id": str(course_id), "title": title, "modules": modules_of[course_id]}
        for course_id, title in courses
    ]
    return {"data": {"courses": page}}


@asynccontextmanager
async def sqlite_reader(path: str) -> AsyncIterator[Callable[[], Awaitable[Page]]]:
    import aiosqlite

    # One connection, as Tortoise's SQLite client uses.
    async with aiosqlite.connect(path, isolation_level=None) as conn:

        async def read() -> Page:
            courses = list(await conn.execute_fetchall(SQLITE_COURSES, (PAGE,)))
            ids = [row[0] for row in courses]
            sql = SQLITE_MODULES.format(", ".join("?" * len(ids)))
            modules = list(await conn.execute_fetchall(sql, ids))
            ids = [row[0] for row in modules]
            sql = SQLITE_LESSONS.format(", ".join("?" * len(ids)))
            lessons = list(await conn.execute_fetchall(sql, ids))
            return shape(courses, modules, lessons)

        yield read


@asynccontextmanager
async def postgres_reader(dsn: str) -> AsyncIterator[Callable[[], Awaitable[Page]]]:
    import asyncpg

    # Tortoise's asyncpg pool defaults to at most 5 connections; so does this.
    async with asyncpg.create_pool(dsn, min_size=1, max_size=5) as pool:

        async def read() -> Page:
            async with pool.acquire() as conn:
                courses = await conn.fetch(PG_COURSES, PAGE)
                modules = await conn.fetch(PG_MODULES, [r["id"] for r in courses])
                lessons = await conn.fetch(PG_LESSONS, [r["id"] for r in modules])
            return shape(courses, modules, lessons)

        yield read


def serve_baseline(port: int, database_url: str) -> None:
    """Run the baseline server in this process until SIGINT."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    readers: list[Callable[[], Awaitable[Page]]] = []

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if database_url.startswith("sqlite://"):
            opened = sqlite_reader(database_url.removeprefix("sqlite://"))
        else:
            opened = postgres_reader(database_url)
        async with opened as read:
            readers.append(read)
            yield

    async def graphql(request: Request) -> Response:
        # The body is parsed, as any server must, but always means the page.
        await request.json()
        return JSONResponse(await readers[0]())

    async def ping(request: Request) -> Response:
        return PlainTextResponse("pong")

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["POST"]),
            Route("/server/ping", ping),
        ],
        lifespan=lifespan,
    )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


# The catalogue, made through lexstack's own item services.


async def build_catalogue(database_url: str) -> int | None:
    """Migrate, create the catalogue, and return the statements one page costs."""
    from tortoise.transactions import in_transaction

    from app import db
    from app.services import collections, publishing
    from app.services.items import create_items
    from app.settings import Settings
    from permissions import SYSTEM, policies

    settings = Settings(database_url=database_url, seed_demo=False, _env_file=None)
    await db.migrate(settings)
    await db.close()
    await db.init(settings)
    await policies.start()
    try:
        async with in_transaction():
            (org,) = await create_items(
                collections.get("organizations"),
                [{"name": "Bench Press", "slug": "bench-press", "kind": "publisher"}],
                SYSTEM,
            )
            # Created in reverse title order, so the sort has work to do.
            course_rows = [
                {
                    "organization": str(org.pk),
                    "title": f"Course {n:02d}",
                    "slug": f"course-{n:02d}",
                    "level": "intermediate",
                    "format": "on_demand",
                    "credit_hours": "1.00",
                }
                for n in range(COURSES, 0, -1)
            ]
            courses = await create_items(
                collections.get("courses"), course_rows, SYSTEM
            )
            module_rows = [
                {"course": str(c.pk), "title": f"Module {m}", "sort": m}
                for c in courses
                for m in range(MODULES, 0, -1)
            ]
            modules = await create_items(
                collections.get("modules"), module_rows, SYSTEM
            )
            lesson_rows = [
                {
                    "module": str(module.pk),
                    "title": f"Lesson {module.sort}.{n}",
                    "kind": "reading",
                    "sort": n,
                    "duration_minutes": 10,
                }
                for module in modules
                for n in range(LESSONS, 0, -1)
            ]
            await create_items(collections.get("lessons"), lesson_rows, SYSTEM)
        # Published as an editor would: review, approval, release.
        for course in courses:
            review = await publishing.submit(SYSTEM, course.pk, None)
            await publishing.decide(SYSTEM, review.pk, approve=True, comment=None)
            await publishing.publish(SYSTEM, course.pk, None)
        return await count_statements(settings)
    finally:
        await policies.stop()
        await db.close()


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


async def count_statements(settings: Any) -> int | None:
    """Statements for one page, counted in-process without formatting any record.

    Tortoise logs each statement it sends at DEBUG on `tortoise.db_client`;
    a handler that only counts never renders the values.
    """
    from app.main import create_app

    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    logger = logging.getLogger("tortoise.db_client")
    counter = _Counter()
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as c:
        # The first request builds the schema and may read one-off state.
        await c.post("/graphql", json={"query": QUERY})
        level, propagate = logger.level, logger.propagate
        logger.addHandler(counter)
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
        try:
            response = await c.post("/graphql", json={"query": QUERY})
        finally:
            logger.removeHandler(counter)
            logger.setLevel(level)
            logger.propagate = propagate
    if response.status_code != 200 or "errors" in response.json():
        return None
    return counter.count


@asynccontextmanager
async def database(kind: str, workdir: Path) -> AsyncIterator[str]:
    """A new, empty database URL; a PostgreSQL one is dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite://{workdir / 'bench.sqlite3'}"
        return
    import asyncpg

    admin = await asyncpg.connect(PG_ADMIN_DSN, timeout=5)
    name = f"lexstack_bench_{uuid.uuid4().hex[:10]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_DSN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


# Servers as subprocesses.


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    base: str
    process: asyncio.subprocess.Process


@asynccontextmanager
async def serving(
    name: str, command: list[str], port: int, env: dict[str, str], workdir: Path
) -> AsyncIterator[Server]:
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            *command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=workdir
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        async with httpx.AsyncClient(timeout=1) as client:
            while True:
                try:
                    if (await client.get(f"{base}/server/ping")).text == "pong":
                        break
                except httpx.TransportError:
                    pass
                if process.returncode is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start:\n{log.read_text()}")
                await asyncio.sleep(0.2)
        yield Server(name, base, process)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of a process, from /proc (Linux only)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# The load generator.


@dataclass
class Result:
    server: str
    concurrency: int
    seconds: float
    latencies: list[float]
    errors: int
    server_cpu: float | None
    client_cpu: float

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile, in milliseconds."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        rank = max(1, round(p / 100 * len(ordered)))
        return ordered[min(rank, len(ordered)) - 1] * 1000


async def load(server: Server, concurrency: int, requests: int, warmup: int) -> Result:
    body = json.dumps({"query": QUERY}).encode()
    headers = {"content-type": "application/json"}
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency
    )
    latencies: list[float] = []
    errors = 0
    async with httpx.AsyncClient(
        base_url=server.base, limits=limits, timeout=30
    ) as client:

        async def run(count: int, record: bool) -> None:
            nonlocal errors
            left = count

            async def worker() -> None:
                nonlocal left, errors
                while left > 0:
                    left -= 1
                    started = time.perf_counter()
                    try:
                        response = await client.post(
                            "/graphql", content=body, headers=headers
                        )
                        ok = response.status_code == 200 and (
                            b'"errors"' not in response.content
                        )
                    except httpx.HTTPError:
                        ok = False
                    elapsed = time.perf_counter() - started
                    if not record:
                        continue
                    if ok:
                        latencies.append(elapsed)
                    else:
                        errors += 1

            await asyncio.gather(*(worker() for _ in range(concurrency)))

        # Warm up at the same concurrency, so every connection is open.
        await run(warmup, record=False)
        server_cpu = cpu_seconds(server.process.pid)
        client_cpu = time.process_time()
        started = time.perf_counter()
        await run(requests, record=True)
        seconds = time.perf_counter() - started
        client_cpu = time.process_time() - client_cpu
        after = cpu_seconds(server.process.pid)
    used = None if server_cpu is None or after is None else after - server_cpu
    return Result(
        server.name,
        concurrency,
        seconds,
        latencies,
        errors,
        None if used is None else used / seconds,
        client_cpu / seconds,
    )


async def fetch_page(server: Server) -> Any:
    async with httpx.AsyncClient(base_url=server.base, timeout=30) as client:
        response = await client.post("/graphql", json={"query": QUERY})
    body = response.json()
    if response.status_code != 200 or "errors" in body:
        raise SystemExit(f"{server.name} answered {response.status_code}: {body}")
    return body["data"]


def check_pages(lexstack: Any, baseline: Any) -> None:
    """Both servers must serve the same, complete page; stop loudly if not."""
    courses = lexstack["courses"]
    titles = [c["title"] for c in courses]
    complete = (
        len(courses) == PAGE
        and titles == sorted(titles)
        and all(len(c["modules"]) == MODULES for c in courses)
        and all(len(m["lessons"]) == LESSONS for c in courses for m in c["modules"])
    )
    if not complete:
        raise SystemExit(f"lexstack's page is not the expected shape:\n{lexstack}")
    if lexstack != baseline:
        raise SystemExit(
            "lexstack and the baseline disagree:\n"
            f"lexstack: {json.dumps(lexstack)[:2000]}\n"
            f"baseline: {json.dumps(baseline)[:2000]}"
        )


# Report.


def table(results: list[Result]) -> str:
    lines = [
        f"{'server':<10}{'conc':>5}{'req/s':>9}{'p50 ms':>9}{'p90 ms':>9}"
        f"{'p99 ms':>9}{'errors':>8}{'srv cpu':>9}{'cli cpu':>9}"
    ]
    for r in results:
        srv = "n/a" if r.server_cpu is None else f"{r.server_cpu:.0%}"
        lines.append(
            f"{r.server:<10}{r.concurrency:>5}{r.rate:>9.1f}{r.percentile(50):>9.2f}"
            f"{r.percentile(90):>9.2f}{r.percentile(99):>9.2f}{r.errors:>8}"
            f"{srv:>9}{r.client_cpu:>9.0%}"
        )
    return "\n".join(lines)


def ratios(results: list[Result]) -> str:
    lines = []
    for concurrency in sorted({r.concurrency for r in results}):
        by = {r.server: r for r in results if r.concurrency == concurrency}
        lex, base = by["lexstack"], by["baseline"]
        lines.append(
            f"lexstack/baseline at concurrency {concurrency}: "
            f"req/s x{lex.rate / base.rate:.2f}, "
            f"p50 x{lex.percentile(50) / base.percentile(50):.2f}"
        )
    return "\n".join(lines)


async def bench(args: argparse.Namespace) -> None:
    levels = [int(c) for c in args.concurrency.split(",")]
    async with AsyncExitStack() as stack:
        workdir = Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="lexstack-bench-"))
        )
        url = await stack.enter_async_context(database(args.database, workdir))
        print(f"Building {COURSES} courses x {MODULES} modules x {LESSONS} lessons...")
        built = time.perf_counter()
        statements = await build_catalogue(url)
        print(f"  done in {time.perf_counter() - built:.1f} s")

        env = os.environ | {
            "LEXSTACK_DATABASE_URL": url,
            "LEXSTACK_LOG_LEVEL": "WARNING",
            "LEXSTACK_SEED_DEMO": "false",
            "LEXSTACK_PAGE_CACHE_SIZE": "0" if args.no_page_cache else "512",
            "PYTHONUNBUFFERED": "1",
        }
        port = free_port()
        lexstack = await stack.enter_async_context(
            serving(
                "lexstack",
                [LEXSTACK, "serve", "--host", "127.0.0.1", "--port", str(port)],
                port,
                env,
                workdir,
            )
        )
        port = free_port()
        baseline = await stack.enter_async_context(
            serving(
                "baseline",
                [sys.executable, SCRIPT, "--baseline-server", str(port), url],
                port,
                env,
                workdir,
            )
        )
        check_pages(await fetch_page(lexstack), await fetch_page(baseline))
        print("Both servers return the same page.")

        results = []
        for concurrency in levels:
            for server in (lexstack, baseline):
                print(f"  {server.name} at concurrency {concurrency}...", flush=True)
                results.append(
                    await load(server, concurrency, args.requests, args.warmup)
                )

    counted = "not measured" if statements is None else str(statements)
    print()
    print(
        f"Read path on {args.database}: {args.requests} requests per row after "
        f"{args.warmup} warm-up; {os.cpu_count()} CPUs; Python "
        f"{sys.version.split()[0]}"
    )
    print(f"SQL statements lexstack issues per page: {counted} (baseline: 3)")
    kept = "off" if args.no_page_cache else "on (answers kept until a release)"
    print(f"Page cache: {kept}")
    print()
    print(table(results))
    print()
    print(ratios(results))
    print()
    print(REFERENCE)


def event_loop() -> Callable[[], asyncio.AbstractEventLoop] | None:
    # The client shares the CPUs with both servers; a cheaper loop keeps it
    # further from being what limits the figures.
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", default="1,10")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="answer every request afresh, as the first reader after a release",
    )
    parser.add_argument(
        "--baseline-server",
        nargs=2,
        metavar=("PORT", "DATABASE_URL"),
        help="internal: run the baseline server",
    )
    args = parser.parse_args()
    if args.baseline_server:
        port, url = args.baseline_server
        serve_baseline(int(port), url)
        return
    with asyncio.Runner(loop_factory=event_loop()) as runner:
        runner.run(bench(args))


if __name__ == "__main__":
    main()
