#!/usr/bin/env python3
"""The nightly plan of many regions on Ray: one task per region (shard), one CPU each.

A region is a shard: one SQLite file holding its technicians, bookings, plans and messages, with
nothing that refers to another file. `fieldroute plan --date D --db SHARD --json` is the unit of work
and its JSON answer the unit of result, so regions run side by side and nothing needs merging.

How a region is planned, so a shard is only ever replaced by a committed plan:

1. The driver takes a consistent snapshot of the shard (SQLite's backup API, so a WAL in use is
   folded in) and puts its bytes in Ray's object store: workers need no shared disk.
2. A task writes the bytes to its own temporary folder and runs `fieldroute plan` on that copy. The
   plan is one SQLite transaction: it commits whole or not at all. The child process is tied to the
   worker (PR_SET_PDEATHSIG): a killed worker leaves no plan running.
3. On exit 0 the task returns the planned copy (again as one backup). The driver checks that the
   shard did not change since its snapshot (a dispatcher's write would otherwise be lost), then
   copies the planned database into the shard with the backup API: one write transaction, never a
   file swapped under a WAL.
4. A region whose task failed (worker lost, exit 1) is run once more, after the first attempt has
   ended, so the same region never runs twice at once. Bad input (exit 2) is not retried.

Usage:
    python3 scripts/plan_regions.py --date 2026-11-24 --iterations 2000 --seed 1 shards/*.sqlite
    python3 scripts/plan_regions.py --date 2026-11-24 --time-limit 60 --address auto --json shards/*.sqlite

`--address auto` joins a running cluster (`ray start --head` on the head node, `ray start
--address HEAD:6379` on the others); without it a local cluster with `--cpus` CPUs is started. The
`fieldroute` binary must exist at the same path on every node (`--bin`).

Exit codes: 0 every region planned, 2 bad input (no shard was written), 3 some regions failed (the
others are planned; their shards and the summary say which).
"""
from __future__ import annotations

import argparse
import ctypes
import hashlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Test hook: a region named here crashes its worker (SIGKILL to itself) on the first attempt, while its
# plan runs. Tests and the benchmark use it to check the retry and that nothing is half-written.
CRASH_ONCE_ENV = "FIELDROUTE_BATCH_CRASH_ONCE"


class BadInput(Exception):
    """A problem with the arguments or the shards: nothing was written."""


def copy_database(source: str, dest: str) -> None:
    """Copies the database at `source` into `dest` with SQLite's backup API: all pages in one step,
    so `dest` changes in one write transaction and a WAL in use on either side is respected."""
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        writer = sqlite3.connect(dest, timeout=30)
        try:
            reader.backup(writer)
        finally:
            writer.close()
    finally:
        reader.close()


def snapshot(path: str) -> bytes:
    """The database at `path` as one self-contained file's bytes (WAL folded in)."""
    with tempfile.TemporaryDirectory(prefix="fieldroute-snap-") as folder:
        target = os.path.join(folder, "snap.sqlite")
        copy_database(path, target)
        return Path(target).read_bytes()


