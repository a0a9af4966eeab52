"""The reference results and the README's figures: results/README.md lists exactly the commands
that tools/reference-results runs; that one command redraws every figure README.md shows; and the
committed results still agree with what the simulator produces today."""

import csv
import json
import re
import subprocess
import unittest

import common
import make_results
from plotting import sweep

README = common.SOURCE / "README.md"
RESULTS_README = common.SOURCE / "results" / "README.md"
COMMITTED = common.SOURCE / "results" / "reference"
FRESH = common.WORK / "reference"  # the fixture ran the same commands


def readme_figures():
    return sorted(set(re.findall(r"\]\((results/figures/[^)]+\.png)\)", README.read_text())))


def values_shown(summary):
    """The numbers the README's figures and tables are drawn from."""
    shown = {"tasks_completed": summary["metrics"]["tasks_completed"],
             "end_time_s": summary["metrics"]["end_time_s"]}
    for name, job in summary.get("jobs", {}).items():
        shown[name] = [job["makespan_s"]] + [job["model"][k] for k in ("balanced_s", "refined_s", "literal_s")]
    if "model" in summary:
        shown["stream"] = [summary["model"][k] for k in ("arrival_bound_s", "seed_balanced_s", "rho_max")]
    return shown


class ReferenceTest(unittest.TestCase):
    def test_results_readme_lists_the_commands_the_script_runs(self):
        blocks = re.findall(r"```sh\n(.*?)```", RESULTS_README.read_text(), re.S)
        (listed,) = [b.strip().splitlines() for b in blocks if b.startswith("build/leptonsim run")]
        script = subprocess.run([str(common.SOURCE / "tools" / "reference-results"), "--dry-run"],
                                capture_output=True, text=True, check=True).stdout.strip().splitlines()
        self.assertEqual(listed, script)

    def test_one_command_redraws_every_figure_of_the_readme(self):
        figures = readme_figures()
        self.assertGreaterEqual(len(figures), 4)
        out = common.WORK / "figures"
        done = subprocess.run([str(common.SOURCE / "tools" / "reference-results"), "--figures-only",
                               "--figures-dir", str(out)], capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        for figure in figures:
            committed = common.SOURCE / figure
            redrawn = out / committed.name
            self.assertTrue(committed.is_file(), figure)
            self.assertEqual(common.png_size(redrawn), common.png_size(committed), figure)

    def test_committed_results_match_a_fresh_run(self):
        compared = 0
        for name in make_results.SCENARIOS:
            fresh = FRESH / name / "summary.json"
            if not fresh.is_file():
                continue  # the city: minutes, not in the test suite (its scenario test checks it)
            committed = json.loads((COMMITTED / name / "summary.json").read_text())
            self.assertEqual(values_shown(committed), values_shown(json.loads(fresh.read_text())), name)
            compared += 1
        self.assertEqual(compared, 6)

        def gantt_rows(folder):
            with open(folder / "batch_heterogeneous" / "tasks.csv", newline="") as f:
                return [(r["task_id"], r["node"], r["core"], r["started_s"], r["finished_s"]) for r in csv.DictReader(f)]
        self.assertEqual(gantt_rows(COMMITTED), gantt_rows(FRESH))

    def test_the_committed_city_sweep_is_the_sweep_files_table_with_every_point(self):
        sweep_file = json.loads((common.SOURCE / "tools" / "reference" / "city_capacity.json").read_text())
        table = COMMITTED / "city_capacity" / "sweep_summary.csv"
        with open(table, newline="") as f:
            header = next(csv.reader(f))
            rows = list(csv.DictReader(f, header))
        parameters, metrics = sweep.layout(header, table)
        self.assertEqual(parameters, [p["name"] for p in sweep_file["grid"]])
        self.assertEqual(metrics, [m["name"] for m in sweep_file["metrics"]])
        self.assertEqual([(r["edge_boxes"], r["policy"]) for r in rows],
                         [(str(n), p) for n in range(4, 9) for p in ("least_loaded", "round_robin")])
        self.assertEqual({(r["runs"], r["ok_runs"]) for r in rows}, {("3", "3")})
        self.assertEqual({r[m + "_n"] for r in rows for m in metrics}, {"3"})
        with open(COMMITTED / "city_capacity" / "sweep.csv", newline="") as f:
            runs = list(csv.DictReader(f))
        self.assertEqual(len(runs), 30)
        self.assertEqual({r["status"] for r in runs}, {"ok"})
        # Only the tables are committed.
        self.assertEqual(sorted(p.name for p in (COMMITTED / "city_capacity").iterdir()),
                         ["sweep.csv", "sweep_summary.csv"])
        # The figure names columns of this table.
        (command,) = [c for c in make_results.figure_commands("figures") if c[1] == "sweep"]
        self.assertIn(command[command.index("--x") + 1], parameters)
        self.assertIn(command[command.index("--hue") + 1], parameters)
        self.assertIn(command[command.index("--y") + 1], metrics)

if __name__ == "__main__":
    unittest.main()
