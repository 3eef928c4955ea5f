"""What ``report_service_error`` records for the error a check hit: its kind, message and detail.
Pure functions, tested on their own."""

from __future__ import annotations

import socket
import traceback
from typing import Tuple, Union

from .errors import ContentError, CredentialsError

# The kinds, as ServiceErrorKind names them (checkwire/scoring/v1/resources.proto).
TIMEOUT = "SERVICE_ERROR_KIND_TIMEOUT"
CONTENT = "SERVICE_ERROR_KIND_CONTENT"
CREDENTIALS = "SERVICE_ERROR_KIND_CREDENTIALS"
CONNECTION = "SERVICE_ERROR_KIND_CONNECTION"
OTHER = "SERVICE_ERROR_KIND_OTHER"

#: The server's limits (libs/scoring/src/score-input.ts): longer texts are cut, not refused.
MAX_MESSAGE = 4096
MAX_DETAIL = 65536

CheckFailure = Union[BaseException, str]


def error_kind(e: CheckFailure) -> str:
    """The kind of error ``e`` is: timeouts (``socket.timeout`` is ``TimeoutError``) → TIMEOUT;
    refused, reset or unresolvable connections (``ConnectionError``, ``socket.gaierror``) →
    CONNECTION; ``CredentialsError`` and ``PermissionError`` → CREDENTIALS; ``ContentError`` →
    CONTENT; anything else (a plain message included) → OTHER."""
    if isinstance(e, (CredentialsError, PermissionError)):
        return CREDENTIALS
    if isinstance(e, ContentError):
        return CONTENT
    if isinstance(e, (TimeoutError, socket.timeout)):
        return TIMEOUT
    if isinstance(e, (ConnectionError, socket.gaierror, socket.herror)):
        return CONNECTION
    return OTHER


def _cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, keeping its end (where a traceback's cause is)."""
    if len(text) <= limit:
        return text
    marker = "[...]\n"
    return marker + text[len(text) - (limit - len(marker)) :]


def describe(e: CheckFailure) -> Tuple[str, str, str]:
    """``(kind, message, detail)`` for ``e``: the message is ``str(e)``, or the exception's class
    name when that is empty; the detail is the traceback (empty for a plain message), bounded
    to the server's limits."""
    if isinstance(e, str):
        return OTHER, (e.strip() or "error")[:MAX_MESSAGE], ""
    message = str(e).strip() or type(e).__name__
    detail = "".join(traceback.format_exception(type(e), e, e.__traceback__))
    return error_kind(e), message[:MAX_MESSAGE], _cut(detail, MAX_DETAIL)
