#!/usr/bin/env bash
# Side-by-side benchmark of sptfy-dev (release build) and the reference PocketBase 0.23.12 running the same
# sptfy.in schema and hooks (issue 16). Everything binds to 127.0.0.1; every load run is bounded in time.
#
# Usage:
#   scripts/bench.sh [--big] [--no-mixed] [--no-cold] [--help]
#
#   --big       after the default run, a second data set at BENCH_BIG_SCALE (200: 1,000,000 clicks, 80,004 links)
#               for the lists, the redirect lookup and the admin stats (their p50 next to the default run's).
#               Seeding a million clicks through both APIs takes long (see docs/benchmarks.md).
#   --no-mixed  skip the mixed load (64 clients, a quarter of them writing clicks and utm_view+).
#   --no-cold   skip the cold-start measurement.
#
# What it does:
#   1. builds the release binary:
#        swift build -c release --product sptfy-dev --scratch-path "$REPO/.build-release"
#      (skipped when SPTFY_DEV_BIN points at an existing binary);
#   2. cold start: empty data dir → first 200 from /api/health, BENCH_COLD_RUNS times each, alternating
#      (sptfy-dev: `serve --no-fixtures`, which imports the schema and creates the superuser; PocketBase:
#      `pocketbase serve` with the sptfy.in hooks on an empty dir — PocketBase's own empty-dir start);
#   3. starts both: `sptfy-dev serve --http 127.0.0.1:BASE --dir D --no-fixtures` and
#      `scripts/reference-pocketbase.sh start BASE+10 D` (schema import, hooks, Turnstile/ip-api stubs on
#      BASE+13/BASE+14, SMTP sink on BASE+12);
#   4. seeds both through the API (/api/batch, switched on for it) with the same fixture world
#      (`sptfy-dev seed --scale BENCH_SCALE --batch always`: 400 links
#      and 5,000 clicks per unit of scale) and tops the links up to BENCH_LINKS with deterministic extra links
#      (no clicks) through the API; then, servers stopped, sets `created`/`updated` in both SQLite files to the
#      fixture world's dates (copied by id from a data dir `serve --fixtures-scale` loaded directly; the extra
#      links spread evenly over 120 days) — the API cannot set autodate fields. Checks that both data dirs hold
#      the same data (digest) and, restarted, answer the same (`sptfy-dev fixture-parity`);
#   5. per path (the frontend's calls, verbatim from the sptfy.in backend contract): BENCH_ROUNDS rounds of
#      BENCH_DURATION seconds per server, alternating which server goes first, with wrk (--latency, a Lua script
#      from scripts/bench/ that counts every response by status). Per round: requests, p50/p99, non-2xx, socket
#      errors, server CPU (utime+stime from /proc/PID/stat; PocketBase: its process, the stubs shown apart);
#      Read paths first, then the mixed load, then the write paths (writes grow the data);
#   6. the mixed load; idle RSS (after the restart, before load) and peak RSS (VmHWM at the end);
#   7. prints the report (markdown) and keeps it with the raw results in BENCH_RESULTS.
#
# Environment (defaults in brackets):
#   SPTFY_DEV_BIN          use this binary instead of building [build .build-release/release/sptfy-dev]
#   BENCH_ROUNDS [4]  BENCH_DURATION [4] (seconds per round per server per path)
#   BENCH_CONNECTIONS [16]  BENCH_THREADS [2] (wrk threads; the admin stats always run with 1 connection)
#   BENCH_SCALE [10]  BENCH_LINKS [10000] (0: no top-up)  BENCH_BIG_SCALE [200]  BENCH_BIG_LINKS [0]
#   BENCH_PATHS            space-separated subset of: health lookup recent top su-view auth-refresh stats30
#                          stats0 click utm-view create  [all; the write paths click, utm-view, create run
#                          after the reads and the mixed load]
#   BENCH_BIG_PATHS        [lookup recent top stats30 stats0]
#   BENCH_MIXED_CLIENTS [64] (a quarter write)  BENCH_MIXED_DURATION [BENCH_DURATION]
#   BENCH_COLD_RUNS [5]
#   BENCH_PORT_BASE [19600] uses BASE…BASE+44 (sptfy-dev BASE, PocketBase BASE+10…+14, fixture loader BASE+20,
#                          cold starts BASE+30 / BASE+40)
#   BENCH_WORK             data dirs [a new /tmp/sptfy-bench.XXXXXX, removed at the end unless BENCH_KEEP=1]
#   BENCH_RESULTS          report.md, results.jsonl, logs [$REPO/.build-release/bench/<UTC time>]
#   BENCH_BIG_DURATION [20] seconds per round in the --big run (PocketBase's all-time stats take seconds there)
#   BENCH_BIG_SEED [copy]  how the --big set is made: copy (the fixture world loaded directly, its rows copied into
#                          both data dirs after each server made its own) or api (seeded through both APIs: hours)
#   BENCH_SEED_BATCH [1]   seed through /api/batch (switched on for the seeding, restored after); 0: plain requests
#   BENCH_SEED_TIMEOUT [1800 + 30 × scale] seconds allowed for seeding one data set (both servers in parallel;
#                          PocketBase takes ~300 records/s on 2 cores: scale 10 ≈ 3 min, scale 200 ≈ 1 h)
#   BENCH_WRK_TIMEOUT [60]  wrk's per-request timeout in seconds (a slower response counts as a timeout error)
set -euo pipefail
# The whole script is one compound command, parsed before anything runs: editing this file or checking it out
# while a run is going cannot change or break that run (bash otherwise reads a script as it goes).
{

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"
LUA="$SCRIPT_DIR/bench/request.lua"
PREPARE="$SCRIPT_DIR/bench/prepare.py"
COLDSTART="$SCRIPT_DIR/bench/coldstart.py"
REPORT="$SCRIPT_DIR/bench/report.py"
REFERENCE="$SCRIPT_DIR/reference-pocketbase.sh"
PB="$REPO/.venv/bin/pocketbase"
HOOKS="$REPO/scripts/reference-pb_hooks"

BIG=0 MIXED=1 COLD=1
for arg in "$@"; do
    case "$arg" in
        --big) BIG=1 ;;
        --no-mixed) MIXED=0 ;;
        --no-cold) COLD=0 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench: unknown argument $arg (see --help)" >&2; exit 2 ;;
    esac
