#!/usr/bin/env bash
# Regenerates libs/contracts/src/gen (and ml/python/oo) from proto/. Commit the result with the
# .proto change; tools/proto/check.sh (and ml/python's tests) fail while they disagree.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

node_modules/.bin/buf generate proto --template proto/buf.gen.yaml
echo "generated libs/contracts/src/gen from proto/"
# The Python classes for data scientists (ml/python); they need Debian's protoc, which CI installs.
if command -v protoc >/dev/null; then
  bash ml/python/tools/generate_proto.sh
else
  echo "note: protoc not found, ml/python/oo not regenerated (apt-get install -y protobuf-compiler libprotobuf-dev)" >&2
fi
