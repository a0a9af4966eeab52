#include "scenario_builder.hpp"
#include "sim/simulation.hpp"

#include <doctest/doctest.h>

using namespace leptonsim;

TEST_CASE("a node's energy is idle power over the run plus the busy increment over its busy time")
{
  // One core at 1 Gflop/s, idle 100 W and busy 180 W; a 10 s job that starts at t = 10 s.
  const auto s = test::scenario_from(R"({
    "name": "energy",
    "platform": {"sites": [{"name": "edge", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
      "nodes": [{"name": "n", "speed": "1Gf", "power": {"idle": "100W", "busy": "180W"}},
                {"name": "m", "speed": "1Gf"}]}]},
    "workload": {"jobs": [{"name": "j", "units": 10, "flops_per_unit": "1Gf", "chunks": 1,
                                            "start": "10s", "nodes": ["edge.n"]}]}
  })");
  const auto r = sim::run_simulation(s);
  CHECK(r.end_time == doctest::Approx(20.0));
  CHECK(r.nodes[0].energy == doctest::Approx(100.0 * 20 + 80.0 * 10));
  // No power figures: an idle one-core edge box at its class's default, 6 W.
  CHECK(r.nodes[1].energy == doctest::Approx(6.0 * 20));
  CHECK(r.energy == doctest::Approx(2800.0 + 120.0));
}

TEST_CASE("with several cores the power follows the busy cores: one_core for one, busy for all")
{
  // Two cores at 1 Gflop/s: idle 20 W, one core busy 50 W, both busy 60 W. Three 10 s pieces on
  // the node: both cores busy for 10 s, then one core for 10 s.
  const auto s = test::scenario_from(R"({
    "name": "energy",
    "platform": {"sites": [{"name": "edge", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
      "nodes": [{"name": "n", "speed": "1Gf", "cores": 2,
                 "power": {"idle": "20W", "one_core": "50W", "busy": "60W"}}]}]},
    "workload": {"jobs": [{"name": "j", "units": 30, "flops_per_unit": "1Gf", "chunks": 3, "nodes": ["edge.n"]}]}
  })");
  const auto r = sim::run_simulation(s);
  CHECK(r.end_time == doctest::Approx(20.0));
  CHECK(r.nodes[0].energy == doctest::Approx(60.0 * 10 + 50.0 * 10));
}

TEST_CASE("a node that is off draws its off power")
{
  // Idle 10 W, off 2 W; down from 5 s to 15 s of a 20 s run with nothing to do.
  const auto s = test::scenario_from(R"({
    "name": "energy",
    "platform": {"sites": [{"name": "edge", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
      "nodes": [{"name": "n", "speed": "1Gf", "power": {"idle": "10W", "busy": "30W", "off": "2W"}},
                {"name": "m", "speed": "1Gf"}]}]},
    "workload": {"jobs": [{"name": "j", "units": 20, "flops_per_unit": "1Gf", "chunks": 1, "nodes": ["edge.m"]}]},
    "faults": {"events": [{"target": "edge.n", "down": "5s", "up": "15s"}]}
  })");
  const auto r = sim::run_simulation(s);
  CHECK(r.end_time == doctest::Approx(20.0));
  CHECK(r.nodes[0].energy == doctest::Approx(10.0 * 10 + 2.0 * 10));
}
