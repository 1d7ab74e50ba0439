#!/usr/bin/env bash
# Regenerates the Python classes of proto/ (ml/python/oo/...) with Debian's protoc; run from
# anywhere. tools/proto/generate.sh calls it too, and tests/test_generated_proto.py fails while the
# committed classes differ from a fresh generation.
#   needs: apt-get install -y protobuf-compiler libprotobuf-dev   (libprotobuf-dev: timestamp.proto)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$here}"
include="${PROTOC_INCLUDE:-/usr/include}"
if ! command -v protoc >/dev/null; then
  echo "generate_proto: protoc not found (apt-get install -y protobuf-compiler libprotobuf-dev)" >&2
  exit 1
fi
if [ ! -f "$include/google/protobuf/timestamp.proto" ]; then
  echo "generate_proto: $include/google/protobuf/timestamp.proto not found (apt-get install -y libprotobuf-dev, or set PROTOC_INCLUDE)" >&2
  exit 1
fi
rm -rf "$out/oo"
mapfile -t files < <(cd "$root/proto" && find oo -name '*.proto' | LC_ALL=C sort)
(cd "$root/proto" && protoc -I . -I "$include" --python_out="$out" "${files[@]}")
echo "generated $(echo "$out/oo" | sed "s#^$root/##") from proto/ ($(protoc --version))"
