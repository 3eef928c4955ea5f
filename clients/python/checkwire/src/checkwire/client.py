"""``Client``: one channel to Checkwire's ScoringService and the actions over it."""

from __future__ import annotations

import contextlib
import os
import uuid
from typing import (
    Any,
    Callable,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Tuple,
    TypeVar,
    Union,
)

import grpc

from ._gen.scoring.v1 import resources_pb2, scoring_service_pb2, scoring_service_pb2_grpc
from .config import (
    DEFAULT_ADDRESS,
    DEFAULT_TIMEOUT,
    Settings,
    check_address,
    check_timeout,
    settings_from_env,
)
from .errors import CheckwireError, ConfigError, from_status
from .kinds import CheckFailure, describe
from .models import CheckRun, Score, ServiceError
from .retry import DEFAULT_RETRY, NO_RETRY, RetryPolicy, call_with_retry

T = TypeVar("T")

#: One score of a batch: ``(service_id, result)`` or ``(service_id, result, error_msg)``.
ScoreTuple = Union[Tuple[int, int], Tuple[int, int, Optional[str]]]

# Reconnect soon after the server comes back, so retries within a call's deadline can succeed;
# take turns over every address the name resolves to (a headless Service's pods), as the
# TypeScript clients do (libs/grpc load-balancing.ts).
_CHANNEL_OPTIONS = [
    ("grpc.lb_policy_name", "round_robin"),
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.min_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 2000),
]


def _entry(entry: ScoreTuple) -> Tuple[int, int, Optional[str]]:
    padded: Tuple[Any, ...] = tuple(entry) + (None,)
    return (padded[0], padded[1], padded[2])


def new_request_id() -> str:
    """A fresh idempotency key (uuid4): one per score, reused by every retry of it."""
    return str(uuid.uuid4())


