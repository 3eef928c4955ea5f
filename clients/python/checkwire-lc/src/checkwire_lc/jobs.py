"""lcservice.jobs: Jobs and their attachments, by lcservice 1.8's names.

``Job.toJson()`` renders the wire form LimaCharlie reads (../shared/lc-protocol.md, "Jobs"), which
``response(jobs=[...])`` carries. One addition: each narration entry has an ``id``; the gateway
stores an entry once per job and id, so returning the same Job again adds only its new entries
(lcservice would append the whole history again).
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

import yaml

JsonDict = Dict[str, Any]


def _now_ms() -> int:
    return int(time.time() * 1000)


def _cell(value: Any) -> str:
    """A table cell as text (the contract's cells are strings): JSON for numbers, booleans, None."""
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, (bool, int, float)):
        return json.dumps(value)
    return str(value)


def _listed(value: Any, what: str) -> List[Any]:
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{what} must be a list or a tuple, not {type(value).__name__}")
    return list(value)


def _document(kind: str, data: Any) -> Any:
    if not isinstance(data, (dict, list, tuple)):
        raise TypeError(f"{kind} attachment data must be a dict, a list or a tuple, not {type(data).__name__}")
    return data


class HexDump:
    """Bytes shown as a hex dump (str is encoded as UTF-8)."""

    def __init__(self, caption: str, data: Union[bytes, bytearray, str]) -> None:
        self.caption = caption
        self._data = data.encode("utf-8") if isinstance(data, str) else bytes(data)

    def toJson(self) -> JsonDict:
        return {
            "att_type": "hex_dump",
            "caption": self.caption,
            "data": base64.b64encode(self._data).decode("ascii"),
        }


class Table:
    """A table: headers and each row are lists or tuples (as lcservice checks), ``rows`` any
    iterable of them (a generator too); cells are sent as text."""

    def __init__(self, caption: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]] = ()) -> None:
        self.caption = caption
        self._headers = [_cell(h) for h in _listed(headers, "Table headers")]
        self._rows: List[List[str]] = []
        for row in rows:
            self.addRow(row)

    def addRow(self, fields: Sequence[Any]) -> None:
        self._rows.append([_cell(f) for f in _listed(fields, "Table row")])

    def length(self) -> int:
        return len(self._rows)

    def toJson(self) -> JsonDict:
        return {
            "att_type": "table",
            "caption": self.caption,
            "headers": list(self._headers),
            "rows": [list(r) for r in self._rows],
        }


class JsonData:
    """A dict, list or tuple shown as JSON, rendered as lcservice does (``json.dumps(data, indent=2)``)."""

    def __init__(self, caption: str, data: Any) -> None:
        self.caption = caption
        self._text = json.dumps(_document("JSON", data), indent=2)

    def toJson(self) -> JsonDict:
        return {"att_type": "json", "caption": self.caption, "data": self._text}


class YamlData:
    """A dict, list or tuple shown as YAML (``yaml.safe_dump(data, default_flow_style=False)``)."""

    def __init__(self, caption: str, data: Any) -> None:
        self.caption = caption
        self._text = yaml.safe_dump(_document("YAML", data), default_flow_style=False)

    def toJson(self) -> JsonDict:
        return {"att_type": "yaml", "caption": self.caption, "data": self._text}


Attachment = Union[HexDump, Table, JsonData, YamlData]


class Job:
    """A LimaCharlie job: ``Job()`` starts a new one (it needs ``setCause``); ``Job(jobId)``
    advances one created earlier."""

    def __init__(self, jobId: Optional[str] = None) -> None:
        self._isNew = jobId is None
        self._id = str(uuid.uuid4()) if jobId is None else str(jobId)
        self._start = _now_ms()
        self._cause: Optional[str] = None
        self._sensors: List[str] = []
        self._hist: List[JsonDict] = []
        self._end: Optional[int] = None

    def getId(self) -> str:
        return self._id

    def setCause(self, cause: str) -> None:
        self._cause = cause

    def addSensor(self, sid: str) -> None:
        if sid not in self._sensors:
            self._sensors.append(str(sid))

    def narrate(
        self, message: str, attachments: Iterable[Attachment] = (), isImportant: bool = False
    ) -> None:
        self._hist.append(
            {
                "id": str(uuid.uuid4()),
                "ts": _now_ms(),
                "msg": message,
                "attachments": [a.toJson() for a in attachments],
                "is_important": bool(isImportant),
            }
        )

    def close(self) -> None:
        if self._end is None:
            self._end = _now_ms()

    def toJson(self) -> JsonDict:
        if self._isNew and not self._cause:
            raise ValueError(f"job {self._id} is new and has no cause: call setCause() first")
        out: JsonDict = {"id": self._id, "hist": [dict(h) for h in self._hist]}
        if self._sensors:
            out["sid"] = list(self._sensors)
        if self._isNew:
            out["start"] = self._start
            out["cause"] = self._cause
        elif self._cause:
            out["cause"] = self._cause
        if self._end is not None:
            out["end"] = self._end
        return out
