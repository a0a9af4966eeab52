#include "models/network_model.hpp"

#include <doctest/doctest.h>

using namespace leptonsim::models;

// 1 GB over one 10 GB/s link of 100 ms: the figures DESIGN.md measured with SimGrid 3.32.
TEST_CASE("effective transfer times follow SimGrid's CM02 and LV08 models")
{
  RouteSummary route{0.1, 10e9, 1};
  NetworkSpec spec;
  spec.model = NetworkModelKind::ideal;
  CHECK(transfer_time(network_params(spec), route, 1e9) == doctest::Approx(0.2));
  spec.model = NetworkModelKind::cm02;
  CHECK(transfer_time(network_params(spec), route, 1e9) == doctest::Approx(47.78).epsilon(1e-3));
  spec.model = NetworkModelKind::lv08;
  CHECK(transfer_time(network_params(spec), route, 1e9) == doctest::Approx(50.46).epsilon(1e-3));
}

TEST_CASE("the ideal model configures SimGrid with no TCP window and no cross-traffic")
{
  NetworkSpec spec;
  const auto cfg = simgrid_config(network_params(spec));
  REQUIRE(cfg.size() == 3);
  CHECK(cfg[0] == "network/model:CM02");
  CHECK(cfg[1] == "network/TCP-gamma:1e+30");  // no window: see simgrid_config()
  CHECK(cfg[2] == "network/crosstraffic:0");
  spec.model = NetworkModelKind::lv08;
  CHECK(simgrid_config(network_params(spec))[2] == "network/crosstraffic:1");
}

TEST_CASE("an empty route costs nothing")
{
  NetworkSpec spec;
  CHECK(transfer_time(network_params(spec), RouteSummary{0, 1e9, 0}, 1e6) == 0.0);
}
