"""What a compliance status costs over a long ledger: sums in SQL or rows in Python.

Builds one Texas lawyer with 1,000 ledger entries (this compliance year and
the one before, so carry-over is read too) on a throwaway database, then
times, round by round and alternating:

1. `compliance.status`, which has the database sum the ledger
   (`SUM(hours) ... GROUP BY category, delivery`, one statement per period);
2. the baseline: the same loads and the same rule engine, but every ledger
   row of both periods loaded and summed in Python.

Both must give the same totals. Then it builds a firm of `--lawyers`
Texas lawyers with a few entries each and times the firm's compliance roll
(one ledger statement for everyone) against a status per lawyer, the way a
roll would be put together from `status()` alone.

    uv run python bench/compliance.py [--database postgres] [--rounds 200]
"""

import argparse
import asyncio
import datetime as dt
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from app import db
from app.models import (
    BarAdmission,
    Credit,
    Enrollment,
    Jurisdiction,
    LearnerProfile,
    Release,
    Requirement,
)
from app.models.enums import CreditCategory, Delivery
from app.services import compliance, periods, reports
from app.services.auth import Auth, user_principal
from app.settings import Settings
from permissions import SYSTEM, Principal, policies
from seeds.loader import Loader, load_reference
from tests import factories

PG_ADMIN_DSN = os.environ.get(
    "LEXSTACK_BENCH_PG_DSN", "postgres://postgres@127.0.0.1:5432/test"
)
ON = dt.date(2025, 9, 1)
# Days in the compliance year before (Jul 2024 - Jun 2025) and this one.
DAYS = (dt.date(2024, 11, 15), dt.date(2025, 8, 10))
CATEGORIES = [c for c in CreditCategory if c is not CreditCategory.TOTAL]


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


async def build(settings: Settings, entries: int) -> uuid.UUID:
    """The reference rules, and a lawyer whose Texas ledger has `entries` rows."""
    await load_reference(Loader())
    auth = Auth(settings)
    firm = await factories.organization(kind="firm", slug="bench-firm")
    publisher = await factories.organization(slug="bench-publisher")
    learner = await factories.user(auth, "lee@firm.example", learner=firm)
    profile = await LearnerProfile.create(
        user_id=learner.pk,
        organization_id=firm.pk,
        first_name="Lee",
        last_name="Lopez",
        birth_date=dt.date(1980, 7, 22),
    )
    texas = await Jurisdiction.get(code="US-TX")
    admission = await BarAdmission.create(
        profile=profile,
        user_id=learner.pk,
        organization_id=firm.pk,
        jurisdiction=texas,
        admitted_on=dt.date(2005, 11, 4),
    )
    # The ledger holds one entry per enrollment, bar and category, so each
    # course carries one entry of each category.
    for first in range(0, entries, len(CATEGORIES)):
        course = await factories.course(publisher)
        release = await Release.filter(course_id=course.pk).get()
        enrollment = await Enrollment.create(
            user_id=learner.pk,
            profile=profile,
            organization_id=firm.pk,
            course=course,
            release=release,
            version=release.version,
            publisher_id=publisher.pk,
            status="completed",
        )
        rows = []
        for i in range(first, min(first + len(CATEGORIES), entries)):
            rows.append(
                Credit(
                    organization_id=firm.pk,
                    user_id=learner.pk,
                    profile=profile,
                    admission=admission,
                    jurisdiction=texas,
                    enrollment=enrollment,
                    course=course,
                    release=release,
                    version=release.version,
                    course_title=course.title,
                    category=CATEGORIES[i % len(CATEGORIES)],
                    hours=Decimal("0.25"),
                    delivery=Delivery.LIVE if i % 3 else Delivery.SELF_STUDY,
                    earned_on=DAYS[i % 2],
                    approval=uuid.uuid4(),
                )
            )
        await Credit.bulk_create(rows)
    return learner.pk


