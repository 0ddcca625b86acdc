"""Create, update and delete, one and many: validated first, written atomically."""

from app.models import Course, Lesson, Module
from tests import factories

CREATE = """mutation($d: create_courses_input!) {
  create_courses_item(data: $d) { id title credit_hours status organization { slug } }
}"""


def course_input(org, **data):
    return {
        "organization": str(org.pk),
        "title": "GDPR",
        "slug": "gdpr",
        "level": "advanced",
        "format": "on_demand",
        "credit_hours": "1.5",
    } | data


async def test_create_one_returns_the_item_with_defaults(gql, clean, system):
    org = await factories.organization(slug="lexcel")

    data = await gql.data(CREATE, {"d": course_input(org)}, system)

    created = data["create_courses_item"]
    assert created["title"] == "GDPR"
    assert created["credit_hours"] == "1.50"
    assert created["status"] == "draft"
    assert created["organization"] == {"slug": "lexcel"}
    stored = await Course.get(id=created["id"])
    assert stored.organization_id == org.pk and stored.user_created is None


async def test_children_inherit_the_organization_of_their_parent(gql, clean, system):
    org = await factories.organization()
    course = await factories.course(org)

    data = await gql.data(
        "mutation($d: create_modules_input!) { create_modules_item(data: $d) "
        "{ organization { id } } }",
        {"d": {"course": str(course.pk), "title": "Intro"}},
        system,
    )

    assert data["create_modules_item"]["organization"]["id"] == str(org.pk)


async def test_create_many_is_all_or_nothing(gql, clean, system):
    org = await factories.organization()
    rows = [course_input(org, slug="one"), course_input(org, slug="two", level="x")]

    error = await gql.error(
        "mutation($d: [create_courses_input!]!) { create_courses_items(data: $d) "
        "{ id } }",
        {"d": rows},
        system,
    )

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert error["message"] == (
        '"level" of courses must be one of foundational, intermediate, advanced; '
        "got 'x'."
    )
    assert await Course.all().count() == 0


async def test_duplicate_slug_is_invalid_input_and_writes_nothing(gql, clean, system):
    org = await factories.organization()
    await gql.data(CREATE, {"d": course_input(org)}, system)

    error = await gql.error(CREATE, {"d": course_input(org, title="Other")}, system)

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert "slug" in error["message"]
    assert await Course.all().count() == 1


async def test_bad_values_are_refused_with_the_field_named(gql, clean, system):
    org = await factories.organization()
    cases = {
        "credit_hours": ("-1", '"credit_hours" of courses must be a decimal'),
        "title": ("x" * 201, '"title" of courses is longer than 200 characters.'),
        "available_from": (
            "soon",
            "Variable '$d' has invalid value at .available_from",
        ),
    }
    for field, (value, message) in cases.items():
        error = await gql.error(
            CREATE, {"d": course_input(org, **{field: value})}, system
        )
        assert error["extensions"]["code"] == "INVALID_INPUT", field
        assert error["message"].startswith(message), error["message"]
    assert await Course.all().count() == 0


async def test_relation_to_another_organization_is_refused(gql, clean, system):
    mine, theirs = await factories.organization(), await factories.organization()
    their_course = await factories.course(theirs)

    error = await gql.error(
        "mutation($d: create_modules_input!) { create_modules_item(data: $d) { id } }",
        {
            "d": {
                "course": str(their_course.pk),
                "title": "x",
                "organization": str(mine.pk),
            }
        },
        system,
    )

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert "same organization" in error["message"]


async def test_model_rules_are_checked(gql, clean, system):
    org = await factories.organization()
    course = await factories.course(org)

    error = await gql.error(
        "mutation($d: create_assessments_input!) { create_assessments_item(data: $d) "
        "{ id } }",
        {
            "d": {
                "course": str(course.pk),
                "title": "Quiz",
                "kind": "quiz",
                "pass_mark": 140,
            }
        },
        system,
    )

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert "pass_mark" in error["message"]


async def test_update_one_and_many(gql, clean, system):
    org = await factories.organization()
    a, b = (
        await factories.course(org, title="A"),
        await factories.course(org, title="B"),
    )

    one = await gql.data(
        "mutation($id: ID!) { update_courses_item(id: $id, data: {summary: "
        '"New"}) { title summary } }',
        {"id": str(a.pk)},
        system,
    )
    many = await gql.data(
        "mutation($ids: [ID!]!) { update_courses_items(ids: $ids, data: "
        "{featured: true}) { title featured } }",
        {"ids": [str(a.pk), str(b.pk)]},
        system,
    )

    assert one == {"update_courses_item": {"title": "A", "summary": "New"}}
    assert many == {
        "update_courses_items": [
            {"title": "A", "featured": True},
            {"title": "B", "featured": True},
        ]
    }


