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
from app.models.regulation import Approval, ApprovalCredit, Jurisdiction, Requirement

__all__ = [
    "Approval",
    "ApprovalCredit",
    "Assessment",
    "Choice",
    "Course",
    "CoursePracticeArea",
    "Jurisdiction",
    "Lesson",
    "MicroCredential",
    "MicroCredentialCriterion",
    "Module",
    "Organization",
    "Pathway",
    "PathwayMicroCredential",
    "PracticeArea",
    "Question",
    "Requirement",
]
