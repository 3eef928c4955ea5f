"""The ``lc`` argument of every callback: what lcservice gives, where that can work.

lcservice builds ``limacharlie.Manager(oid=oid, jwt=jwt)`` from the org's JWT. When the
``limacharlie`` SDK is installed, so do we. It is not in Debian and no other package index is
reachable here, so without it callbacks get an ``OfflineOrg``: it has the org's ``oid`` and
``jwt`` (enough to call LimaCharlie's REST API yourself) and raises ``LimaCharlieUnavailable``,
naming what was asked for, on any other use.
"""

from __future__ import annotations

import importlib
from typing import Any, Optional


class LimaCharlieUnavailable(RuntimeError):
    """The limacharlie SDK is not installed, so the ``lc`` handle cannot call LimaCharlie."""


class OfflineOrg:
    """Stands in for ``limacharlie.Manager`` when the SDK is not installed."""

    def __init__(self, oid: Optional[str], jwt: Optional[str]) -> None:
        self.oid = oid
        self.jwt = jwt

    def __getattr__(self, name: str) -> Any:
        raise LimaCharlieUnavailable(
            f"lc.{name}: the limacharlie SDK is not installed, so this handler cannot call "
            f"LimaCharlie's API through lc (install it with pip where its index is reachable; "
            f"lc.oid and lc.jwt hold the org and its token)"
        )

    def __repr__(self) -> str:
        return f"OfflineOrg(oid={self.oid!r})"


def org_handle(oid: Optional[str], jwt: Optional[str]) -> Any:
    """lcservice's ``lc``: None for calls without an org or JWT (health, global callbacks)."""
    if not oid and not jwt:
        return None
    try:
        sdk = importlib.import_module("limacharlie")
    except ImportError:
        return OfflineOrg(oid, jwt)
    return sdk.Manager(oid=oid, jwt=jwt)
