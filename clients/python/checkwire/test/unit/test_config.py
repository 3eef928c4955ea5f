"""Settings from CHECKWIRE_* variables: defaults, and one ConfigError naming the variable."""
import os
import tempfile
import unittest

from checkwire import ConfigError
from checkwire.config import Settings, Tls, settings_from_env


class SettingsFromEnvTest(unittest.TestCase):
    def test_defaults(self) -> None:
        self.assertEqual(settings_from_env({}), Settings("127.0.0.1:50051", None, None, 10.0))

    def test_address_token_timeout_and_tls(self) -> None:
        with tempfile.TemporaryDirectory() as d:
            for name in ("ca", "cert", "key"):
                with open(os.path.join(d, name), "wb") as f:
                    f.write(name.encode())
            env = {
                "CHECKWIRE_ADDRESS": "[::1]:6000",
                "CHECKWIRE_TOKEN": "cw_x",
                "CHECKWIRE_TIMEOUT": "2.5",
                "CHECKWIRE_TLS_CA_FILE": os.path.join(d, "ca"),
                "CHECKWIRE_TLS_CERT_FILE": os.path.join(d, "cert"),
                "CHECKWIRE_TLS_KEY_FILE": os.path.join(d, "key"),
            }
            self.assertEqual(
                settings_from_env(env),
                Settings("[::1]:6000", "cw_x", Tls(b"ca", b"cert", b"key"), 2.5),
            )

    def test_a_dns_target_reaches_every_replica(self) -> None:
        for address in ("dns:///scoring:50051", "dns://10.0.0.10:53/scoring.ns.svc:50051"):
            with self.subTest(address=address):
                self.assertEqual(settings_from_env({"CHECKWIRE_ADDRESS": address}).address, address)

    def test_mistakes_name_the_variable(self) -> None:
        cases = [
            ({"CHECKWIRE_ADDRESS": "127.0.0.1"}, 'CHECKWIRE_ADDRESS: "127.0.0.1" is not host:port'),
            ({"CHECKWIRE_ADDRESS": "h:70000"}, 'CHECKWIRE_ADDRESS: "h:70000" is not host:port'),
            ({"CHECKWIRE_ADDRESS": "dns:///h"}, 'CHECKWIRE_ADDRESS: "dns:///h" is not host:port'),
            ({"CHECKWIRE_ADDRESS": "dns://x"}, 'CHECKWIRE_ADDRESS: "dns://x" is not host:port'),
            ({"CHECKWIRE_TIMEOUT": "soon"}, 'CHECKWIRE_TIMEOUT: "soon" is not a number'),
            ({"CHECKWIRE_TIMEOUT": "0"}, "CHECKWIRE_TIMEOUT: 0.0 is not a positive"),
            (
                {"CHECKWIRE_TLS_CERT_FILE": "c", "CHECKWIRE_TLS_KEY_FILE": "k"},
                "CHECKWIRE_TLS_CA_FILE: is required",
            ),
            (
                {"CHECKWIRE_TLS_CA_FILE": "/nonexistent/ca.pem"},
                "CHECKWIRE_TLS_CA_FILE: cannot read /nonexistent/ca.pem",
            ),
        ]
        for env, start in cases:
            with self.subTest(env=env):
                with self.assertRaises(ConfigError) as caught:
                    settings_from_env(env)
                self.assertTrue(str(caught.exception).startswith(start), str(caught.exception))
                self.assertIsNone(caught.exception.code)


if __name__ == "__main__":
    unittest.main()
