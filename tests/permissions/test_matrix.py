"""Every GraphQL operation, run as every kind of principal, against matrix.txt.

matrix.txt is the specification: for each operation, what each principal
gets. Reads name how many of two target rows of the home publisher the
principal sees (one published, one draft; for users, the home creator and
the firm's learner), or `deny`; writes say `allow` or `deny`; `-` marks
operations whose outcome does not depend on the principal (sign-in).
A new operation without a row fails this test until the table covers it.
"""

import datetime as dt
import os
import uuid
from pathlib import Path
from typing import Any

import pytest

from app.errors import LexstackError
from app.services import collections, items
from permissions import SYSTEM
from tests import factories
from tests.permissions.cast import Cast, make_cast
from tests.permissions.scenery import (
    LEARNER_RECORDS,
    data_for,
    fresh,
    learner_records,
    release_course_of,
)

MATRIX = Path(__file__).with_name("matrix.txt")
PRINCIPALS = (
    "anonymous",
    "learner",
    "creator",
    "reviewer",
    "org_admin",
    "other_admin",
    "channel",
    "platform_admin",
)
DENIED = {"FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"}
# The suffix of an operation that reads the working copy: `courses@draft`.
DRAFT = "@draft"
NOT_BY_PRINCIPAL = {"auth_login", "auth_refresh", "auth_logout"}


def expected_table() -> dict[str, dict[str, str]]:
    table = {}
    for line in MATRIX.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        operation, *outcomes = line.split()
        assert len(outcomes) == len(PRINCIPALS), line
        table[operation] = dict(zip(PRINCIPALS, outcomes, strict=True))
    return table


class Targets:
    """For each collection, the two rows reads are asked about."""

    def __init__(self) -> None:
        self.ids: dict[str, list[str]] = {}


async def make_targets(cast: Cast, auth) -> Targets:
    targets = Targets()
    for name in collections.exposed():
        if name in LEARNER_RECORDS:
            continue
        if name == "users":
            targets.ids[name] = [
                str(cast.users["creator"].pk),
                str(cast.users["learner"].pk),
            ]
        elif name in ("channel_tokens", "revisions", "activity", "reviews", "releases"):
            continue
        elif name == "organizations":
            targets.ids[name] = [str(cast.other.pk), str(cast.home.pk)]
        else:
            published = await fresh(name, cast.home, published=True)
            draft = await fresh(name, cast.home, published=False)
            targets.ids[name] = [str(published.pk), str(draft.pk)]
    from app.models import ChannelToken

    # Learner records: the firm learner's own row and a colleague's.
    targets.ids.update(
        await learner_records(auth, cast.users["learner"], cast.firm, cast.home)
    )
    tokens = await ChannelToken.filter(organization_id=cast.home.pk)
    targets.ids["channel_tokens"] = [str(tokens[0].pk)]
    # The record of the two target courses' creation.
    from app.models import Activity, Release, Review, Revision

    courses = targets.ids["courses"]
    made = {str(r.item): r for r in await Revision.filter(item__in=courses)}
    targets.ids["revisions"] = [str(made[c].pk) for c in courses]
    entries = {str(a.item): a for a in await Activity.filter(item__in=courses)}
    targets.ids["activity"] = [str(entries[c].pk) for c in courses]
    # A review and a release of each target course.
    targets.ids["reviews"], targets.ids["releases"] = [], []
    from app.models import Course
    from app.services.publishing import content_hash, release_document, working_tree

    for course_id in courses:
        review = await Review.create(
            course_id=course_id, organization_id=cast.home.pk, content_hash="0" * 64
        )
        release = await Release.filter(course_id=course_id).first()
        if release is not None:
            targets.ids["reviews"].append(str(review.pk))
            targets.ids["releases"].append(str(release.pk))
            continue
        document = release_document(await working_tree(await Course.get(id=course_id)))
        release = await Release.create(
            course_id=course_id,
            organization_id=cast.home.pk,
            version=1,
            content_hash=content_hash(document),
            document=document,
        )
        targets.ids["reviews"].append(str(review.pk))
        targets.ids["releases"].append(str(release.pk))
    return targets


