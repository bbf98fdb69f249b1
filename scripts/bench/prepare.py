#!/usr/bin/env python3
"""Data preparation for scripts/bench.sh (stdlib only).

  prepare.py topup  --url URL --token SUPERUSER_TOKEN --links N
      Tops random_short up to N links through the API (POST …/random_short/records with the Turnstile test token,
      as a superuser, 8 at a time). The extra links are deterministic (ids bxlnk0000000000…, slugs bench-000000…,
      no clicks), so two instances seeded with the same fixtures get the same ones. Idempotent.
  prepare.py dates  --db DATA_DB --fixtures FIXTURE_DB
      `created`/`updated` cannot be set through the API: copies them, by record id, from a data dir that
      `sptfy-dev serve --fixtures-scale S` loaded directly (the same fixture world), and spreads the extra bench
      links evenly over the 120 days before the fixtures' anchor. Run it on a stopped server.
  prepare.py keys   --db DATA_DB --out FILE
      Writes "id<TAB>slug" of every link (sorted by id): the keys the wrk scripts rotate over.
  prepare.py digest --db DATA_DB
      Prints a SHA-256 over the benchmark-relevant content (links, clicks, users, with their dates) to check
      that two data dirs hold the same data.
"""
import argparse
import concurrent.futures
import datetime
import hashlib
import json
import sqlite3
import sys
import urllib.error
import urllib.request

TOKEN = "XXXX.DUMMY.TOKEN.XXXX"
SUBDOMAINS = ["track", "playlist", "album", "artist", "sptfy.in", "podcast", "profile", "play"]
DAY = 86400.0
SPREAD_DAYS = 120.0


