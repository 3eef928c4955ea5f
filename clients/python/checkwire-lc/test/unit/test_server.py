"""The gRPC server: Describe, callbacks, the handler token, failures by status."""
import contextlib
import io
import os
import signal
import threading
import unittest
from typing import Any, List, Optional

import grpc

from checkwire_lc import Request, Service, serve, start
from checkwire_lc._gen.lc.v1 import handler_service_pb2 as lc_pb2
from checkwire_lc._gen.lc.v1 import handler_service_pb2_grpc as lc_grpc
from checkwire_lc.jobs import Job

TOKEN = "handler-token"


class Sample(Service):
    def onStartup(self) -> None:
        self.setRequestParameters({"mode": {"type": "enum", "values": ["a"], "is_required": True, "desc": "m"}})
        self.subscribeToDetect("d1")
        self.publishResource("r", "lookup", b"\x00data")

    def onRequest(self, lc: Any, oid: Optional[str], request: Request) -> Any:
        if request.data.get("mode") == "crash":
            raise RuntimeError("secret detail")
        job = Job()
        job.setCause("c")
        return self.response(data={"mode": request.data.get("mode")}, jobs=[job])

    def every1HourPerSensor(self, lc: Any, oid: Optional[str], request: Request) -> Any:
        return self.response(data={"sid": request.sid})

    def logCritical(self, msg: str) -> None:
        self.critical = msg  # kept for the test instead of stderr


class ServerTest(unittest.TestCase):
    def setUp(self) -> None:
        self.service = Sample("sample", "secret")
        self.running = start(self.service, port=0, options={"token": TOKEN})
        self.channel = grpc.insecure_channel(self.running.address)
        self.stub: Any = lc_grpc.LcHandlerServiceStub(self.channel)  # type: ignore[no-untyped-call]
        self.auth = [("authorization", f"Bearer {TOKEN}")]

    def tearDown(self) -> None:
        self.channel.close()
        self.running.stop(0)

    def test_describe_declares_what_the_service_set(self) -> None:
        d = self.stub.Describe(lc_pb2.DescribeRequest(), metadata=self.auth, timeout=30)
        self.assertEqual(list(d.callbacks), ["request", "sensor_per_1h"])
        self.assertEqual(list(d.detect_subscriptions), ["d1"])
        self.assertEqual(d.request_parameters["mode"].type, lc_pb2.PARAMETER_TYPE_ENUM)
        self.assertEqual([(r.name, r.category, r.content) for r in d.resources], [("r", "lookup", b"\x00data")])
        self.assertEqual(d.start_time.seconds, self.service._startedAt)

    def test_callbacks_answer_with_data_and_jobs(self) -> None:
        cb = lc_pb2.Callback(etype="request", oid="o", jwt="j", mid="m")
        cb.data.update({"mode": "a"})
        res = self.stub.OnRequest(lc_pb2.OnRequestRequest(callback=cb), metadata=self.auth, timeout=30).result
        self.assertTrue(res.success)
        self.assertEqual(dict(res.data), {"mode": "a"})
        self.assertEqual(res.jobs[0].cause, "c")
        sensor = lc_pb2.Callback(etype="sensor_per_1h", oid="o", sid="s-1")
        answer = self.stub.Every1HourPerSensor(lc_pb2.Every1HourPerSensorRequest(callback=sensor), metadata=self.auth, timeout=30)
        self.assertEqual(dict(answer.result.data), {"sid": "s-1"})

    def test_unimplemented_and_failures_map_to_statuses_without_details(self) -> None:
        with self.assertRaises(grpc.RpcError) as unimplemented:
            self.stub.OnDetection(lc_pb2.OnDetectionRequest(callback=lc_pb2.Callback(etype="detection")), metadata=self.auth, timeout=30)
        self.assertEqual(unimplemented.exception.code(), grpc.StatusCode.UNIMPLEMENTED)
        self.assertEqual(unimplemented.exception.details(), "sample does not implement detection")
        cb = lc_pb2.Callback(etype="request")
        cb.data.update({"mode": "crash"})
        with self.assertRaises(grpc.RpcError) as crash:
            self.stub.OnRequest(lc_pb2.OnRequestRequest(callback=cb), metadata=self.auth, timeout=30)
        self.assertEqual(crash.exception.code(), grpc.StatusCode.INTERNAL)
        self.assertRegex(crash.exception.details(), r"^request failed \(error id [0-9a-f-]{36}\)$")
        self.assertNotIn("secret detail", crash.exception.details())
        self.assertIn("secret detail", self.service.critical)

    def test_calls_without_the_token_are_refused_before_the_service_sees_them(self) -> None:
        for metadata in ([], [("authorization", "Bearer wrong")], [("authorization", f"Bearer {TOKEN}x")]):
            with self.assertRaises(grpc.RpcError) as refused:
                self.stub.Describe(lc_pb2.DescribeRequest(), metadata=metadata, timeout=30)
            self.assertEqual(refused.exception.code(), grpc.StatusCode.UNAUTHENTICATED)

    def test_callbacks_above_grpcs_4_mib_default_are_taken_up_to_max_message_bytes(self) -> None:
        cb = lc_pb2.Callback(etype="request", oid="o", jwt="j", mid="m")
        cb.data.update({"mode": "a", "blob": "x" * (5 * 1024 * 1024)})
        res = self.stub.OnRequest(lc_pb2.OnRequestRequest(callback=cb), metadata=self.auth, timeout=30).result
        self.assertEqual(dict(res.data), {"mode": "a"})
        small = start(Sample("small", "x"), port=0, options={"token": TOKEN, "max_message_bytes": 1024})
        try:
            with grpc.insecure_channel(small.address) as channel:
                stub: Any = lc_grpc.LcHandlerServiceStub(channel)  # type: ignore[no-untyped-call]
                cb.data.update({"blob": "x" * 2048})
                with self.assertRaises(grpc.RpcError) as refused:
                    stub.OnRequest(lc_pb2.OnRequestRequest(callback=cb), metadata=self.auth, timeout=30)
                self.assertEqual(refused.exception.code(), grpc.StatusCode.RESOURCE_EXHAUSTED)
        finally:
            small.stop(0)

    def test_bad_options_are_named(self) -> None:
        with self.assertRaisesRegex(ValueError, "token is empty"):
            start(Sample("s", "x"), port=0, options={"token": ""})
        with self.assertRaisesRegex(ValueError, "tls_cert_file and tls_key_file go together"):
            start(Sample("s", "x"), port=0, options={"tls_cert_file": "/nonexistent"})
        with self.assertRaisesRegex(ValueError, "tls_key_file: cannot read /nonexistent/key"):
            start(Sample("s", "x"), port=0, options={"tls_cert_file": "/nonexistent/cert", "tls_key_file": "/nonexistent/key"})
        for name in ("max_workers", "max_message_bytes"):
            for bad in (0, "8", True):
                with self.assertRaisesRegex(ValueError, f"{name} must be a positive whole number, not {bad!r}"):
                    start(Sample("s", "x"), port=0, options={name: bad})
        with self.assertRaisesRegex(OSError, "cannot listen on 127.0.0.1:"):
            start(Sample("s", "x"), port=self.running.port)


