"""Learner profiles and bar admissions: who a lawyer is to the bars they report to."""

import datetime as dt
import logging
import re
from typing import Any

from tortoise.transactions import in_transaction

from app.errors import Forbidden, InvalidInput, NotFound
from app.models import BarAdmission, Credit, Jurisdiction, LearnerProfile, User
from app.services.query import parse_id
from permissions import Action, Principal, PrincipalKind, authorize, policies

logger = logging.getLogger("lexstack.learning")

PROFILES = "learner_profiles"
_BAR_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]{0,39}$")
EARLIEST_DATE = dt.date(1900, 1, 1)


def _may_manage(principal: Principal, user_id: Any, organization_id: Any) -> None:
    """A learner keeps their own profile; a firm's admins keep their lawyers'."""
    if principal.kind is not PrincipalKind.USER and not principal.is_system:
        raise Forbidden("Only signed-in users keep learner profiles.")
    if principal.id is not None and principal.id == user_id:
        try:
            authorize(principal, Action.MANAGE_OWN, PROFILES, organization_id)
            return
        except Forbidden:
            pass
    authorize(principal, Action.MANAGE_LEARNERS, PROFILES, organization_id)


def _name(value: str, field: str) -> str:
    cleaned = " ".join((value or "").split())
    if not cleaned or len(cleaned) > 100:
        raise InvalidInput(f"{field} is required, at most 100 characters.")
    return cleaned


def _past_date(value: dt.date | None, field: str) -> None:
    if value is None:
        return
    if not EARLIEST_DATE <= value <= dt.date.today():
        raise InvalidInput(f"{field} must be a past date after 1900.")


async def save_profile(
    principal: Principal,
    *,
    organization_id: Any,
    first_name: str,
    last_name: str,
    birth_date: dt.date | None = None,
    user_id: Any = None,
) -> LearnerProfile:
    """Create or change a learner's profile at their firm."""
    user_key = parse_id(user_id) if user_id is not None else principal.id
    org_key = parse_id(organization_id)
    _may_manage(principal, user_key, org_key)
    first, last = _name(first_name, "first_name"), _name(last_name, "last_name")
    _past_date(birth_date, "birth_date")
    if user_key not in policies.members(org_key) or not await User.exists(id=user_key):
        raise NotFound("No such member of this organization.")

    async with in_transaction():
        profile = (
            await LearnerProfile.filter(user_id=user_key).select_for_update().first()
        )
        if profile is not None and profile.organization_id != org_key:
            # Records stay with the firm they were earned at, so a profile
            # never moves to another firm.
            raise InvalidInput("This learner's profile belongs to another firm.")
        if profile is None:
            profile = LearnerProfile(
                user_id=user_key, organization_id=org_key, user_created=principal.id
            )
        profile.first_name, profile.last_name = first, last
        profile.birth_date = birth_date
        profile.user_updated = principal.id
        await profile.save()
    logger.info("learner_profile.saved", extra={"profile": str(profile.pk)})
    return profile


async def readable_profile(
    principal: Principal, user_id: Any, collection: str
) -> LearnerProfile:
    """A learner's profile (the caller's own without `user_id`), for the learner
    and for whoever the policies let read `collection` at the learner's firm.

    NotFound when there is no profile, Forbidden when the caller may not read it.
    """
    user_key = parse_id(user_id) if user_id is not None else principal.id
    profile = (
        await LearnerProfile.get_or_none(user_id=user_key)
        if user_key is not None
        else None
    )
    if profile is None:
        raise NotFound("No learner profile for this user.")
    if principal.kind is not PrincipalKind.USER or principal.id != user_key:
        authorize(principal, Action.READ, collection, profile.organization_id)
    return profile


async def _profile_for(principal: Principal, user_id: Any) -> LearnerProfile:
    user_key = parse_id(user_id) if user_id is not None else principal.id
    profile = await LearnerProfile.get_or_none(user_id=user_key)
    if profile is None:
        raise NotFound("This user has no learner profile; save_learner_profile first.")
    _may_manage(principal, user_key, profile.organization_id)
    return profile


async def save_admission(
    principal: Principal,
    *,
    jurisdiction: str,
    admitted_on: dt.date,
    bar_number: str | None = None,
    last_name_at_admission: str | None = None,
    cycle_ends_on: dt.date | None = None,
    user_id: Any = None,
) -> BarAdmission:
    """Record, or correct, a learner's admission to a jurisdiction's bar."""
    profile = await _profile_for(principal, user_id)
    found = await Jurisdiction.get_or_none(code__iexact=(jurisdiction or "").strip())
    if found is None:
        raise NotFound(f"No jurisdiction with code {jurisdiction!r}.")
    _past_date(admitted_on, "admitted_on")
    if profile.birth_date is not None and admitted_on <= profile.birth_date:
        raise InvalidInput("admitted_on must come after the learner's birth_date.")
    if bar_number is not None and not _BAR_NUMBER.match(bar_number.strip()):
        raise InvalidInput(
            "bar_number is letters, digits, spaces, dots, slashes and dashes, "
            "at most 40."
        )
    last_name = (
        _name(last_name_at_admission, "last_name_at_admission")
        if last_name_at_admission
        else None
    )

    async with in_transaction():
        admission = (
            await BarAdmission.filter(profile=profile, jurisdiction=found)
            .select_for_update()
            .first()
        )
        if admission is None:
            admission = BarAdmission(
                profile=profile,
                jurisdiction=found,
                user_id=profile.user_id,
                organization_id=profile.organization_id,
                user_created=principal.id,
            )
        admission.admitted_on = admitted_on
        admission.bar_number = bar_number.strip() if bar_number else None
        admission.last_name_at_admission = last_name
        admission.cycle_ends_on = cycle_ends_on
        admission.user_updated = principal.id
        await admission.save()
    logger.info(
        "bar_admission.saved",
        extra={"admission": str(admission.pk), "jurisdiction": found.code},
    )
    return admission


async def remove_admission(principal: Principal, admission_id: Any) -> bool:
    """Remove an admission recorded in error; one that earned credit stays."""
    admission = await BarAdmission.get_or_none(id=parse_id(admission_id))
    if admission is None:
        raise NotFound(f"No bar admission with id {admission_id}.")
    try:
        _may_manage(principal, admission.user_id, admission.organization_id)
    except Forbidden as exc:
        raise NotFound(f"No bar admission with id {admission_id}.") from exc
    if await Credit.exists(admission_id=admission.pk):
        raise InvalidInput(
            "This admission has earned credit, which stays on record; "
            "it cannot be removed."
        )
    await admission.delete()
    return True
