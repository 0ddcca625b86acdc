"""Bad input gets INVALID_INPUT naming what is wrong; limits get LIMIT_EXCEEDED."""

from tests import factories


async def test_unknown_filter_field_names_field_and_collection(gql):
    error = await gql.error('{ courses(filter: {colour: {_eq: "red"}}) { title } }')

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert error["message"] == 'Unknown field "colour" in filter on courses.'


async def test_operator_that_does_not_fit_names_field_and_operator(gql):
    error = await gql.error(
        "{ courses(filter: {duration_minutes: {_contains: 3}}) { title } }"
    )

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert error["message"] == (
        'Operator "_contains" does not apply to field "duration_minutes" '
        "(a number field)."
    )


async def test_operator_that_does_not_fit_in_variables_names_both(gql):
    error = await gql.error(
        "query($f: courses_filter) { courses(filter: $f) { title } }",
        {"f": {"featured": {"_gt": True}}},
    )

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert '"_gt"' in error["message"] and '"featured"' in error["message"]


async def test_unknown_field_in_variables_names_it(gql):
    error = await gql.error(
        "query($f: courses_filter) { courses(filter: $f) { title } }",
        {"f": {"modules": {"_some": {"colour": {"_eq": 1}}}}},
    )

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert error["message"] == 'Unknown field "colour" in filter on modules.'


async def test_value_that_does_not_fit_the_field_is_invalid_input(gql):
    error = await gql.error(
        '{ courses(filter: {available_from: {_gt: "last tuesday"}}) { title } }'
    )

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert '"available_from"' in error["message"] and "_gt" in error["message"]


async def test_bad_now_expression_is_invalid_input(gql):
    error = await gql.error(
        '{ courses(filter: {date_created: {_gt: "$NOW(-1 fortnight)"}}) { title } }'
    )

    assert error["extensions"]["code"] == "INVALID_INPUT"


async def test_between_needs_two_values(gql):
    error = await gql.error(
        "{ courses(filter: {duration_minutes: {_between: [1]}}) { title } }"
    )

    assert error == {
        "message": '_between on "duration_minutes" takes a list of two values.',
        "locations": [{"line": 1, "column": 3}],
        "path": ["courses"],
        "extensions": {"code": "INVALID_INPUT"},
    }


async def test_sort_on_unknown_field_or_to_many_relation_is_refused(gql):
    unknown = await gql.error('{ courses(sort: ["colour"]) { title } }')
    to_many = await gql.error('{ courses(sort: ["modules.title"]) { title } }')

    assert unknown["extensions"]["code"] == "INVALID_INPUT"
    assert '"colour"' in unknown["message"]
    assert to_many["extensions"]["code"] == "INVALID_INPUT"
    assert '"modules" is not a many-to-one relation' in to_many["message"]


async def test_limit_above_the_cap_is_refused(gql):
    error = await gql.error("{ courses(limit: 100000) { title } }")

    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "1000" in error["message"]


async def test_page_and_offset_together_are_refused(gql):
    error = await gql.error("{ courses(page: 2, offset: 3) { title } }")

    assert error["extensions"]["code"] == "INVALID_INPUT"


async def test_limit_defaults_to_one_hundred(gql, system):
    org = await factories.organization()
    await factories.make("organizations", name="x", slug="x", kind="firm")
    rows = [
        {
            "organization": str(org.pk),
            "title": f"C{i}",
            "slug": f"c{i}",
            "level": "foundational",
            "format": "on_demand",
        }
        for i in range(105)
    ]
    await gql.data(
        "mutation($d: [create_courses_input!]!) { create_courses_items(data: $d) "
        "{ id } }",
        {"d": rows},
        system,
    )

    data = await gql.data('{ courses(version: "draft") { id } }', principal=system)

    assert len(data["courses"]) == 100


async def test_too_deep_query_is_refused(gql):
    nested = "organization { " * 12 + "slug" + " }" * 12
    error = await gql.error(f"{{ courses {{ {nested} }} }}")

    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "depth" in error["message"]


async def test_too_many_aliases_are_refused(gql):
    aliases = " ".join(f"a{i}: courses {{ id }}" for i in range(31))
    error = await gql.error(f"{{ {aliases} }}")

    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_too_many_tokens_are_refused(gql):
    fields = " ".join(["title"] * 6000)
    error = await gql.error(f"{{ courses {{ {fields} }} }}")

    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_syntax_error_is_invalid_input(gql):
    error = await gql.error("{ courses { title ")

    assert error["extensions"]["code"] == "INVALID_INPUT"


async def test_malformed_id_is_invalid_input_not_a_crash(gql):
    error = await gql.error('{ courses_by_id(id: "1 OR 1=1") { title } }')

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert "not a valid id" in error["message"]
