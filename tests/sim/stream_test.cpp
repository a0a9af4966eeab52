#include "scenario_builder.hpp"
#include "sim/simulation.hpp"

#include <doctest/doctest.h>

using namespace leptonsim;

TEST_CASE("below capacity (rho = 0.5) latency stays bounded and the backlog stays flat")
{
  // 4 single-core nodes of 1 Gflop/s, 2,000 readings/s of 1 Mflop: service 1 ms, rho 0.5.
  const auto s = models::parse_scenario(test::poisson_stream(4, 1, 1e9, 2000, 1e6, 40), "stable.json");
  const auto r = sim::run_simulation(s);
  CHECK(r.stream_prediction.rho_total == doctest::Approx(0.5));
  CHECK(r.stream_prediction.stable);
  CHECK_FALSE(r.overloaded);
  CHECK(std::abs(r.backlog_growth) < 0.01 * 2000);
  CHECK(r.tasks_completed == r.tasks_submitted);
  CHECK(r.readings == r.tasks_completed);
  CHECK(r.readings == doctest::Approx(80000).epsilon(0.02));
  CHECK(r.latency.mean >= 1.5e-3);   // 0.5 ms of network + 1 ms of service, at least
  CHECK(r.latency.p99 < 10e-3);      // a handful of service times
  CHECK(r.drain_time < 0.02);
  CHECK(r.backlog_at_end_of_arrivals < 50);
}

TEST_CASE("above capacity (rho = 1.25) the backlog grows at arrivals minus service and the run says so")
{
  const auto s = models::parse_scenario(test::poisson_stream(4, 1, 1e9, 5000, 1e6, 20), "overload.json");
  const auto r = sim::run_simulation(s);
  CHECK(r.stream_prediction.rho_total == doctest::Approx(1.25));
  CHECK_FALSE(r.stream_prediction.stable);
  CHECK(r.overloaded);
  CHECK(r.backlog_growth == doctest::Approx(1000).epsilon(0.1));
  CHECK(static_cast<double>(r.backlog_at_end_of_arrivals) == doctest::Approx(20000).epsilon(0.1));
  CHECK(r.drain_time == doctest::Approx(5.0).epsilon(0.1));
  CHECK(r.tasks_completed == r.tasks_submitted);
}

TEST_CASE("periodic sensors each report once per period staggered over it")
{
  auto doc                                   = test::poisson_stream(2, 2, 1e9, 1000, 1e5, 10);
  doc["workload"]["groups"][0]["arrival"]    = "periodic";
  doc["workload"]["groups"][0]["sensors"]    = 5000;
  doc["workload"]["groups"][0].erase("rate");
  doc["workload"]["groups"][0]["period"]     = "5s";
  const auto r = sim::run_simulation(models::parse_scenario(doc, "periodic.json"));
  CHECK(r.readings == 10000);
  CHECK(r.groups.at(0).sensors_reporting == 5000);
  CHECK(r.tasks_completed == 10000);
  // No queueing: a reading every 1 ms, 0.1 ms of work, four cores.
  CHECK(r.wait.max == 0.0);
  CHECK(r.latency.max == doctest::Approx(0.5e-3 + 100 / 125e6 + 1e-4).epsilon(1e-6));
}

TEST_CASE("micro-batching bundles readings into one task and counts each reading's latency")
{
  auto doc = test::poisson_stream(1, 1, 1e9, 1000, 1e5, 10);
  doc["workload"]["groups"][0]["micro_batch"] = {{"size", 50}, {"max_wait", "20ms"}};
  const auto r = sim::run_simulation(models::parse_scenario(doc, "batched.json"));
  CHECK(r.latency.count == r.readings);
  // About 1,000 readings/s: a batch opened by a reading closes 20 ms later with some 21 readings.
  CHECK(r.tasks_completed > r.readings / 30);
  CHECK(r.tasks_completed < r.readings / 15);
  // Waiting for the batch, then network and at most 50 readings of 0.1 ms of service, little queueing.
  CHECK(r.latency.max < 0.040);
  CHECK(r.latency.mean > 0.005);
  CHECK(r.groups.at(0).tasks_completed == r.tasks_completed);
}

TEST_CASE("round robin over unequal nodes overloads the slow one while least loaded does not")
{
  auto doc = test::poisson_stream(2, 1, 1e9, 1200, 1e6, 20, "round_robin");
  doc["platform"]["sites"][0]["nodes"] = {{{"name", "slow"}, {"speed", "0.5Gf"}}, {{"name", "fast"}, {"speed", "1.5Gf"}}};
  const auto r = sim::run_simulation(models::parse_scenario(doc, "rr.json"));
  // Each node gets 600 readings/s: the slow one serves 500/s and falls behind.
  CHECK(r.stream_prediction.stable);  // in total, 1.2 of 2 Gflop/s
  CHECK(r.overloaded);
  CHECK(r.nodes[0].utilisation > 0.95);
}
