-- Shared by the wrk scripts of scripts/bench.sh (loaded with dofile from the script's own directory).
--
-- Every script prints one machine-readable line at the end:
--   BENCHJSON {"requests":N,"duration_us":N,"p50_us":N,...,"status":{"200":N,...},"non2xx":N,"errors":{...}}
-- `status` / `non2xx` count every response by HTTP status (a `response` callback, so exact: 3xx and 1xx count as
-- non-2xx too); `errors` are wrk's socket errors and timeouts (requests that never got a response).

local M = {}

-- Environment with a default.
function M.env(name, default)
    local v = os.getenv(name)
    if v == nil or v == "" then return default end
    return v
end

-- "Name: value" lines (separated by newlines) -> header table.
function M.parse_headers(text)
    local h = {}
    if text == nil then return h end
    for line in string.gmatch(text, "[^\n]+") do
        local k, v = string.match(line, "^%s*([^:]+):%s*(.-)%s*$")
        if k then h[k] = v end
    end
    return h
end

-- Lines "id<TAB>slug" of the keys file -> { {id=..., slug=...}, ... }.
function M.load_keys(path)
    local keys = {}
    if path == nil then return keys end
    local f = io.open(path, "r")
    if f == nil then error("cannot open keys file " .. path) end
    for line in f:lines() do
        local id, slug = string.match(line, "^([^\t]+)\t([^\t]+)$")
        if id then keys[#keys + 1] = { id = id, slug = slug } end
    end
    f:close()
    if #keys == 0 then error("no keys in " .. path) end
    return keys
end

-- Fills {id}, {slug}, {uniq}, {now} in a template. Values never contain '%', so plain gsub replacement is safe.
function M.fill(template, key, uniq, now)
    if template == nil then return nil end
    local s = template
    if key then
        s = string.gsub(s, "{id}", key.id)
        s = string.gsub(s, "{slug}", key.slug)
    end
    if uniq then s = string.gsub(s, "{uniq}", uniq) end
    if now then s = string.gsub(s, "{now}", now) end
    return s
end

-- Per-thread status counting (installed as the global `response` by the scripts).
codes = {}
function M.response(status, headers, body)
    local k = tostring(status)
    codes[k] = (codes[k] or 0) + 1
end

-- setup/done plumbing: remember the threads, give each a number, then sum their status counts.
M.threads = {}
function M.setup(thread)
    local n = #M.threads
    thread:set("tid", n)
    M.threads[n + 1] = thread
end

function M.done(summary, latency, requests)
    local status, non2xx = {}, 0
    for _, t in ipairs(M.threads) do
        local c = t:get("codes") or {}
        for k, v in pairs(c) do
            status[k] = (status[k] or 0) + v
            local code = tonumber(k)
            if code < 200 or code > 299 then non2xx = non2xx + v end
        end
    end
    local parts = {}
    for k, v in pairs(status) do parts[#parts + 1] = string.format('"%s":%d', k, v) end
    table.sort(parts)
    local e = summary.errors
    io.write(string.format(
        'BENCHJSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"mean_us":%.1f,"max_us":%d,' ..
        '"status":{%s},"non2xx":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status_ge400":%d,"timeout":%d}}\n',
        summary.requests, summary.duration, summary.bytes,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
        table.concat(parts, ","), non2xx, e.connect, e.read, e.write, e.status, e.timeout))
end

return M
