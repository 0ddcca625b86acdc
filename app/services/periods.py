"""Compliance periods: when a lawyer's hours count and are due, from the bar's rule.

Each jurisdiction names how it assigns periods (`period_assignment`) and gives
the parameters in `period_rule`, as the reference seeds store them. The kinds
of assignment are general algorithms; nothing here knows a state by its code.

From the admission on, a lawyer's periods tile the calendar: the first (a
newly admitted window, or the regular period the admission falls in, cut at
the admission), then regular periods, each starting the day after the one
before. An hour of credit therefore belongs to exactly one period.
"""

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from app.errors import InvalidInput
from app.models import BarAdmission, Jurisdiction, LearnerProfile
from app.models.enums import Audience, PeriodAssignment

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """One compliance period of a lawyer in a jurisdiction.

    `months` is the length the rule gives the period (24 for a two-year
    cycle, 38 for California's transition cycle); for a prorated period, the
    months the lawyer owes for. `proportion` is the share of the regular
    requirement owed: below 1 only where the bar prorates new admittees.
    """

    start: dt.date
    end: dt.date  # the last day credit may be earned
    deadline: dt.date  # complete or report by
    audience: Audience  # NEWLY_ADMITTED or EXPERIENCED
    months: int
    proportion: Decimal = Decimal(1)


def period_on(
    jurisdiction: Jurisdiction,
    admission: BarAdmission,
    profile: LearnerProfile,
    on: dt.date,
) -> Period:
    """The lawyer's compliance period in the jurisdiction that contains `on`."""
    if on < admission.admitted_on:
        raise InvalidInput(
            f"The learner was admitted to {jurisdiction.code} on "
            f"{admission.admitted_on.isoformat()}; {on.isoformat()} comes before "
            "that, so no compliance period contains it."
        )
    return _plan(jurisdiction, admission, profile).period_on(on)


def previous(
    jurisdiction: Jurisdiction,
    admission: BarAdmission,
    profile: LearnerProfile,
    period: Period,
) -> Period | None:
    """The period before `period`, for carry-over; None if not admitted then."""
    day = period.start - DAY
    if day < admission.admitted_on:
        return None
    return period_on(jurisdiction, admission, profile, day)


# Calendar arithmetic.

# A date, or a datetime, which is one.
Day = TypeVar("Day", bound=dt.date)


def add_months(day: Day, months: int) -> Day:
    """The same day (and time) `months` later or earlier, held to the month's
    last day: Jan 31 plus one month is the last day of February."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _on(year: int, month: int, day: int) -> dt.date:
    # February 29 falls on February 28 in other years.
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _whole_months(start: dt.date, until: dt.date) -> int:
    """Complete months from `start` up to `until`, which is not counted."""
    months = (until.year - start.year) * 12 + until.month - start.month
    while months > 0 and add_months(start, months) > until:
        months -= 1
    return max(months, 0)


def _calendar_months(start: dt.date, end: dt.date) -> int:
    """Calendar months a period touches: February 2022 to March 2025 is 38."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


# Regular schedules: the periods a rule gives everyone, before admission
# dates cut into them.

Deadline = Callable[[dt.date], dt.date]


@dataclass(frozen=True)
class _Span:
    start: dt.date
    end: dt.date
    deadline: dt.date
    months: int


class _Schedule(Protocol):
    def containing(self, day: dt.date) -> _Span: ...


@dataclass(frozen=True)
class _Grid:
    """Periods of `months` months back to back, one of them starting on `anchor`."""

    anchor: dt.date
    months: int
    deadline: Deadline

    def _start(self, k: int) -> dt.date:
        return add_months(self.anchor, k * self.months)

    def containing(self, day: dt.date) -> _Span:
        k = (
            (day.year - self.anchor.year) * 12 + day.month - self.anchor.month
        ) // self.months
        while self._start(k) > day:
            k -= 1
        while self._start(k + 1) <= day:
            k += 1
        end = self._start(k + 1) - DAY
        return _Span(self._start(k), end, self.deadline(end), self.months)


