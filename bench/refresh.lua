-- Closed-loop refresh_token chains: every connection presents the refresh token that the
-- previous response of its chain returned (rotation), never a token twice.
-- args: <tokens file> <thread count> <client id> [<client secret>, for a confidential client]
local threads_created = 0
local all_threads = {}
local queue = {}
failures = 0
starved = 0
local client_id = "linkguard-dashboard"
local client_auth = ""

function setup(thread)
  thread:set("thread_index", threads_created)
  threads_created = threads_created + 1
  table.insert(all_threads, thread)
end

function init(args)
  local nthreads = tonumber(args[2])
  client_id = args[3] or client_id
  if args[4] then client_auth = "&client_secret=" .. args[4] end
  local i = 0
  for line in io.lines(args[1]) do
    if i % nthreads == thread_index then table.insert(queue, line) end
    i = i + 1
  end
end

function request()
  local rt = table.remove(queue, 1)
  if rt == nil then
    -- every chain of this thread is in flight or lost (wrk drops an in-flight request when it
    -- reconnects): counted apart, this request fails by design and is not a server error
    starved = starved + 1
    rt = "exhausted"
  end
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded"},
    "grant_type=refresh_token&client_id=" .. client_id .. client_auth .. "&refresh_token=" .. rt)
end

function response(status, headers, body)
  local rt = body:match('"refresh_token"%s*:%s*"([^"]+)"')
  if status == 200 and rt then
    table.insert(queue, rt)
  else
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local f, st = 0, 0
  for _, t in ipairs(all_threads) do
    f = f + (t:get("failures") or 0)
    st = st + (t:get("starved") or 0)
  end
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d chain_failures=%d starved=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    f - st, st))
end
