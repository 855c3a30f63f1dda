#!/usr/bin/env bash
# Runs every test: restores npm (Azurite, Cosmos server) and NuGet packages, builds with warnings as
# errors, publishes the Azure Functions app as it is deployed (its tests read the published metadata),
# and runs all test projects. Test fixtures start their own emulators on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --ignore-scripts
fi

dotnet restore ServerlessMobility.sln
dotnet build ServerlessMobility.sln --no-restore --configuration Release
rm -rf .artifacts/functionsapp
dotnet publish functions/ServerlessMobility.FunctionsApp --no-build --configuration Release --output .artifacts/functionsapp

mkdir -p TestResults
log=TestResults/test-output.log
status=0
dotnet test ServerlessMobility.sln --no-build --configuration Release \
  --logger "console;verbosity=normal" --results-directory TestResults "$@" 2>&1 | tee "$log" || status=$?

if [ "$status" -ne 0 ]; then
  # The projects' outputs interleave and CI logs keep only their tail: repeat every failure last.
  echo "=== failed tests (full output in $log) ==="
  # Each failure's block: from its "Failed <test>" line to the next test's result line.
  awk '/^[[:space:]]+Failed [A-Za-z]/ { show = 1; found = 1; print; next }
       /^[[:space:]]+(Passed|Skipped) / || /^\[xUnit/ || /^(Test Run|Total tests)/ { show = 0 }
       show { print }
       END { if (!found) print "no failed test reported; see the build or test host errors above" }' "$log" | cut -c1-400
fi
exit "$status"
