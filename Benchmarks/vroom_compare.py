#!/usr/bin/env python3
"""FieldRoute's VROOM JSON against real VROOM (pyvroom), on the same files, one core each.

Each Solomon instance of ../shared is converted to VROOM JSON (durations = DIMACS distances in
tenths, as solver_quality.py; services and windows in tenths; the fleet as vehicles with one
capacity), plus VROOM's own docs/example_2 (its matrix), plus two of them again with each VROOM key
Solomon lacks (breaks, max_tasks, pickups, speed_factor, costs with a fixed cost). VROOM solves each (exploration level 5, one
thread) and FieldRoute (`fieldroute solve FILE.json`) gets the same wall time; every FieldRoute
answer is then re-checked by VROOM's rules from its steps alone (each job once, arrivals from the
matrix, service inside a time window, vehicle time window, capacity, reported cost). Prints a
markdown table.

    python3 Benchmarks/vroom_compare.py                       # 20 Solomon instances + docs example 2
    python3 Benchmarks/vroom_compare.py --instances 'R1*' --min-time 2

pyvroom is pip-installed into Benchmarks/.venv on first use (PyPI).
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import pathlib
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from solver_quality import VENV, read_instance  # noqa: E402

DEFAULT = ["C101", "C102", "C105", "C106", "C201", "C202", "C205", "R101", "R102", "R105", "R109", "R110", "R201", "R202",
           "R205", "RC101", "RC102", "RC105", "RC201", "RC202"]
EXAMPLE_2 = {"vehicles": [{"id": 0, "start_index": 0, "end_index": 3}],
             "jobs": [{"id": 1414, "location_index": 1}, {"id": 1515, "location_index": 2}],
             "matrix": [[0, 2104, 197, 1299], [2103, 0, 2255, 3152], [197, 2256, 0, 1102], [1299, 3153, 1102, 0]]}


def to_vroom(path: pathlib.Path) -> dict:
    inst = read_instance(path)
    vehicles = [{"id": k, "start_index": 0, "end_index": 0, "capacity": [inst.capacity],
                 "time_window": [inst.ready[0] * 10, inst.due[0] * 10]} for k in range(inst.vehicles)]
    jobs = [{"id": c, "location_index": c, "service": inst.service[c] * 10, "delivery": [inst.demand[c]],
             "time_windows": [[inst.ready[c] * 10, inst.due[c] * 10]]} for c in range(1, inst.n)]
    return {"vehicles": vehicles, "jobs": jobs, "matrices": {"car": {"durations": inst.d}}}


def variants(name: str, problem: dict) -> list[tuple[str, dict]]:
    """The VROOM keys beyond Solomon's, each on a copy of one instance: a morning and a lunch break per vehicle,
    max_tasks, pickups instead of deliveries, a speed factor, and a costs matrix (distances ×
    1.5, rounded) with a fixed cost per vehicle."""
    horizon = problem["vehicles"][0]["time_window"]
    middle = (horizon[0] + horizon[1]) // 2
    out = []
    with_breaks = json.loads(json.dumps(problem))
    for v in with_breaks["vehicles"]:
        v["breaks"] = [{"id": 2 * v["id"] + 1, "time_windows": [[middle - 600, middle + 600]], "service": 300},
                       {"id": 2 * v["id"] + 2, "time_windows": [[horizon[0] + 600, middle - 1200]], "service": 100}]
    out.append((f"{name} + breaks", with_breaks))
    tasks = json.loads(json.dumps(problem))
    for v in tasks["vehicles"]:
        del v["capacity"]
        v["max_tasks"] = 8
    for j in tasks["jobs"]:
        del j["delivery"]
    out.append((f"{name} + max_tasks 8", tasks))
    pickups = json.loads(json.dumps(problem))
    for j in pickups["jobs"]:
        j["pickup"] = j.pop("delivery")
    out.append((f"{name} pickups", pickups))
    fast = json.loads(json.dumps(problem))
    for v in fast["vehicles"]:
        v["speed_factor"] = 1.5
    out.append((f"{name} + speed_factor 1.5", fast))
    costed = json.loads(json.dumps(problem))
    durations = costed["matrices"]["car"]["durations"]
    costed["matrices"]["car"]["costs"] = [[round(d * 1.5) for d in row] for row in durations]
    for v in costed["vehicles"]:
        v["costs"] = {"fixed": 1000}
    out.append((f"{name} + costs, fixed 1000", costed))
    return out


def check(problem: dict, answer: dict) -> list[str]:
    """VROOM's rules, from the answer's steps alone: each job once, arrivals from the matrix (in
    hundredths of a second with a speed factor, as VROOM reckons; an arrival may then be later than
    VROOM's, never earlier), a break taken on the way (the leg driven while waiting for its window),
    service inside a time window, the vehicle's window, capacity (deliveries or pickups), max_tasks,
    and the reported cost (the costs matrix's legs, else durations, plus fixed costs)."""
    matrices = problem.get("matrices", {}).get("car", {})
    durations = matrices.get("durations") or problem["matrix"]
    costs = matrices.get("costs")
    jobs = {j["id"]: j for j in problem["jobs"]}
    vehicles = {v["id"]: v for v in problem["vehicles"]}
    problems, seen, cost = [], set(), 0
    for route in answer["routes"]:
        v = vehicles[route["vehicle"]]
        window = [w * 100 for w in v.get("time_window", [0, 2 ** 40])]
        scale = round(100 / v.get("speed_factor", 1))
        breaks = {b["id"]: b for b in v.get("breaks", [])}
        at, t, load, tasks, rests = v.get("start_index"), None, 0, 0, []
        capacity = (v.get("capacity") or [2 ** 62])[0]
        route_cost = v.get("costs", {}).get("fixed", 0)
        for step in route["steps"]:
            if step["type"] == "start":
                t = step["arrival"] * 100
                if t < window[0]:
                    problems.append(f"vehicle {v['id']} leaves before its window")
                continue
            if step["type"] == "break":
                b = breaks.get(step["id"])
                start = step["arrival"] * 100
                if b is None or not any(w[0] * 100 <= start <= w[1] * 100 for w in b["time_windows"]) or (t is not None and start < t):
                    problems.append(f"vehicle {v['id']}: break {step['id']} at {step['arrival']} outside its window")
                rests.append((start, b.get("service", 0) * 100 if b else 0))
                continue
            to = step["location_index"]
            leg = durations[at][to] * scale if at is not None else 0
            route_cost += (costs[at][to] if costs else durations[at][to]) if at is not None else 0
            if t is None:
                t = step["arrival"] * 100
            else:
                driven = 0
                for start, length in rests:  # each break on this leg: drive while waiting for it
                    driven += min(leg - driven, max(0, start - t))
                    t = start + length
                t += leg - driven
            rests = []
            if scale == 100 and step["arrival"] * 100 != t:
                problems.append(f"vehicle {v['id']}: arrival {step['arrival']} at {to}, recomputed {t // 100}")
            if scale != 100 and step["arrival"] * 100 < t:
                problems.append(f"vehicle {v['id']}: arrival {step['arrival']} at {to} before VROOM's {t / 100}")
            if step["type"] == "job":
                j = jobs[step["id"]]
                if step["id"] in seen:
                    problems.append(f"job {step['id']} twice")
                seen.add(step["id"])
                tasks += 1
                windows = j.get("time_windows") or [[0, 2 ** 40]]
                start = min((max(t, w[0] * 100) for w in windows if max(t, w[0] * 100) <= w[1] * 100), default=None)
                if start is None:
                    problems.append(f"job {step['id']} starts after its windows")
                    start = t
                t = start + j.get("service", 0) * 100
                load += (j.get("delivery") or j.get("amount") or j.get("pickup") or [0])[0]
            elif step["type"] == "end" and t > window[1]:
                problems.append(f"vehicle {v['id']} ends after its window")
            at = to
        if load > capacity:
            problems.append(f"vehicle {v['id']} carries {load} > {capacity}")
        if tasks > v.get("max_tasks", 2 ** 62):
            problems.append(f"vehicle {v['id']} serves {tasks} jobs > max_tasks {v['max_tasks']}")
        if route_cost != route["cost"] and "speed_factor" not in v:
            problems.append(f"vehicle {v['id']}: reported cost {route['cost']}, recomputed {route_cost}")
        cost += route["cost"]
    unassigned = {u["id"] for u in answer["unassigned"]}
    if seen | unassigned != set(jobs) or seen & unassigned:
        problems.append("jobs missing or both assigned and unassigned")
    if cost != answer["summary"]["cost"]:
        problems.append(f"reported cost {answer['summary']['cost']}, the routes' {cost}")
    return problems


def ensure_vroom() -> pathlib.Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    if subprocess.run([str(python), "-c", "import vroom"], capture_output=True).returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "pyvroom"], check=True)
    return python


