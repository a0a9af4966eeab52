"""tools/plot as a user meets it: bad folders, files and columns exit 2 with a message naming
them and never a traceback; usage errors exit 2; output paths and formats."""

import shutil
import unittest

import common

RUN = common.WORK / "reference" / "batch_heterogeneous"


def broken_copy(name, change):
    """A copy of RUN with one file changed: change(folder) edits it."""
    folder = common.WORK / "cli" / name
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(RUN, folder)
    change(folder)
    return folder


class PlotCommandTest(unittest.TestCase):
    def assert_input_error(self, args, expected):
        code, stdout, stderr = common.plot(*args)
        self.assertEqual(code, 2, stderr)
        self.assertIn(expected, stderr)
        self.assertNotIn("Traceback", stderr)
        self.assertEqual(stdout, "")

    def test_a_folder_without_the_needed_csv(self):
        empty = common.WORK / "cli" / "empty"
        empty.mkdir(parents=True, exist_ok=True)
        self.assert_input_error(["gantt", empty], f"plot: {empty / 'tasks.csv'}: no such file")
        self.assert_input_error(["timeline", empty], f"plot: {empty / 'timeline.csv'}: no such file")
        self.assert_input_error(["sweep", empty, "--x", "a", "--y", "b"],
                                f"{empty / 'sweep_summary.csv'}: no such file")
        self.assert_input_error(["gantt", common.WORK / "cli" / "nowhere"], "nowhere/tasks.csv: no such file")
        no_nodes = broken_copy("no_nodes", lambda f: (f / "nodes.csv").unlink())
        self.assert_input_error(["timeline", no_nodes], f"{no_nodes / 'nodes.csv'}: no such file (needed for "
                                "utilisation: cores per site)")

    def test_a_file_without_the_needed_column(self):
        def drop_started(folder):
            text = (folder / "tasks.csv").read_text().replace("started_s", "begun_s", 1)
            (folder / "tasks.csv").write_text(text)
        folder = broken_copy("no_started", drop_started)
        self.assert_input_error(["gantt", folder], f"{folder / 'tasks.csv'}: no column 'started_s' (columns: task_id,")

    def test_values_that_are_not_numbers_are_located(self):
        def corrupt(folder):
            lines = (folder / "timeline.csv").read_text().splitlines()
            fields = lines[3].split(",")
            fields[0] = "soon"
            lines[3] = ",".join(fields)
            (folder / "timeline.csv").write_text("\n".join(lines) + "\n")
        folder = broken_copy("not_a_number", corrupt)
        self.assert_input_error(["timeline", folder],
                                f"{folder / 'timeline.csv'}: column 'time_s', line 4: 'soon' is not a number")

        def empty_core(folder):
            lines = (folder / "tasks.csv").read_text().splitlines()
            lines[2] = lines[2].rsplit(",", 1)[0] + ","
            (folder / "tasks.csv").write_text("\n".join(lines) + "\n")
        folder = broken_copy("empty_cell", empty_core)
        self.assert_input_error(["gantt", folder], f"{folder / 'tasks.csv'}: column 'core', line 3: the cell is empty")

        def core_out_of_range(folder):
            lines = (folder / "tasks.csv").read_text().splitlines()
            lines[2] = lines[2].rsplit(",", 1)[0] + ",7"
            (folder / "tasks.csv").write_text("\n".join(lines) + "\n")
        folder = broken_copy("no_such_core", core_out_of_range)
        self.assert_input_error(["gantt", folder], "has no core 7 in")

    def test_files_that_are_not_what_they_claim(self):
        folder = broken_copy("garbage", lambda f: (f / "tasks.csv").write_bytes(b"\xff\xfe\x00garbage\x00\n"))
        self.assert_input_error(["gantt", folder], f"{folder / 'tasks.csv'}:")
        folder = broken_copy("empty_csv", lambda f: (f / "tasks.csv").write_text(""))
        self.assert_input_error(["gantt", folder], f"{folder / 'tasks.csv'}: the file is empty")
        folder = broken_copy("bad_json", lambda f: (f / "summary.json").write_text("{"))
        self.assert_input_error(["model", folder], f"{folder / 'summary.json'}: not valid JSON")
        folder = broken_copy("bad_event", lambda f: (f / "events.csv").write_text("time_s,node,event\n1,rr.n1,on fire\n"))
        self.assert_input_error(["gantt", folder],
                                f"{folder / 'events.csv'}: column 'event', line 2: 'on fire' is not one of down, up, declared_down, declared_up")

    def test_usage_errors_exit_2(self):
        for args in ([], ["draw"], ["gantt"], ["sweep", RUN, "--x", "a"], ["gantt", RUN, "--start", "soon"],
                     ["gantt", RUN, "--format", "gif"]):
            code, _, stderr = common.plot(*args)
            self.assertEqual(code, 2, args)
            self.assertIn("usage: plot", stderr)
        self.assert_input_error(["gantt", RUN, "--out", common.WORK / "cli" / "g.svg", "--format", "png"],
                                "the extension says svg but --format says png")
        self.assert_input_error(["gantt", RUN, "--out", common.WORK / "cli" / "g.jpeg"], "unknown image format 'jpeg'")
        self.assert_input_error(["gantt", RUN, "--out", common.WORK / "cli" / "no" / "such" / "g.png"],
                                "does not exist")
        self.assert_input_error(["gantt", RUN, "--start", "5", "--end", "2"], "--end 2 must be after --start 5")

    def test_help_lists_every_command(self):
        code, stdout, _ = common.plot("--help")
        self.assertEqual(code, 0)
        for command in ("gantt", "timeline", "model", "sweep", "exit codes"):
            self.assertIn(command, stdout)

    def test_default_output_goes_beside_the_data(self):
        folder = broken_copy("defaults", lambda f: None)
        code, stdout, _ = common.plot("gantt", folder, "--format", "pdf")
        self.assertEqual(code, 0)
        self.assertEqual(stdout.strip(), f"plot: wrote {folder / 'gantt.pdf'}")
        self.assertEqual((folder / "gantt.pdf").read_bytes()[:5], b"%PDF-")


if __name__ == "__main__":
    unittest.main()
