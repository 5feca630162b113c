#!/usr/bin/env python3
"""Many regions: the nightly batch on Ray against the same regions planned one after another.

Generates N regions (`fieldroute regions generate`), plans copies of them sequentially
(`fieldroute plan --time-limit S`, one process at a time) and through scripts/plan_regions.py on a
local Ray cluster, and prints both wall times. With --kill, one Ray worker is killed (SIGKILL) while
it plans; the benchmark then checks that its region ran once more, that no plan process outlived the
worker, and that every shard passes `fieldroute check` with exactly one plan.

    python3 Benchmarks/regions_batch.py --regions 8 --technicians 100 --visits 1500 --time-limit 60 --kill
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def plan_processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command line) of every running `fieldroute plan` on a task's copy."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            status = (entry / "status").read_text()
        except OSError:
            continue
        text = " ".join(part.decode(errors="replace") for part in command if part)
        if " plan " in f" {text} " and "/fieldroute-region-" in text:
            parent = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("PPid:"))
            found.append((int(entry.name), parent, text))
    return found


def alive(pid: int) -> bool:
    """True when `pid` runs; a zombie (killed, not yet reaped by its new parent) does not count."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return not any(line.startswith("State:") and "Z" in line.split()[1] for line in status.splitlines())


def killer(after: float, record: dict) -> None:
    """Waits `after` seconds, then kills the Ray worker running the first plan found."""
    time.sleep(after)
    while True:
        running = plan_processes()
        if running:
            pid, worker, text = running[0]
            record["region"] = next(p for p in text.split() if "/fieldroute-region-" in p).split("/")[-1][:-7]
            record["plan_pid"] = pid
            os.kill(worker, signal.SIGKILL)
            record["killed_at"] = time.monotonic()
            time.sleep(1)
            record["plan_survived"] = alive(pid)
            return
        time.sleep(0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regions", type=int, default=8)
    parser.add_argument("--technicians", type=int, default=100)
    parser.add_argument("--visits", type=int, default=1500)
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--bin", default=str(ROOT / ".build/release/fieldroute"))
    parser.add_argument("--cpus", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--kill", action="store_true", help="kill one Ray worker while it plans")
    parser.add_argument("--kill-after", type=float, default=20, help="seconds after the batch starts")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="regions-batch-"))
    try:
        base = work / "base"
        subprocess.run([args.bin, "regions", "generate", "--count", str(args.regions), "--technicians", str(args.technicians),
                        "--visits", str(args.visits), "--dir", str(base)], check=True, stdout=subprocess.DEVNULL)
        shards = sorted(base.glob("*.sqlite"))
        sequential, on_ray = work / "sequential", work / "ray"
        shutil.copytree(base, sequential)
        shutil.copytree(base, on_ray)
        print(f"{args.regions} regions × {args.technicians} technicians × {args.visits} visits, "
              f"--time-limit {args.time_limit:g}, {args.cpus} CPUs", flush=True)

        started = time.monotonic()
        costs = {}
        for shard in shards:
            out = subprocess.run([args.bin, "plan", "--db", str(sequential / shard.name), "--date", "2026-11-24",
                                  "--time-limit", str(args.time_limit), "--json"], check=True, capture_output=True, text=True)
            costs[shard.stem] = json.loads(out.stdout)["cost"]
        sequential_wall = time.monotonic() - started
        print(f"sequential: {sequential_wall:.1f} s, cost {sum(costs.values())}", flush=True)

        record: dict = {}
        if args.kill:
            threading.Thread(target=killer, args=(args.kill_after, record), daemon=True).start()
        started = time.monotonic()
        out = subprocess.run([sys.executable, str(ROOT / "scripts/plan_regions.py"), "--date", "2026-11-24",
                              "--time-limit", str(args.time_limit), "--bin", args.bin, "--cpus", str(args.cpus), "--json"]
                             + [str(on_ray / s.name) for s in shards], capture_output=True, text=True)
        ray_wall = time.monotonic() - started
        if out.returncode != 0:
            print(out.stderr, file=sys.stderr)
            return 1
        summary = json.loads(out.stdout)
        print(f"ray:        {ray_wall:.1f} s (driver says {summary['wall_seconds']} s for {summary['region_seconds']} s of "
              f"region work), cost {summary['cost']}; {sequential_wall / ray_wall:.2f}× faster", flush=True)
        attempts = {r["region"]: r["attempts"] for r in summary["results"]}
        if args.kill:
            print(f"killed the worker planning {record.get('region')} at {record.get('killed_at', 0) - started:.1f} s; "
                  f"its plan process {'SURVIVED' if record.get('plan_survived') else 'died with it'}; "
                  f"attempts: {attempts}", flush=True)
        for shard in shards:
            db = on_ray / shard.name
            check = subprocess.run([args.bin, "check", "--db", str(db)], capture_output=True, text=True)
            plans = sqlite3.connect(db).execute("SELECT count(*) FROM plan").fetchone()[0]
            print(f"  {shard.stem}: cost ray {summary['results'][shards.index(shard)]['cost']} / sequential "
                  f"{costs[shard.stem]}, attempts {attempts[shard.stem]}, plans {plans}, check exit {check.returncode}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