def outcome_of(result: Any) -> tuple[str | None, Any]:
    if result.errors:
        codes = {e.formatted.get("extensions", {}).get("code") for e in result.errors}
        if codes & DENIED:
            return "deny", None
        raise AssertionError([e.formatted for e in result.errors])
    return None, result.data


async def run(gql, cast: Cast, targets: Targets, op: str, who: str) -> str:
    principal = cast.principals[who]
    registry = collections.exposed()

    version = ""
    if op.endswith(DRAFT):
        op, version = op.removesuffix(DRAFT), 'version: "draft", '
    for name in registry:
        ids = targets.ids[name]
        if op == name:
            query = (
                f"query($ids: [ID!]) {{ {name}({version}"
                "filter: {id: {_in: $ids}}) { id } }"
            )
            result = await gql(query, {"ids": ids}, principal)
            denied, data = outcome_of(result)
            return denied or str(len(data[name]))
        if op == f"{name}_by_id":
            result = await gql(
                f"query($id: ID!) {{ {op}({version}id: $id) {{ id }} }}",
                {"id": ids[-1]},
                principal,
            )
            denied, data = outcome_of(result)
            return denied or ("1" if data[op] else "0")
        if op == f"{name}_aggregated":
            result = await gql(
                f"query($ids: [ID!]) {{ {op}({version}"
                "filter: {id: {_in: $ids}}) { countAll } }",
                {"ids": ids},
                principal,
            )
            denied, data = outcome_of(result)
            return denied or str(data[op][0]["countAll"])

    collection_name, kind = _mutation(op, registry)
    if collection_name is not None:
        return await _write(gql, cast, targets, collection_name, kind, principal)
    return await _identity(gql, cast, op, principal)


def _mutation(op: str, registry: dict) -> tuple[str | None, str | None]:
    for verb in ("create", "update", "delete"):
        for name in registry:
            for many in ("item", "items"):
                if op == f"{verb}_{name}_{many}":
                    return name, f"{verb}_{many}"
    return None, None


async def _write(gql, cast, targets, name, kind, principal) -> str:
    collection = collections.get(name)
    op = f"{kind.split('_')[0]}_{name}_{kind.split('_')[1]}"
    if kind.startswith("create"):
        if name == "organizations":
            data = {
                "name": "New",
                "slug": f"new-{os.urandom(4).hex()}",
                "kind": "publisher",
            }
        else:
            data = await data_for(collection, cast.home, published=False)
        many = kind.endswith("items")
        query = (
            f"mutation($d: {'[' if many else ''}create_{name}_input!"
            f"{']!' if many else ''}) {{ {op}(data: $d) {{ id }} }}"
        )
        result = await gql(query, {"d": [data] if many else data}, principal)
    elif kind.startswith("update"):
        target = targets.ids[name][-1]
        data = await _harmless_change(collection, target)
        if kind.endswith("items"):
            query = (
                f"mutation($ids: [ID!]!, $d: update_{name}_input!) "
                f"{{ {op}(ids: $ids, data: $d) {{ id }} }}"
            )
            variables = {"ids": [target], "d": data}
        else:
            query = (
                f"mutation($id: ID!, $d: update_{name}_input!) "
                f"{{ {op}(id: $id, data: $d) {{ id }} }}"
            )
            variables = {"id": target, "d": data}
        result = await gql(query, variables, principal)
    else:
        owner = None if name == "organizations" else cast.home
        victim = await fresh(name, owner, published=False)
        if kind.endswith("items"):
            query = f"mutation($ids: [ID!]!) {{ {op}(ids: $ids) {{ ids }} }}"
            variables = {"ids": [str(victim.pk)]}
        else:
            query = f"mutation($id: ID!) {{ {op}(id: $id) {{ id }} }}"
            variables = {"id": str(victim.pk)}
        result = await gql(query, variables, principal)
    denied, _ = outcome_of(result)
    return denied or "allow"