done

ROUNDS="${BENCH_ROUNDS:-4}"
DURATION="${BENCH_DURATION:-4}"
CONNS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-2}"
SCALE="${BENCH_SCALE:-10}"
LINKS="${BENCH_LINKS:-10000}"
BIG_SCALE="${BENCH_BIG_SCALE:-200}"
BIG_LINKS="${BENCH_BIG_LINKS:-0}"
PATHS="${BENCH_PATHS:-health lookup recent top su-view auth-refresh stats30 stats0 click utm-view create}"
BIG_PATHS="${BENCH_BIG_PATHS:-lookup recent top stats30 stats0}"
MIXED_CLIENTS="${BENCH_MIXED_CLIENTS:-64}"
MIXED_DURATION="${BENCH_MIXED_DURATION:-$DURATION}"
COLD_RUNS="${BENCH_COLD_RUNS:-5}"
BASE="${BENCH_PORT_BASE:-19600}"
SEED_TIMEOUT="${BENCH_SEED_TIMEOUT:-}"
WRK_TIMEOUT="${BENCH_WRK_TIMEOUT:-60}"
BIG_DURATION="${BENCH_BIG_DURATION:-20}"
BIG_SEED="${BENCH_BIG_SEED:-copy}"
SEED_BATCH="${BENCH_SEED_BATCH:-1}"
EMAIL="${SPTFY_DEV_SUPERUSER_EMAIL:-admin@sptfy.local}"
PASS="${SPTFY_DEV_SUPERUSER_PASSWORD:-sptfy-dev-password}"
# A named fixture user (NamedFixtures.alice) for users auth-refresh.
USER_EMAIL="alice@sptfy.local" USER_PASS="alice-password"
TURNSTILE_TOKEN="XXXX.DUMMY.TOKEN.XXXX"

OURS_PORT=$BASE PB_PORT=$((BASE + 10)) FX_PORT=$((BASE + 20)) COLD_OURS_PORT=$((BASE + 30)) COLD_PB_PORT=$((BASE + 40))
OURS_URL="http://127.0.0.1:$OURS_PORT" PB_URL="http://127.0.0.1:$PB_PORT"

die() { echo "bench: error: $*" >&2; exit 1; }
log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

for v in ROUNDS DURATION CONNS THREADS SCALE LINKS BIG_SCALE BIG_LINKS MIXED_CLIENTS MIXED_DURATION COLD_RUNS BASE WRK_TIMEOUT BIG_DURATION SEED_BATCH; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number, got '${!v}'"
done
[ "$BASE" -ge 19600 ] && [ $((BASE + 44)) -le 19699 ] || die "BENCH_PORT_BASE must keep BASE…BASE+44 within 19600-19699"
[ "$THREADS" -le "$CONNS" ] || THREADS=$CONNS
for tool in wrk curl python3 timeout; do
    command -v "$tool" >/dev/null || die "$tool not found${tool:+ (Debian: apt-get install -y $tool)}"
done

# ---------------------------------------------------------------------------------------------------------------
# Build.
T_START=$SECONDS
if [ -n "${SPTFY_DEV_BIN:-}" ]; then
    BIN="$SPTFY_DEV_BIN"
    [ -x "$BIN" ] || die "SPTFY_DEV_BIN=$BIN is not an executable"
    BUILD_NOTE="prebuilt binary $BIN"
else
    log "building: swift build -c release --product sptfy-dev --scratch-path $REPO/.build-release"
    (cd "$REPO" && swift build -c release --product sptfy-dev --scratch-path "$REPO/.build-release") >&2 \
        || die "release build failed"
    BIN="$REPO/.build-release/release/sptfy-dev"
    BUILD_NOTE="built by this run"
fi
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
T_BUILD=$((SECONDS - T_START))

for port in "$OURS_PORT" "$PB_PORT" $((PB_PORT + 2)) $((PB_PORT + 3)) $((PB_PORT + 4)) "$FX_PORT" "$COLD_OURS_PORT" "$COLD_PB_PORT"; do
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then die "port $port is in use"; fi
done

WORK="${BENCH_WORK:-$(mktemp -d /tmp/sptfy-bench.XXXXXX)}"
mkdir -p "$WORK"
RESULTS="${BENCH_RESULTS:-$REPO/.build-release/bench/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$RESULTS"
JSONL="$RESULTS/results.jsonl"
: >"$JSONL"
log "data dirs in $WORK, results in $RESULTS"

