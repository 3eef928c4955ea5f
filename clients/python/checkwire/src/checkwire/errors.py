"""Typed exceptions: the ones the client raises (``CheckwireError`` and its subclasses) and the two
a check author raises to say what went wrong (``CredentialsError``, ``ContentError``).

``from_status`` maps a gRPC status to the right class once; it is a pure function.
"""

from __future__ import annotations

from typing import Dict, Optional, Type


class CheckwireError(Exception):
    """A call to Checkwire failed. ``code`` is the gRPC status code's name (``"NOT_FOUND"``...),
    or ``None`` when the call never left this process (bad configuration); ``message`` is the
    server's message as it sent it."""

    def __init__(self, message: str, code: Optional[str] = None, address: Optional[str] = None):
        self.code = code
        self.message = message
        self.address = address
        super().__init__(f"{code}: {message}" if code else message)


class ConfigError(CheckwireError, ValueError):
    """A bad setting (``CHECKWIRE_ADDRESS``, ``CHECKWIRE_TLS_*``...): the message names the
    variable or argument, the problem and the fix. Nothing was sent."""


class NotFound(CheckwireError):
    """NOT_FOUND: no such service or score, or one this token may not see."""


class InvalidArgument(CheckwireError):
    """INVALID_ARGUMENT: the message names the field, e.g. ``result: must fit in a 32-bit ...``."""


class AuthError(CheckwireError):
    """UNAUTHENTICATED (no, bad or revoked ``CHECKWIRE_TOKEN``) or PERMISSION_DENIED (the token's
    role or limits do not allow this call)."""


class ServiceDown(CheckwireError):
    """FAILED_PRECONDITION: the service is administratively down (the message gives the reason)."""


class ServerUnavailable(CheckwireError):
    """UNAVAILABLE: no Checkwire server answered at ``address`` (down, wrong address, a TLS
    mismatch) or it could not reach its database, after every retry the call allowed."""


class DeadlineExceeded(CheckwireError):
    """DEADLINE_EXCEEDED: no answer within the call's timeout."""


_BY_CODE: Dict[str, Type[CheckwireError]] = {
    "NOT_FOUND": NotFound,
    "INVALID_ARGUMENT": InvalidArgument,
    "UNAUTHENTICATED": AuthError,
    "PERMISSION_DENIED": AuthError,
    "FAILED_PRECONDITION": ServiceDown,
    "UNAVAILABLE": ServerUnavailable,
    "DEADLINE_EXCEEDED": DeadlineExceeded,
}


def from_status(code: str, details: Optional[str], address: str) -> CheckwireError:
    """The exception for a call that ended with gRPC status ``code`` (its name) and ``details``."""
    message = details or "(no message)"
    if code == "UNAVAILABLE":
        message = f"no Checkwire server answered at {address} ({message})"
    elif code == "UNAUTHENTICATED":
        message = f"{message} (check CHECKWIRE_TOKEN)"
    elif code == "DEADLINE_EXCEEDED":
        message = f"{address} gave no answer in time ({message})"
    return _BY_CODE.get(code, CheckwireError)(message, code, address)


class CredentialsError(Exception):
    """Raise (or pass to ``report_service_error``) when the checked service refused the
    credentials: recorded as a CREDENTIALS error."""


class ContentError(Exception):
    """Raise (or pass to ``report_service_error``) when the checked service answered, but not
    with what was expected: recorded as a CONTENT error."""
