"""Checkwire's Python check client: IScorE's external-check actions over gRPC.

    from checkwire import actions
    actions.insert_service_score_in_progress(7)
    score = actions.insert_service_score(7, 100, None)
    actions.insert_service_score_done(7)
"""

from . import actions
from .actions import (
    checking,
    default_client,
    insert_service_score,
    insert_service_score_done,
    insert_service_score_in_progress,
    insert_service_scores,
    report_service_error,
    set_default_client,
)
from .client import Client
from .errors import (
    AuthError,
    CheckwireError,
    ConfigError,
    ContentError,
    CredentialsError,
    DeadlineExceeded,
    InvalidArgument,
    NotFound,
    ServerUnavailable,
    ServiceDown,
)
from .models import CheckRun, Score, ServiceError
from .retry import RetryPolicy

__version__ = "0.1.0"

__all__ = [
    "AuthError",
    "CheckRun",
    "CheckwireError",
    "Client",
    "ConfigError",
    "ContentError",
    "CredentialsError",
    "DeadlineExceeded",
    "InvalidArgument",
    "NotFound",
    "RetryPolicy",
    "Score",
    "ServerUnavailable",
    "ServiceDown",
    "ServiceError",
    "actions",
    "checking",
    "default_client",
    "insert_service_score",
    "insert_service_score_done",
    "insert_service_score_in_progress",
    "insert_service_scores",
    "report_service_error",
    "set_default_client",
]
