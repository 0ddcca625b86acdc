"""Awards issued by the learning flow: once each, pathways on their stack rule."""

import asyncio
from urllib.parse import parse_qs, urlsplit

from app.models import Award, Credit
from app.models.credentials import AwardKind
from app.services import awards
from tests import factories
from tests.credentials.conftest import (
    PUBLIC_URL,
    earned,
    learn,
    micro_credential,
    quiz_course,
)


async def test_passing_the_quiz_issues_the_micro_credential_once(scene, ob3):
    award = await earned(scene)

    again = await awards.evaluate(scene.learner.pk)
    held = await Award.filter(user_id=scene.learner.pk)

    assert again == []
    assert [a.pk for a in held] == [award.pk]
    assert award.kind is AwardKind.MICRO_CREDENTIAL
    assert award.organization_id == scene.publisher.pk
    assert awards.state_of(award) == "valid"
    credential = award.credential
    assert list(ob3.iter_errors(credential)) == []
    assert credential["@context"][:2] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == f"{PUBLIC_URL}/credentials/{award.pk}"
    assert credential["issuer"] == {
        "id": f"{PUBLIC_URL}/issuers/{scene.publisher.pk}",
        "type": ["Profile"],
        "name": "Lexcel CLE",
        "url": "https://lexcel.example",
    }
    subject = credential["credentialSubject"]
    assert subject["id"] == f"urn:uuid:{scene.learner.pk}"
    assert subject["identifier"][0]["identityHash"] == "Lee Lovelace"
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert achievement["name"] == "GDPR Practitioner"
    assert subject["result"] == [
        {
            "type": ["Result"],
            "resultDescription": achievement["resultDescription"][0]["id"],
            "value": "100.00",
        }
    ]
    # The credit the course earned travels as an extension term.
    assert subject["cleCredits"] == [
        {
            "type": "CleCredit",
            "jurisdiction": "US-NY",
            "category": "ethics",
            "hours": 1.5,
        }
    ]
    assert await Credit.filter(user_id=scene.learner.pk).count() == 1
    assert "email" not in str(credential) and "@hartwell" not in str(credential)


async def test_failing_the_quiz_issues_nothing(scene):
    await learn(scene.student, scene.privacy, right=False)

    assert await Award.filter(user_id=scene.learner.pk).count() == 0


async def test_concurrent_evaluations_end_with_one_award(scene):
    await learn(scene.student, scene.privacy)
    await Award.filter(user_id=scene.learner.pk).delete()

    results = await asyncio.gather(
        *(awards.evaluate(scene.learner.pk) for _ in range(6))
    )

    issued = [a for result in results for a in result]
    assert len(issued) == 1
    held = await Award.filter(user_id=scene.learner.pk)
    assert [a.pk for a in held] == [issued[0].pk]
    # Every award holds an index of its own in the issuer's status list.
    assert held[0].status_index >= 0


async def _pathway(scene, rule: str, required: int | None, *parts):
    pathway = await factories.make(
        "pathways",
        organization=scene.publisher,
        title="Privacy Counsel",
        slug=f"privacy-counsel-{rule}",
        description="Stacks the privacy credentials.",
        rule=rule,
        required_count=required,
        status="published",
    )
    for sort, part in enumerate(parts, start=1):
        await factories.make(
            "pathways_micro_credentials",
            pathway=pathway,
            micro_credential=part,
            sort=sort,
        )
    return pathway


async def test_an_all_of_pathway_is_awarded_when_every_part_is_held(scene, ob3):
    breach = await quiz_course(scene.publisher, "Breach Response")
    second = await micro_credential(
        scene.publisher, "breach-response", "Breach Response", breach
    )
    pathway = await _pathway(scene, "all_of", None, scene.badge, second)

    first = await earned(scene)
    halfway = await Award.filter(user_id=scene.learner.pk, pathway_id=pathway.pk)
    await learn(scene.student, breach)

    assert halfway == []
    parts = {
        a.micro_credential_id: a
        for a in await Award.filter(
            user_id=scene.learner.pk, micro_credential_id__isnull=False
        )
    }
    assert set(parts) == {scene.badge.pk, second.pk}
    stacked = await Award.get(user_id=scene.learner.pk, pathway_id=pathway.pk)
    assert stacked.kind is AwardKind.PATHWAY
    assert stacked.parts == [str(first.pk), str(parts[second.pk].pk)]
    credential = stacked.credential
    assert list(ob3.iter_errors(credential)) == []
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Certificate"
    assert achievement["name"] == "Privacy Counsel"
    assert "GDPR Practitioner" in achievement["criteria"]["narrative"]
    assert [e["id"] for e in credential["evidence"]] == [
        f"{PUBLIC_URL}/credentials/{first.pk}",
        f"{PUBLIC_URL}/credentials/{parts[second.pk].pk}",
    ]
    assert [e["name"] for e in credential["evidence"]] == [
        "GDPR Practitioner",
        "Breach Response",
    ]
    # Both courses' credit, each counted once.
    assert credential["credentialSubject"]["cleCredits"] == [
        {
            "type": "CleCredit",
            "jurisdiction": "US-NY",
            "category": "ethics",
            "hours": 3.0,
        }
    ]
    assert await awards.evaluate(scene.learner.pk) == []


async def test_an_n_of_pathway_needs_only_its_count(scene):
    breach = await quiz_course(scene.publisher, "Breach Response")
    second = await micro_credential(
        scene.publisher, "breach-response", "Breach Response", breach
    )
    ai = await quiz_course(scene.publisher, "AI Governance")
    third = await micro_credential(scene.publisher, "ai-governance", "AI", ai)
    pathway = await _pathway(scene, "n_of", 2, scene.badge, second, third)

    await earned(scene)
    after_one = await Award.exists(user_id=scene.learner.pk, pathway_id=pathway.pk)
    await learn(scene.student, ai)

    assert after_one is False
    stacked = await Award.get(user_id=scene.learner.pk, pathway_id=pathway.pk)
    assert len(stacked.parts) == 2
    assert (
        "2 of"
        in stacked.credential["credentialSubject"]["achievement"]["criteria"][
            "narrative"
        ]
    )


async def test_linkedin_link_fills_in_the_award(scene):
    award = await earned(scene)

    link = urlsplit(awards.linkedin_url(award, "Lexcel CLE"))
    params = {k: v[0] for k, v in parse_qs(link.query).items()}

    assert (link.scheme, link.netloc, link.path) == (
        "https",
        "www.linkedin.com",
        "/profile/add",
    )
    assert params == {
        "startTask": "CERTIFICATION_NAME",
        "name": "GDPR Practitioner",
        "organizationName": "Lexcel CLE",
        "issueYear": str(award.valid_from.year),
        "issueMonth": str(award.valid_from.month),
        "certUrl": f"{PUBLIC_URL}/credentials/{award.pk}",
        "certId": str(award.pk),
    }
