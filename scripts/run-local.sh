#!/usr/bin/env bash
# Runs the whole platform locally: Azurite and the Cosmos server on loopback (data under
# .local-data/), then the local host (API on http://127.0.0.1:7071, MQTT broker on 1883) with
# demo data. Settings come from local.settings.json, created from the sample on first run.
#   --profile fast   lays the time profile functions/ServerlessMobility.LocalHost/TimeProfiles/fast.json over
#                    those settings: one day of waits becomes 10 seconds (docs/local-development.md).
# Any other argument goes to the host (--Key:Sub=value overrides a setting).
set -euo pipefail
cd "$(dirname "$0")/.."

host_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) [ $# -ge 2 ] || { echo "--profile needs a name (fast)" >&2; exit 2; }
      host_args+=("--LocalHost:TimeProfile=$2"); shift 2 ;;
    --profile=*) host_args+=("--LocalHost:TimeProfile=${1#--profile=}"); shift ;;
    *) host_args+=("$1"); shift ;;
  esac
done

if [ ! -f local.settings.json ]; then
  cp local.settings.sample.json local.settings.json
  echo "created local.settings.json from local.settings.sample.json"
fi
# Keys for personal data at rest are made on this machine, once, and kept in the git-ignored
# local.settings.json: the repository holds no key material.
for key in Security__Pii__EncryptionKey Security__Pii__LookupKey Auth__DevSigningKey \
  CarAsAService__Webhooks__PaymentsSecret CarAsAService__Webhooks__FactorySecret; do
  if grep -q "\"$key\": \"\"" local.settings.json; then
    value=$(head -c 32 /dev/urandom | base64)
    sed -i "s|\"$key\": \"\"|\"$key\": \"$value\"|" local.settings.json
    echo "generated $key in local.settings.json"
  fi
done

scripts/dev-services.sh start
dotnet build functions/ServerlessMobility.LocalHost/ServerlessMobility.LocalHost.csproj --configuration Release --nologo --verbosity quiet
echo "API: http://127.0.0.1:7071/api  docs: http://127.0.0.1:7071/api/docs  health: http://127.0.0.1:7071/api/health"
exec dotnet run --project functions/ServerlessMobility.LocalHost --configuration Release --no-build -- \
  --environment Development --Demo:Seed=true --Demo:DriveVehicles=true ${host_args[@]+"${host_args[@]}"}
