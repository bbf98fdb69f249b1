#!/usr/bin/env python3
"""One cold start for scripts/bench.sh: run CMD, poll GET URL until 200, stop CMD (its whole process group).

usage: coldstart.py --url http://127.0.0.1:PORT/api/health [--timeout 60] [--log FILE] -- CMD [ARGS...]
Prints one JSON line: {"ms": time from exec to the first 200, "rss_kb": VmRSS right then}.
Exits 1 (and prints the log tail) when the server dies or is not healthy within --timeout seconds.
"""
import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def healthy(host, port, path):
    try:
        c = http.client.HTTPConnection(host, port, timeout=1)
        c.request("GET", path)
        ok = c.getresponse().status == 200
        c.close()
        return ok
    except OSError:
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--log", default=os.devnull)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    u = urllib.parse.urlsplit(a.url)
    with open(a.log, "ab") as log:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        ms, rss = None, None
        try:
            while time.monotonic() - t0 < a.timeout:
                if healthy(u.hostname, u.port, u.path or "/"):
                    ms = (time.monotonic() - t0) * 1000
                    rss = rss_kb(p.pid)
                    break
                if p.poll() is not None:
                    break
                time.sleep(0.002)
        finally:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
    if ms is None:
        sys.stderr.write(f"coldstart: {cmd[0]} not healthy at {a.url} (exit {p.returncode})\n")
        try:
            with open(a.log, "rb") as f:
                sys.stderr.write(f.read()[-3000:].decode("utf-8", "replace"))
        except OSError:
            pass
        return 1
    print(json.dumps({"ms": round(ms, 1), "rss_kb": rss}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