async def build_firm(settings: Settings, lawyers: int) -> tuple[Any, Principal]:
    """A firm of Texas lawyers, each with a course's entries in both years."""
    auth = Auth(settings)
    firm = await factories.organization(kind="firm", slug="bench-roll-firm")
    texas = await Jurisdiction.get(code="US-TX")
    course = await factories.course(await factories.organization(slug="bench-roll"))
    release = await Release.filter(course_id=course.pk).get()
    admin = await factories.user(auth, "admin@roll.example", admin=firm)
    credits = []
    for n in range(lawyers):
        learner = await factories.user(auth, f"l{n}@roll.example", learner=firm)
        profile = await LearnerProfile.create(
            user_id=learner.pk,
            organization_id=firm.pk,
            first_name="Lee",
            last_name=f"Lawyer {n:04}",
            birth_date=dt.date(1980, 7, 22),
        )
        admission = await BarAdmission.create(
            profile=profile,
            user_id=learner.pk,
            organization_id=firm.pk,
            jurisdiction=texas,
            admitted_on=dt.date(2005, 11, 4),
        )
        enrollment = await Enrollment.create(
            user_id=learner.pk,
            profile=profile,
            organization_id=firm.pk,
            course=course,
            release=release,
            version=release.version,
            publisher_id=course.organization_id,
            status="completed",
        )
        for i, category in enumerate(CATEGORIES[:5]):
            credits.append(
                Credit(
                    organization_id=firm.pk,
                    user_id=learner.pk,
                    profile=profile,
                    admission=admission,
                    jurisdiction=texas,
                    enrollment=enrollment,
                    course=course,
                    release=release,
                    version=release.version,
                    course_title=course.title,
                    category=category,
                    hours=Decimal("2.50"),
                    delivery=Delivery.LIVE,
                    earned_on=DAYS[i % 2],
                    approval=uuid.uuid4(),
                )
            )
    await Credit.bulk_create(credits, batch_size=500)
    return firm.pk, user_principal(admin.pk)


async def status_by_status(firm_id: Any) -> list[compliance.ComplianceStatus]:
    """The roll's baseline: every lawyer's status asked for one by one."""
    admissions = await BarAdmission.filter(
        organization_id=firm_id, jurisdiction__code="US-TX"
    ).order_by("bar_number")
    return [
        await compliance.status(SYSTEM, admission.user_id, "US-TX", ON)
        for admission in admissions
    ]


async def baseline(principal: Principal, user_id: uuid.UUID) -> compliance.Tally:
    """The same answer from every ledger row, summed in Python."""
    profile = await LearnerProfile.get(user_id=user_id)
    jurisdiction = await Jurisdiction.get(code="US-TX")
    admission = await BarAdmission.get(
        profile_id=profile.pk, jurisdiction_id=jurisdiction.pk
    )
    rows = await Requirement.filter(jurisdiction_id=jurisdiction.pk).order_by(
        "date_created", "id"
    )
    rules = [compliance.Rule.of(row) for row in rows]
    period = periods.period_on(jurisdiction, admission, profile, ON)
    before = periods.previous(jurisdiction, admission, profile, period)
    assert before is not None

    credits = await Credit.filter(
        user_id=user_id,
        jurisdiction_id=jurisdiction.pk,
        earned_on__gte=before.start,
        earned_on__lte=period.end,
    )
    now: dict[Any, Decimal] = {}
    then: dict[Any, Decimal] = {}
    for credit in credits:
        into = now if credit.earned_on >= period.start else then
        key = (CreditCategory(credit.category), Delivery(credit.delivery))
        into[key] = into.get(key, Decimal(0)) + credit.hours
    carried = compliance.carry_over(rules, then, before)
    return compliance.tally(rules, now, carried, period.audience, period)


class Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        sql = str(record.args[0]) if record.args else ""
        if sql.lstrip().split(" ", 1)[0].upper() == "SELECT":
            self.count += 1


@contextmanager
def counting() -> Iterator[Statements]:
    logger = logging.getLogger("tortoise.db_client")
    counter = Statements()
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


async def timed(fn: Callable[[], Awaitable[object]]) -> float:
    start = time.perf_counter()
    await fn()
    return (time.perf_counter() - start) * 1000


def pct(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100)[p - 1]


