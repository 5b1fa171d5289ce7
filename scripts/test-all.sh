#!/usr/bin/env bash
# The README's test command runs this: install what tests need, then every test part, naming the part that fails.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=()
part() {
  local name="$1"; shift
  echo "=== [test:$name] $*"
  if "$@"; then echo "=== [test:$name] passed"; else echo "=== [test:$name] FAILED"; failed+=("$name"); fi
}
part typecheck npm run --silent typecheck
part lint npm run --silent lint
part build npm run --silent build
part unit npm run --silent test:unit
if [ ${#failed[@]} -eq 0 ]; then
  echo "PROPACK TESTS PASSED"
  exit 0
fi
echo "PROPACK TESTS FAILED: ${failed[*]}"
exit 1
