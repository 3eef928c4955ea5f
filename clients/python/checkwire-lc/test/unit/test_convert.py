"""lcservice values ↔ the LC handler contract's messages."""
import unittest
from typing import Any, Dict

from google.protobuf import json_format

from checkwire_lc._gen.lc.v1 import handler_service_pb2 as lc_pb2
from checkwire_lc.convert import callback_result, job_update, plain, request_from_callback, request_parameter
from checkwire_lc.jobs import HexDump, Job, JsonData, Table, YamlData
from checkwire_lc.service import Service


class RequestTest(unittest.TestCase):
    def test_a_callback_becomes_lcservice_request_with_ints_kept(self) -> None:
        cb = lc_pb2.Callback(etype="request", oid="org", jwt="j", mid="m", sid="")
        cb.data.update({"count": 3, "ratio": 0.5, "nested": {"list": [1, 2.5, True, None, "x"]}})
        cb.deadline.FromSeconds(1_700_000_000)
        request, oid, jwt = request_from_callback("request", cb)
        self.assertEqual(request.data, {"count": 3, "ratio": 0.5, "nested": {"list": [1, 2.5, True, None, "x"]}})
        self.assertIsInstance(request.data["count"], int)
        self.assertEqual((request.eventType, request.messageId, request.deadline, request.sid), ("request", "m", 1_700_000_000, None))
        self.assertEqual((oid, jwt), ("org", "j"))

    def test_a_global_callback_has_no_org(self) -> None:
        request, oid, jwt = request_from_callback("once_per_1h", lc_pb2.Callback(etype="once_per_1h"))
        self.assertEqual((request.data, oid, jwt, request.deadline), ({}, None, None, None))

    def test_plain_leaves_huge_and_fractional_numbers_as_floats(self) -> None:
        self.assertEqual(plain([2.0**60, 1.5, 2.0]), [2.0**60, 1.5, 2])
        self.assertIsInstance(plain(2.0**60), float)


class ResultTest(unittest.TestCase):
    def setUp(self) -> None:
        self.service = Service("s", "secret")

    def test_a_response_dict_maps_onto_the_result(self) -> None:
        ok = callback_result(self.service.response())
        self.assertEqual((ok.success, ok.retry, ok.error, dict(ok.data), list(ok.jobs)), (True, False, "", {}, []))
        failed = callback_result(self.service.response(isSuccess=False, isDoRetry=True))
        self.assertEqual((failed.success, failed.retry), (False, True))

    def test_data_goes_through_json_as_lcservice_sends_it(self) -> None:
        data: Dict[Any, Any] = {"pair": (1, "a"), 1: "one", 2.5: "two and a half", None: [(2,)], False: {"nested": (True,)}}
        result = callback_result(self.service.response(data=data))
        self.assertEqual(
            json_format.MessageToDict(result.data),
            {"pair": [1.0, "a"], "1": "one", "2.5": "two and a half", "null": [[2.0]], "false": {"nested": [True]}},
        )
        # Where lcservice's json.dumps fails, so does this (the handler's bug: logged, a retry).
        with self.assertRaisesRegex(TypeError, "keys must be str, int, float, bool or None, not tuple"):
            callback_result(self.service.response(data={(1, 2): "pair key"}))
        with self.assertRaisesRegex(TypeError, "Object of type object is not JSON serializable"):
            callback_result(self.service.response(data={"when": object()}))

    def test_a_response_keeps_data_error_and_jobs(self) -> None:
        job = Job()
        job.setCause("why")
        job.addSensor("s1")
        job.narrate("all four", [HexDump("h", b"\x01"), Table("t", ["a"], [[1]]), JsonData("j", [1]), YamlData("y", {"k": "v"})], True)
        job.close()
        result = callback_result(self.service.response(isSuccess=False, isDoRetry=True, data={"n": 1}, error="e", jobs=[job]))
        self.assertEqual((result.success, result.retry, result.error), (False, True, "e"))
        self.assertEqual(dict(result.data), {"n": 1.0})
        [update] = result.jobs
        self.assertEqual((update.id, update.cause, list(update.sensor_ids), update.closed), (job.getId(), "why", ["s1"], True))
        self.assertTrue(update.HasField("start_time"))
        [entry] = update.narration
        self.assertTrue(entry.important)
        self.assertEqual(entry.id, job.toJson()["hist"][0]["id"])
        kinds = [a.WhichOneof("content") for a in entry.attachments]
        self.assertEqual(kinds, ["hex_dump", "table", "json", "yaml"])
        self.assertEqual(entry.attachments[0].hex_dump.data, b"\x01")
        self.assertEqual(list(entry.attachments[1].table.rows[0].cells), ["1"])
        self.assertEqual(entry.attachments[2].json.text, "[\n  1\n]")
        self.assertEqual(entry.attachments[3].yaml.text, "k: v\n")

    def test_a_wrong_answer_is_the_handlers_bug_named_plainly(self) -> None:
        # Service._handle turns any callback answer into a dict; this guards the contract's side.
        with self.assertRaisesRegex(TypeError, "a response is a dict, not str"):
            callback_result("ok")  # type: ignore[arg-type]
        with self.assertRaisesRegex(TypeError, "response data must be a dict, not list"):
            callback_result({"success": True, "data": [1]})
        with self.assertRaisesRegex(ValueError, "att_type 'video' is not"):
            job_update({"id": "j", "hist": [{"ts": 1, "msg": "m", "attachments": [{"att_type": "video"}]}]})
        with self.assertRaisesRegex(ValueError, "no id"):
            job_update({"hist": []})
        with self.assertRaisesRegex(ValueError, "epoch milliseconds"):
            job_update({"id": "j", "hist": [{"msg": "m"}]})

    def test_request_parameters_map_onto_the_contract(self) -> None:
        p = request_parameter({"type": "enum", "values": ["a", "b"], "is_required": True, "desc": "d"})
        self.assertEqual((p.type, list(p.values), p.is_required, p.description), (lc_pb2.PARAMETER_TYPE_ENUM, ["a", "b"], True, "d"))
        self.assertEqual(request_parameter({"type": "int"}).type, lc_pb2.PARAMETER_TYPE_INT)


if __name__ == "__main__":
    unittest.main()
