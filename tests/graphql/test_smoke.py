from tests import factories


async def test_anonymous_lists_courses_with_modules_and_lessons(gql):
    org = await factories.organization()
    await factories.course_tree(org, title="GDPR essentials")

    data = await gql.data(
        '{ courses { title organization { slug } modules(sort: ["-sort"]) '
        "{ title lessons(limit: 1) { title } } } }"
    )

    assert data == {
        "courses": [
            {
                "title": "GDPR essentials",
                "organization": {"slug": org.slug},
                "modules": [
                    {"title": "Module 2", "lessons": [{"title": "Lesson 2.1"}]},
                    {"title": "Module 1", "lessons": [{"title": "Lesson 1.1"}]},
                ],
            }
        ]
    }