class ServeTest(unittest.TestCase):
    def test_serve_stops_on_sigterm_calls_on_shutdown_and_puts_the_handlers_back(self) -> None:
        stopped: List[str] = []

        class Stops(Sample):
            def onShutdown(self) -> None:
                stopped.append("onShutdown")

        class SignalWhenListening(io.StringIO):
            """Sends this process SIGTERM once serve() says it listens, as an operator would."""

            def write(self, text: str) -> int:
                written = super().write(text)
                if "listening on" in text:
                    os.kill(os.getpid(), signal.SIGTERM)
                return written

        before = (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))
        out = SignalWhenListening()
        with contextlib.redirect_stdout(out):
            serve(Stops("stops", "x"), port=0, options={"token": TOKEN})
        self.assertRegex(out.getvalue(), r"^stops listening on 127\.0\.0\.1:\d+\n$")
        self.assertEqual(stopped, ["onShutdown"])
        self.assertEqual((signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)), before)

    def test_serve_outside_the_main_thread_points_to_start(self) -> None:
        raised: List[BaseException] = []

        def run() -> None:
            try:
                serve(Sample("s", "x"), port=0)
            except BaseException as e:  # noqa: BLE001 - kept for the assertion below
                raised.append(e)

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(30)
        self.assertEqual(len(raised), 1)
        self.assertIsInstance(raised[0], RuntimeError)
        self.assertRegex(str(raised[0]), r"only the main thread receives: from another thread, use start\(\)")


if __name__ == "__main__":
    unittest.main()
