"""Service: lcservice's declarations, answers, helpers and callback dispatch."""
import contextlib
import copy
import io
import json
import pickle
import threading
import unittest
from typing import Any, Dict, List, Optional
from unittest import mock

from checkwire_lc import LimaCharlieUnavailable, OfflineOrg, Request, Service, lc as lc_module
from checkwire_lc.callbacks import CALLBACKS
from checkwire_lc.concurrency import DEFAULT_MAX_CONCURRENT, Timers
from checkwire_lc.jobs import Job
from checkwire_lc.service import CallbackNotImplemented


class Echo(Service):
    def onRequest(self, lc: Any, oid: Optional[str], request: Request) -> Any:
        return self.response(data={"lc": lc, "oid": oid, "data": request.data})

    def every1HourPerOrg(self, lc: Any, oid: Optional[str], request: Request) -> Any:
        return self.responseNotImplemented()


class Answers(Service):
    """Answers request.data["answer"] as it is, and keeps what it logs critically."""

    def onStartup(self) -> None:
        self.critical: List[str] = []

    def onRequest(self, lc: Any, oid: Optional[str], request: Request) -> Any:
        return request.data["answer"]

    def logCritical(self, msg: str) -> None:
        self.critical.append(msg)


class DeclarationsTest(unittest.TestCase):
    def test_only_overridden_callbacks_are_implemented(self) -> None:
        self.assertEqual(Echo("e", "s")._implemented(), ["request", "org_per_1h"])
        self.assertEqual(Service("plain", "s")._implemented(), [])

    def test_every_etype_reaches_the_lcservice_method_of_its_name(self) -> None:
        self.assertEqual(len(CALLBACKS), 26)
        self.assertEqual(CALLBACKS["org_per_1h"], ("Every1HourPerOrg", "every1HourPerOrg"))
        self.assertEqual(CALLBACKS["sensor_per_30d"], ("Every30DayPerSensor", "every30DayPerSensor"))
        self.assertEqual(CALLBACKS["once_per_12h"], ("Every12HourGlobally", "every12HourGlobally"))
        for _, method in CALLBACKS.values():
            self.assertTrue(callable(getattr(Service, method)), method)

    def test_request_parameters_of_an_unknown_type_are_refused_when_declared(self) -> None:
        s = Service("s", "x")
        with self.assertRaisesRegex(ValueError, "type 'float' is not one of int, str, bool, enum .*never implemented"):
            s.setRequestParameters({"ratio": {"type": "float"}})
        with self.assertRaisesRegex(ValueError, "an enum needs its values"):
            s.setRequestParameters({"mode": {"type": "enum"}})
        s.setRequestParameters({"n": {"type": "int", "desc": "d"}})
        self.assertEqual(s._requestParameters, {"n": {"type": "int", "desc": "d"}})

    def test_on_startup_runs_in_the_constructor(self) -> None:
        class Declares(Service):
            def onStartup(self) -> None:
                self.subscribeToDetect("a")
                self.publishResource("r", "lookup", "text")

        s = Declares("d", "x")
        self.assertEqual(list(s._detectSubscribed), ["a"])
        self.assertEqual(s._resources, {"r": ("lookup", b"text")})


class AnswersTest(unittest.TestCase):
    def test_response_is_lcservice_dict(self) -> None:
        s = Service("s", "x")
        self.assertEqual(s.response(), {"success": True, "data": {}})
        self.assertEqual(s.response(isSuccess=False), {"success": False, "retry": False, "data": {}})
        self.assertEqual(s.response(isSuccess=False, isDoRetry=True, data={"a": 1}, error="e"), {"success": False, "retry": True, "data": {"a": 1}, "error": "e"})
        self.assertEqual(s.responseNotImplemented(), {"success": False, "retry": False, "data": {"error": "not implemented"}})

    def test_response_takes_one_job_no_jobs_or_any_iterable_of_them_as_lcservice_does(self) -> None:
        s = Service("s", "x")
        job = Job()
        job.setCause("c")
        self.assertEqual(s.response(jobs=job)["jobs"], [job.toJson()])
        self.assertNotIn("jobs", s.response(jobs=None))
        self.assertNotIn("jobs", s.response(jobs=[]))
        self.assertEqual(s.response(jobs=(job,))["jobs"], [job.toJson()])
        self.assertEqual(s.response(jobs=(j for j in [job]))["jobs"], [job.toJson()])
        self.assertEqual(s.response(isSuccess=False, error=404)["error"], "404")  # type: ignore[arg-type]

    def test_lcservice_shortcuts_become_its_responses(self) -> None:
        s = Answers("a", "x")
        for given, expected in (
            (True, {"success": True, "data": {}}),
            (False, {"success": False, "retry": False, "data": {}}),
            (None, {"success": False, "retry": True, "data": {}}),
            ({"success": True, "data": {"k": 1}}, {"success": True, "data": {"k": 1}}),
        ):
            self.assertEqual(s._handle(Request("request", "m", {"answer": given}), "org", "jwt"), expected)
        self.assertEqual(s.critical, [])

    def test_any_other_answer_is_logged_and_taken_as_success_as_lcservice_does(self) -> None:
        s = Answers("a", "x")
        for given in ("ok", 1, [], 0.5):
            self.assertEqual(s._handle(Request("request", "m", {"answer": given}), "org", "jwt"), {"success": True, "data": {}})
        self.assertEqual(len(s.critical), 4)
        self.assertEqual(
            s.critical[0],
            "no valid response specified in request (a str, not self.response(...), True, False or None), assuming success",
        )
        self.assertIn("(a list, not", s.critical[2])