# ---------------------------------------------------------------------------------------------------------------
# Processes this script starts, stopped on any exit.
OURS_PID="" FX_PID="" PB_DIRS=() HELPER_PIDS=()
pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
stop_pid() {
    local pid="$1" i
    pid_alive "$pid" || return 0
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do pid_alive "$pid" || return 0; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    local p
    for p in "${HELPER_PIDS[@]}"; do pid_alive "$p" && kill "$p" 2>/dev/null || true; done
    stop_pid "$OURS_PID"
    stop_pid "$FX_PID"
    local d
    for d in "${PB_DIRS[@]}"; do
        SPTFY_DEV_BIN="$BIN" "$REFERENCE" stop "$PB_PORT" "$d" >/dev/null 2>&1 || true
    done
    if [ "${BENCH_KEEP:-0}" = 1 ] || [ -n "${BENCH_WORK:-}" ]; then
        log "kept data dirs in $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_healthy() { # URL PID SECONDS
    local i
    for i in $(seq 1 $(($3 * 10))); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1/api/health" || true)" = 200 ] && return 0
        pid_alive "$2" || return 1
        sleep 0.1
    done
    return 1
}

start_ours() { # DIR
    nohup "$BIN" serve --http "127.0.0.1:$OURS_PORT" --dir "$1" --no-fixtures >>"$RESULTS/ours-serve.log" 2>&1 </dev/null &
    OURS_PID=$!
    wait_healthy "$OURS_URL" "$OURS_PID" 60 || { tail -20 "$RESULTS/ours-serve.log" >&2; die "sptfy-dev did not become healthy"; }
}
stop_ours() { stop_pid "$OURS_PID"; OURS_PID=""; }
start_pb() { # DIR
    PB_DIRS+=("$1")
    SPTFY_DEV_BIN="$BIN" SPTFY_DEV_SUPERUSER_EMAIL="$EMAIL" SPTFY_DEV_SUPERUSER_PASSWORD="$PASS" \
        "$REFERENCE" start "$PB_PORT" "$1" >>"$RESULTS/pb-start.log" 2>&1 \
        || { tail -30 "$RESULTS/pb-start.log" >&2; die "reference PocketBase did not start"; }
    PB_PID="$(cat "$1/pocketbase.pid")"
    PB_STUB_PIDS="$(cat "$1/turnstile-stub.pid" "$1/ip-api-stub.pid" 2>/dev/null | tr '\n' ' ')"
}
stop_pb() { SPTFY_DEV_BIN="$BIN" "$REFERENCE" stop "$PB_PORT" "$1" >>"$RESULTS/pb-start.log" 2>&1 || true; }

batch_settings() { # URL TOKEN [JSON]: prints the `batch` settings, or sets them to JSON
    if [ -z "${3:-}" ]; then
        curl -s --max-time 30 -H "Authorization: $2" "$1/api/settings" \
            | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["batch"]))' || die "reading $1/api/settings failed"
    else
        [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -X PATCH -H "Authorization: $2" -H 'Content-Type: application/json' \
            --data-binary "{\"batch\":$3}" "$1/api/settings")" = 200 ] || die "PATCH $1/api/settings (batch) failed"
    fi
}
json_str() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }
token_for() { # URL COLLECTION IDENTITY PASSWORD
    curl -s --max-time 30 -X POST -H 'Content-Type: application/json' \
        --data-binary "{\"identity\":$(json_str "$3"),\"password\":$(json_str "$4")}" \
        "$1/api/collections/$2/auth-with-password" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin).get("token",""))' 2>/dev/null || true
}
cpu_ticks() { # PID… → utime+stime summed, in clock ticks
    local total=0 pid line rest
    for pid in "$@"; do
        line="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
        rest="${line##*) }"
        # shellcheck disable=SC2086
        set -- $rest
        total=$((total + ${12} + ${13}))
    done
    echo "$total"
}
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
record() { echo "$1" >>"$JSONL"; }

# ---------------------------------------------------------------------------------------------------------------
# Machine and run description.
CLK_TCK="$(getconf CLK_TCK)"
record "$(BIN="$BIN" PB="$PB" REPO="$REPO" ARGS="$*" BUILD_NOTE="$BUILD_NOTE" python3 - "$ROUNDS" "$DURATION" "$CONNS" "$THREADS" "$SCALE" "$LINKS" "$MIXED_CLIENTS" "$MIXED_DURATION" "$COLD_RUNS" "$CLK_TCK" <<'PY'
import json, os, platform, subprocess, sys
def run(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception as e:
        return f"({e})"
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
repo = os.environ["REPO"]
r = dict(zip(["rounds", "duration", "connections", "threads", "scale", "links", "mixed_clients", "mixed_duration", "cold_runs", "clk_tck"], map(int, sys.argv[1:])))
r.update(kind="meta", nproc=os.cpu_count(), cpu=cpu, mem_gib=round(mem / 1048576, 1), kernel=platform.release(),
         swift=run("swift", "--version").splitlines()[0] if run("swift", "--version") else "?",
         pocketbase=run(os.environ["PB"], "--version") if os.path.exists(os.environ["PB"]) else "(not installed yet)",
         wrk=run("wrk", "-v").splitlines()[0] if run("wrk", "-v") else "?",
         head=run("git", "-C", repo, "rev-parse", "--short", "HEAD"),
         dirty=bool(run("git", "-C", repo, "status", "--porcelain", "--untracked-files=no", "--", "Sources", "Package.swift")),
         binary=os.environ["BIN"], build=os.environ["BUILD_NOTE"], args=os.environ["ARGS"],
         loadavg_start=open("/proc/loadavg").read().split()[:3],
         env={k: v for k, v in os.environ.items() if k.startswith("BENCH_") or k == "SPTFY_DEV_BIN"})
print(json.dumps(r))
PY
)"