class Client:
    """A connection to Checkwire's scoring server.

    ``Client()`` takes only its arguments (address ``127.0.0.1:50051``, no token, plaintext);
    ``Client.from_env()`` reads ``CHECKWIRE_ADDRESS``, ``CHECKWIRE_TOKEN``, ``CHECKWIRE_TLS_*``
    and ``CHECKWIRE_TIMEOUT`` as the module-level functions do. ``ca`` (PEM) turns TLS on;
    ``cert`` + ``key`` add a client certificate. ``timeout`` (seconds) bounds every call, retries
    included. Use it as a context manager, or call ``close()``.
    """

    def __init__(
        self,
        address: str = DEFAULT_ADDRESS,
        token: Optional[str] = None,
        *,
        ca: Optional[bytes] = None,
        cert: Optional[bytes] = None,
        key: Optional[bytes] = None,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy = DEFAULT_RETRY,
    ) -> None:
        self.address = check_address(address)
        self.timeout = check_timeout(timeout)
        self.retry = retry
        if ca is None and (cert is not None or key is not None):
            raise ConfigError("ca: is required with a client certificate (cert, key)")
        if (cert is None) != (key is None):
            raise ConfigError("cert: and key go together; give both (PEM), or neither")
        self._metadata: Tuple[Tuple[str, str], ...] = (
            () if not token else (("authorization", "Bearer " + token),)
        )
        if ca is None:
            self._channel = grpc.insecure_channel(self.address, options=_CHANNEL_OPTIONS)
        else:
            creds = grpc.ssl_channel_credentials(
                root_certificates=ca, private_key=key, certificate_chain=cert
            )
            self._channel = grpc.secure_channel(self.address, creds, options=_CHANNEL_OPTIONS)
        # The generated stub is untyped; what each call returns is typed by the _pb2.pyi files.
        stub = scoring_service_pb2_grpc.ScoringServiceStub  # untyped: protoc's grpc plugin
        self._stub: Any = stub(self._channel)  # type: ignore[no-untyped-call]

    @classmethod
    def from_settings(cls, settings: Settings) -> "Client":
        tls = settings.tls
        return cls(
            settings.address,
            settings.token,
            ca=None if tls is None else tls.ca,
            cert=None if tls is None else tls.cert,
            key=None if tls is None else tls.key,
            timeout=settings.timeout,
        )

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Client":
        """A client configured by the CHECKWIRE_* variables of ``env`` (default: os.environ)."""
        return cls.from_settings(settings_from_env(os.environ if env is None else env))

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _call(self, rpc: Callable[..., T], request: Any, idempotent: bool) -> T:
        """Sends ``request`` (built once: retries resend it as is) and maps a failure to one
        CheckwireError (``from None``: the gRPC internals stay out of the traceback)."""

        def attempt(seconds_left: float) -> T:
            return rpc(request, timeout=seconds_left, metadata=self._metadata)

        try:
            return call_with_retry(attempt, self.timeout, self.retry if idempotent else NO_RETRY)
        except grpc.RpcError as err:
            code = err.code() if callable(getattr(err, "code", None)) else None
            details = err.details() if callable(getattr(err, "details", None)) else str(err)
            name = code.name if isinstance(code, grpc.StatusCode) else "UNKNOWN"
            raise from_status(name, details, self.address) from None

    def insert_service_score_in_progress(self, service_id: int) -> CheckRun:
        """Marks the service's check as in progress (the spinner); returns the open run.
        Idempotent: while a run is open, the same run comes back."""
        request = scoring_service_pb2.InsertServiceScoreInProgressRequest(service_id=service_id)
        answer = self._call(self._stub.InsertServiceScoreInProgress, request, idempotent=True)
        return CheckRun.from_proto(answer.check_run)

    def insert_service_score(
        self,
        service_id: int,
        result: int,
        error_msg: Optional[str] = None,
        *,
        request_id: Optional[str] = None,
    ) -> Score:
        """Records a score and returns the saved Score. ``request_id`` (default: a new uuid4) is
        sent with every attempt, so a retried call returns the first score and writes nothing."""
        request = scoring_service_pb2.InsertServiceScoreRequest(
            service_id=service_id,
            result=result,
            error_msg=error_msg,
            request_id=request_id or new_request_id(),
        )
        answer = self._call(self._stub.InsertServiceScore, request, idempotent=True)
        return Score.from_proto(answer.score)

    def insert_service_scores(self, entries: Iterable[ScoreTuple]) -> List[Score]:
        """Records many scores at once, all or nothing; returns them in the order given. Each
        entry gets its own request_id, so the whole batch is safe to retry."""
        request = scoring_service_pb2.InsertServiceScoresRequest(
            entries=[
                scoring_service_pb2.ScoreEntry(
                    service_id=service_id,
                    result=result,
                    error_msg=error_msg,
                    request_id=new_request_id(),
                )
                for service_id, result, error_msg in map(_entry, entries)
            ]
        )
        answer = self._call(self._stub.InsertServiceScores, request, idempotent=True)
        return [Score.from_proto(s) for s in answer.scores]

    def insert_service_score_done(self, service_id: int) -> Optional[CheckRun]:
        """Marks the check as done (hides the spinner); returns the run it closed, or None when
        none was open."""
        request = scoring_service_pb2.InsertServiceScoreDoneRequest(service_id=service_id)
        answer = self._call(self._stub.InsertServiceScoreDone, request, idempotent=True)
        return CheckRun.from_proto(answer.check_run) if answer.HasField("check_run") else None

    def report_service_error(
        self, score: Union[Score, int], e: CheckFailure, *, kind: Optional[str] = None
    ) -> ServiceError:
        """Records ``e`` (the exception the check hit, or a message) against ``score`` (a Score or
        its id). Its kind comes from its class (see ``checkwire.kinds.error_kind``) unless
        ``kind`` ("TIMEOUT", "CONTENT", "CREDENTIALS", "CONNECTION", "OTHER") is given. Sent once:
        it has no idempotency key."""
        guessed, message, detail = describe(e)
        kind_name = guessed if kind is None else "SERVICE_ERROR_KIND_" + kind.upper()
        try:
            kind_value = resources_pb2.ServiceErrorKind.Value(kind_name)
        except ValueError:
            raise ConfigError(
                f'kind: "{kind}" is not one of TIMEOUT, CONTENT, CREDENTIALS, CONNECTION, OTHER'
            ) from None
        request = scoring_service_pb2.ReportServiceErrorRequest(
            score_id=score.id if isinstance(score, Score) else score,
            kind=kind_value,
            message=message,
            detail=detail,
        )
        answer = self._call(self._stub.ReportServiceError, request, idempotent=False)
        return ServiceError.from_proto(answer.service_error)

    @contextlib.contextmanager
    def checking(self, service_id: int) -> Iterator[CheckRun]:
        """Marks the service in progress, runs the body, and always marks it done, even when the
        body raises (its exception then goes on; a failure to mark done does not hide it)."""
        run = self.insert_service_score_in_progress(service_id)
        try:
            yield run
        except BaseException:
            with contextlib.suppress(CheckwireError):
                self.insert_service_score_done(service_id)
            raise
        self.insert_service_score_done(service_id)
