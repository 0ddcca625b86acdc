"""Attacks on the permission layer that must fail."""

import uuid

import pytest

from tests import factories
from tests.permissions.cast import make_cast


@pytest.fixture
async def world(gql, auth):
    cast = await make_cast(auth)
    draft = await factories.course_tree(
        cast.home, modules=1, lessons=1, title="Home draft", status="draft"
    )
    published = await factories.course(cast.home, title="Home published")
    theirs = await factories.course(cast.other, title="Other published")
    quizzes = {}
    for name, course in (("home", published), ("other", theirs)):
        quiz = await factories.make(
            "assessments", course=course, title="Q", kind="quiz"
        )
        question = await factories.make(
            "questions", assessment=quiz, kind="true_false", prompt=f"{name}?"
        )
        for sort, (label, correct) in enumerate((("True", True), ("False", False))):
            await factories.make(
                "choices", question=question, label=label, is_correct=correct, sort=sort
            )
        quizzes[name] = quiz
    return cast, draft, published, theirs


async def test_drafts_are_read_only_by_their_editors(gql, world):
    cast, draft, *_ = world
    published = "query($id: ID!) { courses_by_id(id: $id) { title } }"
    drafts = 'query($id: ID!) { courses_by_id(id: $id, version: "draft") { title } }'
    variables = {"id": str(draft.pk)}

    for who in ("anonymous", "learner", "other_admin", "channel", "creator"):
        data = await gql.data(published, variables, cast.principals[who])
        assert data == {"courses_by_id": None}, who
    for who in ("anonymous", "learner", "channel"):
        error = await gql.error(drafts, variables, cast.principals[who])
        assert error["extensions"]["code"] == "FORBIDDEN", who
    theirs = await gql.data(drafts, variables, cast.principals["other_admin"])
    mine = await gql.data(drafts, variables, cast.principals["creator"])
    assert theirs == {"courses_by_id": None}
    assert mine == {"courses_by_id": {"title": "Home draft"}}


async def test_children_of_drafts_are_hidden_too(gql, world):
    cast, *_ = world

    data = await gql.data(
        "{ lessons { title } modules { title } }",
        principal=cast.principals["other_admin"],
    )

    assert data == {"lessons": [], "modules": []}


async def test_guessed_ids_find_nothing(gql, world):
    cast, *_ = world

    for _ in range(20):
        data = await gql.data(
            "query($id: ID!) { courses_by_id(id: $id) { id } }",
            {"id": str(uuid.uuid4())},
            cast.principals["learner"],
        )
        assert data == {"courses_by_id": None}


async def test_aggregates_never_count_hidden_rows(gql, world):
    cast, *_ = world
    query = (
        '{ courses_aggregated(groupBy: ["status"], sort: ["status"]) '
        "{ group countAll } }"
    )

    outside = await gql.data(query, principal=cast.principals["learner"])
    inside = await gql.data(
        query.replace("groupBy", 'version: "draft", groupBy'),
        principal=cast.principals["reviewer"],
    )

    assert outside == {
        "courses_aggregated": [{"group": {"status": "published"}, "countAll": 2}]
    }
    # The working copy a reviewer reads is their own organization's.
    assert inside == {
        "courses_aggregated": [
            {"group": {"status": "draft"}, "countAll": 1},
            {"group": {"status": "published"}, "countAll": 1},
        ]
    }


async def test_filtering_on_answer_keys_reveals_nothing(gql, world):
    cast, *_ = world
    query = (
        "{ choices(filter: {is_correct: {_eq: true}}) { label question { prompt } } }"
    )

    learner = await gql.error(query, principal=cast.principals["learner"])
    creator = await gql.data(
        query.replace("choices(", 'choices(version: "draft", '),
        principal=cast.principals["creator"],
    )

    assert learner["extensions"]["code"] == "INVALID_INPUT"
    assert learner["message"] == 'You may not filter choices on "is_correct".'
    # The home creator's filter matches only rows whose keys they may read.
    assert creator == {"choices": [{"label": "True", "question": {"prompt": "home?"}}]}


async def test_sorting_or_grouping_on_answer_keys_is_refused(gql, world):
    cast, *_ = world

    for who in ("learner", "creator", "channel"):
        sort = await gql.error(
            '{ choices(sort: ["is_correct"]) { label } }',
            principal=cast.principals[who],
        )
        group = await gql.error(
            '{ choices_aggregated(groupBy: ["is_correct"]) { countAll } }',
            principal=cast.principals[who],
        )
        assert sort["extensions"]["code"] == "INVALID_INPUT", who
        assert group["extensions"]["code"] == "INVALID_INPUT", who


