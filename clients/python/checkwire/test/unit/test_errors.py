"""from_status: one typed exception per gRPC status, with the code name and the server message."""
import unittest

import checkwire
from checkwire.errors import from_status


class FromStatusTest(unittest.TestCase):
    def test_each_code_gets_its_class_and_keeps_the_message(self) -> None:
        cases = [
            ("NOT_FOUND", "no service 9", checkwire.NotFound, "NOT_FOUND: no service 9"),
            ("INVALID_ARGUMENT", "id: bad", checkwire.InvalidArgument, "INVALID_ARGUMENT: id: bad"),
            ("PERMISSION_DENIED", "no", checkwire.AuthError, "PERMISSION_DENIED: no"),
            (
                "UNAUTHENTICATED",
                "unknown token",
                checkwire.AuthError,
                "UNAUTHENTICATED: unknown token (check CHECKWIRE_TOKEN)",
            ),
            ("FAILED_PRECONDITION", "down", checkwire.ServiceDown, "FAILED_PRECONDITION: down"),
            (
                "UNAVAILABLE",
                "failed to connect",
                checkwire.ServerUnavailable,
                "UNAVAILABLE: no Checkwire server answered at h:1 (failed to connect)",
            ),
            (
                "DEADLINE_EXCEEDED",
                "Deadline Exceeded",
                checkwire.DeadlineExceeded,
                "DEADLINE_EXCEEDED: h:1 gave no answer in time (Deadline Exceeded)",
            ),
            ("INTERNAL", "error id 1f2e", checkwire.CheckwireError, "INTERNAL: error id 1f2e"),
        ]
        for code, details, cls, text in cases:
            with self.subTest(code=code):
                err = from_status(code, details, "h:1")
                self.assertIs(type(err), cls)
                self.assertIsInstance(err, checkwire.CheckwireError)
                self.assertEqual(err.code, code)
                self.assertEqual(str(err), text)
                self.assertEqual(err.address, "h:1")

    def test_author_errors_are_not_client_errors(self) -> None:
        self.assertFalse(issubclass(checkwire.ContentError, checkwire.CheckwireError))
        self.assertFalse(issubclass(checkwire.CredentialsError, checkwire.CheckwireError))


if __name__ == "__main__":
    unittest.main()
