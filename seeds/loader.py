"""Load seeds idempotently: find each row by its natural key, then create or update.

Rows go through the same item services as the API, with lexstack itself as
the principal, so seeds obey every check an editor's change would. A second
run finds every row as it is and writes nothing.
"""

import copy
import datetime as dt
import logging
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from tortoise.models import Model
from tortoise.transactions import in_transaction

from app.models import (
    BarAdmission,
    ChannelToken,
    Course,
    LearnerProfile,
    Module,
    Organization,
    Release,
    User,
)
from app.models.enums import EnrollmentStatus
from app.services import (
    attempts,
    collections,
    enrollments,
    identity,
    items,
    learners,
    publishing,
)
from app.services.auth import Auth, digest, user_principal
from app.services.collections import Kind
from permissions import SYSTEM, policies

logger = logging.getLogger("lexstack.seeds")

SEEDS_DIR = Path(__file__).parent
REFERENCE_DIR = SEEDS_DIR / "reference"
DEMO_DIR = SEEDS_DIR / "demo"


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_collection: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return self.created + self.updated


class Loader:
    def __init__(self) -> None:
        self.tally = Tally()

    async def upsert(
        self, collection_name: str, key: dict[str, Any], values: dict[str, Any]
    ) -> Model:
        """The row with this natural key, made to hold these values."""
        collection = collections.get(collection_name)
        lookup = {
            (f"{k}_id" if k in collection.many_to_one else k): _key(v)
            for k, v in key.items()
        }
        existing = await collection.model.filter(**lookup).first()
        data = {k: _key(v) for k, v in {**key, **values}.items()}
        if existing is None:
            (item,) = await items.create_items(collection, [data], SYSTEM)
            self.tally.created += 1
            self.tally.by_collection[collection_name] = (
                self.tally.by_collection.get(collection_name, 0) + 1
            )
            return item
        changes = {
            name: value
            for name, value in data.items()
            if _differs(collection, existing, name, value)
        }
        if not changes:
            self.tally.unchanged += 1
            return existing
        (item,) = await items.update_items(collection, [existing.pk], changes, SYSTEM)
        self.tally.updated += 1
        return item


def _key(value: Any) -> Any:
    return value.pk if isinstance(value, Model) else value


def _differs(
    collection: collections.Collection, item: Model, name: str, new: Any
) -> bool:
    if name in collection.many_to_one:
        current = getattr(item, collection.many_to_one[name].column)
        return str(current) != str(new) if new is not None else current is not None
    spec = collection.fields[name]
    current = collections.value_of(item, name)
    if new is None or current is None:
        return new is not current
    if spec.kind is Kind.DECIMAL:
        return Decimal(str(current)) != Decimal(str(new))
    if spec.kind in (Kind.DATE, Kind.DATETIME):
        return current.isoformat() != str(new)
    return current != new


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


async def load_reference(loader: Loader) -> None:
    """The regulators and their MCLE rules, from seeds/reference."""
    for path in sorted((REFERENCE_DIR / "jurisdictions").glob("*.toml")):
        doc = _read(path)
        org = doc["organization"]
        regulator = await loader.upsert(
            "organizations", {"slug": org["slug"]}, _without(org, "slug")
        )
        spec = doc["jurisdiction"]
        jurisdiction = await loader.upsert(
            "jurisdictions",
            {"code": spec["code"]},
            {**_without(spec, "code"), "organization": regulator},
        )
        for row in doc.get("requirements", []):
            key = {
                "jurisdiction": jurisdiction,
                "kind": row["kind"],
                "category": row["category"],
                "audience": row.get("audience", "all"),
                "delivery": row.get("delivery", "any"),
                "effective_from": row.get("effective_from"),
            }
            await loader.upsert(
                "requirements", key, {**_without(row, *key), "hours": row["hours"]}
            )


