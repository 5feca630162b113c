#!/usr/bin/env python3
"""The solver quality gate: fixed-seed, fixed-iteration solves compared with a committed baseline.

Each case of the baseline file is solved with `fieldroute solve FILE --iterations N --seed K` (the
release build), the answer is re-checked and its distance recomputed by the independent checker of
solver_quality.py, and the distance is compared with the baseline's. The gate fails (exit 1) when a
case is infeasible, leaves a customer out, or is worse than its baseline by more than the tolerance
(0.1 % unless the file or --tolerance says otherwise). A fixed seed and iteration count make every
figure exact: the same build gives the same distances on any machine, however loaded.

    make quality-gate                                        # Benchmarks/baseline.json, as CI runs it
    python3 Benchmarks/quality_gate.py --solve-arg=--average-removed=2    # a deliberately worse setting
    python3 Benchmarks/quality_gate.py --baseline mine.json --root ~/instances --update   # own instances

A baseline file:

    {"tolerancePercent": 0.1,
     "cases": [{"instance": "solomon/C101.txt", "seed": 1, "iterations": 10000, "distance": 827.3}]}

`instance` is relative to --root (default ../shared/instances beside the repository) unless absolute.
`--update` writes the distances just measured into the file (new cases may leave `distance` out);
commit that file only when a change made the solver better, or knowingly worse.

A table goes to stdout and JUnit XML to --junit (default Benchmarks/results/quality-gate.xml). Exit
0 when every case passes, 1 when one fails, 2 on bad input; when the instances are missing (a clone
without ../shared) every case is reported skipped and the exit is 0.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from solver_quality import bks_of, check, read_instance  # noqa: E402  (the one checker)

DEFAULT_TOLERANCE = 0.1


class Outcome:
    """One case's result: status is pass, fail or skip."""

    def __init__(self, case, status, distance=None, seconds=0.0, message="", feasible=False):
        self.case, self.status, self.distance, self.feasible = case, status, distance, feasible
        self.seconds, self.message = seconds, message

    @property
    def name(self):
        return f"{self.case['instance']} seed {self.case['seed']} × {self.case['iterations']}"


def load_baseline(path: pathlib.Path) -> dict:
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise SystemExit(f"quality gate: cannot read baseline {path}: {error}")
    cases = data.get("cases")
    if not isinstance(cases, list) or not cases:
        raise SystemExit(f"quality gate: {path}: wants a non-empty list \"cases\"")
    for k, case in enumerate(cases):
        where = f"{path}: cases[{k}]"
        if not isinstance(case, dict) or not isinstance(case.get("instance"), str):
            raise SystemExit(f"quality gate: {where}: wants an \"instance\" path")
        unknown = set(case) - {"instance", "seed", "iterations", "distance"}
        if unknown:
            raise SystemExit(f"quality gate: {where}: unknown keys {sorted(unknown)}")
        case.setdefault("seed", 1)
        for key, low, high in (("seed", 0, 2**63 - 1), ("iterations", 1, 10_000_000)):
            value = case.get(key)
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise SystemExit(f"quality gate: {where}: {key} wants a whole number in {low}…{high}, got {value!r}")
        distance = case.get("distance")
        if distance is not None and (not isinstance(distance, (int, float)) or isinstance(distance, bool)
                                     or not 0 < distance < 1e12):
            raise SystemExit(f"quality gate: {where}: distance wants a positive number, got {distance!r}")
    tolerance = data.get("tolerancePercent", DEFAULT_TOLERANCE)
    if not isinstance(tolerance, (int, float)) or not 0 <= tolerance <= 100:
        raise SystemExit(f"quality gate: {path}: tolerancePercent wants 0…100, got {tolerance!r}")
    return data


def judge(case: dict, distance: float, problems: list[str], tolerance: float, recording=False) -> tuple[str, str]:
    """pass or fail, and why: infeasible, or worse than the baseline by more than tolerance percent."""
    if problems:
        return "fail", "infeasible: " + "; ".join(problems[:3])
    base = case.get("distance")
    if base is None:
        return ("pass", "recorded") if recording else ("fail", "no baseline distance (run with --update to record one)")
    change = (distance - base) / base * 100
    # The checker's distances are tenths: compare in tenths so 0.1 % of an exact figure is exact.
    if round(distance * 10) > round(base * 10) and change > tolerance:
        return "fail", f"worse by {change:+.3f} % (tolerance {tolerance} %)"
    if change < 0:
        return "pass", f"better by {change:+.3f} %: --update to keep it"
    return "pass", "" if change == 0 else f"{change:+.3f} %"


def solve(binary: pathlib.Path, path: pathlib.Path, case: dict, extra: list[str]):
    command = [str(binary), "solve", str(path), "--iterations", str(case["iterations"]),
               "--seed", str(case["seed"]), "--json", *extra]
    started = time.monotonic()
    out = subprocess.run(command, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["no message"])[-1]
        return None, seconds, f"fieldroute solve exited {out.returncode}: {last[:200]}"
    return json.loads(out.stdout)["routes"], seconds, ""