# ---------------------------------------------------------------------------------------------------------------
# Cold start: empty data dir → healthy, alternating which server goes first.
cold_start() {
    # An empty PocketBase dir has no superuser: PocketBase then opens its installer with xdg-open. A no-op
    # xdg-open first on PATH keeps it from launching anything.
    mkdir -p "$WORK/shim"
    printf '#!/bin/sh\nexit 0\n' >"$WORK/shim/xdg-open"
    chmod +x "$WORK/shim/xdg-open"
    local i server out
    # sptfy-dev keeps a prebuilt data dir per binary and inputs (StartTemplate): a private cache here, so the
    # user's does not decide the result. The first start builds it and is reported apart ("first"), as are
    # starts with the template cache off ("no template": the schema import and bcrypt every time).
    local templates="$WORK/template-cache"
    rm -rf "$templates" "$WORK/cold-ours"
    out="$(SPTFY_DEV_TEMPLATE_CACHE="$templates" python3 "$COLDSTART" --url "http://127.0.0.1:$COLD_OURS_PORT/api/health" --log "$RESULTS/cold-ours.log" -- \
        "$BIN" serve --http "127.0.0.1:$COLD_OURS_PORT" --dir "$WORK/cold-ours" --no-fixtures)" || die "sptfy-dev cold start failed"
    record "{\"kind\":\"cold\",\"server\":\"ours-first\",\"run\":0,\"result\":$out}"
    log "cold start (first, builds the template) ours: $out"
    for i in $(seq 1 "$COLD_RUNS"); do
        local order="ours pb ours-notemplate"
        [ $((i % 2)) = 0 ] && order="pb ours-notemplate ours"
        for server in $order; do
            rm -rf "$WORK/cold-$server"
            if [ "$server" = ours ] || [ "$server" = ours-notemplate ]; then
                local cache="$templates"
                [ "$server" = ours-notemplate ] && cache=off
                out="$(SPTFY_DEV_TEMPLATE_CACHE="$cache" python3 "$COLDSTART" --url "http://127.0.0.1:$COLD_OURS_PORT/api/health" --log "$RESULTS/cold-ours.log" -- \
                    "$BIN" serve --http "127.0.0.1:$COLD_OURS_PORT" --dir "$WORK/cold-$server" --no-fixtures)" || die "sptfy-dev cold start failed"
            else
                out="$(PATH="$WORK/shim:$PATH" python3 "$COLDSTART" --url "http://127.0.0.1:$COLD_PB_PORT/api/health" --log "$RESULTS/cold-pb.log" -- \
                    "$PB" serve --http "127.0.0.1:$COLD_PB_PORT" --dir "$WORK/cold-pb" --hooksDir "$HOOKS" --automigrate=false)" \
                    || die "PocketBase cold start failed"
            fi
            record "{\"kind\":\"cold\",\"server\":\"$server\",\"run\":$i,\"result\":$out}"
            log "cold start $i $server: $out"
        done
    done
    rm -rf "$WORK/cold-ours" "$WORK/cold-ours-notemplate" "$WORK/cold-pb" "$templates"
}

# ---------------------------------------------------------------------------------------------------------------
# Data: seed both through the API, top up links, fix dates in SQLite, restart, check they agree.
# sptfy-dev loads the fixture world directly into $WORK/$PHASE-fixtures; prepare.py MODE (`dates` or `copy`) then
# applies it to both stopped data dirs, and the loader's dir goes.
apply_fixture_world() { # PHASE SCALE TIMEOUT MODE
    local phase="$1" mode="$4" db
    nohup "$BIN" serve --http "127.0.0.1:$FX_PORT" --dir "$WORK/$phase-fixtures" --fixtures-scale "$2" >"$RESULTS/$phase-fixtures.log" 2>&1 </dev/null &
    FX_PID=$!
    wait_healthy "http://127.0.0.1:$FX_PORT" "$FX_PID" "$3" || die "fixture loader did not start"
    stop_pid "$FX_PID"
    FX_PID=""
    for db in "$OURS_DIR/data.db" "$PB_DIR/data.db"; do
        python3 "$PREPARE" "$mode" --db "$db" --fixtures "$WORK/$phase-fixtures/data.db" >&2
    done
    rm -rf "$WORK/$phase-fixtures"
}