async def load_demo(loader: Loader) -> None:
    """Publishers, firms, the course catalogue and its credentials, from seeds/demo."""
    organizations = {}
    for org in _read(DEMO_DIR / "organizations.toml")["organizations"]:
        organizations[org["slug"]] = await loader.upsert(
            "organizations", {"slug": org["slug"]}, _without(org, "slug")
        )
    areas: dict[tuple[str, str], Model] = {}
    for area in _read(DEMO_DIR / "practice_areas.toml")["practice_areas"]:
        org = organizations[area["organization"]]
        areas[(area["organization"], area["slug"])] = await loader.upsert(
            "practice_areas",
            {"organization": org, "slug": area["slug"]},
            _without(area, "organization", "slug"),
        )
    jurisdictions = {
        j.code: j for j in await collections.get("jurisdictions").model.all()
    }
    courses: dict[tuple[str, str], Model] = {}
    assessments: dict[tuple[str, str, str], Model] = {}
    for path in sorted((DEMO_DIR / "courses").glob("*.toml")):
        doc = _read(path)
        released = await Release.filter(
            course__organization=organizations[doc["organization"]],
            course__slug=doc["slug"],
        ).exists()
        # Editors' unpublished changes are in the working copy once the
        # course has been released without them.
        working = _drafted(doc) if released else _without(doc, "draft")
        course, seeded = await _course(
            loader, working, organizations, areas, jurisdictions
        )
        if doc.get("status") == "published":
            await _release(loader, course, doc)
        courses[(doc["organization"], doc["slug"])] = course
        for title, assessment in seeded.items():
            assessments[(doc["organization"], doc["slug"], title)] = assessment
    credentials = DEMO_DIR / "credentials.toml"
    if credentials.exists():
        await _credentials(
            loader, _read(credentials), organizations, courses, assessments
        )


async def _course(
    loader: Loader,
    doc: dict[str, Any],
    organizations: dict[str, Model],
    areas: dict[tuple[str, str], Model],
    jurisdictions: dict[str, Model],
) -> tuple[Model, dict[str, Model]]:
    """A course with its parts and approvals; also its assessments by title."""
    org = organizations[doc["organization"]]
    # Status is the workflow's to set: published courses go through review
    # and release below, as an editor's would.
    fields = _without(
        doc,
        "organization",
        "slug",
        "status",
        "practice_areas",
        "modules",
        "assessments",
        "approvals",
    )
    course = await loader.upsert(
        "courses", {"organization": org, "slug": doc["slug"]}, fields
    )
    for slug in doc.get("practice_areas", []):
        area = areas[(doc["organization"], slug)]
        await loader.upsert(
            "courses_practice_areas", {"course": course, "practice_area": area}, {}
        )
    modules = []
    for m_index, module_doc in enumerate(doc.get("modules", []), start=1):
        module = await loader.upsert(
            "modules",
            {"course": course, "sort": m_index},
            _without(module_doc, "lessons"),
        )
        modules.append(module)
        for l_index, lesson in enumerate(module_doc.get("lessons", []), start=1):
            await loader.upsert("lessons", {"module": module, "sort": l_index}, lesson)
    seeded = {}
    for a_index, a_doc in enumerate(doc.get("assessments", []), start=1):
        values = _without(a_doc, "title", "questions", "module")
        values["sort"] = a_index
        if "module" in a_doc:
            values["module"] = modules[a_doc["module"] - 1]
        assessment = await loader.upsert(
            "assessments", {"course": course, "title": a_doc["title"]}, values
        )
        seeded[a_doc["title"]] = assessment
        for q_index, q_doc in enumerate(a_doc.get("questions", []), start=1):
            question = await loader.upsert(
                "questions",
                {"assessment": assessment, "sort": q_index},
                _without(q_doc, "choices"),
            )
            for c_index, choice in enumerate(q_doc.get("choices", []), start=1):
                await loader.upsert(
                    "choices", {"question": question, "sort": c_index}, choice
                )
    for a_doc in doc.get("approvals", []):
        jurisdiction = jurisdictions[a_doc["jurisdiction"]]
        approval = await loader.upsert(
            "approvals",
            {
                "course": course,
                "jurisdiction": jurisdiction,
                "valid_from": a_doc["valid_from"],
            },
            {
                **_without(a_doc, "jurisdiction", "valid_from", "credits"),
                "organization": org,
            },
        )
        for category, hours in a_doc.get("credits", {}).items():
            await loader.upsert(
                "approval_credits",
                {"approval": approval, "category": category},
                {"hours": hours},
            )
    return course, seeded


