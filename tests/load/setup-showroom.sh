#!/usr/bin/env bash
# Setup for tests/load/http-load.sh: stocks the token's dealership with 500 cars (five makes, three models each, years,
# fuels, colours and prices spread out; car number 1 has the VIN WSMLD000000000001, which a --path can read) and prints a
# faceted search over them (full text, two filters, a price band, sorted by distance), so the load searches a real index.
#   tests/load/http-load.sh --setup tests/load/setup-showroom.sh --path /api/showroom/inventory/WSMLD000000000001
set -euo pipefail
: "${BASE_URL:?}" "${TOKEN:?}"
makes=(BMW Audi Volkswagen Toyota Renault)
models=("320i X3 i4" "A3 A4 Q5" "Golf Passat ID.4" "Corolla RAV4 Yaris" "Clio Megane Zoe")
fuels=(Petrol Diesel Hybrid Electric)
colours=(Blue Black White Red Grey)
add() {
  local n=$1 make=${makes[$(( $1 % 5 ))]}
  local list=(${models[$(( $1 % 5 ))]})
  local model=${list[$(( ($1 / 5) % 3 ))]} fuel=${fuels[$(( $1 % 4 ))]} colour=${colours[$(( ($1 / 3) % 5 ))]}
  local vin; vin=$(printf 'WSMLD%012d' "$n")
  local body="{\"vin\":\"$vin\",\"make\":\"$make\",\"model\":\"$model\",\"year\":$(( 2018 + $1 % 7 )),\"trim\":\"Trim $(( $1 % 4 ))\",\"fuel\":\"$fuel\",\"colour\":\"$colour\",\"mileageKm\":$(( ($1 * 7919) % 120000 )),\"price\":$(( 15000 + ($1 * 389) % 60000 )),\"currency\":\"EUR\",\"location\":{\"lat\":$(( 47 + $1 % 3 )).$(( $1 % 10 ))1,\"lon\":$(( 10 + $1 % 4 )).$(( $1 % 10 ))2}}"
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/api/showroom/inventory" -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d "$body")
  case "$status" in
    201|409) ;;
    *) echo "POST /api/showroom/inventory for $vin answered $status" >&2; return 1 ;;
  esac
}
export -f add
export makes models fuels colours
for n in $(seq 1 500); do add "$n" & if (( n % 20 == 0 )); then wait; fi; done
wait
curl -sf "$BASE_URL/api/showroom/inventory/WSMLD000000000001" -H "Authorization: Bearer $TOKEN" >/dev/null
echo "/api/showroom/search?q=golf%20passat%20bmw&fuel=Petrol&minPrice=20000&maxPrice=60000&lat=48.1&lon=11.5&sort=distance"
