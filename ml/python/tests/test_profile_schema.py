import json
import sys
import unittest

from oo_ds import profile_schema
from tests.fixtures import PYTHON_ROOT, REPO

sys.path.insert(0, str(PYTHON_ROOT / "tools"))
from generate_profile_schema import render  # noqa: E402

REGISTRY = REPO / "docs" / "profile-feature-registry.json"


class ProfileSchemaTest(unittest.TestCase):
    def test_the_module_is_what_the_registry_document_generates(self):
        generated = render(json.loads(REGISTRY.read_text(encoding="utf-8")))
        committed = (PYTHON_ROOT / "oo_ds" / "profile_schema.py").read_text(encoding="utf-8")
        self.assertEqual(committed, generated, "run /usr/bin/python3 ml/python/tools/generate_profile_schema.py")

    def test_every_feature_carries_the_documents_values(self):
        document = json.loads(REGISTRY.read_text(encoding="utf-8"))
        self.assertEqual(profile_schema.REGISTRY_VERSION, document["registryVersion"])
        self.assertEqual([f.name for f in profile_schema.FEATURES], [f["name"] for f in document["features"]])
        for feature in document["features"]:
            ours = profile_schema.FEATURES_BY_NAME[feature["name"]]
            self.assertEqual(
                (ours.dtype, ours.ttl_sec, ours.description, list(ours.invalidated_by), list(ours.maintained_by), ours.fallback, ours.revision),
                (feature["dtype"], feature["ttlSec"], feature["description"], feature["invalidatedBy"], feature["maintainedBy"], feature["fallback"], feature["revision"]),
            )

    def test_a_malformed_document_is_refused_by_name(self):
        with self.assertRaisesRegex(ValueError, "feature 0 \\(x\\): missing dtype"):
            render({"registryVersion": "r", "features": [{"name": "x"}]})
        with self.assertRaisesRegex(ValueError, "dtype 'vector'"):
            render({"registryVersion": "r", "features": [{"name": "x", "dtype": "vector", "ttlSec": 1, "description": "", "invalidatedBy": [], "maintainedBy": [], "fallback": 0, "revision": 0}]})


if __name__ == "__main__":
    unittest.main()
