"""The shipped city scenario, exported to SimGrid XML and run again from that file, gives the same
results: every CSV byte for byte, and summary.json apart from the scenario's file name and digest
(the file and the document are different ones by construction). Both runs simulate the first 5 s
of the city's stream, as its determinism test does: every node that takes readings in the full
60 s takes some within them, and the full run would add minutes, not coverage."""

import json
import unittest

import common

FIRST_SECONDS = ["--set", "/workload/duration=5s"]
TASKS_IN_5_S = 421665  # the readings taken in [0 s, 5 s): 5,060,000 x 5 / 60, less the slots at 5 s


class RoundTripTest(unittest.TestCase):
    def test_city_through_simgrid_xml_gives_identical_results(self):
        work = common.fresh("round_trip")
        original = work / "original"
        done = common.leptonsim("run", common.SOURCE / "scenarios" / "smart_city_5m.json", "-q", "--out", original,
                                *FIRST_SECONDS)
        self.assertEqual(done.returncode, 0, done.stderr)
        done = common.leptonsim("platform", common.SOURCE / "scenarios" / "smart_city_5m.json",
                                "--xml", work / "city.xml", "--scenario", work / "city_xml.json")
        self.assertEqual(done.returncode, 0, done.stderr)
        # 21 switches + 20 x 3 edge boxes + 4 servers + the QPU; an access link each but the
        # switches, 20 backbone links.
        self.assertIn("86 hosts, 85 links, 690 routes", done.stdout)
        again = work / "again"
        done = common.leptonsim("run", work / "city_xml.json", "-q", "--out", again, *FIRST_SECONDS)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)

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
        # Every reading taken in the first 5 s is simulated to its end.
        self.assertEqual(second["metrics"]["tasks_completed"], TASKS_IN_5_S)


if __name__ == "__main__":
    unittest.main()
