"""One check that scores every team's service at once (IScorE's cimorescan pattern).

Usage: mass_check.py SERVICE_ID=HOST:PORT [SERVICE_ID=HOST:PORT ...]

Every target is probed at the same time (a TCP connection, like a scanner that sees all teams in
one pass); then all the scores go in with ONE call, insert_service_scores (all or nothing), and
each failure's error is recorded against its score. Connection settings come from
CHECKWIRE_ADDRESS, CHECKWIRE_TOKEN (a check_runner or admin token) and CHECKWIRE_TLS_*.
Prints one line per service.
"""

from __future__ import annotations

import socket
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import List, Optional, Tuple

from checkwire import actions

UP, DOWN = 100, 0
PROBE_TIMEOUT = 3.0


def parse(arg: str) -> Tuple[int, str, int]:
    """``7=10.0.1.5:80`` → (7, "10.0.1.5", 80)."""
    service_id, _, target = arg.partition("=")
    host, _, port = target.rpartition(":")
    if not service_id.isdigit() or not host or not port.isdigit():
        raise SystemExit(f"mass_check: {arg!r} is not SERVICE_ID=HOST:PORT")
    return int(service_id), host.strip("[]"), int(port)


def probe(host: str, port: int) -> Optional[BaseException]:
    """None when HOST:PORT accepts a connection, else the error the connection hit."""
    try:
        with socket.create_connection((host, port), timeout=PROBE_TIMEOUT):
            return None
    except OSError as e:
        return e


def main(argv: List[str]) -> None:
    if not argv:
        raise SystemExit(__doc__)
    targets = [parse(arg) for arg in argv]
    ids = [service_id for service_id, _, _ in targets]
    for service_id in ids:
        actions.insert_service_score_in_progress(service_id)
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            errors = list(pool.map(lambda t: probe(t[1], t[2]), targets))
        # The whole scan in one call, all or nothing.
        scores = actions.insert_service_scores(
            [
                (sid, UP, None) if e is None else (sid, DOWN, str(e))
                for sid, e in zip(ids, errors)
            ]
        )
        for score, e in zip(scores, errors):
            if e is not None:
                actions.report_service_error(score, e)
            print(f"service {score.service_id}: {score.result}" + ("" if e is None else f" ({e})"))
    finally:
        for service_id in ids:
            actions.insert_service_score_done(service_id)


if __name__ == "__main__":
    main(sys.argv[1:])
