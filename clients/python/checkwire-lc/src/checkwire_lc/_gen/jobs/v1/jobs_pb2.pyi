from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Attachment(_message.Message):
    __slots__ = ["caption", "hex_dump", "json", "table", "yaml"]
    CAPTION_FIELD_NUMBER: _ClassVar[int]
    HEX_DUMP_FIELD_NUMBER: _ClassVar[int]
    JSON_FIELD_NUMBER: _ClassVar[int]
    TABLE_FIELD_NUMBER: _ClassVar[int]
    YAML_FIELD_NUMBER: _ClassVar[int]
    caption: str
    hex_dump: HexDump
    json: JsonDocument
    table: Table
    yaml: YamlDocument
    def __init__(self, caption: _Optional[str] = ..., hex_dump: _Optional[_Union[HexDump, _Mapping]] = ..., table: _Optional[_Union[Table, _Mapping]] = ..., json: _Optional[_Union[JsonDocument, _Mapping]] = ..., yaml: _Optional[_Union[YamlDocument, _Mapping]] = ...) -> None: ...

class HexDump(_message.Message):
    __slots__ = ["data"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    def __init__(self, data: _Optional[bytes] = ...) -> None: ...

class Job(_message.Message):
    __slots__ = ["cause", "end_time", "id", "narration", "oid", "sensor_ids", "service_name", "start_time"]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NARRATION_FIELD_NUMBER: _ClassVar[int]
    OID_FIELD_NUMBER: _ClassVar[int]
    SENSOR_IDS_FIELD_NUMBER: _ClassVar[int]
    SERVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    cause: str
    end_time: _timestamp_pb2.Timestamp
    id: str
    narration: _containers.RepeatedCompositeFieldContainer[NarrationEntry]
    oid: str
    sensor_ids: _containers.RepeatedScalarFieldContainer[str]
    service_name: str
    start_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., oid: _Optional[str] = ..., service_name: _Optional[str] = ..., cause: _Optional[str] = ..., sensor_ids: _Optional[_Iterable[str]] = ..., narration: _Optional[_Iterable[_Union[NarrationEntry, _Mapping]]] = ..., start_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class JsonDocument(_message.Message):
    __slots__ = ["text"]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    text: str
    def __init__(self, text: _Optional[str] = ...) -> None: ...

class NarrationEntry(_message.Message):
    __slots__ = ["attachments", "id", "important", "message", "time"]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    IMPORTANT_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    attachments: _containers.RepeatedCompositeFieldContainer[Attachment]
    id: str
    important: bool
    message: str
    time: _timestamp_pb2.Timestamp
    def __init__(self, time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., message: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[Attachment, _Mapping]]] = ..., important: bool = ..., id: _Optional[str] = ...) -> None: ...

class Table(_message.Message):
    __slots__ = ["headers", "rows"]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    headers: _containers.RepeatedScalarFieldContainer[str]
    rows: _containers.RepeatedCompositeFieldContainer[TableRow]
    def __init__(self, headers: _Optional[_Iterable[str]] = ..., rows: _Optional[_Iterable[_Union[TableRow, _Mapping]]] = ...) -> None: ...

class TableRow(_message.Message):
    __slots__ = ["cells"]
    CELLS_FIELD_NUMBER: _ClassVar[int]
    cells: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, cells: _Optional[_Iterable[str]] = ...) -> None: ...

class YamlDocument(_message.Message):
    __slots__ = ["text"]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    text: str
    def __init__(self, text: _Optional[str] = ...) -> None: ...
