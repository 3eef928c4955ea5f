"""Sensor tasks of an InteractiveService: ``lc.sensor(sid).task(tasks, callback=, job=, ctx=)``.

In lcservice the ``lc`` of an InteractiveService is a ``limacharlie.Manager`` whose sensors' ``task``
takes a ``callback`` and calls LimaCharlie at once with an investigation id made from the origin
secret. Here the gateway holds the secret and calls LimaCharlie: ``task(..., callback=...)``
records a task, and the tasks go out with the answer of the callback that made ``lc`` (once its
jobs are stored). Anything else on ``lc`` and its sensors is the wrapped handle's (the SDK's
``Manager``, or an ``OfflineOrg``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable, List, Optional, Sequence, Tuple, Union

from .jobs import Job


@dataclass(frozen=True)
class SensorTask:
    """One task for the gateway to send (the contract's SensorTask)."""

    sid: str
    commands: Tuple[str, ...]
    callback: str
    context: str
    job_id: str


class TaskList:
    """The tasks one callback asks for. Closed once the callback has answered: a task made
    later (from a thread or a timer still holding ``lc``) would never be sent, so it raises."""

    def __init__(self, what: str) -> None:
        self._what = what
        self._tasks: List[SensorTask] = []
        self._open = True
        self._lock = threading.Lock()

    def add(self, task: SensorTask) -> None:
        with self._lock:
            if not self._open:
                raise RuntimeError(
                    f"a task for sensor {task.sid} after {self._what} answered: tasks go out with the "
                    f"answer of the callback whose lc made them, so make them before it returns"
                )
            self._tasks.append(task)

    def close(self) -> List[SensorTask]:
        """Stops taking tasks; the ones taken, in order."""
        with self._lock:
            self._open = False
            return list(self._tasks)


#: What ``task``'s ``tasks`` may be: one command line or several (as the limacharlie SDK takes).
Commands = Union[str, Sequence[str]]


def commands_of(tasks: Commands) -> Tuple[str, ...]:
    """The command lines of ``tasks``, at least one, each text that is not blank."""
    listed = [tasks] if isinstance(tasks, str) else list(tasks) if isinstance(tasks, (list, tuple)) else None
    if listed is None:
        raise TypeError(f"tasks must be a command line or a list of them, not {type(tasks).__name__}")
    if not listed:
        raise ValueError("tasks is empty: give at least one command line, e.g. 'os_processes'")
    for t in listed:
        if not isinstance(t, str) or not t.strip():
            raise ValueError(f"a task must be a command line, not {t!r}")
    return tuple(listed)


class InteractiveSensor:
    """``lc.sensor(sid)`` of an InteractiveService."""

    def __init__(self, org: InteractiveOrg, sid: str, inv_id: Optional[str]) -> None:
        self.sid = sid
        self._org = org
        self._inv_id = inv_id

    def task(
        self,
        tasks: Commands,
        inv_id: Optional[str] = None,
        callback: Union[Callable[..., Any], str, None] = None,
        job: Optional[Job] = None,
        ctx: Any = "",
    ) -> Any:
        """lcservice's ``task``: with a ``callback`` (a reply callback of the service, or its
        name), records a task whose reply reaches ``callback(lc, oid, event, job, ctx)``;
        without one, the wrapped SDK's own ``task`` (an OfflineOrg raises LimaCharlieUnavailable).
        A recorded task answers None: whether LimaCharlie took it shows in the callback's answer
        (the gateway sends it after the callback returns; lcservice's call raised at once)."""
        if callback is None:
            return self._wrapped().task(tasks, inv_id=inv_id)
        if not isinstance(self.sid, str) or not self.sid:
            raise ValueError(f"a sensor id is text, not {self.sid!r}")
        if job is not None and not isinstance(job, Job):
            raise TypeError(f"job must be a checkwire_lc.jobs.Job or None, not {type(job).__name__}")
        job_id = "" if job is None else job.getId()
        if "/" in job_id:
            raise ValueError(f"job id {job_id!r} holds '/', which the investigation id cannot carry")
        self._org._tasks.add(
            SensorTask(
                sid=self.sid,
                commands=commands_of(tasks),
                callback=self._org._reply_callback_name(callback),
                # lcservice formats ctx into the id with "%s".
                context=ctx if isinstance(ctx, str) else str(ctx),
                job_id=job_id,
            )
        )
        return None

    def _wrapped(self) -> Any:
        return self._org._wrapped.sensor(self.sid, inv_id=self._inv_id)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return getattr(self._wrapped(), name)

    def __repr__(self) -> str:
        return f"InteractiveSensor(sid={self.sid!r})"


class InteractiveOrg:
    """The ``lc`` of an InteractiveService's callbacks: ``sensor(sid)`` tasks with callbacks; every
    other attribute (``oid``, ``jwt``, the SDK's methods) is the wrapped handle's."""

    def __init__(self, wrapped: Any, tasks: TaskList, reply_callback_name: Callable[[Any], str]) -> None:
        self._wrapped = wrapped
        self._tasks = tasks
        self._reply_callback_name = reply_callback_name

    def sensor(self, sid: str, inv_id: Optional[str] = None) -> InteractiveSensor:
        return InteractiveSensor(self, sid, inv_id)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__") or name in ("_wrapped", "_tasks", "_reply_callback_name"):
            raise AttributeError(name)
        return getattr(self._wrapped, name)

    def __repr__(self) -> str:
        return f"InteractiveOrg({self._wrapped!r})"
