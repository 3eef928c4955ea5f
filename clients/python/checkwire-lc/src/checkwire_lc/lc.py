"""The ``lc`` argument of every callback: what lcservice gives, where that can work.

lcservice builds ``limacharlie.Manager(oid=oid, jwt=jwt)`` when a call carries both the org's id
and its JWT. When the ``limacharlie`` SDK is installed, so do we. It is not in Debian and no other
package index is reachable here, so without it callbacks get an ``OfflineOrg``: it has the org's
``oid`` and ``jwt`` (enough to call LimaCharlie's REST API yourself) and raises
``LimaCharlieUnavailable``, naming what was asked for, on any other use.
"""

from __future__ import annotations

import functools
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
        # Python's own protocols (copy, pickle, hasattr probes) look up dunders and expect
        # AttributeError when they are absent; only the SDK's API gets the explanation.
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        raise LimaCharlieUnavailable(
            f"lc.{name}: the limacharlie SDK is not installed, so this handler cannot call "
            f"LimaCharlie's API through lc (install it with pip where its index is reachable; "
            f"lc.oid and lc.jwt hold the org and its token)"
        )

    def __repr__(self) -> str:
        return f"OfflineOrg(oid={self.oid!r})"


@functools.lru_cache(maxsize=None)
def _sdk() -> Optional[Any]:
    """The limacharlie module, or None when it is not installed; tried once per process, not on
    every callback (a failed import is not cached by Python and would be searched for again)."""
    try:
        return importlib.import_module("limacharlie")
    except ImportError:
        return None


def org_handle(oid: Optional[str], jwt: Optional[str]) -> Any:
    """lcservice's ``lc``: a handle when the call has both an org and its JWT, else None (health,
    global callbacks, or a call missing either, as in lcservice)."""
    if oid is None or jwt is None:
        return None
    sdk = _sdk()
    if sdk is None:
        return OfflineOrg(oid, jwt)
    return sdk.Manager(oid=oid, jwt=jwt)
