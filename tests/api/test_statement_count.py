"""Relations load through DataLoaders: statements grow with depth, not with rows."""

from tests import factories
from tests.conftest import count_statements

QUERY = """{
  courses(limit: 100) {
    title
    organization { name }
    practice_areas { practice_area { name } }
    modules { title lessons { title module { title } } }
    assessments { title questions { prompt } }
  }
}"""


async def catalogue(courses: int) -> None:
    org = await factories.organization()
    area = await factories.make(
        "practice_areas", organization=org, name="Privacy", slug="privacy"
    )
    for _ in range(courses):
        course = await factories.course_tree(org, modules=2, lessons=2)
        await factories.make(
            "courses_practice_areas", course=course, practice_area=area
        )
        quiz = await factories.make(
            "assessments", course=course, title="Quiz", kind="quiz"
        )
        await factories.make("questions", assessment=quiz, kind="essay", prompt="Why?")


async def statements_for(gql) -> tuple[int, int]:
    with count_statements() as counter:
        data = await gql.data(QUERY)
    return len(counter.statements), len(data["courses"])


async def test_statement_count_does_not_grow_with_rows(gql, clean):
    await catalogue(1)
    one, rows_one = await statements_for(gql)

    await catalogue(49)
    fifty, rows_fifty = await statements_for(gql)

    assert (rows_one, rows_fifty) == (1, 50)
    # courses, organizations, junction rows, practice areas, modules, lessons,
    # the lessons' modules, assessments, questions: one statement each.
    assert one == fifty == 9
