"""Compliance periods of concrete lawyers, computed by hand from each bar's rule."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import InvalidInput
from app.models import BarAdmission, Jurisdiction, LearnerProfile
from app.models.enums import Audience, PeriodAssignment
from app.services.periods import Period, period_on, previous

NEW, EXPERIENCED = Audience.NEWLY_ADMITTED, Audience.EXPERIENCED
D = dt.date.fromisoformat


def lawyer(
    admitted: str,
    last_name: str = "Lawyer",
    *,
    at_admission: str | None = None,
    birth: str | None = None,
    cycle_ends: str | None = None,
) -> tuple[BarAdmission, LearnerProfile]:
    profile = LearnerProfile(
        first_name="Lee", last_name=last_name, birth_date=birth and D(birth)
    )
    admission = BarAdmission(
        admitted_on=D(admitted),
        last_name_at_admission=at_admission,
        cycle_ends_on=cycle_ends and D(cycle_ends),
    )
    return admission, profile


def period(
    start: str,
    end: str,
    deadline: str,
    audience: Audience,
    months: int,
    proportion: Decimal = Decimal(1),
) -> Period:
    return Period(D(start), D(end), D(deadline), audience, months, proportion)


# California: Bus. & Prof. Code 6070; State Bar Rule 2.72; calbar.ca.gov
# "MCLE Compliance Information" (the one-time 38-month cycles).


def test_california_group_1_is_in_its_38_month_transition_cycle(reference):
    ca = reference["US-CA"]
    admission, profile = lawyer("2010-06-01", "Garcia")

    found = period_on(ca, admission, profile, D("2024-05-01"))

    # A-G: Feb 1, 2022 to Mar 29, 2025; reported by Apr 1, 2025, because
    # Mar 30 was a Sunday and Mar 31 a court holiday.
    assert found == period("2022-02-01", "2025-03-29", "2025-04-01", EXPERIENCED, 38)


def test_california_returns_to_36_month_cycles_from_march_30(reference):
    ca = reference["US-CA"]
    admission, profile = lawyer("2010-06-01", "Garcia")

    found = period_on(ca, admission, profile, D("2025-03-30"))

    assert found == period("2025-03-30", "2028-03-29", "2028-03-30", EXPERIENCED, 36)
    assert previous(ca, admission, profile, found) == period(
        "2022-02-01", "2025-03-29", "2025-04-01", EXPERIENCED, 38
    )


def test_california_cycle_before_the_transition_ran_feb_1_to_jan_31(reference):
    ca = reference["US-CA"]
    admission, profile = lawyer("1998-10-01", "Kim")

    transition = period_on(ca, admission, profile, D("2026-01-10"))
    before = previous(ca, admission, profile, transition)

    # H-M: the transition runs Feb 1, 2024 to Mar 29, 2027; the old cycle
    # before it ended Jan 31, 2024, reported by Feb 1.
    assert transition == period(
        "2024-02-01", "2027-03-29", "2027-03-30", EXPERIENCED, 38
    )
    assert before == period("2021-02-01", "2024-01-31", "2024-02-01", EXPERIENCED, 36)


def test_california_group_3_cycle_turns_over_on_march_30(reference):
    ca = reference["US-CA"]
    admission, profile = lawyer("2001-04-02", "Nguyen")

    last_day = period_on(ca, admission, profile, D("2026-03-29"))
    next_day = period_on(ca, admission, profile, D("2026-03-30"))

    assert last_day == period("2023-02-01", "2026-03-29", "2026-03-30", EXPERIENCED, 38)
    assert next_day == period("2026-03-30", "2029-03-29", "2029-03-30", EXPERIENCED, 36)


def test_california_group_follows_the_name_at_admission_not_a_later_one(reference):
    ca = reference["US-CA"]
    # Admitted as Nguyen (N-Z), now Adams (A-G): the group never changes.
    admission, profile = lawyer("2001-04-02", "Adams", at_admission="Nguyen")

    found = period_on(ca, admission, profile, D("2025-06-01"))

    assert found == period("2023-02-01", "2026-03-29", "2026-03-30", EXPERIENCED, 38)


def test_california_new_admittee_owes_for_the_months_admitted(reference):
    ca = reference["US-CA"]
    admission, profile = lawyer("2023-06-15", "Baker")

    found = period_on(ca, admission, profile, D("2024-01-02"))

    # Rule 2.72: credit counts from the first of the month of admission; the
    # 16 complete months of the 38-month cycle before June 2023 are not owed.
    assert found == period(
        "2023-06-01",
        "2025-03-29",
        "2025-04-01",
        NEW,
        22,
        Decimal(22) / Decimal(38),
    )
    assert previous(ca, admission, profile, found) is None


def test_california_new_admittee_in_a_regular_cycle(reference):
    ca = reference["US-CA"]
    admission, profile = lawyer("2026-11-09", "Zhang")

    found = period_on(ca, admission, profile, D("2026-11-20"))

    # Seven complete months (Mar 30 - Oct 29) before November 2026.
    assert found == period(
        "2026-11-01", "2029-03-29", "2029-03-30", NEW, 29, Decimal(29) / Decimal(36)
    )


def test_california_admittee_on_the_first_day_owes_the_whole_cycle(reference):
    ca = reference["US-CA"]
    admission, profile = lawyer("2026-03-30", "Zhang")

    found = period_on(ca, admission, profile, D("2026-04-01"))

    assert found == period("2026-03-30", "2029-03-29", "2029-03-30", NEW, 36)


def test_california_name_without_a_latin_initial_must_be_recorded(reference):
    admission, profile = lawyer("2015-01-05", "Иванов")

    with pytest.raises(InvalidInput, match="last_name_at_admission"):
        period_on(reference["US-CA"], admission, profile, D("2025-01-01"))


def test_accents_do_not_change_the_group(reference):
    admission, profile = lawyer("2015-01-05", "Ñúñez")

    found = period_on(reference["US-CA"], admission, profile, D("2025-06-01"))

    assert (found.start, found.end) == (D("2023-02-01"), D("2026-03-29"))


# New York: 22 NYCRR 118.1 (biennial registration within 30 days after the
# birthday, in years of the admission year's parity), 1500.12 (transitional
# CLE, 24 months from admission), 1500.22 (experienced cycles).


def test_new_york_experienced_cycle_ends_on_the_birthday_of_a_registration_year(
    reference,
):
    ny = reference["US-NY"]
    # Admitted in an odd year: registers in odd years.
    admission, profile = lawyer("2011-05-18", birth="1985-09-14")

    found = period_on(ny, admission, profile, D("2024-03-01"))

    assert found == period("2023-09-15", "2025-09-14", "2025-10-14", EXPERIENCED, 24)


def test_new_york_newly_admitted_have_24_transitional_months(reference):
    ny = reference["US-NY"]
    admission, profile = lawyer("2011-05-18", birth="1985-09-14")

    found = period_on(ny, admission, profile, D("2012-12-01"))

    assert found == period("2011-05-18", "2013-05-17", "2013-05-17", NEW, 24)
    assert previous(ny, admission, profile, found) is None


def test_new_york_first_cycle_runs_to_the_registration_after_2013(reference):
    ny = reference["US-NY"]
    admission, profile = lawyer("2011-05-18", birth="1985-09-14")

    found = period_on(ny, admission, profile, D("2014-01-01"))

    # 1500.22(b)(2): the experienced requirement starts with the 2013
    # registration (Sep 14, 2013); the cycle then ends at the 2015 one. The
    # months between the transitional period and that registration join it.
    assert found == period("2013-05-18", "2015-09-14", "2015-10-14", EXPERIENCED, 24)
    assert previous(ny, admission, profile, found) == period(
        "2011-05-18", "2013-05-17", "2013-05-17", NEW, 24
    )


def test_new_york_first_cycle_starts_after_transitional_years_end(reference):
    ny = reference["US-NY"]
    # Admitted 2016 (even); the 2018 registration (Jan 20) comes before the
    # transitional years end (Feb 9, 2018).
    admission, profile = lawyer("2016-02-10", birth="1990-01-20")

    first = period_on(ny, admission, profile, D("2019-06-01"))
    second = period_on(ny, admission, profile, D("2021-01-01"))

    assert first == period("2018-02-10", "2020-01-20", "2020-02-19", EXPERIENCED, 24)
    assert second == period("2020-01-21", "2022-01-20", "2022-02-19", EXPERIENCED, 24)


def test_new_york_admitted_before_1982_register_in_even_years(reference):
    ny = reference["US-NY"]
    admission, profile = lawyer("1979-03-05", birth="1950-07-04")

    found = period_on(ny, admission, profile, D("2025-06-01"))

    assert found == period("2024-07-05", "2026-07-04", "2026-08-03", EXPERIENCED, 24)


def test_new_york_february_29_birthday_falls_on_february_28(reference):
    ny = reference["US-NY"]
    admission, profile = lawyer("2019-04-01", birth="1992-02-29")

    found = period_on(ny, admission, profile, D("2024-01-01"))

    assert found == period("2023-03-01", "2025-02-28", "2025-03-30", EXPERIENCED, 24)


def test_new_york_needs_the_birth_date(reference):
    admission, profile = lawyer("2011-05-18")

    with pytest.raises(InvalidInput, match="birth_date"):
        period_on(reference["US-NY"], admission, profile, D("2024-03-01"))


# Texas: State Bar Rules art. XII secs. 5-6; MCLE Regulations 1.2-1.4.


def test_texas_compliance_year_starts_in_the_birth_month(reference):
    tx = reference["US-TX"]
    admission, profile = lawyer("2005-11-04", birth="1980-07-22")

    found = period_on(tx, admission, profile, D("2024-09-10"))

    # Jul 1 to Jun 30; the grace period to report runs to the end of July.
    assert found == period("2024-07-01", "2025-06-30", "2025-07-31", EXPERIENCED, 12)


def test_texas_initial_year_is_24_months_from_the_next_birth_month(reference):
    tx = reference["US-TX"]
    admission, profile = lawyer("2024-11-08", birth="1998-03-15")

    found = period_on(tx, admission, profile, D("2025-01-10"))

    # Sec. 5(B): begins Mar 1, 2025, the first birth month after licensing,
    # and lasts 24 months; sec. 6(D): credit from the 12 months before counts.
    assert found == period("2024-03-01", "2027-02-28", "2027-03-31", NEW, 24)
    assert previous(tx, admission, profile, found) is None


def test_texas_regular_years_follow_the_initial_year(reference):
    tx = reference["US-TX"]
    admission, profile = lawyer("2024-11-08", birth="1998-03-15")

    found = period_on(tx, admission, profile, D("2027-03-05"))

    assert found == period("2027-03-01", "2028-02-29", "2028-03-31", EXPERIENCED, 12)
    assert previous(tx, admission, profile, found) == period(
        "2024-03-01", "2027-02-28", "2027-03-31", NEW, 24
    )


def test_texas_licensed_in_the_birth_month_starts_a_year_later(reference):
    tx = reference["US-TX"]
    admission, profile = lawyer("2020-05-12", birth="1990-05-20")

    found = period_on(tx, admission, profile, D("2020-06-01"))

    assert found == period("2020-05-01", "2023-04-30", "2023-05-31", NEW, 24)


def test_texas_needs_the_birth_date(reference):
    admission, profile = lawyer("2005-11-04")

    with pytest.raises(InvalidInput, match="birth_date"):
        period_on(reference["US-TX"], admission, profile, D("2024-09-10"))


# Florida: Rule Regulating The Florida Bar 6-10.3; BLSE Policy 6.02 (the Bar
# assigns the month; cycles end on its last day every 36 months).


def test_florida_cycle_ends_on_the_last_day_of_the_assigned_month(reference):
    fl = reference["US-FL"]
    admission, profile = lawyer("2012-09-20", cycle_ends="2027-05-31")

    found = period_on(fl, admission, profile, D("2025-02-01"))

    assert found == period("2024-06-01", "2027-05-31", "2027-05-31", EXPERIENCED, 36)


def test_florida_first_cycle_starts_at_admission(reference):
    fl = reference["US-FL"]
    admission, profile = lawyer("2012-09-20", cycle_ends="2027-05-31")

    found = period_on(fl, admission, profile, D("2013-01-01"))

    assert found == period("2012-09-20", "2015-05-31", "2015-05-31", NEW, 36)


def test_florida_cycle_end_within_the_month_means_the_month(reference):
    admission, profile = lawyer("2012-09-20", cycle_ends="2026-08-15")

    found = period_on(reference["US-FL"], admission, profile, D("2026-08-20"))

    assert (found.start, found.end) == (D("2023-09-01"), D("2026-08-31"))


def test_florida_needs_the_bar_assigned_cycle(reference):
    admission, profile = lawyer("2012-09-20")

    with pytest.raises(InvalidInput, match="cycle_ends_on"):
        period_on(reference["US-FL"], admission, profile, D("2025-02-01"))


# Illinois: Ill. S. Ct. R. 793 (newly admitted), 794 (two-year periods
# July 1 - June 30, A-M ending in even years, N-Z in odd), 796 (reporting by
# July 31); MCLE Board FAQ A405 (the name at admission).


def test_illinois_a_to_m_periods_end_in_even_years(reference):
    admission, profile = lawyer("2010-11-08", "Lopez")

    found = period_on(reference["US-IL"], admission, profile, D("2025-03-01"))

    assert found == period("2024-07-01", "2026-06-30", "2026-07-31", EXPERIENCED, 24)


def test_illinois_n_to_z_periods_end_in_odd_years(reference):
    admission, profile = lawyer("2010-11-08", "Nowak")

    found = period_on(reference["US-IL"], admission, profile, D("2025-03-01"))

    assert found == period("2023-07-01", "2025-06-30", "2025-07-31", EXPERIENCED, 24)


def with_board_deadline(il: Jurisdiction) -> Jurisdiction:
    # The MCLE Board: the newly-admitted period "ends on the last day of the
    # month they were admitted - one year later" (mcleboard.org).
    ends = {"newly_admitted_period_ends": "last_day_of_anniversary_month"}
    rule = {**il.period_rule, **ends}
    return Jurisdiction(
        code=il.code,
        period_months=il.period_months,
        period_assignment=il.period_assignment,
        period_rule=rule,
    )


def test_illinois_newly_admitted_have_until_the_anniversary_month_ends(reference):
    il = with_board_deadline(reference["US-IL"])
    admission, profile = lawyer("2024-11-06", "Lopez")

    found = period_on(il, admission, profile, D("2025-02-01"))

    # Rule 793(f)(2): the transcript must show compliance 31 days later.
    assert found == period("2024-11-06", "2025-11-30", "2025-12-31", NEW, 12)


def test_illinois_first_two_year_period_ends_two_years_after_next_july(reference):
    il = with_board_deadline(reference["US-IL"])
    admission, profile = lawyer("2024-11-06", "Lopez")

    found = period_on(il, admission, profile, D("2026-01-15"))

    # The first A-M period begins July 1, 2026; the months between the
    # newly-admitted deadline and then join it.
    assert found == period("2025-12-01", "2028-06-30", "2028-07-31", EXPERIENCED, 24)
    assert previous(il, admission, profile, found) == period(
        "2024-11-06", "2025-11-30", "2025-12-31", NEW, 12
    )


def test_seeded_illinois_rule_gives_the_boards_newly_admitted_deadline(reference):
    admission, profile = lawyer("2024-11-06", "Lopez")

    found = period_on(reference["US-IL"], admission, profile, D("2025-02-01"))

    assert found.end == D("2025-11-30")


# Every kind of assignment.


def test_no_period_before_admission(reference):
    admission, profile = lawyer("2010-06-01", "Garcia")

    with pytest.raises(InvalidInput, match="admitted to US-CA on 2010-06-01"):
        period_on(reference["US-CA"], admission, profile, D("2010-05-31"))


def test_fixed_periods_without_parameters_are_calendar_cycles():
    annual = Jurisdiction(
        code="XX-Y",
        period_months=12,
        period_assignment=PeriodAssignment.FIXED,
        period_rule={},
    )
    admission, profile = lawyer("2019-04-10")

    assert period_on(annual, admission, profile, D("2019-05-01")) == period(
        "2019-04-10", "2019-12-31", "2019-12-31", NEW, 12
    )
    assert period_on(annual, admission, profile, D("2024-02-29")) == period(
        "2024-01-01", "2024-12-31", "2024-12-31", EXPERIENCED, 12
    )


LAWYERS = {
    "US-CA": lawyer("2023-06-15", "Baker"),
    "US-NY": lawyer("2016-02-10", birth="1990-01-20"),
    "US-TX": lawyer("2024-11-08", birth="1998-03-15"),
    "US-FL": lawyer("2012-09-20", cycle_ends="2027-05-31"),
    "US-IL": lawyer("2010-11-08", "Nowak"),
}


@settings(max_examples=300)
@given(
    code=st.sampled_from(sorted(LAWYERS)),
    offset=st.integers(min_value=0, max_value=365 * 30),
)
def test_periods_tile_the_calendar_from_admission(reference, code, offset):
    admission, profile = LAWYERS[code]
    jurisdiction = reference[code]
    day = admission.admitted_on + dt.timedelta(days=offset)

    found = period_on(jurisdiction, admission, profile, day)
    before = previous(jurisdiction, admission, profile, found)

    assert found.start <= day <= found.end <= found.deadline
    assert found.audience in (NEW, EXPERIENCED)
    assert period_on(jurisdiction, admission, profile, found.end) == found
    if before is None:
        assert found.start <= admission.admitted_on
        assert found.audience is NEW
    else:
        assert before.end + dt.timedelta(days=1) == found.start
        assert found.audience is EXPERIENCED