async def _release(loader: Loader, course: Model, doc: dict[str, Any]) -> None:
    """Publish the course as its seed file has it, unless that is released already.

    A seed file's `draft` holds changes its editors have made since: they
    stay in the working copy, unpublished, and are set aside while the
    published text is compared or released.
    """
    tree = await publishing.working_tree(course)
    document = publishing.release_document(_undrafted(tree, doc))
    latest = await Release.filter(course=course).order_by("-version").first()
    if latest is not None and latest.content_hash == publishing.content_hash(document):
        loader.tally.unchanged += 1
        return
    draft = doc.get("draft")
    if draft:
        await _apply_draft(loader, course, doc, draft, published=True)
    review = await publishing.submit(SYSTEM, course.pk, "Demo catalogue")
    await publishing.decide(SYSTEM, review.pk, approve=True, comment=None)
    await publishing.publish(SYSTEM, course.pk, "Demo catalogue edition")
    loader.tally.created += 1
    if draft:
        await _apply_draft(loader, course, doc, draft, published=False)


def _drafted(doc: dict[str, Any]) -> dict[str, Any]:
    """The course as its editors have it: the published text and the draft."""
    draft = doc.get("draft")
    merged = copy.deepcopy(_without(doc, "draft"))
    if not draft:
        return merged
    merged.update(_without(draft, "lessons"))
    for change in draft.get("lessons", []):
        lesson = merged["modules"][change["module"] - 1]["lessons"][
            change["lesson"] - 1
        ]
        lesson.update(_without(change, "module", "lesson"))
    return merged


