-- W7's wrk script. Arguments (after --): endpoint (users or transfers), ids (users or accounts to
-- pick from), a prefix that makes this run's transfer ids unique, a random seed.
-- Every thread counts the statuses it received; done() prints one W7RESULT line for the benchmark.
local endpoint = "users"
local ids = 1
local prefix = "t"
local counter = 0
local threads = {}
local json = { ["Content-Type"] = "application/json" }
statuses = {}

function setup(thread)
  thread:set("threadNumber", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  endpoint = args[1]
  ids = tonumber(args[2])
  prefix = args[3] .. "-" .. threadNumber
  math.randomseed(tonumber(args[4]) + threadNumber)
end

function request()
  if endpoint == "users" then
    return wrk.format("GET", "/api/users/" .. math.random(1, ids))
  end
  -- A random pair of distinct accounts and a small amount: transfers rarely meet on a row.
  counter = counter + 1
  local from = math.random(1, ids)
  local to = math.random(1, ids - 1)
  if to >= from then
    to = to + 1
  end
  local body = string.format('{"transferId":"%s-%d","fromAccount":%d,"toAccount":%d,"amount":%d}',
    prefix, counter, from, to, math.random(1, 100))
  return wrk.format("POST", "/api/transfers", json, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, status .. ":" .. n)
  end
  local e = summary.errors
  io.write(string.format(
    "W7RESULT requests=%d duration_us=%d connect=%d read=%d write=%d timeout=%d p50_us=%d p99_us=%d statuses=%s\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), table.concat(parts, ",")))
end