VROOM_CHILD = """
import json, sys, time, vroom
problem = vroom.Input.from_json(sys.argv[1])
started = time.monotonic()
solution = problem.solve(exploration_level=5, nb_threads=1)
seconds = time.monotonic() - started
print(json.dumps({"cost": int(solution.summary.cost), "unassigned": int(solution.summary.unassigned), "seconds": seconds}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", default=",".join(DEFAULT), help="comma-separated names or patterns of ../shared Solomon files")
    parser.add_argument("--min-time", type=float, default=1.0, help="least seconds FieldRoute gets (VROOM's time if longer)")
    parser.add_argument("--binary", type=pathlib.Path, default=ROOT / ".build" / "release" / "fieldroute")
    parser.add_argument("--core", default="0", help="CPU to pin both solvers to, in turn (taskset)")
    parser.add_argument("--variants", default="C101,R201", help="instances also run with breaks, max_tasks, pickups, a speed "
                        "factor, and costs with a fixed cost (comma-separated; empty: none)")
    args = parser.parse_args()
    solomon = ROOT.parent / "shared" / "instances" / "solomon"
    if not solomon.exists():
        print(f"skipped: {solomon} not found (a clone without ../shared)", file=sys.stderr)
        return 0
    if not args.binary.exists():
        print(f"{args.binary} not found: make release", file=sys.stderr)
        return 2
    python = ensure_vroom()
    names = [p.stem for p in sorted(solomon.glob("*.txt"))
             if any(fnmatch.fnmatch(p.stem, pat.strip()) for pat in args.instances.split(","))]
    print("| problem | VROOM cost | VROOM unassigned | VROOM s | FieldRoute cost | FieldRoute unassigned | FieldRoute s | FieldRoute vs VROOM | feasible by VROOM's rules |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        problems = [("docs example_2", EXAMPLE_2)] + [(n, to_vroom(solomon / f"{n}.txt")) for n in names]
        if args.variants:
            problems += [p for n in args.variants.split(",") for p in variants(n.strip(), to_vroom(solomon / f"{n.strip()}.txt"))]
        for name, problem in problems:
            file = pathlib.Path(tmp) / f"{name.replace(' ', '_')}.json"
            file.write_text(json.dumps(problem))
            pin = ["taskset", "-c", args.core]
            v = json.loads(subprocess.run([*pin, str(python), "-c", VROOM_CHILD, str(file)], capture_output=True, text=True,
                                          check=True).stdout)
            limit = max(args.min_time, round(v["seconds"], 1))
            started = time.monotonic()
            out = subprocess.run([*pin, str(args.binary), "solve", str(file), "--time-limit", str(limit), "--seed", "1"],
                                 capture_output=True, text=True)
            seconds = time.monotonic() - started
            if out.returncode != 0:
                print(f"| {name} | {v['cost']} | {v['unassigned']} | {v['seconds']:.1f} | error: {out.stderr.strip()[:80]} | | | | |")
                failures += 1
                continue
            answer = json.loads(out.stdout)
            problems_found = check(problem, answer)
            failures += bool(problems_found)
            s = answer["summary"]
            ratio = f"{(s['cost'] - v['cost']) / v['cost'] * 100:+.2f} %" if v["cost"] else "="
            print(f"| {name} | {v['cost']} | {v['unassigned']} | {v['seconds']:.1f} | {s['cost']} | {s['unassigned']} | {seconds:.1f} | "
                  f"{ratio} | {'yes' if not problems_found else '; '.join(problems_found[:2])} |", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
