from checkwire._gen.scoring.v1 import check_settings_pb2 as _check_settings_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
ROUND_STATUS_DOWN: RoundStatus
ROUND_STATUS_ERROR: RoundStatus
ROUND_STATUS_PARTIAL: RoundStatus
ROUND_STATUS_UNSPECIFIED: RoundStatus
ROUND_STATUS_UP: RoundStatus
SERVICE_ERROR_KIND_CONNECTION: ServiceErrorKind
SERVICE_ERROR_KIND_CONTENT: ServiceErrorKind
SERVICE_ERROR_KIND_CREDENTIALS: ServiceErrorKind
SERVICE_ERROR_KIND_NO_RUNNER: ServiceErrorKind
SERVICE_ERROR_KIND_OTHER: ServiceErrorKind
SERVICE_ERROR_KIND_TIMEOUT: ServiceErrorKind
SERVICE_ERROR_KIND_UNSPECIFIED: ServiceErrorKind

class CheckRun(_message.Message):
    __slots__ = ["finished_at", "id", "service_id", "started_at"]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    finished_at: _timestamp_pb2.Timestamp
    id: int
    service_id: int
    started_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[int] = ..., service_id: _Optional[int] = ..., started_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Credential(_message.Message):
    __slots__ = ["password", "username"]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    password: str
    username: str
    def __init__(self, username: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class CredentialPool(_message.Message):
    __slots__ = ["created_at", "credentials", "id", "name"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    credentials: _containers.RepeatedCompositeFieldContainer[Credential]
    id: int
    name: str
    def __init__(self, id: _Optional[int] = ..., name: _Optional[str] = ..., credentials: _Optional[_Iterable[_Union[Credential, _Mapping]]] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Score(_message.Message):
    __slots__ = ["capped", "check_run_id", "created_at", "error_msg", "id", "request_id", "result", "round_time", "service_id", "submitted_result"]
    CAPPED_FIELD_NUMBER: _ClassVar[int]
    CHECK_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ERROR_MSG_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    ROUND_TIME_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_RESULT_FIELD_NUMBER: _ClassVar[int]
    capped: bool
    check_run_id: int
    created_at: _timestamp_pb2.Timestamp
    error_msg: str
    id: int
    request_id: str
    result: int
    round_time: _timestamp_pb2.Timestamp
    service_id: int
    submitted_result: int
    def __init__(self, id: _Optional[int] = ..., service_id: _Optional[int] = ..., result: _Optional[int] = ..., submitted_result: _Optional[int] = ..., capped: bool = ..., error_msg: _Optional[str] = ..., check_run_id: _Optional[int] = ..., request_id: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., round_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Service(_message.Message):
    __slots__ = ["administratively_down", "blue_visibility", "check_settings", "created_at", "credential_pool_id", "disabled", "down_reason", "external", "green_visibility", "http_string", "id", "in_progress", "last_scan", "last_scan_error", "last_scan_time", "name", "password", "points", "port", "protocol", "public_visibility", "red_visibility", "runner_pool", "score_cap", "subtype", "team_id", "team_specific", "team_specific_info", "updated_at", "url", "username"]
    ADMINISTRATIVELY_DOWN_FIELD_NUMBER: _ClassVar[int]
    BLUE_VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    CHECK_SETTINGS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREDENTIAL_POOL_ID_FIELD_NUMBER: _ClassVar[int]
    DISABLED_FIELD_NUMBER: _ClassVar[int]
    DOWN_REASON_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_FIELD_NUMBER: _ClassVar[int]
    GREEN_VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    HTTP_STRING_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    IN_PROGRESS_FIELD_NUMBER: _ClassVar[int]
    LAST_SCAN_ERROR_FIELD_NUMBER: _ClassVar[int]
    LAST_SCAN_FIELD_NUMBER: _ClassVar[int]
    LAST_SCAN_TIME_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    RED_VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    RUNNER_POOL_FIELD_NUMBER: _ClassVar[int]
    SCORE_CAP_FIELD_NUMBER: _ClassVar[int]
    SUBTYPE_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_SPECIFIC_FIELD_NUMBER: _ClassVar[int]
    TEAM_SPECIFIC_INFO_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    administratively_down: bool
    blue_visibility: bool
    check_settings: _check_settings_pb2.ServiceCheckSettings
    created_at: _timestamp_pb2.Timestamp
    credential_pool_id: int
    disabled: bool
    down_reason: str
    external: bool
    green_visibility: bool
    http_string: str
    id: int
    in_progress: bool
    last_scan: int
    last_scan_error: str
    last_scan_time: _timestamp_pb2.Timestamp
    name: str
    password: str
    points: int
    port: int
    protocol: str
    public_visibility: bool
    red_visibility: bool
    runner_pool: str
    score_cap: int
    subtype: str
    team_id: int
    team_specific: bool
    team_specific_info: str
    updated_at: _timestamp_pb2.Timestamp
    url: str
    username: str
    def __init__(self, id: _Optional[int] = ..., team_id: _Optional[int] = ..., subtype: _Optional[str] = ..., url: _Optional[str] = ..., port: _Optional[int] = ..., external: bool = ..., username: _Optional[str] = ..., password: _Optional[str] = ..., credential_pool_id: _Optional[int] = ..., team_specific_info: _Optional[str] = ..., protocol: _Optional[str] = ..., http_string: _Optional[str] = ..., team_specific: bool = ..., public_visibility: bool = ..., blue_visibility: bool = ..., green_visibility: bool = ..., red_visibility: bool = ..., administratively_down: bool = ..., down_reason: _Optional[str] = ..., score_cap: _Optional[int] = ..., last_scan: _Optional[int] = ..., last_scan_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., last_scan_error: _Optional[str] = ..., in_progress: bool = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., name: _Optional[str] = ..., points: _Optional[int] = ..., disabled: bool = ..., runner_pool: _Optional[str] = ..., check_settings: _Optional[_Union[_check_settings_pb2.ServiceCheckSettings, _Mapping]] = ...) -> None: ...

class ServiceError(_message.Message):
    __slots__ = ["created_at", "detail", "id", "kind", "message", "score_id", "service_id", "service_name", "subtype", "team_id", "trace_id"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    SCORE_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    SUBTYPE_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    detail: str
    id: int
    kind: ServiceErrorKind
    message: str
    score_id: int
    service_id: int
    service_name: str
    subtype: str
    team_id: int
    trace_id: str
    def __init__(self, id: _Optional[int] = ..., score_id: _Optional[int] = ..., service_id: _Optional[int] = ..., kind: _Optional[_Union[ServiceErrorKind, str]] = ..., message: _Optional[str] = ..., detail: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., trace_id: _Optional[str] = ..., team_id: _Optional[int] = ..., subtype: _Optional[str] = ..., service_name: _Optional[str] = ...) -> None: ...

class ServiceStatus(_message.Message):
    __slots__ = ["administratively_down", "blue_visibility", "down_reason", "external", "green_visibility", "in_progress", "last_scan", "last_scan_error", "last_scan_time", "name", "port", "public_visibility", "red_visibility", "score_cap", "service_id", "subtype", "team_id", "url", "version"]
    ADMINISTRATIVELY_DOWN_FIELD_NUMBER: _ClassVar[int]
    BLUE_VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    DOWN_REASON_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_FIELD_NUMBER: _ClassVar[int]
    GREEN_VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    IN_PROGRESS_FIELD_NUMBER: _ClassVar[int]
    LAST_SCAN_ERROR_FIELD_NUMBER: _ClassVar[int]
    LAST_SCAN_FIELD_NUMBER: _ClassVar[int]
    LAST_SCAN_TIME_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    RED_VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    SCORE_CAP_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBTYPE_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    administratively_down: bool
    blue_visibility: bool
    down_reason: str
    external: bool
    green_visibility: bool
    in_progress: bool
    last_scan: int
    last_scan_error: str
    last_scan_time: _timestamp_pb2.Timestamp
    name: str
    port: int
    public_visibility: bool
    red_visibility: bool
    score_cap: int
    service_id: int
    subtype: str
    team_id: int
    url: str
    version: int
    def __init__(self, service_id: _Optional[int] = ..., team_id: _Optional[int] = ..., subtype: _Optional[str] = ..., url: _Optional[str] = ..., port: _Optional[int] = ..., external: bool = ..., in_progress: bool = ..., last_scan: _Optional[int] = ..., last_scan_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., last_scan_error: _Optional[str] = ..., administratively_down: bool = ..., down_reason: _Optional[str] = ..., public_visibility: bool = ..., blue_visibility: bool = ..., green_visibility: bool = ..., red_visibility: bool = ..., version: _Optional[int] = ..., name: _Optional[str] = ..., score_cap: _Optional[int] = ...) -> None: ...

class Team(_message.Message):
    __slots__ = ["created_at", "id", "name"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    id: int
    name: str
    def __init__(self, id: _Optional[int] = ..., name: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ServiceErrorKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RoundStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