@dataclass(frozen=True)
class _Transition:
    """A one-time cycle between an old schedule and the regular one after it."""

    before: _Grid
    span: _Span
    after: _Grid

    def containing(self, day: dt.date) -> _Span:
        if day > self.span.end:
            return self.after.containing(day)
        if day >= self.span.start:
            return self.span
        return self.before.containing(day)


def _same_day(end: dt.date) -> dt.date:
    return end


def _days_after(days: int) -> Deadline:
    return lambda end: end + dt.timedelta(days=days)


def _month_end_after(end: dt.date) -> dt.date:
    return month_end(end + DAY)


def _report_deadline(rule: dict[str, Any]) -> Deadline | None:
    """The rule's yearly report date: the first such day on or after the end."""
    if "report_deadline_month" not in rule:
        return None
    month, day = int(rule["report_deadline_month"]), int(rule["report_deadline_day"])

    def deadline(end: dt.date) -> dt.date:
        due = _on(end.year, month, day)
        return due if due >= end else _on(end.year + 1, month, day)

    return deadline


# The lawyer's own sequence of periods.


@dataclass(frozen=True)
class _Plan:
    first: Period
    # The regular period the first one hands over to; it starts the day
    # after the first ends, whatever the regular schedule says.
    first_regular: _Span
    regular: _Schedule

    def period_on(self, on: dt.date) -> Period:
        if on <= self.first.end:
            return self.first
        span = self.first_regular
        if on <= span.end:
            start = self.first.end + DAY
        else:
            span = self.regular.containing(on)
            start = span.start
        return Period(start, span.end, span.deadline, Audience.EXPERIENCED, span.months)


def _entry(
    jurisdiction: Jurisdiction,
    rule: dict[str, Any],
    regular: _Schedule,
    admitted: dt.date,
    report_lag: int = 0,
) -> _Plan:
    """The first period after admission and the regular one that follows it."""
    if "newly_admitted_months" in rule:
        # A window of its own from the admission date (NY 22 NYCRR 1500.12:
        # 24 months; Ill. S. Ct. R. 793: 12 months).
        months = int(rule["newly_admitted_months"])
        ends = rule.get("newly_admitted_period_ends", "day_before_anniversary")
        if ends == "day_before_anniversary":
            end = add_months(admitted, months) - DAY
        elif ends == "last_day_of_anniversary_month":
            end = month_end(add_months(admitted, months))
        else:
            raise _unsupported(jurisdiction, "newly_admitted_period_ends", ends)
        # Where the bar has a reporting window after a period's end, the
        # newly admitted get the same one (Ill. S. Ct. R. 793(f)(2): 31 days).
        first = Period(
            admitted,
            end,
            end + dt.timedelta(days=report_lag),
            Audience.NEWLY_ADMITTED,
            months,
        )
        return _Plan(first, _first_regular(jurisdiction, rule, regular, first), regular)

    span = regular.containing(admitted)
    start, months, proportion = admitted, span.months, Decimal(1)
    requirement = rule.get("new_admittee_requirement")
    if requirement == "proportional":
        # Credit counts from the first day of the month of admission, and
        # the requirement is reduced by the complete months of the period
        # before it (State Bar Rule 2.72; calbar.ca.gov New Admittees).
        start = max(admitted.replace(day=1), span.start)
        months = span.months - _whole_months(span.start, start)
        proportion = Decimal(months) / Decimal(span.months)
    elif requirement is not None:
        raise _unsupported(jurisdiction, "new_admittee_requirement", requirement)
    first = Period(
        start, span.end, span.deadline, Audience.NEWLY_ADMITTED, months, proportion
    )
    return _Plan(first, regular.containing(span.end + DAY), regular)


