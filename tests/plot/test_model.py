"""plot model on the shipped scenarios' runs: one point per batch job and form and per stream
run, at the coordinates their summary.json gives, with the y = x line."""

import json
import unittest

import common
from plotting import model
from plotting.inputs import PlotInputError

REFERENCE = common.WORK / "reference"


def summaries():
    return {p.parent.name: json.loads(p.read_text()) for p in sorted(REFERENCE.rglob("summary.json"))}


def offsets(ax, series):
    found = common.by_gid(ax, f"points:{series}")
    return sorted(map(tuple, found[0].get_offsets().tolist())) if found else []


class ModelTest(unittest.TestCase):
    def test_one_point_per_job_and_form_at_the_summary_values(self):
        runs = summaries()
        self.assertEqual(len(runs), 6)
        fig = model.build([REFERENCE], forms=("balanced", "refined", "literal"))
        ax = fig.axes[0]
        for form in ("balanced", "refined", "literal"):
            key, series, _ = model.FORMS[form]
            expected = sorted((job["model"][key], job["makespan_s"]) for s in runs.values()
                              for job in s.get("jobs", {}).values())
            self.assertEqual(len(expected), 6)  # 1 + 1 + 2 + 2 jobs
            self.assertEqual(offsets(ax, series), expected)
        streams = sorted((max(s["model"]["arrival_bound_s"], s["model"]["seed_balanced_s"]),
                          s["metrics"]["end_time_s"]) for s in runs.values() if s["scenario"]["workload"] == "stream")
        self.assertEqual(len(streams), 2)
        self.assertEqual(offsets(ax, model.STREAM_SERIES[0]), streams)
        self.assertIn("20 points", ax.get_title())

    def test_the_formula_holds_where_the_scenarios_say(self):
        ax = model.build([REFERENCE]).axes[0]
        identity = common.by_gid(ax, "identity")[0]
        self.assertEqual(list(identity.get_xdata()), list(identity.get_ydata()))
        points = offsets(ax, model.FORMS["balanced"][1])
        runs = summaries()
        on_the_line = runs["batch_balanced"]["jobs"]["analytics"]["model"]["balanced_s"]
        contention = runs["batch_contention"]["jobs"]["training"]["model"]["balanced_s"]
        by_x = dict(points)
        self.assertAlmostEqual(by_x[on_the_line] / on_the_line, 1.0, places=3)  # the formula holds
        self.assertGreater(by_x[contention] / contention, 6.0)                   # contention breaks it
        for axis in (ax.get_xlabel(), ax.get_ylabel()):
            self.assertIn("(s)", axis)

    def test_a_summary_without_a_prediction_is_named(self):
        broken = common.WORK / "model_broken" / "run"
        broken.mkdir(parents=True, exist_ok=True)
        document = summaries()["batch_balanced"]
        del document["jobs"]["analytics"]["model"]["refined_s"]
        (broken / "summary.json").write_text(json.dumps(document))
        with self.assertRaises(PlotInputError) as caught:
            model.build([broken.parent])
        self.assertEqual(str(caught.exception), f"{broken / 'summary.json'}: no value at /jobs/analytics/model/refined_s")

    def test_a_folder_without_runs_is_an_error(self):
        empty = common.WORK / "model_empty"
        empty.mkdir(exist_ok=True)
        code, _, stderr = common.plot("model", empty)
        self.assertEqual(code, 2)
        self.assertIn(f"{empty}: no summary.json under this folder", stderr)
        code, _, stderr = common.plot("model", REFERENCE, "--forms", "balanced,magic")
        self.assertEqual(code, 2)
        self.assertIn("unknown form 'magic'", stderr)

    def test_command_writes_an_image(self):
        out = common.WORK / "model.svg"
        code, _, stderr = common.plot("model", REFERENCE, "--out", out)
        self.assertEqual(code, 0, stderr)
        self.assertIn("<svg", out.read_text())


if __name__ == "__main__":
    unittest.main()
