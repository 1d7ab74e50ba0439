import filecmp
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from tests.fixtures import PYTHON_ROOT


class GeneratedProtoTest(unittest.TestCase):
    def test_the_committed_classes_are_what_protoc_generates_from_proto(self):
        self.assertIsNotNone(shutil.which("protoc"), "protoc is missing: apt-get install -y protobuf-compiler libprotobuf-dev")
        with tempfile.TemporaryDirectory() as out:
            done = subprocess.run(["bash", str(PYTHON_ROOT / "tools" / "generate_proto.sh"), out], capture_output=True, text=True)
            self.assertEqual(done.returncode, 0, done.stderr)
            fresh = sorted(p.relative_to(out) for p in Path(out, "oo").rglob("*.py"))
            committed = sorted(p.relative_to(PYTHON_ROOT) for p in (PYTHON_ROOT / "oo").rglob("*.py"))
            self.assertEqual(committed, fresh, "run ml/python/tools/generate_proto.sh")
            stale = [str(p) for p in fresh if not filecmp.cmp(Path(out, p), PYTHON_ROOT / p, shallow=False)]
            self.assertEqual(stale, [], "run ml/python/tools/generate_proto.sh")


if __name__ == "__main__":
    unittest.main()
