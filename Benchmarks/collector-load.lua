-- wrk script of Benchmarks/collector-load: POSTs Faro payloads to /collect with
-- `Content-Type: application/json`.
--
-- Environment (set by collector-load):
--   FARO_PAYLOADS  the payload files, separated by ':' (absolute paths). With one file every
--                  request posts it; with several, the requests rotate through them in order
--                  (each wrk thread on its own).
--   FARO_API_KEY   optional: sent as `x-api-key` with every request.
--   FARO_RATE      optional: requests/s over all threads together (each thread takes its share).
--                  Debian's wrk has no rate option (that is wrk2), so each request is held back by
--                  `delay()` until the next free slot of a fixed schedule (one slot every
--                  1/rate s, shared by the thread's connections). wrk measures latency from the
--                  moment a request is written, not from its slot, so a server that falls behind
--                  makes the sends late instead of the latencies long (coordinated omission); the
--                  script counts those late sends and their worst lateness, reported by done().
--                  FARO_WRK_THREADS (wrk's -t, default 1) divides the rate between the threads.
--                  `delay()` takes whole milliseconds, so single sends jitter by up to 1 ms while
--                  the schedule keeps the average rate.
--
-- done() prints one line `collector-load-result key=value ...` that collector-load parses:
-- requests, duration_us, rps, p50_us, p90_us, p99_us, p999_us, max_us, the error counts and, with
-- a rate, late (sends more than 1 ms behind their slot) and max_late_ms.

local paths = {}
for path in string.gmatch(os.getenv("FARO_PAYLOADS") or "", "[^:]+") do
    paths[#paths + 1] = path
end
if #paths == 0 then
    error("FARO_PAYLOADS is not set")
end

local headers = { ["Content-Type"] = "application/json" }
local api_key = os.getenv("FARO_API_KEY")
if api_key and api_key ~= "" then
    headers["x-api-key"] = api_key
end

local requests = {}
for i, path in ipairs(paths) do
    local file = assert(io.open(path, "rb"))
    local body = file:read("*a")
    file:close()
    requests[i] = wrk.format("POST", "/collect", headers, body)
end

local next_request = 1
local rate = tonumber(os.getenv("FARO_RATE") or "")
local threads = {}

function setup(thread)
    threads[#threads + 1] = thread
end

if #requests == 1 then
    -- One request, formatted once: wrk sends the same bytes without calling into Lua.
    wrk.method = "POST"
    wrk.path = "/collect"
    for name, value in pairs(headers) do
        wrk.headers[name] = value
    end
    local file = assert(io.open(paths[1], "rb"))
    wrk.body = file:read("*a")
    file:close()
else
    function request()
        local r = requests[next_request]
        next_request = next_request % #requests + 1
        return r
    end
end

if rate and rate > 0 then
    local ffi = require("ffi")
    ffi.cdef [[
        typedef struct { long tv_sec; long tv_nsec; } collector_load_timespec;
        int clock_gettime(int clock, collector_load_timespec *time);
    ]]
    local now_value = ffi.new("collector_load_timespec")
    local function now_ms()
        ffi.C.clock_gettime(1, now_value) -- CLOCK_MONOTONIC
        return tonumber(now_value.tv_sec) * 1000 + tonumber(now_value.tv_nsec) / 1e6
    end

    local interval_ms
    local next_slot
    late = 0
    max_late_ms = 0

    function init(args)
        -- This thread's share of the rate.
        interval_ms = 1000 / (rate / (tonumber(os.getenv("FARO_WRK_THREADS") or "") or 1))
    end

    function delay()
        local now = now_ms()
        if next_slot == nil then next_slot = now end
        local slot = next_slot
        next_slot = next_slot + interval_ms
        local wait = slot - now
        if wait < -1 then
            late = late + 1
            if -wait > max_late_ms then max_late_ms = -wait end
        end
        if wait <= 0 then return 0 end
        return math.floor(wait + 0.5)
    end
end

function done(summary, latency, _)
    local late_total, max_late = 0, 0
    if rate and rate > 0 then
        for _, thread in ipairs(threads) do
            late_total = late_total + (thread:get("late") or 0)
            local m = thread:get("max_late_ms") or 0
            if m > max_late then max_late = m end
        end
    end
    local e = summary.errors
    io.write(string.format(
        "collector-load-result requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d "
            .. "connect_errors=%d read_errors=%d write_errors=%d status_errors=%d timeouts=%d late=%d max_late_ms=%.1f\n",
        summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max,
        e.connect, e.read, e.write, e.status, e.timeout, late_total, max_late))
end
