"""Managing webhooks through the API: who may, and where a webhook may point."""

import pytest

from app.errors import InvalidInput
from app.models import ChangeEvent, Webhook, WebhookDelivery
from app.models.enums import ChangeKind, DeliveryStatus
from app.services import webhooks
from permissions import SYSTEM
from tests import factories
from tests.permissions.cast import make_cast

# A public address written as one: no name to resolve, nothing listens for us.
PUBLIC = "https://93.184.215.14/hooks"

CREATE = (
    "mutation($c: ID!, $u: String!, $d: String) { create_webhook(channel: $c, "
    "url: $u, description: $d) { secret webhook { id url description active "
    "channel { id } organization { id } } } }"
)
UPDATE = (
    "mutation($id: ID!, $u: String, $d: String, $a: Boolean) { update_webhook("
    "id: $id, url: $u, description: $d, active: $a) { id url description active } }"
)
ROTATE = (
    "mutation($id: ID!) { rotate_webhook_secret(id: $id) { secret webhook { id } } }"
)
DELETE = "mutation($id: ID!) { delete_webhook(id: $id) }"
REDELIVER = (
    "mutation($d: ID!) { redeliver_webhook(delivery: $d) { id status attempts "
    "last_status last_error } }"
)
DELIVERIES = (
    "query($w: ID!, $s: String) { webhook_deliveries(webhook: $w, status: $s) "
    "{ id webhook cursor kind course status attempts last_status last_error "
    "delivered } }"
)


@pytest.fixture
async def cast(gql, auth):
    return await make_cast(auth)


async def _channel(cast):
    from app.models import Channel

    return await Channel.get(organization_id=cast.home.pk, name="intranet")


async def _dead_delivery(webhook: Webhook) -> WebhookDelivery:
    """A delivery that used up its attempts, for an event of a new course."""
    course = await factories.course(await webhook.organization, status="draft")
    event = await ChangeEvent.create(
        organization_id=webhook.organization_id,
        course=course,
        kind=ChangeKind.PUBLISHED,
        version=1,
    )
    return await WebhookDelivery.create(
        webhook=webhook,
        event=event,
        status=DeliveryStatus.DEAD,
        attempts=15,
        last_status=503,
        last_error="HTTP 503",
        next_attempt=event.date_created,
    )


async def test_an_admin_makes_changes_rotates_and_removes_a_webhook(gql, cast):
    admin = cast.principals["org_admin"]
    channel = await _channel(cast)

    made = (
        await gql.data(
            CREATE, {"c": str(channel.pk), "u": PUBLIC, "d": " Intranet "}, admin
        )
    )["create_webhook"]
    hook_id = made["webhook"]["id"]
    stored = await Webhook.get(id=hook_id)
    updated = await gql.data(
        UPDATE, {"id": hook_id, "u": PUBLIC + "/v2", "a": False}, admin
    )
    rotated = (await gql.data(ROTATE, {"id": hook_id}, admin))["rotate_webhook_secret"]
    after_rotation = await Webhook.get(id=hook_id)
    removed = await gql.data(DELETE, {"id": hook_id}, admin)

    assert made["webhook"] == {
        "id": hook_id,
        "url": PUBLIC,
        "description": "Intranet",
        "active": True,
        "channel": {"id": str(channel.pk)},
        "organization": {"id": str(cast.home.pk)},
    }
    assert len(made["secret"]) == 43 and stored.secret == made["secret"]
    assert stored.user_created == admin.id
    assert updated == {
        "update_webhook": {
            "id": hook_id,
            "url": PUBLIC + "/v2",
            "description": "Intranet",
            "active": False,
        }
    }
    assert rotated["webhook"] == {"id": hook_id}
    assert rotated["secret"] not in (made["secret"], None)
    assert after_rotation.secret == rotated["secret"]
    assert removed == {"delete_webhook": True}
    assert not await Webhook.exists(id=hook_id)


async def test_the_secret_is_never_readable_after_it_was_shown(gql, cast):
    admin = cast.principals["org_admin"]
    webhook, _ = await webhooks.create_webhook(
        SYSTEM, (await _channel(cast)).pk, PUBLIC
    )

    error = await gql.error(
        "query($id: ID!) { webhooks_by_id(id: $id) { id secret } }",
        {"id": str(webhook.pk)},
        admin,
    )

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert error["message"] == "Cannot query field 'secret' on type 'webhooks'."


