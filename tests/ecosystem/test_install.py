"""cmake --install into a temporary prefix gives a leptonsim that runs its installed scenarios
(including one whose platform is a SimGrid file), a plot tool that finds its Python package, the
schemas and the documentation."""

import json
import shutil
import subprocess
import unittest

import common


class InstallTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.prefix = common.fresh("install") / "prefix"
        done = subprocess.run(["cmake", "--install", str(common.BUILD), "--prefix", str(cls.prefix)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        cls.bin = cls.prefix / "bin" / "leptonsim"
        cls.share = cls.prefix / "share" / "leptonsim"

    def test_the_usual_places(self):
        for path in ("bin/leptonsim", "bin/leptonsim-plot", "share/leptonsim/python/plotting/cli.py",
                     "share/leptonsim/schema/scenario.schema.json", "share/leptonsim/schema/sweep.schema.json",
                     "share/leptonsim/scenarios/smart_city_5m.json",
                     "share/leptonsim/scenarios/platforms/small_platform.xml",
                     "share/doc/leptonsim/README.md", "share/doc/leptonsim/outputs.md",
                     "share/doc/leptonsim/ecosystem.md"):
            self.assertTrue((self.prefix / path).is_file(), path)
        self.assertEqual(list(self.prefix.rglob("__pycache__")), [])

    def test_version_names_leptonsim_and_simgrid(self):
        done = common.leptonsim("--version", binary=self.bin)
        self.assertEqual(done.returncode, 0)
        self.assertRegex(done.stdout.strip(), r"^leptonsim \d+\.\d+\.\d+ \(built with SimGrid 3\.32\.\d+\)$")

    def test_installed_binary_runs_installed_scenarios_and_the_plot_tool_draws_them(self):
        out = common.fresh("install_runs")
        for name in ("batch_heterogeneous", "small_platform_grid"):
            with self.subTest(scenario=name):
                done = common.leptonsim("run", self.share / "scenarios" / f"{name}.json", "--check", "-q",
                                        "--out", out / name, binary=self.bin)
                self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
                summary = json.loads((out / name / "summary.json").read_text())
                self.assertEqual(summary["scenario"]["name"], name)
        # The installed launcher, moved away from the sources, finds its package in the prefix.
        done = subprocess.run([str(self.prefix / "bin" / "leptonsim-plot"), "gantt", str(out / "batch_heterogeneous"),
                               "--out", str(out / "gantt.png")], capture_output=True, text=True, cwd=out)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(out / "gantt.png", "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_installed_sweep_runs_its_installed_scenario(self):
        out = common.fresh("install_sweep") / "stream_nodes"
        done = common.leptonsim("sweep", self.share / "scenarios" / "sweeps" / "stream_nodes.json", "-q", "-j", "2",
                                "--out", out, binary=self.bin)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        rows = (out / "sweep.csv").read_text().splitlines()
        # 2 points x 2 replications, every one ok.
        self.assertEqual(len(rows), 1 + 4)
        self.assertTrue(all(",ok,," in row for row in rows[1:]), rows)

    def test_installed_scenarios_validate_against_the_installed_schema(self):
        import jsonschema
        schema = json.loads((self.share / "schema" / "scenario.schema.json").read_text())
        check = jsonschema.Draft202012Validator(schema)
        for path in sorted((self.share / "scenarios").glob("*.json")):
            with self.subTest(scenario=path.name):
                self.assertEqual(list(check.iter_errors(json.loads(path.read_text()))), [])


if __name__ == "__main__":
    unittest.main()