def _first_regular(
    jurisdiction: Jurisdiction,
    rule: dict[str, Any],
    regular: _Schedule,
    first: Period,
) -> _Span:
    starts = rule.get("experienced_starts")
    if starts == "registration_in_second_calendar_year_after_admission":
        # The experienced cycle opens with the registration filed in the
        # second calendar year after admission (NY 22 NYCRR 1500.22(b)(2)).
        year = first.start.year + 2
        span = regular.containing(dt.date(year, 1, 1))
        if span.end.year == year:
            span = regular.containing(span.end + DAY)
    elif starts is None:
        # The first regular period that starts after the window: Illinois's
        # first two-year period begins on the July 1 after it (MCLE Board).
        span = regular.containing(first.end + DAY)
        if span.start <= first.end:
            span = regular.containing(span.end + DAY)
    else:
        raise _unsupported(jurisdiction, "experienced_starts", starts)
    while span.end <= first.end:
        span = regular.containing(span.end + DAY)
    return span


# The kinds of assignment, each parameterised by the rule.


def _by_last_name(
    jurisdiction: Jurisdiction,
    rule: dict[str, Any],
    admission: BarAdmission,
    profile: LearnerProfile,
) -> _Plan:
    """Groups by the initial of the last name on the roll at admission."""
    group_by = rule.get("group_by", "last_name_initial_at_admission")
    if group_by != "last_name_initial_at_admission":
        raise _unsupported(jurisdiction, "group_by", group_by)
    # A later change of name never moves a lawyer to another group (Cal.
    # State Bar Rule 2.72; MCLE Board FAQ A405), hence the name at admission.
    name = admission.last_name_at_admission or profile.last_name
    initial = _initial(name)
    if initial is None:
        raise InvalidInput(
            f"{jurisdiction.code} groups lawyers by the first letter of their last "
            f"name, and {name!r} has no letter A-Z to group by: record "
            "last_name_at_admission on the bar admission as the roll spells it."
        )
    group = next(
        (
            g
            for g in rule.get("groups", [])
            if g["first_letter"].upper() <= initial <= g["last_letter"].upper()
        ),
        None,
    )
    if group is None:
        raise _unsupported(jurisdiction, "groups", f"no group for {initial}")
    cycle = _cycle(jurisdiction, rule)
    deadline = _report_deadline(rule) or _same_day
    if "reference_period_end" in group:
        reference_end = dt.date.fromisoformat(group["reference_period_end"])
    elif "period_end_year_parity" in group:
        parity = group["period_end_year_parity"]
        if parity not in ("even", "odd"):
            raise _unsupported(jurisdiction, "period_end_year_parity", parity)
        reference_end = _on(
            2000 if parity == "even" else 2001,
            int(rule["period_end_month"]),
            int(rule["period_end_day"]),
        )
    else:
        raise _unsupported(jurisdiction, "groups", "a group without period ends")
    after = _Grid(reference_end + DAY, cycle, deadline)
    lag = (deadline(reference_end) - reference_end).days
    regular: _Schedule = after
    if "transition_period_start" in group:
        start = dt.date.fromisoformat(group["transition_period_start"])
        end = dt.date.fromisoformat(group["transition_period_end"])
        due = group.get("transition_report_deadline")
        span = _Span(
            start,
            end,
            dt.date.fromisoformat(due) if due else deadline(end),
            _calendar_months(start, end),
        )
        # Before the transition, cycles of the same length ended the day
        # before it began, reported after the same lag: California's old
        # Feb 1 - Jan 31 cycles, reported by Feb 1 (calbar.ca.gov).
        regular = _Transition(_Grid(start, cycle, _days_after(lag)), span, after)
    return _entry(jurisdiction, rule, regular, admission.admitted_on, lag)


