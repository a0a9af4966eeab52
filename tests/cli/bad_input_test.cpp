// Malformed scenarios and command lines: each must exit 2 with "FILE: /json/pointer: message" on
// stderr, and leave no results folder behind (not even a temporary one).
#include "process.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace leptonsim::test;

namespace {

struct BadCase {
  const char* name;
  std::string file;               // scenario path
  std::vector<std::string> args;  // extra arguments (overrides)
  std::string expected;           // fragment of stderr, after "FILE: "
};

std::string bad(const char* file) { return (source_dir() / "tests" / "bad" / file).string(); }

std::vector<BadCase> cases()
{
  const std::string batch  = scenario("batch_balanced").string();
  const std::string stream = scenario("stream_stable").string();
  const std::string city   = scenario("smart_city_5m").string();
  const std::string dags   = scenario("recommendation").string();
  const std::string qpu    = scenario("quantum_offload").string();
  const std::string qkd    = scenario("qkd_city_backbone").string();
  return {
      {"invalid JSON", bad("syntax_trailing_comma.json"), {}, "line 4, column 1: invalid JSON"},
      {"not an object", bad("top_level_array.json"), {}, "(document): must be an object, got an array"},
      {"duplicate key", bad("duplicate_key.json"), {}, "/platform/sites/0/link/latency: key 'latency' appears twice"},
      {"number out of range", bad("huge_number.json"), {}, "(document): invalid JSON: number overflow parsing '1e400'"},
      {"missing workload", bad("no_workload.json"), {}, "/workload: required key is missing"},
      {"disconnected topology", bad("disconnected.json"), {}, "/platform/links: the topology is disconnected"},
      {"missing file", bad("there_is_no_such_file.json"), {}, "(document): cannot open the file for reading"},
      {"unknown top-level key", batch, {"--set", "/polcy={}"}, "/polcy: unknown key 'polcy'; did you mean 'policy'?"},
      {"unknown node key", batch, {"--set", "/platform/sites/0/nodes/0/sped=\"1Gf\""}, "/platform/sites/0/nodes/0/sped: unknown key 'sped'; did you mean 'speed'?"},
      {"wrong type", batch, {"--set", "/platform/sites/0/nodes/0/speed=true"}, "/platform/sites/0/nodes/0/speed: must be a number in flop/s or a string"},
      {"negative speed", batch, {"--set", "/platform/sites/0/nodes/0/speed=-5Gf"}, "/platform/sites/0/nodes/0/speed: must be > 0, got -5000000000 flop/s"},
      {"zero cores", batch, {"--set", "/platform/sites/0/nodes/0/cores=0"}, "/platform/sites/0/nodes/0/cores: must be >= 1, got 0"},
      {"zero bandwidth", batch, {"--set", "/platform/sites/0/link/bandwidth=0"}, "/platform/sites/0/link/bandwidth: must be > 0"},
      {"negative latency", batch, {"--set", "/platform/sites/0/link/latency=-1ms"}, "/platform/sites/0/link/latency: must be >= 0"},
      {"unknown unit", batch, {"--set", "/platform/sites/0/nodes/0/speed=10Gz"}, "/platform/sites/0/nodes/0/speed: unknown unit 'Gz'"},
      {"NaN", batch, {"--set", "/workload/jobs/0/flops_per_unit=nan"}, "/workload/jobs/0/flops_per_unit: 'nan' is not a finite number"},
      {"infinite value", batch, {"--set", "/platform/sites/0/nodes/0/speed=1e300Yf"}, "/platform/sites/0/nodes/0/speed: '1e300Yf' overflows a double"},
      {"absurd node count", batch, {"--set", "/platform/sites/0/nodes/0/count=1000000000000"}, "/platform/sites/0/nodes/0/count: must be <= 100000"},
      {"absurd task count", stream, {"--set", "/workload/groups/0/rate=1000000"}, "/workload: this workload would simulate about 6e+10 tasks"},
      {"dangling link endpoint", city, {"--set", "/platform/links/0/between/1=\"clowd\""}, "/platform/links/0/between/1: no site is named 'clowd'; did you mean 'cloud'?"},
      {"unknown target", city, {"--set", "/workload/groups/1/targets/0=\"cloud.srv\""}, "/workload/groups/1/targets/0: no site or node is named 'cloud.srv'"},
      {"unknown policy", batch, {"--set", "/policy/name=fastest"}, "/policy/name: 'fastest' is not one of round_robin, capacity_weighted, least_loaded, random, power_of_two, nearest, edge_first, heft"},
      {"unknown workload key", batch, {"--set", "/workload/kind=dag"}, "/workload/kind: unknown key 'kind'"},
      {"zero duration", stream, {"--set", "/workload/duration=0s"}, "/workload/duration: must be > 0, got 0 s"},
      {"empty sites", batch, {"--set", "/platform/sites=[]"}, "/platform/sites: must not be empty"},
      {"duplicate site name", city, {"--set", "/platform/sites/1/name=\"district-3\""}, "/platform/sites/1: name 'district-3' is already used"},
      {"zero chunks", batch, {"--set", "/workload/jobs/0/chunks=0"}, "/workload/jobs/0/chunks: must be >= 1"},
      {"fractional sensors", stream, {"--set", "/workload/groups/0/sensors=2.5"}, "/workload/groups/0/sensors: must be an integer, got 2.5"},
      {"expectation on a metric that does not exist", batch, {"--set", "/expect/~1metrics~1latency_s~1p999={\"max\": 1}"}, "/expect/~1metrics~1latency_s~1p999: summary.json will have no value at '/metrics/latency_s/p999'"},
      {"override into nothing", batch, {"--set", "/platform/zones/0/name=x"}, "--set: /platform/zones/0/name: the scenario has nothing at /platform/zones/0"},
      {"override without a value", batch, {"--set", "/seed"}, "--set: /seed: expected /json/pointer=VALUE"},
      {"fault on an unknown node", stream, {"--set", "/faults={\"events\": [{\"target\": \"edge.nod-1\", \"down\": \"1s\"}]}"}, "/faults/events/0/target: no node, link or site is named 'edge.nod-1'; did you mean 'edge.node-1'?"},
      {"fault that ends before it starts", stream, {"--set", "/faults={\"events\": [{\"target\": \"edge.node-1\", \"down\": \"10s\", \"up\": \"5s\"}]}"}, "/faults/events/0/up: the failure ends before it starts: up at 5 s, down at 10 s"},
      {"negative failure rate", stream, {"--set", "/faults={\"random\": [{\"targets\": [\"edge\"], \"mtbf\": \"-1h\", \"mttr\": \"5m\"}]}"}, "/faults/random/0/mtbf: must be > 0, got -3600 s"},
      {"zero repair time", stream, {"--set", "/faults={\"random\": [{\"targets\": [\"edge\"], \"mtbf\": \"1h\", \"mttr\": 0}]}"}, "/faults/random/0/mttr: must be > 0, got 0 s"},
      {"timeout shorter than the heartbeat", stream, {"--set", "/faults={\"detection\": {\"heartbeat\": \"2s\", \"timeout\": \"1s\"}}"}, "/faults/detection/timeout: must exceed the heartbeat period (2 s)"},
      {"recovery without faults", stream, {"--set", "/workload/groups/0/recovery={\"strategy\": \"retry\"}"}, "/workload/groups/0/recovery: applies when the scenario has a \"faults\" section"},
      {"key of another strategy", stream, {"--set", "/faults={\"recovery\": {\"strategy\": \"retry\", \"copies\": 3}}"}, "/faults/recovery/copies: does not apply to the \"retry\" strategy"},
      {"replicas of DAG jobs", dags, {"--set", "/faults={\"recovery\": {\"strategy\": \"replicate\"}}"}, "/workload/groups/0: the default recovery \"replicate\" does not apply to DAG jobs"},
      {"cyclic DAG", dags, {"--set", "/workload/dags/0/tasks/0/after=[\"respond\"]"}, "/workload/dags/0/tasks: the tasks form a cycle: features -> rank -> respond -> features"},
      {"missing DAG dependency", dags, {"--set", "/workload/dags/0/tasks/1/after/0=\"featurs\""}, "/workload/dags/0/tasks/1/after/0: no task is named 'featurs' in DAG 'recommend'; did you mean 'features'?"},
      {"unknown DAG", dags, {"--set", "/workload/groups/0/job=\"recommended\""}, "/workload/groups/0/job: no DAG in \"dags\" is named 'recommended'; did you mean 'recommend'?"},
      {"tier with no node", dags, {"--set", "/workload/groups/0/targets=[\"region\"]"}, "/workload/groups/0/targets: task 'rank' of DAG 'recommend' needs a cloud node"},
      {"threshold on the wrong policy", batch, {"--set", "/policy={\"name\": \"random\", \"threshold\": \"1s\"}"}, "/policy/threshold: applies to the edge_first policy only"},
      {"modulated periodic arrivals", stream, {"--set", "/workload/groups/0/arrival=periodic", "--set", "/workload/groups/0/modulation={\"kind\": \"diurnal\", \"period\": \"1h\", \"amplitude\": 0.5}"}, "/workload/groups/0/modulation: applies to \"arrival\": \"poisson\" only"},
      {"circuit wider than the device", qpu, {"--set", "/workload/dags/0/tasks/1/circuit/qubits=200"}, "/workload/dags/0/tasks/1/circuit/qubits: needs 200 qubits but device 'ibm_heron_r2' has 156"},
      {"more shots than the device allows", qpu, {"--set", "/workload/dags/0/tasks/1/circuit/shots=200000"}, "/workload/dags/0/tasks/1/circuit/shots: 200000 shots exceed the 100000 per circuit that device 'ibm_heron_r2' allows"},
      {"unknown device preset", qpu, {"--set", "/platform/qpu/device=ibm_heron_r3"}, "/platform/qpu/device: 'ibm_heron_r3' is not a known device (ibm_heron_r2, ibm_eagle_r3, ionq_aria); did you mean 'ibm_heron_r2'?"},
      {"QKD key rate and fibre length both given", qkd, {"--set", "/platform/links/0/qkd/key_rate=1Mbps"}, "/platform/links/0/qkd/key_rate: give either \"key_rate\" (e.g. \"1Mbps\") or \"fibre_km\" to compute it from the fibre's loss, and only one of them"},
      {"negative fibre length", qkd, {"--set", "/platform/links/0/qkd/fibre_km=-5"}, "/platform/links/0/qkd/fibre_km: must be >= 0, got -5"},
      {"more circuits than the device takes per job", qpu, {"--set", "/workload/dags/0/tasks/1/circuit/circuits=301"}, "/workload/dags/0/tasks/1/circuit/circuits: 301 circuits exceed the 300 per job that device 'ibm_heron_r2' allows"},
      {"misspelt circuit key", qpu, {"--set", "/workload/dags/0/tasks/1/circuit/shot=10"}, "/workload/dags/0/tasks/1/circuit/shot: unknown key 'shot'; did you mean 'shots'?"},
      {"gate error of 1 or more", qpu, {"--set", "/platform/qpu/device={\"preset\": \"ibm_heron_r2\", \"error_2q\": 1.5}"}, "/platform/qpu/device/error_2q: must be < 1, got 1.5"},
      {"calibration that never ends", qpu, {"--set", "/platform/qpu/calibration=[{\"start\": \"1h\", \"duration\": \"10m\", \"every\": \"5m\"}]"}, "/platform/qpu/calibration/0/every: must exceed the window's duration (600 s), or the QPU never accepts a job"},
      {"AES without re-keying", qkd, {"--set", "/platform/links/4/qkd={\"mode\": \"aes\", \"fibre_km\": 60}"}, "/platform/links/4/qkd/mode: \"aes\" needs \"rekey_bytes\", \"rekey_interval\" or both"},
  };
}

}  // namespace

