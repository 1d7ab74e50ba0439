import json
import unittest

from oo_ds.seeded_rng import create_rng
from tests.fixtures import fixture_dir


class SeededRngTest(unittest.TestCase):
    def test_draws_the_same_numbers_as_the_bandit_library_for_the_same_seeds(self):
        draws = json.loads((fixture_dir() / "rng.json").read_text())
        self.assertGreater(len(draws), 5)
        for case in draws:
            rng = create_rng(case["seed"])
            self.assertEqual([rng.uint32() for _ in case["uint32"]], case["uint32"], f"seed {case['seed']!r}")
            self.assertEqual([rng.int(1000) for _ in case["int1000"]], case["int1000"], f"seed {case['seed']!r}")


if __name__ == "__main__":
    unittest.main()