def _by_birth_date(
    jurisdiction: Jurisdiction,
    rule: dict[str, Any],
    admission: BarAdmission,
    profile: LearnerProfile,
) -> _Plan:
    """Cycles ending on the birthday in alternate registration years."""
    anchor = rule.get("anchor", "birthday")
    if anchor != "birthday":
        raise _unsupported(jurisdiction, "anchor", anchor)
    birth = _birth_date(jurisdiction, profile)
    cycle = _cycle(jurisdiction, rule)
    if cycle % 12:
        raise _unsupported(jurisdiction, "cycle_months", cycle)
    parity = rule.get("registration_year_parity", "same_as_admission_year")
    if parity != "same_as_admission_year":
        raise _unsupported(jurisdiction, "registration_year_parity", parity)
    # Registration falls in the admission year and every other year after
    # (NY 22 NYCRR 118.1), except for lawyers admitted by a cut-off date.
    admitted = admission.admitted_on
    base = admitted.year
    for key, value in rule.items():
        cutoff = re.fullmatch(r"pre_(\d{4})_admission_parity", key)
        if cutoff is None or admitted > dt.date(int(cutoff[1]), 1, 1):
            continue
        if value not in ("even", "odd"):
            raise _unsupported(jurisdiction, key, value)
        base = 2000 if value == "even" else 2001
    birthday = _on(base, birth.month, birth.day)
    due = int(rule.get("registration_due_days_after_birthday", 0))
    regular = _Grid(birthday + DAY, cycle, _days_after(due))
    return _entry(jurisdiction, rule, regular, admitted)


def _by_birth_month(
    jurisdiction: Jurisdiction,
    rule: dict[str, Any],
    admission: BarAdmission,
    profile: LearnerProfile,
) -> _Plan:
    """Compliance years from the first day of the birth month."""
    for key, supported in (
        ("period_starts", "first_day_of_birth_month"),
        ("period_ends", "last_day_of_month_before_birth_month"),
        ("initial_cycle_starts", "first_birth_month_after_licensing"),
    ):
        if rule.get(key, supported) != supported:
            raise _unsupported(jurisdiction, key, rule[key])
    grace = rule.get("grace_period_ends")
    if grace == "last_day_of_birth_month":
        deadline: Deadline = _month_end_after
    elif grace is None:
        deadline = _same_day
    else:
        raise _unsupported(jurisdiction, "grace_period_ends", grace)
    birth = _birth_date(jurisdiction, profile)
    cycle = _cycle(jurisdiction, rule)
    admitted = admission.admitted_on
    if "initial_cycle_months" not in rule:
        regular = _Grid(dt.date(2000, birth.month, 1), cycle, deadline)
        return _entry(jurisdiction, rule, regular, admitted)

    # The initial year begins on the first birth month after licensing and
    # runs its own length; credit from the months before it also counts
    # (Texas State Bar Rules art. XII secs. 5(B), 6(D); Regulation 1.2).
    initial = dt.date(admitted.year, birth.month, 1)
    if initial <= admitted:
        initial = dt.date(admitted.year + 1, birth.month, 1)
    months = int(rule["initial_cycle_months"])
    end = add_months(initial, months) - DAY
    lookback = int(rule.get("initial_cycle_lookback_months", 0))
    first = Period(
        add_months(initial, -lookback),
        end,
        deadline(end),
        Audience.NEWLY_ADMITTED,
        months,
    )
    regular = _Grid(end + DAY, cycle, deadline)
    return _Plan(first, regular.containing(end + DAY), regular)


