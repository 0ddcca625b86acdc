"""Where a lawyer stands against a jurisdiction's requirements in a compliance period.

`tally` is the rule engine: plain data in, plain data out, no database, so
that its promises can be tested as properties. `status` loads a lawyer's
period and the ledger's sums for it, and hands them to `tally`.
"""

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal
from typing import Any

from tortoise.functions import Sum

from app.errors import Forbidden, NotFound
from app.models import BarAdmission, Credit, Jurisdiction, LearnerProfile, Requirement
from app.models.enums import Audience, CreditCategory, Delivery, RequirementKind
from app.services import learners, periods
from app.services.periods import Period
from permissions import Principal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
TOTAL = CreditCategory.TOTAL
MINIMUM, MAXIMUM, CARRY_OVER = (
    RequirementKind.MINIMUM,
    RequirementKind.MAXIMUM,
    RequirementKind.CARRY_OVER,
)

# Hours by category and delivery (live or self_study).
Key = tuple[CreditCategory, Delivery]
Hours = Mapping[Key, Decimal]


@dataclass(frozen=True)
class Rule:
    """A requirement as the tally reads it: a minimum, a cap or a carry-over limit."""

    kind: RequirementKind
    category: CreditCategory
    hours: Decimal
    audience: Audience = Audience.ALL
    delivery: Delivery = Delivery.ANY
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None
    source: str = ""

    @classmethod
    def of(cls, row: Requirement) -> "Rule":
        return cls(
            kind=RequirementKind(row.kind),
            category=CreditCategory(row.category),
            hours=_hours(row.hours),
            audience=Audience(row.audience),
            delivery=Delivery(row.delivery),
            effective_from=row.effective_from,
            effective_until=row.effective_until,
            source=row.source,
        )

    def counts(self, key: Key) -> bool:
        """Whether hours of this category and delivery count toward the rule."""
        category, delivery = key
        return self.category in (TOTAL, category) and self.delivery in (
            Delivery.ANY,
            delivery,
        )


@dataclass(frozen=True)
class Line:
    """One rule against the period's hours.

    For a minimum, `earned` is what counts toward it, carried hours included;
    for a cap, the hours under it that count; for a carry-over limit, the
    hours of this period that would move into the next.
    """

    rule: Rule
    required: Decimal
    earned: Decimal
    missing: Decimal
    met: bool


@dataclass(frozen=True)
class Tally:
    lines: tuple[Line, ...]
    required: Decimal
    # Hours counted toward the period: its own after caps, and those carried in.
    earned: Decimal
    missing: Decimal
    carried_in: Decimal
    # The period's own hours that caps kept from counting.
    capped_out: Decimal
    compliant: bool
    # The period's own hours that count, after caps, by category and delivery.
    counted: Mapping[Key, Decimal]


def applicable(
    requirements: Iterable[Rule], audience: Audience, period: Period
) -> list[Rule]:
    """The rules that bind the period, prorated where the period is."""
    chosen: dict[tuple[Any, ...], Rule] = {}
    for rule in requirements:
        if rule.audience not in (Audience.ALL, audience):
            continue
        if rule.effective_from is not None and rule.effective_from > period.end:
            continue
        if rule.effective_until is not None and rule.effective_until < period.start:
            continue
        key = (rule.kind, rule.category, rule.audience, rule.delivery)
        held = chosen.get(key)
        # Of two versions of a rule in force during one period, the later
        # governs: Florida's 30 hours replaced 33 for cycles ending after
        # Jan 8, 2024 (SC2023-0884).
        if held is None or _since(rule) > _since(held):
            chosen[key] = rule
    return [_prorated(rule, period.proportion) for rule in chosen.values()]


