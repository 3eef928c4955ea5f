"""The ``request`` argument of every callback, and what a reply callback is called with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional


@dataclass(frozen=True)
class Request:
    """One call from LimaCharlie: lcservice's ``eventType``, ``messageId`` and ``data``, plus
    ``deadline`` (epoch seconds LimaCharlie waits until, or None) and ``sid`` (per-sensor calls)."""

    eventType: str
    messageId: str
    data: Dict[str, Any] = field(default_factory=dict)
    deadline: Optional[float] = None
    sid: Optional[str] = None


@dataclass(frozen=True)
class TaskReply:
    """A sensor's reply to a task of an InteractiveService, as the gateway routed it: the reply
    callback the task named, the sensor's event (the detection's ``detect``), the task's job id
    ('' for none) and context, and the message id of the ``detection`` that carried it."""

    callback: str
    event: Dict[str, Any]
    jobId: str
    ctx: str
    messageId: str
