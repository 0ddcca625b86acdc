"""Statements per page: published pages are one statement over the catalog;
working-copy relations load through DataLoaders, growing with depth, not rows."""

from typing import Any

from app.services import documents
from permissions import SYSTEM
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
        course = await factories.course_tree(org, modules=2, lessons=2, status="draft")
        await factories.make(
            "courses_practice_areas", course=course, practice_area=area
        )
        quiz = await factories.make(
            "assessments", course=course, title="Quiz", kind="quiz"
        )
        await factories.make("questions", assessment=quiz, kind="essay", prompt="Why?")
        await factories.published(course)


async def statements_for(gql, query: str = QUERY, *who: Any) -> tuple[int, Any]:
    with count_statements() as counter:
        data = await gql.data(query, None, *who)
    return len(counter.statements), data["courses"]


async def test_a_published_page_is_one_statement_whatever_the_nesting(gql, clean):
    await catalogue(1)
    documents.trees.clear()
    cold_one, one = await statements_for(gql)
    warm_one, _ = await statements_for(gql)

    await catalogue(49)
    documents.trees.clear()
    cold_fifty, fifty = await statements_for(gql)
    warm_fifty, again = await statements_for(gql)

    assert (len(one), len(fifty)) == (1, 50)
    assert again == fifty
    # The nested data is complete: every level came from the documents.
    assert {len(c["modules"]) for c in fifty} == {2}
    assert {len(m["lessons"]) for c in fifty for m in c["modules"]} == {2}
    assert {c["practice_areas"][0]["practice_area"]["name"] for c in fifty} == {
        "Privacy"
    }
    assert {c["assessments"][0]["questions"][0]["prompt"] for c in fifty} == {"Why?"}
    # The catalog page; on a cold cache, the release documents with it.
    assert warm_one == warm_fifty == 1
    assert cold_one == cold_fifty == 2


async def test_working_copy_statements_grow_with_depth_not_rows(gql, clean):
    draft = QUERY.replace("(limit: 100)", '(version: "draft", limit: 100)')
    await catalogue(1)
    one, rows_one = await statements_for(gql, draft, SYSTEM)

    await catalogue(49)
    fifty, rows_fifty = await statements_for(gql, draft, SYSTEM)

    assert (len(rows_one), len(rows_fifty)) == (1, 50)
    # courses, organizations, junction rows, practice areas, modules, lessons,
    # the lessons' modules, assessments, questions: one statement each.
    assert one == fifty == 9
