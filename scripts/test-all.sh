#!/usr/bin/env bash
# The README's test command runs this: install what tests need, then every test part, naming the part that fails.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=()
part() {
  local name="$1"; shift
  local t0=$SECONDS
  echo "=== [test:$name] $*"
  if "$@"; then echo "=== [test:$name] passed ($((SECONDS - t0)) s)"; else echo "=== [test:$name] FAILED ($((SECONDS - t0)) s)"; failed+=("$name"); fi
}
part tools bash scripts/install-test-tools.sh
part typecheck npm run --silent typecheck
part lint npm run --silent lint
part build npm run --silent build
part unit npm run --silent test:unit
# component tests start the embedded platform, the CLI or other processes; they reuse the tests compiled above.
if [[ " ${failed[*]} " == *" build "* ]]; then echo "=== [test:component] not run: needs the build"; failed+=(component); else part component node scripts/run-node-tests.mjs component; fi
# integration and ui reuse the build above and the tests compiled by the unit part; installed packages the
# .vsix itself (npm run package builds again) and installs it into a clean code-server.
if [[ " ${failed[*]} " == *" tools "* || " ${failed[*]} " == *" build "* ]]; then
  echo "=== [test:integration] not run: needs the tools and the build"; failed+=(integration)
  echo "=== [test:ui] not run: needs the tools and the build"; failed+=(ui)
  echo "=== [test:installed] not run: needs the tools and the build"; failed+=(installed)
else
  part integration node scripts/run-integration.mjs
  part ui node scripts/run-ui.mjs
  part installed node scripts/run-installed.mjs
fi
if [ ${#failed[@]} -eq 0 ]; then
  echo "PROPACK TESTS PASSED"
  exit 0
fi
echo "PROPACK TESTS FAILED: ${failed[*]}"
exit 1
