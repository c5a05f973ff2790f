#!/usr/bin/env bash
# Fails when generated files under the given paths differ from what is committed.
set -euo pipefail
changes=$(git status --porcelain -- "$@")
if [ -n "$changes" ]; then
  echo "Generated files differ from the committed ones:"
  echo "$changes"
  git --no-pager diff --stat -- "$@"
  echo "Run 'npm run openapi' and commit the result."
  exit 1
fi
echo "Generated files match the committed ones."
