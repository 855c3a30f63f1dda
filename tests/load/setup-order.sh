#!/usr/bin/env bash
# Setup for tests/load/http-load.sh: registers one car sale in the token's tenant (the load host seeds
# that tenant's demo models) and prints the order's path, so the load reads a real order from Cosmos.
set -euo pipefail
: "${BASE_URL:?}" "${TOKEN:?}"
order_id="load-order-$(date +%s)"
body="{\"orderId\":\"$order_id\",\"customer\":{\"name\":\"Load Test\",\"email\":\"load@example.test\"},\"modelId\":\"aurora-s\",\"packs\":[\"winter\"],\"country\":\"ES\"}"
# The host seeds the demo models in the background after it answers; until then the model is unknown.
for attempt in $(seq 1 60); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/api/orders" -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d "$body")
  case "$status" in
    2??|409) break ;;
    *) [ "$attempt" -lt 60 ] || { echo "POST /api/orders answered $status" >&2; exit 1; }; sleep 1 ;;
  esac
done
curl -sf "$BASE_URL/api/orders/$order_id" -H "Authorization: Bearer $TOKEN" >/dev/null
echo "/api/orders/$order_id"
