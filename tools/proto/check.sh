#!/usr/bin/env bash
# Guards the event contracts (run by CI from the repository root):
#   1. buf lint (STANDARD + COMMENTS) and buf format
#   2. the committed libs/contracts/src/gen matches a fresh generation
#   3. no breaking change (FILE level) against the base branch, default main
# Everything runs offline: the module has no remote deps and the plugin is local.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

buf=node_modules/.bin/buf
base=${PROTO_BASE_BRANCH:-main}
committed=libs/contracts/src/gen
failed=0

echo "proto: lint"
"$buf" lint proto || failed=1

echo "proto: format"
if ! "$buf" format --diff --exit-code proto; then
  echo "proto: run 'node_modules/.bin/buf format -w proto' to fix the formatting" >&2
  failed=1
fi

echo "proto: generated code is up to date"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# -o makes the template's out path land under the temp dir instead of the committed tree.
"$buf" generate proto --template proto/buf.gen.yaml -o "$tmp"
if ! diff -r "$tmp/$committed" "$committed"; then
  echo "proto: $committed is stale (diff above: fresh < > committed); run tools/proto/generate.sh" >&2
  failed=1
fi

echo "proto: breaking changes against $base"
if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
  echo "proto: branch '$base' not found; fetch it or set PROTO_BASE_BRANCH" >&2
  failed=1
elif ! git cat-file -e "$base:proto/buf.yaml" 2>/dev/null; then
  # Only the very first change that introduces proto/ has nothing to compare with.
  echo "proto: note: '$base' has no proto/ yet, skipping the breaking-change comparison"
else
  "$buf" breaking proto --against ".git#branch=$base,subdir=proto" || failed=1
fi

if [ "$failed" -ne 0 ]; then
  echo "proto: FAILED" >&2
  exit 1
fi
echo "proto: ok"
