-- wrk script: POST a ~10 KB Anthropic-shaped JSON body to /v1/messages over keep-alive
-- connections, then print one machine-readable summary line for bench/run.
wrk.method = "POST"
wrk.path = "/v1/messages"
wrk.headers["content-type"] = "application/json"
wrk.headers["anthropic-version"] = "2023-06-01"
wrk.headers["x-api-key"] = "placeholder"
wrk.headers["x-bench-scenario"] = "json"
wrk.body = '{"model":"claude-bench","max_tokens":1024,"messages":[{"role":"user","content":"'
  .. string.rep("x", 10000) .. '"}]}'

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("BENCH requests=%d errors=%d status_errors=%d duration_us=%d p50_us=%d p99_us=%d\n",
    summary.requests, errors, summary.errors.status, summary.duration,
    latency:percentile(50), latency:percentile(99)))
end
