#include "models/network_model.hpp"
#include "models/topology.hpp"
#include "scenario_builder.hpp"
#include "sim/simulation.hpp"

#include <doctest/doctest.h>

using namespace leptonsim;

namespace {
// One reading of 1 GB from a site's switch to a node over a 10 GB/s link of 100 ms, and almost
// no compute: the latency is the transfer time of the network model.
void check_transfer(const char* model, double expected)
{
  auto doc = test::poisson_stream(1, 1, 1e12, 1, 1, 1);
  doc["network"] = {{"model", model}};
  doc["platform"]["sites"][0]["link"] = {{"bandwidth", "10GBps"}, {"latency", "100ms"}};
  doc["workload"]["groups"][0]        = {{"name", "g"}, {"site", "edge"}, {"sensors", 1}, {"period", "10s"},
                                         {"flops", 1}, {"bytes", "1GB"}};
  const auto s = models::parse_scenario(doc, "network.json");
  const models::Topology topology(s.platform);
  const double predicted = models::transfer_time(models::network_params(s.network),
                                                 topology.route_summary(models::Endpoint::site(0), models::Endpoint::node(0)),
                                                 1e9);
  const auto r = sim::run_simulation(s);
  REQUIRE(r.tasks_completed == 1);
  CHECK(predicted == doctest::Approx(expected).epsilon(1e-3));
  CHECK(r.transfer.max == doctest::Approx(predicted).epsilon(1e-6));
}
}  // namespace

TEST_CASE("ideal network: a transfer takes exactly latency + size / bandwidth")
{
  check_transfer("ideal", 0.2);
}

TEST_CASE("cm02 network: the TCP window bounds the rate at gamma / (2 latency)")
{
  check_transfer("cm02", 47.78);
}

TEST_CASE("lv08 network (SimGrid's default) multiplies latency by 13.01 and bandwidth by 0.97")
{
  check_transfer("lv08", 50.46);
}
