#!/usr/bin/env bash
# Setup for tests/load/http-load.sh: registers one car sale in the token's tenant (the load host seeds
# that tenant's demo models) and prints the order's path, so the load reads a real order from Cosmos.
set -euo pipefail
: "${BASE_URL:?}" "${TOKEN:?}"
order_id="load-order-$(date +%s)"
curl -sf "$BASE_URL/api/orders" -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d "{\"orderId\":\"$order_id\",\"customer\":{\"name\":\"Load Test\",\"email\":\"load@example.test\"},\"modelId\":\"aurora-s\",\"packs\":[\"winter\"],\"country\":\"ES\"}" >/dev/null
curl -sf "$BASE_URL/api/orders/$order_id" -H "Authorization: Bearer $TOKEN" >/dev/null
echo "/api/orders/$order_id"
