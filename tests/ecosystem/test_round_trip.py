"""The shipped city scenario, exported to SimGrid XML and run again from that file, gives the same
results: every CSV byte for byte, and summary.json apart from the scenario's file name and digest
(the file and the document are different ones by construction)."""

import json
import os
import unittest
from pathlib import Path

import common

# The scenario test "scenario: smart_city_5m" has already run the original (a CTest fixture).
ORIGINAL = Path(os.environ.get("CITY_RUN", common.BUILD / "tests" / "scenario-runs" / "smart_city_5m"))


class RoundTripTest(unittest.TestCase):
    def test_city_through_simgrid_xml_gives_identical_results(self):
        work = common.fresh("round_trip")
        original = ORIGINAL
        if not (original / "summary.json").is_file():  # run by hand, without the fixture
            original = work / "original"
            done = common.leptonsim("run", common.SOURCE / "scenarios" / "smart_city_5m.json", "-q", "--out", original)
            self.assertEqual(done.returncode, 0, done.stderr)
        done = common.leptonsim("platform", common.SOURCE / "scenarios" / "smart_city_5m.json",
                                "--xml", work / "city.xml", "--scenario", work / "city_xml.json")
        self.assertEqual(done.returncode, 0, done.stderr)
        # 21 switches + 20 x 3 edge boxes + 4 servers + the QPU; an access link each but the
        # switches, 20 backbone links.
        self.assertIn("86 hosts, 85 links, 690 routes", done.stdout)
        again = work / "again"
        done = common.leptonsim("run", work / "city_xml.json", "--check", "-q", "--out", again)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("check: 8 of 8 expectations hold", done.stdout)

        names = sorted(p.name for p in original.iterdir())
        self.assertEqual(names, sorted(p.name for p in again.iterdir()))
        self.assertEqual(names, ["nodes.csv", "summary.json", "tasks.csv", "timeline.csv"])
        for name in names:
            if name != "summary.json":
                self.assertEqual((original / name).read_bytes(), (again / name).read_bytes(), name)
        first = json.loads((original / "summary.json").read_text())
        second = json.loads((again / "summary.json").read_text())
        self.assertEqual(first["scenario"]["file"], "smart_city_5m.json")
        self.assertEqual(second["scenario"]["file"], "city_xml.json")
        for summary in (first, second):
            del summary["scenario"]["file"]
            del summary["scenario"]["digest"]
        self.assertEqual(first, second)
        self.assertEqual(second["metrics"]["tasks_completed"], 5060000)


if __name__ == "__main__":
    unittest.main()
