-- Request shapes for scripts/bench.sh, configured through the environment.
-- Shape 1:  BENCH_METHOD (default GET), BENCH_PATH, BENCH_BODY, BENCH_HEADERS
-- Shape k:  BENCH_METHOD_k, BENCH_PATH_k, BENCH_BODY_k, BENCH_HEADERS_k (k = 2, 3, …; the mixed load) — requests
--           cycle through the shapes in order.
--   path/body may contain {id} / {slug} (rotated over BENCH_KEYS), {uniq} (unique per request: BENCH_NONCE, the
--   thread and a counter; [a-z0-9] only) and, in the body, {now} (an ISO timestamp fixed per run).
--   BENCH_HEADERS: "Name: value" lines separated by newlines. A body gets Content-Type: application/json.
--   BENCH_KEYS: file of "id<TAB>slug" lines (needed when {id}/{slug} are used).
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local C = dofile(dir .. "common.lua")

local function shape(suffix)
    local path = C.env("BENCH_PATH" .. suffix, nil)
    if path == nil then return nil end
    local s = {
        method = C.env("BENCH_METHOD" .. suffix, "GET"),
        path = path,
        body = C.env("BENCH_BODY" .. suffix, nil),
        headers = C.parse_headers(C.env("BENCH_HEADERS" .. suffix, nil)),
    }
    if s.body ~= nil and s.headers["Content-Type"] == nil then s.headers["Content-Type"] = "application/json" end
    return s
end

local shapes = { shape("") or { method = "GET", path = "/", headers = {} } }
for k = 2, 16 do
    local s = shape("_" .. k)
    if s == nil then break end
    shapes[#shapes + 1] = s
end

local text = ""
for _, s in ipairs(shapes) do text = text .. s.path .. (s.body or "") end
local uses_keys = text:find("{id}", 1, true) or text:find("{slug}", 1, true)
local uses_uniq = text:find("{uniq}", 1, true)
local nonce = C.env("BENCH_NONCE", "n")
local now = os.date("!%Y-%m-%dT%H:%M:%S.000Z")

setup = C.setup
done = C.done
response = C.response

if #shapes == 1 and not uses_keys and not uses_uniq then
    -- Static: wrk builds the request once.
    wrk.method = shapes[1].method
    wrk.path = shapes[1].path
    wrk.headers = shapes[1].headers
    wrk.body = shapes[1].body
else
    local prebuilt, keys, i, n = nil, nil, 0, 0
    function init(args)
        if uses_keys then
            keys = C.load_keys(C.env("BENCH_KEYS", nil))
            -- Threads start at different offsets so they do not walk the same keys in lock step.
            i = ((tid or 0) * 7919) % #keys
        end
        if not uses_uniq then
            -- Pre-generated requests: entry k uses key k and shape (k mod #shapes).
            prebuilt = {}
            local count = keys and #keys or #shapes
            if count % #shapes ~= 0 then count = count * #shapes end
            for k = 1, count do
                local s = shapes[(k - 1) % #shapes + 1]
                local key = keys and keys[(k - 1) % #keys + 1] or nil
                prebuilt[k] = wrk.format(s.method, C.fill(s.path, key, nil, now), s.headers, C.fill(s.body, key, nil, now))
            end
        end
    end
    function request()
        if prebuilt then
            i = i % #prebuilt + 1
            return prebuilt[i]
        end
        n = n + 1
        local s = shapes[(n - 1) % #shapes + 1]
        local key = nil
        if keys then
            i = i % #keys + 1
            key = keys[i]
        end
        local uniq = string.format("%st%dn%d", nonce, tid or 0, n)
        return wrk.format(s.method, C.fill(s.path, key, uniq, now), s.headers, C.fill(s.body, key, uniq, now))
    end
end
