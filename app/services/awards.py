"""Awards: issued when a learner meets a micro-credential's criteria, or a pathway's.

`evaluate(user_id)` is run after a course completes or an attempt is graded.
It issues what the learner has newly earned, once: the database holds one
award per learner and micro-credential (or pathway), so evaluations running
at once, in one process or several, end with one award. Awards expire by
their micro-credential's validity, and the issuer's admins revoke them.
"""

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from app.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthenticated
from app.models import (
    Attempt,
    Award,
    Credit,
    Enrollment,
    LearnerProfile,
    MicroCredential,
    MicroCredentialCriterion,
    Organization,
    Pathway,
    PathwayMicroCredential,
)
from app.models.credentials import AwardKind
from app.models.enums import ContentStatus, CriterionKind, EnrollmentStatus, StackRule

# enrollments runs evaluate() after a completion, so each imports the other
# as a module and looks its functions up when called.
from app.services import enrollments as learning
from app.services import open_badges, periods, signing, status_lists
from app.services.query import parse_id
from permissions import ALL, Action, Principal, PrincipalKind, authorize, organizations

logger = logging.getLogger("lexstack.credentials")

AWARDS = "awards"
VALID, EXPIRED, REVOKED = "valid", "expired", "revoked"
MAX_REASON = 500


def now() -> dt.datetime:
    """The time of issuance; scenario tests set it to a known moment."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def state_of(award: Award, at: dt.datetime | None = None) -> str:
    """valid, expired (past its validUntil) or revoked."""
    if award.revoked is not None:
        return REVOKED
    moment = at or dt.datetime.now(dt.UTC)
    if award.valid_until is not None and award.valid_until <= moment:
        return EXPIRED
    return VALID


def credential_url(award: Award) -> str:
    return open_badges.credential_url(award.pk)


def linkedin_url(award: Award, issuer_name: str) -> str:
    """LinkedIn's "add to profile" link, filled in with the award."""
    query: dict[str, Any] = {
        "startTask": "CERTIFICATION_NAME",
        "name": award.title,
        "organizationName": issuer_name,
        "issueYear": award.valid_from.year,
        "issueMonth": award.valid_from.month,
        "certUrl": credential_url(award),
        "certId": str(award.pk),
    }
    if award.valid_until is not None:
        query["expirationYear"] = award.valid_until.year
        query["expirationMonth"] = award.valid_until.month
    return "https://www.linkedin.com/profile/add?" + urlencode(query)


# --- evaluation -------------------------------------------------------------


async def evaluate(user_id: Any) -> list[Award]:
    """Issue every micro-credential and pathway the learner has newly earned."""
    user_key = parse_id(user_id)
    profile = await LearnerProfile.get_or_none(user_id=user_key)
    if profile is None:
        return []
    enrollments = {e.course_id: e for e in await Enrollment.filter(user_id=user_key)}
    if not enrollments:
        return []

    issued = []
    for micro_credential in await _candidates(user_key, list(enrollments)):
        award = await _try_micro_credential(micro_credential, profile, enrollments)
        if award is not None:
            issued.append(award)
    for pathway in await _candidate_pathways(user_key):
        award = await _try_pathway(pathway, profile)
        if award is not None:
            issued.append(award)
    return issued


async def after_learning(user_id: Any) -> list[Award]:
    """Evaluate after a completion or a graded attempt, which already stand.

    What the learner did is committed before this runs; a failure to issue
    (an unreadable signing key, say) is logged and leaves it standing, and
    the next evaluation issues what is due.
    """
    try:
        return await evaluate(user_id)
    except Exception:
        logger.exception("award.evaluation_failed", extra={"user": str(user_id)})
        return []