class OrgHandleTest(unittest.TestCase):
    def test_dispatch_gives_an_offline_org_and_refuses_what_is_not_implemented(self) -> None:
        s = Echo("e", "x")
        answer = s._handle(Request("request", "m", {"k": 1}), "org", "jwt")
        lc = answer["data"]["lc"]
        self.assertIsInstance(lc, OfflineOrg)
        self.assertEqual((lc.oid, lc.jwt, answer["data"]["oid"]), ("org", "jwt", "org"))
        with self.assertRaisesRegex(LimaCharlieUnavailable, r"^lc\.sensors: the limacharlie SDK is not installed"):
            lc.sensors()
        global_answer = s._handle(Request("request", "m"), None, None)
        self.assertIsNone(global_answer["data"]["lc"])
        for etype in ("detection", "org_per_1h", "no_such_etype"):
            with self.assertRaises(CallbackNotImplemented):
                s._handle(Request(etype, "m"), "org", "jwt")

    def test_a_handle_needs_both_the_org_and_its_jwt_as_in_lcservice(self) -> None:
        self.assertIsNone(lc_module.org_handle("org", None))
        self.assertIsNone(lc_module.org_handle(None, "jwt"))
        self.assertIsNone(lc_module.org_handle(None, None))
        self.assertIsInstance(lc_module.org_handle("org", "jwt"), OfflineOrg)

    def test_the_sdk_import_is_tried_once_and_its_manager_built_when_present(self) -> None:
        built: List[Dict[str, Any]] = []

        class FakeSdk:
            @staticmethod
            def Manager(**kwargs: Any) -> str:
                built.append(kwargs)
                return "manager"

        lc_module._sdk.cache_clear()
        try:
            with mock.patch("checkwire_lc.lc.importlib.import_module", return_value=FakeSdk) as imported:
                self.assertEqual(lc_module.org_handle("org", "jwt"), "manager")
                self.assertEqual(lc_module.org_handle("org2", "jwt2"), "manager")
            imported.assert_called_once_with("limacharlie")
            self.assertEqual(built, [{"oid": "org", "jwt": "jwt"}, {"oid": "org2", "jwt": "jwt2"}])
        finally:
            lc_module._sdk.cache_clear()

    def test_an_offline_org_supports_python_protocols(self) -> None:
        lc = OfflineOrg("org", "jwt")
        self.assertFalse(hasattr(lc, "__deepcopy__"))
        self.assertEqual(copy.copy(lc).jwt, "jwt")
        self.assertEqual(copy.deepcopy(lc).oid, "org")
        again = pickle.loads(pickle.dumps(lc))
        self.assertEqual((type(again), again.oid, again.jwt), (OfflineOrg, "org", "jwt"))
        with self.assertRaises(LimaCharlieUnavailable):
            hasattr(lc, "sensors")


class LogTest(unittest.TestCase):
    def test_log_writes_lcservice_json_line_with_data_merged(self) -> None:
        s = Service("svc", "x")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            s.log("hello", {"k": 1})
            s.log("listed", [1, 2])
            s.log("plain")
        lines = [json.loads(line) for line in out.getvalue().splitlines()]
        self.assertEqual(len(lines), 3)
        first = lines[0]
        self.assertEqual(set(first["timestamp"]), {"seconds", "nanos"})
        self.assertIsInstance(first["timestamp"]["seconds"], int)
        self.assertTrue(0 <= first["timestamp"]["nanos"] < 1_000_000_000)
        del first["timestamp"]
        self.assertEqual(first, {"service": "svc", "severity": "INFO", "message": "hello", "k": 1})
        self.assertEqual(lines[1]["data"], [1, 2])
        self.assertNotIn("data", lines[2])

    def test_log_critical_writes_the_same_json_with_severity_error_on_stderr(self) -> None:
        s = Service("svc", "x")
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            s.logCritical("it broke\non two lines")
        [line] = err.getvalue().splitlines()
        entry = json.loads(line)
        del entry["timestamp"]
        self.assertEqual(entry, {"service": "svc", "severity": "ERROR", "message": "it broke\non two lines"})


