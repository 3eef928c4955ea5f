from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Continuation(_message.Message):
    __slots__ = ["action", "in_delay_sec", "state"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    IN_DELAY_SEC_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    action: str
    in_delay_sec: int
    state: _struct_pb2.Struct
    def __init__(self, in_delay_sec: _Optional[int] = ..., action: _Optional[str] = ..., state: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class ContinuationOrigin(_message.Message):
    __slots__ = ["attempt", "due_at", "id"]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    attempt: int
    due_at: _timestamp_pb2.Timestamp
    id: str
    def __init__(self, id: _Optional[str] = ..., attempt: _Optional[int] = ..., due_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DescribeExtensionRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class DescribeExtensionResponse(_message.Message):
    __slots__ = ["actions", "config_schema", "extra_schema", "required_events"]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    CONFIG_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    EXTRA_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_EVENTS_FIELD_NUMBER: _ClassVar[int]
    actions: _containers.RepeatedCompositeFieldContainer[ExtensionAction]
    config_schema: _struct_pb2.Struct
    extra_schema: _struct_pb2.Struct
    required_events: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, config_schema: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., actions: _Optional[_Iterable[_Union[ExtensionAction, _Mapping]]] = ..., required_events: _Optional[_Iterable[str]] = ..., extra_schema: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class ExtensionAction(_message.Message):
    __slots__ = ["extra", "is_impersonated", "is_user_facing", "long_description", "name", "parameters", "response", "short_description"]
    EXTRA_FIELD_NUMBER: _ClassVar[int]
    IS_IMPERSONATED_FIELD_NUMBER: _ClassVar[int]
    IS_USER_FACING_FIELD_NUMBER: _ClassVar[int]
    LONG_DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    SHORT_DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    extra: _struct_pb2.Struct
    is_impersonated: bool
    is_user_facing: bool
    long_description: str
    name: str
    parameters: _struct_pb2.Struct
    response: _struct_pb2.Struct
    short_description: str
    def __init__(self, name: _Optional[str] = ..., is_user_facing: bool = ..., short_description: _Optional[str] = ..., long_description: _Optional[str] = ..., is_impersonated: bool = ..., parameters: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., response: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., extra: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class ExtensionCall(_message.Message):
    __slots__ = ["deadline", "extension_name", "idempotency_key"]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_NAME_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    deadline: _timestamp_pb2.Timestamp
    extension_name: str
    idempotency_key: str
    def __init__(self, extension_name: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., deadline: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ExtensionConfigValidation(_message.Message):
    __slots__ = ["call", "config", "org"]
    CALL_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    ORG_FIELD_NUMBER: _ClassVar[int]
    call: ExtensionCall
    config: _struct_pb2.Struct
    org: ExtensionOrg
    def __init__(self, call: _Optional[_Union[ExtensionCall, _Mapping]] = ..., org: _Optional[_Union[ExtensionOrg, _Mapping]] = ..., config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class ExtensionErrorReport(_message.Message):
    __slots__ = ["call", "error", "oid"]
    CALL_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    OID_FIELD_NUMBER: _ClassVar[int]
    call: ExtensionCall
    error: str
    oid: str
    def __init__(self, call: _Optional[_Union[ExtensionCall, _Mapping]] = ..., oid: _Optional[str] = ..., error: _Optional[str] = ...) -> None: ...

class ExtensionEvent(_message.Message):
    __slots__ = ["call", "config", "data", "event_name", "org"]
    CALL_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    EVENT_NAME_FIELD_NUMBER: _ClassVar[int]
    ORG_FIELD_NUMBER: _ClassVar[int]
    call: ExtensionCall
    config: _struct_pb2.Struct
    data: _struct_pb2.Value
    event_name: str
    org: ExtensionOrg
    def __init__(self, call: _Optional[_Union[ExtensionCall, _Mapping]] = ..., org: _Optional[_Union[ExtensionOrg, _Mapping]] = ..., event_name: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class ExtensionMetric(_message.Message):
    __slots__ = ["sku", "value"]
    SKU_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    sku: str
    value: float
    def __init__(self, sku: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...

class ExtensionOrg(_message.Message):
    __slots__ = ["ident", "jwt", "oid"]
    IDENT_FIELD_NUMBER: _ClassVar[int]
    JWT_FIELD_NUMBER: _ClassVar[int]
    OID_FIELD_NUMBER: _ClassVar[int]
    ident: str
    jwt: str
    oid: str
    def __init__(self, oid: _Optional[str] = ..., jwt: _Optional[str] = ..., ident: _Optional[str] = ...) -> None: ...

class ExtensionRequest(_message.Message):
    __slots__ = ["action", "call", "config", "continuation", "data", "inv_id", "org", "resource_state"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    CALL_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CONTINUATION_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    INV_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_STATE_FIELD_NUMBER: _ClassVar[int]
    action: str
    call: ExtensionCall
    config: _struct_pb2.Struct
    continuation: ContinuationOrigin
    data: _struct_pb2.Struct
    inv_id: str
    org: ExtensionOrg
    resource_state: _struct_pb2.Value
    def __init__(self, call: _Optional[_Union[ExtensionCall, _Mapping]] = ..., org: _Optional[_Union[ExtensionOrg, _Mapping]] = ..., action: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., resource_state: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., inv_id: _Optional[str] = ..., continuation: _Optional[_Union[ContinuationOrigin, _Mapping]] = ...) -> None: ...

class ExtensionResponse(_message.Message):
    __slots__ = ["continuations", "data", "error", "metrics", "retriable"]
    CONTINUATIONS_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    RETRIABLE_FIELD_NUMBER: _ClassVar[int]
    continuations: _containers.RepeatedCompositeFieldContainer[Continuation]
    data: _struct_pb2.Value
    error: str
    metrics: _containers.RepeatedCompositeFieldContainer[ExtensionMetric]
    retriable: bool
    def __init__(self, error: _Optional[str] = ..., retriable: bool = ..., data: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., continuations: _Optional[_Iterable[_Union[Continuation, _Mapping]]] = ..., metrics: _Optional[_Iterable[_Union[ExtensionMetric, _Mapping]]] = ...) -> None: ...

class OnExtensionErrorReportRequest(_message.Message):
    __slots__ = ["report"]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: ExtensionErrorReport
    def __init__(self, report: _Optional[_Union[ExtensionErrorReport, _Mapping]] = ...) -> None: ...

class OnExtensionErrorReportResponse(_message.Message):
    __slots__ = ["response"]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    response: ExtensionResponse
    def __init__(self, response: _Optional[_Union[ExtensionResponse, _Mapping]] = ...) -> None: ...

class OnExtensionEventRequest(_message.Message):
    __slots__ = ["event"]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: ExtensionEvent
    def __init__(self, event: _Optional[_Union[ExtensionEvent, _Mapping]] = ...) -> None: ...

class OnExtensionEventResponse(_message.Message):
    __slots__ = ["response"]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    response: ExtensionResponse
    def __init__(self, response: _Optional[_Union[ExtensionResponse, _Mapping]] = ...) -> None: ...

class OnExtensionRequestRequest(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: ExtensionRequest
    def __init__(self, request: _Optional[_Union[ExtensionRequest, _Mapping]] = ...) -> None: ...

class OnExtensionRequestResponse(_message.Message):
    __slots__ = ["response"]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    response: ExtensionResponse
    def __init__(self, response: _Optional[_Union[ExtensionResponse, _Mapping]] = ...) -> None: ...

class ValidateExtensionConfigRequest(_message.Message):
    __slots__ = ["validation"]
    VALIDATION_FIELD_NUMBER: _ClassVar[int]
    validation: ExtensionConfigValidation
    def __init__(self, validation: _Optional[_Union[ExtensionConfigValidation, _Mapping]] = ...) -> None: ...

class ValidateExtensionConfigResponse(_message.Message):
    __slots__ = ["response"]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    response: ExtensionResponse
    def __init__(self, response: _Optional[_Union[ExtensionResponse, _Mapping]] = ...) -> None: ...
