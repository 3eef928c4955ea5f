"""InteractiveService: reply callbacks by name, tasks in the answer, OnTaskReply, over real gRPC."""
import threading
import unittest
from typing import Any, Dict, List, Optional, Tuple

import grpc

from checkwire_lc import InteractiveService, LimaCharlieUnavailable, Request, Service, TaskReply, start
from checkwire_lc._gen.lc.v1 import handler_service_pb2 as lc_pb2
from checkwire_lc._gen.lc.v1 import handler_service_pb2_grpc as lc_grpc
from checkwire_lc.jobs import Job
from checkwire_lc.service import CallbackNotImplemented
from checkwire_lc.tasks import SensorTask, TaskList

TOKEN = "handler-token"
SID = "5b3f1c9e-0d1a-4e52-9a4b-6f2d8c7e1a00"


class Packages(InteractiveService):
    """lcservice's interactive example, with what each test asks for in request.data."""

    def onStartup(self) -> None:
        self.replies: List[Tuple[Any, Optional[str], Dict[str, Any], Optional[str], str]] = []
        self.later: List[Any] = []

    def onRequest(self, lc: Any, oid: Optional[str], request: Request) -> Any:
        action = request.data.get("action")
        sensor = lc.sensor(request.data.get("sid", SID))
        if action == "plain":
            return sensor.task("os_processes")  # no callback: the SDK's own task
        if action == "by-name":
            sensor.task("os_processes", callback="processPackages", ctx=7)
            return True
        if action == "unknown":
            sensor.task(["os_packages"], callback=self.onRequest)
            return True
        if action == "thread":
            # A task from a thread while the callback runs is the callback's too.
            t = threading.Thread(target=lambda: sensor.task(["os_users"], callback=self.processPackages))
            t.start()
            t.join()
            return True
        if action == "keep":
            self.later.append(sensor)
            return True
        job = Job()
        job.setCause("Starting package listing.")
        job.addSensor(SID)
        sensor.task(["os_packages", "os_services"], callback=self.processPackages, job=job, ctx="a/b")
        return self.response(isSuccess=True, jobs=[job])

    def processPackages(self, lc: Any, oid: Optional[str], event: Dict[str, Any], job: Optional[Job], ctx: str) -> Any:
        self.replies.append((lc, oid, event, None if job is None else job.getId(), ctx))
        if ctx == "crash":
            raise RuntimeError("hunter2")
        if ctx == "again":
            lc.sensor(SID).task("os_processes", callback=self.processProcesses, ctx="next")
        if job is None:
            return True
        job.narrate(f"Our context was: {ctx}.")
        job.close()
        return self.response(isSuccess=True, jobs=[job])

    def processProcesses(self, lc: Any, oid: Optional[str], event: Dict[str, Any], job: Optional[Job], ctx: str) -> Any:
        return False

    def logCritical(self, msg: str) -> None:
        self.critical = msg  # kept for the test instead of stderr


class DeclarationsTest(unittest.TestCase):
    def test_reply_callbacks_are_the_subclass_own_public_methods_by_name(self) -> None:
        self.assertEqual(Packages("p", "s")._replyCallbacks(), ["processPackages", "processProcesses"])
        self.assertEqual(InteractiveService("bare", "s")._replyCallbacks(), [])
        self.assertEqual(Service("plain", "s")._replyCallbacks(), [])

    def test_overridden_framework_methods_are_not_reply_callbacks(self) -> None:
        class Overrides(InteractiveService):
            def onDetection(self, lc: Any, oid: Optional[str], request: Request) -> Any:
                return True

            def log(self, msg: Optional[str], data: Any = None) -> None:
                pass

            def _helper(self) -> None:
                pass

            def onReply(self, lc: Any, oid: Optional[str], event: Any, job: Any, ctx: str) -> Any:
                return True

        self.assertEqual(Overrides("o", "s")._replyCallbacks(), ["onReply"])


