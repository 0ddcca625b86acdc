"""_aggregated: count, countDistinct, sum, avg, min, max, with and without groupBy."""

from decimal import Decimal

import pytest

from tests import factories


@pytest.fixture
async def catalogue(clean):
    org = await factories.organization()
    rows = [
        ("A", "advanced", 30, "1.25"),
        ("B", "advanced", 60, "2.50"),
        ("C", "foundational", 90, "10.00"),
        ("D", "foundational", 90, "0.75"),
        ("E", "intermediate", 120, "1.00"),
    ]
    for title, level, minutes, hours in rows:
        await factories.course(
            org, title=title, level=level, duration_minutes=minutes, credit_hours=hours
        )


async def test_aggregates_over_the_whole_collection(gql, catalogue):
    data = await gql.data(
        "{ courses_aggregated { countAll count { id summary } "
        "countDistinct { duration_minutes level } "
        "sum { credit_hours duration_minutes } "
        "avg { duration_minutes } min { credit_hours } max { credit_hours } } }"
    )

    (row,) = data["courses_aggregated"]
    assert row["countAll"] == 5
    assert row["count"] == {"id": 5, "summary": 0}
    assert row["countDistinct"] == {"duration_minutes": 4, "level": 3}
    assert Decimal(row["sum"]["credit_hours"]) == Decimal("15.50")
    assert row["sum"]["duration_minutes"] == 390
    assert row["avg"] == {"duration_minutes": 78.0}
    assert Decimal(row["min"]["credit_hours"]) == Decimal("0.75")
    assert Decimal(row["max"]["credit_hours"]) == Decimal("10.00")


async def test_aggregates_per_group_respect_the_filter(gql, catalogue):
    data = await gql.data(
        '{ courses_aggregated(groupBy: ["level"], sort: ["level"], '
        "filter: {duration_minutes: {_gte: 60}}) "
        "{ group countAll sum { credit_hours } } }"
    )

    rows = [
        (r["group"], r["countAll"], Decimal(r["sum"]["credit_hours"]))
        for r in data["courses_aggregated"]
    ]
    assert rows == [
        ({"level": "advanced"}, 1, Decimal("2.50")),
        ({"level": "foundational"}, 2, Decimal("10.75")),
        ({"level": "intermediate"}, 1, Decimal("1.00")),
    ]


async def test_group_by_unknown_field_is_invalid_input(gql, catalogue):
    error = await gql.error('{ courses_aggregated(groupBy: ["colour"]) { countAll } }')

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert '"colour"' in error["message"]


async def test_aggregate_over_a_filtered_relation(gql, catalogue):
    data = await gql.data(
        '{ courses_aggregated(filter: {organization: {kind: {_eq: "firm"}}}) '
        "{ countAll } }"
    )

    assert data == {"courses_aggregated": [{"countAll": 0}]}