def tally(
    requirements: Sequence[Rule],
    earned: Hours,
    carry_in: Mapping[CreditCategory, Decimal],
    audience: Audience,
    period: Period,
) -> Tally:
    """The period's hours against its rules: what counts, what is missing.

    `earned` holds the hours earned within the period; `carry_in` the hours
    moved in from the period before (see `carry_over`), by category.
    """
    rules = applicable(requirements, audience, period)
    carried = {c: _hours(h) for c, h in carry_in.items() if h > 0}
    counted = _count(rules, earned, carried)
    carry_out = _carry_out(rules, earned)
    lines = tuple(_line(rule, counted, carried, carry_out) for rule in rules)

    minimums = [line for line in lines if line.rule.kind is MINIMUM]
    totals = [
        line.required
        for line in minimums
        if line.rule.category is TOTAL and line.rule.delivery is Delivery.ANY
    ]
    required = max(totals) if totals else sum((m.required for m in minimums), ZERO)
    total = sum(counted.values(), ZERO) + sum(carried.values(), ZERO)
    own = sum((_hours(h) for h in earned.values() if h > 0), ZERO)
    return Tally(
        lines=lines,
        required=required,
        earned=total,
        missing=max(ZERO, required - total),
        carried_in=sum(carried.values(), ZERO),
        capped_out=own - sum(counted.values(), ZERO),
        compliant=all(line.met for line in minimums) and total >= required,
        counted=counted,
    )


def carry_over(
    requirements: Sequence[Rule], earned: Hours, period: Period
) -> dict[CreditCategory, Decimal]:
    """The hours earned in `period` that move into the period after it, by category.

    Only the period's own hours above its total minimum move, up to the
    total carry-over limit and each category's own limit where it has one;
    hours it had carried in never move again.
    """
    return _carry_out(applicable(requirements, period.audience, period), earned)


def _count(
    rules: list[Rule], earned: Hours, carried: Mapping[CreditCategory, Decimal]
) -> dict[Key, Decimal]:
    """The hours that count, once each cap has had its say."""
    counted = {key: _hours(h) for key, h in earned.items() if h > 0}
    minimums = [r for r in rules if r.kind is MINIMUM and r.category is not TOTAL]
    caps = [r for r in rules if r.kind is MAXIMUM]
    # A cap on one category binds before the cap on all: of Texas's 3
    # self-study hours, at most 1 is ethics (art. XII sec. 6(A)-(B)).
    for cap in sorted(caps, key=lambda r: r.category is TOTAL):
        pool = sorted((k for k in counted if cap.counts(k)), key=_live_first)
        if sum((counted[k] for k in pool), ZERO) <= cap.hours:
            continue
        counted.update(_allocate(pool, counted, cap.hours, minimums, carried))
    return {key: hours for key, hours in counted.items() if hours > 0}


def _allocate(
    pool: list[Key],
    counted: dict[Key, Decimal],
    budget: Decimal,
    minimums: list[Rule],
    carried: Mapping[CreditCategory, Decimal],
) -> dict[Key, Decimal]:
    """Which of the pool's hours a cap lets count: first where a minimum needs them.

    The lawyer reports which hours to claim, so the cap keeps the ones that
    close a category's gap before the ones that only add to the total.
    """
    keep = dict.fromkeys(pool, ZERO)
    for minimum in minimums:
        have = sum(
            (h for k, h in counted.items() if k not in keep and minimum.counts(k)), ZERO
        )
        have += sum((h for k, h in keep.items() if minimum.counts(k)), ZERO)
        if minimum.delivery is Delivery.ANY:
            have += carried.get(minimum.category, ZERO)
        need = minimum.hours - have
        for key in pool:
            if need <= 0 or budget <= 0:
                break
            if minimum.counts(key):
                take = min(counted[key] - keep[key], need, budget)
                keep[key] += take
                need -= take
                budget -= take
    for key in pool:
        take = min(counted[key] - keep[key], budget)
        keep[key] += take
        budget -= take
    return keep


