"""Errors a caller can act on, each with a stable code for the API."""

from typing import Any


class LexstackError(Exception):
    """A failure the caller caused or can fix; its message is safe to show."""

    code = "INTERNAL"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(LexstackError):
    code = "INVALID_INPUT"


class NotFound(LexstackError):
    code = "NOT_FOUND"


class Forbidden(LexstackError):
    code = "FORBIDDEN"


class Unauthenticated(LexstackError):
    code = "UNAUTHENTICATED"


class Conflict(LexstackError):
    code = "CONFLICT"


class LimitExceeded(LexstackError):
    code = "LIMIT_EXCEEDED"
