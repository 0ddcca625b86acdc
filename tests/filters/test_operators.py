"""Every filter operator on every field kind, against the real database."""

import pytest

from tests import factories

COURSES = {
    "Alpha GDPR": dict(
        summary="EU privacy",
        description="Data protection",
        level="foundational",
        duration_minutes=30,
        credit_hours="1.00",
        featured=True,
        available_from="2026-01-10",
    ),
    "beta CCPA": dict(
        summary=None,
        description="",
        level="intermediate",
        duration_minutes=60,
        credit_hours="1.50",
        featured=False,
        available_from="2026-03-01",
    ),
    "Gamma Breach": dict(
        summary="",
        description="Incident response",
        level="advanced",
        duration_minutes=90,
        credit_hours="10.00",
        featured=False,
        available_from=None,
    ),
    "delta Ethics": dict(
        summary="Ethics for all",
        description=None,
        level="advanced",
        duration_minutes=120,
        credit_hours="2.25",
        featured=True,
        available_from="2025-12-31",
    ),
}
A, B, C, D = COURSES

CASES = [
    # Strings
    ({"title": {"_eq": "Alpha GDPR"}}, {A}),
    ({"title": {"_neq": "Alpha GDPR"}}, {B, C, D}),
    ({"title": {"_in": ["Alpha GDPR", "beta CCPA"]}}, {A, B}),
    ({"title": {"_nin": ["Alpha GDPR", "beta CCPA"]}}, {C, D}),
    ({"title": {"_in": []}}, set()),
    ({"summary": {"_null": True}}, {B}),
    ({"summary": {"_nnull": True}}, {A, C, D}),
    ({"summary": {"_null": False}}, {A, C, D}),
    ({"title": {"_contains": "GDPR"}}, {A}),
    ({"title": {"_contains": "gdpr"}}, set()),
    ({"title": {"_contains": "%"}}, set()),
    ({"title": {"_ncontains": "a"}}, set()),
    ({"title": {"_ncontains": "GDPR"}}, {B, C, D}),
    ({"title": {"_icontains": "gdpr"}}, {A}),
    ({"title": {"_starts_with": "beta"}}, {B}),
    ({"title": {"_starts_with": "Beta"}}, set()),
    ({"title": {"_istarts_with": "BETA"}}, {B}),
    ({"title": {"_ends_with": "Ethics"}}, {D}),
    ({"title": {"_ends_with": "ethics"}}, set()),
    ({"title": {"_iends_with": "ETHICS"}}, {D}),
    ({"summary": {"_empty": True}}, {B, C}),
    ({"summary": {"_nempty": True}}, {A, D}),
    ({"description": {"_empty": True}}, {B, D}),
    ({"description": {"_icontains": "RESPONSE"}}, {C}),
    ({"level": {"_eq": "advanced"}}, {C, D}),
    # Integers
    ({"duration_minutes": {"_eq": 60}}, {B}),
    ({"duration_minutes": {"_neq": 60}}, {A, C, D}),
    ({"duration_minutes": {"_lt": 60}}, {A}),
    ({"duration_minutes": {"_lte": 60}}, {A, B}),
    ({"duration_minutes": {"_gt": 90}}, {D}),
    ({"duration_minutes": {"_gte": 90}}, {C, D}),
    ({"duration_minutes": {"_in": [30, 120]}}, {A, D}),
    ({"duration_minutes": {"_nin": [30, 120]}}, {B, C}),
    ({"duration_minutes": {"_between": [60, 90]}}, {B, C}),
    ({"duration_minutes": {"_nbetween": [60, 90]}}, {A, D}),
    ({"duration_minutes": {"_null": True}}, set()),
    # Decimals: numeric, not textual, order ("10.00" > "2.25")
    ({"credit_hours": {"_eq": "1.5"}}, {B}),
    ({"credit_hours": {"_neq": "1.5"}}, {A, C, D}),
    ({"credit_hours": {"_gt": "2"}}, {C, D}),
    ({"credit_hours": {"_gte": "2.25"}}, {C, D}),
    ({"credit_hours": {"_lt": "2"}}, {A, B}),
    ({"credit_hours": {"_lte": "1.5"}}, {A, B}),
    ({"credit_hours": {"_in": ["1", "10"]}}, {A, C}),
    ({"credit_hours": {"_nin": ["1", "10"]}}, {B, D}),
    ({"credit_hours": {"_between": ["1.5", "2.25"]}}, {B, D}),
    ({"credit_hours": {"_nbetween": ["1.5", "2.25"]}}, {A, C}),
    ({"credit_hours": {"_nnull": True}}, {A, B, C, D}),
    # Booleans
    ({"featured": {"_eq": True}}, {A, D}),
    ({"featured": {"_neq": True}}, {B, C}),
    ({"featured": {"_null": True}}, set()),
    ({"featured": {"_nnull": True}}, {A, B, C, D}),
    # Dates
    ({"available_from": {"_eq": "2026-03-01"}}, {B}),
    ({"available_from": {"_neq": "2026-03-01"}}, {A, D}),
    ({"available_from": {"_lt": "2026-01-01"}}, {D}),
    ({"available_from": {"_lte": "2026-01-10"}}, {A, D}),
    ({"available_from": {"_gt": "2026-01-10"}}, {B}),
    ({"available_from": {"_gte": "2026-01-10"}}, {A, B}),
    ({"available_from": {"_in": ["2026-01-10", "2025-12-31"]}}, {A, D}),
    ({"available_from": {"_nin": ["2026-01-10", "2025-12-31"]}}, {B}),
    ({"available_from": {"_between": ["2026-01-01", "2026-02-01"]}}, {A}),
    ({"available_from": {"_nbetween": ["2026-01-01", "2026-02-01"]}}, {B, D}),
    ({"available_from": {"_null": True}}, {C}),
    ({"available_from": {"_nnull": True}}, {A, B, D}),
    ({"available_from": {"_lte": "$NOW(+100 years)"}}, {A, B, D}),
    ({"available_from": {"_lt": "$NOW(-100 years)"}}, set()),
    # Date-times, with $NOW
    ({"date_created": {"_lte": "$NOW"}}, {A, B, C, D}),
    ({"date_created": {"_gt": "$NOW(-1 hour)"}}, {A, B, C, D}),
    ({"date_created": {"_lt": "$NOW(-1 day)"}}, set()),
    ({"date_created": {"_gt": "2000-01-01T00:00:00Z"}}, {A, B, C, D}),
    (
        {"date_created": {"_between": ["2000-01-01T00:00:00Z", "$NOW(+1 day)"]}},
        {A, B, C, D},
    ),
    ({"date_created": {"_nbetween": ["2000-01-01T00:00:00Z", "$NOW(+1 day)"]}}, set()),
    ({"date_updated": {"_null": True}}, set()),
    # Ids
    ({"user_created": {"_null": True}}, {A, B, C, D}),
    ({"user_created": {"_nnull": True}}, set()),
    # Combinations
    (
        {"_or": [{"level": {"_eq": "foundational"}}, {"featured": {"_eq": False}}]},
        {A, B, C},
    ),
    ({"_and": [{"level": {"_eq": "advanced"}}, {"featured": {"_eq": True}}]}, {D}),
    ({"level": {"_eq": "advanced"}, "duration_minutes": {"_gt": 100}}, {D}),
    (
        {
            "_or": [
                {"_and": [{"featured": {"_eq": True}}, {"credit_hours": {"_gt": "2"}}]},
                {"title": {"_eq": "beta CCPA"}},
            ]
        },
        {B, D},
    ),
]