def _undrafted(tree: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    """A working tree with the draft's changes put back as published."""
    draft = doc.get("draft")
    if not draft:
        return tree
    tree = copy.deepcopy(tree)
    for name in _without(draft, "lessons"):
        tree[name] = doc.get(name)
    for change in draft.get("lessons", []):
        published = doc["modules"][change["module"] - 1]["lessons"][
            change["lesson"] - 1
        ]
        lesson = tree["modules"][change["module"] - 1]["lessons"][change["lesson"] - 1]
        for name in _without(change, "module", "lesson"):
            lesson[name] = published.get(name)
    return tree


async def _apply_draft(
    loader: Loader,
    course: Model,
    doc: dict[str, Any],
    draft: dict[str, Any],
    *,
    published: bool,
) -> None:
    """Write the draft's changes to the working copy, or put them back as published."""
    fields = _without(draft, "lessons")
    if fields:
        values = {k: doc.get(k) for k in fields} if published else fields
        await loader.upsert(
            "courses",
            {"organization": course.organization_id, "slug": doc["slug"]},
            values,
        )
    for change in draft.get("lessons", []):
        module = await Module.get(course=course, sort=change["module"])
        source = doc["modules"][change["module"] - 1]["lessons"][change["lesson"] - 1]
        names = _without(change, "module", "lesson")
        values = {k: source.get(k) for k in names} if published else names
        await loader.upsert(
            "lessons", {"module": module, "sort": change["lesson"]}, values
        )


async def _credentials(
    loader: Loader,
    doc: dict[str, Any],
    organizations: dict[str, Model],
    courses: dict[tuple[str, str], Model],
    assessments: dict[tuple[str, str, str], Model],
) -> None:
    micro = {}
    for mc in doc.get("micro_credentials", []):
        org = organizations[mc["organization"]]
        credential = await loader.upsert(
            "micro_credentials",
            {"organization": org, "slug": mc["slug"]},
            _without(mc, "organization", "slug", "criteria"),
        )
        micro[(mc["organization"], mc["slug"])] = credential
        for criterion in mc.get("criteria", []):
            key: dict[str, Any] = {
                "micro_credential": credential,
                "kind": criterion["kind"],
            }
            course_key = (mc["organization"], criterion["course"])
            if criterion["kind"] == "assessment_passed":
                key["assessment"] = assessments[(*course_key, criterion["assessment"])]
            else:
                key["course"] = courses[course_key]
            values = {}
            if "min_score" in criterion:
                values["min_score"] = criterion["min_score"]
            await loader.upsert("micro_credential_criteria", key, values)
    for pathway_doc in doc.get("pathways", []):
        org = organizations[pathway_doc["organization"]]
        pathway = await loader.upsert(
            "pathways",
            {"organization": org, "slug": pathway_doc["slug"]},
            _without(pathway_doc, "organization", "slug", "micro_credentials"),
        )
        for index, slug in enumerate(pathway_doc["micro_credentials"], start=1):
            await loader.upsert(
                "pathways_micro_credentials",
                {
                    "pathway": pathway,
                    "micro_credential": micro[(pathway_doc["organization"], slug)],
                },
                {"sort": index},
            )


def _without(doc: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in names}


async def load_demo_identity(loader: Loader, auth: Auth) -> None:
    """Demo accounts with their roles, and demo channel tokens."""
    doc = _read(DEMO_DIR / "identity.toml")
    organizations = {o.slug: o for o in await Organization.all()}
    for spec in doc["users"]:
        user = await User.get_or_none(email=spec["email"])
        if user is None:
            user = await identity.create_user(
                auth,
                spec["email"],
                doc["password"],
                first_name=spec.get("first_name"),
                last_name=spec.get("last_name"),
            )
            loader.tally.created += 1
        else:
            loader.tally.unchanged += 1
        grants = [
            (grant["role"], str(organizations[grant["organization"]].pk))
            for grant in spec.get("roles", [])
        ]
        if spec.get("platform_admin"):
            grants.append(("platform_admin", "*"))
        for role, domain in grants:
            if await policies.grant(f"user:{user.pk}", role, domain):
                loader.tally.created += 1
            else:
                loader.tally.unchanged += 1
    for spec in doc.get("channel_tokens", []):
        # The channel the token reads as, with what it selects.
        await loader.upsert(
            "channels",
            {
                "organization": organizations[spec["organization"]],
                "name": spec["channel"],
            },
            {"selection": spec.get("selection")},
        )
        hashed = digest(spec["token"])
        if await ChannelToken.exists(token_hash=hashed):
            loader.tally.unchanged += 1
            continue
        await ChannelToken.create(
            organization=organizations[spec["organization"]],
            channel=spec["channel"],
            prefix=spec["token"][:12],
            token_hash=hashed,
        )
        loader.tally.created += 1


async def load_demo_learners(loader: Loader) -> None:
    """Demo lawyers' profiles and bar admissions, and the courses they finished."""
    doc = _read(DEMO_DIR / "learners.toml")
    organizations = {o.slug: o for o in await Organization.all()}
    for spec in doc["learners"]:
        user = await User.get(email=spec["email"])
        org = organizations[spec["organization"]]
        before = await LearnerProfile.get_or_none(user_id=user.pk)
        birth = dt.date.fromisoformat(spec["birth_date"])
        if before is not None and (
            before.first_name,
            before.last_name,
            before.birth_date,
        ) == (spec["first_name"], spec["last_name"], birth):
            loader.tally.unchanged += 1
        else:
            await learners.save_profile(
                SYSTEM,
                organization_id=org.pk,
                first_name=spec["first_name"],
                last_name=spec["last_name"],
                birth_date=birth,
                user_id=user.pk,
            )
            loader.tally.created += 1
        for admission in spec.get("admissions", []):
            values = {
                "bar_number": admission["bar_number"],
                "admitted_on": dt.date.fromisoformat(admission["admitted_on"]),
                "last_name_at_admission": admission.get("last_name_at_admission"),
            }
            existing = await BarAdmission.get_or_none(
                user_id=user.pk, jurisdiction__code=admission["jurisdiction"]
            )
            if existing is not None and all(
                getattr(existing, k) == v for k, v in values.items()
            ):
                loader.tally.unchanged += 1
                continue
            await learners.save_admission(
                SYSTEM,
                jurisdiction=admission["jurisdiction"],
                user_id=user.pk,
                **values,
            )
            loader.tally.created += 1
        for slug in spec.get("completed", []):
            finished = await _finish_course(user, slug)
            if finished:
                loader.tally.created += 1
            else:
                loader.tally.unchanged += 1


async def _finish_course(user: User, slug: str) -> bool:
    """Take a demo course to completion as the learner would: every lesson
    done, every required assessment passed with the release's own key.

    False if the learner had already completed it.
    """
    course = await Course.get(slug=slug)
    me = user_principal(user.pk)
    enrollment = await enrollments.enroll(me, course.pk)
    if enrollment.status == EnrollmentStatus.COMPLETED:
        return False
    document = await enrollments.document_of(enrollment)
    for lesson in enrollments.lessons_of(document):
        await enrollments.complete_lesson(me, enrollment.pk, lesson)
    keys = await attempts.keys_of(enrollment)
    for assessment in document["assessments"]:
        if not assessment.get("required", True):
            continue
        attempt = await attempts.start_attempt(me, enrollment.pk, assessment["id"])
        for question in assessment["questions"]:
            answer = model_answer(question, keys.get(str(question["id"])) or {})
            if answer is not None:
                await attempts.answer(me, attempt.pk, question["id"], answer)
        await attempts.submit_attempt(me, attempt.pk)
    return True


def model_answer(question: dict[str, Any], key: dict[str, Any]) -> Any:
    """The answer the key marks right; None for work graded by a reviewer."""
    right = [cid for cid, c in (key.get("choices") or {}).items() if c["is_correct"]]
    kind = question["kind"]
    if kind in ("single_choice", "true_false"):
        return {"choice": right[0]}
    if kind == "multiple_choice":
        return {"choices": right}
    if kind == "short_answer":
        return {"text": (key.get("answer_key") or {})["accepted"][0]}
    return None


def demo_logins() -> tuple[str, list[tuple[str, str]], list[tuple[str, str]]]:
    """The demo password, accounts with what they may do, and channel tokens."""
    doc = _read(DEMO_DIR / "identity.toml")
    accounts = []
    for spec in doc["users"]:
        roles = [f"{g['role']} at {g['organization']}" for g in spec.get("roles", [])]
        if spec.get("platform_admin"):
            roles.append("platform admin")
        accounts.append((spec["email"], ", ".join(roles)))
    tokens = [(t["channel"], t["token"]) for t in doc.get("channel_tokens", [])]
    return doc["password"], accounts, tokens


async def seed(*, demo: bool, auth: Auth | None = None) -> Tally:
    """Load the reference data and, if asked, the demo catalogue, in one transaction.

    Demo accounts need `auth` to hash their password; without it they are
    left out.
    """
    loader = Loader()
    async with in_transaction():
        await load_reference(loader)
        if demo:
            await load_demo(loader)
            if auth is not None:
                await load_demo_identity(loader, auth)
                await load_demo_learners(loader)
    logger.info(
        "seeds.loaded",
        extra={
            "rows_created": loader.tally.created,
            "rows_updated": loader.tally.updated,
            "rows_unchanged": loader.tally.unchanged,
        },
    )
    return loader.tally
