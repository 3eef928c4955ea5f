"""lcservice.InteractiveService: tasks sensors asynchronously, each reply reaching a method.

As in lcservice::

    class Packages(InteractiveService):
        def onRequest(self, lc, oid, request):
            job = Job()
            job.setCause("package listing")
            lc.sensor(request.data["sid"]).task(["os_packages"], callback=self.processPackages, job=job, ctx="x")
            return self.response(jobs=[job])

        def processPackages(self, lc, oid, event, job, ctx):
            job.narrate(f"{len(event['event']['PACKAGES'])} packages")
            return self.response(jobs=[job])

The reply callbacks are the service's own public methods (lcservice: every public callable of the
service), named by their names; the gateway makes each name's callback key from the origin secret.
The D&R rule ``svc-<service>-ex`` (pushed on org_install and every org_per_1h, deleted on
org_uninstall), the detection subscription, and telling a reply from an ordinary detection are
the gateway's: this class's own onDetection, onOrgInstalled, onOrgUninstalled and
every1HourPerOrg, when overridden, are called as well, as lcservice calls them.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

from .jobs import Job
from .request import TaskReply
from .service import CallbackNotImplemented, Service
from .tasks import InteractiveOrg, TaskList


class InteractiveService(Service):
    """lcservice's ``InteractiveService(serviceName, originSecret, isTraceComms=False)``. The org's
    JWT needs ``sensor.task``, ``dr.set.replicant`` and ``dr.del.replicant`` (the gateway's calls)."""

    def _replyCallbacks(self) -> List[str]:
        """The public methods a subclass adds (lcservice's framework methods and callbacks are
        not replies), by name, sorted."""
        framework = _FRAMEWORK_NAMES
        cls = type(self)
        return [n for n in dir(cls) if not n.startswith("_") and n not in framework and callable(getattr(cls, n))]

    def _replyCallbackName(self, callback: Any) -> str:
        """The name of a reply callback given as the bound method (lcservice) or as its name."""
        name = callback if isinstance(callback, str) else getattr(callback, "__name__", None)
        known = self._replyCallbacks()
        if isinstance(name, str) and name in known:
            if isinstance(callback, str) or callback == getattr(self, name):
                return name
        raise ValueError(
            f"{callback!r} is not a reply callback of {self._serviceName}: give one of its own public "
            f"methods (self.<name>), taking (lc, oid, event, job, ctx); it has "
            + (", ".join(known) if known else "none")
        )

    def _lcHandle(self, oid: Optional[str], jwt: Optional[str], tasks: TaskList) -> Any:
        wrapped = super()._lcHandle(oid, jwt, tasks)
        # None as in lcservice: a call without the org and its JWT has no lc.
        return None if wrapped is None else InteractiveOrg(wrapped, tasks, self._replyCallbackName)

    def _handleReply(
        self, reply: TaskReply, oid: Optional[str], jwt: Optional[str], tasks: Optional[TaskList] = None
    ) -> Dict[str, Any]:
        """lcservice's ``_interactiveOnDetection`` once the gateway has found the callback:
        ``callback(lc, oid, event, job, ctx)``, the job being ``Job(jobId)`` or None."""
        what = f"reply callback {reply.callback}"
        if reply.callback not in self._replyCallbacks():
            raise CallbackNotImplemented(what)
        method: Callable[..., Any] = getattr(self, reply.callback)
        if self._isTraceComms:
            self.log("reply", {"callback": reply.callback, "oid": oid, "mid": reply.messageId, "event": reply.event})
        lc = self._lcHandle(oid, jwt, TaskList(what) if tasks is None else tasks)
        job = Job(reply.jobId) if reply.jobId else None
        answer = self._answerOf(what, method(lc, oid, reply.event, job, reply.ctx))
        if self._isTraceComms:
            self.log("answer", {"callback": reply.callback, "mid": reply.messageId, "answer": answer})
        return answer


#: Names a subclass inherits from the framework: never reply callbacks.
_FRAMEWORK_NAMES = frozenset(dir(InteractiveService))
