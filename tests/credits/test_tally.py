"""The tally against the seeded rules, in cases worked out by hand."""

import datetime as dt
from decimal import Decimal

from app.models import Jurisdiction
from app.models.enums import Audience, CreditCategory, Delivery
from app.services.compliance import Rule, carry_over, tally
from app.services.periods import Period

NEW, EXPERIENCED = Audience.NEWLY_ADMITTED, Audience.EXPERIENCED
LIVE, SELF = Delivery.LIVE, Delivery.SELF_STUDY
C = CreditCategory
D = dt.date.fromisoformat


def h(value: str) -> Decimal:
    return Decimal(value)


def rules_of(jurisdiction: Jurisdiction) -> list[Rule]:
    rows = sorted(jurisdiction.requirements, key=lambda r: (r.date_created, r.id))
    return [Rule.of(row) for row in rows]


def lines(found) -> dict[tuple[str, ...], tuple[Decimal, Decimal, Decimal]]:
    """Lines by kind, category, delivery, audience: (required, earned, missing)."""
    return {
        (
            line.rule.kind.value,
            line.rule.category.value,
            line.rule.delivery.value,
            line.rule.audience.value,
        ): (line.required, line.earned, line.missing)
        for line in found.lines
    }


CA_CYCLE = Period(D("2025-03-30"), D("2028-03-29"), D("2028-03-30"), EXPERIENCED, 36)
TX_YEAR = Period(D("2024-07-01"), D("2025-06-30"), D("2025-07-31"), EXPERIENCED, 12)
NY_CYCLE = Period(D("2023-09-15"), D("2025-09-14"), D("2025-10-14"), EXPERIENCED, 24)
NY_BEFORE = Period(D("2021-09-15"), D("2023-09-14"), D("2023-10-14"), EXPERIENCED, 24)
NY_NEW = Period(D("2023-05-18"), D("2025-05-17"), D("2025-05-17"), NEW, 24)


def test_california_self_study_cap_of_12_5_leaves_a_learner_short(reference):
    # State Bar Rules 2.51, 2.72: at most 12.5 of the 25 hours self-study.
    earned = {
        (C.ETHICS, LIVE): h("4.00"),
        (C.BIAS, LIVE): h("2.00"),
        (C.COMPETENCE, LIVE): h("2.00"),
        (C.TECHNOLOGY, LIVE): h("1.00"),
        (C.CIVILITY, LIVE): h("1.00"),
        (C.GENERAL, SELF): h("15.00"),
    }

    found = tally(rules_of(reference["US-CA"]), earned, {}, EXPERIENCED, CA_CYCLE)

    assert lines(found) == {
        ("minimum", "total", "any", "all"): (h("25.00"), h("22.50"), h("2.50")),
        ("minimum", "ethics", "any", "all"): (h("4.00"), h("4.00"), h("0.00")),
        ("minimum", "bias", "any", "all"): (h("2.00"), h("2.00"), h("0.00")),
        ("minimum", "competence", "any", "all"): (h("2.00"), h("2.00"), h("0.00")),
        ("minimum", "technology", "any", "all"): (h("1.00"), h("1.00"), h("0.00")),
        ("minimum", "civility", "any", "all"): (h("1.00"), h("1.00"), h("0.00")),
        ("maximum", "total", "self_study", "all"): (
            h("12.50"),
            h("12.50"),
            h("0.00"),
        ),
        ("carry_over", "total", "any", "all"): (h("0.00"), h("0.00"), h("0.00")),
    }
    assert (found.required, found.earned, found.missing) == (
        h("25.00"),
        h("22.50"),
        h("2.50"),
    )
    assert (found.capped_out, found.carried_in, found.compliant) == (
        h("2.50"),
        h("0.00"),
        False,
    )