prepare_data() { # PHASE SCALE LINKS [api|copy] → data dirs $WORK/$PHASE-ours, $WORK/$PHASE-pb; servers left running
    local phase="$1" scale="$2" links="$3" how="${4:-api}" t0=$SECONDS
    if [ "$how" = copy ]; then prepare_copied "$phase" "$scale"; return; fi
    local seed_timeout="${SEED_TIMEOUT:-$((1800 + 30 * scale))}"
    [[ "$seed_timeout" =~ ^[0-9]+$ ]] || die "BENCH_SEED_TIMEOUT must be a whole number"
    OURS_DIR="$WORK/$phase-ours" PB_DIR="$WORK/$phase-pb"
    rm -rf "$OURS_DIR" "$PB_DIR" "$WORK/$phase-fixtures"
    start_ours "$OURS_DIR"
    start_pb "$PB_DIR"
    # PocketBase's batch API (off by default) is switched on for the seeding and back to what it was afterwards:
    # 100 records per request and transaction, with the same per-record hooks, rules and validation.
    local mode=never ours_su pb_su ours_batch="" pb_batch=""
    ours_su="$(token_for "$OURS_URL" _superusers "$EMAIL" "$PASS")"
    pb_su="$(token_for "$PB_URL" _superusers "$EMAIL" "$PASS")"
    if [ "$SEED_BATCH" = 1 ]; then
        mode=always
        ours_batch="$(batch_settings "$OURS_URL" "$ours_su")"
        pb_batch="$(batch_settings "$PB_URL" "$pb_su")"
        batch_settings "$OURS_URL" "$ours_su" '{"enabled":true,"maxRequests":100,"timeout":60}'
        batch_settings "$PB_URL" "$pb_su" '{"enabled":true,"maxRequests":100,"timeout":60}'
    fi
    log "$phase: seeding both through the API (scale $scale, batch $mode, in parallel; timeout ${seed_timeout}s)"
    SPTFY_DEV_SUPERUSER_EMAIL="$EMAIL" SPTFY_DEV_SUPERUSER_PASSWORD="$PASS" \
        timeout "$seed_timeout" "$BIN" seed --target "$OURS_URL" --scale "$scale" --batch "$mode" >"$RESULTS/$phase-seed-ours.log" 2>&1 &
    local s1=$!
    HELPER_PIDS+=("$s1")
    SPTFY_DEV_SUPERUSER_EMAIL="$EMAIL" SPTFY_DEV_SUPERUSER_PASSWORD="$PASS" \
        timeout "$seed_timeout" "$BIN" seed --target "$PB_URL" --scale "$scale" --batch "$mode" >"$RESULTS/$phase-seed-pb.log" 2>&1 &
    local s2=$! rc1=0 rc2=0
    HELPER_PIDS+=("$s2")
    wait $s1 || rc1=$?
    wait $s2 || rc2=$?
    [ $rc1 = 0 ] || { tail -c 2000 "$RESULTS/$phase-seed-ours.log" >&2; die "seeding sptfy-dev failed (exit $rc1)"; }
    [ $rc2 = 0 ] || { tail -c 2000 "$RESULTS/$phase-seed-pb.log" >&2; die "seeding PocketBase failed (exit $rc2)"; }
    log "$(tail -1 "$RESULTS/$phase-seed-ours.log")"
    log "$(tail -1 "$RESULTS/$phase-seed-pb.log")"
    local t_seed=$((SECONDS - t0))
    if [ "$links" -gt 0 ]; then
        python3 "$PREPARE" topup --url "$OURS_URL" --token "$ours_su" --links "$links" >&2 &
        s1=$!
        python3 "$PREPARE" topup --url "$PB_URL" --token "$pb_su" --links "$links" >&2 &
        s2=$!
        rc1=0 rc2=0
        wait $s1 || rc1=$?
        wait $s2 || rc2=$?
        [ $rc1 = 0 ] && [ $rc2 = 0 ] || die "topping up links failed"
    fi
    if [ "$SEED_BATCH" = 1 ]; then
        batch_settings "$OURS_URL" "$ours_su" "$ours_batch"
        batch_settings "$PB_URL" "$pb_su" "$pb_batch"
    fi
    stop_ours
    stop_pb "$PB_DIR"

    # The fixture world loaded directly (with its dates) by sptfy-dev, as the source of `created`.
    log "$phase: loading the fixture world directly for its dates"
    apply_fixture_world "$phase" "$scale" 600 dates
    verify_data "$phase" "$scale" "$links" "$t_seed" "$t0" api
}

# The --big data set: both servers make their own data dir (schema import, superuser; PocketBase with its hooks),
# then the fixture world that `sptfy-dev serve --fixtures-scale` loaded directly is copied row by row into both
# (prepare.py copy). Seeding a million clicks through PocketBase's API would take hours on this machine.
prepare_copied() { # PHASE SCALE
    local phase="$1" scale="$2" t0=$SECONDS
    OURS_DIR="$WORK/$phase-ours" PB_DIR="$WORK/$phase-pb"
    rm -rf "$OURS_DIR" "$PB_DIR" "$WORK/$phase-fixtures"
    start_ours "$OURS_DIR"
    start_pb "$PB_DIR"
    stop_ours
    stop_pb "$PB_DIR"
    log "$phase: loading the fixture world directly (scale $scale) to copy into both"
    apply_fixture_world "$phase" "$scale" 1800 copy
    verify_data "$phase" "$scale" 0 $((SECONDS - t0)) "$t0" copy
}

