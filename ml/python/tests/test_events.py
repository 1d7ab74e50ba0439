import base64
import json
import unittest

from oo_ds.events import EventDecodeError, decode_event, decode_tail_line
from tests.fixtures import fixture_dir


def _events():
    lines = (fixture_dir() / "cloudevents.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


class DecodeEventTest(unittest.TestCase):
    def test_decodes_events_from_the_services_codec_into_the_same_json(self):
        events = _events()
        self.assertEqual([e["headers"]["ce-type"] for e in events], ["oo.signals.v1.TipServed", "oo.signals.v1.TipFeedback", "oo.users.v1.UserCreated"])
        for e in events:
            decoded = decode_event(e["headers"], base64.b64decode(e["payload"]), e["subject"])
            self.assertEqual(decoded.type, e["headers"]["ce-type"])
            self.assertEqual(decoded.id, e["headers"]["ce-id"])
            self.assertEqual(decoded.to_dict(), e["expected"])
        served = decode_event(events[0]["headers"], base64.b64decode(events[0]["payload"])).message
        self.assertEqual(len(served.probabilities), len(served.candidates))
        self.assertEqual(served.candidates[served.chosen_index].kind, served.tip_kind)

    def test_reads_a_tail_line_with_raw_payload(self):
        e = _events()[1]
        line = {"subject": e["subject"], "headers": e["headers"], "raw": e["payload"]}
        self.assertEqual(decode_tail_line(line).message.dwell_ms, 12345)
        with self.assertRaisesRegex(EventDecodeError, "run tail or replay with --raw"):
            decode_tail_line({"subject": e["subject"], "data": e["expected"]})

    def test_says_why_a_message_cannot_be_decoded(self):
        e = _events()[0]
        with self.assertRaisesRegex(EventDecodeError, "not a CloudEvent 1.0"):
            decode_event({**e["headers"], "ce-specversion": "0.3"}, b"")
        with self.assertRaisesRegex(EventDecodeError, "unknown ce-type oo.signals.v9.Nope"):
            decode_event({**e["headers"], "ce-type": "oo.signals.v9.Nope"}, b"")
        with self.assertRaisesRegex(EventDecodeError, "payload is application/json"):
            decode_event({**e["headers"], "ce-datacontenttype": "application/json"}, b"{}")
        with self.assertRaisesRegex(EventDecodeError, "payload is not a oo.signals.v1.TipServed"):
            decode_event(e["headers"], b"\xff\xff\xff", "signals.tip.served")


if __name__ == "__main__":
    unittest.main()