def restore(data: bytes, path: str) -> None:
    """Replaces the content of the database at `path` with `data`, in one write transaction."""
    with tempfile.TemporaryDirectory(prefix="fieldroute-restore-") as folder:
        planned = os.path.join(folder, "planned.sqlite")
        Path(planned).write_bytes(data)
        copy_database(planned, path)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def die_with_parent() -> None:
    """preexec_fn: the plan process gets SIGKILL when the worker that started it dies (Linux)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def plan_region(name: str, data: bytes, command: list[str], env: dict[str, str], attempt: int) -> dict:
    """Runs on a worker: plans a copy of the shard and returns the planned copy when it committed.
    `env` is added to the worker's environment (a joined cluster's workers do not inherit the driver's)."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"fieldroute-{name}-") as folder:
        db = os.path.join(folder, f"{name}.sqlite")
        Path(db).write_bytes(data)
        process = subprocess.Popen(command + ["--db", db], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   preexec_fn=die_with_parent, text=True, env={**os.environ, **env})
        if attempt == 1 and env.get(CRASH_ONCE_ENV) == name:
            time.sleep(0.3)
            os.kill(os.getpid(), signal.SIGKILL)
        out, err = process.communicate()
        result = {"exit": process.returncode, "seconds": round(time.monotonic() - started, 2),
                  "host": socket.gethostname(), "stderr": err.strip().splitlines()[-1:] if err.strip() else []}
        if process.returncode != 0:
            return result
        try:
            result["summary"] = json.loads(out)
        except json.JSONDecodeError as error:
            result["exit"] = 1
            result["stderr"] = [f"plan printed no JSON: {error}"]
            return result
        result["planned"] = snapshot(db)
        return result


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Plan many regions (one SQLite shard each) on Ray, one CPU per region.",
        epilog="Example: python3 scripts/plan_regions.py --date 2026-11-24 --iterations 2000 shards/*.sqlite")
    parser.add_argument("shards", nargs="+", help="shard files (one region each)")
    parser.add_argument("--date", required=True, help="local day to plan, yyyy-mm-dd")
    parser.add_argument("--seed", type=int, default=1, help="solver seed, the same for every region (default 1)")
    limit = parser.add_mutually_exclusive_group()
    limit.add_argument("--iterations", type=int, help="search iterations per region (reproducible)")
    limit.add_argument("--time-limit", type=float, help="seconds per region (default: fieldroute plan's)")
    parser.add_argument("--bin", default=None, help="fieldroute binary, the same path on every node "
                        "(default: fieldroute on PATH, else .build/release/fieldroute)")
    parser.add_argument("--address", default=None, help="Ray cluster to join ('auto' for the local node's); "
                        "default: start a local cluster")
    parser.add_argument("--cpus", type=int, default=os.cpu_count() or 1, help="CPUs of the local cluster")
    parser.add_argument("--summary", help="also write the JSON summary to this file")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    if args.iterations is not None and args.iterations <= 0:
        parser.error("--iterations wants a positive whole number")
    if args.time_limit is not None and not args.time_limit > 0:
        parser.error("--time-limit wants a positive number of seconds")
    if args.cpus <= 0:
        parser.error("--cpus wants a positive whole number")
    return args


def binary(requested: str | None) -> str:
    if requested:
        path = shutil.which(requested) or requested
    else:
        path = shutil.which("fieldroute") or str(Path(__file__).resolve().parent.parent / ".build/release/fieldroute")
    if not os.access(path, os.X_OK):
        raise BadInput(f"no fieldroute binary at {path}: build it (make release) or pass --bin")
    return os.path.abspath(path)


def regions(shards: list[str]) -> dict[str, str]:
    """Region name (the file's stem) → shard path; every shard exists, and none is listed twice."""
    named: dict[str, str] = {}
    seen: set[str] = set()
    for shard in shards:
        real = os.path.realpath(shard)
        if not os.path.isfile(real):
            raise BadInput(f"{shard}: no such shard")
        with open(real, "rb") as f:
            if f.read(16) != b"SQLite format 3\x00":
                raise BadInput(f"{shard}: not an SQLite database")
        name = Path(shard).stem
        if real in seen or name in named:
            raise BadInput(f"{shard}: region {name} is listed twice (one task per region)")
        seen.add(real)
        named[name] = real
    return named


