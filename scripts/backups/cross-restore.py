#!/usr/bin/env python3
"""Cross-server backup restore: a backup made by one server restores in the other, both ways.

usage: cross-restore.py OURS_URL REFERENCE_URL  (superuser from SPTFY_DEV_SUPERUSER_EMAIL/PASSWORD, defaults as .env.example)

For each direction (reference → sptfy-dev, sptfy-dev → reference): create a user on the source, create a backup
there through the API, download it with a superuser file token, upload it to the target, restore it, wait until the
target serves the restored data (real PocketBase restarts its process), and check the user is there with the same id.
Prints one line per step; exits non-zero on the first failure.
"""
import json, os, random, string, sys, time, urllib.request, urllib.error, uuid

EMAIL = os.environ.get("SPTFY_DEV_SUPERUSER_EMAIL", "admin@sptfy.local")
PASSWORD = os.environ.get("SPTFY_DEV_SUPERUSER_PASSWORD", "sptfy-dev-password")


def call(method, url, body=None, token=None, headers=None, raw=None, timeout=60):
    h = dict(headers or {})
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    if token:
        h["Authorization"] = token
    req = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def login(base, deadline=60):
    end = time.time() + deadline
    while True:
        try:
            status, body = call("POST", base + "/api/collections/_superusers/auth-with-password", {"identity": EMAIL, "password": PASSWORD})
            if status == 200:
                return json.loads(body)["token"]
        except OSError:
            pass
        if time.time() > end:
            sys.exit(f"FAIL cannot log in to {base}")
        time.sleep(0.25)


def expect(cond, what):
    if not cond:
        sys.exit("FAIL " + what)
    print("ok  ", what)


def multipart(field, filename, content):
    boundary = "----sptfy" + uuid.uuid4().hex
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\nContent-Type: application/zip\r\n\r\n'
    return boundary, head.encode() + content + f"\r\n--{boundary}--\r\n".encode()


def direction(source, target, label):
    tag = "".join(random.choice(string.ascii_lowercase) for _ in range(8))
    su = login(source)
    status, body = call("POST", source + "/api/collections/users/records", {
        "username": f"xr_{tag}", "email": f"xr.{tag}@example.com", "password": "password123", "passwordConfirm": "password123"}, token=su)
    expect(status == 200, f"{label}: user created on the source ({status} {body[:200]!r})")
    user_id = json.loads(body)["id"]
    key = f"cross_{tag}.zip"
    status, body = call("POST", source + "/api/backups", {"name": key}, token=su, timeout=300)
    expect(status == 204, f"{label}: backup {key} created ({status} {body[:200]!r})")
    status, body = call("POST", source + "/api/files/token", {}, token=su)
    file_token = json.loads(body)["token"]
    status, archive = call("GET", source + f"/api/backups/{key}?token={file_token}", timeout=300)
    expect(status == 200 and archive[:4] == b"PK\x03\x04", f"{label}: downloaded ({len(archive)} bytes)")

    tsu = login(target)
    boundary, payload = multipart("file", key, archive)
    status, body = call("POST", target + "/api/backups/upload", raw=payload, token=tsu,
                        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}, timeout=300)
    expect(status == 204, f"{label}: uploaded to the target ({status} {body[:200]!r})")
    status, body = call("POST", target + f"/api/backups/{key}/restore", {}, token=tsu)
    expect(status == 204, f"{label}: restore accepted ({status} {body[:200]!r})")
    # The target swaps its data (PocketBase after ~1 s and a process restart): poll until the user is there.
    end = time.time() + 90
    while True:
        time.sleep(0.5)
        try:
            tsu = login(target)
            status, body = call("GET", target + f"/api/collections/users/records/{user_id}", token=tsu)
            if status == 200:
                break
        except SystemExit:
            raise
        except Exception:
            pass
        if time.time() > end:
            sys.exit(f"FAIL {label}: the restored user never appeared on the target")
    record = json.loads(body)
    expect(record["username"] == f"xr_{tag}", f"{label}: the target serves the source's data (user {user_id})")
    status, body = call("GET", target + "/api/health", token=tsu)
    expect(status == 200 and json.loads(body)["data"].get("canBackup") is True, f"{label}: target healthy after the restore")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    ours, reference = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/")
    direction(reference, ours, "reference → sptfy-dev")
    direction(ours, reference, "sptfy-dev → reference")
    print("cross-server backup restore: both directions passed")


if __name__ == "__main__":
    main()