class TaskTest(unittest.TestCase):
    def setUp(self) -> None:
        self.service = Packages("packages", "secret")
        self.tasks = TaskList("request")

    def handle(self, data: Dict[str, Any], oid: Optional[str] = "org", jwt: Optional[str] = "jwt") -> Dict[str, Any]:
        return self.service._handle(Request("request", "m", data), oid, jwt, self.tasks)

    def test_a_task_with_a_callback_is_recorded_with_its_job_and_context(self) -> None:
        answer = self.handle({})
        job_id = answer["jobs"][0]["id"]
        self.assertEqual(
            self.tasks.close(),
            [SensorTask(SID, ("os_packages", "os_services"), "processPackages", "a/b", job_id)],
        )

    def test_a_callback_may_be_named_and_ctx_is_formatted_as_text(self) -> None:
        self.handle({"action": "by-name"})
        self.assertEqual(self.tasks.close(), [SensorTask(SID, ("os_processes",), "processPackages", "7", "")])

    def test_a_task_made_on_another_thread_during_the_callback_is_kept(self) -> None:
        self.handle({"action": "thread"})
        self.assertEqual([t.commands for t in self.tasks.close()], [("os_users",)])

    def test_a_method_that_is_not_a_reply_callback_is_refused_by_name(self) -> None:
        with self.assertRaisesRegex(ValueError, r"is not a reply callback of packages: .* it has processPackages, processProcesses$"):
            self.handle({"action": "unknown"})
        other = Packages("other", "secret")
        with self.assertRaisesRegex(ValueError, "is not a reply callback of packages"):
            self.service._replyCallbackName(other.processPackages)  # the same name, another service
        for bad in ("nope", "onRequest", "_lcHandle", None, 3, lambda *a: True):
            with self.assertRaises(ValueError):
                self.service._replyCallbackName(bad)
        self.assertEqual(self.tasks.close(), [])

    def test_bad_tasks_jobs_and_sensors_are_refused_before_anything_is_recorded(self) -> None:
        lc = self.service._lcHandle("org", "jwt", self.tasks)
        cb = self.service.processPackages
        for tasks, message in (([], "tasks is empty"), (["  "], "a task must be a command line, not '  '"), ([1], "not 1")):
            with self.assertRaisesRegex(ValueError, message):
                lc.sensor(SID).task(tasks, callback=cb)
        with self.assertRaisesRegex(TypeError, "tasks must be a command line or a list of them, not dict"):
            lc.sensor(SID).task({"os_processes": 1}, callback=cb)
        with self.assertRaisesRegex(ValueError, "holds '/'"):
            lc.sensor(SID).task("os_processes", callback=cb, job=Job("a/b"))
        with self.assertRaisesRegex(TypeError, "job must be a checkwire_lc.jobs.Job or None, not str"):
            lc.sensor(SID).task("os_processes", callback=cb, job="job-1")
        with self.assertRaisesRegex(ValueError, "a sensor id is text"):
            lc.sensor("").task("os_processes", callback=cb)
        self.assertEqual(self.tasks.close(), [])

    def test_a_task_after_the_callback_answered_raises(self) -> None:
        self.handle({"action": "keep"})
        self.tasks.close()
        with self.assertRaisesRegex(RuntimeError, f"^a task for sensor {SID} after request answered"):
            self.service.later[0].task("os_processes", callback=self.service.processPackages)

    def test_without_a_callback_the_sdk_task_is_called_which_offline_raises(self) -> None:
        with self.assertRaisesRegex(LimaCharlieUnavailable, r"^lc\.sensor: the limacharlie SDK is not installed"):
            self.handle({"action": "plain"})

    def test_lc_keeps_the_org_and_jwt_and_is_none_without_them_as_in_lcservice(self) -> None:
        lc = self.service._lcHandle("org", "jwt", self.tasks)
        self.assertEqual((lc.oid, lc.jwt), ("org", "jwt"))
        with self.assertRaises(LimaCharlieUnavailable):
            lc.sensors()
        self.assertIsNone(self.service._lcHandle("org", None, self.tasks))


class ReplyTest(unittest.TestCase):
    def test_the_named_callback_gets_lc_oid_event_job_and_context(self) -> None:
        s = Packages("packages", "secret")
        event = {"routing": {"sid": SID}, "event": {"PACKAGES": []}}
        answer = s._handleReply(TaskReply("processPackages", event, "job-1", "c/1", "m"), "org", "jwt")
        [(lc, oid, given, job, ctx)] = s.replies
        self.assertEqual((lc.oid, oid, given, job, ctx), ("org", "org", event, "job-1", "c/1"))
        [update] = answer["jobs"]
        self.assertEqual((update["id"], update["hist"][0]["msg"]), ("job-1", "Our context was: c/1."))
        self.assertNotIn("cause", update)
        self.assertIn("end", update)
        # No job: None, and lcservice's answers.
        self.assertEqual(s._handleReply(TaskReply("processPackages", {}, "", "x", "m"), "org", "jwt"), {"success": True, "data": {}})
        self.assertEqual(s.replies[-1][3], None)
        self.assertEqual(
            s._handleReply(TaskReply("processProcesses", {}, "", "", "m"), "org", "jwt"),
            {"success": False, "retry": False, "data": {}},
        )

    def test_an_unknown_reply_callback_is_not_implemented(self) -> None:
        for name in ("nope", "onRequest", "response", "_handleReply", ""):
            with self.assertRaises(CallbackNotImplemented):
                Packages("p", "s")._handleReply(TaskReply(name, {}, "", "", "m"), "org", "jwt")
        with self.assertRaises(CallbackNotImplemented):
            Service("plain", "s")._handleReply(TaskReply("processPackages", {}, "", "", "m"), "org", "jwt")


