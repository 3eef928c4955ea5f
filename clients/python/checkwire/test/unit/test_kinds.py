"""report_service_error's mapping of the exception a check hit to a kind, message and detail."""
import socket
import unittest
from typing import List, Tuple

from checkwire import ContentError, CredentialsError
from checkwire.kinds import MAX_DETAIL, CheckFailure, describe, error_kind


def raised(e: BaseException) -> BaseException:
    """``e`` with a traceback, as a check's ``except`` clause gets it."""
    try:
        raise e
    except BaseException as caught:
        return caught


class ErrorKindTest(unittest.TestCase):
    def test_each_exception_class_maps_to_its_kind(self) -> None:
        cases: List[Tuple[CheckFailure, str]] = [
            (socket.timeout("timed out"), "SERVICE_ERROR_KIND_TIMEOUT"),
            (TimeoutError(), "SERVICE_ERROR_KIND_TIMEOUT"),
            (ConnectionRefusedError(111, "Connection refused"), "SERVICE_ERROR_KIND_CONNECTION"),
            (ConnectionResetError(), "SERVICE_ERROR_KIND_CONNECTION"),
            (socket.gaierror(-2, "Name or service not known"), "SERVICE_ERROR_KIND_CONNECTION"),
            (PermissionError("denied"), "SERVICE_ERROR_KIND_CREDENTIALS"),
            (CredentialsError("login refused"), "SERVICE_ERROR_KIND_CREDENTIALS"),
            (ContentError("no flag"), "SERVICE_ERROR_KIND_CONTENT"),
            (ValueError("bad"), "SERVICE_ERROR_KIND_OTHER"),
            (OSError("other"), "SERVICE_ERROR_KIND_OTHER"),
            ("a plain message", "SERVICE_ERROR_KIND_OTHER"),
        ]
        for e, kind in cases:
            with self.subTest(e=repr(e)):
                self.assertEqual(error_kind(e), kind)


class DescribeTest(unittest.TestCase):
    def test_message_is_str_of_the_error_and_detail_its_traceback(self) -> None:
        kind, message, detail = describe(raised(ConnectionRefusedError(111, "Connection refused")))
        self.assertEqual(kind, "SERVICE_ERROR_KIND_CONNECTION")
        self.assertEqual(message, "[Errno 111] Connection refused")
        self.assertTrue(detail.startswith("Traceback (most recent call last):"), detail)
        self.assertTrue(detail.endswith("ConnectionRefusedError: [Errno 111] Connection refused\n"))

    def test_an_error_without_text_is_named_by_its_class(self) -> None:
        self.assertEqual(describe(raised(TimeoutError()))[1], "TimeoutError")

    def test_a_plain_message_is_other_without_detail(self) -> None:
        self.assertEqual(describe("port closed"), ("SERVICE_ERROR_KIND_OTHER", "port closed", ""))

    def test_texts_are_bounded_to_the_server_limits_keeping_the_traceback_end(self) -> None:
        kind, message, detail = describe(raised(ContentError("x" * 100_000)))
        self.assertEqual(kind, "SERVICE_ERROR_KIND_CONTENT")
        self.assertEqual(len(message), 4096)
        self.assertEqual(len(detail), MAX_DETAIL)
        self.assertTrue(detail.startswith("[...]\n"))
        self.assertTrue(detail.endswith("x\n"))


if __name__ == "__main__":
    unittest.main()
