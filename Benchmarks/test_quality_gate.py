"""Tests of the quality gate's verdicts, baseline checks and report (python3 -m unittest, from Benchmarks/).

The solves themselves are the gate's business (make quality-gate); here a stand-in `fieldroute`
prints fixed routes, so every verdict is exact and the tests need no build and no ../shared.
"""
import json
import pathlib
import stat
import tempfile
import unittest
import xml.etree.ElementTree as ET

import quality_gate

# Three customers on a line: the depot at 0, customers at 10, 20 and 30; one route visits all.
INSTANCE = """TINY
VEHICLE
NUMBER CAPACITY
2 100
CUSTOMER
CUST NO. XCOORD. YCOORD. DEMAND READY TIME DUE DATE SERVICE TIME
0 0 0 0 0 1000 0
1 10 0 1 0 1000 0
2 20 0 1 0 1000 0
3 30 0 1 0 1000 0
"""


class GateTests(unittest.TestCase):
    def setUp(self):
        self.dir = pathlib.Path(tempfile.mkdtemp())
        (self.dir / "tiny.txt").write_text(INSTANCE)

    def fake_solver(self, routes, exit_code=0):
        binary = self.dir / "fieldroute"
        binary.write_text("#!/bin/sh\n"
                          f"echo '{json.dumps({'routes': routes})}'\n"
                          + ("echo 'tiny.txt:3: bad line' >&2\n" if exit_code else "")
                          + f"exit {exit_code}\n")
        binary.chmod(binary.stat().st_mode | stat.S_IEXEC)
        return binary

    def gate(self, distance, routes, *extra, exit_code=0):
        baseline = self.dir / "baseline.json"
        case = {"instance": "tiny.txt", "seed": 1, "iterations": 10}
        if distance is not None:
            case["distance"] = distance
        baseline.write_text(json.dumps({"cases": [case]}))
        binary = self.fake_solver(routes, exit_code)
        junit = self.dir / "gate.xml"
        code = quality_gate.main(["--baseline", str(baseline), "--root", str(self.dir), "--binary", str(binary),
                                  "--junit", str(junit), *extra])
        return code, ET.parse(junit).getroot(), json.loads(baseline.read_text())

    def test_the_same_distance_passes(self):
        code, xml, _ = self.gate(60.0, [[1, 2, 3]])
        self.assertEqual(code, 0)
        self.assertEqual(xml.get("failures"), "0")

    def test_worse_by_more_than_the_tolerance_fails(self):
        # Visiting 3, 1, 2 drives 30 + 20 + 10 + 20 = 80 against 60: +33 %.
        code, xml, _ = self.gate(60.0, [[3, 1, 2]])
        self.assertEqual(code, 1)
        failure = xml.find("testcase/failure")
        self.assertIsNotNone(failure)
        self.assertIn("worse by +33.333 %", failure.get("message"))

    def test_worse_within_the_tolerance_passes_and_beyond_it_fails(self):
        self.assertEqual(quality_gate.judge({"distance": 1000.0}, 1001.0, [], 0.1)[0], "pass")
        self.assertEqual(quality_gate.judge({"distance": 1000.0}, 1001.1, [], 0.1)[0], "fail")
        self.assertEqual(quality_gate.judge({"distance": 1000.0}, 999.0, [], 0.1),
                         ("pass", "better by -0.100 %: --update to keep it"))

    def test_an_infeasible_answer_fails_whatever_its_distance(self):
        code, xml, _ = self.gate(60.0, [[1, 2]])
        self.assertEqual(code, 1)
        self.assertIn("1 customers missing", xml.find("testcase/failure").get("message"))

    def test_a_solver_error_fails_with_its_message(self):
        code, xml, _ = self.gate(60.0, [[1, 2, 3]], exit_code=2)
        self.assertEqual(code, 1)
        self.assertIn("exited 2: tiny.txt:3: bad line", xml.find("testcase/failure").get("message"))

    def test_update_records_the_measured_distance(self):
        code, _, written = self.gate(None, [[1, 2, 3]], "--update")
        self.assertEqual(code, 0)
        self.assertEqual(written["cases"][0]["distance"], 60.0)

    def test_a_missing_instance_is_skipped_not_failed(self):
        (self.dir / "tiny.txt").unlink()
        code, xml, _ = self.gate(60.0, [[1, 2, 3]])
        self.assertEqual(code, 0)
        self.assertEqual(xml.get("skipped"), "1")

    def test_a_bad_baseline_names_the_case_and_key(self):
        baseline = self.dir / "bad.json"
        baseline.write_text(json.dumps({"cases": [{"instance": "tiny.txt", "iterations": 0}]}))
        with self.assertRaises(SystemExit) as raised:
            quality_gate.load_baseline(baseline)
        self.assertIn("cases[0]: iterations wants a whole number in 1…10000000, got 0", str(raised.exception))
        baseline.write_text(json.dumps({"cases": [{"instance": "tiny.txt", "iterations": 5, "seeed": 1}]}))
        with self.assertRaises(SystemExit) as raised:
            quality_gate.load_baseline(baseline)
        self.assertIn("unknown keys ['seeed']", str(raised.exception))


if __name__ == "__main__":
    unittest.main()
