from checkwire_lc._gen.jobs.v1 import jobs_service_pb2 as _jobs_service_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
PARAMETER_TYPE_BOOL: ParameterType
PARAMETER_TYPE_ENUM: ParameterType
PARAMETER_TYPE_INT: ParameterType
PARAMETER_TYPE_STR: ParameterType
PARAMETER_TYPE_UNSPECIFIED: ParameterType

class Callback(_message.Message):
    __slots__ = ["data", "deadline", "etype", "jwt", "mid", "oid", "service_name", "sid"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    ETYPE_FIELD_NUMBER: _ClassVar[int]
    JWT_FIELD_NUMBER: _ClassVar[int]
    MID_FIELD_NUMBER: _ClassVar[int]
    OID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    SID_FIELD_NUMBER: _ClassVar[int]
    data: _struct_pb2.Struct
    deadline: _timestamp_pb2.Timestamp
    etype: str
    jwt: str
    mid: str
    oid: str
    service_name: str
    sid: str
    def __init__(self, etype: _Optional[str] = ..., oid: _Optional[str] = ..., jwt: _Optional[str] = ..., mid: _Optional[str] = ..., deadline: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., service_name: _Optional[str] = ..., sid: _Optional[str] = ...) -> None: ...

class CallbackResult(_message.Message):
    __slots__ = ["data", "error", "jobs", "retry", "success", "tasks"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    JOBS_FIELD_NUMBER: _ClassVar[int]
    RETRY_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_FIELD_NUMBER: _ClassVar[int]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    data: _struct_pb2.Struct
    error: str
    jobs: _containers.RepeatedCompositeFieldContainer[_jobs_service_pb2.JobUpdate]
    retry: bool
    success: bool
    tasks: _containers.RepeatedCompositeFieldContainer[SensorTask]
    def __init__(self, success: bool = ..., retry: bool = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., error: _Optional[str] = ..., jobs: _Optional[_Iterable[_Union[_jobs_service_pb2.JobUpdate, _Mapping]]] = ..., tasks: _Optional[_Iterable[_Union[SensorTask, _Mapping]]] = ...) -> None: ...

class DescribeRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class DescribeResponse(_message.Message):
    __slots__ = ["callbacks", "detect_subscriptions", "interactive", "reply_callbacks", "request_parameters", "resources", "start_time"]
    class RequestParametersEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: RequestParameter
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[RequestParameter, _Mapping]] = ...) -> None: ...
    CALLBACKS_FIELD_NUMBER: _ClassVar[int]
    DETECT_SUBSCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    INTERACTIVE_FIELD_NUMBER: _ClassVar[int]
    REPLY_CALLBACKS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    RESOURCES_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    callbacks: _containers.RepeatedScalarFieldContainer[str]
    detect_subscriptions: _containers.RepeatedScalarFieldContainer[str]
    interactive: bool
    reply_callbacks: _containers.RepeatedScalarFieldContainer[str]
    request_parameters: _containers.MessageMap[str, RequestParameter]
    resources: _containers.RepeatedCompositeFieldContainer[Resource]
    start_time: _timestamp_pb2.Timestamp
    def __init__(self, start_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., callbacks: _Optional[_Iterable[str]] = ..., detect_subscriptions: _Optional[_Iterable[str]] = ..., request_parameters: _Optional[_Mapping[str, RequestParameter]] = ..., resources: _Optional[_Iterable[_Union[Resource, _Mapping]]] = ..., interactive: bool = ..., reply_callbacks: _Optional[_Iterable[str]] = ...) -> None: ...

class Every12HourGloballyRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every12HourGloballyResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every12HourPerOrgRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every12HourPerOrgResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every12HourPerSensorRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every12HourPerSensorResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every1HourGloballyRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every1HourGloballyResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every1HourPerOrgRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every1HourPerOrgResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every1HourPerSensorRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every1HourPerSensorResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every24HourGloballyRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every24HourGloballyResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every24HourPerOrgRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every24HourPerOrgResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every24HourPerSensorRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every24HourPerSensorResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every30DayGloballyRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every30DayGloballyResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every30DayPerOrgRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every30DayPerOrgResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every30DayPerSensorRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every30DayPerSensorResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every3HourGloballyRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every3HourGloballyResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every3HourPerOrgRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every3HourPerOrgResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every3HourPerSensorRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every3HourPerSensorResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every7DayGloballyRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every7DayGloballyResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every7DayPerOrgRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every7DayPerOrgResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class Every7DayPerSensorRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class Every7DayPerSensorResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class OnDeploymentEventRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class OnDeploymentEventResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class OnDetectionRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class OnDetectionResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class OnLogEventRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class OnLogEventResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class OnNewSensorRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class OnNewSensorResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class OnOrgInstalledRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class OnOrgInstalledResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class OnOrgUninstalledRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class OnOrgUninstalledResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class OnRequestRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class OnRequestResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class OnServiceErrorRequest(_message.Message):
    __slots__ = ["callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ...) -> None: ...

class OnServiceErrorResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class OnTaskReplyRequest(_message.Message):
    __slots__ = ["callback", "context", "event", "job_id", "reply_callback"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    REPLY_CALLBACK_FIELD_NUMBER: _ClassVar[int]
    callback: Callback
    context: str
    event: _struct_pb2.Struct
    job_id: str
    reply_callback: str
    def __init__(self, callback: _Optional[_Union[Callback, _Mapping]] = ..., reply_callback: _Optional[str] = ..., job_id: _Optional[str] = ..., context: _Optional[str] = ..., event: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class OnTaskReplyResponse(_message.Message):
    __slots__ = ["result"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CallbackResult
    def __init__(self, result: _Optional[_Union[CallbackResult, _Mapping]] = ...) -> None: ...

class RequestParameter(_message.Message):
    __slots__ = ["description", "is_required", "type", "values"]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    IS_REQUIRED_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    description: str
    is_required: bool
    type: ParameterType
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, type: _Optional[_Union[ParameterType, str]] = ..., values: _Optional[_Iterable[str]] = ..., is_required: bool = ..., description: _Optional[str] = ...) -> None: ...

class Resource(_message.Message):
    __slots__ = ["category", "content", "name"]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    category: str
    content: bytes
    name: str
    def __init__(self, name: _Optional[str] = ..., category: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class SensorTask(_message.Message):
    __slots__ = ["callback", "commands", "context", "job_id", "sid"]
    CALLBACK_FIELD_NUMBER: _ClassVar[int]
    COMMANDS_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    SID_FIELD_NUMBER: _ClassVar[int]
    callback: str
    commands: _containers.RepeatedScalarFieldContainer[str]
    context: str
    job_id: str
    sid: str
    def __init__(self, sid: _Optional[str] = ..., commands: _Optional[_Iterable[str]] = ..., callback: _Optional[str] = ..., context: _Optional[str] = ..., job_id: _Optional[str] = ...) -> None: ...

class ParameterType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
