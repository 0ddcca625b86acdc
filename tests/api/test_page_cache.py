"""Published answers are kept until the catalog changes, and only those."""

from app.services import collections, identity, items
from permissions import SYSTEM
from tests import factories
from tests.conftest import count_statements

PAGE = '{ courses(sort: ["title"]) { title version modules { lessons { title } } } }'


async def ask(http, query: str, token: str | None = None) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with count_statements() as counter:
        response = await http.post("/graphql", json={"query": query}, headers=headers)
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return len(counter.statements), body["data"]


async def test_a_published_page_is_kept_until_the_next_release(http):
    org = await factories.organization()
    course = await factories.course_tree(org, modules=1, lessons=2, title="GDPR")

    first_cost, first = await ask(http, PAGE)
    kept_cost, kept = await ask(http, PAGE)
    await items.update_items(
        collections.get("courses"), [course.pk], {"title": "GDPR, 2nd ed."}, SYSTEM
    )
    unreleased_cost, unreleased = await ask(http, PAGE)
    await factories.published(course)
    released_cost, released = await ask(http, PAGE)

    assert first == kept == unreleased
    assert kept["courses"] == [
        {
            "title": "GDPR",
            "version": 1,
            "modules": [
                {"lessons": [{"title": "Lesson 1.1"}, {"title": "Lesson 1.2"}]}
            ],
        }
    ]
    # A kept answer costs only the look at the catalog's state.
    assert (kept_cost, unreleased_cost) == (1, 1)
    assert first_cost > 1 and released_cost > 1
    assert released["courses"][0]["title"] == "GDPR, 2nd ed."
    assert released["courses"][0]["version"] == 2


async def test_answers_that_read_live_rows_are_not_kept(http, auth):
    org = await factories.organization(slug="lexcel")
    await factories.course(org, title="GDPR")
    mixed = "{ courses { title } organizations { slug } }"
    _, token = await identity.create_channel_token(SYSTEM, org.pk, "app")

    _, before = await ask(http, mixed)
    await items.update_items(
        collections.get("organizations"), [org.pk], {"slug": "lexcel-uk"}, SYSTEM
    )
    _, after = await ask(http, mixed)
    channel_costs = [(await ask(http, PAGE, token))[0] for _ in range(2)]

    assert before["organizations"] == [{"slug": "lexcel"}]
    assert after["organizations"] == [{"slug": "lexcel-uk"}]
    # A channel's selection and pins can change without an event.
    assert channel_costs[1] > 1
