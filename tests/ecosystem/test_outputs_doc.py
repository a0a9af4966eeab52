"""docs/outputs.md cannot drift from the files leptonsim writes: every pandas snippet in it runs on
real results folders (a run, a run with failures, a sweep and a plan), and each CSV section's table
lists exactly the columns of that file."""

import re
import subprocess
import sys
import unittest

import common

DOC = common.SOURCE / "docs" / "outputs.md"


def sections():
    """{heading: text} for the '## ' sections of outputs.md."""
    parts = re.split(r"^## (.+)$", DOC.read_text(), flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def snippets(text):
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.M | re.S)


def documented_columns(text):
    """Column names in the first cell of each row of the section's first table with a unit column."""
    columns = []
    for line in text.splitlines():
        if line.startswith("| column |"):
            columns = []
            continue
        if line.startswith("| `"):
            columns += re.findall(r"`([^`]+)`", line.split("|")[1])
    return columns


class OutputsDocTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = common.fresh("outputs_doc")
        run = cls.work / "results" / "runs" / "stream_stable"
        done = common.leptonsim("run", common.SOURCE / "scenarios" / "stream_stable.json", "-q", "--set",
                                "/workload/duration=5s", "--out", run, "--trace", run / "trace.json")
        assert done.returncode == 0, done.stderr
        cls.folder = run
        failure = cls.work / "results" / "runs" / "stream_failure"
        faults = ('{"events": [{"target": "edge.node-1", "down": "1s", "up": "3s"}], '
                  '"detection": {"heartbeat": "100ms", "timeout": "300ms"}}')
        done = common.leptonsim("run", common.SOURCE / "scenarios" / "stream_stable.json", "-q", "--set",
                                "/workload/duration=5s", "--set", f"/faults={faults}", "--out", failure)
        assert done.returncode == 0, done.stderr
        cls.sweep = cls.work / "results" / "sweeps" / "stream_nodes"
        done = common.leptonsim("sweep", common.SOURCE / "scenarios" / "sweeps" / "stream_nodes.json", "-q",
                                "-j", "2", "--out", cls.sweep)
        assert done.returncode == 0, done.stderr
        cls.plan = cls.work / "results" / "plans" / "stream_stable"
        done = common.leptonsim("plan", common.SOURCE / "scenarios" / "stream_stable.json", "-q", "--set",
                                "/workload/duration=2s", "--vary", "/platform/sites/0/nodes/0/count", "--range", "1:6",
                                "--slo", "/metrics/latency_s/p99<0.01", "--minimise", "energy", "-j", "2",
                                "-o", cls.plan)
        assert done.returncode == 0, done.stderr
        cls.files = {"nodes.csv": run, "timeline.csv": run, "tasks.csv": run, "events.csv": failure,
                     "sweep.csv": cls.sweep, "sweep_summary.csv": cls.sweep, "plan.csv": cls.plan,
                     "plan_runs.csv": cls.plan}

    def test_every_file_has_a_snippet_and_every_snippet_runs(self):
        found = sections()
        for heading in ("summary.json", "nodes.csv", "timeline.csv", "tasks.csv", "events.csv", "Traces",
                        "sweep.csv", "sweep_summary.csv", "plan.csv", "plan_runs.csv", "A plan's summary.json"):
            with self.subTest(section=heading):
                codes = snippets(found[heading])
                self.assertGreaterEqual(len(codes), 1, f"no pandas snippet for {heading}")
                for code in codes:
                    self.assertIn("import pandas as pd", code)
                    done = subprocess.run([sys.executable, "-c", code], cwd=self.work, capture_output=True, text=True)
                    self.assertEqual(done.returncode, 0, f"{code}\n{done.stderr}")
                    self.assertNotEqual(done.stdout.strip(), "")

    def test_csv_tables_list_exactly_the_columns_of_the_files(self):
        found = sections()
        for name, folder in self.files.items():
            with self.subTest(file=name):
                header = (folder / name).read_text().splitlines()[0].split(",")
                self.assertEqual(documented_columns(found[name]), header)


if __name__ == "__main__":
    unittest.main()