async def _candidates(user_id: uuid.UUID, courses: list[Any]) -> list[MicroCredential]:
    """Published micro-credentials with a criterion on a course the learner took."""
    held = await Award.filter(
        user_id=user_id, micro_credential_id__isnull=False
    ).values_list("micro_credential_id", flat=True)
    ids = await MicroCredentialCriterion.filter(
        Q(course_id__in=courses) | Q(assessment__course_id__in=courses),
        micro_credential__status=ContentStatus.PUBLISHED,
    ).values_list("micro_credential_id", flat=True)
    wanted = set(ids) - set(held)
    return await MicroCredential.filter(id__in=wanted).order_by("title")


async def _try_micro_credential(
    micro_credential: MicroCredential,
    profile: LearnerProfile,
    enrollments: dict[Any, Enrollment],
) -> Award | None:
    criteria = await MicroCredentialCriterion.filter(
        micro_credential_id=micro_credential.pk
    ).order_by("id")
    outcomes: list[open_badges.Outcome] = []
    used: dict[Any, Enrollment] = {}
    documents: dict[Any, dict[str, Any]] = {}
    for criterion in criteria:
        met = await _met(criterion, enrollments, documents)
        if met is None:
            return None
        outcome, enrollment = met
        outcomes.append(outcome)
        used[enrollment.pk] = enrollment
    if not outcomes:
        # No criteria, nothing to meet: such a credential is never earned.
        return None

    achievement = open_badges.Achievement(
        id=f"urn:uuid:{micro_credential.pk}",
        name=micro_credential.title,
        description=micro_credential.description,
        criteria=micro_credential.criteria_narrative
        or " ".join(f"{o.name}." for o in outcomes),
        achievement_type=open_badges.MICRO_CREDENTIAL,
        outcomes=outcomes,
        alignments=_alignments([documents[e] for e in used]),
    )
    draft = Award(
        id=uuid.uuid4(),
        organization_id=micro_credential.organization_id,
        user_id=profile.user_id,
        profile_id=profile.pk,
        kind=AwardKind.MICRO_CREDENTIAL,
        micro_credential_id=micro_credential.pk,
        title=micro_credential.title,
        parts=[],
    )
    return await _issue(
        draft,
        profile,
        achievement,
        await _credits(list(used)),
        [],
        micro_credential.validity_months,
    )


async def _met(
    criterion: MicroCredentialCriterion,
    enrollments: dict[Any, Enrollment],
    documents: dict[Any, dict[str, Any]],
) -> tuple[open_badges.Outcome, Enrollment] | None:
    """How the learner met the criterion in the release they took, or None."""
    outcome_id = f"urn:uuid:{criterion.pk}"
    if criterion.kind == CriterionKind.COURSE_COMPLETED:
        enrollment = enrollments.get(criterion.course_id)
        if enrollment is None or enrollment.status != EnrollmentStatus.COMPLETED:
            return None
        document = await _document(enrollment, documents)
        name = f"Completed the course {document['title']}"
        return open_badges.Outcome(outcome_id, name), enrollment

    await criterion.fetch_related("assessment")
    enrollment = enrollments.get(criterion.assessment.course_id)
    if enrollment is None:
        return None
    document = await _document(enrollment, documents)
    assessment = next(
        (
            a
            for a in document["assessments"]
            if str(a["id"]) == str(criterion.assessment_id)
        ),
        None,
    )
    if assessment is None:
        # The release the learner took has no such assessment.
        return None
    attempts = await Attempt.filter(
        enrollment_id=enrollment.pk, assessment=criterion.assessment_id
    )
    result = learning.result_of(assessment, attempts)
    required = criterion.min_score
    if not result.passed or result.percent is None:
        return None
    if required is not None and result.percent < Decimal(required):
        return None
    name = f"Passed the assessment {assessment['title']}"
    outcome = open_badges.Outcome(
        outcome_id,
        name,
        percent=result.percent,
        required_percent=required if required is not None else assessment["pass_mark"],
    )
    return outcome, enrollment


async def _document(
    enrollment: Enrollment, documents: dict[Any, dict[str, Any]]
) -> dict[str, Any]:
    if enrollment.pk not in documents:
        documents[enrollment.pk] = await learning.document_of(enrollment)
    return documents[enrollment.pk]


