"""Service: lcservice's declarations, answers, helpers and callback dispatch."""
import threading
import unittest
from typing import Any, List, Optional

from checkwire_lc import LimaCharlieUnavailable, OfflineOrg, Request, Service
from checkwire_lc.callbacks import CALLBACKS
from checkwire_lc.service import CallbackNotImplemented


class Echo(Service):
    def onRequest(self, lc: Any, oid: Optional[str], request: Request) -> Any:
        return self.response(data={"lc": lc, "oid": oid, "data": request.data})

    def every1HourPerOrg(self, lc: Any, oid: Optional[str], request: Request) -> Any:
        return self.responseNotImplemented()


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

    def test_dispatch_gives_an_offline_org_and_refuses_what_is_not_implemented(self) -> None:
        s = Echo("e", "x")
        answer = s._handle(Request("request", "m", {"k": 1}), "org", "jwt")
        assert isinstance(answer, dict)
        lc = answer["data"]["lc"]
        self.assertIsInstance(lc, OfflineOrg)
        self.assertEqual((lc.oid, lc.jwt, answer["data"]["oid"]), ("org", "jwt", "org"))
        with self.assertRaisesRegex(LimaCharlieUnavailable, r"^lc\.sensors: the limacharlie SDK is not installed"):
            lc.sensors()
        global_answer = s._handle(Request("request", "m"), None, None)
        assert isinstance(global_answer, dict)
        self.assertIsNone(global_answer["data"]["lc"])
        for etype in ("detection", "org_per_1h", "no_such_etype"):
            with self.assertRaises(CallbackNotImplemented):
                s._handle(Request(etype, "m"), "org", "jwt")


class HelpersTest(unittest.TestCase):
    def test_parallel_exec_keeps_order_and_puts_exceptions_in_place(self) -> None:
        s = Service("s", "x")
        self.assertEqual(s.parallelExec(lambda n: n * 2, [3, 1, 2]), [6, 2, 4])
        [ok, failed] = s.parallelExec(lambda n: 1 // n, [1, 0])
        self.assertEqual(ok, 1)
        self.assertIsInstance(failed, ZeroDivisionError)
        self.assertEqual(dict(s.parallelExecEx(lambda n: n + 1, {"a": 1, "b": 2})), {"a": 2, "b": 3})
        with self.assertRaisesRegex(ValueError, "maxConcurrent must be at least 1"):
            s.parallelExec(lambda n: n, [1], maxConcurrent=0)

    def test_parallel_exec_runs_at_most_max_concurrent_at_once(self) -> None:
        running: List[int] = []
        peak: List[int] = []
        lock = threading.Lock()
        pairs = threading.Barrier(2, timeout=30)  # two at a time are reached, however slow

        def work(n: int) -> int:
            with lock:
                running.append(n)
                peak.append(len(running))
            pairs.wait()
            with lock:
                running.remove(n)
            return n

        self.assertEqual(Service("s", "x").parallelExec(work, range(8), maxConcurrent=2), list(range(8)))
        self.assertEqual(max(peak), 2)

    def test_a_timed_out_item_is_a_timeout_error_and_the_rest_are_not_held_back(self) -> None:
        release = threading.Event()
        try:
            results = Service("s", "x").parallelExec(lambda n: release.wait() if n == 0 else n, [0, 1], timeout=0.05)
            self.assertIsInstance(results[0], TimeoutError)
            self.assertEqual(results[1], 1)
        finally:
            release.set()

    def test_delay_and_schedule_run_until_shutdown_and_survive_exceptions(self) -> None:
        shut = threading.Event()

        logged: List[str] = []

        class Timed(Service):
            def onShutdown(self) -> None:
                shut.set()

            def logCritical(self, msg: str) -> None:
                logged.append(msg)

        s = Timed("t", "x")
        once = threading.Event()
        s.delay(0, once.set)
        self.assertTrue(once.wait(30))
        calls: List[int] = []
        twice = threading.Event()

        def tick() -> None:
            calls.append(1)
            if len(calls) >= 2:
                twice.set()
            raise RuntimeError("a failing run is logged, and the next one still comes")

        s.schedule(0.01, tick)
        self.assertTrue(twice.wait(30))
        self.assertRegex(logged[0], r"^tick failed: RuntimeError\('a failing run is logged")
        s._shutdown()
        self.assertTrue(shut.is_set())
        never = threading.Event()
        s.delay(0, never.set)
        self.assertFalse(never.wait(0.1))
        with self.assertRaisesRegex(ValueError, "positive number of seconds"):
            s.schedule(0, tick)


if __name__ == "__main__":
    unittest.main()
