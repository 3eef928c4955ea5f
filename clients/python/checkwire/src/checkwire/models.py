"""What the actions return: small frozen dataclasses, not protobuf messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Optional

from ._gen.scoring.v1 import resources_pb2


def _time(msg: Any, field: str) -> Optional[datetime]:
    if not msg.HasField(field):
        return None
    stamp: datetime = getattr(msg, field).ToDatetime(tzinfo=timezone.utc)
    return stamp


@dataclass(frozen=True)
class Score:
    """The saved score (the seed's Score object)."""

    id: int
    service_id: int
    #: The stored result, after the service's score_cap.
    result: int
    #: The result as the check submitted it.
    submitted_result: int
    #: True when score_cap lowered the result.
    capped: bool
    error_msg: Optional[str]
    #: The check run that was open when it was written.
    check_run_id: Optional[int]
    #: The idempotency key it was written with.
    request_id: Optional[str]
    created_at: Optional[datetime]
    #: The round it counts in on the scoreboard.
    round_time: Optional[datetime]

    @staticmethod
    def from_proto(msg: resources_pb2.Score) -> "Score":
        return Score(
            id=msg.id,
            service_id=msg.service_id,
            result=msg.result,
            submitted_result=msg.submitted_result,
            capped=msg.capped,
            error_msg=msg.error_msg if msg.HasField("error_msg") else None,
            check_run_id=msg.check_run_id if msg.HasField("check_run_id") else None,
            request_id=msg.request_id if msg.HasField("request_id") else None,
            created_at=_time(msg, "created_at"),
            round_time=_time(msg, "round_time"),
        )


@dataclass(frozen=True)
class CheckRun:
    """One execution of a check, from in progress to done."""

    id: int
    service_id: int
    started_at: Optional[datetime]
    #: None while the run is open.
    finished_at: Optional[datetime]

    @staticmethod
    def from_proto(msg: resources_pb2.CheckRun) -> "CheckRun":
        return CheckRun(
            id=msg.id,
            service_id=msg.service_id,
            started_at=_time(msg, "started_at"),
            finished_at=_time(msg, "finished_at"),
        )


@dataclass(frozen=True)
class ServiceError:
    """An error recorded against a score (the seed's ServiceError)."""

    id: int
    score_id: int
    service_id: int
    #: ``"TIMEOUT"``, ``"CONTENT"``, ``"CREDENTIALS"``, ``"CONNECTION"`` or ``"OTHER"``.
    kind: str
    message: str
    detail: str
    created_at: Optional[datetime]

    @staticmethod
    def from_proto(msg: resources_pb2.ServiceError) -> "ServiceError":
        name = resources_pb2.ServiceErrorKind.Name(msg.kind)
        return ServiceError(
            id=msg.id,
            score_id=msg.score_id,
            service_id=msg.service_id,
            kind=name.replace("SERVICE_ERROR_KIND_", ""),
            message=msg.message,
            detail=msg.detail,
            created_at=_time(msg, "created_at"),
        )
