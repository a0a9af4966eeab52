#include "models/cost_model.hpp"
#include "scenario_builder.hpp"
#include "sim/simulation.hpp"

#include <doctest/doctest.h>

using namespace leptonsim;

namespace {

// A perception-like DAG released by vehicles at an edge site with a cloud behind it.
models::Json perception(const std::string& policy, double rate)
{
  auto doc = models::Json::parse(R"({
    "name": "dag", "seed": 3,
    "platform": {"sites": [
      {"name": "road", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
       "nodes": [{"name": "rsu", "count": 3, "speed": "4Gf", "cores": 4}]},
      {"name": "cloud", "kind": "cloud", "link": {"bandwidth": "10Gbps", "latency": "0.1ms"},
       "nodes": [{"name": "server", "speed": "8Gf", "cores": 16}]}],
      "links": [{"between": ["road", "cloud"], "bandwidth": "1Gbps", "latency": "10ms"}],
      "qpu": {"site": "cloud", "speed": "1Gf", "link": {"bandwidth": "1Gbps", "latency": "0.1ms"}}},
    "workload": {"duration": "20s",
      "dags": [{"name": "frame", "deadline": "100ms", "tasks": [
        {"name": "camera", "flops": "10Mf", "output": "500kB", "tier": "edge"},
        {"name": "lidar", "flops": "20Mf", "output": "300kB", "tier": "edge"},
        {"name": "fusion", "flops": "30Mf", "output": "200kB", "after": ["camera", "lidar"], "tier": "edge"},
        {"name": "detect", "flops": "120Mf", "output": "20kB", "after": ["fusion"], "deadline": "80ms", "tier": "edge"},
        {"name": "track", "flops": "20Mf", "output": "5kB", "after": ["detect"], "tier": "edge"},
        {"name": "plan", "flops": "10Mf", "after": ["track"], "tier": "edge"},
        {"name": "map", "flops": "50Mf", "tier": "cloud", "after": ["fusion"]}]}],
      "groups": [{"name": "vehicles", "site": "road", "sensors": 10, "rate": 10, "arrival": "poisson",
                  "bytes": "1MB", "job": "frame", "targets": ["road", "cloud"]}]}
  })");
  doc["policy"]                            = {{"name", policy}};
  doc["workload"]["groups"][0]["rate"]     = rate / 10;
  return doc;
}

void check_dag_run(const std::string& policy)
{
  const auto s = models::parse_scenario(perception(policy, 100), "dag.json");
  const auto r = sim::run_simulation(s);
  const auto& g = r.groups.at(0);
  CAPTURE(policy);
  CHECK(g.jobs_completed == g.readings);
  CHECK(g.tasks_completed == 7 * g.readings);
  CHECK(r.tasks_completed == r.tasks_submitted);
  // No job finishes sooner than its input plus its critical path on the fastest eligible node.
  const double bound = r.stream_prediction.group_min_latency.at(0);
  CHECK(bound > 0.030);
  CHECK(g.latency.min >= bound * (1 - 1e-9));
  CHECK(g.deadline.jobs == g.jobs_completed);
  CHECK(g.deadline.task_deadlines == g.jobs_completed);
  // The map task is the only one allowed on the cloud.
  CHECK(r.nodes.at(3).tasks_completed == g.jobs_completed);
}

}  // namespace

TEST_CASE("DAG jobs under least_loaded complete and never beat the critical-path bound")
{
  check_dag_run("least_loaded");
}

TEST_CASE("DAG jobs under heft complete and never beat the critical-path bound")
{
  check_dag_run("heft");
}

TEST_CASE("DAG jobs under round_robin complete and never beat the critical-path bound")
{
  check_dag_run("round_robin");
}

TEST_CASE("DAG jobs under nearest complete and never beat the critical-path bound")
{
  check_dag_run("nearest");
}

TEST_CASE("HEFT keeps a job on one node where spreading it would pay transfers")
{
  // At light load HEFT places the edge part of a job on the cores of one RSU: a job moves its
  // 1 MB input once per entry task and 200 kB to the cloud's map task, and almost nothing else.
  const auto r = sim::run_simulation(models::parse_scenario(perception("heft", 20), "dag.json"));
  const auto& g        = r.groups.at(0);
  const double inputs   = 2 * 1e6 * static_cast<double>(g.jobs_completed);  // camera + lidar entries
  const double to_cloud = 200e3 * static_cast<double>(g.jobs_completed);   // fusion -> map
  CHECK(r.bytes_moved >= inputs + to_cloud);
  CHECK(r.bytes_moved <= 1.01 * (inputs + to_cloud));
}

TEST_CASE("deadlines below the critical path are always missed")
{
  auto doc = perception("least_loaded", 20);
  doc["workload"]["dags"][0]["deadline"] = "10ms";
  const auto r = sim::run_simulation(models::parse_scenario(doc, "dag.json"));
  const auto& d = r.groups.at(0).deadline;
  CHECK(d.jobs > 300);
  CHECK(d.missed == d.jobs);
  CHECK(d.lateness.min > 0.02);
}

TEST_CASE("QPU tasks run on the quantum co-processor host")
{
  auto doc = perception("least_loaded", 10);
  doc["workload"]["dags"][0]["tasks"][6] = {{"name", "map"}, {"flops", "1Mf"}, {"kind", "qpu"}, {"after", {"fusion"}}};
  const auto s = models::parse_scenario(doc, "dag.json");
  const auto r = sim::run_simulation(s);
  REQUIRE(s.platform.qpu.has_value());
  CHECK(r.nodes.at(*s.platform.qpu).tasks_completed == r.groups.at(0).jobs_completed);
}
