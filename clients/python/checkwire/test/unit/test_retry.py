"""Retries: only UNAVAILABLE, only idempotent calls, bounded, within the deadline; and a retried
insert_service_score resends ONE request_id. The transport callable is the only thing stubbed."""
import unittest
from typing import Any, List

import grpc

import checkwire
from checkwire._gen.scoring.v1 import resources_pb2, scoring_service_pb2
from checkwire.retry import RetryPolicy, call_with_retry


class FakeRpcError(grpc.RpcError):  # type: ignore[misc]  # grpc ships no types
    """What a failed grpc call raises: an RpcError with code() and details()."""

    def __init__(self, code: grpc.StatusCode, details: str = "") -> None:
        self._code = code
        self._details = details

    def code(self) -> grpc.StatusCode:
        return self._code

    def details(self) -> str:
        return self._details

    def trailing_metadata(self) -> Any:
        return ()


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: List[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class CallWithRetryTest(unittest.TestCase):
    def run_failing(
        self, codes: List[grpc.StatusCode], policy: RetryPolicy, timeout: float = 10
    ) -> Any:
        clock = FakeClock()
        calls: List[float] = []

        def attempt(left: float) -> str:
            calls.append(left)
            if len(calls) <= len(codes):
                raise FakeRpcError(codes[len(calls) - 1])
            return "answer"

        try:
            result: Any = call_with_retry(
                attempt,
                timeout,
                policy,
                sleep=clock.sleep,
                clock=clock.clock,
                jitter=lambda low, high: high,
            )
        except FakeRpcError as err:
            result = err.code()
        return result, calls, clock.sleeps

    def test_unavailable_is_retried_with_growing_capped_backoff(self) -> None:
        policy = RetryPolicy(max_attempts=5, initial_backoff=0.5, max_backoff=1.5)
        result, calls, sleeps = self.run_failing([grpc.StatusCode.UNAVAILABLE] * 3, policy)
        self.assertEqual(result, "answer")
        self.assertEqual(sleeps, [0.5, 1.0, 1.5])
        self.assertEqual(calls, [10, 9.5, 8.5, 7.0])

    def test_other_codes_are_answers_not_retried(self) -> None:
        for code in (grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.INVALID_ARGUMENT):
            result, calls, _ = self.run_failing([code], RetryPolicy())
            self.assertEqual((result, len(calls)), (code, 1))

    def test_attempts_are_bounded(self) -> None:
        policy = RetryPolicy(max_attempts=3)
        result, calls, _ = self.run_failing([grpc.StatusCode.UNAVAILABLE] * 9, policy)
        self.assertEqual((result, len(calls)), (grpc.StatusCode.UNAVAILABLE, 3))

    def test_no_backoff_runs_past_the_deadline(self) -> None:
        policy = RetryPolicy(max_attempts=9, initial_backoff=1, max_backoff=1)
        result, calls, _ = self.run_failing([grpc.StatusCode.UNAVAILABLE] * 9, policy, timeout=2.5)
        self.assertEqual((result, len(calls)), (grpc.StatusCode.UNAVAILABLE, 3))


class ClientRetryKeepsOneRequestIdTest(unittest.TestCase):
    """Stubs only the transport callable of a real Client (nothing is ever dialled)."""

    def make_client(self) -> checkwire.Client:
        policy = RetryPolicy(max_attempts=4, initial_backoff=0.001)
        client = checkwire.Client("127.0.0.1:9", retry=policy)
        self.addCleanup(client.close)
        return client

    def test_every_retry_of_insert_service_score_sends_the_same_request_id(self) -> None:
        client = self.make_client()
        sent: List[scoring_service_pb2.InsertServiceScoreRequest] = []

        def transport(request: Any, timeout: float, metadata: Any) -> Any:
            sent.append(request)
            if len(sent) < 3:
                raise FakeRpcError(grpc.StatusCode.UNAVAILABLE, "connection refused")
            score = resources_pb2.Score(
                id=5, service_id=request.service_id, request_id=request.request_id
            )
            return scoring_service_pb2.InsertServiceScoreResponse(score=score)

        client._stub.InsertServiceScore = transport
        score = client.insert_service_score(7, 100, None)
        self.assertEqual(len(sent), 3)
        self.assertEqual(len({r.request_id for r in sent}), 1)
        self.assertEqual(len(sent[0].request_id), 36)  # a uuid4
        self.assertEqual(score.request_id, sent[0].request_id)
        # A new call is a new score: a new id.
        client.insert_service_score(7, 100, None)
        self.assertNotEqual(sent[-1].request_id, sent[0].request_id)

    def test_report_service_error_is_sent_once(self) -> None:
        client = self.make_client()
        sent: List[Any] = []

        def transport(request: Any, timeout: float, metadata: Any) -> Any:
            sent.append(request)
            raise FakeRpcError(grpc.StatusCode.UNAVAILABLE, "connection refused")

        client._stub.ReportServiceError = transport
        with self.assertRaises(checkwire.ServerUnavailable) as caught:
            client.report_service_error(5, TimeoutError())
        self.assertEqual(len(sent), 1)
        self.assertEqual(
            str(caught.exception),
            "UNAVAILABLE: no Checkwire server answered at 127.0.0.1:9 (connection refused)",
        )
        self.assertIsNone(caught.exception.__cause__)
        self.assertTrue(caught.exception.__suppress_context__)


if __name__ == "__main__":
    unittest.main()
