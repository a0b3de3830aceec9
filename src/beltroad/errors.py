"""The package's exceptions.

Each subclasses both ``BeltroadError`` (so front ends can catch everything that is the user's to
fix) and the built-in it behaves like (so library users can catch ``ValueError`` or
``LookupError`` as they would anywhere else).
"""

from __future__ import annotations


class BeltroadError(Exception):
    """Base of all errors a user can act on; the message says what, where and how to fix."""

    status: int = 400


class ValidationFailed(BeltroadError, ValueError):
    """Input (a curated file, an import, a request) does not satisfy the domain model."""

    status = 422


class RecordNotFound(BeltroadError, LookupError):
    """An id or name names no record."""

    status = 404


class AmbiguousName(BeltroadError, LookupError):
    """A name matches several records; the message lists them."""

    status = 409


class ImportFailed(BeltroadError, ValueError):
    """An external file could not be imported; nothing was written."""

    status = 422


class StoreError(BeltroadError, RuntimeError):
    """The database is missing, unreachable or not initialised."""

    status = 503


class AuthenticationRequired(BeltroadError, PermissionError):
    """A write came without an editor's token."""

    status = 401


class PermissionDenied(BeltroadError, PermissionError):
    """A write came with a token that is unknown, inactive or not allowed to do this."""

    status = 403


class PayloadTooLarge(BeltroadError, ValueError):
    """A request body is over the configured limit."""

    status = 413


class NotConverged(BeltroadError, ArithmeticError):
    """A numerical solve stopped before meeting its tolerance; the message gives the residual."""

    status = 422
