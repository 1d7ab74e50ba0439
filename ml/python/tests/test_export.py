import json
import tempfile
import unittest
from datetime import datetime, timezone
from pathlib import Path

from oo_ds.export import ExportReadError, ParquetUnavailable, parquet_available, read_export
from tests.fixtures import fixture_dir


class JsonlExportTest(unittest.TestCase):
    def test_reads_every_decision_with_typed_values(self):
        rows = read_export(fixture_dir() / "export.jsonl")
        raw = (fixture_dir() / "raw-decisions.jsonl").read_text().splitlines()
        self.assertEqual(len(rows), len(raw))
        self.assertEqual([r["decision_id"] for r in rows], [json.loads(line)["served"]["decisionId"] for line in raw])
        first = rows[0]
        self.assertIsInstance(first["served_at"], datetime)
        self.assertEqual(first["served_at"].tzinfo, timezone.utc)
        self.assertIsInstance(first["chosen_index"], int)
        self.assertIsInstance(first["fallback"], bool)
        self.assertTrue(all(isinstance(p, float) for p in first["probabilities"]))
        self.assertEqual(len(first["model_vectors"]), len(first["candidate_ids"]))
        settled = [r for r in rows if r["settled"]]
        unsettled = [r for r in rows if not r["settled"]]
        self.assertTrue(unsettled, "the fixture has decisions younger than the window")
        self.assertTrue(all(r["reward"] is None and r["reaction"] is None for r in unsettled))
        self.assertEqual({r["reaction"] for r in settled}, {"done", "snooze", "dismiss", "none"})

    def test_names_the_line_and_column_that_is_wrong(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bad.jsonl"
            path.write_text('{"decision_id": "x"}\n')
            with self.assertRaisesRegex(ExportReadError, r"bad.jsonl:1: missing column\(s\) served_at"):
                read_export(path)
            path.write_text("\n{not json\n")
            with self.assertRaisesRegex(ExportReadError, "bad.jsonl:2: not JSON"):
                read_export(path)
            with self.assertRaisesRegex(ExportReadError, "cannot tell the format"):
                read_export(Path(folder) / "decisions.csv")

    def test_refuses_parquet_plainly_where_pyarrow_is_missing(self):
        if parquet_available():
            self.assertTrue(read_export(fixture_dir() / "export.parquet"))
            return
        with self.assertRaisesRegex(ParquetUnavailable, "needs pyarrow"):
            read_export(fixture_dir() / "export.parquet")


if __name__ == "__main__":
    unittest.main()
