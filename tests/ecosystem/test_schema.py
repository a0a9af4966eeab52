"""The JSON Schemas of scenario and sweep files: every shipped file validates, the schema and
leptonsim's own validator both refuse every case of bad_scenarios.json, and both accept every case
of good_variants.json (keys that no shipped scenario uses)."""

import copy
import json
import os
import unittest

import jsonschema

import common

SCHEMAS = common.SOURCE / "scenarios" / "schema"
SCENARIOS = common.SOURCE / "scenarios"
SWEEPS = SCENARIOS / "sweeps"
# Sweep files shipped elsewhere: the parallel benchmark's, the Slurm test's, the plot tests' and the
# reference results'.
OTHER_SWEEPS = [common.SOURCE / "tools" / "bench" / "sweep_parallel.json",
                common.SOURCE / "tests" / "slurm" / "stream_policies.json",
                common.SOURCE / "tests" / "plot" / "stream_stable_sweep.json",
                common.SOURCE / "tools" / "reference" / "city_capacity.json"]


def validator(name):
    schema = json.loads((SCHEMAS / name).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def tokens(pointer):
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def parent_and_key(doc, pointer):
    *path, last = tokens(pointer)
    for t in path:
        doc = doc[int(t)] if isinstance(doc, list) else doc[t]
    return doc, (int(last) if isinstance(doc, list) else last)


def variant(case):
    """The shipped scenario case["base"] with case["remove"] removed and case["set"] set."""
    doc = json.loads((SCENARIOS / f"{case['base']}.json").read_text())
    if "simgrid_xml" in doc["platform"]:  # the copy is written elsewhere: an absolute path
        doc["platform"]["simgrid_xml"] = str(SCENARIOS / doc["platform"]["simgrid_xml"])
    doc = copy.deepcopy(doc)
    for pointer in case.get("remove", []):
        parent, key = parent_and_key(doc, pointer)
        del parent[key]
    for pointer, value in case.get("set", {}).items():
        parent, key = parent_and_key(doc, pointer)
        parent[key] = value
    return doc


class SchemaTest(unittest.TestCase):
    def test_schemas_are_valid_draft_2020_12(self):
        for name in ("scenario.schema.json", "sweep.schema.json"):
            schema = json.loads((SCHEMAS / name).read_text())
            self.assertEqual(schema["$schema"], "https://json-schema.org/draft/2020-12/schema")
            jsonschema.Draft202012Validator.check_schema(schema)

    def test_every_shipped_scenario_validates(self):
        check = validator("scenario.schema.json")
        files = sorted(SCENARIOS.glob("*.json"))
        self.assertGreaterEqual(len(files), 15)
        for path in files:
            with self.subTest(scenario=path.name):
                errors = [f"{e.json_path}: {e.message}" for e in check.iter_errors(json.loads(path.read_text()))]
                self.assertEqual(errors, [])

    def test_every_shipped_sweep_validates(self):
        if not SWEEPS.is_dir():
            self.skipTest("no scenarios/sweeps/ folder in this tree")
        check = validator("sweep.schema.json")
        files = sorted(SWEEPS.glob("*.json")) + [p for p in OTHER_SWEEPS if p.exists()]
        self.assertGreaterEqual(len(files), 1)
        for path in files:
            with self.subTest(sweep=path.name):
                errors = [f"{e.json_path}: {e.message}" for e in check.iter_errors(json.loads(path.read_text()))]
                self.assertEqual(errors, [])

    def test_the_sweep_schema_refuses_what_the_sweep_format_refuses(self):
        check = validator("sweep.schema.json")
        good = {"name": "s", "scenario": "../smart_city_5m.json", "metrics": ["/metrics/end_time_s"],
                "grid": [{"pointer": "/policy/name", "values": ["round_robin", "least_loaded"]}]}
        self.assertEqual(list(check.iter_errors(good)), [])
        for change in ({"metrics": []}, {"grid": [{"pointer": "/seed", "values": [1, 1]}]}, {"replications": 0},
                       {"grid": [{"pointer": "/seed", "values": []}]}, {"timeout": "10 minutes"}, {"sed": 1}):
            with self.subTest(change=change):
                bad = dict(good, **change)
                self.assertNotEqual(list(check.iter_errors(bad)), [])

    def test_schema_and_leptonsim_both_refuse_every_bad_input(self):
        check = validator("scenario.schema.json")
        cases = json.loads((common.SOURCE / "tests" / "ecosystem" / "bad_scenarios.json").read_text())["cases"]
        self.assertGreaterEqual(len(cases), 29)
        work = common.fresh("schema_bad_inputs")
        for i, case in enumerate(cases):
            with self.subTest(case=case["name"]):
                doc = variant(case)
                self.assertNotEqual(list(check.iter_errors(doc)), [], "the schema accepts it")
                path = work / f"case{i}.json"
                path.write_text(json.dumps(doc, indent=2))
                done = common.leptonsim("validate", path)
                self.assertEqual(done.returncode, 2, done.stdout + done.stderr)
                self.assertIn(f"{path}: {case['leptonsim']}", done.stderr)

    def test_schema_and_leptonsim_both_accept_every_good_variant(self):
        check = validator("scenario.schema.json")
        cases = json.loads((common.SOURCE / "tests" / "ecosystem" / "good_variants.json").read_text())["cases"]
        self.assertGreaterEqual(len(cases), 4)
        work = common.fresh("schema_good_variants")
        for i, case in enumerate(cases):
            with self.subTest(case=case["name"]):
                doc = variant(case)
                errors = [f"{e.json_path}: {e.message}" for e in check.iter_errors(doc)]
                self.assertEqual(errors, [])
                path = work / f"case{i}.json"
                path.write_text(json.dumps(doc, indent=2))
                done = common.leptonsim("validate", path)
                self.assertEqual(done.returncode, 0, done.stdout + done.stderr)


if __name__ == "__main__":
    unittest.main()
