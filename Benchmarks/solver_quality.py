#!/usr/bin/env python3
"""Solution quality of `fieldroute solve` against best-known solutions and other solvers.

Solves each instance with FieldRoute and, in the same run and with the same time limit, one at a
time and pinned to one core, with PyVRP 0.14.1, VROOM (pyvroom) and OR-Tools. Every solution is
recomputed by the one checker below (DIMACS convention: each arc is the Euclidean distance
truncated to one decimal, integers x10 inside; travel time equals distance), and a table of gaps to
the best-known solution is printed.

    python3 Benchmarks/solver_quality.py --set solomon --time-limit 5
    python3 Benchmarks/solver_quality.py --set gh1000 --time-limit 60 --instances '*_1' --solvers fieldroute,pyvrp
    python3 Benchmarks/solver_quality.py --set gh1000 --time-limit 60 --solvers fieldroute,pyvrp --cores 0,1

With several cores, instances are spread over them; on each core the solvers still take turns, so
no two ever share one.

The other solvers are pip-installed into Benchmarks/.venv on first use (PyPI only). Results are also
written as JSON to Benchmarks/results/.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import fnmatch
import json
import math
import os
import pathlib
import queue
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared" / "instances"
VENV = HERE / ".venv"
PACKAGES = ["pyvrp==0.14.1", "pyvroom", "ortools"]
ALL_SOLVERS = ["fieldroute", "pyvrp", "vroom", "ortools"]


# ---------------------------------------------------------------- instances and the one checker

class Instance:
    def __init__(self, name, x, y, demand, ready, due, service, capacity, vehicles):
        self.name, self.x, self.y = name, x, y
        self.demand, self.ready, self.due, self.service = demand, ready, due, service
        self.capacity, self.vehicles = capacity, vehicles
        n = len(x)
        self.d = [[int(math.sqrt((x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2) * 10) for j in range(n)] for i in range(n)]

    @property
    def n(self):
        return len(self.x)


def read_instance(path: pathlib.Path) -> Instance:
    text = path.read_text()
    if "NODE_COORD_SECTION" in text:
        return read_vrplib(path, text)
    lines = [l.split() for l in text.splitlines() if l.strip()]
    name = lines[0][0]
    k = next(i for i, l in enumerate(lines) if l[0].upper() == "VEHICLE")
    k = next(i for i in range(k, len(lines)) if lines[i][0].isdigit())
    vehicles, capacity = int(lines[k][0]), int(lines[k][1])
    rows = [list(map(float, l)) for l in lines[k + 1:] if l[0].isdigit() and len(l) == 7]
    return Instance(name, [r[1] for r in rows], [r[2] for r in rows], [int(r[3]) for r in rows],
                    [int(r[4]) for r in rows], [int(r[5]) for r in rows], [int(r[6]) for r in rows], capacity, vehicles)


def read_vrplib(path, text) -> Instance:
    headers, sections, current = {}, {}, None
    for line in text.splitlines():
        parts = line.split()
        if not parts or parts[0] == "EOF":
            continue
        if parts[0].endswith("_SECTION"):
            current = parts[0]; sections[current] = []; continue
        if ":" in line and not parts[0].lstrip("-").isdigit():
            key, value = line.split(":", 1); headers[key.strip().upper()] = value.strip(); current = None; continue
        sections[current].append(parts)
    n = int(headers["DIMENSION"])
    coords = {int(r[0]): (float(r[1]), float(r[2])) for r in sections["NODE_COORD_SECTION"]}
    demand = {int(r[0]): int(r[1]) for r in sections["DEMAND_SECTION"]}
    tw = {int(r[0]): (int(r[1]), int(r[2])) for r in sections["TIME_WINDOW_SECTION"]}
    service_all = int(headers.get("SERVICE_TIME", "0"))
    service = {int(r[0]): int(r[1]) for r in sections.get("SERVICE_TIME_SECTION", [])}
    ids = range(1, n + 1)
    return Instance(headers.get("NAME", path.stem), [coords[i][0] for i in ids], [coords[i][1] for i in ids],
                    [demand[i] for i in ids], [tw[i][0] for i in ids], [tw[i][1] for i in ids],
                    [0 if i == 1 else service.get(i, service_all) for i in ids],
                    int(headers["CAPACITY"]), int(headers.get("VEHICLES", n - 1)))


def check(inst: Instance, routes) -> tuple[bool, int, list[str]]:
    """Feasibility and distance in tenths, recomputed from scratch."""
    problems, seen, total = [], set(), 0
    if len(routes) > inst.vehicles:
        problems.append(f"{len(routes)} routes, fleet {inst.vehicles}")
    for route in routes:
        t, at, load = inst.ready[0] * 10, 0, 0
        for c in route:
            if not 1 <= c < inst.n or c in seen:
                problems.append(f"customer {c} invalid or repeated"); continue
            seen.add(c)
            t += inst.d[at][c]; total += inst.d[at][c]
            t = max(t, inst.ready[c] * 10)
            if t > inst.due[c] * 10:
                problems.append(f"customer {c} late")
            t += inst.service[c] * 10; load += inst.demand[c]; at = c
        t += inst.d[at][0]; total += inst.d[at][0]
        if t > inst.due[0] * 10:
            problems.append("route returns late")
        if load > inst.capacity:
            problems.append("capacity")
    missing = inst.n - 1 - len(seen)
    if missing:
        problems.append(f"{missing} customers missing")
    return not problems, total, problems


def bks_of(path: pathlib.Path) -> float | None:
    sol = path.with_suffix(".sol")
    if not sol.exists():
        sol = path.parent / "bks_solutions" / (path.stem + ".sol")
    if not sol.exists():
        return None
    for line in sol.read_text().splitlines():
        if line.lower().startswith("cost"):
            return float(line.split()[1])
    return None


# ---------------------------------------------------------------- solvers (each runs in a pinned child)

def solve_fieldroute(path, limit, seed):
    binary = ROOT / ".build" / "release" / "fieldroute"
    out = subprocess.run([str(binary), "solve", str(path), "--time-limit", str(limit), "--seed", str(seed), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["routes"]


def write_vrplib(inst: Instance, where: pathlib.Path):
    n = inst.n
    lines = [f"NAME : {inst.name}", "TYPE : VRPTW", f"DIMENSION : {n}", f"VEHICLES : {inst.vehicles}",
             f"CAPACITY : {inst.capacity}", "EDGE_WEIGHT_TYPE : EUC_2D", "NODE_COORD_SECTION"]
    lines += [f"{i + 1} {inst.x[i]:g} {inst.y[i]:g}" for i in range(n)]
    lines += ["DEMAND_SECTION"] + [f"{i + 1} {inst.demand[i]}" for i in range(n)]
    lines += ["TIME_WINDOW_SECTION"] + [f"{i + 1} {inst.ready[i]} {inst.due[i]}" for i in range(n)]
    lines += ["SERVICE_TIME_SECTION"] + [f"{i + 1} {inst.service[i]}" for i in range(n)]
    lines += ["DEPOT_SECTION", "1", "-1", "EOF"]
    where.write_text("\n".join(lines) + "\n")


def solve_pyvrp(path, limit, seed):
    import pyvrp
    from pyvrp.stop import MaxRuntime
    inst = read_instance(path)
    with tempfile.TemporaryDirectory() as tmp:
        vrp = pathlib.Path(tmp) / "i.vrp"
        write_vrplib(inst, vrp)
        data = pyvrp.read(str(vrp), round_func="dimacs")
    result = pyvrp.solve(data, stop=MaxRuntime(limit), seed=seed, display=False)
    # PyVRP 0.14 routes iterate as scheduled activities; a client activity's idx counts clients from 0,
    # so the location (customer number) is idx + the number of depots.
    return [[a.idx + data.num_depots for a in r if a.is_client()] for r in result.best.routes()]


def solve_vroom(path, limit, seed):
    import vroom
    inst = read_instance(path)
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=inst.d)
    problem.set_costs_matrix(profile="car", matrix_input=inst.d)
    for v in range(inst.vehicles):
        problem.add_vehicle(vroom.Vehicle(v + 1, start=0, end=0, capacity=[inst.capacity],
                                          time_window=vroom.TimeWindow(inst.ready[0] * 10, inst.due[0] * 10)))
    for c in range(1, inst.n):
        problem.add_job(vroom.Job(c, location=c, default_service=inst.service[c] * 10, delivery=[inst.demand[c]],
                                  time_windows=[vroom.TimeWindow(inst.ready[c] * 10, inst.due[c] * 10)]))
    solution = problem.solve(exploration_level=5, nb_threads=1, timeout=dt.timedelta(seconds=limit))
    routes = {}
    frame = solution.routes
    for vehicle, kind, job in zip(frame["vehicle_id"], frame["type"], frame["id"]):
        if kind == "job":
            routes.setdefault(int(vehicle), []).append(int(job))
    return [routes[v] for v in sorted(routes)]


def solve_ortools(path, limit, seed):
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    inst = read_instance(path)
    n, fleet = inst.n, inst.vehicles
    manager = pywrapcp.RoutingIndexManager(n, fleet, 0)
    routing = pywrapcp.RoutingModel(manager)
    dist = inst.d

    def arc(i, j):
        return dist[manager.IndexToNode(i)][manager.IndexToNode(j)]

    def time_cb(i, j):
        a = manager.IndexToNode(i)
        return inst.service[a] * 10 + dist[a][manager.IndexToNode(j)]

    arc_index = routing.RegisterTransitCallback(arc)
    routing.SetArcCostEvaluatorOfAllVehicles(arc_index)
    time_index = routing.RegisterTransitCallback(time_cb)
    horizon = inst.due[0] * 10
    routing.AddDimension(time_index, horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for c in range(1, n):
        time_dim.CumulVar(manager.NodeToIndex(c)).SetRange(inst.ready[c] * 10, inst.due[c] * 10)
    for v in range(fleet):
        time_dim.CumulVar(routing.Start(v)).SetRange(inst.ready[0] * 10, horizon)
        time_dim.CumulVar(routing.End(v)).SetRange(inst.ready[0] * 10, horizon)
    demand_index = routing.RegisterUnaryTransitCallback(lambda i: inst.demand[manager.IndexToNode(i)])
    routing.AddDimensionWithVehicleCapacity(demand_index, 0, [inst.capacity] * fleet, True, "load")
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(limit * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return []
    routes = []
    for v in range(fleet):
        index, route = routing.Start(v), []
        index = solution.Value(routing.NextVar(index))
        while not routing.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        if route:
            routes.append(route)
    return routes


SOLVERS = {"fieldroute": solve_fieldroute, "pyvrp": solve_pyvrp, "vroom": solve_vroom, "ortools": solve_ortools}


# ---------------------------------------------------------------- driver

def ensure_venv():
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {VENV} with {' '.join(PACKAGES)}…", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PACKAGES], check=True)
    return python


def run_child(python, solver, path, limit, seed, core):
    command = [str(python), __file__, "--worker", solver, "--instance", str(path), "--time-limit", str(limit),
               "--seed", str(seed)]
    if core is not None and shutil_which("taskset"):
        command = ["taskset", "-c", str(core)] + command
    started = time.monotonic()
    out = subprocess.run(command, capture_output=True, text=True, timeout=limit * 5 + 120)
    seconds = time.monotonic() - started
    if out.returncode != 0:
        return None, seconds, out.stderr.strip().splitlines()[-1:] or ["failed"]
    return json.loads(out.stdout)["routes"], seconds, []


def shutil_which(name):
    from shutil import which
    return which(name)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=["solomon", "gh1000"], default="solomon")
    parser.add_argument("--instances", default="*", help="glob on instance names, e.g. 'R1*' or '*_1'")
    parser.add_argument("--time-limit", type=float, default=5.0, help="seconds per instance and solver")
    parser.add_argument("--solvers", default=",".join(ALL_SOLVERS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cores", default="1",
                        help="CPU cores to use, e.g. 0,1: instances are spread over them, one solver per core at a time")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        routes = SOLVERS[args.worker](pathlib.Path(args.instance), args.time_limit, args.seed)
        print(json.dumps({"routes": routes}))
        return

    folder = SHARED / args.set
    if not folder.exists():
        sys.exit(f"{folder} not found: the shared reference instances sit beside the repository")
    suffix = ".txt" if args.set == "solomon" else ".vrp"
    paths = sorted(p for p in folder.glob("*" + suffix) if fnmatch.fnmatch(p.stem, args.instances))
    solvers = [s.strip() for s in args.solvers.split(",") if s.strip()]
    unknown = [s for s in solvers if s not in SOLVERS]
    if unknown:
        sys.exit(f"unknown solver(s) {unknown}; choose from {ALL_SOLVERS}")
    if "fieldroute" in solvers:
        print("building fieldroute (release)…", file=sys.stderr)
        subprocess.run(["swift", "build", "-c", "release", "--product", "fieldroute"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    python = ensure_venv() if any(s != "fieldroute" for s in solvers) else pathlib.Path(sys.executable)

    def solve_all(path, core):
        inst, bks = read_instance(path), bks_of(path)
        row = {"instance": path.stem, "bks": bks}
        for solver in solvers:
            routes, seconds, errors = run_child(python, solver, path, args.time_limit, args.seed, core)
            if routes is None:
                row[solver] = {"feasible": False, "distance": None, "gap": None, "seconds": seconds, "errors": errors}
            else:
                feasible, tenths, problems = check(inst, routes)
                distance = tenths / 10
                gap = (distance - bks) / bks * 100 if bks and feasible else None
                row[solver] = {"feasible": feasible, "distance": distance, "gap": gap, "vehicles": len(routes),
                               "seconds": round(seconds, 2), "errors": problems[:3]}
            cell = row[solver]
            print(f"{path.stem:10s} {solver:10s} core {core} " + (f"{cell['distance']:10.1f} gap {cell['gap']:+.2f} %"
                  if cell["gap"] is not None else f"infeasible {cell['errors']}"), file=sys.stderr)
        return row

    # One worker per core; each takes the next instance and runs every solver on it in turn, so no two
    # solvers ever share a core and every solver meets the same neighbours.
    cores = [int(c) for c in args.cores.split(",") if c.strip()]
    free = queue.Queue()
    for c in cores:
        free.put(c)

    def on_free_core(path):
        core = free.get()
        try:
            return solve_all(path, core)
        finally:
            free.put(core)

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(cores)) as pool:
        rows = list(pool.map(on_free_core, paths))

    print_table(rows, solvers, args)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    (out / f"{args.set}-{stamp}.json").write_text(json.dumps({"args": vars(args), "rows": rows}, indent=1))


def print_table(rows, solvers, args):
    print(f"\n{args.set}, {args.time_limit:g} s per instance and solver, seed {args.seed}, one core per solver"
          f" (cores {args.cores})\n")
    print("| instance | BKS | " + " | ".join(solvers) + " |")
    print("|---|---:|" + "---:|" * len(solvers))
    for row in rows:
        cells = []
        for s in solvers:
            c = row[s]
            cells.append(f"{c['gap']:+.2f} %" if c["gap"] is not None else "infeasible")
        print(f"| {row['instance']} | {row['bks']} | " + " | ".join(cells) + " |")
    groups = {}
    for row in rows:
        name = row["instance"]
        group = name.split("_")[0] if "_" in name else name[:-2]
        groups.setdefault(group, []).append(row)
    print("\nmean gap to BKS (infeasible counted separately)\n")
    print("| class | n | " + " | ".join(solvers) + " |")
    print("|---|---:|" + "---:|" * len(solvers))
    for group, members in sorted(groups.items()) + [("all", rows)]:
        cells = []
        for s in solvers:
            gaps = [m[s]["gap"] for m in members if m[s]["gap"] is not None]
            bad = len(members) - len(gaps)
            cell = f"{sum(gaps) / len(gaps):.2f} %" if gaps else "-"
            cells.append(cell + (f" ({bad} inf.)" if bad else ""))
        print(f"| {group} | {len(members)} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