def _alignments(documents: list[dict[str, Any]]) -> list[open_badges.Alignment]:
    """The practice areas of the releases studied, once each."""
    found: dict[str, open_badges.Alignment] = {}
    for document in documents:
        publisher = document.get("organization", {}).get("name", "")
        for link in document.get("practice_areas", []):
            area = link["practice_area"]
            found[str(area["id"])] = open_badges.Alignment(
                name=area["name"],
                url=f"{signing.base_url()}/practice-areas/{area['id']}",
                code=area["slug"],
                framework=f"{publisher} practice areas",
            )
    return sorted(found.values(), key=lambda a: a.code)


async def _credits(enrollment_ids: list[Any]) -> dict[tuple[str, str], Decimal]:
    """Credit hours the enrollments earned, by jurisdiction and category."""
    totals: dict[tuple[str, str], Decimal] = {}
    rows = await Credit.filter(enrollment_id__in=enrollment_ids).prefetch_related(
        "jurisdiction"
    )
    for row in rows:
        key = (row.jurisdiction.code, row.category.value)
        totals[key] = totals.get(key, Decimal(0)) + row.hours
    return totals


async def _candidate_pathways(user_id: uuid.UUID) -> list[Pathway]:
    held = await Award.filter(user_id=user_id, pathway_id__isnull=False).values_list(
        "pathway_id", flat=True
    )
    mine = await Award.filter(
        user_id=user_id, micro_credential_id__isnull=False
    ).values_list("micro_credential_id", flat=True)
    ids = await PathwayMicroCredential.filter(
        micro_credential_id__in=mine, pathway__status=ContentStatus.PUBLISHED
    ).values_list("pathway_id", flat=True)
    return await Pathway.filter(id__in=set(ids) - set(held)).order_by("title")


async def _try_pathway(pathway: Pathway, profile: LearnerProfile) -> Award | None:
    """Award the pathway if the learner's valid awards meet its stack rule."""
    members = await PathwayMicroCredential.filter(pathway_id=pathway.pk).order_by(
        "sort", "id"
    )
    wanted = [m.micro_credential_id for m in members]
    held = {
        a.micro_credential_id: a
        for a in await Award.filter(
            user_id=profile.user_id, micro_credential_id__in=wanted
        )
        if state_of(a) == VALID
    }
    parts = [held[m] for m in wanted if m in held]
    needed = len(wanted) if pathway.rule == StackRule.ALL_OF else pathway.required_count
    if not wanted or not needed or len(parts) < needed:
        return None

    named = dict(await MicroCredential.filter(id__in=wanted).values_list("id", "title"))
    titles = "; ".join(named[m] for m in wanted)
    rule = "all of" if pathway.rule == StackRule.ALL_OF else f"{needed} of"
    achievement = open_badges.Achievement(
        id=f"urn:uuid:{pathway.pk}",
        name=pathway.title,
        description=pathway.description,
        criteria=f"Earn {rule} these micro-credentials: {titles}.",
        achievement_type=open_badges.CERTIFICATE,
        alignments=_merged_alignments(parts),
    )
    draft = Award(
        id=uuid.uuid4(),
        organization_id=pathway.organization_id,
        user_id=profile.user_id,
        profile_id=profile.pk,
        kind=AwardKind.PATHWAY,
        pathway_id=pathway.pk,
        title=pathway.title,
        parts=[str(p.pk) for p in parts],
    )
    # Credit counted by enrollment: a course under two parts earned it once.
    credits = await _credits(await _enrollments_behind(parts))
    evidence = [
        open_badges.Part(credential_url(p), p.title, p.valid_from) for p in parts
    ]
    return await _issue(
        draft, profile, achievement, credits, evidence, pathway.validity_months
    )


