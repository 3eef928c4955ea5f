"""Where and how to reach Checkwire, from arguments or the environment (pure functions).

``CHECKWIRE_ADDRESS`` (default ``127.0.0.1:50051``, scoring's default port), ``CHECKWIRE_TOKEN``
(sent as ``authorization: Bearer``), and the TLS files the TypeScript clients read
(libs/config/src/tls.ts): ``CHECKWIRE_TLS_CA_FILE`` turns TLS on and is the CA to trust;
``CHECKWIRE_TLS_CERT_FILE`` + ``CHECKWIRE_TLS_KEY_FILE`` add a client certificate (mutual TLS).
``CHECKWIRE_TIMEOUT`` is each call's deadline in seconds (default 10).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Optional

from .errors import ConfigError

DEFAULT_ADDRESS = "127.0.0.1:50051"
DEFAULT_TIMEOUT = 10.0

_HOST_PORT = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$")


@dataclass(frozen=True)
class Tls:
    """PEM bytes: the CA to trust, and a client certificate and key for mutual TLS."""

    ca: bytes
    cert: Optional[bytes] = None
    key: Optional[bytes] = None


@dataclass(frozen=True)
class Settings:
    address: str = DEFAULT_ADDRESS
    token: Optional[str] = None
    tls: Optional[Tls] = None
    timeout: float = DEFAULT_TIMEOUT


def check_address(address: str, name: str = "address") -> str:
    """``address`` when it is ``host:port`` (``[v6]:port`` for IPv6), ``dns:///host:port`` (every
    replica the name resolves to, taking turns) or ``unix:PATH``; else a ConfigError naming
    ``name``."""
    if address.startswith("unix:"):
        return address
    target = address
    if address.startswith("dns:"):
        # dns:///name:port, or dns://<dns server>/name:port
        parts = address.split("/", 3)
        target = (parts[3] if len(parts) == 4 else "") if address.startswith("dns://") else address[4:]
    m = _HOST_PORT.match(target)
    if m is None or not 0 < int(m.group(2)) < 65536:
        raise ConfigError(
            f'{name}: "{address}" is not host:port; set it to the scoring server\'s address, '
            f"e.g. {DEFAULT_ADDRESS}"
        )
    return address


def check_timeout(timeout: float, name: str = "timeout") -> float:
    if not timeout > 0:
        raise ConfigError(f"{name}: {timeout!r} is not a positive number of seconds")
    return float(timeout)


def _read_pem(name: str, path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as err:
        raise ConfigError(
            f"{name}: cannot read {path} ({err.strerror}); set it to a PEM file"
        ) from None


def tls_from_env(env: Mapping[str, str]) -> Optional[Tls]:
    """The TLS files the CHECKWIRE_TLS_* variables name, read; None when CA is unset."""
    ca = env.get("CHECKWIRE_TLS_CA_FILE") or None
    cert = env.get("CHECKWIRE_TLS_CERT_FILE") or None
    key = env.get("CHECKWIRE_TLS_KEY_FILE") or None
    if ca is None:
        if cert is not None or key is not None:
            raise ConfigError(
                "CHECKWIRE_TLS_CA_FILE: is required with a client certificate; set it to the CA "
                "that signed the server's certificate, or unset the client certificate"
            )
        return None
    if (cert is None) != (key is None):
        raise ConfigError(
            "CHECKWIRE_TLS_CERT_FILE: and CHECKWIRE_TLS_KEY_FILE go together; "
            "set both (PEM files), or neither"
        )
    return Tls(
        ca=_read_pem("CHECKWIRE_TLS_CA_FILE", ca),
        cert=None if cert is None else _read_pem("CHECKWIRE_TLS_CERT_FILE", cert),
        key=None if key is None else _read_pem("CHECKWIRE_TLS_KEY_FILE", key),
    )


def settings_from_env(env: Mapping[str, str]) -> Settings:
    """Settings from CHECKWIRE_ADDRESS, CHECKWIRE_TOKEN, CHECKWIRE_TLS_* and CHECKWIRE_TIMEOUT."""
    address = check_address(env.get("CHECKWIRE_ADDRESS") or DEFAULT_ADDRESS, "CHECKWIRE_ADDRESS")
    raw_timeout = env.get("CHECKWIRE_TIMEOUT") or str(DEFAULT_TIMEOUT)
    try:
        timeout = float(raw_timeout)
    except ValueError:
        raise ConfigError(
            f'CHECKWIRE_TIMEOUT: "{raw_timeout}" is not a number of seconds'
        ) from None
    return Settings(
        address=address,
        token=env.get("CHECKWIRE_TOKEN") or None,
        tls=tls_from_env(env),
        timeout=check_timeout(timeout, "CHECKWIRE_TIMEOUT"),
    )
