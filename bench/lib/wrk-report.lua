-- wrk script for the bench runner: args are <pipelining> <method> <body bytes>.
-- Pipelining sends that many requests back to back on each connection; the body is the
-- same 64 KiB pattern as autocannon's ("portico " repeated). done() prints one JSON line.
init = function(args)
  local depth = tonumber(args[1]) or 1
  wrk.method = args[2] or "GET"
  local size = tonumber(args[3]) or 0
  if size > 0 then
    wrk.body = string.rep("portico ", math.floor(size / 8))
    wrk.headers["Content-Type"] = "application/octet-stream"
  end
  local batch = {}
  for i = 1, depth do batch[i] = wrk.format() end
  pipelined = table.concat(batch)
end

request = function()
  return pipelined
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,"statusErrors":%d,"p50Us":%d,"p99Us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