async def test_an_admin_lists_deliveries_and_sends_a_dead_one_again(gql, cast):
    admin = cast.principals["org_admin"]
    webhook, _ = await webhooks.create_webhook(
        SYSTEM, (await _channel(cast)).pk, PUBLIC
    )
    dead = await _dead_delivery(webhook)
    event = await ChangeEvent.get(id=dead.event_id)

    listed = await gql.data(DELIVERIES, {"w": str(webhook.pk), "s": "dead"}, admin)
    none_pending = await gql.data(
        DELIVERIES, {"w": str(webhook.pk), "s": "pending"}, admin
    )
    sent = await gql.data(REDELIVER, {"d": str(dead.pk)}, admin)
    again = await gql.error(REDELIVER, {"d": str(dead.pk)}, admin)
    bad_status = await gql.error(DELIVERIES, {"w": str(webhook.pk), "s": "lost"}, admin)

    assert listed == {
        "webhook_deliveries": [
            {
                "id": str(dead.pk),
                "webhook": str(webhook.pk),
                "cursor": str(event.pk),
                "kind": "published",
                "course": str(event.course_id),
                "status": "dead",
                "attempts": 15,
                "last_status": 503,
                "last_error": "HTTP 503",
                "delivered": None,
            }
        ]
    }
    assert none_pending == {"webhook_deliveries": []}
    assert sent == {
        "redeliver_webhook": {
            "id": str(dead.pk),
            "status": "pending",
            "attempts": 0,
            "last_status": 503,
            "last_error": "HTTP 503",
        }
    }
    assert again["extensions"]["code"] == "INVALID_INPUT"
    assert again["message"] == (
        "This delivery is pending; only failed or dead deliveries are sent again."
    )
    assert bad_status["extensions"]["code"] == "INVALID_INPUT"
    assert bad_status["message"] == "status is one of pending, delivered, failed, dead."


DENIED = {
    "anonymous": "FORBIDDEN",
    "learner": "FORBIDDEN",
    "creator": "FORBIDDEN",
    "reviewer": "FORBIDDEN",
    "channel": "FORBIDDEN",
    # May manage webhooks, of another organization: this one's do not exist.
    "other_admin": "NOT_FOUND",
}


@pytest.mark.parametrize("who", sorted(DENIED))
async def test_only_the_organizations_admins_manage_its_webhooks(gql, cast, who):
    principal = cast.principals[who]
    channel = await _channel(cast)
    webhook, secret = await webhooks.create_webhook(SYSTEM, channel.pk, PUBLIC)
    dead = await _dead_delivery(webhook)
    hook = str(webhook.pk)

    attempts = {
        "create_webhook": (CREATE, {"c": str(channel.pk), "u": PUBLIC}),
        "update_webhook": (UPDATE, {"id": hook, "u": PUBLIC + "/x", "a": False}),
        "rotate_webhook_secret": (ROTATE, {"id": hook}),
        "delete_webhook": (DELETE, {"id": hook}),
        "redeliver_webhook": (REDELIVER, {"d": str(dead.pk)}),
        "webhook_deliveries": (DELIVERIES, {"w": hook}),
    }
    codes = {}
    for name, (query, variables) in attempts.items():
        error = await gql.error(query, variables, principal)
        codes[name] = error["extensions"]["code"]

    assert codes == dict.fromkeys(attempts, DENIED[who])
    after = await Webhook.get(id=webhook.pk)
    assert (after.url, after.active, after.secret) == (PUBLIC, True, secret)
    assert await Webhook.filter(channel=channel).count() == 1
    assert (await WebhookDelivery.get(id=dead.pk)).status == DeliveryStatus.DEAD


REFUSED = [
    ("http://127.0.0.1:8055/graphql", "is not a public address"),
    ("http://localhost/", "is not a public address"),
    ("http://[::1]/", "is not a public address"),
    ("http://[::ffff:127.0.0.1]/", "is not a public address"),
    ("http://2130706433/", "is not a public address"),
    ("http://169.254.169.254/latest/meta-data/", "is not a public address"),
    ("http://10.0.0.7/", "is not a public address"),
    ("http://192.168.1.1/", "is not a public address"),
    ("http://100.64.0.1/", "is not a public address"),
    ("http://0.0.0.0:8055/", "is not a public address"),
    ("http://224.0.0.1/", "is not a public address"),
    ("ftp://93.184.215.14/", "starts with http:// or https://"),
    ("file:///etc/passwd", "starts with http:// or https://"),
    ("https:///hooks", "starts with http:// or https://"),
    ("https://user:secret@93.184.215.14/", "may not carry a user name"),
    (PUBLIC + "/" + "a" * 480, "at most 500 characters"),
]


@pytest.mark.parametrize(("url", "reason"), REFUSED)
async def test_a_url_lexstack_will_not_call_is_refused(gql, cast, url, reason):
    admin = cast.principals["org_admin"]
    channel = await _channel(cast)

    error = await gql.error(CREATE, {"c": str(channel.pk), "u": url}, admin)

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert reason in error["message"]
    assert not await Webhook.exists(channel=channel)


async def test_a_webhook_cannot_be_moved_to_a_private_address(gql, cast):
    admin = cast.principals["org_admin"]
    webhook, _ = await webhooks.create_webhook(
        SYSTEM, (await _channel(cast)).pk, PUBLIC
    )

    error = await gql.error(
        UPDATE, {"id": str(webhook.pk), "u": "http://169.254.169.254/"}, admin
    )

    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert (await Webhook.get(id=webhook.pk)).url == PUBLIC


async def test_private_addresses_are_allowed_only_when_the_setting_says_so():
    url = "http://127.0.0.1:8080/hooks"

    allowed = await webhooks.check_url(url, allow_private=True)
    with pytest.raises(InvalidInput) as refused:
        await webhooks.check_url(url, allow_private=False)

    assert allowed == url
    assert refused.value.message == "127.0.0.1 is not a public address (127.0.0.1)."