def _carry_out(rules: list[Rule], earned: Hours) -> dict[CreditCategory, Decimal]:
    limits = {r.category: r.hours for r in rules if r.kind is CARRY_OVER}
    if not limits:
        return {}
    counted = _count(rules, earned, {})
    minimums = [r for r in rules if r.kind is MINIMUM]
    totals = [
        r.hours for r in minimums if r.category is TOTAL and r.delivery is Delivery.ANY
    ]
    floor = max(totals) if totals else sum((r.hours for r in minimums), ZERO)
    budget = max(ZERO, sum(counted.values(), ZERO) - floor)
    if TOTAL in limits:
        budget = min(budget, limits[TOTAL])
    have: dict[CreditCategory, Decimal] = {}
    for (category, _), hours in counted.items():
        have[category] = have.get(category, ZERO) + hours
    # Categories with a limit of their own first, then those a minimum asks
    # for, so that what moves is what the next period can use most.
    order = [r.category for r in rules if r.kind is CARRY_OVER]
    order += [r.category for r in minimums]
    order += sorted(have)
    moved: dict[CreditCategory, Decimal] = {}
    for category in dict.fromkeys(c for c in order if c is not TOTAL):
        limit = limits.get(category, limits.get(TOTAL))
        if limit is None or budget <= 0:
            continue
        needed = max(
            (r.hours for r in minimums if r.category is category), default=ZERO
        )
        take = min(max(ZERO, have.get(category, ZERO) - needed), limit, budget)
        if take > 0:
            moved[category] = take
            budget -= take
    return moved


def _line(
    rule: Rule,
    counted: Mapping[Key, Decimal],
    carried: Mapping[CreditCategory, Decimal],
    carry_out: Mapping[CreditCategory, Decimal],
) -> Line:
    if rule.kind is CARRY_OVER:
        moving = (
            sum(carry_out.values(), ZERO)
            if rule.category is TOTAL
            else carry_out.get(rule.category, ZERO)
        )
        return Line(rule, rule.hours, moving, ZERO, True)
    earned = sum((h for k, h in counted.items() if rule.counts(k)), ZERO)
    if rule.kind is MAXIMUM:
        return Line(rule, rule.hours, earned, ZERO, True)
    # Carried hours have no delivery of their own any more: they count toward
    # minimums any delivery satisfies, never toward a live-only one.
    if rule.delivery is Delivery.ANY:
        earned += (
            sum(carried.values(), ZERO)
            if rule.category is TOTAL
            else carried.get(rule.category, ZERO)
        )
    missing = max(ZERO, rule.hours - earned)
    return Line(rule, rule.hours, earned, missing, missing == 0)


def _prorated(rule: Rule, proportion: Decimal) -> Rule:
    if proportion >= 1 or rule.audience is not Audience.ALL or rule.kind is CARRY_OVER:
        return rule
    # The State Bar of California's proportional table rounds required hours
    # up to whole hours; the self-study cap is half of that, so it rounds up
    # to the half hour (Rule 2.72).
    step = Decimal(1) if rule.kind is MINIMUM else Decimal("0.5")
    hours = (rule.hours * proportion / step).to_integral_value(ROUND_CEILING) * step
    return replace(rule, hours=min(rule.hours, hours).quantize(CENT))


def _since(rule: Rule) -> dt.date:
    return rule.effective_from or dt.date.min


def _live_first(key: Key) -> tuple[bool, str]:
    return key[1] is not Delivery.LIVE, key[0].value


def _hours(value: Any) -> Decimal:
    return Decimal(value).quantize(CENT)


# The lawyer's standing, from the database.


@dataclass(frozen=True)
class StatusLine:
    category: CreditCategory
    kind: RequirementKind
    delivery: Delivery
    audience: Audience
    required: Decimal
    earned: Decimal
    missing: Decimal
    met: bool
    source: str


@dataclass(frozen=True)
class ComplianceStatus:
    """A lawyer's standing in one jurisdiction on a day."""

    jurisdiction: str
    user: uuid.UUID
    on: dt.date
    period: Period
    lines: tuple[StatusLine, ...]
    required: Decimal
    earned: Decimal
    missing: Decimal
    carried_in: Decimal
    capped_out: Decimal
    compliant: bool
    days_left: int


