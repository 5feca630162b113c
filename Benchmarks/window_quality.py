#!/usr/bin/env python3
"""Arrival windows on simulated days of the demo region, through the real CLI.

The demo region (Lyon, 8 technicians, 120 visits) is planned once per policy with a fixed iteration
budget (reproducible), then each seed is a different simulated day (`fieldroute simulate`: log-normal
travel and service times with a shared day factor, 5 % of legs twice as slow, 5 % of visits 80 % longer,
GPS every 5-30 s with noise and gaps; an early technician waits for the promised window) ingested live;
`fieldroute report windows --json` says how many service starts fell inside the window estimated at
each horizon and how wide the windows were. The learned model comes from `fieldroute learn` over
`--history-days` earlier simulated days (other seeds).

    python3 Benchmarks/window_quality.py                 # 30 days at the default policy + trade-off curve
    python3 Benchmarks/window_quality.py --days 10 --curve-days 5 --history-days 3
    python3 Benchmarks/window_quality.py --worlds model,noisy,rush-hour --curve-days 0

A world (`fieldroute simulate --world`) is how the simulated days stray from the plan, apart from
the model: `model` is the planner's priors, any other name is Fixtures/worlds/NAME.json (or a path).
History days and graded days come from the same world, with different seeds.

Widths: "median" is the median over days of each day's median width (p90 likewise); kept shares pool
every visit of every day.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
BINARY = pathlib.Path(os.environ.get("FIELDROUTE_BIN", ROOT / ".build" / "release" / "fieldroute"))
DAY = "2026-11-24"
HORIZONS = ["night_before", "start_of_day", "hour_before", "en_route"]


def run(*args: str) -> str:
    done = subprocess.run([str(BINARY), *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"fieldroute {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def planned_base(folder: pathlib.Path, coverage: float, max_window: int, uncertainty: str | None = None) -> pathlib.Path:
    demo = folder / "demo"
    if not demo.exists():
        run("demo", "--export", str(demo))
    db = folder / f"base-{coverage}-{max_window}-{'learned' if uncertainty else 'prior'}.sqlite"
    for suffix in ["", "-wal", "-shm"]:
        pathlib.Path(str(db) + suffix).unlink(missing_ok=True)
    run("init", "--db", str(db), "--region", "lyon", "--time-zone", "Europe/Paris")
    for kind in ["technicians", "shifts", "customers", "bookings"]:
        run("import", kind, str(demo / f"{kind}.csv"), "--db", str(db))
    if uncertainty:
        run("settings", "set", "uncertainty", uncertainty, "--db", str(db))
    plan = json.loads(run("plan", "--db", str(db), "--date", DAY, "--iterations", "3000", "--seed", "1",
                          "--window-coverage", str(coverage), "--max-window", str(max_window), "--json"))
    first = sum(t["firstVisitWaitMinutes"] for t in plan["technicians"])
    doors = sum(t["waitMinutes"] for t in plan["technicians"])
    print(f"plan at {coverage * 100:.0f} % / {max_window} min: {plan['assigned']} visits planned; waiting planned before first "
          f"visits {first:.1f} min in all, at every door {doors:.1f} min", file=sys.stderr)
    return db


def world_args(world: str | None) -> list[str]:
    if not world or world == "model":
        return []
    path = pathlib.Path(world) if world.endswith(".json") else ROOT / "Fixtures" / "worlds" / f"{world}.json"
    if not path.exists():
        sys.exit(f"no world {world}: expected {path}")
    return ["--world", str(path)]


def learn_from_history(folder: pathlib.Path, days: int, world: str | None = None) -> dict:
    """The demo's visits on `days` earlier dates (ids suffixed per day), each planned and simulated
    with its own seed in one database, then `fieldroute learn` over all of them."""
    demo = folder / "demo"
    if not demo.exists():
        run("demo", "--export", str(demo))
    db = folder / f"history-{pathlib.Path(world or 'model').stem}.sqlite"
    run("init", "--db", str(db), "--region", "lyon", "--time-zone", "Europe/Paris")
    for kind in ["technicians", "customers"]:
        run("import", kind, str(demo / f"{kind}.csv"), "--db", str(db))
    for k in range(days):
        day = f"2026-10-{k + 1:02d}"
        for kind in ["shifts", "bookings"]:
            lines = (demo / f"{kind}.csv").read_text().splitlines()
            rows = [lines[0]] + [line.replace(DAY, day).replace("B-", f"H{k}-B-", 1) if kind == "bookings" else line.replace(DAY, day)
                                 for line in lines[1:]]
            (folder / f"{kind}-{day}.csv").write_text("\n".join(rows) + "\n")
            run("import", kind, str(folder / f"{kind}-{day}.csv"), "--db", str(db))
        run("plan", "--db", str(db), "--date", day, "--iterations", "3000", "--seed", "1")
        run("simulate", "--db", str(db), "--date", day, "--seed", str(1000 + k), *world_args(world))
    return json.loads(run("learn", "--db", str(db), "--json"))["after"]


def simulate_days(base: pathlib.Path, folder: pathlib.Path, seeds: range, world: str | None = None) -> dict:
    totals = {h: {"visits": 0, "kept": 0.0, "keptOfDue": 0, "arrivals": 0, "arrivalKept": 0.0, "medians": [], "p90s": []}
              for h in HORIZONS}
    changes, waits, due, held = 0, [], 0, []
    for seed in seeds:
        db = folder / "day.sqlite"
        for suffix in ["", "-wal", "-shm"]:
            pathlib.Path(str(db) + suffix).unlink(missing_ok=True)
        shutil.copy(base, db)
        sim = json.loads(run("simulate", "--db", str(db), "--date", DAY, "--seed", str(seed), "--json", *world_args(world)))
        waits.append(sim["promiseWaitMinutes"])
        report = json.loads(run("report", "windows", "--db", str(db), "--from", DAY, "--to", DAY, "--json"))
        changes += report["windowChanges"]
        due += report["visitsDue"]
        if report.get("heldShare") is not None:
            held.append(report["heldShare"])
        for row in report["horizons"]:
            t = totals[row["horizon"]]
            t["visits"] += row["visits"]
            t["kept"] += row["kept"] * row["visits"]
            t["keptOfDue"] += row["keptOfDue"] * report["visitsDue"]
            t["arrivals"] += row["arrivals"]
            t["arrivalKept"] += (row.get("arrivalKept") or 0) * row["arrivals"]
            t["medians"].append(row["medianWidthMinutes"])
            t["p90s"].append(row["p90WidthMinutes"])
    return {"horizons": totals, "changes": changes, "days": len(seeds), "waits": waits, "due": due, "held": held}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--curve-days", type=int, default=10)
    parser.add_argument("--history-days", type=int, default=10, help="simulated days `learn` learns from")
    parser.add_argument("--worlds", default="model", help="comma-separated worlds: model, or Fixtures/worlds/NAME")
    args = parser.parse_args()
    worlds = [w.strip() for w in args.worlds.split(",") if w.strip()]
    for world in worlds:
        world_args(world)
    if not BINARY.exists() or "FIELDROUTE_BIN" not in os.environ:
        print("building fieldroute (release)…", file=sys.stderr)
        subprocess.run(["swift", "build", "-c", "release", "--product", "fieldroute"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp)
        # History: earlier simulated days of the same region teach the model (fieldroute learn); the
        # priors are the defaults.
        for world in worlds:
            learned = learn_from_history(folder, args.history_days, world)
            uncertainty = json.dumps({k: learned[k] for k in ["travelSigma", "serviceSigma", "daySigma", "slowLegs", "overruns",
                                                              "serviceSigmaByJobType", "travelFactorByHour"]})
            print(f"\nworld {world}: learned from {args.history_days} simulated days (seeds 1000-{999 + args.history_days}): {uncertainty}")
            for label, model in [("priors (no history)", None), ("after learn", uncertainty)]:
                base = planned_base(folder, 0.9, 60, model)
                result = simulate_days(base, folder, range(1, args.days + 1), world)
                table(f"World {world}, {result['days']} simulated days (seeds 1-{result['days']}), 90 % / at most 60 min, {label}",
                      result)

        if args.curve_days == 0:
            return
        print(f"\nTrade-off (night before, learned model), {args.curve_days} simulated days per point\n")
        print("| coverage target | max width | kept | median width (min) | p90 width (min) | wait per technician-day (min) |")
        print("|---:|---:|---:|---:|---:|---:|")
        for coverage, max_window in [(0.85, 60), (0.9, 45), (0.9, 60), (0.91, 60), (0.92, 60), (0.93, 60), (0.95, 60), (0.95, 90)]:
            base = planned_base(folder, coverage, max_window, uncertainty)
            r = simulate_days(base, folder, range(101, 101 + args.curve_days))
            t = r["horizons"]["night_before"]
            kept = t["kept"] / t["visits"] if t["visits"] else 0
            print(f"| {coverage * 100:.0f} % | {max_window} | {kept * 100:.1f} % | {statistics.median(t['medians']):.0f} | "
                  f"{statistics.median(t['p90s']):.0f} | {statistics.mean(r['waits']) / 8:.0f} |")


def table(title: str, result: dict) -> None:
    print(f"\n{title}\n")
    print("| horizon | visits measured | kept | kept of every visit due | arrival kept | median width (min) | p90 width (min) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for h in HORIZONS:
        t = result["horizons"][h]
        kept = t["kept"] / t["visits"] if t["visits"] else 0
        of_due = t["keptOfDue"] / result["due"] if result["due"] else 0
        arrival = t["arrivalKept"] / t["arrivals"] if t["arrivals"] else 0
        print(f"| {h} | {t['visits']} | {kept * 100:.1f} % | {of_due * 100:.1f} % of {result['due']} | {arrival * 100:.1f} % | "
              f"{statistics.median(t['medians']):.0f} | {statistics.median(t['p90s']):.0f} |")
    print(f"\ntold windows changed live: {result['changes']} over {result['days']} days; technicians waited for promised "
          f"windows {statistics.mean(result['waits']) / 8:.0f} min per technician-day (mean; 8 technicians); held at the door "
          f"before {statistics.mean(result['held']) * 100 if result['held'] else 0:.0f} % of visits")

if __name__ == "__main__":
    main()