def _by_admission(
    jurisdiction: Jurisdiction,
    rule: dict[str, Any],
    admission: BarAdmission,
    profile: LearnerProfile,
) -> _Plan:
    """Cycles counted from the admission date, or from one the bar assigns."""
    cycle = _cycle(jurisdiction, rule)
    assigned = rule.get("assigned_by")
    if assigned == "bar":
        if admission.cycle_ends_on is None:
            raise InvalidInput(
                f"{jurisdiction.code} assigns each member a reporting cycle: record "
                "cycle_ends_on, the last day of the member's current cycle, on "
                "the bar admission (save_bar_admission)."
            )
        end = admission.cycle_ends_on
    elif assigned is None:
        end = add_months(admission.admitted_on, cycle) - DAY
    else:
        raise _unsupported(jurisdiction, "assigned_by", assigned)
    ends = rule.get("period_ends")
    if ends == "last_day_of_assigned_month":
        # Florida BLSE Policy 6.02(b): the cycle ends on the last day of the
        # assigned month, every 36 months.
        end = month_end(end)
    elif ends is not None:
        raise _unsupported(jurisdiction, "period_ends", ends)
    deadline = _report_deadline(rule)
    regular = _Grid(end + DAY, cycle, deadline or _same_day)
    lag = _lag(deadline, regular, admission.admitted_on)
    return _entry(jurisdiction, rule, regular, admission.admitted_on, lag)


def _fixed(
    jurisdiction: Jurisdiction,
    rule: dict[str, Any],
    admission: BarAdmission,
    profile: LearnerProfile,
) -> _Plan:
    """The same calendar periods for everyone."""
    cycle = _cycle(jurisdiction, rule)
    if "reference_period_end" in rule:
        anchor = dt.date.fromisoformat(rule["reference_period_end"]) + DAY
    else:
        anchor = _on(
            2000,
            int(rule.get("period_start_month", 1)),
            int(rule.get("period_start_day", 1)),
        )
    deadline = _report_deadline(rule)
    regular = _Grid(anchor, cycle, deadline or _same_day)
    lag = _lag(deadline, regular, admission.admitted_on)
    return _entry(jurisdiction, rule, regular, admission.admitted_on, lag)


_ASSIGNMENTS = {
    PeriodAssignment.LAST_NAME: _by_last_name,
    PeriodAssignment.BIRTH_DATE: _by_birth_date,
    PeriodAssignment.BIRTH_MONTH: _by_birth_month,
    PeriodAssignment.ADMISSION_DATE: _by_admission,
    PeriodAssignment.FIXED: _fixed,
}


def _plan(
    jurisdiction: Jurisdiction, admission: BarAdmission, profile: LearnerProfile
) -> _Plan:
    assign = _ASSIGNMENTS[PeriodAssignment(jurisdiction.period_assignment)]
    return assign(jurisdiction, jurisdiction.period_rule or {}, admission, profile)


def _lag(deadline: Deadline | None, regular: _Schedule, day: dt.date) -> int:
    """Days from a regular period's end to its report date."""
    if deadline is None:
        return 0
    span = regular.containing(day)
    return (span.deadline - span.end).days


def _cycle(jurisdiction: Jurisdiction, rule: dict[str, Any]) -> int:
    months = int(rule.get("cycle_months") or jurisdiction.period_months or 0)
    if months < 1:
        raise _unsupported(jurisdiction, "cycle_months", months)
    return months


def _birth_date(jurisdiction: Jurisdiction, profile: LearnerProfile) -> dt.date:
    if profile.birth_date is None:
        raise InvalidInput(
            f"{jurisdiction.code} sets compliance periods by the lawyer's birth "
            "date: record birth_date on the learner profile (save_learner_profile)."
        )
    return profile.birth_date


def _initial(name: str | None) -> str | None:
    """The first letter of a name, accents removed: 'Ñúñez' is N, 'de Vries' D."""
    for char in unicodedata.normalize("NFKD", name or ""):
        if char.isalpha():
            upper = char.upper()
            return upper if "A" <= upper <= "Z" else None
    return None


def _unsupported(jurisdiction: Jurisdiction, key: str, value: Any) -> InvalidInput:
    return InvalidInput(
        f"{jurisdiction.code}'s period_rule has {key} = {value!r}, which lexstack "
        "cannot apply; correct the jurisdiction's reference data."
    )
