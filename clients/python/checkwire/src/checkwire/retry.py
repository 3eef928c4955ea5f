"""Deadlines and retries for one call.

Only UNAVAILABLE is retried (the server could not be reached, is draining, or lost its database
for a moment), and only for calls that are safe to send twice: ``insert_service_score`` and
``insert_service_scores`` (every attempt carries the same ``request_id``s, which the server
dedupes), ``insert_service_score_in_progress`` and ``insert_service_score_done`` (idempotent by
contract). ``report_service_error`` is sent once. RESOURCE_EXHAUSTED is not retried: here it means
a request over the server's size limit, which no retry fixes.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Callable, Optional, TypeVar

import grpc

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How an idempotent call is retried on UNAVAILABLE, within its deadline."""

    #: Attempts in all, the first included.
    max_attempts: int = 5
    #: Upper bound of the first back-off, in seconds (exponential, full jitter).
    initial_backoff: float = 0.2
    #: No back-off is longer than this, in seconds.
    max_backoff: float = 2.0


DEFAULT_RETRY = RetryPolicy()
NO_RETRY = RetryPolicy(max_attempts=1)


def _pushback(err: grpc.RpcError) -> Optional[float]:
    """The server's ``grpc-retry-pushback-ms`` hint, in seconds, if it sent one."""
    trailing = getattr(err, "trailing_metadata", None)
    if trailing is None:
        return None
    try:
        for key, value in trailing() or ():
            if key == "grpc-retry-pushback-ms":
                return max(0.0, int(value) / 1000)
    except (TypeError, ValueError):
        return None
    return None


def call_with_retry(
    attempt: Callable[[float], T],
    timeout: float,
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    jitter: Callable[[float, float], float] = random.uniform,
) -> T:
    """Runs ``attempt(seconds_left)`` until it returns, fails with anything but UNAVAILABLE, runs
    out of attempts, or the next back-off would pass the deadline (``timeout`` seconds for all
    attempts together); then raises the last ``grpc.RpcError``. ``attempt`` must send the same
    request every time (the caller builds it once, request ids included)."""
    deadline = clock() + timeout
    n = 0
    while True:
        n += 1
        try:
            return attempt(max(0.001, deadline - clock()))
        except grpc.RpcError as err:
            code = err.code() if callable(getattr(err, "code", None)) else None
            if code != grpc.StatusCode.UNAVAILABLE or n >= policy.max_attempts:
                raise
            hint = _pushback(err)
            cap = min(policy.max_backoff, policy.initial_backoff * 2 ** (n - 1))
            backoff = hint if hint is not None else jitter(0, cap)
            if clock() + backoff >= deadline:
                raise
            sleep(backoff)