def test_california_new_admittee_owes_a_prorated_requirement(reference):
    # Rule 2.72 and the State Bar's proportional table: 22 of 38 months owed;
    # hours round up to whole hours, the self-study cap (half of the total)
    # to the half hour. New Attorney Training (CRC 9.32) is owed in full.
    first = Period(
        D("2023-06-01"),
        D("2025-03-29"),
        D("2025-04-01"),
        NEW,
        22,
        Decimal(22) / Decimal(38),
    )
    earned = {(C.GENERAL, SELF): h("10.00"), (C.ETHICS, LIVE): h("4.00")}

    found = tally(rules_of(reference["US-CA"]), earned, {}, NEW, first)

    assert lines(found) == {
        # 25 x 22/38 = 14.47 -> 15; 4 x 22/38 = 2.32 -> 3; 12.5 x 22/38 -> 7.5.
        ("minimum", "total", "any", "all"): (h("15.00"), h("11.50"), h("3.50")),
        ("minimum", "ethics", "any", "all"): (h("3.00"), h("4.00"), h("0.00")),
        ("minimum", "bias", "any", "all"): (h("2.00"), h("0.00"), h("2.00")),
        ("minimum", "competence", "any", "all"): (h("2.00"), h("0.00"), h("2.00")),
        ("minimum", "technology", "any", "all"): (h("1.00"), h("0.00"), h("1.00")),
        ("minimum", "civility", "any", "all"): (h("1.00"), h("0.00"), h("1.00")),
        ("maximum", "total", "self_study", "all"): (
            h("7.50"),
            h("7.50"),
            h("0.00"),
        ),
        ("carry_over", "total", "any", "all"): (h("0.00"), h("0.00"), h("0.00")),
        ("minimum", "total", "any", "newly_admitted"): (
            h("10.00"),
            h("11.50"),
            h("0.00"),
        ),
        ("minimum", "ethics", "any", "newly_admitted"): (
            h("4.00"),
            h("4.00"),
            h("0.00"),
        ),
        ("minimum", "skills", "any", "newly_admitted"): (
            h("3.00"),
            h("0.00"),
            h("3.00"),
        ),
        ("minimum", "competence", "any", "newly_admitted"): (
            h("1.50"),
            h("0.00"),
            h("1.50"),
        ),
        ("minimum", "bias", "any", "newly_admitted"): (
            h("1.50"),
            h("0.00"),
            h("1.50"),
        ),
    }
    # The larger of the two totals is the one to meet.
    assert (found.required, found.earned, found.missing, found.capped_out) == (
        h("15.00"),
        h("11.50"),
        h("3.50"),
        h("2.50"),
    )


def test_texas_only_one_ethics_hour_may_be_self_study(reference):
    # Art. XII sec. 6(A)-(B): 3 self-study hours count, at most 1 of them ethics.
    earned = {
        (C.ETHICS, SELF): h("3.00"),
        (C.ETHICS, LIVE): h("1.00"),
        (C.GENERAL, LIVE): h("11.00"),
        (C.GENERAL, SELF): h("2.00"),
    }

    found = tally(rules_of(reference["US-TX"]), earned, {}, EXPERIENCED, TX_YEAR)

    assert lines(found) == {
        ("minimum", "total", "any", "all"): (h("15.00"), h("15.00"), h("0.00")),
        ("minimum", "ethics", "any", "all"): (h("3.00"), h("2.00"), h("1.00")),
        ("maximum", "total", "self_study", "all"): (h("3.00"), h("3.00"), h("0.00")),
        ("maximum", "ethics", "self_study", "all"): (
            h("1.00"),
            h("1.00"),
            h("0.00"),
        ),
        ("carry_over", "total", "any", "all"): (h("15.00"), h("0.00"), h("0.00")),
        ("carry_over", "ethics", "any", "all"): (h("3.00"), h("0.00"), h("0.00")),
    }
    assert (found.missing, found.capped_out, found.compliant) == (
        h("0.00"),
        h("2.00"),
        False,
    )


def test_texas_self_study_cap_keeps_the_hours_a_minimum_needs(reference):
    # 4 self-study hours against a cap of 3: the ethics hour counts before
    # bias hours, which only add to the total.
    earned = {
        (C.ETHICS, SELF): h("1.00"),
        (C.ETHICS, LIVE): h("2.00"),
        (C.BIAS, SELF): h("3.00"),
        (C.GENERAL, LIVE): h("10.00"),
    }

    found = tally(rules_of(reference["US-TX"]), earned, {}, EXPERIENCED, TX_YEAR)

    assert dict(found.counted) == {
        (C.ETHICS, SELF): h("1.00"),
        (C.ETHICS, LIVE): h("2.00"),
        (C.BIAS, SELF): h("2.00"),
        (C.GENERAL, LIVE): h("10.00"),
    }
    assert (found.earned, found.capped_out, found.compliant) == (
        h("15.00"),
        h("1.00"),
        True,
    )


def test_texas_carries_15_hours_at_most_3_of_them_ethics(reference):
    rules = rules_of(reference["US-TX"])
    # Art. XII sec. 6: what is above the 15 moves on, up to 15, and up to 3
    # of it as ethics. Hours the year's own minimums used stay behind.
    some = {(C.ETHICS, LIVE): h("5.00"), (C.GENERAL, LIVE): h("15.00")}
    plenty = {(C.ETHICS, LIVE): h("10.00"), (C.GENERAL, LIVE): h("30.00")}

    assert carry_over(rules, some, TX_YEAR) == {
        C.ETHICS: h("2.00"),
        C.GENERAL: h("3.00"),
    }
    assert carry_over(rules, plenty, TX_YEAR) == {
        C.ETHICS: h("3.00"),
        C.GENERAL: h("12.00"),
    }


