from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ContentRule(_message.Message):
    __slots__ = ["contains", "exact", "regex", "sha256"]
    CONTAINS_FIELD_NUMBER: _ClassVar[int]
    EXACT_FIELD_NUMBER: _ClassVar[int]
    REGEX_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    contains: str
    exact: str
    regex: str
    sha256: str
    def __init__(self, contains: _Optional[str] = ..., exact: _Optional[str] = ..., regex: _Optional[str] = ..., sha256: _Optional[str] = ...) -> None: ...

class DnsCheckSettings(_message.Message):
    __slots__ = ["record_type"]
    RECORD_TYPE_FIELD_NUMBER: _ClassVar[int]
    record_type: str
    def __init__(self, record_type: _Optional[str] = ...) -> None: ...

class FormLogin(_message.Message):
    __slots__ = ["fields", "password_field", "url", "username_field"]
    class FieldsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.ScalarMap[str, str]
    password_field: str
    url: str
    username_field: str
    def __init__(self, url: _Optional[str] = ..., username_field: _Optional[str] = ..., password_field: _Optional[str] = ..., fields: _Optional[_Mapping[str, str]] = ...) -> None: ...

class HeaderRule(_message.Message):
    __slots__ = ["name", "rule"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    name: str
    rule: ContentRule
    def __init__(self, name: _Optional[str] = ..., rule: _Optional[_Union[ContentRule, _Mapping]] = ...) -> None: ...

class HttpCheckSettings(_message.Message):
    __slots__ = ["headers", "login", "max_redirects", "status", "verify_tls"]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    LOGIN_FIELD_NUMBER: _ClassVar[int]
    MAX_REDIRECTS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VERIFY_TLS_FIELD_NUMBER: _ClassVar[int]
    headers: _containers.RepeatedCompositeFieldContainer[HeaderRule]
    login: FormLogin
    max_redirects: int
    status: _containers.RepeatedScalarFieldContainer[int]
    verify_tls: bool
    def __init__(self, status: _Optional[_Iterable[int]] = ..., headers: _Optional[_Iterable[_Union[HeaderRule, _Mapping]]] = ..., max_redirects: _Optional[int] = ..., verify_tls: bool = ..., login: _Optional[_Union[FormLogin, _Mapping]] = ...) -> None: ...

class ServiceCheckSettings(_message.Message):
    __slots__ = ["dns", "expect", "http", "partial", "reject", "sql"]
    DNS_FIELD_NUMBER: _ClassVar[int]
    EXPECT_FIELD_NUMBER: _ClassVar[int]
    HTTP_FIELD_NUMBER: _ClassVar[int]
    PARTIAL_FIELD_NUMBER: _ClassVar[int]
    REJECT_FIELD_NUMBER: _ClassVar[int]
    SQL_FIELD_NUMBER: _ClassVar[int]
    dns: DnsCheckSettings
    expect: _containers.RepeatedCompositeFieldContainer[ContentRule]
    http: HttpCheckSettings
    partial: bool
    reject: _containers.RepeatedCompositeFieldContainer[ContentRule]
    sql: SqlCheckSettings
    def __init__(self, expect: _Optional[_Iterable[_Union[ContentRule, _Mapping]]] = ..., reject: _Optional[_Iterable[_Union[ContentRule, _Mapping]]] = ..., partial: bool = ..., http: _Optional[_Union[HttpCheckSettings, _Mapping]] = ..., dns: _Optional[_Union[DnsCheckSettings, _Mapping]] = ..., sql: _Optional[_Union[SqlCheckSettings, _Mapping]] = ...) -> None: ...

class SqlCheckSettings(_message.Message):
    __slots__ = ["query"]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    query: str
    def __init__(self, query: _Optional[str] = ...) -> None: ...