async def status(
    principal: Principal,
    user_id: Any,
    jurisdiction_code: str,
    on: dt.date | None = None,
) -> ComplianceStatus:
    """Where the learner stands in the jurisdiction on `on` (today by default).

    For the learner, their firm's admins and platform admins. Reads the
    ledger with one aggregate statement per period: the current one, and
    the one before when hours may carry over from it.
    """
    profile = await _readable_profile(principal, user_id)
    jurisdiction = await Jurisdiction.get_or_none(
        code__iexact=(jurisdiction_code or "").strip()
    )
    if jurisdiction is None:
        raise NotFound(f"No jurisdiction with code {jurisdiction_code!r}.")
    code = jurisdiction.code
    admission = await BarAdmission.get_or_none(
        profile_id=profile.pk, jurisdiction_id=jurisdiction.pk
    )
    if admission is None:
        raise NotFound(f"This learner has no bar admission in {code}.")
    rules = (await _rules_of([jurisdiction.pk]))[jurisdiction.pk]
    return await _standing(profile, admission, jurisdiction, rules, on)


async def statuses(
    principal: Principal, user_id: Any, on: dt.date | None = None
) -> list[ComplianceStatus]:
    """The learner's standing in every jurisdiction they are admitted to."""
    profile = await _readable_profile(principal, user_id)
    admissions = await BarAdmission.filter(profile_id=profile.pk).prefetch_related(
        "jurisdiction"
    )
    rules = await _rules_of([a.jurisdiction_id for a in admissions])
    return [
        await _standing(
            profile,
            admission,
            admission.jurisdiction,
            rules[admission.jurisdiction_id],
            on,
        )
        for admission in sorted(admissions, key=lambda a: a.jurisdiction.code)
    ]


async def _rules_of(jurisdiction_ids: list[Any]) -> dict[Any, list[Rule]]:
    """Each jurisdiction's requirements as rules, in the order they were made."""
    rules: dict[Any, list[Rule]] = {key: [] for key in jurisdiction_ids}
    for row in await Requirement.filter(jurisdiction_id__in=jurisdiction_ids).order_by(
        "date_created", "id"
    ):
        rules[row.jurisdiction_id].append(Rule.of(row))
    return rules


async def _readable_profile(principal: Principal, user_id: Any) -> LearnerProfile:
    """The learner's profile, for the learner, their firm's admins, platform admins.

    Without `user_id`, the caller's own.
    """
    try:
        return await learners.readable_profile(principal, user_id, "compliance")
    except Forbidden as exc:
        raise Forbidden(
            "Only the learner, their firm's admins and platform admins see where "
            "a learner stands."
        ) from exc


async def _standing(
    profile: LearnerProfile,
    admission: BarAdmission,
    jurisdiction: Jurisdiction,
    rules: list[Rule],
    on: dt.date | None,
) -> ComplianceStatus:
    day = on or dt.date.today()
    period, before = _periods(jurisdiction, admission, profile, rules, day)
    earned = await _earned(profile.user_id, jurisdiction.pk, period)
    previous = await _earned(profile.user_id, jurisdiction.pk, before) if before else {}
    return _status_of(
        profile, jurisdiction, rules, day, period, before, earned, previous
    )


def _periods(
    jurisdiction: Jurisdiction,
    admission: BarAdmission,
    profile: LearnerProfile,
    rules: list[Rule],
    day: dt.date,
) -> tuple[Period, Period | None]:
    """The lawyer's period on the day, and the one before when hours may carry
    over from it."""
    period = periods.period_on(jurisdiction, admission, profile, day)
    before = periods.previous(jurisdiction, admission, profile, period)
    if before is not None and any(
        r.kind is CARRY_OVER and r.hours > 0
        for r in applicable(rules, before.audience, before)
    ):
        return period, before
    return period, None