async def test_answer_keys_show_only_for_the_owning_organization(gql, world):
    cast, *_ = world
    query = (
        '{ questions(version: "draft", sort: ["prompt"]) '
        "{ prompt choices { is_correct } } }"
    )

    result = await gql(query, principal=cast.principals["reviewer"])

    # The working copy read is the reviewer's organization's, keys included;
    # the other publisher's questions are neither listed nor counted.
    assert result.data["questions"] == [
        {"prompt": "home?", "choices": [{"is_correct": True}, {"is_correct": False}]},
    ]
    assert result.errors is None


async def test_a_creator_cannot_publish_or_unpublish_but_edits_the_working_copy(
    gql, world
):
    cast, draft, published, _ = world
    creator = cast.principals["creator"]
    update = (
        "mutation($id: ID!, $d: update_courses_input!) "
        "{ update_courses_item(id: $id, data: $d) { status } }"
    )

    publish = await gql.error(
        update, {"id": str(draft.pk), "d": {"status": "published"}}, creator
    )
    unpublish = await gql.error(
        update, {"id": str(published.pk), "d": {"status": "draft"}}, creator
    )
    edit = await gql.data(
        update, {"id": str(published.pk), "d": {"title": "Next edition"}}, creator
    )
    allowed = await gql.data(
        update, {"id": str(draft.pk), "d": {"summary": "ok"}}, creator
    )

    assert publish["extensions"]["code"] == "FORBIDDEN"
    assert unpublish["extensions"]["code"] == "FORBIDDEN"
    assert edit == {"update_courses_item": {"status": "published"}}
    assert allowed == {"update_courses_item": {"status": "draft"}}


async def test_rows_cannot_be_moved_to_another_organization(gql, world):
    cast, draft, *_ = world

    error = await gql.error(
        "mutation($id: ID!, $o: ID!) { update_courses_item(id: $id, "
        "data: {organization: $o}) { id } }",
        {"id": str(draft.pk), "o": str(cast.other.pk)},
        cast.principals["org_admin"],
    )

    assert error["extensions"]["code"] in {"FORBIDDEN", "NOT_FOUND"}


async def test_writes_to_another_organization_look_like_missing_rows(gql, world):
    cast, draft, *_ = world

    error = await gql.error(
        "mutation($id: ID!) { delete_courses_item(id: $id) { id } }",
        {"id": str(draft.pk)},
        cast.principals["other_admin"],
    )

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert error["message"] == f"No courses item with id {draft.pk}."


async def test_an_admin_cannot_grant_roles_elsewhere(gql, world):
    cast, *_ = world
    grant = (
        "mutation($u: ID!, $o: ID!, $r: String!) "
        "{ grant_role(user: $u, organization: $o, role: $r) }"
    )
    admin = cast.principals["org_admin"]
    learner = str(cast.users["learner"].pk)

    elsewhere = await gql.error(
        grant, {"u": learner, "o": str(cast.other.pk), "r": "admin"}, admin
    )
    platform = await gql.error(
        grant, {"u": learner, "o": str(cast.home.pk), "r": "platform_admin"}, admin
    )

    assert elsewhere["extensions"]["code"] == "FORBIDDEN"
    assert platform["extensions"]["code"] == "INVALID_INPUT"


async def test_private_fields_never_reach_the_api(gql, world):
    cast, *_ = world

    error = await gql.error(
        "{ users { email password_hash } }", principal=cast.principals["platform_admin"]
    )
    tokens = await gql.error(
        "{ channel_tokens { token_hash } }", principal=cast.principals["org_admin"]
    )

    assert "password_hash" in error["message"]
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert "token_hash" in tokens["message"]


async def test_a_learner_sees_only_their_own_account(gql, world):
    cast, *_ = world

    data = await gql.data("{ users { email } }", principal=cast.principals["learner"])

    assert data == {"users": [{"email": "learner@firm.example"}]}


async def test_a_firm_admin_sees_only_their_firm(gql, auth, world):
    cast, *_ = world
    firm_admin = await factories.user(auth, "admin@firm.example", admin=cast.firm)
    from app.services.auth import user_principal

    data = await gql.data(
        '{ users(sort: ["email"]) { email } }', principal=user_principal(firm_admin.pk)
    )

    assert data == {
        "users": [{"email": "admin@firm.example"}, {"email": "learner@firm.example"}]
    }
