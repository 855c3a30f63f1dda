-- wrk reporter for tests/load/http-load.sh: one machine-readable line at the end of a run. Only done() is defined,
-- so wrk runs no Lua per request and the load is the same as without a script.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("wrk-result requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d socket_errors=%d status_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
end
