"""Tortoise models of lexstack; the `models` app of the ORM configuration."""

from app.models.authoring import (
    Assessment,
    Choice,
    Course,
    CoursePracticeArea,
    Lesson,
    MicroCredential,
    MicroCredentialCriterion,
    Module,
    Organization,
    Pathway,
    PathwayMicroCredential,
    PracticeArea,
    Question,
)
from app.models.identity import (
    CasbinRule,
    ChannelToken,
    LoginFailure,
    LoginSession,
    RefreshToken,
    ServerSecret,
    User,
)
from app.models.publishing import ChangeEvent, Release, Review
from app.models.regulation import Approval, ApprovalCredit, Jurisdiction, Requirement
from app.models.versioning import Activity, Revision

__all__ = [
    "Activity",
    "Approval",
    "ApprovalCredit",
    "Assessment",
    "CasbinRule",
    "ChangeEvent",
    "ChannelToken",
    "Choice",
    "Course",
    "CoursePracticeArea",
    "Jurisdiction",
    "Lesson",
    "LoginFailure",
    "LoginSession",
    "MicroCredential",
    "MicroCredentialCriterion",
    "Module",
    "Organization",
    "Pathway",
    "PathwayMicroCredential",
    "PracticeArea",
    "Question",
    "RefreshToken",
    "Release",
    "Requirement",
    "Review",
    "Revision",
    "ServerSecret",
    "User",
]