class ParallelExecTest(unittest.TestCase):
    def test_parallel_exec_keeps_order_and_puts_exceptions_in_place(self) -> None:
        s = Service("s", "x")
        self.assertEqual(s.parallelExec(lambda n: n * 2, [3, 1, 2]), [6, 2, 4])
        self.assertEqual(s.parallelExec(lambda n: n, []), [])
        [ok, failed] = s.parallelExec(lambda n: 1 // n, [1, 0])
        self.assertEqual(ok, 1)
        self.assertIsInstance(failed, ZeroDivisionError)
        self.assertEqual(dict(s.parallelExecEx(lambda n: n + 1, {"a": 1, "b": 2})), {"a": 2, "b": 3})
        with self.assertRaisesRegex(ValueError, "maxConcurrent must be at least 1"):
            s.parallelExec(lambda n: n, [1], maxConcurrent=0)

    def _peak(self, items: int, width: int, maxConcurrent: Optional[int]) -> int:
        """The most calls running at once; each waits until ``width`` are running together."""
        running: List[int] = []
        peak: List[int] = []
        lock = threading.Lock()
        together = threading.Barrier(width, timeout=30)  # reached however slow the machine

        def work(n: int) -> int:
            with lock:
                running.append(n)
                peak.append(len(running))
            together.wait()
            with lock:
                running.remove(n)
            return n

        results = Service("s", "x").parallelExec(work, range(items), maxConcurrent=maxConcurrent)
        self.assertEqual(results, list(range(items)))
        return max(peak)

    def test_parallel_exec_runs_at_most_max_concurrent_at_once(self) -> None:
        self.assertEqual(self._peak(8, 2, maxConcurrent=2), 2)

    def test_parallel_exec_without_max_concurrent_uses_at_most_32_threads(self) -> None:
        self.assertEqual(DEFAULT_MAX_CONCURRENT, 32)
        self.assertEqual(self._peak(96, 32, maxConcurrent=None), 32)

    def test_a_timed_out_item_is_a_timeout_error_and_the_rest_are_not_held_back(self) -> None:
        release = threading.Event()
        try:
            # Only item 0 blocks (until released below); 10 s is ample for item 1 on any machine.
            results = Service("s", "x").parallelExec(lambda n: release.wait() if n == 0 else n, [0, 1], timeout=10)
            self.assertIsInstance(results[0], TimeoutError)
            self.assertEqual(results[1], 1)
        finally:
            release.set()


class TimersTest(unittest.TestCase):
    def test_schedule_calls_at_once_in_the_caller_then_in_the_background(self) -> None:
        s = Service("s", "x")
        callers: List[threading.Thread] = []
        again = threading.Event()

        def tick(label: str, *, twice: threading.Event) -> None:
            callers.append(threading.current_thread())
            if len(callers) >= 2:
                twice.set()

        s.schedule(0.01, tick, "label", twice=again)
        self.assertEqual(callers, [threading.current_thread()])  # the first run, before returning
        self.assertTrue(again.wait(30))
        self.assertIsNot(callers[1], threading.current_thread())
        s._shutdown()

    def test_the_first_runs_exception_is_the_callers_and_later_ones_are_logged(self) -> None:
        logged: List[str] = []

        class Timed(Service):
            def logCritical(self, msg: str) -> None:
                logged.append(msg)

        s = Timed("t", "x")
        calls: List[int] = []
        twice = threading.Event()

        def tick() -> None:
            calls.append(1)
            if len(calls) >= 3:
                twice.set()
            raise RuntimeError(f"run {len(calls)} failed")

        with self.assertRaisesRegex(RuntimeError, "^run 1 failed$"):
            s.schedule(0.01, tick)
        self.assertEqual(logged, [])
        self.assertTrue(twice.wait(30))  # as in lcservice, the recurring runs still come
        self.assertRegex(logged[0], r"^tick failed: RuntimeError\('run 2 failed'\)")
        s._shutdown()
        with self.assertRaisesRegex(ValueError, "positive number of seconds"):
            s.schedule(0, tick)

    def test_shutdown_waits_for_scheduled_work_under_way_before_on_shutdown(self) -> None:
        order: List[str] = []
        started = threading.Event()
        release = threading.Event()

        class Timed(Service):
            def onShutdown(self) -> None:
                order.append("onShutdown")

        s = Timed("t", "x")

        def work() -> None:
            started.set()
            release.wait(30)
            order.append("work done")

        s.delay(0, work)
        self.assertTrue(started.wait(30))
        stopping = threading.Thread(target=s._shutdown)
        stopping.start()
        try:
            stopping.join(0.1)
            self.assertEqual(order, [])  # onShutdown waits while work runs
        finally:
            release.set()
        stopping.join(30)
        self.assertEqual(order, ["work done", "onShutdown"])
        never = threading.Event()
        s.delay(0, never.set)  # after shutdown: nothing is started
        s.schedule(1, never.set)
        self.assertFalse(never.is_set())
        self.assertEqual(s._timers._threads, set())

    def test_the_wait_at_shutdown_is_bounded_and_names_what_still_runs(self) -> None:
        release = threading.Event()
        started = threading.Event()
        timers = Timers(lambda name, e: None)

        def stuck() -> None:
            started.set()
            release.wait(30)

        try:
            timers.delay(0, stuck)
            self.assertTrue(started.wait(30))
            self.assertEqual(timers.stop(0.01), ["delay"])
        finally:
            release.set()


if __name__ == "__main__":
    unittest.main()
