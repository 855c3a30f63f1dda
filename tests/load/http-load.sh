#!/usr/bin/env bash
# A load run against the local host on loopback: starts Azurite and the Cosmos server on their own
# ports and data folder, the local host in Release, gets a dev token, optionally runs a setup
# command that prints the path to load, then drives it with wrk and prints throughput and latency.
#
# Usage: tests/load/http-load.sh [--path /api/me] [--connections 500] [--duration 30s] [--threads 2]
#                                [--role dealer-staff] [--setup ./tests/load/setup-order.sh]
# The setup command gets BASE_URL and TOKEN in its environment and prints the path to load.
set -euo pipefail
cd "$(dirname "$0")/../.."

path=/api/me connections=500 duration=30s threads=2 role=dealer-staff setup=""
while [ $# -gt 0 ]; do
  case "$1" in
    --path) path=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --role) role=$2; shift 2 ;;
    --setup) setup=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
ulimit -n 65536 2>/dev/null || true

export SM_DATA_DIR=.local-data/load SM_BLOB_PORT=20000 SM_QUEUE_PORT=20001 SM_TABLE_PORT=20002 SM_COSMOS_PORT=28081
scripts/dev-services.sh start
trap 'kill $host_pid 2>/dev/null || true; scripts/dev-services.sh stop >/dev/null' EXIT

dotnet build functions/ServerlessMobility.LocalHost -c Release --nologo -v q >/dev/null
key=$(head -c 32 /dev/urandom | base64)
account="AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
ASPNETCORE_ENVIRONMENT=Development \
LocalSettingsPath='(none)' \
LocalHost__Urls=http://127.0.0.1:27071 \
Mqtt__Port=21883 \
Storage__ConnectionString="DefaultEndpointsProtocol=http;$account;BlobEndpoint=http://127.0.0.1:20000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:20001/devstoreaccount1;TableEndpoint=http://127.0.0.1:20002/devstoreaccount1;" \
CosmosDb__Endpoint=https://127.0.0.1:28081/ \
CosmosDb__Key=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw== \
CosmosDb__AcceptSelfSignedCertificate=true \
Auth__DevSigningKey="$key" \
Security__Pii__EncryptionKey="$(head -c 32 /dev/urandom | base64)" \
Security__Pii__LookupKey="$(head -c 32 /dev/urandom | base64)" \
RequestProtection__PermitsPerSubject=1000000 \
Demo__Seed=true \
Demo__TenantId=load-tenant \
RequestProtection__PermitsPerAnonymousIp=1000000 \
RequestProtection__WindowSeconds=1 \
Logging__LogLevel__Default=Warning \
  dotnet functions/ServerlessMobility.LocalHost/bin/Release/net10.0/ServerlessMobility.LocalHost.dll >.local-data/load/host.log 2>&1 &
host_pid=$!

export BASE_URL=http://127.0.0.1:27071
for _ in $(seq 1 100); do curl -sf "$BASE_URL/api/health" >/dev/null && break; sleep 0.3; done
kill -0 $host_pid 2>/dev/null || { echo "the local host did not start; see .local-data/load/host.log" >&2; tail -20 .local-data/load/host.log >&2; exit 1; }
TOKEN=$(curl -sf "$BASE_URL/api/dev/token" -H 'content-type: application/json' \
  -d "{\"subject\":\"load-user\",\"tenantId\":\"load-tenant\",\"roles\":[\"$role\"]}" | sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p')
export TOKEN
if [ -n "$setup" ]; then path=$("$setup"); fi

echo "warm-up: 5 s"
wrk -t "$threads" -c 50 -d 5s -H "Authorization: Bearer $TOKEN" "$BASE_URL$path" >/dev/null
echo "load: GET $path, $connections connections, $duration, $threads wrk threads"
wrk -t "$threads" -c "$connections" -d "$duration" --latency --timeout 5s -H "Authorization: Bearer $TOKEN" "$BASE_URL$path" | tee .local-data/load/wrk.txt
