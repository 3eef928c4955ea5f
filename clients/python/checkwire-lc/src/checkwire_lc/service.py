"""lcservice.service.Service: subclass it and override the callbacks the service implements.

Names, arguments and answers are lcservice 1.8's: every callback is ``(self, lc, oid, request)``
and answers ``self.response(...)``, ``True`` (success), ``False`` (failure, no retry), ``None``
(failure, retry) or ``self.responseNotImplemented()``; an exception is a failure with retry, and
any other answer is logged and taken as success (lcservice's "no valid response specified"). The
callbacks not overridden are "not implemented" and left out of health's ``callbacks``.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import traceback
from typing import Any, Callable, Dict, Hashable, Iterable, Iterator, List, Optional, Tuple, TypeVar, Union

from .callbacks import CALLBACKS
from .concurrency import Timers, parallel_exec, parallel_exec_ex
from .jobs import Job
from .lc import org_handle
from .request import Request, TaskReply
from .tasks import TaskList

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

#: What a callback may answer.
Answer = Union[bool, None, Dict[str, Any]]

#: setRequestParameters' types (lcservice documents ``float`` too, but never implemented it).
PARAMETER_TYPES = ("int", "str", "bool", "enum")

#: How long shutdown waits for delay()/schedule() calls under way before onShutdown() (lcservice
#: waits as long for its background greenlets).
SHUTDOWN_WAIT_SECONDS = 30.0


class NotImplementedResponse(Dict[str, Any]):
    """responseNotImplemented()'s answer: lcservice's dict, recognised by the server."""


class CallbackNotImplemented(Exception):
    """The service does not implement this callback."""


class Service:
    """A LimaCharlie service (lcservice's ``Service(serviceName, originSecret, isTraceComms)``).

    ``originSecret`` is kept for lcservice compatibility: LimaCharlie's signatures are checked by
    the gateway, which holds the same secret in its route. ``onStartup()`` runs at the end of
    this constructor, ``onShutdown()`` when the server stops.
    """

    def __init__(self, serviceName: str, originSecret: Optional[str], isTraceComms: bool = False) -> None:
        self._serviceName = serviceName
        self._originSecret = originSecret
        self._isTraceComms = isTraceComms
        self._startedAt = int(time.time())
        self._requestParameters: Dict[str, Dict[str, Any]] = {}
        self._detectSubscribed: Dict[str, None] = {}
        self._resources: Dict[str, Tuple[str, bytes]] = {}
        self._outputLock = threading.Lock()
        self._timers = Timers(lambda name, e: self.logCritical(f"{name} failed: {e!r}\n{_trace(e)}"))
        self.onStartup()

    # -- declarations (the gateway reads them through Describe) ------------------------------

    def setRequestParameters(self, params: Dict[str, Dict[str, Any]]) -> None:
        """``{name: {"type": "int"|"str"|"bool"|"enum", "values": [...] (enum),
        "is_required": bool, "desc": "..."}}``; the gateway validates requests against them."""
        checked: Dict[str, Dict[str, Any]] = {}
        for name, p in params.items():
            kind = p.get("type")
            if kind not in PARAMETER_TYPES:
                raise ValueError(
                    f"request parameter {name}: type {kind!r} is not one of {', '.join(PARAMETER_TYPES)}"
                    + (" (lcservice documents float but never implemented it)" if kind == "float" else "")
                )
            values = p.get("values", [])
            if kind == "enum" and not values:
                raise ValueError(f"request parameter {name}: an enum needs its values")
            checked[name] = dict(p)
        self._requestParameters = checked

    def subscribeToDetect(self, detectName: str) -> None:
        self._detectSubscribed[detectName] = None

    def publishResource(self, resourceName: str, resourceCategory: str, resourceData: Union[str, bytes]) -> None:
        data = resourceData.encode("utf-8") if isinstance(resourceData, str) else bytes(resourceData)
        self._resources[resourceName] = (resourceCategory, data)

    # -- answers ---------------------------------------------------------------------------

    def response(
        self,
        isSuccess: bool = True,
        isDoRetry: bool = False,
        data: Optional[Dict[Any, Any]] = None,
        error: Optional[str] = None,
        jobs: Union[Job, Iterable[Job], None] = (),
    ) -> Dict[str, Any]:
        """lcservice's answer dict. As lcservice, ``jobs`` may be one Job or None as well as a
        list, ``error`` is sent as text, and ``data`` is sent as JSON (so tuples become lists and
        int, float, bool or None keys text)."""
        out: Dict[str, Any] = {"success": isSuccess, "data": {} if data is None else data}
        if not isSuccess:
            out["retry"] = isDoRetry
        if error is not None:
            out["error"] = str(error)
        listed = [] if jobs is None else [jobs] if isinstance(jobs, Job) else list(jobs)
        if listed:
            out["jobs"] = [j.toJson() for j in listed]
        return out

    def responseNotImplemented(self) -> Dict[str, Any]:
        return NotImplementedResponse({"success": False, "retry": False, "data": {"error": "not implemented"}})

    # -- helpers ---------------------------------------------------------------------------

    def log(self, msg: Optional[str], data: Any = None) -> None:
        """One JSON line on stdout, as lcservice writes it: ``service``, ``timestamp`` (seconds and
        nanos), ``severity`` INFO and ``message``, with a dict ``data`` merged in at the top
        (other ``data`` under ``"data"``)."""
        entry = self._entry("INFO", msg)
        if isinstance(data, dict):
            entry.update(data)
        elif data is not None:
            entry["data"] = data
        self._write(sys.stdout, entry)

    def logCritical(self, msg: str) -> None:
        """The same JSON line, with severity ERROR, on stderr."""
        self._write(sys.stderr, self._entry("ERROR", msg))

    def _entry(self, severity: str, msg: Optional[str]) -> Dict[str, Any]:
        now = time.time_ns()
        entry: Dict[str, Any] = {
            "service": self._serviceName,
            "timestamp": {"seconds": now // 1_000_000_000, "nanos": now % 1_000_000_000},
            "severity": severity,
        }
        if msg is not None:
            entry["message"] = msg
        return entry

    def _write(self, stream: Any, entry: Dict[str, Any]) -> None:
        # default=str: a log line with a value JSON cannot hold is still written, not an error.
        text = json.dumps(entry, default=str)
        with self._outputLock:
            stream.write(text + "\n")
            stream.flush()

    def delay(self, inDelay: float, func: Callable[..., Any], *args: Any, **kw_args: Any) -> None:
        """Calls func once, ``inDelay`` seconds from now (not after shutdown)."""
        self._timers.delay(inDelay, func, *args, **kw_args)

    def schedule(self, delay: float, func: Callable[..., Any], *args: Any, **kw_args: Any) -> None:
        """Calls func now, here (its exception is raised to the caller, as in lcservice), then every
        ``delay`` seconds in the background until shutdown (an exception there is logged)."""
        self._timers.schedule(delay, func, *args, **kw_args)

    def parallelExec(
        self,
        f: Callable[[T], Any],
        objects: Iterable[T],
        timeout: Optional[float] = None,
        maxConcurrent: Optional[int] = None,
    ) -> List[Any]:
        return parallel_exec(f, objects, timeout, maxConcurrent)

    def parallelExecEx(
        self,
        f: Callable[[T], Any],
        objects: Dict[K, T],
        timeout: Optional[float] = None,
        maxConcurrent: Optional[int] = None,
    ) -> Iterator[Tuple[K, Any]]:
        return parallel_exec_ex(f, objects, timeout, maxConcurrent)

    # -- life ------------------------------------------------------------------------------

    def onStartup(self) -> None:
        """Called when the service is instantiated (end of ``Service.__init__``)."""

    def onShutdown(self) -> None:
        """Called when the service is about to shut down."""

    def _shutdown(self) -> None:
        """Stops delay()/schedule(), waits (up to SHUTDOWN_WAIT_SECONDS) for the calls they are
        making, so that onShutdown() does not run beside them, then calls onShutdown()."""
        still = self._timers.stop(SHUTDOWN_WAIT_SECONDS)
        if still:
            self.logCritical(
                f"shutting down with {len(still)} delay/schedule call(s) still running after "
                f"{SHUTDOWN_WAIT_SECONDS:g} s: {', '.join(still)}"
            )
        self.onShutdown()

    # -- what the server asks ----------------------------------------------------------------

    def _implemented(self) -> List[str]:
        """The etypes whose method this service overrides."""
        return [
            etype
            for etype, (_, method) in CALLBACKS.items()
            if getattr(type(self), method, None) is not getattr(Service, method)
        ]

    def _handle(
        self, request: Request, oid: Optional[str], jwt: Optional[str], tasks: Optional[TaskList] = None
    ) -> Dict[str, Any]:
        """Runs the callback for ``request.eventType`` and gives its answer as a response dict;
        CallbackNotImplemented when there is none. ``tasks`` collects the sensor tasks an
        InteractiveService makes through its ``lc``."""
        entry = CALLBACKS.get(request.eventType)
        if entry is None or request.eventType not in self._implemented():
            raise CallbackNotImplemented(request.eventType)
        method: Callable[[Any, Optional[str], Request], Any] = getattr(self, entry[1])
        if self._isTraceComms:
            self.log("callback", {"etype": request.eventType, "oid": oid, "mid": request.messageId, "data": request.data})
        lc = self._lcHandle(oid, jwt, TaskList(request.eventType) if tasks is None else tasks)
        answer = self._answerOf(request.eventType, method(lc, oid, request))
        if self._isTraceComms:
            self.log("answer", {"etype": request.eventType, "mid": request.messageId, "answer": answer})
        return answer

    def _lcHandle(self, oid: Optional[str], jwt: Optional[str], tasks: TaskList) -> Any:
        """The ``lc`` a callback gets (an InteractiveService wraps it to take tasks)."""
        return org_handle(oid, jwt)

    def _answerOf(self, what: str, given: Any) -> Dict[str, Any]:
        """A callback's answer as a response dict, as lcservice reads it: True, False and None are
        its shortcuts, responseNotImplemented() is CallbackNotImplemented, and anything else that
        is not a dict is logged and taken as success."""
        if isinstance(given, NotImplementedResponse):
            raise CallbackNotImplemented(what)
        if isinstance(given, dict):
            return given
        if given is True:
            return self.response(isSuccess=True)
        if given is False:
            return self.response(isSuccess=False, isDoRetry=False)
        if given is None:
            return self.response(isSuccess=False, isDoRetry=True)
        self.logCritical(
            f"no valid response specified in {what} (a {type(given).__name__}, not "
            f"self.response(...), True, False or None), assuming success"
        )
        return self.response(isSuccess=True)

    # -- InteractiveService's, answered here for a plain Service --------------------------------

    def _replyCallbacks(self) -> List[str]:
        """The reply callbacks a task may name (an InteractiveService's); none here."""
        return []

    def _handleReply(
        self, reply: TaskReply, oid: Optional[str], jwt: Optional[str], tasks: Optional[TaskList] = None
    ) -> Dict[str, Any]:
        """A sensor's reply to a task: only an InteractiveService has reply callbacks."""
        raise CallbackNotImplemented(f"reply callback {reply.callback}")

    # -- the callbacks (lcservice's names) -----------------------------------------------------

    def onRequest(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """A request made for the service by an organization (etype ``request``)."""
        return self.responseNotImplemented()

    def onDetection(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """A detection the service subscribed to (etype ``detection``)."""
        return self.responseNotImplemented()

    def onLogEvent(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """A log event (etype ``log_event``)."""
        return self.responseNotImplemented()

    def onDeploymentEvent(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """A deployment event (etype ``deployment_event``)."""
        return self.responseNotImplemented()

    def onNewSensor(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """A new sensor in an organization (etype ``new_sensor``)."""
        return self.responseNotImplemented()

    def onOrgInstalled(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """An organization subscribed to this service (etype ``org_install``)."""
        return self.responseNotImplemented()

    def onOrgUninstalled(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """An organization unsubscribed from this service (etype ``org_uninstall``)."""
        return self.responseNotImplemented()

    def onServiceError(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """LimaCharlie met an error with this service (etype ``service_error``)."""
        return self.responseNotImplemented()

    def every1HourGlobally(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 1h once for the service (etype ``once_per_1h``)."""
        return self.responseNotImplemented()

    def every1HourPerOrg(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 1h for every organization subscribed (etype ``org_per_1h``)."""
        return self.responseNotImplemented()

    def every1HourPerSensor(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 1h once per sensor (etype ``sensor_per_1h``)."""
        return self.responseNotImplemented()

    def every3HourGlobally(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 3h once for the service (etype ``once_per_3h``)."""
        return self.responseNotImplemented()

    def every3HourPerOrg(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 3h for every organization subscribed (etype ``org_per_3h``)."""
        return self.responseNotImplemented()

    def every3HourPerSensor(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 3h once per sensor (etype ``sensor_per_3h``)."""
        return self.responseNotImplemented()

    def every12HourGlobally(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 12h once for the service (etype ``once_per_12h``)."""
        return self.responseNotImplemented()

    def every12HourPerOrg(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 12h for every organization subscribed (etype ``org_per_12h``)."""
        return self.responseNotImplemented()

    def every12HourPerSensor(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 12h once per sensor (etype ``sensor_per_12h``)."""
        return self.responseNotImplemented()

    def every24HourGlobally(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 24h once for the service (etype ``once_per_24h``)."""
        return self.responseNotImplemented()

    def every24HourPerOrg(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 24h for every organization subscribed (etype ``org_per_24h``)."""
        return self.responseNotImplemented()

    def every24HourPerSensor(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 24h once per sensor (etype ``sensor_per_24h``)."""
        return self.responseNotImplemented()

    def every7DayGlobally(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 7d once for the service (etype ``once_per_7d``)."""
        return self.responseNotImplemented()

    def every7DayPerOrg(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 7d for every organization subscribed (etype ``org_per_7d``)."""
        return self.responseNotImplemented()

    def every7DayPerSensor(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 7d once per sensor (etype ``sensor_per_7d``)."""
        return self.responseNotImplemented()

    def every30DayGlobally(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 30d once for the service (etype ``once_per_30d``)."""
        return self.responseNotImplemented()

    def every30DayPerOrg(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 30d for every organization subscribed (etype ``org_per_30d``)."""
        return self.responseNotImplemented()

    def every30DayPerSensor(self, lc: Any, oid: Optional[str], request: Request) -> Answer:
        """Called every 30d once per sensor (etype ``sensor_per_30d``)."""
        return self.responseNotImplemented()


def _trace(e: BaseException) -> str:
    return "".join(traceback.format_exception(type(e), e, e.__traceback__))