verify_data() { # PHASE SCALE LINKS SEED_SECONDS T0 HOW: digests equal, servers restarted, fixture-parity, tokens
    local phase="$1" scale="$2" links="$3" t_seed="$4" t0="$5" how="$6"
    local d1 d2
    d1="$(python3 "$PREPARE" digest --db "$OURS_DIR/data.db")"
    d2="$(python3 "$PREPARE" digest --db "$PB_DIR/data.db")"
    log "$phase data: sptfy-dev $d1"
    log "$phase data: PocketBase $d2"
    [ "$d1" = "$d2" ] || die "the two data dirs differ after seeding (see the digests above)"
    KEYS="$WORK/$phase-keys.tsv"
    python3 "$PREPARE" keys --db "$OURS_DIR/data.db" --out "$KEYS"

    start_ours "$OURS_DIR"
    start_pb "$PB_DIR"
    local parity parity_ok=true
    parity="$(timeout 600 "$BIN" fixture-parity "$OURS_URL" "$PB_URL" 2>&1)" || parity_ok=false
    log "$phase: $(echo "$parity" | tail -5)"
    record "{\"kind\":\"data\",\"phase\":\"$phase\",\"scale\":$scale,\"links\":$links,\"digest\":$d1,\"parity_ok\":$parity_ok,\"parity\":$(json_str "$(echo "$parity" | tail -20)"),\"seed_batch\":$SEED_BATCH,\"seeded\":\"$how\",\"seed_seconds\":$t_seed,\"prepare_seconds\":$((SECONDS - t0))}"
    OURS_SU="$(token_for "$OURS_URL" _superusers "$EMAIL" "$PASS")"
    PB_SU="$(token_for "$PB_URL" _superusers "$EMAIL" "$PASS")"
    OURS_USER="$(token_for "$OURS_URL" users "$USER_EMAIL" "$USER_PASS")"
    PB_USER="$(token_for "$PB_URL" users "$USER_EMAIL" "$USER_PASS")"
    [ -n "$OURS_SU" ] && [ -n "$PB_SU" ] && [ -n "$OURS_USER" ] && [ -n "$PB_USER" ] || die "could not log in (superuser/alice) on both"
}

# ---------------------------------------------------------------------------------------------------------------
# Paths: the calls sptfy.in's frontend and SvelteKit server make (sptfyin-backend.md §3.2), verbatim.
CLICK_BODY='{"author":"{id}","utm_userAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36","utm_country":"ID","url_id":"{id}","rawData":"ID","created":"{now}"}'
path_label() {
    case "$1" in
        health) echo 'GET /api/health' ;;
        lookup) echo "viewList lookup by id_url (the redirect)" ;;
        recent) echo 'recent list (viewList sort=-created, fields, perPage=10)' ;;
        top) echo 'top list (sort=-utm_view, filter=(utm_view>0), perPage=10)' ;;
        su-view) echo 'GET random_short/{id} as superuser' ;;
        auth-refresh) echo 'users auth-refresh' ;;
        stats30) echo '/api/admin/stats?days=30 (1 conn)' ;;
        stats0) echo '/api/admin/stats?days=0 (1 conn)' ;;
        click) echo 'POST analytics (guest click)' ;;
        utm-view) echo 'PATCH random_short utm_view+ (guest)' ;;
        create) echo 'POST random_short with Turnstile' ;;
        *) die "unknown path '$1' (see --help)" ;;
    esac
}
# Sets BENCH_METHOD/PATH/BODY/HEADERS (+ _2, _3… for the mixed load) for PATH NAME on SERVER (ours|pb).
set_shape() { # NAME SERVER [SUFFIX]
    local name="$1" server="$2" sfx="${3:-}" su user
    if [ "$server" = ours ]; then su="$OURS_SU" user="$OURS_USER"; else su="$PB_SU" user="$PB_USER"; fi
    local method=GET path="" body="" headers=""
    case "$name" in
        health) path='/api/health' ;;
        lookup) path="/api/collections/viewList/records?page=1&perPage=1&filter=id_url%20%3D%20'{slug}'" ;;
        recent) path='/api/collections/viewList/records?sort=-created&fields=id_url,from,created,subdomain&perPage=10&page=1' ;;
        top) path='/api/collections/viewList/records?sort=-utm_view&fields=id_url,from,created,subdomain,utm_view&perPage=10&page=1&filter=(utm_view>0)' ;;
        su-view) path='/api/collections/random_short/records/{id}' headers="Authorization: $su" ;;
        auth-refresh) method=POST path='/api/collections/users/auth-refresh' headers="Authorization: $user" ;;
        stats30) path='/api/admin/stats?days=30' headers='Content-Type: application/json' ;;
        stats0) path='/api/admin/stats?days=0' headers='Content-Type: application/json' ;;
        click) method=POST path='/api/collections/analytics/records' body="$CLICK_BODY" ;;
        utm-view) method=PATCH path='/api/collections/random_short/records/{id}' body='{"utm_view+":1}' ;;
        create)
            method=POST path='/api/collections/random_short/records' headers="X-Turnstile-Token: $TURNSTILE_TOKEN"
            body='{"from":"https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC","id_url":"{uniq}","subdomain":"track","enable":true}'
            ;;
    esac
    export "BENCH_METHOD$sfx=$method" "BENCH_PATH$sfx=$path" "BENCH_BODY$sfx=$body" "BENCH_HEADERS$sfx=$headers"
}
clear_shapes() { local k; for k in $(compgen -e | grep -E '^BENCH_(METHOD|PATH|BODY|HEADERS)' || true); do unset "$k"; done; }

server_url() { if [ "$1" = ours ]; then echo "$OURS_URL"; else echo "$PB_URL"; fi; }
server_pids() { if [ "$1" = ours ]; then echo "$OURS_PID"; else echo "$PB_PID"; fi; }

