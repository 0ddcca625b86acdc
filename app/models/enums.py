"""Closed vocabularies of the data model."""

from enum import StrEnum


class OrganizationKind(StrEnum):
    PUBLISHER = "publisher"
    FIRM = "firm"
    BAR_ASSOCIATION = "bar_association"
    REGULATOR = "regulator"


class ContentStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class CourseLevel(StrEnum):
    FOUNDATIONAL = "foundational"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class CourseFormat(StrEnum):
    """How a course is delivered; regulators cap self-study formats."""

    ON_DEMAND = "on_demand"
    LIVE_WEBINAR = "live_webinar"
    IN_PERSON = "in_person"


class LessonKind(StrEnum):
    READING = "reading"
    VIDEO = "video"
    SIMULATION = "simulation"


class AssessmentKind(StrEnum):
    QUIZ = "quiz"
    WORK_PRODUCT = "work_product"
    SIMULATION = "simulation"


class ScoringPolicy(StrEnum):
    HIGHEST = "highest"
    LATEST = "latest"


class FeedbackPolicy(StrEnum):
    NONE = "none"
    AFTER_SUBMIT = "after_submit"
    AFTER_PASS = "after_pass"  # noqa: S105 (a policy name, not a secret)


class QuestionKind(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"
    ESSAY = "essay"


class CriterionKind(StrEnum):
    COURSE_COMPLETED = "course_completed"
    ASSESSMENT_PASSED = "assessment_passed"


class StackRule(StrEnum):
    ALL_OF = "all_of"
    N_OF = "n_of"


class CreditCategory(StrEnum):
    """Credit categories regulators name; `total` means all categories."""

    TOTAL = "total"
    GENERAL = "general"
    ETHICS = "ethics"
    PROFESSIONALISM = "professionalism"
    BIAS = "bias"
    DIVERSITY = "diversity"
    COMPETENCE = "competence"
    MENTAL_HEALTH = "mental_health"
    TECHNOLOGY = "technology"
    CYBERSECURITY = "cybersecurity"
    CIVILITY = "civility"
    SKILLS = "skills"
    LAW_PRACTICE_MANAGEMENT = "law_practice_management"
    AREAS_OF_PRACTICE = "areas_of_practice"


class RequirementKind(StrEnum):
    """What a requirement row says about its hours.

    `minimum`: at least these hours per period; `maximum`: a cap on hours that
    count (a self-study limit); `carry_over`: the most hours that may move
    into the next period.
    """

    MINIMUM = "minimum"
    MAXIMUM = "maximum"
    CARRY_OVER = "carry_over"


class Audience(StrEnum):
    ALL = "all"
    NEWLY_ADMITTED = "newly_admitted"
    EXPERIENCED = "experienced"


class Delivery(StrEnum):
    ANY = "any"
    LIVE = "live"
    SELF_STUDY = "self_study"


class PeriodAssignment(StrEnum):
    """How a jurisdiction assigns each lawyer's compliance period."""

    FIXED = "fixed"
    LAST_NAME = "last_name"
    BIRTH_MONTH = "birth_month"
    BIRTH_DATE = "birth_date"
    ADMISSION_DATE = "admission_date"


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    EXPIRED = "expired"


class UserStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class Role(StrEnum):
    """Roles a user holds in an organization; several at once are allowed."""

    ADMIN = "admin"
    CREATOR = "creator"
    REVIEWER = "reviewer"
    LEARNER = "learner"


class ReviewStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    # Superseded: the working copy changed, or a newer submission replaced it.
    VOID = "void"


class ChangeKind(StrEnum):
    PUBLISHED = "published"
    UPDATED = "updated"
    WITHDRAWN = "withdrawn"


class DeliveryStatus(StrEnum):
    """Where a webhook delivery stands; `failed` ones are retried until dead."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    DEAD = "dead"


class LatePolicy(StrEnum):
    """What a timed assessment does with an attempt submitted after its deadline.

    `on_time_answers`: grade the answers saved before the deadline and ignore
    the rest; `zero`: a late attempt scores nothing. Either way it is
    marked late.
    """

    ON_TIME_ANSWERS = "on_time_answers"
    ZERO = "zero"


class EnrollmentStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"


class AttemptStatus(StrEnum):
    """An attempt is answered, then submitted; essays wait for a reviewer."""

    IN_PROGRESS = "in_progress"
    AWAITING_REVIEW = "awaiting_review"
    GRADED = "graded"


class CreditSource(StrEnum):
    COURSE_COMPLETION = "course_completion"