async def _harmless_change(collection, target: str) -> dict[str, Any]:
    """A change to one field that any row of the collection accepts."""
    from tests.permissions.scenery import value_for

    for name, spec in collection.fields.items():
        if not spec.read_only and not spec.restricted and spec.name != "status":
            return {name: value_for(collection, name)}
    row = await collection.model.get(id=target)
    for name, relation in collection.many_to_one.items():
        if name != "organization":
            return {name: str(getattr(row, relation.column))}
    raise AssertionError(f"nothing to change on {collection.name}")


async def _identity(gql, cast, op, principal) -> str:
    home = str(cast.home.pk)
    learner = str(cast.users["learner"].pk)
    if op == "users_me":
        denied, data = outcome_of(await gql("{ users_me { id } }", None, principal))
        return denied or ("1" if data["users_me"] else "0")
    if op == "permissions_me":
        denied, _ = outcome_of(await gql("{ permissions_me }", None, principal))
        return denied or "allow"
    if op in ("grant_role", "revoke_role"):
        query = (
            f"mutation($u: ID!, $o: ID!) {{ {op}(user: $u, organization: $o, "
            'role: "reviewer") }'
        )
        denied, _ = outcome_of(await gql(query, {"u": learner, "o": home}, principal))
        return denied or "allow"
    if op == "revert_revision":
        from app.models import Revision

        course = cast.targets["courses"][-1]
        created = await Revision.get(item=course, action="create")
        query = "mutation($id: ID!) { revert_revision(id: $id) { id } }"
        denied, _ = outcome_of(await gql(query, {"id": str(created.pk)}, principal))
        return denied or "allow"
    if op == "channel_feed":
        query = "{ channel_feed { next_cursor } }"
        denied, _ = outcome_of(await gql(query, None, principal))
        return denied or "allow"
    if op == "release_events":
        return await _release_events(gql, cast, principal)
    if op in PUBLISHING:
        return await _publishing(gql, cast, op, principal)
    if op == "create_channel_token":
        query = (
            "mutation($o: ID!) { create_channel_token(organization: $o, "
            'channel: "app") { id } }'
        )
        denied, _ = outcome_of(await gql(query, {"o": home}, principal))
        return denied or "allow"
    if op == "revoke_channel_token":
        from app.services import identity

        token, _ = await identity.create_channel_token(SYSTEM, cast.home.pk, "x")
        query = "mutation($id: ID!) { revoke_channel_token(id: $id) }"
        denied, _ = outcome_of(await gql(query, {"id": str(token.pk)}, principal))
        return denied or "allow"
    if op in WEBHOOKS:
        return await _webhooks(gql, cast, op, principal)
    if op in LEARNING:
        return await _learning(gql, cast, op, principal)
    if op in ASSESSMENTS:
        return await _assessments(gql, cast, op, principal)
    if op in CREDENTIALS:
        return await _credentials(gql, cast, op, principal)
    raise AssertionError(f"The matrix test does not know how to run {op}.")


async def test_every_operation_matches_the_matrix(gql, auth, schema):
    cast = await make_cast(auth)
    targets = await make_targets(cast, auth)
    cast.targets = targets.ids
    table = expected_table()
    operations = _operations(schema)

    actual: dict[str, dict[str, str]] = {}
    for op in operations:
        actual[op] = {}
        for who in PRINCIPALS:
            if op in NOT_BY_PRINCIPAL:
                actual[op][who] = "-"
                continue
            try:
                actual[op][who] = await run(gql, cast, targets, op, who)
            except LexstackError as exc:  # pragma: no cover - shown in the diff
                actual[op][who] = f"error:{exc.code}"

    if os.environ.get("LEXSTACK_WRITE_MATRIX"):
        _write_table(actual)
    missing = sorted(set(operations) - set(table))
    assert not missing, f"operations without a row in matrix.txt: {missing}"
    unexpected = [
        f"{op} as {who}: expected {table[op][who]}, got {got}"
        for op, row in actual.items()
        for who, got in row.items()
        if table[op][who] != got
    ]
    allows = [u for u in unexpected if "expected deny" in u]
    assert not allows, "unexpected allows:\n" + "\n".join(allows)
    assert not unexpected, "\n".join(unexpected)


