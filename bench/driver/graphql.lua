-- wrk script of the board read (bench/read.sh): every request posts a template body with %ID%
-- replaced by a random id, with a random bearer token. A response that is not 200 or carries
-- "errors" counts as an error. Usage: wrk -s graphql.lua URL -- <template> <ids> <tokens>
local template, ids, tokens = nil, {}, {}
local threads = {}

local function lines(file)
  local result = {}
  for line in io.lines(file) do
    if #line > 0 then result[#result + 1] = line end
  end
  return result
end

function setup(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  local f = assert(io.open(args[1], "r"))
  template = f:read("*a"):gsub("%s+$", "")
  f:close()
  ids = lines(args[2])
  tokens = lines(args[3])
  errors = 0
  math.randomseed(os.time() * 1000 + (id or 0))
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

function request()
  local body = template:gsub("%%ID%%", ids[math.random(#ids)], 1)
  wrk.headers["Authorization"] = "Bearer " .. tokens[math.random(#tokens)]
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  -- other statuses are counted by wrk itself (summary.errors.status)
  if status == 200 and body:find('"errors"', 1, true) then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do failed = failed + (thread:get("errors") or 0) end
  local seconds = summary.duration / 1e6
  io.write(string.format('{"requests":%d,"seconds":%.3f,"rate":%.1f,"errors":%d,"socketErrors":%d,"latencyMs":{"p50":%.2f,"p99":%.2f,"max":%.2f}}\n',
    summary.requests, seconds, summary.requests / seconds, failed + summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
