// Scenarios and sweeps that ask for absurd sizes are refused before anything is allocated: exit 2,
// "FILE: /json/pointer: message", no results folder. Without these limits each case below would
// exhaust memory (a platform, a task list, a timeline) or run for years.
#include "process.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace leptonsim::test;
namespace fs = std::filesystem;

namespace {

struct Absurd {
  const char* what;
  std::string scenario;
  std::vector<std::string> sets;
  std::string expected;  // stderr after "FILE: "
};

std::vector<Absurd> cases()
{
  const std::string batch  = scenario("batch_balanced").string();
  const std::string stream = scenario("stream_stable").string();
  return {
      {"10^12 nodes in one template", batch, {"/platform/sites/0/nodes/0/count=1000000000000"},
       "/platform/sites/0/nodes/0/count: must be <= 100000, got 1000000000000"},
      {"10^12 replicated sites", batch, {"/platform/sites/0/count=1000000000000"},
       "/platform/sites/0/count: must be <= 1000, got 1000000000000"},
      {"10^5 nodes in each of 10^3 sites", batch,
       {"/platform/sites/0/count=1000", "/platform/sites/0/nodes/0/count=100000"},
       "/platform/sites/0/count: the platform would have more than 100000 nodes"},
      {"10^9 cores on a node", batch, {"/platform/sites/0/nodes/0/cores=1000000000"},
       "/platform/sites/0/nodes/0/cores: must be <= 4096, got 1000000000"},
      {"4 x 10^8 cores in all", batch,
       {"/platform/sites/0/nodes/0/count=100000", "/platform/sites/0/nodes/0/cores=4096"},
       "/platform: the platform would have 409600000 cores, more than the limit of 100000"},
      {"10^15 chunks", batch, {"/workload/jobs/0/chunks=1000000000000000"},
       "/workload/jobs/0/chunks: must be <= 10000000, got 1000000000000000"},
      {"a rate of 10^15 tasks/s", stream, {"/workload/groups/0/rate=1e15"},
       "/workload/groups/0/rate: must be <= 1000000000, got 1000000000000000"},
      {"10^15 tasks of a stream", stream, {"/workload/groups/0/rate=1e9", "/workload/duration=1000s"},
       "/workload: this workload would simulate about 1e+15 tasks, more than the limit of 2e+09"},
      {"10^15 sensors", stream, {"/workload/groups/0/sensors=1000000000000000"},
       "/workload/groups/0/sensors: must be <= 1000000000, got 1000000000000000"},
      {"a 10^15 s stream", stream, {"/workload/duration=1e15s"},
       "/workload/duration: must be <= 1000000000, got 1000000000000000 s"},
      {"a timeline row every nanosecond", stream, {"/output={\"timeline_interval\": \"1ns\"}"},
       "/output/timeline_interval: would sample the timeline 6e+10 times over the 60 s of arrivals"},
      {"10^15 task rows", stream, {"/output={\"max_task_rows\": 1000000000000000}"},
       "/output/max_task_rows: must be <= 100000000, got 1000000000000000"},
      {"a heartbeat every nanosecond", stream,
       {"/faults={\"detection\": {\"heartbeat\": \"1ns\", \"timeout\": \"3ns\"}}"},
       "/faults/detection/heartbeat: the nodes would send about 2.4e+11 heartbeats over the 60 s of arrivals"},
  };
}

}  // namespace

TEST_CASE("absurd sizes in a scenario are refused up front with a pointer message and leave nothing behind")
{
  const auto dir = work_dir("absurd_scenarios");
  for (const auto& c : cases()) {
    CAPTURE(c.what);
    std::vector<std::string> args{"run", c.scenario, "--out", (dir / "out").string()};
    for (const auto& s : c.sets) {
      args.push_back("--set");
      args.push_back(s);
    }
    const auto r = run_leptonsim(args);
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind(c.scenario + ": " + c.expected, 0) == 0);
    CHECK(r.err.find("\n") == r.err.size() - 1);  // one problem, one line
    CHECK(fs::is_empty(dir));
  }
}

TEST_CASE("absurd sizes in a sweep and its options are refused before anything runs")
{
  const auto dir = work_dir("absurd_sweeps");
  const std::string base = scenario("batch_balanced").string();
  const auto sweep = [&](const std::string& name, const std::string& body) {
    const auto path = dir / (name + ".json");
    std::ofstream(path) << R"({"name": ")" + name + R"(", "scenario": ")" + base + R"(", )" + body + "}";
    return path.string();
  };
  const std::string values = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]";
  const auto many_runs =
      sweep("grid", R"("grid": [{"pointer": "/platform/sites/0/nodes/0/count", "values": )" + values +
                        R"(}, {"pointer": "/workload/jobs/0/chunks", "values": )" + values +
                        R"(}, {"pointer": "/workload/jobs/0/units", "values": )" + values +
                        R"(}], "replications": 1000, "metrics": ["/metrics/end_time_s"])");
  auto r = run_leptonsim({"sweep", many_runs, "--out", (dir / "out").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err == many_runs + ": (document): the sweep has 8000000 runs (points x replications); at most 1000000 are "
                             "allowed\n");

  const auto replications = sweep("reps", R"("replications": 1000000000000000, "metrics": ["/metrics/end_time_s"])");
  r = run_leptonsim({"sweep", replications, "--out", (dir / "out").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err == replications + ": /replications: must be <= 100000, got 1000000000000000\n");

  const auto fine = sweep("fine", R"("metrics": ["/metrics/end_time_s"])");
  for (const auto& option : std::vector<std::vector<std::string>>{{"-j", "1000000000000000"},
                                                                   {"--shard", "1/1000000000000000"}}) {
    CAPTURE(option[0]);
    r = run_leptonsim({"sweep", fine, "--out", (dir / "out").string(), option[0], option[1]});
    CHECK(r.exit_code == 2);
  }
  CHECK(!fs::exists(dir / "out"));
}
