"""docs/outputs.md cannot drift from the files a run writes: every pandas snippet in it runs on a
real results folder, and each CSV section's table lists exactly the columns of that file."""

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

    def test_every_file_has_a_snippet_and_every_snippet_runs(self):
        found = sections()
        for heading in ("summary.json", "nodes.csv", "timeline.csv", "tasks.csv", "Traces"):
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
        for name in ("nodes.csv", "timeline.csv", "tasks.csv"):
            with self.subTest(file=name):
                header = (self.folder / name).read_text().splitlines()[0].split(",")
                self.assertEqual(documented_columns(found[name]), header)


if __name__ == "__main__":
    unittest.main()
