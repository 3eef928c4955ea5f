"""Between lcservice's Python values and the LC handler contract's messages (pure functions)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Iterable, Mapping, Optional, Tuple

from google.protobuf import json_format, timestamp_pb2

from ._gen.jobs.v1 import jobs_pb2, jobs_service_pb2
from ._gen.lc.v1 import handler_service_pb2 as lc_pb2
from .request import Request, TaskReply
from .tasks import SensorTask

_PARAMETER_TYPES = {
    "int": lc_pb2.PARAMETER_TYPE_INT,
    "str": lc_pb2.PARAMETER_TYPE_STR,
    "bool": lc_pb2.PARAMETER_TYPE_BOOL,
    "enum": lc_pb2.PARAMETER_TYPE_ENUM,
}

#: Whole numbers a double holds exactly; beyond them a JSON integer was already rounded.
_EXACT = 2**53


def plain(value: Any) -> Any:
    """A Struct's value as the JSON LimaCharlie sent: Struct keeps every number as a double, so
    whole numbers become ints again (``5``, not ``5.0``)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) <= _EXACT:
        return int(value)
    return value


def request_from_callback(etype: str, cb: lc_pb2.Callback) -> Tuple[Request, Optional[str], Optional[str]]:
    """The lcservice ``request`` for a callback, with its oid and JWT (None when absent)."""
    data = plain(json_format.MessageToDict(cb.data)) if cb.HasField("data") else {}
    deadline = cb.deadline.ToNanoseconds() / 1e9 if cb.HasField("deadline") else None
    request = Request(
        eventType=etype,
        messageId=cb.mid,
        data=data,
        deadline=deadline,
        sid=cb.sid or None,
    )
    return request, cb.oid or None, cb.jwt or None


def reply_from_request(req: lc_pb2.OnTaskReplyRequest) -> Tuple[TaskReply, Optional[str], Optional[str]]:
    """The reply an OnTaskReply carries, with the oid and JWT of its ``detection`` (None when
    absent); the event's whole numbers are ints again, as in ``request.data``."""
    cb = req.callback
    reply = TaskReply(
        callback=req.reply_callback,
        event=plain(json_format.MessageToDict(req.event)) if req.HasField("event") else {},
        jobId=req.job_id,
        ctx=req.context,
        messageId=cb.mid,
    )
    return reply, cb.oid or None, cb.jwt or None


def _timestamp_ms(ms: Any, what: str) -> timestamp_pb2.Timestamp:
    if isinstance(ms, bool) or not isinstance(ms, (int, float)):
        raise ValueError(f"{what} must be epoch milliseconds, not {ms!r}")
    ts = timestamp_pb2.Timestamp()
    ts.FromMilliseconds(int(ms))
    return ts


def _attachment(a: Mapping[str, Any]) -> jobs_pb2.Attachment:
    kind = a.get("att_type")
    out = jobs_pb2.Attachment(caption=str(a.get("caption", "")))
    if kind == "hex_dump":
        try:
            out.hex_dump.data = base64.b64decode(str(a.get("data", "")), validate=True)
        except binascii.Error as e:
            raise ValueError(f"hex_dump attachment {out.caption!r}: data is not base64 ({e})") from e
    elif kind == "table":
        out.table.headers.extend(str(h) for h in a.get("headers", []))
        for row in a.get("rows", []):
            out.table.rows.add().cells.extend(str(c) for c in row)
    elif kind == "json":
        out.json.text = str(a.get("data", ""))
    elif kind == "yaml":
        out.yaml.text = str(a.get("data", ""))
    else:
        raise ValueError(f"attachment {out.caption!r}: att_type {kind!r} is not hex_dump, table, json or yaml")
    return out


def job_update(job: Mapping[str, Any]) -> jobs_service_pb2.JobUpdate:
    """A job in lcservice's wire form (``Job.toJson()``) as the contract's JobUpdate."""
    if not job.get("id"):
        raise ValueError("a job in the response has no id")
    out = jobs_service_pb2.JobUpdate(
        id=str(job["id"]),
        cause=str(job.get("cause") or ""),
        sensor_ids=[str(s) for s in job.get("sid", [])],
        closed="end" in job,
    )
    if "start" in job:
        out.start_time.CopyFrom(_timestamp_ms(job["start"], "a job's start"))
    for h in job.get("hist", []):
        entry = out.narration.add(
            message=str(h.get("msg", "")),
            important=bool(h.get("is_important", False)),
            attachments=[_attachment(a) for a in h.get("attachments", [])],
        )
        entry.time.CopyFrom(_timestamp_ms(h.get("ts"), "a narration entry's ts"))
        if h.get("id"):
            entry.id = str(h["id"])
    return out


def callback_result(answer: Mapping[str, Any], tasks: Iterable[SensorTask] = ()) -> lc_pb2.CallbackResult:
    """A ``response(...)`` dict, with the sensor tasks the callback made, as the contract's
    CallbackResult (Service._handle has already turned lcservice's shortcuts into one). ``data`` goes through JSON first, as lcservice sends
    it: tuples become lists, int/float/bool/None keys become text, and what JSON cannot hold
    (a tuple key, an object) is a TypeError or ValueError, where lcservice's ``json.dumps``
    fails too."""
    if not isinstance(answer, Mapping):
        raise TypeError(f"a response is a dict, not {type(answer).__name__}")
    data = answer.get("data") or {}
    if not isinstance(data, dict):
        raise TypeError(f"response data must be a dict, not {type(data).__name__}")
    out = lc_pb2.CallbackResult(
        success=bool(answer.get("success", False)),
        retry=bool(answer.get("retry", False)),
        error=str(answer.get("error") or ""),
        jobs=[job_update(j) for j in answer.get("jobs", [])],
        tasks=[
            lc_pb2.SensorTask(sid=t.sid, commands=t.commands, callback=t.callback, context=t.context, job_id=t.job_id)
            for t in tasks
        ],
    )
    out.data.update(json.loads(json.dumps(data)))
    return out


def request_parameter(p: Mapping[str, Any]) -> lc_pb2.RequestParameter:
    return lc_pb2.RequestParameter(
        type=_PARAMETER_TYPES[str(p["type"])],
        values=[str(v) for v in p.get("values", [])],
        is_required=bool(p.get("is_required", False)),
        description=str(p.get("desc", "")),
    )
