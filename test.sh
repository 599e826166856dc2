#!/usr/bin/env bash
# Runs every ChatWeb test: installs what the tests need on a fresh machine (Debian's chromium for the
# browser tests; npm packages come with the build), then `dotnet test ChatWeb.sln`, then the container
# smoke test (scripts/container-smoke.sh: builds and runs the Docker image with podman), which counts
# as one more test. CHATWEB_SKIP_CONTAINER=1 leaves the smoke test out (counted as skipped) for
# developers who only want the .NET tests; CI always runs it.
# Ends with one line "N passed, N failed, N skipped"; the exit code is non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null \
    || { echo "could not install chromium: the browser tests will fail"; }
fi

log=$(mktemp)
dotnet test ChatWeb.sln "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
read -r passed failed skipped < <(grep -E '^\s*(Passed|Failed)!\s+-\s+Failed:' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # a build or runner failure counts as a failure

if [ "${CHATWEB_SKIP_CONTAINER:-0}" = 1 ]; then
  echo "container smoke: not run (CHATWEB_SKIP_CONTAINER=1)"
  skipped=$((skipped + 1))
elif scripts/container-smoke.sh; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  [ "$rc" -ne 0 ] || rc=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