async def test_update_with_a_missing_id_changes_nothing(gql, clean, system):
    org = await factories.organization()
    a = await factories.course(org, title="A")

    error = await gql.error(
        "mutation($ids: [ID!]!) { update_courses_items(ids: $ids, data: "
        '{title: "Z"}) { id } }',
        {"ids": [str(a.pk), "00000000-0000-4000-8000-000000000000"]},
        system,
    )

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert (await Course.get(id=a.pk)).title == "A"


async def test_setting_a_required_field_to_null_is_refused(gql, clean, system):
    org = await factories.organization()
    a = await factories.course(org)

    error = await gql.error(
        "mutation($id: ID!) { update_courses_item(id: $id, data: {title: null}) "
        "{ id } }",
        {"id": str(a.pk)},
        system,
    )

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert error["message"] == '"title" of courses cannot be empty.'


async def test_delete_one_and_many_cascade_to_children(gql, clean, system):
    org = await factories.organization()
    a = await factories.course_tree(org, modules=2, lessons=2, status="draft")
    b = await factories.course(org, status="draft")
    c = await factories.course(org, status="draft")

    one = await gql.data(
        "mutation($id: ID!) { delete_courses_item(id: $id) { id } }",
        {"id": str(a.pk)},
        system,
    )
    many = await gql.data(
        "mutation($ids: [ID!]!) { delete_courses_items(ids: $ids) { ids } }",
        {"ids": [str(b.pk), str(c.pk)]},
        system,
    )

    assert one == {"delete_courses_item": {"id": str(a.pk)}}
    assert many == {"delete_courses_items": {"ids": [str(b.pk), str(c.pk)]}}
    assert await Course.all().count() == 0
    assert await Module.all().count() == 0 and await Lesson.all().count() == 0


async def test_a_course_with_releases_cannot_be_deleted(gql, clean, system):
    org = await factories.organization()
    course = await factories.course_tree(org, modules=1, lessons=1)

    error = await gql.error(
        "mutation($id: ID!) { delete_courses_item(id: $id) { id } }",
        {"id": str(course.pk)},
        system,
    )

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert await Course.filter(id=course.pk).exists()
    assert await Lesson.all().count() == 1


async def test_deleting_a_referenced_organization_is_refused(gql, clean, system):
    org = await factories.organization()
    await factories.course(org)

    error = await gql.error(
        "mutation($id: ID!) { delete_organizations_item(id: $id) { id } }",
        {"id": str(org.pk)},
        system,
    )

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert "still referenced" in error["message"]


async def test_anonymous_may_not_write(gql, clean):
    org = await factories.organization()

    error = await gql.error(CREATE, {"d": course_input(org)})

    assert error["extensions"]["code"] == "FORBIDDEN"
    assert await Course.all().count() == 0


async def test_answer_keys_are_hidden_from_anonymous_readers(gql, clean, system):
    org = await factories.organization()
    course = await factories.course(org, release=False)
    quiz = await factories.make("assessments", course=course, title="Q", kind="quiz")
    question = await factories.make(
        "questions", assessment=quiz, kind="single_choice", prompt="Deadline?"
    )
    for sort, (label, correct) in enumerate((("72 hours", True), ("30 days", False))):
        await factories.make(
            "choices", question=question, label=label, is_correct=correct, sort=sort
        )
    await factories.published(course)
    query = "{ questions { prompt choices { label is_correct } } }"

    editor = await gql.data(
        query.replace("questions", 'questions(version: "draft")', 1), principal=system
    )
    result = await gql(query)
    filtered = await gql.error(
        "{ choices(filter: {is_correct: {_eq: true}}) { label } }"
    )
    sorted_ = await gql.error('{ choices(sort: ["is_correct"]) { label } }')
    grouped = await gql.error(
        '{ choices_aggregated(groupBy: ["is_correct"]) { countAll } }'
    )

    assert {c["is_correct"] for c in editor["questions"][0]["choices"]} == {True, False}
    assert [e.formatted["extensions"]["code"] for e in result.errors] == ["FORBIDDEN"]
    assert result.data["questions"][0]["choices"] == [
        {"label": "72 hours", "is_correct": None},
        {"label": "30 days", "is_correct": None},
    ]
    for error in (filtered, sorted_, grouped):
        assert error["extensions"]["code"] == "INVALID_INPUT"
        assert "is_correct" in error["message"]
