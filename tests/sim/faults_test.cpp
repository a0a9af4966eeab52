// Failures, their detection and recovery from them.
#include "scenario_builder.hpp"
#include "sim/simulation.hpp"

#include <doctest/doctest.h>

using namespace leptonsim;

namespace {

// Four single-core nodes at rho 0.5 (scenario_builder's Poisson stream); node 1 fails at 10 s
// and comes back at 20 s.
sim::RunResult stream_with_failure(const std::string& strategy)
{
  auto doc = test::poisson_stream(4, 1, 1e9, 2000, 1e6, 30);
  doc["faults"] = {{"detection", {{"heartbeat", "1s"}, {"timeout", "3s"}}},
                   {"recovery", {{"strategy", strategy}}},
                   {"events", {{{"target", "edge.n-1"}, {"down", "10s"}, {"up", "20s"}}}}};
  return sim::run_simulation(models::parse_scenario(doc, "faults.json"));
}

void check_conservation(const sim::RunResult& r)
{
  const auto& f = r.faults;
  CHECK(f.submitted == f.completed + f.lost + f.rejected);
  CHECK(f.submitted == r.tasks_submitted);
  CHECK(f.completed == r.tasks_completed);
  CHECK(f.node_failures == 1);
  CHECK(f.detections == 1);
}

}  // namespace

TEST_CASE("without recovery the tasks on a failed node are lost and everything is accounted for")
{
  const auto r = stream_with_failure("none");
  check_conservation(r);
  CHECK(r.faults.lost > 0);
  CHECK(r.faults.lost < 20);  // what the node held, and what was sent to it before anyone noticed
  CHECK(r.faults.retried == 0);
}

TEST_CASE("with retry nothing is lost while another node is alive")
{
  const auto r = stream_with_failure("retry");
  check_conservation(r);
  CHECK(r.faults.lost == 0);
  CHECK(r.faults.retried > 0);
  CHECK(r.faults.recovery_time.max > 0);
}

TEST_CASE("with replicas nothing is lost and the losing copies are cancelled")
{
  const auto r = stream_with_failure("replicate");
  check_conservation(r);
  CHECK(r.faults.lost == 0);
  CHECK(r.faults.duplicated_flops > 0);
  // Every reading completes once, however many copies ran.
  CHECK(r.tasks_completed == r.readings);
}

TEST_CASE("with checkpoints nothing is lost while another node is alive")
{
  const auto r = stream_with_failure("checkpoint");
  check_conservation(r);
  CHECK(r.faults.lost == 0);
}

TEST_CASE("detection takes at most the timeout plus one heartbeat period")
{
  const auto r = stream_with_failure("retry");
  CHECK(r.faults.detection_delay.max <= 3.0 + 1.0);
  CHECK(r.faults.detection_delay.max >= 3.0 - 1.0);
}

// Two single-core nodes, ten chunks dealt round-robin: five pieces of 10 s on each. Node 1 fails
// at 25 s, never to return: it has finished two pieces and is running its third.
TEST_CASE("without recovery the lost count is what the failure plan predicts")
{
  const auto s = test::scenario_from(R"({
    "name": "lost", "policy": {"name": "round_robin"},
    "platform": {"sites": [{"name": "edge", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
                            "nodes": [{"name": "n", "count": 2, "speed": "1Gf"}]}]},
    "workload": {"jobs": [{"name": "j", "units": 10, "flops_per_unit": "10Gf", "chunks": 10}]},
    "faults": {"events": [{"target": "edge.n-1", "down": "25s"}]}
  })");
  const auto r = sim::run_simulation(s);
  CHECK(r.faults.lost == 3);       // one running and two waiting on node 1
  CHECK(r.faults.completed == 7);  // five on node 0, two on node 1 before it failed
  CHECK(r.faults.jobs_lost == 1);
  CHECK(r.jobs.at(0).failed);
  CHECK(r.faults.wasted_flops == doctest::Approx(5e9));  // half of the running piece
}

TEST_CASE("a retried batch piece moves to a live node and the job completes")
{
  const auto s = test::scenario_from(R"({
    "name": "moved", "policy": {"name": "round_robin"},
    "platform": {"sites": [{"name": "edge", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
                            "nodes": [{"name": "n", "count": 2, "speed": "1Gf"}]}]},
    "workload": {"jobs": [{"name": "j", "units": 10, "flops_per_unit": "10Gf", "chunks": 10, "sharing": {"rounds": 1}}]},
    "faults": {"recovery": {"strategy": "retry"}, "events": [{"target": "edge.n-1", "down": "25s"}]}
  })");
  const auto r = sim::run_simulation(s);
  CHECK(r.faults.lost == 0);
  CHECK_FALSE(r.jobs.at(0).failed);
  CHECK(r.faults.submitted == r.faults.completed);
  // Node 0 ends up doing node 1's remaining work too.
  CHECK(r.jobs.at(0).makespan > 50.0);
}

