"""Domain errors: raised by services, translated to 4xx answers by the interfaces.

A service validates everything before it writes, so raising one of these inside
``transaction.atomic`` leaves the database unchanged.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses, with a message a person can act on."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class ValidationFailed(DomainError):
    """Input that breaks a rule; ``errors`` maps each field to what is wrong with it."""

    status_code = 422
    code = "validation_failed"

    @classmethod
    def field(cls, name: str, message: str) -> ValidationFailed:
        return cls(message, errors={name: message})


class IllegalTransition(DomainError):
    """A state change the case's current state does not allow."""

    status_code = 409
    code = "illegal_transition"


class Conflict(DomainError):
    """The request clashes with what is already stored (e.g. a reused idempotency key)."""

    status_code = 409
    code = "conflict"


class StaleVersion(Conflict):
    """The row is no longer the version the person (or integration) saw: someone else saved
    in between, and nothing was written. ``current`` is the version now stored."""

    code = "stale_version"

    def __init__(self, message: str, *, current: int, errors: dict[str, str] | None = None):
        super().__init__(message, errors=errors)
        self.current = current


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class StorageUnavailable(DomainError):
    """A file could not be written (a full or failing disk): nothing was changed; try later."""

    status_code = 503
    code = "storage_unavailable"