def test_texas_carried_hours_count_toward_the_next_year(reference):
    next_year = Period(
        D("2025-07-01"), D("2026-06-30"), D("2026-07-31"), EXPERIENCED, 12
    )
    earned = {(C.ETHICS, LIVE): h("1.00"), (C.GENERAL, LIVE): h("9.00")}
    carried = {C.ETHICS: h("2.00"), C.GENERAL: h("3.00")}

    found = tally(rules_of(reference["US-TX"]), earned, carried, EXPERIENCED, next_year)

    assert (found.earned, found.carried_in, found.missing, found.compliant) == (
        h("15.00"),
        h("5.00"),
        h("0.00"),
        True,
    )


def test_new_york_carries_6_hours_into_the_next_cycle(reference):
    rules = rules_of(reference["US-NY"])
    # 22 NYCRR 1500.22(c): up to 6 hours above the 24 carry over.
    before = {
        (C.ETHICS, LIVE): h("6.00"),
        (C.DIVERSITY, LIVE): h("1.00"),
        (C.CYBERSECURITY, LIVE): h("1.00"),
        (C.GENERAL, SELF): h("24.00"),
    }
    now = {
        (C.ETHICS, LIVE): h("2.00"),
        (C.DIVERSITY, SELF): h("1.00"),
        (C.CYBERSECURITY, SELF): h("1.00"),
        (C.GENERAL, SELF): h("18.00"),
    }

    carried = carry_over(rules, before, NY_BEFORE)
    found = tally(rules, now, carried, EXPERIENCED, NY_CYCLE)

    # 8 hours above 24; the 2 ethics hours beyond the 4 move first.
    assert carried == {C.ETHICS: h("2.00"), C.GENERAL: h("4.00")}
    assert lines(found)[("minimum", "ethics", "any", "experienced")] == (
        h("4.00"),
        h("4.00"),
        h("0.00"),
    )
    assert (found.earned, found.carried_in, found.missing, found.compliant) == (
        h("28.00"),
        h("6.00"),
        h("0.00"),
        True,
    )


def test_new_york_newly_admitted_never_carry_ethics(reference):
    # 22 NYCRR 1500.12(b): 6 hours into the first experienced cycle, no ethics.
    earned = {
        (C.ETHICS, LIVE): h("8.00"),
        (C.SKILLS, LIVE): h("12.00"),
        (C.CYBERSECURITY, LIVE): h("1.00"),
        (C.GENERAL, SELF): h("20.00"),
    }

    carried = carry_over(rules_of(reference["US-NY"]), earned, NY_NEW)

    assert carried == {C.GENERAL: h("6.00")}


def test_new_york_live_only_minimum_ignores_self_study_and_carried_hours(reference):
    # CLE Board Regulations sec. 2(C): newly admitted take ethics live.
    earned = {
        (C.ETHICS, SELF): h("6.00"),
        (C.SKILLS, LIVE): h("12.00"),
        (C.CYBERSECURITY, LIVE): h("1.00"),
        (C.GENERAL, SELF): h("13.00"),
    }

    found = tally(
        rules_of(reference["US-NY"]), earned, {C.ETHICS: h("6.00")}, NEW, NY_NEW
    )

    assert lines(found) == {
        ("minimum", "total", "any", "newly_admitted"): (
            h("32.00"),
            h("38.00"),
            h("0.00"),
        ),
        ("minimum", "ethics", "live", "newly_admitted"): (
            h("6.00"),
            h("0.00"),
            h("6.00"),
        ),
        ("minimum", "skills", "live", "newly_admitted"): (
            h("12.00"),
            h("12.00"),
            h("0.00"),
        ),
        ("minimum", "cybersecurity", "any", "newly_admitted"): (
            h("1.00"),
            h("1.00"),
            h("0.00"),
        ),
        ("carry_over", "total", "any", "newly_admitted"): (
            h("6.00"),
            h("0.00"),
            h("0.00"),
        ),
        ("carry_over", "ethics", "any", "newly_admitted"): (
            h("0.00"),
            h("0.00"),
            h("0.00"),
        ),
    }
    assert found.compliant is False


def test_florida_requirement_in_force_at_the_cycle_end_governs(reference):
    rules = rules_of(reference["US-FL"])
    # SC2023-0884: 30 hours for cycles ending after Jan 8, 2024; 33 before.
    after = Period(D("2021-06-01"), D("2024-05-31"), D("2024-05-31"), EXPERIENCED, 36)
    before = Period(D("2020-06-01"), D("2023-05-31"), D("2023-05-31"), EXPERIENCED, 36)

    assert tally(rules, {}, {}, EXPERIENCED, after).required == h("30.00")
    assert tally(rules, {}, {}, EXPERIENCED, before).required == h("33.00")
