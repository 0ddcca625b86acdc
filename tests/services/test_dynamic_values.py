"""$NOW arithmetic follows the calendar, as Directus's does."""

import datetime as dt

import pytest

from app.errors import InvalidInput
from app.services import collections
from app.services.filters import Dynamic, compile_filter

NOW = dt.datetime(2024, 1, 31, 12, 0, tzinfo=dt.UTC)


def leaves(condition):
    if condition.filters:
        return [condition.filters]
    return [leaf for child in condition.children for leaf in leaves(child)]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("$NOW", NOW),
        ("$NOW(+1 month)", dt.datetime(2024, 2, 29, 12, 0, tzinfo=dt.UTC)),
        ("$NOW(-1 year)", dt.datetime(2023, 1, 31, 12, 0, tzinfo=dt.UTC)),
        ("$NOW(-13 months)", dt.datetime(2022, 12, 31, 12, 0, tzinfo=dt.UTC)),
        ("$NOW(+2 weeks)", dt.datetime(2024, 2, 14, 12, 0, tzinfo=dt.UTC)),
        ("$NOW(-90 minutes)", dt.datetime(2024, 1, 31, 10, 30, tzinfo=dt.UTC)),
    ],
)
def test_now_expressions(orm, expression, expected):
    courses = collections.get("courses")

    condition = compile_filter(
        courses, {"date_created": {"_gte": expression}}, Dynamic(now=NOW)
    )

    assert leaves(condition) == [{"date_created__gte": expected}]


def test_current_user_without_a_user_is_invalid_input(orm):
    courses = collections.get("courses")

    with pytest.raises(InvalidInput, match='"user_created"'):
        compile_filter(
            courses, {"user_created": {"_eq": "$CURRENT_USER"}}, Dynamic(now=NOW)
        )
