"""Jobs and attachments render lcservice's wire form (../shared/lc-protocol.md, "Jobs")."""
import base64
import unittest

from checkwire_lc.jobs import HexDump, Job, JsonData, Table, YamlData


class AttachmentTest(unittest.TestCase):
    def test_each_kind_renders_as_lcservice_does(self) -> None:
        self.assertEqual(
            HexDump("raw", b"\x00\xffMZ").toJson(),
            {"att_type": "hex_dump", "caption": "raw", "data": base64.b64encode(b"\x00\xffMZ").decode()},
        )
        self.assertEqual(HexDump("text", "é").toJson()["data"], base64.b64encode("é".encode()).decode())
        table = Table("t", ["a", "b"], [[1, None]])
        table.addRow([True, "x"])
        self.assertEqual(table.length(), 2)
        self.assertEqual(
            table.toJson(),
            {"att_type": "table", "caption": "t", "headers": ["a", "b"], "rows": [["1", "null"], ["true", "x"]]},
        )
        self.assertEqual(JsonData("j", {"b": [1], "a": "é"}).toJson()["data"], '{\n  "b": [\n    1\n  ],\n  "a": "\\u00e9"\n}')
        self.assertEqual(YamlData("y", {"b": [1, 2], "a": "yes"}).toJson()["data"], "a: 'yes'\nb:\n- 1\n- 2\n")

    def test_takes_what_lcservice_takes_tuples_and_generators(self) -> None:
        rows = (("s1", n) for n in range(2))
        self.assertEqual(Table("t", ("sid", "n"), rows).toJson()["rows"], [["s1", "0"], ["s1", "1"]])
        self.assertEqual(Table("t", ["a"], [("x",)]).toJson()["rows"], [["x"]])
        self.assertEqual(JsonData("j", (1, "a")).toJson()["data"], '[\n  1,\n  "a"\n]')
        self.assertEqual(YamlData("y", (1, "a")).toJson()["data"], "- 1\n- a\n")

    def test_refuses_what_lcservice_cannot_render(self) -> None:
        with self.assertRaisesRegex(TypeError, "Table headers must be a list or a tuple, not int"):
            Table("t", 5)  # type: ignore[arg-type]
        with self.assertRaisesRegex(TypeError, "Table row must be a list or a tuple, not int"):
            Table("t", ["a"]).addRow(3)  # type: ignore[arg-type]
        with self.assertRaisesRegex(TypeError, "Table row must be a list or a tuple, not str"):
            Table("t", ["a"], (r for r in ["not a row"]))
        with self.assertRaisesRegex(TypeError, "JSON attachment data must be a dict, a list or a tuple, not str"):
            JsonData("j", "text")
        with self.assertRaisesRegex(TypeError, "YAML attachment data must be a dict, a list or a tuple, not int"):
            YamlData("y", 3)


class JobTest(unittest.TestCase):
    def test_a_new_job_carries_start_cause_sensors_history_and_end(self) -> None:
        job = Job()
        job.setCause("because")
        job.addSensor("s1")
        job.addSensor("s1")
        job.narrate("first", [Table("t", ["a"])], isImportant=True)
        job.close()
        out = job.toJson()
        self.assertEqual(out["id"], job.getId())
        self.assertEqual(out["cause"], "because")
        self.assertEqual(out["sid"], ["s1"])
        self.assertIsInstance(out["start"], int)
        self.assertGreaterEqual(out["end"], out["start"])
        [entry] = out["hist"]
        self.assertEqual(entry["msg"], "first")
        self.assertTrue(entry["is_important"])
        self.assertEqual(entry["attachments"][0]["att_type"], "table")
        self.assertTrue(entry["id"])

    def test_a_new_job_needs_a_cause(self) -> None:
        job = Job()
        with self.assertRaisesRegex(ValueError, "has no cause: call setCause"):
            job.toJson()

    def test_a_job_advanced_by_id_sends_only_what_it_has(self) -> None:
        job = Job("7b0e0c64-8a42-4d8e-9a3e-5d8e2c1f0a01")
        job.narrate("later")
        out = job.toJson()
        self.assertEqual(set(out), {"id", "hist"})
        self.assertEqual(out["id"], "7b0e0c64-8a42-4d8e-9a3e-5d8e2c1f0a01")

    def test_each_entry_keeps_its_id_so_sending_the_job_again_adds_nothing_twice(self) -> None:
        job = Job()
        job.setCause("c")
        job.narrate("one")
        first = job.toJson()["hist"]
        job.narrate("two")
        second = job.toJson()["hist"]
        self.assertEqual(second[0]["id"], first[0]["id"])
        self.assertNotEqual(second[1]["id"], second[0]["id"])
        job.close()
        end = job.toJson()["end"]
        job.close()
        self.assertEqual(job.toJson()["end"], end)


if __name__ == "__main__":
    unittest.main()
