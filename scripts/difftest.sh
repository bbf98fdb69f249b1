#!/usr/bin/env bash
# Seeded differential test: a fresh reference PocketBase 0.23.12 and a fresh sptfy-dev get the same generated
# request sequence; every response that differs is reported, reduced to the smallest diverging request.
#
# Usage:
#   scripts/difftest.sh [SEED] [REQUESTS]      (defaults: seed 1, 1000 random requests after the setup)
#
# Environment:
#   SPTFY_DEV_BIN            sptfy-dev binary (default .build/debug/sptfy-dev; run `swift build` first). It also
#                            runs the reference's Turnstile / ip-api stubs (scripts/reference-pocketbase.sh).
#   DIFFTEST_REPORT          markdown report path (default /tmp/difftest-report-seed<SEED>.md)
#   DIFFTEST_BUDGET_SECONDS  hard wall-clock limit for difftest.py (default 1800)
#   DIFFTEST_ARGS            extra difftest.py arguments (e.g. "--max-reductions 20")
#   DIFFTEST_KNOWN           documented divergences (default scripts/difftest/known-divergences.tsv); only others fail
#   DIFFTEST_KEEP=1          keep the temporary data dirs and server logs
#   SPTFY_DEV_SUPERUSER_EMAIL / SPTFY_DEV_SUPERUSER_PASSWORD  superuser of both servers (defaults as .env.example)
#
# Exit status: difftest.py's (0 = no divergence outside the documented ones, 1 = new divergences, 2 = setup error).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"
SEED="${1:-1}"
REQUESTS="${2:-1000}"
BIN="${SPTFY_DEV_BIN:-$REPO/.build/debug/sptfy-dev}"
REPORT="${DIFFTEST_REPORT:-/tmp/difftest-report-seed$SEED.md}"
BUDGET="${DIFFTEST_BUDGET_SECONDS:-1800}"
EMAIL="${SPTFY_DEV_SUPERUSER_EMAIL:-admin@sptfy.local}"
PASS="${SPTFY_DEV_SUPERUSER_PASSWORD:-sptfy-dev-password}"
# Divergences documented as deliberate or not yet fixed (README, "Robustness"): reported, but only new ones fail.
KNOWN="${DIFFTEST_KNOWN:-$SCRIPT_DIR/difftest/known-divergences.tsv}"

die() {
    echo "difftest.sh: error: $*" >&2
    exit 2
}

[[ "$SEED" =~ ^[0-9]+$ ]] || die "SEED must be a number, got '$SEED'"
[[ "$REQUESTS" =~ ^[0-9]+$ ]] || die "REQUESTS must be a number, got '$REQUESTS'"
[ -x "$BIN" ] || die "sptfy-dev binary not found at $BIN (run 'swift build' or set SPTFY_DEV_BIN)"
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

# Free loopback ports in 19000-19999: the reference uses PORT and PORT+2..PORT+4 (SMTP sink, stubs).
pick_ports() {
    python3 - <<'PY'
import random, socket
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
        return True
    except OSError:
        return False
    finally:
        s.close()
rng = random.SystemRandom()
for _ in range(200):
    a = rng.randrange(19000, 19990, 10)
    b = a + 7
    if all(free(p) for p in (a, a + 1, a + 2, a + 3, a + 4, b)):
        print(a, b)
        break
else:
    raise SystemExit("no free ports in 19000-19999")
PY
}
read -r PORT_A PORT_B < <(pick_ports) || die "could not find free ports"

WORK="$(mktemp -d /tmp/difftest.XXXXXX)"
DEV_PID=""
PY_PID=""

cleanup() {
    local rc=$?
    if [ -n "$PY_PID" ] && kill -0 "$PY_PID" 2>/dev/null; then
        kill "$PY_PID" 2>/dev/null || true          # difftest.py writes its partial report on SIGTERM
        for _ in $(seq 1 50); do kill -0 "$PY_PID" 2>/dev/null || break; sleep 0.1; done
    fi
    SPTFY_DEV_BIN="$BIN" "$REPO/scripts/reference-pocketbase.sh" stop "$PORT_A" "$WORK/ref" >/dev/null 2>&1 || true
    if [ -n "$DEV_PID" ] && kill -0 "$DEV_PID" 2>/dev/null; then
        kill "$DEV_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$DEV_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$DEV_PID" 2>/dev/null || true
    fi
    if [ "${DIFFTEST_KEEP:-}" = "1" ]; then
        echo "difftest.sh: kept $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "difftest.sh: reference PocketBase on 127.0.0.1:$PORT_A, sptfy-dev on 127.0.0.1:$PORT_B, work dir $WORK" >&2
# Its own side ports: a caller's exported REFERENCE_*_PORT (`.ci/run` exports the main reference's) must not leak in.
SPTFY_DEV_BIN="$BIN" SPTFY_DEV_SUPERUSER_EMAIL="$EMAIL" SPTFY_DEV_SUPERUSER_PASSWORD="$PASS" \
    REFERENCE_SMTP_PORT=$((PORT_A + 2)) REFERENCE_TURNSTILE_PORT=$((PORT_A + 3)) REFERENCE_IP_API_PORT=$((PORT_A + 4)) \
    "$REPO/scripts/reference-pocketbase.sh" start "$PORT_A" "$WORK/ref" >"$WORK/reference-start.log" 2>&1 \
    || { cat "$WORK/reference-start.log" >&2; die "reference PocketBase did not start"; }

mkdir -p "$WORK/dev"
SPTFY_DEV_SUPERUSER_EMAIL="$EMAIL" SPTFY_DEV_SUPERUSER_PASSWORD="$PASS" \
    "$BIN" serve --http "127.0.0.1:$PORT_B" --dir "$WORK/dev" --no-fixtures >"$WORK/sptfy-dev.log" 2>&1 </dev/null &
DEV_PID=$!
ok=""
for _ in $(seq 1 300); do   # up to 60 s: a debug build's first start migrates and imports the schema
    if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT_B/api/health"; then ok=1; break; fi
    kill -0 "$DEV_PID" 2>/dev/null || break
    sleep 0.2
done
[ -n "$ok" ] || { tail -40 "$WORK/sptfy-dev.log" >&2; die "sptfy-dev did not start on port $PORT_B"; }

# In the background + wait: bash runs the INT/TERM trap (which stops both servers) only between commands,
# and `wait` returns as soon as a signal arrives, while a foreground child would delay it.
# shellcheck disable=SC2086  # DIFFTEST_ARGS is a deliberate word list
python3 "$SCRIPT_DIR/difftest/difftest.py" --a "http://127.0.0.1:$PORT_A" --b "http://127.0.0.1:$PORT_B" \
    --a-name pocketbase --b-name sptfy-dev --seed "$SEED" --requests "$REQUESTS" \
    --budget-seconds "$BUDGET" --email "$EMAIL" --password "$PASS" --report "$REPORT" --known "$KNOWN" ${DIFFTEST_ARGS:-} &
PY_PID=$!
rc=0
wait "$PY_PID" || rc=$?
PY_PID=""
echo "difftest.sh: report: $REPORT" >&2
exit "$rc"