# One wrk run; prints the BENCHJSON object (or exits).
run_wrk() { # URL THREADS CONNS DURATION OUTFILE
    local rc=0
    BENCH_KEYS="$KEYS" timeout $(($4 + WRK_TIMEOUT + 30)) \
        wrk -t "$2" -c "$3" -d "${4}s" --timeout "${WRK_TIMEOUT}s" --latency -s "$LUA" "$1" >"$5" 2>&1 || rc=$?
    [ $rc = 0 ] || { cat "$5" >&2; die "wrk failed (exit $rc)"; }
    grep '^BENCHJSON ' "$5" | tail -1 | cut -d' ' -f2- || die "no result line from wrk in $5"
}

preflight() { # NAME SERVER: one request with curl; records its status (a path answering non-2xx is flagged)
    local name="$1" server="$2" url code
    url="$(server_url "$server")"
    set_shape "$name" "$server"
    local key_id key_slug
    IFS=$'\t' read -r key_id key_slug <"$KEYS"
    local p="${BENCH_PATH//\{id\}/$key_id}" b="${BENCH_BODY//\{id\}/$key_id}"
    p="${p//\{slug\}/$key_slug}"
    b="${b//\{uniq\}/preflight$server$RANDOM$RANDOM}"
    b="${b//\{now\}/$(date -u +%Y-%m-%dT%H:%M:%S.000Z)}"
    local -a args=(-s -o "$WORK/preflight.body" -w '%{http_code}' --max-time 60 -X "$BENCH_METHOD")
    [ -n "$BENCH_HEADERS" ] && args+=(-H "$BENCH_HEADERS")
    [ -n "$b" ] && args+=(-H 'Content-Type: application/json' --data-binary "$b")
    code="$(curl "${args[@]}" "$url$p" || echo 000)"
    record "{\"kind\":\"preflight\",\"path\":\"$name\",\"server\":\"$server\",\"status\":\"$code\",\"body\":$(json_str "$(head -c 300 "$WORK/preflight.body" 2>/dev/null)")}"
    case "$code" in 2??) ;; *) log "WARNING: $name on $server answered $code: $(head -c 300 "$WORK/preflight.body")" ;; esac
    clear_shapes
}

bench_paths() { # PHASE SECONDS PATHS…
    local phase="$1" seconds="$2" name r server
    shift 2
    for name in "$@"; do
        path_label "$name" >/dev/null
        preflight "$name" ours
        preflight "$name" pb
        local threads="$THREADS" conns="$CONNS"
        case "$name" in stats30 | stats0) threads=1 conns=1 ;; esac
        for r in $(seq 1 "$ROUNDS"); do
            local order="ours pb"
            [ $((r % 2)) = 0 ] && order="pb ours"
            for server in $order; do
                set_shape "$name" "$server"
                export BENCH_NONCE="b$(date +%s)r${r}${server}"
                local pids stubs c0 s0 c1 s1 res
                pids="$(server_pids "$server")"
                stubs=""
                [ "$server" = pb ] && stubs="$PB_STUB_PIDS"
                c0="$(cpu_ticks $pids)" s0="$(cpu_ticks $stubs)"
                res="$(run_wrk "$(server_url "$server")" "$threads" "$conns" "$seconds" "$RESULTS/wrk-$phase-$name-$server-$r.txt")"
                c1="$(cpu_ticks $pids)" s1="$(cpu_ticks $stubs)"
                clear_shapes
                record "{\"kind\":\"round\",\"phase\":\"$phase\",\"path\":\"$name\",\"label\":$(json_str "$(path_label "$name")"),\"server\":\"$server\",\"round\":$r,\"connections\":$conns,\"seconds\":$seconds,\"cpu_ticks\":$((c1 - c0)),\"stub_ticks\":$((s1 - s0)),\"clk_tck\":$CLK_TCK,\"rss_kb\":$(status_kb "$pids" VmRSS),\"wrk\":$res}"
                log "$phase $name round $r $server: $(python3 -c 'import json,sys; w=json.loads(sys.argv[1]); print("%d req, %.0f/s, p50 %.2f ms, p99 %.2f ms, non-2xx %d, socket errors %d" % (w["requests"], w["requests"]/w["duration_us"]*1e6, w["p50_us"]/1000, w["p99_us"]/1000, w["non2xx"], sum(v for k,v in w["errors"].items() if k!="status_ge400")))' "$res")"
            done
        done
    done
}

