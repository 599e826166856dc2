#!/usr/bin/env bash
# Runs every ChatWeb test: installs what the tests need on a fresh machine (Debian's chromium for the
# browser tests; npm packages come with the build), then `dotnet test ChatWeb.sln`.
# Ends with one line "N passed, N failed, N skipped" and exits with dotnet test's exit code.
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
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
