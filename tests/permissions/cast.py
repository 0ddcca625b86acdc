"""The cast of the permission tests: one principal of each kind, two publishers."""

from dataclasses import dataclass

from tortoise.models import Model

from app.services import identity
from app.services.auth import user_principal
from permissions import SYSTEM, Principal, anonymous
from tests import factories


@dataclass
class Cast:
    home: Model  # the publisher whose content the tests act on
    other: Model  # another publisher
    firm: Model
    principals: dict[str, Principal]
    users: dict[str, Model]
    channel_secret: str


async def make_cast(auth) -> Cast:
    home = await factories.organization(slug="home", name="Home CLE")
    other = await factories.organization(slug="other", name="Other CLE")
    firm = await factories.organization(slug="firm", name="A Firm", kind="firm")
    users = {
        "learner": await factories.user(auth, "learner@firm.example", learner=firm),
        "creator": await factories.user(auth, "creator@home.example", creator=home),
        "reviewer": await factories.user(auth, "reviewer@home.example", reviewer=home),
        "org_admin": await factories.user(auth, "admin@home.example", admin=home),
        "other_admin": await factories.user(auth, "admin@other.example", admin=other),
        "platform_admin": await factories.user(auth, "root@lexstack.example"),
    }
    await identity.make_platform_admin(users["platform_admin"])
    _, secret = await identity.create_channel_token(SYSTEM, home.pk, "intranet")
    principals = {"anonymous": anonymous()}
    for name, account in users.items():
        principals[name] = user_principal(account.pk)
    # As a request bearing the token is: with the channel it reads as.
    principals["channel"] = await auth.principal(f"Bearer {secret}")
    return Cast(home, other, firm, principals, users, secret)
