"""plot sweep on a real sweep of stream_stable (node count x policy, 3 seeds): one line per --hue
value through every point's mean, and a band between its confidence bounds; the loop that made
it computes the statistics right; missing columns are named."""

import csv
import io
import math
import shutil
import unittest

import numpy as np

import common
from plotting import sweep
from plotting.inputs import PlotInputError

SWEEP = common.WORK / "sweep"
X, Y, HUE = "/platform/sites/0/nodes/0/count", "/metrics/latency_s/p99", "/policy/name"

import sweep_loop  # noqa: E402  (tools/reference, on the path through common)


def summary_rows():
    with open(SWEEP / "sweep_summary.csv", newline="") as f:
        return list(csv.DictReader(f))


def write_without(columns, name):
    folder = common.WORK / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    rows = summary_rows()
    kept = [c for c in rows[0] if c not in columns]
    with open(folder / "sweep_summary.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, kept, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return folder


class SweepTest(unittest.TestCase):
    def test_the_loop_wrote_every_run_and_point(self):
        with open(SWEEP / "sweep.csv", newline="") as f:
            runs = list(csv.DictReader(f))
        self.assertEqual(len(runs), 3 * 2 * 3)
        self.assertEqual({r["status"] for r in runs}, {"ok"})
        rows = summary_rows()
        self.assertEqual(len(rows), 6)
        for row in rows:
            values = [float(r[Y]) for r in runs if r[X] == row[X] and r[HUE] == row[HUE]]
            mean = sum(values) / 3
            std = math.sqrt(sum((v - mean) ** 2 for v in values) / 2)
            self.assertAlmostEqual(float(row[Y + "_mean"]), mean, places=12)
            self.assertAlmostEqual(float(row[Y + "_std"]), std, places=12)
            self.assertAlmostEqual(float(row[Y + "_ci95_high"]), mean + 4.303 * std / math.sqrt(3), places=12)
            self.assertEqual(row["replications"], "3")
        # A point's own summary.json (kept with --keep summaries) holds the value the CSV has.
        self.assertEqual(len(list((SWEEP / "runs").rglob("summary.json"))), 18)

    def test_statistics_of_known_samples(self):
        self.assertEqual(sweep_loop.statistics([1.0, 2.0, 3.0])[:2], (2.0, 1.0))
        low, high = sweep_loop.statistics([1.0, 2.0, 3.0])[2:]
        self.assertAlmostEqual(high - 2.0, 4.303 / math.sqrt(3), places=12)
        self.assertAlmostEqual(2.0 - low, 4.303 / math.sqrt(3), places=12)
        self.assertEqual(sweep_loop.statistics([5.0]), (5.0, None, None, None))
        self.assertAlmostEqual(sweep_loop.t_975(40), 2.021, places=2)

    def test_one_line_per_hue_through_the_means_with_bands(self):
        rows = summary_rows()
        fig = sweep.build(SWEEP, X, Y, hue=HUE)
        ax = fig.axes[0]
        lines = common.by_gid(ax, "mean:")
        self.assertEqual(sorted(l.get_gid() for l in lines), ["mean:least_loaded", "mean:round_robin"])
        for policy in ("least_loaded", "round_robin"):
            mine = sorted((float(r[X]), r) for r in rows if r[HUE] == policy)
            (line,) = common.by_gid(ax, f"mean:{policy}")
            np.testing.assert_allclose(line.get_xdata(), [x for x, _ in mine])
            np.testing.assert_allclose(line.get_ydata(), [float(r[Y + "_mean"]) for _, r in mine])
            (band,) = common.by_gid(ax, f"ci95:{policy}")
            vertices = np.concatenate([p.vertices for p in band.get_paths()])
            self.assertAlmostEqual(vertices[:, 1].min(), min(float(r[Y + "_ci95_low"]) for _, r in mine))
            self.assertAlmostEqual(vertices[:, 1].max(), max(float(r[Y + "_ci95_high"]) for _, r in mine))
        self.assertEqual(ax.get_xlabel(), f"{X} (count)")
        self.assertEqual(ax.get_ylabel(), "/metrics/latency_s/p99 (s)")
        self.assertIn("95% confidence", ax.get_title())

    def test_where_and_target(self):
        fig = sweep.build(SWEEP, X, "/metrics/latency_s/mean_mean", filters=[f"{HUE}=round_robin"], target=0.002)
        ax = fig.axes[0]
        (line,) = common.by_gid(ax, "mean:")
        self.assertEqual(len(line.get_xdata()), 3)
        self.assertEqual(list(common.by_gid(ax, "target")[0].get_ydata()), [0.002, 0.002])

    def test_a_parameter_that_varies_off_the_axes_is_refused(self):
        with self.assertRaises(PlotInputError) as caught:
            sweep.build(SWEEP, X, Y)
        self.assertIn(f"{HUE} also varies: choose it with --hue or fix it with --where", str(caught.exception))

    def test_missing_columns_are_named(self):
        path = SWEEP / "sweep_summary.csv"
        with self.assertRaises(PlotInputError) as caught:
            sweep.build(SWEEP, "/platform/sites/0/nodes/0/cores", Y, hue=HUE)
        self.assertTrue(str(caught.exception).startswith(
            f"{path}: no column '/platform/sites/0/nodes/0/cores' for --x (parameters: {X}, {HUE})"))
        with self.assertRaises(PlotInputError) as caught:
            sweep.build(SWEEP, X, "/metrics/latency_s/p95", hue=HUE)
        self.assertIn("no column '/metrics/latency_s/p95_mean'", str(caught.exception))
        self.assertIn("metrics: /metrics/latency_s/mean, /metrics/latency_s/p99", str(caught.exception))
        with self.assertRaises(PlotInputError) as caught:
            sweep.build(common.WORK / "no_such_sweep", X, Y)
        self.assertIn("no_such_sweep/sweep_summary.csv: no such file", str(caught.exception))

    def test_without_confidence_columns_the_means_are_drawn_and_a_warning_says_why(self):
        folder = write_without({Y + "_ci95_low", Y + "_ci95_high"}, "sweep_no_ci")
        warnings = io.StringIO()
        fig = sweep.build(folder, X, Y, hue=HUE, warn=warnings)
        self.assertEqual(len(common.by_gid(fig.axes[0], "mean:")), 2)
        self.assertEqual(common.by_gid(fig.axes[0], "ci95:"), [])
        self.assertIn(f"no column '{Y}_ci95_low': drawing means without confidence bands", warnings.getvalue())

    def test_command_writes_an_image_beside_the_sweep(self):
        code, stdout, stderr = common.plot("sweep", SWEEP, "--x", X, "--y", Y, "--hue", HUE, "--logy")
        self.assertEqual(code, 0, stderr)
        common.png_size(SWEEP / "sweep-metrics_latency_s_p99.png")


if __name__ == "__main__":
    unittest.main()
