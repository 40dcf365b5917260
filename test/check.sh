#!/usr/bin/env bash
# Runs before the tests in `npm test`: the gates that keep the code as it was reviewed. All gates run (two at a
# time: tsc alone takes as long as the other three), so one run shows everything that is wrong; the step fails if
# any gate failed, and prints what that gate printed.
#   tsc --noEmit      types, the whole project (tests included)
#   eslint            typescript-eslint, React hooks (addin/*.tsx), Office.js load/sync rules (addin/excel/host.ts)
#   prettier --check  the formatting (`npm run format` fixes it)
#   depcruise         the import boundaries of DESIGN §3 (.dependency-cruiser.cjs)
set -uo pipefail
cd "$(dirname "$0")/.."
bin=node_modules/.bin
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# gate NAME COMMAND…: runs COMMAND, keeps its output in $out/NAME.log and its exit status in $out/NAME.rc.
gate() {
  local name=$1 start=$SECONDS
  shift
  "$@" >"$out/$name.log" 2>&1
  echo "$? $((SECONDS - start))" >"$out/$name.rc"
}

gate tsc "$bin/tsc" --noEmit -p tsconfig.json &
gate eslint "$bin/eslint" --max-warnings 0 .
gate prettier "$bin/prettier" --check --log-level warn .
gate depcruise "$bin/depcruise" --config .dependency-cruiser.cjs --output-type err contract forms functions infra addin bench test
wait

failed=()
for name in tsc eslint prettier depcruise; do
  read -r rc secs <"$out/$name.rc"
  if [ "$rc" -eq 0 ]; then
    echo "check: $name ok (${secs} s)"
  else
    cat "$out/$name.log" >&2
    echo "check: $name FAILED (${secs} s)" >&2
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "check: failed: ${failed[*]}; the tests did not run" >&2
  exit 1
fi
