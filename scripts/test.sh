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
# Two lanes, one per core of the CI machine, each running its test assemblies one after the other. Left to itself,
# `dotnet test` on the solution starts the assemblies in solution order two at a time, and the web console's browser
# journeys (the longest, ~8 min) started last and ran alone at the end. The lanes are balanced by the assemblies'
# durations in CI (longest first); an assembly not named here still runs, in the second lane.
lane_a=(WebConsole EndToEnd CarAsAService ServiceContracts Telemetry Core)
lane_b=(LocalHost Showroom RentToOwn Workshop Durable Storage FunctionsApp Infrastructure)
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .Tests.csproj); name=${name#ServerlessMobility.}
  [[ " ${lane_a[*]} ${lane_b[*]} " == *" $name "* ]] || lane_b+=("$name")
done

failed_lanes=TestResults/failed-assemblies.txt
: >"$failed_lanes"
run_lane() {
  for name in "$@"; do
    local assembly=tests/ServerlessMobility.$name.Tests/bin/Release/net10.0/ServerlessMobility.$name.Tests.dll
    dotnet test "$assembly" --logger "console;verbosity=normal" --results-directory TestResults "${test_args[@]}" \
      || echo "ServerlessMobility.$name.Tests" >>"$failed_lanes"
  done
}
test_args=("$@")
status=0
{
  run_lane "${lane_a[@]}" &
  run_lane "${lane_b[@]}" &
  wait
} 2>&1 | tee "$log"
[ -s "$failed_lanes" ] && status=1

if [ "$status" -ne 0 ]; then
  # The projects' outputs interleave and CI logs keep only their tail: repeat every failure last.
  echo "=== failed tests (full output in $log); assemblies: $(tr '\n' ' ' <"$failed_lanes") ==="
  # Each failure's block: from its "Failed <test>" line to the next test's result line.
  awk '/^[[:space:]]+Failed [A-Za-z]/ { show = 1; found = 1; print; next }
       /^[[:space:]]+(Passed|Skipped) / || /^\[xUnit/ || /^(Test Run|Total tests)/ { show = 0 }
       show { print }
       END { if (!found) print "no failed test reported; see the build or test host errors above" }' "$log" | cut -c1-400
fi
exit "$status"