TEST_CASE("at least twenty malformed inputs each exit 2 with a pointer message and leave nothing behind")
{
  const auto all = cases();
  CHECK(all.size() >= 20);
  const auto dir = work_dir("bad_input");
  for (const auto& c : all) {
    const std::string name = c.name;
    CAPTURE(name);
    const auto out = dir / "results";
    std::vector<std::string> args{"run", c.file, "--out", out.string()};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto r = run_leptonsim(args);
    CHECK(r.exit_code == 2);
    const bool set_error = c.expected.rfind("--set", 0) == 0;
    const std::string expected = set_error ? c.expected : c.file + ": " + c.expected;
    CHECK_MESSAGE(r.err.find(expected) != std::string::npos, "stderr was: " << r.err);
    CHECK(r.out.empty());
    CHECK(std::filesystem::is_empty(dir));  // no results, no temporary folder
    // validate agrees with run
    std::vector<std::string> vargs{"validate", c.file};
    vargs.insert(vargs.end(), c.args.begin(), c.args.end());
    CHECK(run_leptonsim(vargs).exit_code == 2);
  }
}

TEST_CASE("all problems of a file are reported at once")
{
  const auto r = run_leptonsim({"validate", scenario("batch_balanced").string(), "--set",
                                "/platform/sites/0/nodes/0/speed=-1Gf", "--set", "/workload/jobs/0/units=0", "--set",
                                "/network/model=fast"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("/platform/sites/0/nodes/0/speed: must be > 0") != std::string::npos);
  CHECK(r.err.find("/workload/jobs/0/units: must be > 0") != std::string::npos);
  CHECK(r.err.find("/network/model: 'fast' is not one of ideal, cm02, lv08") != std::string::npos);
}

TEST_CASE("usage errors exit 2")
{
  CHECK(run_leptonsim({}).exit_code == 2);
  CHECK(run_leptonsim({"simulate", "x.json"}).exit_code == 2);
  CHECK(run_leptonsim({"run"}).exit_code == 2);
  CHECK(run_leptonsim({"run", scenario("batch_balanced").string(), "--seed", "minus-one"}).exit_code == 2);
  CHECK(run_leptonsim({"run", scenario("batch_balanced").string(), "--bogus"}).exit_code == 2);
}

TEST_CASE("a results folder is never written over something that is not one")
{
  const auto dir = work_dir("refuse_overwrite");
  const auto precious = dir / "thesis";
  std::filesystem::create_directories(precious);
  { std::ofstream(precious / "chapter1.tex") << "do not delete"; }
  const auto r = run_leptonsim({"run", scenario("seed_example_4_3").string(), "--out", precious.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("is not a leptonsim results folder") != std::string::npos);
  CHECK(read_file(precious / "chapter1.tex") == "do not delete");
  CHECK(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("SimGrid settings that SimGrid refuses are input errors")
{
  const auto dir = work_dir("bad_cfg");
  for (const char* cfg : {"foo:bar", "network/weight-S:abc"}) {
    const auto r = run_leptonsim({"run", scenario("seed_example_4_3").string(), "--out", (dir / "r").string(), "--cfg", cfg});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(std::string("--cfg: ") + cfg + ": SimGrid refuses it") != std::string::npos);
    CHECK(std::filesystem::is_empty(dir));
  }
}
