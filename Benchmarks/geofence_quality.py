#!/usr/bin/env python3
"""Geofence triggers on real GPS traces (../shared/gps), through the real CLI.

Each trace becomes a technician; fences and pings are written as the files users would import;
`fieldroute pings ingest` runs the detector; `fieldroute events list --json` gives the events.

1. Delivery agents (amazon_delivery_activity, 5 s, labelled Driving / OnFoot): a site fence (50 m, as `plan` makes)
   at each labelled stop (where the agent is on foot). A stop is detected when a `dwell` ("arrived")
   event at its fence falls inside the stop. Precision: dwell events that match a stop; recall: every
   complete stop (not cut by the 6-minute chunk edges) that got one, whatever its length — also by
   length (under 30 s, 30–60 s, 60 s and more) and how many were seen only after the stop had ended;
   delay: when the detector saw the arrival minus the labelled start of the stop.
2. Cars (kubicka2015 and newson_krumm2009, 1 s): fences of 50 m on the route where the car drives
   through, fences beside the route (centre 100 m off), and fences where the car really stands still
   for two minutes or more. Flaps: any event at a drive-by fence, and enter → exit → enter within 60 s
   at a stop fence. Target: zero. Drive-by fences where the car stood still for 10 s or more (a red
   light, a queue) are reported apart: a stay there is not a mere drive-by.

    python3 Benchmarks/geofence_quality.py            # both, prints a table
    python3 Benchmarks/geofence_quality.py --traces=even   # half the delivery traces (tune on one, report on the other)
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
GPS = ROOT.parent / "shared" / "gps"
BINARY = pathlib.Path(os.environ.get("FIELDROUTE_BIN", ROOT / ".build" / "release" / "fieldroute"))
M_PER_DEG = 111_195.0
EPOCH_2026 = 1_795_500_000  # traces have no real dates: shift them into late 2026
MIN_DWELL = 60
# --traces even|odd|all: tune a detector on one half of the delivery traces, report on the other.
SPLIT = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--traces=")), "all")
SITE_RADIUS = float(os.environ.get("SITE_RADIUS", 50))  # the radius `plan` gives site fences


def run(*args):
    out = subprocess.run([str(BINARY), *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"fieldroute {' '.join(args)} failed: {out.stderr.strip()}")
    return out.stdout


def detect(techs: dict, fences: list, pings: list, db: pathlib.Path):
    """techs: id -> (lat, lon); fences: (id, lat, lon, radius); pings: (tech, t, lat, lon)."""
    folder = db.parent
    (folder / "techs.csv").write_text("id,name,start_lat,start_lon\n" + "".join(
        f"{t},{t},{lat:.7f},{lon:.7f}\n" for t, (lat, lon) in techs.items()))
    features = [{"type": "Feature", "id": f, "properties": {"kind": "site", "radius": r},
                 "geometry": {"type": "Point", "coordinates": [lon, lat]}} for f, lat, lon, r in fences]
    (folder / "fences.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    pings.sort(key=lambda p: (p[0], p[1]))
    (folder / "pings.csv").write_text("technician,timestamp,lat,lon\n" + "".join(
        f"{t},{s},{lat:.7f},{lon:.7f}\n" for t, s, lat, lon in pings))
    run("init", "--db", str(db), "--region", "bench")
    run("import", "technicians", str(folder / "techs.csv"), "--db", str(db))
    run("import", "fences", str(folder / "fences.geojson"), "--db", str(db))
    summary = json.loads(run("pings", "ingest", str(folder / "pings.csv"), "--db", str(db), "--batch", "50000", "--json"))
    events = json.loads(run("events", "list", "--db", str(db), "--json"))
    return summary, events


def delivery():
    rows = list(csv.DictReader(open(GPS / "amazon_delivery_activity" / "trajectories.csv")))
    traces = defaultdict(list)
    for r in rows:
        t = dt.datetime.fromisoformat(r["timestamp"][:26]).replace(tzinfo=dt.timezone.utc).timestamp()
        traces[r["trajectory_id"]].append((t, float(r["x_m"]), float(r["y_m"]), r["label"]))
    base = min(p[0] for tr in traces.values() for p in tr)
    techs, fences, pings, stops = {}, [], [], []
    for number, (trace_id, points) in enumerate(sorted(traces.items())):
        if SPLIT != "all" and number % 2 != (0 if SPLIT == "even" else 1):
            continue
        points.sort()
        tech = f"A{trace_id}"
        # Relative metres → degrees; each chunk gets its own origin, 20+ km from every other, so no
        # technician meets another's fences.
        origin_lat, origin_lon = 45 + (number // 25) * 0.2, 5 + (number % 25) * 0.3

        def geo(x, y, origin_lat=origin_lat, origin_lon=origin_lon):
            return origin_lat + y / M_PER_DEG, origin_lon + x / (M_PER_DEG * math.cos(math.radians(origin_lat)))
        techs[tech] = geo(points[0][1], points[0][2])
        for t, x, y, _ in points:
            lat, lon = geo(x, y)
            pings.append((tech, int(round(t - base)) + EPOCH_2026, lat, lon))
        k = 0
        while k < len(points):
            if points[k][3] != "OnFoot":
                k += 1; continue
            j = k
            while j + 1 < len(points) and points[j + 1][3] == "OnFoot":
                j += 1
            segment = points[k:j + 1]
            lat, lon = geo(statistics.median(p[1] for p in segment), statistics.median(p[2] for p in segment))
            fence = f"{tech}-stop{len(stops)}"
            complete = k > 0 and j < len(points) - 1
            start, end = int(round(segment[0][0] - base)) + EPOCH_2026, int(round(segment[-1][0] - base)) + EPOCH_2026
            fences.append((fence, lat, lon, SITE_RADIUS))
            stops.append({"fence": fence, "start": start, "end": end, "complete": complete})
            k = j + 1
    with tempfile.TemporaryDirectory() as tmp:
        summary, events = detect(techs, fences, pings, pathlib.Path(tmp) / "d.sqlite")
    by_fence = {s["fence"]: s for s in stops}
    dwell = [e for e in events if e["kind"] == "dwell"]
    matched, delays = set(), []
    good = 0
    for e in dwell:
        s = by_fence.get(e["fence"])
        if s and s["start"] - 60 <= e["timestamp"] <= s["end"]:
            good += 1
            if s["fence"] not in matched and s["complete"]:
                delays.append(e["detectedAt"] - s["start"])
            matched.add(s["fence"])
    complete = [s for s in stops if s["complete"]]
    recall = sum(1 for s in complete if s["fence"] in matched) / max(1, len(complete))
    buckets = {}
    for name, low, high in [("< 30 s", 0, 30), ("30–60 s", 30, 60), ("≥ 60 s", 60, 10 ** 9)]:
        group = [s for s in complete if low <= s["end"] - s["start"] < high]
        buckets[name] = (len(group), sum(1 for s in group if s["fence"] in matched))
    seen_during = {e["fence"] for e in dwell if by_fence.get(e["fence"]) and e["detectedAt"] <= by_fence[e["fence"]]["end"]}
    late = sum(1 for s in complete if s["fence"] in matched and s["fence"] not in seen_during)
    precision = good / max(1, len(dwell))
    return {"traces": len(techs), "pings": summary["rows"], "stops_labelled": len(stops), "buckets": buckets, "late": late,
            "stops_complete": len(complete), "dwell_events": len(dwell), "precision": precision, "recall": recall,
            "median_delay_s": statistics.median(delays) if delays else None,
            "p90_delay_s": sorted(delays)[int(0.9 * (len(delays) - 1))] if delays else None}


def cars():
    traces = defaultdict(list)
    for r in csv.DictReader(open(GPS / "kubicka2015_mapmatching" / "tracks.csv")):
        traces["K" + r["track_id"]].append((float(r["t_s"]), float(r["lat"]), float(r["lon"])))
    seattle = list(csv.DictReader(open(GPS / "newson_krumm2009_seattle" / "gps_data.csv")))
    t0 = dt.datetime.fromisoformat(seattle[0]["timestamp_utc"].replace("Z", "+00:00")).timestamp()
    traces["Seattle"] = [(dt.datetime.fromisoformat(r["timestamp_utc"].replace("Z", "+00:00")).timestamp() - t0,
                          float(r["lat"]), float(r["lon"])) for r in seattle]
    techs, fences, pings = {}, [], []
    kinds = {}
    offset = 0
    for tech, points in traces.items():
        points.sort()
        techs[tech] = (points[0][1], points[0][2])
        for t, lat, lon in points:
            pings.append((tech, int(round(t)) + EPOCH_2026 + offset, lat, lon))
        # Fences: drive-through (on the route) and beside it, every ~150 points while moving fast.
        def metres(a, b):
            dy = (b[1] - a[1]) * M_PER_DEG
            dx = (b[2] - a[2]) * M_PER_DEG * math.cos(math.radians(a[1]))
            return math.hypot(dx, dy)
        k = 20
        while k < len(points) - 20:
            a, b = points[k - 10], points[k + 10]
            seconds = b[0] - a[0]
            if 0 < seconds <= 25 and 8 <= metres(a, b) / seconds <= 40:
                lat, lon = points[k][1], points[k][2]
                heading_x = (b[2] - a[2]) * math.cos(math.radians(lat)); heading_y = b[1] - a[1]
                norm = math.hypot(heading_x, heading_y) or 1
                off_lat = -heading_x / norm * 100 / M_PER_DEG
                off_lon = heading_y / norm * 100 / (M_PER_DEG * math.cos(math.radians(lat)))
                fences.append((f"{tech}-on{k}", lat, lon, 50.0)); kinds[f"{tech}-on{k}"] = "drive-by"
                fences.append((f"{tech}-beside{k}", lat + off_lat, lon + off_lon, 50.0)); kinds[f"{tech}-beside{k}"] = "drive-by"
                k += 150
            else:
                k += 1
        # Real stops: within 20 m of a point for at least 120 s.
        k = 0
        while k < len(points):
            j = k
            while j + 1 < len(points) and metres(points[k], points[j + 1]) <= 20:
                j += 1
            if points[j][0] - points[k][0] >= 120:
                fence = f"{tech}-stop{k}"
                fences.append((fence, points[k][1], points[k][2], 50.0)); kinds[fence] = "stop"
                k = j + 1
            else:
                k += 1
        offset += 0
        # A drive-by fence where the car stood still (≥ 10 s within 10 m, e.g. at a red light) within
        # the exit boundary is not a mere drive-by: it is counted apart as "stopped in traffic".
        for fence, lat, lon, radius in fences:
            if kinds.get(fence) != "drive-by" or not fence.startswith(tech + "-"):
                continue
            inside = [p for p in points if metres((0, lat, lon), p) <= radius + 30]
            for a in range(len(inside)):
                b = a
                while b + 1 < len(inside) and inside[b + 1][0] - inside[a][0] <= 10:
                    b += 1
                if inside[b][0] - inside[a][0] >= 10 and metres(inside[a], inside[b]) < 10:
                    kinds[fence] = "traffic"
                    break
    # A drive-by fence that happens to lie on a real stop is not a drive-by: drop those.
    stop_fences = [f for f in fences if kinds[f[0]] == "stop"]
    def near_stop(f):
        return any(abs(f[1] - s[1]) * M_PER_DEG < 150 and abs(f[2] - s[2]) * M_PER_DEG * 0.7 < 150 for s in stop_fences)
    fences = [f for f in fences if kinds[f[0]] == "stop" or not near_stop(f)]
    with tempfile.TemporaryDirectory() as tmp:
        summary, events = detect(techs, fences, pings, pathlib.Path(tmp) / "c.sqlite")
    driveby_events = [e for e in events if kinds.get(e["fence"]) == "drive-by"]
    if os.environ.get("GEOFENCE_DEBUG"):
        for e in driveby_events:
            print(e, file=sys.stderr)
    flaps = 0
    by_fence = defaultdict(list)
    for e in events:
        if kinds.get(e["fence"]) == "stop":
            by_fence[e["fence"]].append(e)
    for evs in by_fence.values():
        evs.sort(key=lambda e: e["timestamp"])
        for a, b in zip(evs, evs[1:]):
            if a["kind"] == "exit" and b["kind"] == "enter" and b["timestamp"] - a["timestamp"] < 60:
                flaps += 1
    stops_total = sum(1 for f in fences if kinds[f[0]] == "stop")
    stops_arrived = len({e["fence"] for e in events if kinds.get(e["fence"]) == "stop" and e["kind"] == "dwell"})
    traffic = [f for f in fences if kinds[f[0]] == "traffic"]
    traffic_events = [e for e in events if kinds.get(e["fence"]) == "traffic"]
    return {"traces": len(techs), "pings": summary["rows"],
            "driveby_fences": sum(1 for f in fences if kinds[f[0]] == "drive-by"), "driveby_events": len(driveby_events),
            "traffic_fences": len(traffic), "traffic_events": len(traffic_events),
            "stop_fences": stops_total, "stops_arrived": stops_arrived, "stop_flaps": flaps}


def main():
    if not GPS.exists():
        sys.exit(f"{GPS} not found: the shared GPS traces sit beside the repository")
    if "FIELDROUTE_BIN" not in os.environ:
        print("building fieldroute (release)…", file=sys.stderr)
        subprocess.run(["swift", "build", "-c", "release", "--product", "fieldroute"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    d = delivery()
    print("\nDelivery agents (amazon_delivery_activity): stop detection\n")
    print("| traces | pings | labelled stops | complete stops | arrived events | precision | recall | median delay | p90 delay |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {d['traces']} | {d['pings']} | {d['stops_labelled']} | {d['stops_complete']} | {d['dwell_events']} | "
          f"{d['precision']:.1%} | {d['recall']:.1%} | {d['median_delay_s']} s | {d['p90_delay_s']} s |")
    print("\n| stop length | complete stops | arrived | recall |\n|---|---:|---:|---:|")
    for name, (n, hit) in d["buckets"].items():
        print(f"| {name} | {n} | {hit} | {hit / max(1, n):.1%} |")
    print(f"\narrivals seen only after the stop had ended: {d['late']}")
    c = cars()
    print("\nCars (kubicka2015 + newson_krumm2009): flaps\n")
    print("| traces | pings | drive-by fences | events there | fences where it stood in traffic | events there | stop fences | stops arrived | flaps at stops |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {c['traces']} | {c['pings']} | {c['driveby_fences']} | {c['driveby_events']} | {c['traffic_fences']} | "
          f"{c['traffic_events']} | {c['stop_fences']} | {c['stops_arrived']} | {c['stop_flaps']} |")


if __name__ == "__main__":
    main()
