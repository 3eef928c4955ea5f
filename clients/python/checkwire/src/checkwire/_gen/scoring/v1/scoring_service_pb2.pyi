from checkwire._gen.scoring.v1 import resources_pb2 as _resources_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CheckError(_message.Message):
    __slots__ = ["detail", "kind", "message"]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    detail: str
    kind: _resources_pb2.ServiceErrorKind
    message: str
    def __init__(self, kind: _Optional[_Union[_resources_pb2.ServiceErrorKind, str]] = ..., message: _Optional[str] = ..., detail: _Optional[str] = ...) -> None: ...

class FinishServiceCheckEntry(_message.Message):
    __slots__ = ["check_run_id", "error", "error_msg", "request_id", "result", "round_time", "service_id"]
    CHECK_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    ERROR_MSG_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    ROUND_TIME_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    check_run_id: int
    error: CheckError
    error_msg: str
    request_id: str
    result: int
    round_time: _timestamp_pb2.Timestamp
    service_id: int
    def __init__(self, service_id: _Optional[int] = ..., result: _Optional[int] = ..., error_msg: _Optional[str] = ..., request_id: _Optional[str] = ..., error: _Optional[_Union[CheckError, _Mapping]] = ..., check_run_id: _Optional[int] = ..., round_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class FinishServiceChecksRequest(_message.Message):
    __slots__ = ["entries"]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[FinishServiceCheckEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[FinishServiceCheckEntry, _Mapping]]] = ...) -> None: ...

class FinishServiceChecksResponse(_message.Message):
    __slots__ = ["checks"]
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    checks: _containers.RepeatedCompositeFieldContainer[FinishedServiceCheck]
    def __init__(self, checks: _Optional[_Iterable[_Union[FinishedServiceCheck, _Mapping]]] = ...) -> None: ...

class FinishedServiceCheck(_message.Message):
    __slots__ = ["administratively_down", "check_run", "replayed", "score", "service_error", "service_id"]
    ADMINISTRATIVELY_DOWN_FIELD_NUMBER: _ClassVar[int]
    CHECK_RUN_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ERROR_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    administratively_down: bool
    check_run: _resources_pb2.CheckRun
    replayed: bool
    score: _resources_pb2.Score
    service_error: _resources_pb2.ServiceError
    service_id: int
    def __init__(self, service_id: _Optional[int] = ..., score: _Optional[_Union[_resources_pb2.Score, _Mapping]] = ..., replayed: bool = ..., service_error: _Optional[_Union[_resources_pb2.ServiceError, _Mapping]] = ..., check_run: _Optional[_Union[_resources_pb2.CheckRun, _Mapping]] = ..., administratively_down: bool = ...) -> None: ...

class InsertServiceScoreDoneRequest(_message.Message):
    __slots__ = ["service_id"]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    service_id: int
    def __init__(self, service_id: _Optional[int] = ...) -> None: ...

class InsertServiceScoreDoneResponse(_message.Message):
    __slots__ = ["check_run"]
    CHECK_RUN_FIELD_NUMBER: _ClassVar[int]
    check_run: _resources_pb2.CheckRun
    def __init__(self, check_run: _Optional[_Union[_resources_pb2.CheckRun, _Mapping]] = ...) -> None: ...

class InsertServiceScoreInProgressRequest(_message.Message):
    __slots__ = ["service_id"]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    service_id: int
    def __init__(self, service_id: _Optional[int] = ...) -> None: ...

class InsertServiceScoreInProgressResponse(_message.Message):
    __slots__ = ["already_in_progress", "check_run"]
    ALREADY_IN_PROGRESS_FIELD_NUMBER: _ClassVar[int]
    CHECK_RUN_FIELD_NUMBER: _ClassVar[int]
    already_in_progress: bool
    check_run: _resources_pb2.CheckRun
    def __init__(self, check_run: _Optional[_Union[_resources_pb2.CheckRun, _Mapping]] = ..., already_in_progress: bool = ...) -> None: ...