def http(method, url, token=None, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if token:
        req.add_header("Authorization", token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw or b"null")
        except ValueError:
            return e.code, raw.decode("utf-8", "replace")


def extra_link(i):
    return {
        "id": "bxlnk%010d" % i,
        "from": "https://open.spotify.com/track/bench%017d" % i,
        "id_url": "bench-%06d" % i,
        "subdomain": SUBDOMAINS[i % len(SUBDOMAINS)],
        "enable": True,
        "utm_view": 0,
        "user": "",
    }


def count_links(url, token, extra_only=False):
    q = "perPage=1"
    if extra_only:
        q += "&filter=" + urllib.request.quote("id~'bxlnk%'")
    status, body = http("GET", f"{url}/api/collections/random_short/records?{q}", token)
    if status != 200:
        sys.exit(f"prepare: counting links at {url}: HTTP {status} {body}")
    return body["totalItems"]


def topup(a):
    url = a.url.rstrip("/")
    total = count_links(url, a.token)
    existing_extra = count_links(url, a.token, extra_only=True)
    fixture_links = total - existing_extra
    want = max(a.links - fixture_links, 0)
    created = 0

    def create(i):
        status, body = http("POST", f"{url}/api/collections/random_short/records", a.token, extra_link(i), {"X-Turnstile-Token": TOKEN})
        if status == 200:
            return 1
        if status == 400 and isinstance(body, dict) and any(
            isinstance(v, dict) and v.get("code") == "validation_not_unique" for v in (body.get("data") or {}).values()
        ):
            return 0  # an earlier run made it
        raise RuntimeError(f"create bench link {i}: HTTP {status} {str(body)[:300]}")

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        for n in pool.map(create, range(want)):
            created += n
    print(f"topup {url}: {fixture_links} fixture links + {want} bench links wanted, {created} created now")


def dates(a):
    db = sqlite3.connect(a.db)
    db.execute("ATTACH DATABASE ? AS fx", (a.fixtures,))
    tables = [r[0] for r in db.execute("SELECT name FROM fx.sqlite_master WHERE type='table'")]
    report = {}
    with db:
        for t in ["users", "random_short", "analytics", "blocks", "random_short_dev", "testCollection", "_externalAuths"]:
            if t not in tables:
                continue
            cur = db.execute(
                f'UPDATE main."{t}" SET created = f.created, updated = f.updated FROM fx."{t}" AS f WHERE f.id = main."{t}".id'
            )
            report[t] = cur.rowcount
        # The fixtures' anchor (UTC midnight of their day): alice-track is created exactly 100 days before it.
        row = db.execute("SELECT created FROM fx.random_short WHERE id = 'fxlinkalice0001'").fetchone()
        if not row:
            sys.exit("prepare: fixture db has no fxlinkalice0001 (not a sptfy-dev fixture world?)")
        anchor = datetime.datetime.strptime(row[0], "%Y-%m-%d %H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp() + 100 * DAY
        extra = [r[0] for r in db.execute("SELECT id FROM main.random_short WHERE id LIKE 'bxlnk%' ORDER BY id")]
        for k, rid in enumerate(extra):
            ts = anchor - (k + 0.5) / len(extra) * SPREAD_DAYS * DAY
            d = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
            s = d.strftime("%Y-%m-%d %H:%M:%S.") + "%03dZ" % (d.microsecond // 1000)
            db.execute("UPDATE main.random_short SET created = ?, updated = ? WHERE id = ?", (s, s, rid))
        report["bench links"] = len(extra)
        left = db.execute(
            "SELECT (SELECT COUNT(*) FROM main.random_short WHERE id NOT LIKE 'bxlnk%' AND id NOT IN (SELECT id FROM fx.random_short)),"
            " (SELECT COUNT(*) FROM main.analytics WHERE id NOT IN (SELECT id FROM fx.analytics))"
        ).fetchone()
    db.execute("DETACH DATABASE fx")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"dates {a.db}: updated {json.dumps(report)}; without a fixture twin: {left[0]} links, {left[1]} clicks")
    if left[0] or left[1]:
        sys.exit("prepare: some records have no fixture twin (seeded with another scale/seed?)")


def copy(a):
    """Copies the fixture world's app rows into a data dir whose server made its own tables (schema import):
    the --big data set, where seeding a million clicks through PocketBase's API would take hours."""
    db = sqlite3.connect(a.db)
    db.execute("ATTACH DATABASE ? AS fx", (a.fixtures,))
    fx_tables = {r[0] for r in db.execute("SELECT name FROM fx.sqlite_master WHERE type='table'")}
    names = [r[0] for r in db.execute("SELECT name FROM main._collections WHERE type != 'view' AND name NOT LIKE '\\_%' ESCAPE '\\'")]
    report = {}
    with db:
        for t in names + ["_externalAuths"]:
            if t not in fx_tables:
                continue
            cols = [r[1] for r in db.execute(f'PRAGMA main.table_info("{t}")')]
            fx_cols = {r[1] for r in db.execute(f'PRAGMA fx.table_info("{t}")')}
            shared = ", ".join(f'"{c}"' for c in cols if c in fx_cols)
            db.execute(f'DELETE FROM main."{t}"')
            cur = db.execute(f'INSERT INTO main."{t}" ({shared}) SELECT {shared} FROM fx."{t}"')
            report[t] = cur.rowcount
    db.execute("DETACH DATABASE fx")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"copy {a.db}: {json.dumps(report)}")


def keys(a):
    db = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
    with open(a.out, "w") as f:
        for rid, slug in db.execute("SELECT id, id_url FROM random_short ORDER BY id"):
            f.write(f"{rid}\t{slug}\n")
    db.close()


def digest(a):
    db = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
    h = hashlib.sha256()
    counts = {}
    for name, q in [
        ("links", 'SELECT id, id_url, "from", subdomain, user, utm_view, enable, created FROM random_short ORDER BY id'),
        ("clicks", "SELECT id, author, utm_userAgent, utm_country, created FROM analytics ORDER BY id"),
        ("users", "SELECT id, username, email, onboarded, created FROM users ORDER BY id"),
    ]:
        n = 0
        for row in db.execute(q):
            h.update(repr(row).encode())
            n += 1
        counts[name] = n
    span = db.execute("SELECT MIN(created), MAX(created) FROM analytics").fetchone()
    db.close()
    print(json.dumps({"sha256": h.hexdigest()[:16], **counts, "clicks_from": span[0], "clicks_to": span[1]}))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("topup")
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--links", type=int, required=True)
    p = sub.add_parser("dates")
    p.add_argument("--db", required=True)
    p.add_argument("--fixtures", required=True)
    p = sub.add_parser("copy")
    p.add_argument("--db", required=True)
    p.add_argument("--fixtures", required=True)
    p = sub.add_parser("keys")
    p.add_argument("--db", required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("digest")
    p.add_argument("--db", required=True)
    a = ap.parse_args()
    {"topup": topup, "dates": dates, "copy": copy, "keys": keys, "digest": digest}[a.cmd](a)


if __name__ == "__main__":
    main()
