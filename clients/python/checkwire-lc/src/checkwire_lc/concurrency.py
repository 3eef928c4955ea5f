"""lcservice's parallelExec, delay and schedule, on threads (lcservice uses gevent).

A timed-out item's result is a ``TimeoutError``; Python cannot stop a thread, so its work runs on
in the background while the caller goes on (as the caller of a gevent.Timeout does not wait).
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, Hashable, Iterable, Iterator, List, Optional, Tuple, TypeVar

T = TypeVar("T")
R = TypeVar("R")
K = TypeVar("K", bound=Hashable)


def _call(f: Callable[[T], R], item: T, timeout: Optional[float]) -> Any:
    """f(item), or the exception it raised, or a TimeoutError after ``timeout`` seconds."""
    if timeout is None:
        try:
            return f(item)
        except Exception as e:  # noqa: BLE001 - the result *is* the exception, as in lcservice
            return e
    box: List[Any] = []
    done = threading.Event()

    def run() -> None:
        try:
            box.append(f(item))
        except Exception as e:  # noqa: BLE001
            box.append(e)
        done.set()

    threading.Thread(target=run, name="parallelExec-item", daemon=True).start()
    if done.wait(timeout):
        return box[0]
    return TimeoutError(f"timed out after {timeout} s")


def parallel_exec(
    f: Callable[[T], R],
    objects: Iterable[T],
    timeout: Optional[float] = None,
    maxConcurrent: Optional[int] = None,
) -> List[Any]:
    """f applied to every object, at most ``maxConcurrent`` at once; results (or the Exception
    each raised, or a TimeoutError) in the objects' order. ``timeout`` bounds each item."""
    items = list(objects)
    if maxConcurrent is not None and maxConcurrent < 1:
        raise ValueError(f"maxConcurrent must be at least 1, not {maxConcurrent}")
    results: List[Any] = [None] * len(items)
    slots = threading.BoundedSemaphore(maxConcurrent or max(1, len(items)))
    workers: List[threading.Thread] = []

    def work(i: int, item: T) -> None:
        try:
            results[i] = _call(f, item, timeout)
        finally:
            slots.release()

    for i, item in enumerate(items):
        slots.acquire()
        t = threading.Thread(target=work, args=(i, item), name="parallelExec", daemon=True)
        t.start()
        workers.append(t)
    for t in workers:
        t.join()
    return results


def parallel_exec_ex(
    f: Callable[[T], R],
    objects: Dict[K, T],
    timeout: Optional[float] = None,
    maxConcurrent: Optional[int] = None,
) -> Iterator[Tuple[K, Any]]:
    """(key, f(object) or its Exception) for every entry of ``objects``."""
    keys = list(objects.keys())
    results = parallel_exec(f, [objects[k] for k in keys], timeout, maxConcurrent)
    return iter(list(zip(keys, results)))


class Timers:
    """delay() and schedule() threads, all stopped by stop() (the service's shutdown)."""

    def __init__(self, on_error: Callable[[str, BaseException], None]) -> None:
        self._stop = threading.Event()
        self._on_error = on_error

    def _run(self, fn: Callable[..., Any], args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> None:
        try:
            fn(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - one failed run never stops the service
            self._on_error(getattr(fn, "__name__", repr(fn)), e)

    def delay(self, seconds: float, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        def later() -> None:
            if not self._stop.wait(seconds):
                self._run(fn, args, kwargs)

        threading.Thread(target=later, name="delay", daemon=True).start()

    def schedule(self, seconds: float, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        if not seconds > 0:
            raise ValueError(f"schedule: the interval must be a positive number of seconds, not {seconds!r}")

        def every() -> None:
            while not self._stop.wait(seconds):
                self._run(fn, args, kwargs)

        threading.Thread(target=every, name="schedule", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
