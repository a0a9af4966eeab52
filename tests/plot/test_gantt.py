"""plot gantt on real runs: one bar per row of tasks.csv, on the right core and at the right
time; failure periods from events.csv shaded on the right node; images in every format."""

import csv
import shutil
import unittest
import xml.etree.ElementTree as ET

import numpy as np

import common
from plotting import gantt

RUN = common.WORK / "reference" / "batch_heterogeneous"


def tasks_of(run_dir):
    with open(run_dir / "tasks.csv", newline="") as f:
        return list(csv.DictReader(f))


def bars(fig):
    """(lane label, start, width) of every task bar drawn."""
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    found = []
    for collection in common.by_gid(ax, "tasks"):
        for path in collection.get_paths():
            (x0, y0), (x1, y1) = path.vertices.min(axis=0), path.vertices.max(axis=0)
            found.append((labels[round((y0 + y1) / 2)], x0, x1 - x0))
    return found


class GanttTest(unittest.TestCase):
    def test_every_task_is_one_bar_on_its_core_at_its_time(self):
        tasks = tasks_of(RUN)
        self.assertEqual(len(tasks), 1200)  # every task kept: 2 jobs x 120 chunks x 5 phases
        drawn = sorted(bars(gantt.build(RUN)))
        expected = sorted((t["node"], float(t["started_s"]), float(t["finished_s"]) - float(t["started_s"]))
                          for t in tasks)  # single-core nodes: the lane is the node's name
        self.assertEqual(len(drawn), len(tasks))
        for (lane, start, width), (node, e_start, e_width) in zip(drawn, expected):
            self.assertEqual(lane, node)
            self.assertAlmostEqual(start, e_start, places=9)
            self.assertAlmostEqual(width, e_width, places=9)

    def test_lanes_are_cores_in_platform_order_and_legend_names_sources(self):
        fig = gantt.build(RUN)
        ax = fig.axes[0]
        self.assertEqual([t.get_text() for t in ax.get_yticklabels()],
                         ["rr.n1", "rr.n2", "rr.n3", "rr.n4", "cw.n1", "cw.n2", "cw.n3", "cw.n4"])
        self.assertEqual([t.get_text() for t in ax.get_legend().get_texts()], ["round_robin", "capacity_weighted"])
        self.assertIn("(s)", ax.get_xlabel())
        self.assertIn("1200 tasks", ax.get_title())

    def test_multi_core_nodes_get_a_lane_per_core(self):
        run = common.WORK / "reference" / "batch_balanced"  # 8 nodes of 4 cores
        fig = gantt.build(run)
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        self.assertEqual(len(labels), 32)
        self.assertEqual(labels[:4], ["edge.box-0 #0", "edge.box-0 #1", "edge.box-0 #2", "edge.box-0 #3"])
        per_lane = {}
        for lane, _, _ in bars(fig):
            per_lane[lane] = per_lane.get(lane, 0) + 1
        expected = {}
        for t in tasks_of(run):
            lane = f"{t['node']} #{t['core']}"
            expected[lane] = expected.get(lane, 0) + 1
        self.assertEqual(per_lane, expected)
        # One node per row with --by node
        self.assertEqual(len(gantt.build(run, by="node").axes[0].get_yticklabels()), 8)

    def test_node_filter_and_time_window_keep_only_their_tasks(self):
        tasks = tasks_of(RUN)
        fig = gantt.build(RUN, nodes="cw.*", start=2.0, end=4.0)
        expected = [t for t in tasks if t["node"].startswith("cw.")
                    and float(t["finished_s"]) >= 2.0 and float(t["started_s"]) <= 4.0]
        self.assertEqual(len(bars(fig)), len(expected))
        self.assertEqual(fig.axes[0].get_xlim()[0], 2.0)

    def test_failure_periods_are_shaded_on_their_node(self):
        run = common.WORK / "gantt_with_failures"
        shutil.rmtree(run, ignore_errors=True)
        shutil.copytree(RUN, run)
        (run / "events.csv").write_text("time_s,node,event\n2.5,rr.n2,down\n4,rr.n2,up\n20,cw.n3,down\n"
                                        "7,not.drawn,down\n")
        fig = gantt.build(run)
        ax = fig.axes[0]
        labels = [t.get_text() for t in ax.get_yticklabels()]
        spans = []
        for collection in common.by_gid(ax, "failures"):
            (x0, y0), (x1, y1) = collection.get_paths()[0].vertices.min(axis=0), \
                collection.get_paths()[0].vertices.max(axis=0)
            spans.append((labels[round((y0 + y1) / 2)], x0, x1))
        end = max(float(t["finished_s"]) for t in tasks_of(run))
        spans.sort()
        self.assertEqual([s[0] for s in spans], ["cw.n3", "rr.n2"])
        np.testing.assert_allclose([s[1:] for s in spans], [(20.0, end), (2.5, 4.0)])  # no "up": to the end
        self.assertIn("node down", [t.get_text() for t in ax.get_legend().get_texts()])
        # Without events.csv nothing is shaded
        self.assertEqual(common.by_gid(gantt.build(RUN).axes[0], "failures"), [])

    def test_a_simulated_failure_is_shaded_and_its_detection_marked(self):
        run = common.WORK / "failure"
        rows = list(csv.DictReader(open(run / "events.csv")))
        self.assertEqual([(r["node"], r["event"]) for r in rows],
                         [("edge.node-1", e) for e in ("down", "declared_down", "up", "declared_up")])
        fig = gantt.build(run)
        ax = fig.axes[0]
        labels = [t.get_text() for t in ax.get_yticklabels()]
        (failure,) = common.by_gid(ax, "failures")
        vertices = failure.get_paths()[0].vertices
        self.assertEqual(labels[round(vertices[:, 1].mean())], "edge.node-1")
        np.testing.assert_allclose([vertices[:, 0].min(), vertices[:, 0].max()], [1.0, 2.0])
        (detection,) = common.by_gid(ax, "detections")
        detected = detection.get_segments()[0][0][0]
        # Silence starts after the last heartbeat before 1 s; the detector waits 0.3 s more.
        self.assertGreater(detected, 1.0 + 0.3 - 0.1)
        self.assertLessEqual(detected, 1.0 + 0.3 + 0.01)
        self.assertIn("declared down", [t.get_text() for t in ax.get_legend().get_texts()])

    def test_command_writes_png_svg_and_pdf(self):
        out = common.WORK / "gantt_images"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        code, stdout, _ = common.plot("gantt", RUN, "--out", out / "g.png")
        self.assertEqual(code, 0)
        self.assertIn("wrote", stdout)
        width, height = common.png_size(out / "g.png")
        self.assertGreater(width, 800)
        self.assertGreater(height, 300)
        self.assertEqual(common.plot("gantt", RUN, "--out", out / "g", "--format", "svg")[0], 0)
        svg = ET.parse(out / "g.svg").getroot()
        self.assertTrue(svg.tag.endswith("svg"))
        self.assertEqual(common.plot("gantt", RUN, "--out", out / "g.pdf")[0], 0)
        self.assertEqual((out / "g.pdf").read_bytes()[:5], b"%PDF-")
        # Same data, same bytes: no dates in the files
        common.plot("gantt", RUN, "--out", out / "again.svg")
        self.assertEqual((out / "g.svg").read_bytes(), (out / "again.svg").read_bytes())


if __name__ == "__main__":
    unittest.main()