PUBLISHING = {
    "submit_course_for_review",
    "approve_review",
    "request_changes",
    "publish_course",
    "rollback_course",
    "withdraw_course",
    "release_diff",
}


async def _publishing(gql, cast, op, principal) -> str:
    """Each run gets a course of the home publisher in the state the step needs."""
    from app.models import Review
    from app.services import publishing

    steps = ("submit_course_for_review", "approve_review", "request_changes")
    drafted = op in (*steps, "publish_course")
    course = await fresh("courses", cast.home, published=not drafted)
    c = str(course.pk)
    if op in ("approve_review", "request_changes", "publish_course"):
        review = await publishing.submit(SYSTEM, course.pk, None)
        if op == "publish_course":
            await publishing.decide(SYSTEM, review.pk, approve=True, comment=None)
    if op in ("rollback_course", "release_diff"):
        # A second edition, so that there are releases 1 and 2.
        await items.update_items(
            collections.get("courses"), [course.pk], {"title": "Edition 2"}, SYSTEM
        )
        await release_course_of(collections.get("courses"), course)
    queries = {
        "submit_course_for_review": (
            "mutation($c: ID!) { submit_course_for_review(course: $c) { id } }",
            {"c": c},
        ),
        "publish_course": (
            "mutation($c: ID!) { publish_course(course: $c) { id } }",
            {"c": c},
        ),
        "rollback_course": (
            "mutation($c: ID!) { rollback_course(course: $c, version: 1) { id } }",
            {"c": c},
        ),
        "withdraw_course": (
            "mutation($c: ID!) { withdraw_course(course: $c) { id } }",
            {"c": c},
        ),
        "release_diff": (
            "query($c: ID!) { release_diff(course: $c, before: 1, after: 2) }",
            {"c": c},
        ),
    }
    if op in ("approve_review", "request_changes"):
        pending = await Review.get(course=course, status="pending")
        query = f'mutation($r: ID!) {{ {op}(review: $r, comment: "ok") {{ id }} }}'
        variables = {"r": str(pending.pk)}
    else:
        query, variables = queries[op]
    denied, _ = outcome_of(await gql(query, variables, principal))
    return denied or "allow"


LEARNING = {
    "save_learner_profile",
    "save_bar_admission",
    "remove_bar_admission",
    "enroll",
    "complete_lesson",
    "transcript",
    "compliance_roll",
    "compliance_status",
    "course_outcomes",
}


