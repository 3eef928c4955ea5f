"""lcservice's parallelExec, delay and schedule, on threads (lcservice uses gevent).

A timed-out item's result is a ``TimeoutError``; Python cannot stop a thread, so the timed-out
call runs on in its own thread while the caller goes on (as the caller of a gevent.Timeout does
not wait). Such threads are not counted against ``maxConcurrent`` once abandoned.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Dict, Hashable, Iterable, Iterator, List, Optional, Set, Tuple, TypeVar

T = TypeVar("T")
R = TypeVar("R")
K = TypeVar("K", bound=Hashable)

#: parallelExec's concurrency when ``maxConcurrent`` is None. gevent's greenlets cost little, so
#: lcservice starts one per object; an OS thread each would not scale to thousands of objects.
DEFAULT_MAX_CONCURRENT = 32


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

    # Its own thread, so that the worker can give up on it; on timeout it runs on, unwatched.
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
    """f applied to every object on at most ``maxConcurrent`` worker threads (default
    ``min(len(objects), 32)``); results (or the Exception each raised, or a TimeoutError) in the
    objects' order. ``timeout`` bounds each item."""
    items = list(objects)
    if maxConcurrent is not None and maxConcurrent < 1:
        raise ValueError(f"maxConcurrent must be at least 1, not {maxConcurrent}")
    results: List[Any] = [None] * len(items)
    pending = iter(range(len(items)))
    take = threading.Lock()

    def work() -> None:
        while True:
            with take:
                i = next(pending, None)
            if i is None:
                return
            results[i] = _call(f, items[i], timeout)

    cap = DEFAULT_MAX_CONCURRENT if maxConcurrent is None else maxConcurrent
    workers = [
        threading.Thread(target=work, name="parallelExec", daemon=True) for _ in range(min(len(items), cap))
    ]
    for t in workers:
        t.start()
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
    """delay() and schedule() threads. stop() (the service's shutdown) ends them: those waiting
    end at once, and it waits, within a bound, for those running a call to finish it."""

    def __init__(self, on_error: Callable[[str, BaseException], None]) -> None:
        self._stop = threading.Event()
        self._on_error = on_error
        self._lock = threading.Lock()
        self._threads: Set[threading.Thread] = set()

    def _run(self, fn: Callable[..., Any], args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> None:
        try:
            fn(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - one failed run never stops the service
            self._on_error(getattr(fn, "__name__", repr(fn)), e)

    def _spawn(self, name: str, body: Callable[[], None]) -> None:
        """Runs body on a thread that stop() can wait for; each thread forgets itself when done."""

        def tracked() -> None:
            try:
                body()
            finally:
                with self._lock:
                    self._threads.discard(thread)

        thread = threading.Thread(target=tracked, name=name, daemon=True)
        with self._lock:
            if self._stop.is_set():
                return
            self._threads.add(thread)
        thread.start()

    def delay(self, seconds: float, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """fn once, ``seconds`` from now, unless stopped before."""

        def later() -> None:
            if not self._stop.wait(seconds):
                self._run(fn, args, kwargs)

        self._spawn("delay", later)

    def schedule(self, seconds: float, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """fn now, in the caller (its exception is the caller's, as in lcservice), then every
        ``seconds`` on a thread until stopped (an exception there is logged, the next run still
        comes). As lcservice does, the recurring runs start even when the first one raised."""
        if not seconds > 0:
            raise ValueError(f"schedule: the interval must be a positive number of seconds, not {seconds!r}")
        if self._stop.is_set():
            return

        def every() -> None:
            while not self._stop.wait(seconds):
                self._run(fn, args, kwargs)

        try:
            fn(*args, **kwargs)
        finally:
            self._spawn("schedule", every)

    def stop(self, timeout: float) -> List[str]:
        """Stops every timer and waits up to ``timeout`` seconds in all for the calls running now;
        gives the names of the threads still running then (they are daemons: they end with the
        process)."""
        with self._lock:
            self._stop.set()
            threads = list(self._threads)
        deadline = time.monotonic() + timeout
        for t in threads:
            if t is not threading.current_thread():
                t.join(max(0.0, deadline - time.monotonic()))
        return [t.name for t in threads if t.is_alive() and t is not threading.current_thread()]