// One long task of 10 s; its node fails at 5.5 s and the task runs again on the other node.
sim::RunResult long_task(const char* strategy)
{
  auto doc = models::Json::parse(R"({
    "name": "ckpt",
    "platform": {"sites": [{"name": "edge", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
                            "nodes": [{"name": "n", "count": 2, "speed": "1Gf"}]}]},
    "workload": {"duration": "1s", "groups": [{"name": "g", "site": "edge", "sensors": 1, "period": "10s",
                                               "flops": "10Gf", "policy": {"name": "round_robin"}}]},
    "faults": {"detection": {"heartbeat": "0.1s", "timeout": "0.5s"},
               "events": [{"target": "edge.n-0", "down": "5.5s"}]}
  })");
  doc["faults"]["recovery"] = {{"strategy", strategy}};
  if (std::string(strategy) == "checkpoint")
    doc["faults"]["recovery"].update({{"interval", "1s"}, {"cost", "0s"}});
  return sim::run_simulation(models::parse_scenario(doc, "ckpt.json"));
}

TEST_CASE("a retried task starts over and loses the work done before the failure")
{
  const auto r = long_task("retry");
  CHECK(r.faults.lost == 0);
  CHECK(r.faults.wasted_flops == doctest::Approx(5.499e9).epsilon(1e-9));  // it started after a 1 ms transfer
  // Detected within 0.5 s (+ 0.1 s), backoff 0.1 s, then the whole 10 s again.
  CHECK(r.end_time > 5.5 + 10.0);
  CHECK(r.end_time < 5.5 + 0.6 + 0.1 + 10.0 + 0.01);
}

TEST_CASE("a checkpointed task resumes from its last checkpoint")
{
  const auto r = long_task("checkpoint");
  CHECK(r.faults.lost == 0);
  // Only the half second since the fifth checkpoint is lost, and 5 s remain to run.
  CHECK(r.faults.wasted_flops == doctest::Approx(0.499e9).epsilon(1e-9));
  CHECK(r.end_time > 5.5 + 5.0);
  CHECK(r.end_time < 5.5 + 0.6 + 0.1 + 5.0 + 0.01);
}

TEST_CASE("measured availability matches MTBF / (MTBF + MTTR) over a long run")
{
  // Ten nodes failing with an MTBF of 100 s and repaired with an MTTR of 10 s, over 20,000 s.
  auto doc = test::poisson_stream(10, 1, 1e9, 0.5, 1e6, 20000);
  doc["faults"] = {{"recovery", {{"strategy", "retry"}, {"max_attempts", 10}}},
                   {"random", {{{"targets", {"edge"}}, {"each", "node"}, {"mtbf", "100s"}, {"mttr", "10s"}}}}};
  const auto r = sim::run_simulation(models::parse_scenario(doc, "availability.json"));
  double sum = 0;
  for (const auto& n : r.nodes)
    sum += n.availability;
  CHECK(sum / static_cast<double>(r.nodes.size()) == doctest::Approx(100.0 / 110.0).epsilon(0.02));
  CHECK(r.faults.node_failures > 1000);
  CHECK(r.faults.detection_delay.max <= 3.0 + 1.0);  // the default detector: 1 s heartbeats, 3 s timeout
  CHECK(r.faults.submitted == r.faults.completed + r.faults.lost + r.faults.rejected);
}

TEST_CASE("a run whose every node dies ends instead of waiting forever")
{
  // Both nodes fail for good while tasks run and wait; every retry finds nothing alive.
  auto doc = test::poisson_stream(2, 1, 1e9, 1500, 1e6, 10);
  doc["faults"] = {{"recovery", {{"strategy", "retry"}, {"max_attempts", 3}}},
                   {"events", {{{"target", "edge"}, {"down", "5s"}}}}};
  const auto r = sim::run_simulation(models::parse_scenario(doc, "dark.json"));
  CHECK(r.faults.lost + r.faults.rejected > 0);
  CHECK(r.faults.submitted == r.faults.completed + r.faults.lost + r.faults.rejected);
  CHECK(r.end_time < 60);
}

TEST_CASE("a site outage takes its nodes down and their sensors fail over to the other site")
{
  const auto s = test::scenario_from(R"({
    "name": "outage", "policy": {"name": "nearest"},
    "platform": {"sites": [
      {"name": "a", "link": {"bandwidth": "1Gbps", "latency": "1ms"}, "nodes": [{"name": "n", "count": 2, "speed": "1Gf", "cores": 2}]},
      {"name": "b", "link": {"bandwidth": "1Gbps", "latency": "1ms"}, "nodes": [{"name": "n", "count": 2, "speed": "1Gf", "cores": 2}]}],
      "links": [{"between": ["a", "b"], "bandwidth": "1Gbps", "latency": "5ms"}]},
    "workload": {"duration": "30s", "groups": [
      {"name": "s", "site": "a", "sensors": 100, "rate": 10, "arrival": "poisson", "flops": "1Mf", "targets": ["a", "b"]}]},
    "faults": {"recovery": {"strategy": "retry"}, "events": [{"target": "a", "down": "10s", "up": "20s"}]}
  })");
  const auto r = sim::run_simulation(s);
  CHECK(r.faults.node_failures == 2);
  CHECK(r.faults.lost == 0);
  // Site b took the readings while a was dark: about 10 s of 1,000 readings/s.
  const double b = static_cast<double>(r.nodes[2].tasks_completed + r.nodes[3].tasks_completed);
  CHECK(b == doctest::Approx(10000).epsilon(0.1));
  CHECK(r.nodes[0].availability == doctest::Approx(2.0 / 3.0).epsilon(0.01));
}