async def _learning(gql, cast, op, principal) -> str:
    """Each run acts on the firm learner's records, or on a home course."""
    from app.models import BarAdmission, Jurisdiction
    from app.services import enrollments, learners

    learner = cast.users["learner"]
    u, firm = str(learner.pk), str(cast.firm.pk)
    bar = await Jurisdiction.get(
        id=(await BarAdmission.filter(user_id=learner.pk).first()).jurisdiction_id
    )
    course = await fresh("courses", cast.home, published=True)
    variables: dict[str, Any] = {"u": u}
    if op == "save_learner_profile":
        query = (
            "mutation($u: ID!, $o: ID!) { save_learner_profile(user: $u, "
            'organization: $o, first_name: "Lee", last_name: "Learner") { id } }'
        )
        variables["o"] = firm
    elif op == "save_bar_admission":
        query = (
            "mutation($u: ID!, $j: String!) { save_bar_admission(user: $u, "
            'jurisdiction: $j, admitted_on: "2015-03-02") { id } }'
        )
        variables["j"] = bar.code
    elif op == "remove_bar_admission":
        other = await fresh("jurisdictions", cast.firm)
        made = await learners.save_admission(
            SYSTEM,
            user_id=learner.pk,
            jurisdiction=other.code,
            admitted_on=dt.date(2016, 1, 4),
        )
        query = "mutation($id: ID!) { remove_bar_admission(id: $id) }"
        variables = {"id": str(made.pk)}
    elif op == "enroll":
        query = "mutation($c: ID!) { enroll(course: $c) { id } }"
        variables = {"c": str(course.pk)}
    elif op == "complete_lesson":
        from app.services.auth import user_principal

        tree = await fresh("lessons", cast.home, published=True)
        module = await tree.module
        enrollment = await enrollments.enroll(
            user_principal(learner.pk), module.course_id
        )
        query = (
            "mutation($e: ID!, $l: ID!) { complete_lesson(enrollment: $e, "
            "lesson: $l) { id } }"
        )
        variables = {"e": str(enrollment.pk), "l": str(tree.pk)}
    elif op == "transcript":
        query = "query($u: ID!) { transcript(user: $u) { user } }"
    elif op == "compliance_roll":
        query = (
            "query($j: String!, $o: ID!) { compliance_roll(jurisdiction: $j, "
            "organization: $o) { last_name } }"
        )
        variables = {"j": bar.code, "o": firm}
    elif op == "compliance_status":
        query = (
            "query($u: ID!, $j: String!) { compliance_status(user: $u, "
            "jurisdiction: $j) { required } }"
        )
        variables["j"] = bar.code
    elif op == "course_outcomes":
        query = "query($c: ID!) { course_outcomes(course: $c) { enrollments } }"
        variables = {"c": str(course.pk)}
    denied, _ = outcome_of(await gql(query, variables, principal))
    return denied or "allow"


ASSESSMENTS = {
    "start_attempt",
    "answer_question",
    "submit_attempt",
    "attempt_feedback",
    "grading_queue",
    "grade_response",
}
ESSAY = {
    "kind": "essay",
    "points": "10",
    "answer_key": {"rubric": [{"criterion": "Cites the rules", "points": "10"}]},
}


async def _assessments(gql, cast, op, principal) -> str:
    """Each run acts on the firm learner's own attempt at a new home course."""
    from app.services import attempts, enrollments
    from app.services.auth import user_principal
    from tests.learning.classroom import course_with, true_false

    learner = user_principal(cast.users["learner"].pk)
    graded = op in ("grading_queue", "grade_response")
    quiz = await course_with(
        cast.home,
        [ESSAY] if graded else [true_false(points="1")],
        kind="work_product" if graded else "quiz",
        feedback="after_submit",
    )
    enrollment = await enrollments.enroll(learner, quiz.course.pk)
    question = quiz.questions[0]
    right = {"choice": str(quiz.choices[0][0].pk)} if not graded else None
    variables: dict[str, Any] = {"e": str(enrollment.pk), "a": str(quiz.assessment.pk)}
    if op == "start_attempt":
        query = (
            "mutation($e: ID!, $a: ID!) { start_attempt(enrollment: $e, "
            "assessment: $a) { id } }"
        )
    else:
        attempt = await attempts.start_attempt(
            learner, enrollment.pk, quiz.assessment.pk
        )
        variables = {"t": str(attempt.pk)}
    if op == "answer_question":
        query = (
            "mutation($t: ID!, $q: ID!, $a: JSON!) { answer_question(attempt: $t, "
            "question: $q, answer: $a) { question } }"
        )
        variables |= {"q": str(question.pk), "a": right}
    elif op == "submit_attempt":
        await attempts.answer(learner, attempt.pk, question.pk, right)
        query = "mutation($t: ID!) { submit_attempt(attempt: $t) { id } }"
    elif op == "attempt_feedback":
        await attempts.answer(learner, attempt.pk, question.pk, right)
        await attempts.submit_attempt(learner, attempt.pk)
        query = "query($t: ID!) { attempt_feedback(attempt: $t) }"
    elif graded:
        await attempts.answer(learner, attempt.pk, question.pk, {"text": "A memo."})
        await attempts.submit_attempt(learner, attempt.pk)
        [response] = await attempt.responses.all()
        if op == "grading_queue":
            query = "query($o: ID!) { grading_queue(organization: $o) }"
            variables = {"o": str(cast.home.pk)}
        else:
            query = (
                "mutation($r: ID!) { grade_response(response: $r, rubric_scores: "
                '[{criterion: 0, points: "8"}]) { response } }'
            )
            variables = {"r": str(response.pk)}
    denied, _ = outcome_of(await gql(query, variables, principal))
    return denied or "allow"