async def run(args: argparse.Namespace, url: str) -> None:
    settings = Settings(
        database_url=url,
        seed_demo=False,
        password_time_cost=1,
        password_memory_kib=1024,
        _env_file=None,
    )
    await db.migrate(settings)
    await db.close()
    await db.init(settings)
    await policies.start()
    try:
        print(f"Building a Texas lawyer with {args.entries} ledger entries...")
        started = time.perf_counter()
        user_id = await build(settings, args.entries)
        print(f"  done in {time.perf_counter() - started:.1f} s")
        principal = user_principal(user_id)

        def status() -> Awaitable[compliance.ComplianceStatus]:
            return compliance.status(principal, user_id, "US-TX", ON)

        def rows() -> Awaitable[compliance.Tally]:
            return baseline(principal, user_id)

        summed, loaded = await status(), await rows()
        totals = ("required", "earned", "missing", "carried_in", "capped_out")
        mine = tuple(getattr(summed, name) for name in totals)
        theirs = tuple(getattr(loaded, name) for name in totals)
        assert mine == theirs, (mine, theirs)
        print(f"Both give the same totals: {dict(zip(totals, mine, strict=True))}")
        with counting() as ours:
            await status()
        with counting() as floor:
            await rows()

        for _ in range(args.warmup):
            await status()
            await rows()
        fast, slow = [], []
        for _ in range(args.rounds):
            fast.append(await timed(status))
            slow.append(await timed(rows))

        print(f"Building a firm of {args.lawyers} Texas lawyers...")
        firm_id, admin = await build_firm(settings, args.lawyers)

        def roll() -> Awaitable[list[reports.RollLine]]:
            return reports.compliance_roll(
                admin, "US-TX", organization_id=firm_id, on=ON
            )

        def one_by_one() -> Awaitable[list[compliance.ComplianceStatus]]:
            return status_by_status(firm_id)

        lines, each = await roll(), await one_by_one()
        assert sorted((line.earned_hours, line.carried_in) for line in lines) == sorted(
            (s.earned, s.carried_in) for s in each
        )
        with counting() as roll_statements:
            await roll()
        with counting() as each_statements:
            await one_by_one()
        batched, serial = [], []
        for _ in range(args.roll_rounds):
            batched.append(await timed(roll))
            serial.append(await timed(one_by_one))
    finally:
        await policies.stop()
        await db.close()

    print()
    print(
        f"Compliance status on {args.database}: {args.entries} ledger entries, "
        f"{args.rounds} rounds after {args.warmup} warm-up; {os.cpu_count()} CPUs; "
        f"Python {sys.version.split()[0]}"
    )
    print(f"{'measure':<44}{'p50 ms':>10}{'p90 ms':>10}{'SELECTs':>10}")
    print(
        f"{'status(): SUM ... GROUP BY in the database':<44}"
        f"{statistics.median(fast):>10.2f}{pct(fast, 90):>10.2f}{ours.count:>10}"
    )
    print(
        f"{'baseline: every row loaded, summed in Python':<44}"
        f"{statistics.median(slow):>10.2f}{pct(slow, 90):>10.2f}{floor.count:>10}"
    )
    print(
        f"{'baseline / status':<44}"
        f"{statistics.median(slow) / statistics.median(fast):>9.1f}x"
        f"{pct(slow, 90) / pct(fast, 90):>9.1f}x"
    )

    print()
    print(
        f"Firm roll on {args.database}: {args.lawyers} lawyers, "
        f"{args.roll_rounds} rounds"
    )
    print(f"{'measure':<44}{'p50 ms':>10}{'max ms':>10}{'SELECTs':>10}")
    print(
        f"{'compliance_roll(): one ledger statement':<44}"
        f"{statistics.median(batched):>10.1f}{max(batched):>10.1f}"
        f"{roll_statements.count:>10}"
    )
    print(
        f"{'baseline: status() per lawyer':<44}"
        f"{statistics.median(serial):>10.1f}{max(serial):>10.1f}"
        f"{each_statements.count:>10}"
    )
    print(
        f"{'baseline / roll':<44}"
        f"{statistics.median(serial) / statistics.median(batched):>9.1f}x"
    )


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="lexstack-bench-") as folder:
        async with database(args.database, Path(folder)) as url:
            await run(args, url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--lawyers", type=int, default=200)
    parser.add_argument("--roll-rounds", type=int, default=10)
    asyncio.run(main(parser.parse_args()))