def run_case(case: dict, root: pathlib.Path, binary: pathlib.Path, extra: list[str], tolerance: float,
             recording=False) -> Outcome:
    path = pathlib.Path(case["instance"])
    path = path if path.is_absolute() else root / path
    if not path.exists():
        return Outcome(case, "skip", message=f"{path} not found")
    routes, seconds, error = solve(binary, path, case, extra)
    if routes is None:
        return Outcome(case, "fail", seconds=seconds, message=error)
    inst = read_instance(path)
    feasible, tenths, problems = check(inst, routes)
    distance = tenths / 10
    status, message = judge(case, distance, problems, tolerance, recording)
    bks = bks_of(path)
    if bks:
        message = f"gap {(distance - bks) / bks * 100:+.2f} % to BKS" + (f"; {message}" if message else "")
    return Outcome(case, status, distance, seconds, message, feasible=not problems)


def print_table(outcomes: list[Outcome]):
    rows = [("case", "baseline", "now", "change", "s", "result")]
    for o in outcomes:
        base = o.case.get("distance")
        change = "" if base is None or o.distance is None else f"{(o.distance - base) / base * 100:+.3f} %"
        rows.append((o.name, "" if base is None else f"{base:.1f}", "" if o.distance is None else f"{o.distance:.1f}",
                     change, f"{o.seconds:.1f}", o.status.upper() + (f"  {o.message}" if o.message else "")))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        print("  ".join(r[i].ljust(widths[i]) if i == 0 else r[i].rjust(widths[i]) for i in range(5)) + "  " + r[5])


def junit(outcomes: list[Outcome], path: pathlib.Path):
    suite = ET.Element("testsuite", name="solver-quality-gate", tests=str(len(outcomes)),
                       failures=str(sum(o.status == "fail" for o in outcomes)),
                       skipped=str(sum(o.status == "skip" for o in outcomes)),
                       time=f"{sum(o.seconds for o in outcomes):.3f}")
    for o in outcomes:
        case = ET.SubElement(suite, "testcase", classname="quality-gate", name=o.name, time=f"{o.seconds:.3f}")
        if o.status == "fail":
            ET.SubElement(case, "failure", message=o.message).text = (
                f"baseline {o.case.get('distance')}, now {o.distance}")
        elif o.status == "skip":
            ET.SubElement(case, "skipped", message=o.message)
        elif o.message:
            ET.SubElement(case, "system-out").text = o.message
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("--baseline", type=pathlib.Path, default=HERE / "baseline.json")
    parser.add_argument("--root", type=pathlib.Path, default=ROOT.parent / "shared" / "instances",
                        help="directory the baseline's relative instance paths start from")
    parser.add_argument("--binary", type=pathlib.Path, default=ROOT / ".build" / "release" / "fieldroute")
    parser.add_argument("--tolerance", type=float, help="percent worse that still passes (default: the file's, 0.1)")
    parser.add_argument("--junit", type=pathlib.Path, default=HERE / "results" / "quality-gate.xml")
    parser.add_argument("--only", help="run only cases whose instance path contains this text")
    parser.add_argument("--solve-arg", action="append", default=[], metavar="ARG",
                        help="extra argument for every `fieldroute solve` (repeatable), e.g. --solve-arg=--average-removed=2")
    parser.add_argument("--update", action="store_true", help="write the measured distances into the baseline file")
    args = parser.parse_args(argv)

    data = load_baseline(args.baseline)
    tolerance = args.tolerance if args.tolerance is not None else data.get("tolerancePercent", DEFAULT_TOLERANCE)
    if not 0 <= tolerance <= 100:
        parser.error("--tolerance wants 0…100 percent")
    if not args.binary.exists():
        print(f"quality gate: {args.binary} not found; build it with `make release`", file=sys.stderr)
        return 2
    cases = [c for c in data["cases"] if not args.only or args.only in c["instance"]]
    if not cases:
        parser.error(f"--only {args.only!r} matches no case of {args.baseline}")
    outcomes = []
    for case in cases:
        print(f"… {case['instance']}", file=sys.stderr, flush=True)
        outcomes.append(run_case(case, args.root, args.binary, args.solve_arg, tolerance, args.update))
    print_table(outcomes)
    junit(outcomes, args.junit)
    failed = [o for o in outcomes if o.status == "fail"]
    skipped = [o for o in outcomes if o.status == "skip"]
    if skipped:
        print(f"quality gate: {len(skipped)} case(s) skipped, instances not found under {args.root} "
              f"(a clone without ../shared; pass --root)", file=sys.stderr)
    if args.update:
        for o in outcomes:
            if o.feasible:
                o.case["distance"] = o.distance
        args.baseline.write_text(json.dumps(data, indent=2) + "\n")
        print(f"quality gate: {args.baseline} updated", file=sys.stderr)
        return 0
    print(f"quality gate: {len(outcomes) - len(failed) - len(skipped)} passed, {len(failed)} failed, "
          f"{len(skipped)} skipped; JUnit XML in {args.junit}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
