"""IScorE's ``base.actions``, by the same names, arguments and return values, over a default
client built on first use from CHECKWIRE_ADDRESS, CHECKWIRE_TOKEN, CHECKWIRE_TLS_* and
CHECKWIRE_TIMEOUT (see ``checkwire.config``). Port a check by changing its import::

    from checkwire import actions   # was: from base import actions
"""

from __future__ import annotations

import threading
from typing import ContextManager, Iterable, List, Optional, Union

from .client import Client, ScoreTuple
from .kinds import CheckFailure
from .models import CheckRun, Score, ServiceError

_lock = threading.Lock()
_default: Optional[Client] = None


def default_client() -> Client:
    """The client the functions below use, built from the environment on first use."""
    global _default
    with _lock:
        if _default is None:
            _default = Client.from_env()
        return _default


def set_default_client(client: Optional[Client]) -> None:
    """Makes ``client`` the default (None: build a new one from the environment next time)."""
    global _default
    with _lock:
        _default = client


def insert_service_score_in_progress(service_id: int) -> CheckRun:
    """Marks a service check as in progress (the spinner on the status pages)."""
    return default_client().insert_service_score_in_progress(service_id)


def insert_service_score(service_id: int, result: int, error_msg: Optional[str] = None) -> Score:
    """Adds the score for the service and returns the saved Score (retried safely: one uuid4
    request_id for every attempt)."""
    return default_client().insert_service_score(service_id, result, error_msg)


def insert_service_score_done(service_id: int) -> Optional[CheckRun]:
    """Marks a service check as done (removes the spinner)."""
    return default_client().insert_service_score_done(service_id)


def report_service_error(score: Union[Score, int], e: CheckFailure) -> ServiceError:
    """Records the error ``e`` the check hit against ``score`` (the Score insert_service_score
    returned, or its id): a timeout, a refused connection, bad credentials, bad content..."""
    return default_client().report_service_error(score, e)


def insert_service_scores(entries: Iterable[ScoreTuple]) -> List[Score]:
    """Scores many services at once, all or nothing: ``[(service_id, result, error_msg), ...]``."""
    return default_client().insert_service_scores(entries)


def checking(service_id: int) -> ContextManager[CheckRun]:
    """``with checking(service_id):`` marks the check in progress and always marks it done."""
    return default_client().checking(service_id)
