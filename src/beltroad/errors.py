"""The package's exceptions.

Each subclasses both ``BeltroadError`` (so front ends can catch everything that is the user's to
fix) and the built-in it behaves like (so library users can catch ``ValueError`` or
``LookupError`` as they would anywhere else).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")


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


class Conflict(ValidationFailed):
    """A write met a newer state than it was made for (a record's version moved on, a candidate was
    decided already); the message says what changed, by whom and when."""

    status = 409


class ImportFailed(BeltroadError, ValueError):
    """An external file could not be imported; nothing was written."""

    status = 422


class StoreError(BeltroadError, RuntimeError):
    """The database is missing, unreachable or not initialised."""

    status = 503


class StoreBusy(StoreError):
    """Another write held the store longer than a write waits; try again in a moment."""

    status = 503
    retry_after_s = 2


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


class ComputeFailed(BeltroadError, RuntimeError):
    """Many-task work could not run: the Ray cluster is out of reach, or a task failed."""

    status = 503


def check_choice(value: object, choices: Iterable[T], what: str) -> T:
    """Refuse a value outside a closed vocabulary, naming the vocabulary's members.

    One function writes this message so that every front end (CLI, API, Python) words it the same
    way and a test pins it once.

    Parameters
    ----------
    value
        What the user gave.
    choices
        The allowed values, in the order to list them (a ``Literal``'s ``get_args``, a registry's keys).
    what
        The noun for the message, e.g. ``"mode"`` gives "unknown mode 'air'; choose one of …".

    Returns
    -------
    T
        The member of ``choices`` equal to ``value``, typed as the vocabulary is (so a ``str`` from
        the command line comes back as the ``Literal`` the callee takes).

    Raises
    ------
    ValidationFailed
        Otherwise, with the allowed values listed.
    """
    allowed = list(choices)
    for choice in allowed:
        if choice == value:
            return choice
    msg = f"unknown {what} {value!r}; choose one of {', '.join(str(c) for c in allowed)}"
    raise ValidationFailed(msg)
