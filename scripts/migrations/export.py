#!/usr/bin/env python3
"""Helpers for reference-schema.sh (stdlib only).

  export.py collections URL EMAIL PASSWORD [--out FILE]
      GET URL/api/collections?perPage=500 as superuser -> canonical JSON (see canonical()).
  export.py migrations DATA_DIR [--out FILE]
      `file` column of DATA_DIR/data.db's _migrations, in the order applied, one per line.
  export.py dialect FILE...
      prints "v022 FILE" or "v023 FILE" per migration file, from the parameter name of the
      first `migrate((db) => ...)` / `migrate((app) => ...)` callback. Harness use only.
  export.py free-port LOW HIGH
      prints the first port in [LOW, HIGH] that 127.0.0.1 can bind.
  export.py wait-health URL SECONDS
      polls URL/api/health until 200.
  export.py confirm -- CMD...
      runs CMD in a pseudo terminal and answers its interactive (y/N) prompt with "y"
      (`pocketbase migrate down` / `migrate collections` refuse to run without a TTY).
"""
import json
import os
import re
import sqlite3
import sys
import time
import urllib.error
import urllib.request
import zlib

CLONE_ID = re.compile(r"^_clone_[A-Za-z0-9]{4}$")


def checksum_id(field):
    return "%s%d" % (field.get("type", ""), zlib.crc32(str(field.get("name", "")).encode()))


def canonical(items):
    """The 0.23 API shape, made stable:
    - collections sorted by name; object keys sorted; field order and index order kept;
    - `created`/`updated` dropped (the admin UI's export drops them too);
    - OAuth2 `clientSecret`s and token `secret`s dropped (the API already hides them);
    - view fields are re-derived from the query on every save and some get random ids:
      0.23 clones of source fields `_clone_XXXX` -> `_clone_*`; fields of a view last saved by
      v0.22 (8 random chars) -> `_random_*`. Checksum ids (type + crc32(name), e.g. the id
      field `text3208210256` or a computed column `json1148104827`) are kept."""
    out = []
    for c in items:
        c = dict(c)
        c.pop("created", None)
        c.pop("updated", None)
        for key, val in list(c.items()):
            if isinstance(val, dict) and "secret" in val:
                val = dict(val)
                val.pop("secret")
                c[key] = val
        if isinstance(c.get("oauth2"), dict):
            o = dict(c["oauth2"])
            o["providers"] = [{k: v for k, v in p.items() if k != "clientSecret"} for p in (o.get("providers") or [])]
            c["oauth2"] = o
        fields = []
        for f in c.get("fields") or []:
            f = dict(f)
            fid = str(f.get("id", ""))
            if c.get("type") == "view" and fid != checksum_id(f):
                f["id"] = "_clone_*" if CLONE_ID.match(fid) else "_random_*"
            fields.append(f)
        c["fields"] = fields
        out.append(c)
    out.sort(key=lambda c: c["name"])
    return json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def request(method, url, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", token)
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"null")


def write(text, out):
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


def opt_out(args):
    if "--out" in args:
        i = args.index("--out")
        return args[:i] + args[i + 2:], args[i + 1]
    return args, None


def cmd_collections(args):
    args, out = opt_out(args)
    base, email, password = args
    auth = request("POST", base + "/api/collections/_superusers/auth-with-password",
                   {"identity": email, "password": password})
    data = request("GET", base + "/api/collections?perPage=500", token=auth["token"])
    if data["totalItems"] != len(data["items"]):
        sys.exit("export.py: more collections than one page (%d)" % data["totalItems"])
    write(canonical(data["items"]), out)


def cmd_migrations(args):
    args, out = opt_out(args)
    (data_dir,) = args
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(data_dir, "data.db"), uri=True)
    rows = db.execute("SELECT file FROM _migrations ORDER BY applied, rowid").fetchall()
    write("".join(r[0] + "\n" for r in rows), out)


MIGRATE_CALL = re.compile(r"\bmigrate\s*\(\s*(?:function\s*)?\(\s*([A-Za-z_$][\w$]*)\s*\)")


def cmd_dialect(args):
    for path in args:
        with open(path, encoding="utf-8") as fh:
            m = MIGRATE_CALL.search(fh.read())
        name = m.group(1) if m else None
        if name == "db":
            print("v022", path)
        elif name == "app":
            print("v023", path)
        else:
            sys.exit("export.py: cannot tell the dialect of %s (migrate callback parameter %r)" % (path, name))


def cmd_free_port(args):
    import socket
    low, high = int(args[0]), int(args[1])
    for port in range(low, high + 1):
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            s.close()
        print(port)
        return
    sys.exit("export.py: no free port in %d-%d" % (low, high))


def cmd_wait_health(args):
    url, seconds = args[0], float(args[1])
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/api/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    sys.exit("export.py: %s/api/health did not answer 200 within %ss" % (url, seconds))


def cmd_confirm(args):
    import pty
    import select
    if args and args[0] == "--":
        args = args[1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(args[0], args)
    buf, answered, deadline = b"", False, time.time() + 300
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
        if b"\x1b[6n" in chunk:  # the prompt library asks for the cursor position
            os.write(fd, b"\x1b[1;1R")
        if not answered and b"(y/N)" in buf:
            time.sleep(0.2)
            os.write(fd, b"y\r")
            answered = True
    _, status = os.waitpid(pid, 0)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]|\r", "", buf.decode(errors="replace"))
    sys.stdout.write("\n".join(l for l in text.split("\n") if l.strip()) + "\n")
    sys.exit(os.waitstatus_to_exitcode(status))


COMMANDS = {
    "collections": cmd_collections,
    "migrations": cmd_migrations,
    "dialect": cmd_dialect,
    "free-port": cmd_free_port,
    "wait-health": cmd_wait_health,
    "confirm": cmd_confirm,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