bench_mixed() { # 64 clients: 3/4 read (redirect lookup ×2, recent, top), 1/4 write (POST analytics, PATCH utm_view+)
    local writers=$((MIXED_CLIENTS / 4)) readers r server
    readers=$((MIXED_CLIENTS - writers))
    for r in $(seq 1 "$ROUNDS"); do
        local order="ours pb"
        [ $((r % 2)) = 0 ] && order="pb ours"
        for server in $order; do
            local url pids stubs c0 s0 c1 s1 rres wres rp wp
            url="$(server_url "$server")" pids="$(server_pids "$server")" stubs=""
            [ "$server" = pb ] && stubs="$PB_STUB_PIDS"
            c0="$(cpu_ticks $pids)" s0="$(cpu_ticks $stubs)"
            (
                set_shape lookup "$server"
                set_shape lookup "$server" _2
                set_shape recent "$server" _3
                set_shape top "$server" _4
                run_wrk "$url" 1 "$readers" "$MIXED_DURATION" "$RESULTS/wrk-mixed-read-$server-$r.txt" >"$WORK/mixed-read.json"
            ) &
            rp=$!
            (
                export BENCH_NONCE="m$(date +%s)r${r}${server}"
                set_shape click "$server"
                set_shape utm-view "$server" _2
                run_wrk "$url" 1 "$writers" "$MIXED_DURATION" "$RESULTS/wrk-mixed-write-$server-$r.txt" >"$WORK/mixed-write.json"
            ) &
            wp=$!
            wait $rp || die "mixed-load readers failed"
            wait $wp || die "mixed-load writers failed"
            c1="$(cpu_ticks $pids)" s1="$(cpu_ticks $stubs)"
            rres="$(cat "$WORK/mixed-read.json")" wres="$(cat "$WORK/mixed-write.json")"
            record "{\"kind\":\"mixed\",\"server\":\"$server\",\"round\":$r,\"readers\":$readers,\"writers\":$writers,\"cpu_ticks\":$((c1 - c0)),\"stub_ticks\":$((s1 - s0)),\"clk_tck\":$CLK_TCK,\"read\":$rres,\"write\":$wres}"
            log "mixed round $r $server: read $(python3 -c 'import json,sys; w=json.loads(sys.argv[1]); print("%.0f/s p50 %.2f ms p99 %.2f ms non-2xx %d" % (w["requests"]/w["duration_us"]*1e6, w["p50_us"]/1000, w["p99_us"]/1000, w["non2xx"]))' "$rres"); write $(python3 -c 'import json,sys; w=json.loads(sys.argv[1]); print("%.0f/s p50 %.2f ms p99 %.2f ms non-2xx %d" % (w["requests"]/w["duration_us"]*1e6, w["p50_us"]/1000, w["p99_us"]/1000, w["non2xx"]))' "$wres")"
        done
    done
}

record_rss() { # PHASE WHEN
    record "{\"kind\":\"rss\",\"phase\":\"$1\",\"when\":\"$2\",\"ours\":{\"VmRSS\":$(status_kb "$OURS_PID" VmRSS),\"VmHWM\":$(status_kb "$OURS_PID" VmHWM)},\"pb\":{\"VmRSS\":$(status_kb "$PB_PID" VmRSS),\"VmHWM\":$(status_kb "$PB_PID" VmHWM)}}"
}

# ---------------------------------------------------------------------------------------------------------------
T0=$SECONDS
if [ "$COLD" = 1 ]; then
    if [ ! -x "$PB" ]; then
        # First use: let the reference script install PocketBase into .venv (a throwaway start/stop).
        start_pb "$WORK/pb-install"
        stop_pb "$WORK/pb-install"
        rm -rf "$WORK/pb-install"
    fi
    log "cold start, $COLD_RUNS runs each"
    cold_start
fi
T_COLD=$((SECONDS - T0))

T0=$SECONDS
prepare_data main "$SCALE" "$LINKS"
T_PREP=$((SECONDS - T0))
sleep 2
record_rss main idle

# Reads first, then the mixed load, then the write paths: the writes grow the data (the create path adds
# thousands of links, more on the faster server), so nothing that reads lists runs after them.
READ_PATHS=() WRITE_PATHS=()
for name in $PATHS; do
    case "$name" in click | utm-view | create) WRITE_PATHS+=("$name") ;; *) READ_PATHS+=("$name") ;; esac
done
T0=$SECONDS
bench_paths main "$DURATION" "${READ_PATHS[@]}"
T_PATHS=$((SECONDS - T0))
T0=$SECONDS
if [ "$MIXED" = 1 ]; then
    log "mixed load: $MIXED_CLIENTS clients ($((MIXED_CLIENTS / 4)) writing), $ROUNDS rounds of ${MIXED_DURATION}s per server"
    bench_mixed
fi
T_MIXED=$((SECONDS - T0))
T0=$SECONDS
bench_paths main "$DURATION" "${WRITE_PATHS[@]}"
T_PATHS=$((T_PATHS + SECONDS - T0))
record_rss main peak
stop_ours
stop_pb "$PB_DIR"

T_BIG=0 T_BIG_PREP=0
if [ "$BIG" = 1 ]; then
    T0=$SECONDS
    prepare_data big "$BIG_SCALE" "$BIG_LINKS" "$BIG_SEED"
    T_BIG_PREP=$((SECONDS - T0))
    sleep 2
    record_rss big idle
    # shellcheck disable=SC2086
    bench_paths big "$BIG_DURATION" $BIG_PATHS
    record_rss big peak
    stop_ours
    stop_pb "$PB_DIR"
    T_BIG=$((SECONDS - T0))
fi

record "{\"kind\":\"timing\",\"build\":$T_BUILD,\"cold\":$T_COLD,\"prepare\":$T_PREP,\"paths\":$T_PATHS,\"mixed\":$T_MIXED,\"big_prepare\":$T_BIG_PREP,\"big\":$T_BIG,\"total\":$((SECONDS - T_START)),\"loadavg_end\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
python3 "$REPORT" "$JSONL" >"$RESULTS/report.md"
cat "$RESULTS/report.md"
log "report: $RESULTS/report.md (raw: $JSONL)"
exit 0
}
