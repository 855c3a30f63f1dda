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
dotnet test ServerlessMobility.sln --no-build --configuration Release \
  --logger "console;verbosity=normal" --results-directory TestResults "$@"
