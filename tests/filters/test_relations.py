"""Filters and sorting through relations, search and pagination."""

import pytest

from tests import factories


@pytest.fixture
async def two_publishers(clean):
    lexcel = await factories.organization(name="Lexcel", slug="lexcel")
    barco = await factories.organization(name="Bar Co", slug="barco")
    privacy = await factories.course_tree(
        lexcel, modules=2, lessons=2, title="Privacy", level="advanced"
    )
    ethics = await factories.course_tree(
        barco, modules=1, lessons=1, title="Ethics", summary="Rule 1.7 conflicts"
    )
    empty = await factories.course(barco, title="Empty")
    return {
        "lexcel": lexcel,
        "barco": barco,
        "Privacy": privacy,
        "Ethics": ethics,
        "Empty": empty,
    }


async def titles(gql, collection, where=None, **args):
    query = (
        f"query($f: {collection}_filter, $sort: [String!], $limit: Int, "
        f"$offset: Int, $page: Int, $search: String) {{ {collection}(filter: $f, "
        "sort: $sort, limit: $limit, offset: $offset, page: $page, search: $search)"
        " { title } }"
    )
    data = await gql.data(query, {"f": where, **args})
    return [row["title"] for row in data[collection]]


async def test_many_to_one_filter_reaches_the_parent(gql, two_publishers):
    where = {"course": {"level": {"_eq": "advanced"}}}

    assert sorted(await titles(gql, "modules", where)) == ["Module 1", "Module 2"]


async def test_many_to_one_filter_goes_two_levels_deep(gql, two_publishers):
    where = {"module": {"course": {"organization": {"slug": {"_eq": "barco"}}}}}

    assert await titles(gql, "lessons", where) == ["Lesson 1.1"]


async def test_many_to_one_filter_on_id_alone(gql, two_publishers):
    where = {"course": {"id": {"_eq": str(two_publishers["Ethics"].pk)}}}

    assert await titles(gql, "modules", where) == ["Module 1"]


async def test_to_many_filter_without_quantifier_means_some(gql, two_publishers):
    where = {"modules": {"title": {"_eq": "Module 2"}}}

    assert await titles(gql, "courses", where) == ["Privacy"]


async def test_some_and_none_through_to_many(gql, two_publishers):
    some = {"modules": {"_some": {"lessons": {"title": {"_eq": "Lesson 1.1"}}}}}
    none = {"modules": {"_none": {"title": {"_starts_with": "Module"}}}}

    assert sorted(await titles(gql, "courses", some)) == ["Ethics", "Privacy"]
    assert await titles(gql, "courses", none) == ["Empty"]


async def test_to_many_filter_does_not_repeat_parents(gql, two_publishers):
    where = {"modules": {"title": {"_starts_with": "Module"}}}

    assert sorted(await titles(gql, "courses", where)) == ["Ethics", "Privacy"]


async def test_sort_by_several_fields_and_descending(gql, two_publishers):
    assert await titles(gql, "courses", sort=["-title"]) == [
        "Privacy",
        "Ethics",
        "Empty",
    ]
    assert await titles(gql, "lessons", sort=["-sort", "title"]) == [
        "Lesson 1.2",
        "Lesson 2.2",
        "Lesson 1.1",
        "Lesson 1.1",
        "Lesson 2.1",
    ]


async def test_sort_through_many_to_one_relation(gql, two_publishers):
    # barco (Bar Co) sorts before lexcel by name; within, by course title.
    assert await titles(gql, "courses", sort=["organization.name", "title"]) == [
        "Empty",
        "Ethics",
        "Privacy",
    ]
    assert await titles(gql, "courses", sort=["-organization.name", "title"]) == [
        "Privacy",
        "Empty",
        "Ethics",
    ]


async def test_limit_offset_and_page(gql, two_publishers):
    ordered = ["Empty", "Ethics", "Privacy"]

    assert await titles(gql, "courses", sort=["title"], limit=2) == ordered[:2]
    assert await titles(gql, "courses", sort=["title"], limit=2, offset=2) == [
        "Privacy"
    ]
    assert await titles(gql, "courses", sort=["title"], limit=1, page=2) == ["Ethics"]
    assert await titles(gql, "courses", sort=["title"], limit=0) == []


async def test_search_spans_the_collection_text_fields(gql, two_publishers):
    assert await titles(gql, "courses", search="priv") == ["Privacy"]
    assert await titles(gql, "courses", search="rule 1.7") == ["Ethics"]
    assert await titles(gql, "courses", search="nothing like it") == []


async def test_relational_fields_take_list_arguments(gql, two_publishers):
    data = await gql.data(
        '{ courses(filter: {title: {_eq: "Privacy"}}) { modules(sort: ["-title"], '
        'limit: 1) { title lessons(filter: {title: {_ends_with: ".2"}}) '
        "{ title } } } }"
    )

    assert data == {
        "courses": [
            {"modules": [{"title": "Module 2", "lessons": [{"title": "Lesson 2.2"}]}]}
        ]
    }


async def test_by_id_returns_the_item_or_null(gql, two_publishers):
    course = two_publishers["Ethics"]
    query = "query($id: ID!) { courses_by_id(id: $id) { title } }"

    found = await gql.data(query, {"id": str(course.pk)})
    missing = await gql.data(query, {"id": "00000000-0000-4000-8000-000000000000"})

    assert found == {"courses_by_id": {"title": "Ethics"}}
    assert missing == {"courses_by_id": None}
