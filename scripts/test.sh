#!/usr/bin/env bash
# Runs every test: restores npm (Azurite, Cosmos server) and NuGet packages, builds with warnings as
# errors, and runs all test projects. Test fixtures start their own emulators on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --ignore-scripts
fi

dotnet restore ServerlessMobility.sln
dotnet build ServerlessMobility.sln --no-restore --configuration Release

mkdir -p TestResults
log=TestResults/test-output.log
status=0
dotnet test ServerlessMobility.sln --no-build --configuration Release \
  --logger "console;verbosity=normal" --results-directory TestResults "$@" 2>&1 | tee "$log" || status=$?

if [ "$status" -ne 0 ]; then
  # The projects' outputs interleave and CI logs keep only their tail: repeat every failure last.
  echo "=== failed tests (full output in $log) ==="
  grep -E -A 25 "^\s+Failed [A-Za-z]" "$log" | cut -c1-400 || echo "no failed test reported; see the build or test host errors above"
fi
exit "$status"