CREDENTIALS = {
    "my_awards",
    "awards",
    "award",
    "evaluate_awards",
    "verify_credential",
    "revoke_award",
    "rotate_signing_key",
}


async def _credentials(gql, cast, op, principal) -> str:
    """Each run acts on an award the firm learner earns from the home publisher
    by passing a new course's quiz; lists answer with how many awards they show.
    """
    from app.models import Award
    from app.services import attempts, enrollments
    from app.services.auth import user_principal
    from tests.credentials.conftest import micro_credential
    from tests.learning.classroom import course_with, true_false

    learner = cast.users["learner"]
    me = user_principal(learner.pk)
    quiz = await course_with(cast.home, [true_false(points="1")], pass_mark=50)
    badge = await micro_credential(
        cast.home, f"badge-{uuid.uuid4().hex[:10]}", "Breach Response", quiz
    )
    enrollment = await enrollments.enroll(me, quiz.course.pk)
    if op != "evaluate_awards":
        for lesson in await factories.lessons_of(quiz.course):
            await enrollments.complete_lesson(me, enrollment.pk, lesson.pk)
        attempt = await attempts.start_attempt(me, enrollment.pk, quiz.assessment.pk)
        await attempts.answer(
            me, attempt.pk, quiz.questions[0].pk, {"choice": str(quiz.choices[0][0].pk)}
        )
        await attempts.submit_attempt(me, attempt.pk)
    award = await Award.get_or_none(user_id=learner.pk, micro_credential_id=badge.pk)
    variables: dict[str, Any] = {}
    if op == "my_awards":
        query = "{ my_awards { id } }"
    elif op == "awards":
        query = "query($u: ID!) { awards(user: $u) { id } }"
        variables = {"u": str(learner.pk)}
    elif op == "award":
        query = "query($id: ID!) { award(id: $id) { id } }"
        variables = {"id": str(award.pk)}
    elif op == "evaluate_awards":
        query = "mutation($u: ID!) { evaluate_awards(user: $u) { id } }"
        variables = {"u": str(learner.pk)}
    elif op == "verify_credential":
        query = "mutation($c: String!) { verify_credential(credential: $c) { valid } }"
        variables = {"c": award.jwt}
    elif op == "revoke_award":
        query = (
            'mutation($id: ID!) { revoke_award(id: $id, reason: "Issued in error") '
            "{ state } }"
        )
        variables = {"id": str(award.pk)}
    else:
        query = "mutation($o: ID!) { rotate_signing_key(organization: $o) { kid } }"
        variables = {"o": str(cast.home.pk)}
    denied, data = outcome_of(await gql(query, variables, principal))
    if denied:
        return denied
    if op in ("my_awards", "awards"):
        return str(sum(1 for shown in data[op] if shown["id"] == str(award.pk)))
    return "allow"


WEBHOOKS = {
    "create_webhook",
    "update_webhook",
    "delete_webhook",
    "rotate_webhook_secret",
    "redeliver_webhook",
    "webhook_deliveries",
}


