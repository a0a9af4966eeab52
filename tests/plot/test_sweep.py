"""plot sweep on the tables of a real `leptonsim sweep` (stream_stable_sweep.json: node count x
policy, 3 replications): one line per --hue value through every point's mean and a band between
its confidence bounds, exactly as sweep_summary.csv gives them; points short of replications;
unknown names and other tables refused with the names that exist."""

import csv
import io
import shutil
import unittest

import numpy as np

import common
from plotting import sweep
from plotting.inputs import PlotInputError

SWEEP = common.WORK / "sweep"
SUMMARY = SWEEP / "sweep_summary.csv"
X, Y, HUE = "nodes", "p99_s", "policy"


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def write_table(name, header, rows):
    """A sweep_summary.csv of our own in WORK/name, from a header and dict rows."""
    folder = common.WORK / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    with open(folder / "sweep_summary.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, header, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return folder


def header():
    with open(SUMMARY, newline="") as f:
        return next(csv.reader(f))


def band_vertices(ax, value):
    (band,) = common.by_gid(ax, f"ci95:{value}")
    return np.concatenate([p.vertices for p in band.get_paths()])


class SweepTest(unittest.TestCase):
    def test_the_sweep_ran_every_run_and_its_table_has_the_named_columns(self):
        runs = read_rows(SWEEP / "sweep.csv")
        self.assertEqual(len(runs), 3 * 2 * 3)
        self.assertEqual({r["status"] for r in runs}, {"ok"})
        self.assertEqual(len(list((SWEEP / "runs").glob("*/summary.json"))), 18)
        self.assertEqual(sweep.layout(header(), SUMMARY), (["nodes", "policy"], ["p99_s", "mean_latency_s"]))
        rows = read_rows(SUMMARY)
        self.assertEqual([(r[X], r[HUE]) for r in rows],
                         [(n, p) for n in ("3", "4", "6") for p in ("least_loaded", "round_robin")])
        self.assertEqual({(r["runs"], r["ok_runs"], r[Y + "_n"]) for r in rows}, {("3", "3", "3")})
        # Poisson arrivals: the replications differ, so the bands have a width to check.
        self.assertTrue(all(float(r[Y + "_ci95_high"]) > float(r[Y + "_ci95_low"]) for r in rows))

    def test_one_line_per_hue_through_the_means_with_bands_between_the_bounds(self):
        rows = read_rows(SUMMARY)
        fig = sweep.build(SWEEP, X, Y, hue=HUE)
        ax = fig.axes[0]
        lines = common.by_gid(ax, "mean:")
        self.assertEqual(sorted(l.get_gid() for l in lines), ["mean:least_loaded", "mean:round_robin"])
        for policy in ("least_loaded", "round_robin"):
            mine = sorted((float(r[X]), r) for r in rows if r[HUE] == policy)
            (line,) = common.by_gid(ax, f"mean:{policy}")
            np.testing.assert_array_equal(line.get_xdata(), [3.0, 4.0, 6.0])
            np.testing.assert_array_equal(line.get_ydata(), [float(r[Y + "_mean"]) for _, r in mine])
            corners = {tuple(v) for v in band_vertices(ax, policy)}
            for x, r in mine:
                self.assertIn((x, float(r[Y + "_ci95_low"])), corners)
                self.assertIn((x, float(r[Y + "_ci95_high"])), corners)
            self.assertEqual({x for x, _ in corners}, {3.0, 4.0, 6.0})
        self.assertEqual(ax.get_xlabel(), "nodes")
        self.assertEqual(ax.get_ylabel(), "p99_s (s)")
        self.assertEqual(ax.get_title(), "p99_s: mean with 95% confidence bands, 3 replications per point")

    def test_the_mean_column_may_name_the_metric(self):
        by_name = sweep.build(SWEEP, X, "mean_latency_s", hue=HUE).axes[0]
        by_column = sweep.build(SWEEP, X, "mean_latency_s_mean", hue=HUE).axes[0]
        for policy in ("least_loaded", "round_robin"):
            (a,), (b,) = common.by_gid(by_name, f"mean:{policy}"), common.by_gid(by_column, f"mean:{policy}")
            np.testing.assert_array_equal(a.get_ydata(), b.get_ydata())
        self.assertEqual(by_column.get_ylabel(), "mean_latency_s (s)")

    def test_where_and_target(self):
        rows = [r for r in read_rows(SUMMARY) if r[HUE] == "round_robin"]
        fig = sweep.build(SWEEP, X, "mean_latency_s", filters=[f"{HUE}=round_robin"], target=0.002)
        ax = fig.axes[0]
        (line,) = common.by_gid(ax, "mean:")
        np.testing.assert_array_equal(line.get_ydata(), [float(r["mean_latency_s_mean"]) for r in rows])
        (target,) = common.by_gid(ax, "target")
        self.assertEqual(list(target.get_ydata()), [0.002, 0.002])
        self.assertEqual(target.get_label(), "target 0.002 s")
        self.assertEqual(len(common.by_gid(sweep.build(SWEEP, HUE, Y, filters=[f"{X}=4.0"]).axes[0], "mean:")[0]
                             .get_xdata()), 2)  # 4.0 matches the number 4; text policies become categories

    def test_a_parameter_that_varies_off_the_axes_is_refused(self):
        with self.assertRaises(PlotInputError) as caught:
            sweep.build(SWEEP, X, Y)
        self.assertIn(f"{HUE} also varies: choose it with --hue or fix it with --where", str(caught.exception))

    def test_unknown_names_are_refused_with_the_names_that_exist(self):
        cases = [
            (dict(x="/platform/sites/0/nodes/0/count", y=Y, hue=HUE),
             f"{SUMMARY}: no parameter '/platform/sites/0/nodes/0/count' for --x (parameters: nodes, policy)"),
            (dict(x=X, y=Y, hue="/policy/name"),
             f"{SUMMARY}: no parameter '/policy/name' for --hue (parameters: nodes, policy)"),
            (dict(x=X, y="/metrics/latency_s/p99", hue=HUE),
             f"{SUMMARY}: no metric '/metrics/latency_s/p99' for --y (metrics: p99_s, mean_latency_s)"),
            (dict(x=X, y="p99_s_sd", hue=HUE), f"{SUMMARY}: no metric 'p99_s_sd' for --y"),
            (dict(x=X, y=Y, filters=["seed=1"]), f"{SUMMARY}: no parameter 'seed' for --where (parameters: nodes, "),
            (dict(x=X, y=Y, filters=[f"{HUE}=random"]), f"{SUMMARY}: no row left after --where {HUE}=random"),
        ]
        for arguments, message in cases:
            with self.subTest(**arguments), self.assertRaises(PlotInputError) as caught:
                sweep.build(SWEEP, **arguments)
            self.assertTrue(str(caught.exception).startswith(message), str(caught.exception))
        with self.assertRaises(PlotInputError) as caught:
            sweep.build(common.WORK / "no_such_sweep", X, Y)
        self.assertIn("no_such_sweep/sweep_summary.csv: no such file", str(caught.exception))

    def test_other_tables_are_refused(self):
        # sweep.csv, one row per run, is not the summary.
        with self.assertRaises(PlotInputError) as caught:
            sweep.build(SWEEP / "sweep.csv", X, Y)
        self.assertIn("sweep.csv: not a sweep's summary table: expected the columns point, one per parameter, runs, "
                      "ok_runs, then <metric>_n, _mean, _sd, _ci95_low and _ci95_high per metric",
                      str(caught.exception))
        self.assertIn("it has point, replication, nodes, policy, seed, p99_s,", str(caught.exception))
        # Columns by JSON pointer, _std and a trailing replications count: not what leptonsim sweep writes.
        metric = "/metrics/latency_s/p99"
        old = write_table("sweep_old_table", ["/policy/name", metric + "_mean", metric + "_std", metric + "_ci95_low",
                                              metric + "_ci95_high", "replications"], [])
        with self.assertRaises(PlotInputError) as caught:
            sweep.build(old, "/policy/name", metric)
        self.assertIn("not a sweep's summary table", str(caught.exception))
        # A parameter named like a column the table writes itself makes the table ambiguous.
        twice = write_table("sweep_column_twice", ["point", "runs", "runs", "ok_runs"] +
                            [f"p99_s{s}" for s in sweep.STATISTICS], [])
        with self.assertRaises(PlotInputError) as caught:
            sweep.build(twice, "runs", Y)
        self.assertIn("the column 'runs' appears twice", str(caught.exception))

    def test_counts_that_are_not_whole_are_refused_by_their_line(self):
        rows = read_rows(SUMMARY)
        rows[4]["p99_s_n"] = "2.5"
        folder = write_table("sweep_bad_count", header(), rows)
        with self.assertRaises(PlotInputError) as caught:
            sweep.build(folder, X, Y, hue=HUE, filters=[f"{X}=6"])
        self.assertEqual(str(caught.exception),
                         f"{folder / 'sweep_summary.csv'}: column 'p99_s_n', line 6: 2.5 is not a count")

    def test_points_short_of_replications_are_drawn_from_what_they_have(self):
        rows = read_rows(SUMMARY)
        by_point = {(r[X], r[HUE]): r for r in rows}
        # One replication failed; one value left (a mean, no interval); every replication failed.
        by_point["3", "least_loaded"].update({"ok_runs": "2", "p99_s_n": "2"})
        by_point["4", "round_robin"].update({"ok_runs": "1", "p99_s_n": "1", "p99_s_sd": "",
                                             "p99_s_ci95_low": "", "p99_s_ci95_high": ""})
        by_point["6", "least_loaded"].update({"ok_runs": "0", "p99_s_n": "0", "p99_s_mean": "", "p99_s_sd": "",
                                              "p99_s_ci95_low": "", "p99_s_ci95_high": ""})
        folder = write_table("sweep_short", header(), rows)
        warnings = io.StringIO()
        ax = sweep.build(folder, X, Y, hue=HUE, warn=warnings).axes[0]
        self.assertEqual(warnings.getvalue(), f"plot: {folder / 'sweep_summary.csv'}: p99_s has a value in fewer "
                         "than all replications at point 0, 3, 4: their means are over fewer runs "
                         "(sweep.csv says why)\n")
        self.assertEqual(ax.get_title(), "p99_s: mean with 95% confidence bands, 0 to 3 of 3 replications per point")
        (least,) = common.by_gid(ax, "mean:least_loaded")
        self.assertEqual(np.isnan(least.get_ydata()).tolist(), [False, False, True])
        self.assertEqual({x for x, _ in band_vertices(ax, "least_loaded")}, {3.0, 4.0})
        (robin,) = common.by_gid(ax, "mean:round_robin")
        self.assertFalse(np.isnan(robin.get_ydata()).any())
        self.assertEqual({x for x, _ in band_vertices(ax, "round_robin")}, {3.0, 6.0})

    def test_command_writes_an_image_beside_the_sweep(self):
        code, stdout, stderr = common.plot("sweep", SWEEP, "--x", X, "--y", Y, "--hue", HUE, "--logy")
        self.assertEqual(code, 0, stderr)
        self.assertEqual(stdout, f"plot: wrote {SWEEP / 'sweep-p99_s.png'}\n")
        common.png_size(SWEEP / "sweep-p99_s.png")


if __name__ == "__main__":
    unittest.main()
