"""Every callback LimaCharlie may send a handler: wire etype → (contract RPC, lcservice method)."""

from __future__ import annotations

from typing import Dict, Tuple

_PERIODS = ("1h", "3h", "12h", "24h", "7d", "30d")


def _period_name(period: str) -> str:
    return period[:-1] + ("Hour" if period.endswith("h") else "Day")


def _build() -> Dict[str, Tuple[str, str]]:
    named = {
        "request": "onRequest",
        "detection": "onDetection",
        "log_event": "onLogEvent",
        "deployment_event": "onDeploymentEvent",
        "new_sensor": "onNewSensor",
        "org_install": "onOrgInstalled",
        "org_uninstall": "onOrgUninstalled",
        "service_error": "onServiceError",
    }
    for p in _PERIODS:
        n = _period_name(p)
        named[f"once_per_{p}"] = f"every{n}Globally"
        named[f"org_per_{p}"] = f"every{n}PerOrg"
        named[f"sensor_per_{p}"] = f"every{n}PerSensor"
    return {etype: (method[0].upper() + method[1:], method) for etype, method in named.items()}


#: etype → (LcHandlerService RPC, lcservice method), e.g. "org_per_1h" → ("Every1HourPerOrg",
#: "every1HourPerOrg"). The same table as libs/lc-wire's HANDLER_ETYPES.
CALLBACKS: Dict[str, Tuple[str, str]] = _build()