def run(args: argparse.Namespace) -> dict:
    import ray  # imported here so --help works without Ray

    command = [binary(args.bin), "plan", "--date", args.date, "--seed", str(args.seed), "--json"]
    if args.iterations is not None:
        command += ["--iterations", str(args.iterations)]
    if args.time_limit is not None:
        command += ["--time-limit", str(args.time_limit)]
    shards = regions(args.shards)
    env = {k: os.environ[k] for k in ("FIELDROUTE_CHECK", CRASH_ONCE_ENV) if k in os.environ}

    started = time.monotonic()
    if args.address:
        ray.init(address=args.address, log_to_driver=False)
    else:
        ray.init(num_cpus=args.cpus, include_dashboard=False, log_to_driver=False)
    try:
        # max_retries=0: Ray must not re-run a task on its own (it could overlap with ours).
        task = ray.remote(num_cpus=1, max_retries=0)(plan_region)
        taken: dict[str, str] = {}
        pending: dict = {}
        for name, path in shards.items():
            data = snapshot(path)
            taken[name] = digest(data)
            ref = ray.put(data)
            pending[task.remote(name, ref, command, env, 1)] = (name, ref, 1)
        report: dict[str, dict] = {}
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            ref = done[0]
            name, data_ref, attempt = pending.pop(ref)
            try:
                result = ray.get(ref)
            except ray.exceptions.RayError as error:
                result = {"exit": None, "stderr": [f"{type(error).__name__}: {str(error).splitlines()[0]}"]}
            failure = None
            if result["exit"] != 0:
                failure = result["stderr"][0] if result["stderr"] else f"plan exited {result['exit']}"
                if result["exit"] != 2 and attempt == 1:
                    progress(f"{name}: attempt 1 failed ({failure}); running it once more")
                    pending[task.remote(name, data_ref, command, env, 2)] = (name, data_ref, 2)
                    continue
            else:
                if digest(snapshot(shards[name])) != taken[name]:
                    failure = "the shard changed while it was planned; not replaced (plan it again)"
                else:
                    restore(result.pop("planned"), shards[name])
            report[name] = entry(name, shards[name], result, attempt, failure)
            progress(line(report[name]))
    finally:
        ray.shutdown()
    return summary(args, report, shards, time.monotonic() - started)


def entry(name: str, path: str, result: dict, attempts: int, failure: str | None) -> dict:
    s = result.get("summary") or {}
    return {"region": name, "shard": path, "status": "failed" if failure else "planned", "attempts": attempts,
            "error": failure, "assigned": s.get("assigned") if not failure else None,
            "unassigned": len(s.get("unassigned", [])) if not failure else None,
            "cost": s.get("cost") if not failure else None, "feasible": s.get("feasible") if not failure else None,
            "seconds": result.get("seconds"), "host": result.get("host")}


def summary(args: argparse.Namespace, report: dict[str, dict], shards: dict[str, str], wall: float) -> dict:
    rows = [report[name] for name in shards]
    planned = [r for r in rows if r["status"] == "planned"]
    return {"date": args.date, "regions": len(rows), "planned": len(planned), "failed": len(rows) - len(planned),
            "visits_planned": sum(r["assigned"] for r in planned),
            "visits_unplanned": sum(r["unassigned"] for r in planned),
            "cost": sum(r["cost"] for r in planned), "wall_seconds": round(wall, 2),
            "region_seconds": round(sum(r["seconds"] or 0 for r in rows), 2), "results": rows}


def line(r: dict) -> str:
    if r["status"] == "failed":
        return f"{r['region']}: FAILED after {r['attempts']} attempt(s): {r['error']}"
    return (f"{r['region']}: planned {r['assigned']} visits, {r['unassigned']} not planned, cost {r['cost']} "
            f"({r['seconds']} s on {r['host']}, attempt {r['attempts']})")


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def render(s: dict) -> str:
    lines = [f"{s['date']}: {s['planned']} of {s['regions']} regions planned, {s['failed']} failed; "
             f"{s['visits_planned']} visits planned, {s['visits_unplanned']} not planned; cost {s['cost']}; "
             f"wall {s['wall_seconds']} s for {s['region_seconds']} s of region work"]
    lines += ["  " + line(r) for r in s["results"]]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = parse(argv)
    # Ray's own processes print to the driver's stdout; the summary alone goes there, Ray's lines to stderr.
    sys.stdout.flush()
    answer = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    try:
        result = run(args)
    except BadInput as error:
        print(f"plan_regions: {error}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as error:
        print(f"plan_regions: {error}; install Ray with: pip install ray", file=sys.stderr)
        return 2
    text = json.dumps(result, indent=2, sort_keys=True)
    if args.summary:
        Path(args.summary).write_text(text + "\n")
    print(text if args.json else render(result), file=answer, flush=True)
    return 0 if result["failed"] == 0 else 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
