#!/usr/bin/env bash
# Every benchmark and load run of docs/performance.md, one after the other, each with its calibration measured in the
# same run on this machine (bare Kestrel, /api/me, raw Azurite, publish-only MQTT, a bare JSON parse), in under ten
# minutes. Prints a dated markdown table (figure, calibration, ratio, goal, goal as a ratio, met) and writes it with
# every run's full output under .artifacts/bench/ (git-ignored). Each part starts and stops what it needs itself
# (Azurite, the Cosmos server, the local host, the publisher) on free loopback ports, by process id.
#
# Usage: scripts/bench.sh [--quick]     (--quick: a smoke run of a couple of minutes; its figures are not for the docs)
# Not part of scripts/test.sh or CI: the figures need a machine nobody else is using (see the load averages it prints).
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
case "${1:-}" in
  --quick) quick=true ;;
  "") ;;
  *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
esac

out=.artifacts/bench
stamp=$(date -u +%Y-%m-%dT%H%MZ)
mkdir -p "$out"
rows=$out/rows-$stamp.md report=$out/bench-$stamp.md
: >"$rows"
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
elapsed() { echo $(( $(date +%s) - started ))s; }

echo "[$(elapsed)] building (Release)"
for project in functions/ServerlessMobility.LocalHost tests/ServerlessMobility.Http.Benchmarks \
  tests/ServerlessMobility.Durable.Benchmarks tests/ServerlessMobility.Telemetry.Benchmarks; do
  dotnet build "$project" -c Release --nologo -v q >"$out/build-$stamp.log" 2>&1 || { cat "$out/build-$stamp.log" >&2; exit 1; }
done

if $quick; then
  http=(--duration 5s --warmup 3s)
  durable=(--burst 50 --fanout 20 --fanouts 1 --idle 3 --calibration 1)
  e2e=(--step-seconds 3 --calibration 2 --start-rate 2000 --factor 2 --max-rate 8000)
else
  http=(--duration 15s --warmup 8s)
  durable=(--burst 300 --fanout 100 --fanouts 2 --idle 10 --calibration 3)
  e2e=(--step-seconds 6 --calibration 4 --start-rate 1000 --factor 1.4)
fi

echo "[$(elapsed)] HTTP: bare Kestrel, /api/me, an order status read (tests/load/http-load.sh)"
tests/load/http-load.sh "${http[@]}" --setup ./tests/load/setup-order.sh --rows "$rows" >"$out/http-$stamp.log" 2>&1 \
  || { tail -20 "$out/http-$stamp.log" >&2; echo "| HTTP load | failed: see $out/http-$stamp.log | | | | | |" >>"$rows"; }
grep -E "req/s|against" "$out/http-$stamp.log" || true

echo "[$(elapsed)] durable workflows on Azurite (tests/ServerlessMobility.Durable.Benchmarks)"
dotnet tests/ServerlessMobility.Durable.Benchmarks/bin/Release/net10.0/ServerlessMobility.Durable.Benchmarks.dll "${durable[@]}" --rows "$rows" \
  >"$out/durable-$stamp.log" 2>&1 || { tail -20 "$out/durable-$stamp.log" >&2; echo "| durable | failed: see $out/durable-$stamp.log | | | | | |" >>"$rows"; }
sed -n '/^== Summary/,$p' "$out/durable-$stamp.log" | grep -E "^\(|^raw" || true

echo "[$(elapsed)] telemetry end to end, stepped rate (tests/ServerlessMobility.Telemetry.Benchmarks e2e)"
dotnet tests/ServerlessMobility.Telemetry.Benchmarks/bin/Release/net10.0/ServerlessMobility.Telemetry.Benchmarks.dll e2e "${e2e[@]}" --rows "$rows" \
  >"$out/e2e-$stamp.log" 2>&1 || { tail -20 "$out/e2e-$stamp.log" >&2; echo "| telemetry end to end | failed: see $out/e2e-$stamp.log | | | | | |" >>"$rows"; }
grep -E "calibration|offered|sustained|against" "$out/e2e-$stamp.log" || true

echo "[$(elapsed)] telemetry pipeline alone (BenchmarkDotNet, in process)"
if dotnet tests/ServerlessMobility.Telemetry.Benchmarks/bin/Release/net10.0/ServerlessMobility.Telemetry.Benchmarks.dll \
  --filter '*PipelineBenchmarks*' --artifacts "$out/bdn-$stamp" >"$out/pipeline-$stamp.log" 2>&1; then
  table=$(ls "$out/bdn-$stamp"/results/*PipelineBenchmarks-report-github.md)
  grep -E "^\|" "$table"
  # Columns by header name: BenchmarkDotNet adds or drops some depending on the results.
  awk -F'|' -v load="$(cut -d' ' -f1 /proc/loadavg)" '
    /^\| *Method/ { for (i = 1; i <= NF; i++) { gsub(/ /, "", $i); col[$i] = i } next }
    { gsub(/^ +| +$/, "", $(col["Method"])) }
    $(col["Method"]) == "ParseOnly" { parse = $(col["Mean"]) }
    $(col["Method"]) == "ProcessBatch" { mean = $(col["Mean"]); ratio = $(col["Ratio"]); alloc = $(col["Allocated"]) }
    END {
      gsub(/^ +| +$/, "", mean); gsub(/^ +| +$/, "", parse); gsub(/^ +| +$/, "", ratio); gsub(/^ +| +$/, "", alloc)
      # BenchmarkDotNet groups thousands ("1,954.7 μs"); awk would read that as 1.
      split(mean, m, " "); ms = m[1]; gsub(/,/, "", ms); ms += 0
      if (m[2] == "us" || m[2] == "μs") ms /= 1000; else if (m[2] == "ns") ms /= 1000000; else if (m[2] == "s") ms *= 1000
      rate = 1000 / ms * 1000
      met = (rate >= 100000) ? "met" : "**not met**"
      metr = (ratio + 0 <= 2) ? "met" : "**not met**"
      printf "| telemetry pipeline alone, 1,000 messages from 100 vehicles, one core | %s per batch = %.0f msg/s, %s allocated (load %s) | parse only (the same bodies, JSON) %s per batch | x%s of parse only | >= 100,000 msg/s/core: %s | <= 2 x parse only | %s |\n", mean, rate, alloc, load, parse, ratio, met, metr
    }' "$table" >>"$rows"
else
  tail -20 "$out/pipeline-$stamp.log" >&2
  echo "| telemetry pipeline alone | failed: see $out/pipeline-$stamp.log | | | | | |" >>"$rows"
fi

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
{
  echo "### $(date -u '+%Y-%m-%d %H:%M') UTC: scripts/bench.sh$($quick && echo ' --quick') on $cpu_model, $(nproc) cores, $(awk '/MemTotal/{printf "%.0f", $2 / 1048576}' /proc/meminfo) GiB"
  echo
  echo "Commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- functions tests scripts || echo ' with local changes'); .NET $(dotnet --version), Node.js $(node --version)."
  echo "Load average (1/5/15 min) before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg); took $(elapsed)."
  echo "Each figure's calibration was measured in the same run, minutes apart at most; the load in each figure is the 1-minute load average just before it."
  echo
  echo "| what | figure | calibration (same run) | ratio | goal | goal as a ratio | met (ratio) |"
  echo "|---|---|---|---|---|---|---|"
  cat "$rows"
} >"$report"
rm -f "$rows"
echo
cat "$report"
echo
echo "written to $report (full output of each part: $out/*-$stamp.log)"
