"""plot timeline on real runs: every sample of timeline.csv is a point of each line, utilisation
is running tasks over the scope's cores, and one line per site with --scope each."""

import csv
import json
import subprocess
import unittest

import numpy as np

import common
from plotting import timeline
from plotting.inputs import PlotInputError

OVERLOAD = common.WORK / "overload"
TWO_SITES = common.WORK / "reference" / "batch_heterogeneous"


def rows_of(run_dir, scope):
    with open(run_dir / "timeline.csv", newline="") as f:
        return [r for r in csv.DictReader(f) if r["scope"] == scope]


def line(ax, gid):
    found = common.by_gid(ax, gid)
    assert len(found) == 1, f"{gid}: {len(found)} lines"
    return found[0].get_xdata(), found[0].get_ydata()


class TimelineTest(unittest.TestCase):
    def test_each_panel_plots_every_sample(self):
        rows = rows_of(OVERLOAD, "all")
        self.assertGreater(len(rows), 50)
        fig = timeline.build(OVERLOAD)
        counts, throughput, utilisation = fig.axes[:3]
        times = np.array([float(r["time_s"]) for r in rows])
        for column in ("in_transit_tasks", "queued_tasks", "running_tasks"):
            x, y = line(counts, f"{column}:all")
            np.testing.assert_allclose(x, times)
            np.testing.assert_allclose(y, [float(r[column]) for r in rows])
        x, y = line(throughput, "throughput:all")
        np.testing.assert_allclose(y, [float(r["throughput_per_s"]) for r in rows])
        # Four single-core nodes: utilisation is running tasks / 4
        x, y = line(utilisation, "utilisation:all")
        np.testing.assert_allclose(y, [float(r["running_tasks"]) / 4 for r in rows])
        self.assertEqual(max(y), 1.0)  # overloaded: every core busy

    def test_overload_shows_the_backlog_and_the_end_of_arrivals(self):
        fig = timeline.build(OVERLOAD)
        _, queued = line(fig.axes[0], "queued_tasks:all")
        self.assertGreater(max(queued), 3000)  # about 1,000 more tasks a second for 4 s
        arrivals = [l for l in fig.axes[0].lines if l.get_label() == "arrivals end"]
        self.assertEqual(len(arrivals), 1)
        self.assertEqual(list(arrivals[0].get_xdata()), [4.0, 4.0])
        for ax, unit in zip(fig.axes[:3], ("(count)", "(tasks/s)", "(fraction)")):
            self.assertIn(unit, ax.get_ylabel())
        self.assertIn("(s)", fig.axes[2].get_xlabel())

    def test_each_site_gets_its_line_and_its_own_cores(self):
        fig = timeline.build(TWO_SITES, scope="each")
        counts, throughput, utilisation = fig.axes[:3]
        for site in ("rr", "cw"):
            rows = rows_of(TWO_SITES, site)
            _, in_system = line(counts, f"in_system:{site}")
            np.testing.assert_allclose(in_system, [sum(float(r[c]) for c in (
                "in_transit_tasks", "queued_tasks", "running_tasks")) for r in rows])
            _, busy = line(utilisation, f"utilisation:{site}")
            np.testing.assert_allclose(busy, [float(r["running_tasks"]) / 4 for r in rows])
        self.assertEqual(len(common.by_gid(throughput, "throughput:")), 2)
        single = timeline.build(TWO_SITES, scope="cw")
        self.assertEqual(len(common.by_gid(single.axes[2], "utilisation:")), 1)

    def test_sites_without_compute_nodes_are_left_out_of_each(self):
        scenario = common.WORK / "gateway.json"
        scenario.write_text(json.dumps({
            "name": "gateway", "platform": {
                "sites": [{"name": "gate"},
                          {"name": "a", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
                           "nodes": [{"name": "n", "count": 2, "speed": "1Gf"}]},
                          {"name": "b", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
                           "nodes": [{"name": "n", "speed": "1Gf", "cores": 2}]}],
                "links": [{"between": ["gate", "a"], "bandwidth": "1Gbps", "latency": "1ms"},
                          {"between": ["gate", "b"], "bandwidth": "1Gbps", "latency": "1ms"}]},
            "workload": {"duration": "2s",
                         "groups": [{"name": "s", "site": "gate", "sensors": 10, "rate": 50, "flops": "1Mf",
                                     "targets": ["a", "b"]}]}}))
        run = common.WORK / "gateway"
        subprocess.run([str(common.LEPTONSIM), "run", str(scenario), "--out", str(run), "-q"], check=True)
        self.assertEqual({r["scope"] for r in csv.DictReader(open(run / "timeline.csv"))}, {"all", "gate", "a", "b"})
        fig = timeline.build(run, scope="each")
        self.assertEqual(sorted(l.get_gid() for l in common.by_gid(fig.axes[2], "utilisation:")),
                         ["utilisation:a", "utilisation:b"])
        with self.assertRaises(PlotInputError) as caught:
            timeline.build(run, scope="gate")
        self.assertIn("no compute node at site 'gate'", str(caught.exception))

    def test_dropped_executions_are_drawn_only_when_there_are_some(self):
        fig = timeline.build(common.WORK / "failure")
        (dropped,) = common.by_gid(fig.axes[0], "dropped_tasks:all")
        with open(common.WORK / "failure" / "timeline.csv") as f:
            rows = list(csv.DictReader(f))
        final = max(int(r["dropped_tasks"]) for r in rows if r["scope"] == "all")
        self.assertGreater(final, 0)  # the failed node held tasks
        self.assertEqual(dropped.get_ydata().max(), final)
        self.assertEqual(common.by_gid(timeline.build(TWO_SITES).axes[0], "dropped_tasks:all"), [])

    def test_unknown_scope_names_the_scopes(self):
        with self.assertRaises(PlotInputError) as caught:
            timeline.build(TWO_SITES, scope="mars")
        self.assertIn("no scope 'mars'", str(caught.exception))
        self.assertIn("all, rr, cw", str(caught.exception))
        with self.assertRaises(PlotInputError) as caught:
            timeline.build(OVERLOAD, scope="each")
        self.assertIn("single site", str(caught.exception))

    def test_command_writes_an_image(self):
        out = common.WORK / "timeline.png"
        code, _, stderr = common.plot("timeline", OVERLOAD, "--out", out)
        self.assertEqual(code, 0, stderr)
        common.png_size(out)


if __name__ == "__main__":
    unittest.main()