def _status_of(
    profile: LearnerProfile,
    jurisdiction: Jurisdiction,
    rules: list[Rule],
    day: dt.date,
    period: Period,
    before: Period | None,
    earned: Hours,
    previous: Hours,
) -> ComplianceStatus:
    carried = carry_over(rules, previous, before) if before is not None else {}
    found = tally(rules, earned, carried, period.audience, period)
    return ComplianceStatus(
        jurisdiction=jurisdiction.code,
        user=profile.user_id,
        on=day,
        period=period,
        lines=tuple(
            StatusLine(
                category=line.rule.category,
                kind=line.rule.kind,
                delivery=line.rule.delivery,
                audience=line.rule.audience,
                required=line.required,
                earned=line.earned,
                missing=line.missing,
                met=line.met,
                source=line.rule.source,
            )
            for line in found.lines
        ),
        required=found.required,
        earned=found.earned,
        missing=found.missing,
        carried_in=found.carried_in,
        capped_out=found.capped_out,
        compliant=found.compliant,
        days_left=(period.deadline - day).days,
    )


async def standings(
    jurisdiction: Jurisdiction,
    admissions: Sequence[BarAdmission],
    on: dt.date | None = None,
) -> list[tuple[BarAdmission, ComplianceStatus]]:
    """Where each of many lawyers stands in the jurisdiction, for a roll.

    The caller has authorized the roll; each admission comes with its
    profile. The ledger is read once for all of them, summed by the
    database per lawyer, category, delivery and day. Lawyers admitted after
    `on` have no period yet and are left out.
    """
    day = on or dt.date.today()
    rules = (await _rules_of([jurisdiction.pk]))[jurisdiction.pk]
    plans = [
        (admission, *_periods(jurisdiction, admission, admission.profile, rules, day))
        for admission in admissions
        if admission.admitted_on <= day
    ]
    if not plans:
        return []
    spans = [p for _, period, before in plans for p in (period, before) if p]
    daily = await _daily(
        jurisdiction.pk,
        [admission.user_id for admission, _, _ in plans],
        min(p.start for p in spans),
        max(p.end for p in spans),
    )
    answers = []
    for admission, period, before in plans:
        days = daily.get(admission.user_id, [])
        answers.append(
            (
                admission,
                _status_of(
                    admission.profile,
                    jurisdiction,
                    rules,
                    day,
                    period,
                    before,
                    _within(days, period),
                    _within(days, before) if before else {},
                ),
            )
        )
    return answers


# Users asked about in one statement: well under every database's limit on
# bound parameters.
_CHUNK = 500


async def _daily(
    jurisdiction_id: Any, users: list[Any], start: dt.date, end: dt.date
) -> dict[Any, list[tuple[dt.date, Key, Decimal]]]:
    """The ledger's hours by lawyer, day, category and delivery, summed by the
    database."""
    found: dict[Any, list[tuple[dt.date, Key, Decimal]]] = {}
    for at in range(0, len(users), _CHUNK):
        rows = (
            await Credit.filter(
                jurisdiction_id=jurisdiction_id,
                user_id__in=users[at : at + _CHUNK],
                earned_on__gte=start,
                earned_on__lte=end,
            )
            .annotate(total=Sum("hours"))
            .group_by("user_id", "earned_on", "category", "delivery")
            .values("user_id", "earned_on", "category", "delivery", "total")
        )
        for row in rows:
            key = (CreditCategory(row["category"]), Delivery(row["delivery"]))
            found.setdefault(_uuid(row["user_id"]), []).append(
                (_day(row["earned_on"]), key, _hours(row["total"]))
            )
    return found


def _within(days: list[tuple[dt.date, Key, Decimal]], period: Period) -> Hours:
    hours: dict[Key, Decimal] = {}
    for day, key, total in days:
        if period.start <= day <= period.end:
            hours[key] = hours.get(key, ZERO) + total
    return hours


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


async def _earned(
    user_id: Any, jurisdiction_id: Any, period: Period
) -> dict[Key, Decimal]:
    """The ledger's hours in the period, summed by the database."""
    rows = (
        await Credit.filter(
            user_id=user_id,
            jurisdiction_id=jurisdiction_id,
            earned_on__gte=period.start,
            earned_on__lte=period.end,
        )
        .annotate(total=Sum("hours"))
        .group_by("category", "delivery")
        .values("category", "delivery", "total")
    )
    return {
        (CreditCategory(row["category"]), Delivery(row["delivery"])): _hours(
            row["total"]
        )
        for row in rows
    }
