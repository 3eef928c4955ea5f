from checkwire_lc._gen.jobs.v1 import jobs_pb2 as _jobs_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
JOB_STATE_CLOSED: JobState
JOB_STATE_OPEN: JobState
JOB_STATE_UNSPECIFIED: JobState

class AddJobSensorRequest(_message.Message):
    __slots__ = ["job_id", "sensor_id"]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    SENSOR_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    sensor_id: str
    def __init__(self, job_id: _Optional[str] = ..., sensor_id: _Optional[str] = ...) -> None: ...

class AddJobSensorResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: _jobs_pb2.Job
    def __init__(self, job: _Optional[_Union[_jobs_pb2.Job, _Mapping]] = ...) -> None: ...

class ApplyJobUpdatesRequest(_message.Message):
    __slots__ = ["oid", "service_name", "updates"]
    OID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    UPDATES_FIELD_NUMBER: _ClassVar[int]
    oid: str
    service_name: str
    updates: _containers.RepeatedCompositeFieldContainer[JobUpdate]
    def __init__(self, oid: _Optional[str] = ..., service_name: _Optional[str] = ..., updates: _Optional[_Iterable[_Union[JobUpdate, _Mapping]]] = ...) -> None: ...

class ApplyJobUpdatesResponse(_message.Message):
    __slots__ = ["jobs"]
    JOBS_FIELD_NUMBER: _ClassVar[int]
    jobs: _containers.RepeatedCompositeFieldContainer[_jobs_pb2.Job]
    def __init__(self, jobs: _Optional[_Iterable[_Union[_jobs_pb2.Job, _Mapping]]] = ...) -> None: ...

class CloseJobRequest(_message.Message):
    __slots__ = ["job_id"]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class CloseJobResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: _jobs_pb2.Job
    def __init__(self, job: _Optional[_Union[_jobs_pb2.Job, _Mapping]] = ...) -> None: ...

class ConfirmJobUpdatesDeliveredRequest(_message.Message):
    __slots__ = ["delivery_id"]
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    delivery_id: str
    def __init__(self, delivery_id: _Optional[str] = ...) -> None: ...

class ConfirmJobUpdatesDeliveredResponse(_message.Message):
    __slots__ = ["confirmed"]
    CONFIRMED_FIELD_NUMBER: _ClassVar[int]
    confirmed: int
    def __init__(self, confirmed: _Optional[int] = ...) -> None: ...