@pytest.fixture
async def catalogue(clean):
    org = await factories.organization(slug="acme")
    courses = {}
    for title, values in COURSES.items():
        courses[title] = await factories.course(org, title=title, **values)
    return courses


@pytest.mark.parametrize(("where", "expected"), CASES, ids=[str(c[0]) for c in CASES])
async def test_filter_selects_exactly_the_matching_courses(
    gql, catalogue, where, expected
):
    data = await gql.data(
        "query($f: courses_filter) { courses(filter: $f) { title } }", {"f": where}
    )

    assert {c["title"] for c in data["courses"]} == expected


async def test_id_operators_select_by_primary_key(gql, catalogue):
    a, b = catalogue[A].pk, catalogue[B].pk
    query = "query($f: courses_filter) { courses(filter: $f) { title } }"

    async def titles(where):
        return {c["title"] for c in (await gql.data(query, {"f": where}))["courses"]}

    assert await titles({"id": {"_eq": str(a)}}) == {A}
    assert await titles({"id": {"_neq": str(a)}}) == {B, C, D}
    assert await titles({"id": {"_in": [str(a), str(b)]}}) == {A, B}
    assert await titles({"id": {"_nin": [str(a), str(b)]}}) == {C, D}
    assert await titles({"id": {"_nnull": True}}) == {A, B, C, D}


async def test_json_fields_take_null_operators(gql, clean, system):
    org = await factories.organization()
    course = await factories.course(org)
    quiz = await factories.make("assessments", course=course, title="Q", kind="quiz")
    await factories.make(
        "questions",
        assessment=quiz,
        kind="short_answer",
        prompt="Deadline?",
        answer_key={"accepted": ["72 hours"]},
    )
    await factories.make("questions", assessment=quiz, kind="essay", prompt="Why?")
    query = (
        "query($f: questions_filter) "
        '{ questions(version: "draft", filter: $f) { prompt } }'
    )

    with_key = await gql.data(query, {"f": {"answer_key": {"_nnull": True}}}, system)
    without = await gql.data(query, {"f": {"answer_key": {"_null": True}}}, system)

    assert with_key == {"questions": [{"prompt": "Deadline?"}]}
    assert without == {"questions": [{"prompt": "Why?"}]}