class ServerTest(unittest.TestCase):
    def setUp(self) -> None:
        self.service = Packages("packages", "secret")
        self.running = start(self.service, port=0, options={"token": TOKEN})
        self.channel = grpc.insecure_channel(self.running.address)
        self.stub: Any = lc_grpc.LcHandlerServiceStub(self.channel)  # type: ignore[no-untyped-call]
        self.auth = [("authorization", f"Bearer {TOKEN}")]

    def tearDown(self) -> None:
        self.channel.close()
        self.running.stop(0)

    def reply(self, name: str, job_id: str, ctx: str, event: Optional[Dict[str, Any]] = None) -> Any:
        cb = lc_pb2.Callback(etype="detection", oid="org", jwt="jwt", mid="m-reply")
        req = lc_pb2.OnTaskReplyRequest(callback=cb, reply_callback=name, job_id=job_id, context=ctx)
        req.event.update(event or {"routing": {"sid": SID}, "event": {"COUNT": 3}})
        return self.stub.OnTaskReply(req, metadata=self.auth, timeout=30)

    def test_describe_says_interactive_with_its_reply_callbacks(self) -> None:
        d = self.stub.Describe(lc_pb2.DescribeRequest(), metadata=self.auth, timeout=30)
        self.assertTrue(d.interactive)
        self.assertEqual(list(d.reply_callbacks), ["processPackages", "processProcesses"])
        self.assertEqual(list(d.callbacks), ["request"])

    def test_a_plain_service_describes_itself_not_interactive(self) -> None:
        running = start(Service("plain", "s"), port=0, options={"token": TOKEN})
        try:
            with grpc.insecure_channel(running.address) as channel:
                stub: Any = lc_grpc.LcHandlerServiceStub(channel)  # type: ignore[no-untyped-call]
                d = stub.Describe(lc_pb2.DescribeRequest(), metadata=self.auth, timeout=30)
                self.assertFalse(d.interactive)
                self.assertEqual(list(d.reply_callbacks), [])
                with self.assertRaises(grpc.RpcError) as refused:
                    cb = lc_pb2.Callback(etype="detection")
                    stub.OnTaskReply(lc_pb2.OnTaskReplyRequest(callback=cb, reply_callback="x"), metadata=self.auth, timeout=30)
                self.assertEqual(refused.exception.code(), grpc.StatusCode.UNIMPLEMENTED)
                self.assertEqual(refused.exception.details(), "plain does not implement reply callback x")
        finally:
            running.stop(0)

    def test_a_callback_answer_carries_its_tasks_after_its_jobs(self) -> None:
        cb = lc_pb2.Callback(etype="request", oid="org", jwt="jwt", mid="m")
        cb.data.update({"sid": SID})
        res = self.stub.OnRequest(lc_pb2.OnRequestRequest(callback=cb), metadata=self.auth, timeout=30).result
        self.assertTrue(res.success)
        [job] = res.jobs
        [task] = res.tasks
        self.assertEqual(
            (task.sid, list(task.commands), task.callback, task.context, task.job_id),
            (SID, ["os_packages", "os_services"], "processPackages", "a/b", job.id),
        )

    def test_a_refused_task_fails_the_callback_without_sending_any(self) -> None:
        cb = lc_pb2.Callback(etype="request", oid="org", jwt="jwt", mid="m")
        cb.data.update({"action": "unknown"})
        with self.assertRaises(grpc.RpcError) as failed:
            self.stub.OnRequest(lc_pb2.OnRequestRequest(callback=cb), metadata=self.auth, timeout=30)
        self.assertEqual(failed.exception.code(), grpc.StatusCode.INTERNAL)
        self.assertRegex(failed.exception.details(), r"^request failed \(error id [0-9a-f-]{36}\)$")
        self.assertIn("is not a reply callback of packages", self.service.critical)

    def test_on_task_reply_reaches_the_named_callback_with_its_job_context_and_event(self) -> None:
        res = self.reply("processPackages", "job-7", "c/1").result
        [(_, oid, event, job, ctx)] = self.service.replies
        self.assertEqual((oid, job, ctx), ("org", "job-7", "c/1"))
        self.assertEqual(event, {"routing": {"sid": SID}, "event": {"COUNT": 3}})
        self.assertIsInstance(event["event"]["COUNT"], int)
        self.assertTrue(res.success)
        [update] = res.jobs
        self.assertEqual((update.id, update.narration[0].message, update.closed), ("job-7", "Our context was: c/1.", True))
        self.assertEqual(list(res.tasks), [])

    def test_a_reply_callback_may_task_again(self) -> None:
        res = self.reply("processPackages", "", "again").result
        [task] = res.tasks
        self.assertEqual((task.sid, list(task.commands), task.callback, task.context, task.job_id), (SID, ["os_processes"], "processProcesses", "next", ""))

    def test_reply_failures_map_to_statuses_without_details(self) -> None:
        with self.assertRaises(grpc.RpcError) as crash:
            self.reply("processPackages", "", "crash")
        self.assertEqual(crash.exception.code(), grpc.StatusCode.INTERNAL)
        self.assertRegex(crash.exception.details(), r"^reply callback processPackages failed \(error id [0-9a-f-]{36}\)$")
        self.assertNotIn("hunter2", crash.exception.details())
        self.assertIn("hunter2", self.service.critical)
        for name in ("onRequest", "nope"):
            with self.assertRaises(grpc.RpcError) as unknown:
                self.reply(name, "", "")
            self.assertEqual(unknown.exception.code(), grpc.StatusCode.UNIMPLEMENTED)
            self.assertEqual(unknown.exception.details(), f"packages does not implement reply callback {name}")


if __name__ == "__main__":
    unittest.main()