async def _webhooks(gql, cast, op, principal) -> str:
    """Each run gets a webhook of the home publisher with one dead delivery."""
    from app.models import ChangeEvent, WebhookDelivery

    webhook = await fresh("webhooks", cast.home)
    # A draft: publishing one would put a real delivery in the outbox too.
    course = await fresh("courses", cast.home, published=False)
    event = await ChangeEvent.create(
        organization_id=cast.home.pk, course=course, kind="published", version=1
    )
    delivery = await WebhookDelivery.create(
        webhook=webhook,
        event=event,
        status="dead",
        attempts=1,
        next_attempt=event.date_created,
    )
    hook = str(webhook.pk)
    queries = {
        "create_webhook": (
            "mutation($c: ID!) { create_webhook(channel: $c, "
            'url: "https://93.184.215.14/hooks") { secret } }',
            {"c": str(webhook.channel_id)},
        ),
        "update_webhook": (
            'mutation($id: ID!) { update_webhook(id: $id, description: "x") { id } }',
            {"id": hook},
        ),
        "delete_webhook": (
            "mutation($id: ID!) { delete_webhook(id: $id) }",
            {"id": hook},
        ),
        "rotate_webhook_secret": (
            "mutation($id: ID!) { rotate_webhook_secret(id: $id) { secret } }",
            {"id": hook},
        ),
        "redeliver_webhook": (
            "mutation($d: ID!) { redeliver_webhook(delivery: $d) { id } }",
            {"d": str(delivery.pk)},
        ),
        "webhook_deliveries": (
            "query($w: ID!) { webhook_deliveries(webhook: $w) { id } }",
            {"w": hook},
        ),
    }
    query, variables = queries[op]
    denied, data = outcome_of(await gql(query, variables, principal))
    if denied or op != "webhook_deliveries":
        return denied or "allow"
    return str(len(data[op]))


async def _release_events(gql, cast, principal) -> str:
    """Whoever may follow gets the replay's first event at once; others an error."""
    from tortoise.transactions import in_transaction

    from app.models import Channel, Course
    from app.models.enums import ChangeKind
    from app.services import feed
    from app.services.query import Reader
    from schema.context import Context

    home = await Course.get(id=cast.targets["courses"][0])
    other = await fresh("courses", cast.other, published=True)
    channel = await Channel.get(organization_id=cast.home.pk, name="intranet")
    async with in_transaction():
        await feed.record(home, ChangeKind.PUBLISHED, None, [channel.pk])
        await feed.record(other, ChangeKind.PUBLISHED, None, [])
    context = Context(principal, Reader(principal, gql.limits), None, gql.auth)
    stream = await gql.schema.subscribe(
        'subscription { release_events(after: "0") { cursor } }',
        context_value=context,
    )
    try:
        first = await anext(stream)
    finally:
        await stream.aclose()
    denied, _ = outcome_of(first)
    return denied or "allow"


def _operations(schema) -> list[str]:
    graphql_schema = schema._schema
    names = list(graphql_schema.query_type.fields) + list(
        graphql_schema.mutation_type.fields
    )
    # Reads of the working copy of course content are operations of their own.
    for name, collection in collections.exposed().items():
        if collection.versioned:
            names += [f"{op}{DRAFT}" for op in (name, f"{name}_by_id")]
            names.append(f"{name}_aggregated{DRAFT}")

    if graphql_schema.subscription_type is not None:
        names += list(graphql_schema.subscription_type.fields)
    return sorted(names)


def _write_table(actual: dict[str, dict[str, str]]) -> None:
    width = max(map(len, actual)) + 2
    lines = [
        "# operation".ljust(width) + " ".join(p.ljust(9) for p in PRINCIPALS).rstrip()
    ]
    for op in sorted(actual):
        cells = " ".join(actual[op][p].ljust(9) for p in PRINCIPALS).rstrip()
        lines.append(op.ljust(width) + cells)
    MATRIX.with_suffix(".actual").write_text("\n".join(lines) + "\n")


@pytest.fixture(autouse=True)
def _matrix_exists():
    assert MATRIX.exists(), "tests/permissions/matrix.txt is the specification"
