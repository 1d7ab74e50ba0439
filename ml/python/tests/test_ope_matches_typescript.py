import contextlib
import io
import json
import sys
import unittest

from oo_ds.export import parquet_available, read_export
from oo_ds.ope import evaluate_rows
from tests.fixtures import PYTHON_ROOT, RESAMPLES, SEED, fixture_dir

sys.path.insert(0, str(PYTHON_ROOT / "examples"))
from ope_from_export import main as example_main  # noqa: E402
from ope_from_export import max_abs_difference  # noqa: E402


class OpeMatchesTypeScriptTest(unittest.TestCase):
    def setUp(self):
        self.report = json.loads((fixture_dir() / "ope.json").read_text())

    def test_the_export_gives_the_same_table_as_npm_run_ope_to_1e_9(self):
        policies = evaluate_rows(read_export(fixture_dir() / "export.jsonl"), seed=SEED, resamples=RESAMPLES)
        self.assertEqual([p["label"] for p in policies], ["live", "fallback", "shadow:truth-greedy", "uniform"])
        self.assertTrue(all(p["evaluation"] is not None for p in policies))
        self.assertEqual(next(p for p in policies if p["label"] == "shadow:truth-greedy")["skipped"], 1)
        difference = max_abs_difference(policies, self.report["policies"])
        print(f"\nmax |python - typescript| over every estimate, bound, ESS and mean: {difference:.3e}", file=sys.stderr)
        self.assertLessEqual(difference, 1e-9)

    def test_a_different_seed_gives_different_intervals(self):
        # Guards the comparison itself: the intervals depend on the seeded resamples it reproduces.
        policies = evaluate_rows(read_export(fixture_dir() / "export.jsonl"), seed=SEED + 1, resamples=RESAMPLES)
        self.assertGreater(max_abs_difference(policies, self.report["policies"]), 1e-6)

    def test_the_example_script_exits_0_when_it_matches(self):
        args = [str(fixture_dir() / "export.jsonl"), "--seed", str(SEED), "--resamples", str(RESAMPLES), "--compare", str(fixture_dir() / "ope.json")]
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
            self.assertEqual(example_main(args), 0)
            self.assertEqual(example_main([*args[:2], str(SEED + 5), *args[3:]]), 1)
        self.assertIn("shadow:truth-greedy", printed.getvalue())

    @unittest.skipUnless(parquet_available(), "pyarrow is not installed: the Parquet export is not evaluated in Python here")
    def test_the_parquet_export_gives_the_same_table(self):
        policies = evaluate_rows(read_export(fixture_dir() / "export.parquet"), seed=SEED, resamples=RESAMPLES)
        self.assertLessEqual(max_abs_difference(policies, self.report["policies"]), 1e-9)


if __name__ == "__main__":
    unittest.main()