class InsertServiceScoreRequest(_message.Message):
    __slots__ = ["error_msg", "request_id", "result", "service_id"]
    ERROR_MSG_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    error_msg: str
    request_id: str
    result: int
    service_id: int
    def __init__(self, service_id: _Optional[int] = ..., result: _Optional[int] = ..., error_msg: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class InsertServiceScoreResponse(_message.Message):
    __slots__ = ["replayed", "score"]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    replayed: bool
    score: _resources_pb2.Score
    def __init__(self, score: _Optional[_Union[_resources_pb2.Score, _Mapping]] = ..., replayed: bool = ...) -> None: ...

class InsertServiceScoresRequest(_message.Message):
    __slots__ = ["entries"]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[ScoreEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[ScoreEntry, _Mapping]]] = ...) -> None: ...

class InsertServiceScoresResponse(_message.Message):
    __slots__ = ["replayed", "scores"]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    SCORES_FIELD_NUMBER: _ClassVar[int]
    replayed: _containers.RepeatedScalarFieldContainer[bool]
    scores: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Score]
    def __init__(self, scores: _Optional[_Iterable[_Union[_resources_pb2.Score, _Mapping]]] = ..., replayed: _Optional[_Iterable[bool]] = ...) -> None: ...

class ReportServiceErrorRequest(_message.Message):
    __slots__ = ["detail", "kind", "message", "score_id"]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    SCORE_ID_FIELD_NUMBER: _ClassVar[int]
    detail: str
    kind: _resources_pb2.ServiceErrorKind
    message: str
    score_id: int
    def __init__(self, score_id: _Optional[int] = ..., kind: _Optional[_Union[_resources_pb2.ServiceErrorKind, str]] = ..., message: _Optional[str] = ..., detail: _Optional[str] = ...) -> None: ...

class ReportServiceErrorResponse(_message.Message):
    __slots__ = ["service_error"]
    SERVICE_ERROR_FIELD_NUMBER: _ClassVar[int]
    service_error: _resources_pb2.ServiceError
    def __init__(self, service_error: _Optional[_Union[_resources_pb2.ServiceError, _Mapping]] = ...) -> None: ...

class ScoreEntry(_message.Message):
    __slots__ = ["error_msg", "request_id", "result", "service_id"]
    ERROR_MSG_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    error_msg: str
    request_id: str
    result: int
    service_id: int
    def __init__(self, service_id: _Optional[int] = ..., result: _Optional[int] = ..., error_msg: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class StartServiceChecksRequest(_message.Message):
    __slots__ = ["service_ids"]
    SERVICE_IDS_FIELD_NUMBER: _ClassVar[int]
    service_ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, service_ids: _Optional[_Iterable[int]] = ...) -> None: ...

class StartServiceChecksResponse(_message.Message):
    __slots__ = ["checks"]
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    checks: _containers.RepeatedCompositeFieldContainer[StartedServiceCheck]
    def __init__(self, checks: _Optional[_Iterable[_Union[StartedServiceCheck, _Mapping]]] = ...) -> None: ...

class StartedServiceCheck(_message.Message):
    __slots__ = ["administratively_down", "already_in_progress", "check_run", "service", "service_id", "trace_id"]
    ADMINISTRATIVELY_DOWN_FIELD_NUMBER: _ClassVar[int]
    ALREADY_IN_PROGRESS_FIELD_NUMBER: _ClassVar[int]
    CHECK_RUN_FIELD_NUMBER: _ClassVar[int]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    administratively_down: bool
    already_in_progress: bool
    check_run: _resources_pb2.CheckRun
    service: _resources_pb2.Service
    service_id: int
    trace_id: str
    def __init__(self, service_id: _Optional[int] = ..., check_run: _Optional[_Union[_resources_pb2.CheckRun, _Mapping]] = ..., already_in_progress: bool = ..., administratively_down: bool = ..., trace_id: _Optional[str] = ..., service: _Optional[_Union[_resources_pb2.Service, _Mapping]] = ...) -> None: ...
