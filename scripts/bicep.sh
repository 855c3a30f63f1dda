#!/usr/bin/env bash
# Builds and lints infra/ with the bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64.
# Any warning fails: lint output is checked, not just the exit code.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet restore .ci/bicep/BicepCli.csproj --verbosity quiet
BICEP=$(dotnet msbuild .ci/bicep/BicepCli.csproj -t:PrintBicepPath -nologo -v:m | sed -n 's/.*BICEP=//p' | tr -d '[:space:]')
chmod +x "$BICEP"
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
status=0
shopt -s nullglob
# main.bicep, every module on its own, and every environment's parameter file (build-params checks
# the values against main.bicep's parameter types and allowed values).
for file in infra/*.bicep infra/modules/*.bicep infra/parameters/*.bicepparam; do
  case "$file" in
    *.bicepparam) build=build-params ;;
    *) build=build ;;
  esac
  echo "bicep $build $file"
  out=$("$BICEP" "$build" "$file" --stdout 2>&1 >/dev/null) || { echo "$out"; status=1; }
  [ -n "$out" ] && { echo "$out"; status=1; }
  echo "bicep lint $file"
  out=$("$BICEP" lint "$file" 2>&1) || { echo "$out"; status=1; }
  [ -n "$out" ] && { echo "$out"; status=1; }
done
exit $status