def _merged_alignments(parts: list[Award]) -> list[open_badges.Alignment]:
    found: dict[str, open_badges.Alignment] = {}
    for part in parts:
        achievement = part.credential["credentialSubject"]["achievement"]
        for a in achievement.get("alignment", []):
            found[a["targetUrl"]] = open_badges.Alignment(
                a["targetName"], a["targetUrl"], a["targetCode"], a["targetFramework"]
            )
    return sorted(found.values(), key=lambda a: a.code)


async def _enrollments_behind(parts: list[Award]) -> list[Any]:
    """The enrollments whose results the parts were awarded for."""
    criteria = await MicroCredentialCriterion.filter(
        micro_credential_id__in=[p.micro_credential_id for p in parts]
    ).prefetch_related("assessment")
    courses = {
        c.course_id
        if c.kind == CriterionKind.COURSE_COMPLETED
        else c.assessment.course_id
        for c in criteria
    }
    user_id = parts[0].user_id
    return await Enrollment.filter(user_id=user_id, course_id__in=courses).values_list(
        "id", flat=True
    )


async def _issue(
    draft: Award,
    profile: LearnerProfile,
    achievement: open_badges.Achievement,
    credits: dict[tuple[str, str], Decimal],
    parts: list[open_badges.Part],
    validity_months: int | None,
) -> Award | None:
    """Sign and store the award; None if a concurrent evaluation issued it first."""
    organization = await Organization.get(id=draft.organization_id)
    issuer = open_badges.Issuer(
        organization.pk,
        organization.name,
        organization.website,
        organization.description,
    )
    draft.valid_from = now()
    draft.valid_until = (
        periods.add_months(draft.valid_from, validity_months)
        if validity_months
        else None
    )
    # Made outside the transaction: a first key or list is never made in one.
    await signing.active_key(organization.pk)

    def credential_of(status: dict[str, Any]) -> dict[str, Any]:
        return open_badges.credential(
            award_id=draft.pk,
            issuer=issuer,
            subject_id=f"urn:uuid:{profile.user_id}",
            learner_name=f"{profile.first_name} {profile.last_name}",
            achievement=achievement,
            credits=credits,
            parts=parts,
            valid_from=draft.valid_from,
            valid_until=draft.valid_until,
            status=status,
        )

    try:
        stored = await _store(draft, credential_of)
    except IntegrityError:
        if await _already_held(draft):
            return None
        raise
    logger.info(
        "award.issued",
        extra={
            "award": str(stored.pk),
            "kind": stored.kind.value,
            "organization": str(stored.organization_id),
            "status_list": str(stored.status_list),
        },
    )
    return stored


async def _store(
    draft: Award, credential_of: Callable[[dict[str, Any]], dict[str, Any]]
) -> Award:
    for _ in range(3):
        status_list = await status_lists.with_room(draft.organization_id)
        async with in_transaction():
            index = await status_lists.claim(status_list)
            if index is not None:
                draft.status_list, draft.status_index = status_list.pk, index
                credential = credential_of(status_lists.entry(status_list, index))
                token, key = await signing.sign_credential(
                    draft.organization_id, credential
                )
                draft.credential, draft.jwt, draft.signing_key = (
                    credential,
                    token,
                    key.pk,
                )
                await draft.save()
                return draft
    raise Conflict("The issuer's status lists are filling faster than they open.")


async def _already_held(draft: Award) -> bool:
    if draft.kind == AwardKind.MICRO_CREDENTIAL:
        return await Award.exists(
            user_id=draft.user_id, micro_credential_id=draft.micro_credential_id
        )
    return await Award.exists(user_id=draft.user_id, pathway_id=draft.pathway_id)


async def evaluate_for(principal: Principal, user_id: Any = None) -> list[Award]:
    """Evaluate the caller's own awards, or, for a firm's admins, a lawyer's."""
    if principal.kind is not PrincipalKind.USER and not principal.is_system:
        raise Forbidden("Only signed-in users have awards evaluated.")
    target = parse_id(user_id) if user_id is not None else principal.id
    if target != principal.id:
        profile = await LearnerProfile.get_or_none(user_id=target)
        if profile is None:
            raise NotFound(f"No learner profile for user {user_id}.")
        authorize(
            principal,
            Action.MANAGE_LEARNERS,
            "learner_profiles",
            profile.organization_id,
        )
    await evaluate(target)
    return await Award.filter(user_id=target).order_by("valid_from", "title")


