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
  CHECK(r.nodes[1].energy < 0);  // no power figures, no energy
  CHECK(r.energy == doctest::Approx(2800.0));
}
