import unittest

from oo_ds.export import parquet_available, read_export
from tests.fixtures import fixture_dir

SKIP_REASON = "pyarrow is not installed, so Parquet is not read back in Python here (Debian 12 has no python3-pyarrow); the Node test reads it back with hyparquet"


@unittest.skipUnless(parquet_available(), SKIP_REASON)
class ParquetExportTest(unittest.TestCase):
    def test_columns_read_back_with_their_types(self):
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pq.read_schema(fixture_dir() / "export.parquet")
        self.assertEqual(schema.field("served_at").type, pa.timestamp("ms", tz="UTC"))
        self.assertEqual(schema.field("chosen_index").type, pa.int32())
        self.assertEqual(schema.field("fallback").type, pa.bool_())
        self.assertEqual(schema.field("reward").type, pa.float64())
        self.assertEqual(schema.field("probabilities").type.value_type, pa.float64())
        self.assertEqual(schema.field("model_vectors").type.value_type.value_type, pa.float64())
        self.assertEqual(schema.field("shadow_policies").type.value_type.field("policy").type, pa.string())

    def test_rows_equal_the_jsonl_export(self):
        self.assertEqual(read_export(fixture_dir() / "export.parquet"), read_export(fixture_dir() / "export.jsonl"))


if __name__ == "__main__":
    unittest.main()