class CreateJobRequest(_message.Message):
    __slots__ = ["cause", "id", "oid", "sensor_ids", "service_name"]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    OID_FIELD_NUMBER: _ClassVar[int]
    SENSOR_IDS_FIELD_NUMBER: _ClassVar[int]
    SERVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    cause: str
    id: str
    oid: str
    sensor_ids: _containers.RepeatedScalarFieldContainer[str]
    service_name: str
    def __init__(self, id: _Optional[str] = ..., oid: _Optional[str] = ..., service_name: _Optional[str] = ..., cause: _Optional[str] = ..., sensor_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateJobResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: _jobs_pb2.Job
    def __init__(self, job: _Optional[_Union[_jobs_pb2.Job, _Mapping]] = ...) -> None: ...

class GetJobRequest(_message.Message):
    __slots__ = ["job_id"]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class GetJobResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: _jobs_pb2.Job
    def __init__(self, job: _Optional[_Union[_jobs_pb2.Job, _Mapping]] = ...) -> None: ...

class JobDelta(_message.Message):
    __slots__ = ["cause_changed", "is_new", "job", "newly_closed", "sensors_changed"]
    CAUSE_CHANGED_FIELD_NUMBER: _ClassVar[int]
    IS_NEW_FIELD_NUMBER: _ClassVar[int]
    JOB_FIELD_NUMBER: _ClassVar[int]
    NEWLY_CLOSED_FIELD_NUMBER: _ClassVar[int]
    SENSORS_CHANGED_FIELD_NUMBER: _ClassVar[int]
    cause_changed: bool
    is_new: bool
    job: _jobs_pb2.Job
    newly_closed: bool
    sensors_changed: bool
    def __init__(self, job: _Optional[_Union[_jobs_pb2.Job, _Mapping]] = ..., is_new: bool = ..., newly_closed: bool = ..., cause_changed: bool = ..., sensors_changed: bool = ...) -> None: ...

class JobUpdate(_message.Message):
    __slots__ = ["cause", "closed", "id", "narration", "sensor_ids", "start_time"]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NARRATION_FIELD_NUMBER: _ClassVar[int]
    SENSOR_IDS_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    cause: str
    closed: bool
    id: str
    narration: _containers.RepeatedCompositeFieldContainer[_jobs_pb2.NarrationEntry]
    sensor_ids: _containers.RepeatedScalarFieldContainer[str]
    start_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., cause: _Optional[str] = ..., sensor_ids: _Optional[_Iterable[str]] = ..., narration: _Optional[_Iterable[_Union[_jobs_pb2.NarrationEntry, _Mapping]]] = ..., closed: bool = ..., start_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListJobsRequest(_message.Message):
    __slots__ = ["oid", "page_size", "page_token", "since", "state", "until"]
    OID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    oid: str
    page_size: int
    page_token: str
    since: _timestamp_pb2.Timestamp
    state: JobState
    until: _timestamp_pb2.Timestamp
    def __init__(self, oid: _Optional[str] = ..., state: _Optional[_Union[JobState, str]] = ..., since: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListJobsResponse(_message.Message):
    __slots__ = ["jobs", "next_page_token"]
    JOBS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    jobs: _containers.RepeatedCompositeFieldContainer[_jobs_pb2.Job]
    next_page_token: str
    def __init__(self, jobs: _Optional[_Iterable[_Union[_jobs_pb2.Job, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class NarrateJobRequest(_message.Message):
    __slots__ = ["attachments", "important", "job_id", "message"]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    IMPORTANT_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    attachments: _containers.RepeatedCompositeFieldContainer[_jobs_pb2.Attachment]
    important: bool
    job_id: str
    message: str
    def __init__(self, job_id: _Optional[str] = ..., message: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[_jobs_pb2.Attachment, _Mapping]]] = ..., important: bool = ...) -> None: ...

class NarrateJobResponse(_message.Message):
    __slots__ = ["entry"]
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: _jobs_pb2.NarrationEntry
    def __init__(self, entry: _Optional[_Union[_jobs_pb2.NarrationEntry, _Mapping]] = ...) -> None: ...

class SetJobCauseRequest(_message.Message):
    __slots__ = ["cause", "job_id"]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    cause: str
    job_id: str
    def __init__(self, job_id: _Optional[str] = ..., cause: _Optional[str] = ...) -> None: ...

class SetJobCauseResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: _jobs_pb2.Job
    def __init__(self, job: _Optional[_Union[_jobs_pb2.Job, _Mapping]] = ...) -> None: ...

class TakeUndeliveredJobUpdatesRequest(_message.Message):
    __slots__ = ["lease_seconds", "limit", "oid", "service_name"]
    LEASE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    lease_seconds: int
    limit: int
    oid: str
    service_name: str
    def __init__(self, oid: _Optional[str] = ..., service_name: _Optional[str] = ..., limit: _Optional[int] = ..., lease_seconds: _Optional[int] = ...) -> None: ...

class TakeUndeliveredJobUpdatesResponse(_message.Message):
    __slots__ = ["delivery_id", "deltas", "more"]
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    DELTAS_FIELD_NUMBER: _ClassVar[int]
    MORE_FIELD_NUMBER: _ClassVar[int]
    delivery_id: str
    deltas: _containers.RepeatedCompositeFieldContainer[JobDelta]
    more: bool
    def __init__(self, deltas: _Optional[_Iterable[_Union[JobDelta, _Mapping]]] = ..., delivery_id: _Optional[str] = ..., more: bool = ...) -> None: ...

class WatchJobRequest(_message.Message):
    __slots__ = ["job_id"]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class WatchJobResponse(_message.Message):
    __slots__ = ["changed", "narrated", "snapshot"]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    NARRATED_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    changed: _jobs_pb2.Job
    narrated: _jobs_pb2.NarrationEntry
    snapshot: _jobs_pb2.Job
    def __init__(self, snapshot: _Optional[_Union[_jobs_pb2.Job, _Mapping]] = ..., narrated: _Optional[_Union[_jobs_pb2.NarrationEntry, _Mapping]] = ..., changed: _Optional[_Union[_jobs_pb2.Job, _Mapping]] = ...) -> None: ...

class WatchUndeliveredOrgsRequest(_message.Message):
    __slots__ = ["service_name"]
    SERVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    service_name: str
    def __init__(self, service_name: _Optional[str] = ...) -> None: ...

class WatchUndeliveredOrgsResponse(_message.Message):
    __slots__ = ["oids", "snapshot"]
    OIDS_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    oids: _containers.RepeatedScalarFieldContainer[str]
    snapshot: bool
    def __init__(self, oids: _Optional[_Iterable[str]] = ..., snapshot: bool = ...) -> None: ...

class JobState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
