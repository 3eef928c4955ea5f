"""The ``request`` argument of every callback."""

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
