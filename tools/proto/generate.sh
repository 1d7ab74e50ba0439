#!/usr/bin/env bash
# Regenerates libs/contracts/src/gen from proto/. Commit the result with the .proto change;
# tools/proto/check.sh fails while the two disagree.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

node_modules/.bin/buf generate proto --template proto/buf.gen.yaml
echo "generated libs/contracts/src/gen from proto/"