# --- revocation and reading -------------------------------------------------


async def revoke(principal: Principal, award_id: Any, reason: str) -> Award:
    """Revoke the award, with the reason, and republish the issuer's status list."""
    award = await Award.get_or_none(id=parse_id(award_id))
    if award is None:
        raise NotFound(f"No award with id {award_id}.")
    authorize(principal, Action.REVOKE, AWARDS, award.organization_id)
    cleaned = " ".join((reason or "").split())
    if not cleaned or len(cleaned) > MAX_REASON:
        raise InvalidInput(f"A reason is required, at most {MAX_REASON} characters.")

    moment = dt.datetime.now(dt.UTC)
    async with in_transaction():
        done = await Award.filter(id=award.pk, revoked__isnull=True).update(
            revoked=moment, revoked_reason=cleaned, revoked_by=principal.id
        )
        if not done:
            raise Conflict("This award is already revoked.")
        await status_lists.publish(award.status_list)
    await award.refresh_from_db()
    logger.info(
        "award.revoked",
        extra={"award": str(award.pk), "status_list": str(award.status_list)},
    )
    return award


def _firm_reads(principal: Principal, profile_organization: Any) -> bool:
    """Whether the principal is an admin of the learner's firm (or above)."""
    try:
        authorize(principal, Action.READ, "learner_profiles", profile_organization)
    except Forbidden:
        return False
    return True


async def readable(principal: Principal, award_id: Any) -> Award:
    """The award, for its learner, their firm's admins and the issuer's admins.

    Anyone else gets NOT_FOUND: whether someone holds an award is told by
    its public URL to those who have it, never by guessing ids here.
    """
    award = await Award.get_or_none(id=parse_id(award_id))
    if award is None:
        raise NotFound(f"No award with id {award_id}.")
    if principal.kind is PrincipalKind.USER and principal.id == award.user_id:
        return award
    issuers = organizations(principal, Action.READ, AWARDS)
    if issuers is ALL or award.organization_id in issuers:
        return award
    profile = await LearnerProfile.get(id=award.profile_id)
    if _firm_reads(principal, profile.organization_id):
        return award
    raise NotFound(f"No award with id {award_id}.")


async def listed(
    principal: Principal, user_id: Any = None, organization_id: Any = None
) -> list[Award]:
    """Awards the principal may see: their own, a lawyer's, or an issuer's.

    Without arguments, the caller's own. With `user_id`, that learner's, for
    the learner, their firm's admins, or (only what it issued) an issuer's
    admins. With `organization_id`, what that organization issued, for its
    admins; both together narrow to one learner.
    """
    if principal.is_anonymous:
        raise Unauthenticated("Sign in to see awards.")
    query = Award.all()
    if organization_id is not None:
        issuer = parse_id(organization_id)
        authorize(principal, Action.READ, AWARDS, issuer)
        query = query.filter(organization_id=issuer)
        if user_id is not None:
            query = query.filter(user_id=parse_id(user_id))
    elif user_id is None or parse_id(user_id) == principal.id:
        if principal.kind is not PrincipalKind.USER:
            raise Forbidden("Only a signed-in user holds awards.")
        query = query.filter(user_id=principal.id)
    else:
        target = parse_id(user_id)
        query = query.filter(user_id=target)
        profile = await LearnerProfile.get_or_none(user_id=target)
        firm = profile is not None and _firm_reads(principal, profile.organization_id)
        if not firm:
            issuers = organizations(principal, Action.READ, AWARDS)
            if not issuers and issuers is not ALL:
                raise NotFound("No learner profile for this user.")
            if issuers is not ALL:
                query = query.filter(organization_id__in=list(issuers))
    return await query.order_by("valid_from", "title", "id")
