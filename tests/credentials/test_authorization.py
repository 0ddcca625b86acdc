"""Who sees awards, who revokes them, who rotates the key that signs them."""

from app.models import Award, SigningKey
from permissions import ANONYMOUS
from tests.credentials.conftest import PUBLIC_URL, earned

REVOKE = """
mutation($id: ID!, $reason: String!) {
  revoke_award(id: $id, reason: $reason) { id state }
}
"""
ROTATE = "mutation($o: ID!) { rotate_signing_key(organization: $o) { generation } }"
MINE = """
{ my_awards { id kind title state issuer_name credential_url linkedin_url jwt
              parts valid_until revoked } }
"""
OF = "query($u: ID, $o: ID) { awards(user: $u, organization: $o) { id } }"
ONE = "query($id: ID!) { award(id: $id) { id title } }"


async def test_a_learner_lists_their_awards_with_state_and_links(scene, gql):
    award = await earned(scene)

    mine = await gql.data(MINE, principal=scene.student)

    assert mine["my_awards"] == [
        {
            "id": str(award.pk),
            "kind": "micro_credential",
            "title": "GDPR Practitioner",
            "state": "valid",
            "issuer_name": "Lexcel CLE",
            "credential_url": f"{PUBLIC_URL}/credentials/{award.pk}",
            "linkedin_url": mine["my_awards"][0]["linkedin_url"],
            "jwt": award.jwt,
            "parts": [],
            "valid_until": None,
            "revoked": None,
        }
    ]
    assert mine["my_awards"][0]["linkedin_url"].startswith(
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&"
    )


async def test_awards_are_seen_by_the_firm_and_the_issuer_only(scene, gql):
    award = await earned(scene)
    learner = str(scene.learner.pk)

    def ids(data):
        return [a["id"] for a in data["awards"]]

    firm = await gql.data(OF, {"u": learner}, scene.firm_admin)
    issuer = await gql.data(OF, {"u": learner}, scene.issuer_admin)
    issued = await gql.data(OF, {"o": str(scene.publisher.pk)}, scene.issuer_admin)
    other = await gql.data(OF, {"u": learner}, scene.other_admin)
    colleague = await gql.error(OF, {"u": learner}, scene.colleague)
    other_issuer = await gql.error(
        OF, {"o": str(scene.publisher.pk)}, scene.other_admin
    )
    anonymous = await gql.error(MINE, principal=ANONYMOUS)
    one = await gql.error(ONE, {"id": str(award.pk)}, scene.colleague)
    seen = await gql.data(ONE, {"id": str(award.pk)}, scene.firm_admin)

    assert ids(firm) == ids(issuer) == ids(issued) == [str(award.pk)]
    assert ids(other) == []
    assert colleague["extensions"]["code"] == "NOT_FOUND"
    assert other_issuer["extensions"]["code"] == "FORBIDDEN"
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    assert one["extensions"]["code"] == "NOT_FOUND"
    assert seen["award"] == {"id": str(award.pk), "title": "GDPR Practitioner"}


async def test_only_the_issuers_admins_revoke(scene, gql):
    award = await earned(scene)
    variables = {"id": str(award.pk), "reason": "Misconduct found."}

    refused = [
        (await gql.error(REVOKE, variables, who))["extensions"]["code"]
        for who in (
            scene.student,
            scene.firm_admin,
            scene.other_admin,
            scene.colleague,
            ANONYMOUS,
        )
    ]
    untouched = await Award.get(id=award.pk)
    no_reason = await gql.error(
        REVOKE, {"id": str(award.pk), "reason": "   "}, scene.issuer_admin
    )
    done = await gql.data(REVOKE, variables, scene.issuer_admin)
    again = await gql.error(REVOKE, variables, scene.issuer_admin)

    assert refused == ["FORBIDDEN"] * 5
    assert untouched.revoked is None
    assert no_reason["extensions"]["code"] == "INVALID_INPUT"
    assert done["revoke_award"] == {"id": str(award.pk), "state": "revoked"}
    assert again["extensions"]["code"] == "CONFLICT"
    stored = await Award.get(id=award.pk)
    assert stored.revoked_reason == "Misconduct found."
    assert stored.revoked_by == scene.issuer_admin.id


async def test_only_the_organizations_admins_rotate_its_key(scene, gql):
    await earned(scene)
    variables = {"o": str(scene.publisher.pk)}

    refused = [
        (await gql.error(ROTATE, variables, who))["extensions"]["code"]
        for who in (scene.student, scene.other_admin, scene.firm_admin, ANONYMOUS)
    ]
    rotated = await gql.data(ROTATE, variables, scene.issuer_admin)

    assert refused == ["FORBIDDEN"] * 4
    assert rotated == {"rotate_signing_key": {"generation": 2}}
    generations = await SigningKey.filter(
        organization_id=scene.publisher.pk
    ).values_list("generation", "retired")
    assert sorted(g for g, _ in generations) == [1, 2]
    assert [g for g, retired in generations if retired is None] == [2]


async def test_a_firm_admin_evaluates_a_lawyers_awards(scene, gql):
    award = await earned(scene)
    await Award.filter(id=award.pk).delete()
    evaluate = "mutation($u: ID) { evaluate_awards(user: $u) { title state } }"

    refused = await gql.error(evaluate, {"u": str(scene.learner.pk)}, scene.colleague)
    done = await gql.data(evaluate, {"u": str(scene.learner.pk)}, scene.firm_admin)

    assert refused["extensions"]["code"] == "FORBIDDEN"
    assert done["evaluate_awards"] == [{"title": "GDPR Practitioner", "state": "valid"}]
