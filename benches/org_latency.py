#!/usr/bin/env python3
"""`crossconnect snapshot --org-role` of an organisation at AWS-like latency, measured against
the replay server (benches/replay), which is not limited the way moto is:

1. records one account's answers: a snapshot of a small estate in moto and the fixture server,
   through `replay record`;
2. serves them as an organisation of N accounts (`replay serve`): every call answered after
   LATENCY ms, concurrently, with per-account token buckets shaped like AWS's throttling;
3. prints, per size and number of regions (median of 3): wall time, calls, most in flight,
   CPU (user+sys) of the crossconnect process, CPU per call, peak RSS, throttled answers, the
   sends of DescribeConnections per account and region, and the exit code;
4. and one run of 50 accounts with one account's buckets exhausted: when the median account
   and the exhausted one were read whole.

    benches/org-latency.sh [SIZES...]      (default 1 50 500; needs ./.ci/run's venv)
    LATENCY_MS=60 REGIONS="1 4" benches/org-latency.sh
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from benchlib import BIN, KEYS, REGION, ROOT, Servers, build_estate, ensure_release_binary

REPLAY = os.path.join(ROOT, "target", "replay", "release", "replay")
SIZES = [int(a) for a in sys.argv[1:]] or [1, 50, 500]
LATENCY = int(os.environ.get("LATENCY_MS", "60"))
REGION_COUNTS = [int(r) for r in os.environ.get("REGIONS", "1 4").split()]
OTHER_REGIONS = ["us-east-1", "eu-west-1", "us-west-2"]
RUNS = int(os.environ.get("RUNS", "3"))


def start(args):
    p = subprocess.Popen([REPLAY, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(p.stdout.readline())
    return p, f"http://127.0.0.1:{port}"


def env_for(url):
    e = dict(os.environ)
    for k in list(e):
        if k.startswith("AWS_"):
            e.pop(k)
    e.update(KEYS)
    e.update({
        "AWS_ENDPOINT_URL": url,
        "AWS_REGION": REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    })
    return e


def record(tape):
    """One account's answers, recorded through the replay server in front of moto and the
    fixture server."""
    with Servers() as s:
        s.client("organizations").create_organization(FeatureSet="ALL")
        build_estate(s.client("ec2"), vpcs=2)
        proc, url = start(["record", "127.0.0.1:0", tape, s.moto,
                           f"directconnect={s.fixtures}", f"route53resolver={s.fixtures}",
                           f"route53profiles={s.fixtures}"])
        try:
            cmd = [BIN, "snapshot", "--region", REGION, "--format", "json"]
            p = subprocess.run(cmd, env=env_for(url), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if p.returncode != 0:
                raise SystemExit(f"recording failed ({p.returncode}): {p.stderr[-2000:]}")
        finally:
            proc.terminate()
            proc.wait()


def get(url, path, method="GET"):
    req = urllib.request.Request(url + path, method=method, data=b"" if method == "POST" else None)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"null") if path == "/__stats" else None


def run_once(url, regions):
    """One snapshot: wall seconds, CPU seconds, peak RSS in MB, exit code, server stats."""
    get(url, "/__reset", "POST")
    cmd = [BIN, "snapshot", "--org-role", "Reader", "--format", "json"]
    for r in regions:
        cmd += ["--region", r]
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env_for(url), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 2):
        raise SystemExit(f"snapshot failed ({code}): {err[-2000:]}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
        "code": code,
        "stderr": err,
        "stats": get(url, "/__stats"),
    }


def measure(tape, size, regions, extra=()):
    proc, url = start(["serve", "127.0.0.1:0", tape, "--accounts", str(size), "--latency-ms", str(LATENCY), *extra])
    try:
        runs = [run_once(url, regions) for _ in range(RUNS)]
    finally:
        proc.terminate()
        proc.wait()
    runs.sort(key=lambda r: r["wall"])
    return runs[len(runs) // 2], runs


def main():
    ensure_release_binary()
    with tempfile.TemporaryDirectory() as d:
        tape = os.path.join(d, "tape.jsonl")
        record(tape)
        print(f"latency {LATENCY} ms a call, median of {RUNS}, {os.cpu_count()} CPUs\n")
        print("| accounts | regions | wall | vs 1 account | round trips | calls | most in flight | CPU | CPU per call | peak RSS | throttled | DescribeConnections per account+region | exit |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        base = {}
        for n in REGION_COUNTS:
            regions = [REGION, *OTHER_REGIONS][:n]
            for size in SIZES:
                med, runs = measure(tape, size, regions)
                st = med["stats"]
                base.setdefault(n, med["wall"])
                dc = st["sent_per_scope"]["DescribeConnections"]
                per_call = med["cpu"] * 1000 / max(st["calls"], 1)
                print(f"| {size} | {n} | {med['wall'] * 1000:.0f} ms | {med['wall'] / base[n]:.1f}x "
                      f"| {med['wall'] * 1000 / LATENCY:.1f} | {st['calls']} | {st['peak_in_flight']} "
                      f"| {med['cpu'] * 1000:.0f} ms | {per_call:.3f} ms | {med['rss']:.0f} MB | {st['throttled']} "
                      f"| {dc['min']}–{dc['max']} over {dc['scopes']} | {'/'.join(str(r['code']) for r in runs)} |",
                      flush=True)
                if med["code"] != 0:
                    print("    " + med["stderr"].strip().splitlines()[-1][:300])
        if len(REGION_COUNTS) > 1:
            print()
        size = min(50, max(SIZES))
        exhausted = "200000000001"
        med, _ = measure(tape, size, [REGION], ["--exhaust", exhausted])
        st = med["stats"]
        done = st["done_ms"]
        others = sorted(v for k, v in done.items() if k != exhausted)
        print(f"{size} accounts, account {exhausted}'s buckets exhausted: others read by "
              f"{statistics.median(others)} ms (median) / {max(others)} ms (last); {exhausted} by "
              f"{done.get(exhausted, 'never')} ms; {st['throttled']} throttled answers; exit {med['code']}")


if __name__ == "__main__":
    main()
