-- wrk script: POSTs unique Contract 3 tallies of the survey in bench/collector/surveys.json
-- (NPS, CES and a single choice) over five locales (de and tr through the survey's "strings",
-- web/locales), every request a fresh batch id, so each
-- acknowledged request is one durable aggregate. Non-200 answers are counted and printed.
--   wrk -t2 -c64 -d10s -s bench/collector/post.lua http://127.0.0.1:8088/v1/aggregates
local threads = {}
local locales = { "en", "fa", "ar", "de", "tr" }
local run = os.time() % 0x7fffffff

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  bad = 0
  period = os.date("!%Y-%m-%d")
  math.randomseed(run * 131 + tid)
end

local function counts(k, pick)
  local t = {}
  for i = 1, k do t[i] = (i == pick) and 1 or 0 end
  return "[" .. table.concat(t, ",") .. "]"
end

function request()
  n = n + 1
  local batch = string.format("%08x%08x%08x%08x", run, tid, math.floor(n / 0x10000000), n % 0x10000000)
  local body = '{"nazar":1,"batch":"' .. batch .. '","site":"shop.example","survey":"bench",' ..
    '"survey_version":"1","period":"' .. period .. '","locale":"' .. locales[(n % 5) + 1] .. '",' ..
    '"displays":1,"completions":1,"dismissals":0,"questions":{' ..
    '"nps":{"type":"nps","counts":' .. counts(11, math.random(11)) .. '},' ..
    '"ease":{"type":"ces","scale":7,"counts":' .. counts(7, math.random(7)) .. '},' ..
    '"channel":{"type":"choice","options":["web","app","store"],"counts":' .. counts(3, math.random(3)) .. '}}}'
  return wrk.format("POST", nil, { ["Content-Type"] = "text/plain;charset=UTF-8",
                                   ["Origin"] = "https://shop.example" }, body)
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if bad <= 3 then io.stderr:write("status " .. status .. ": " .. body .. "\n") end
  end
end

function done(summary, latency, requests)
  local errors = 0
  for _, t in ipairs(threads) do errors = errors + (t:get("bad") or 0) end
  io.write(string.format("RESULT requests=%d non200=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, errors, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
