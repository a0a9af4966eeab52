#include "models/costs.hpp"
#include "models/scenario.hpp"

#include <doctest/doctest.h>

using namespace leptonsim::models;

TEST_CASE("default power figures grow with the cores and interpolate one busy core linearly")
{
  const PowerSpec edge = default_power(NodeKind::edge, 4);
  CHECK(edge.idle == 9.0);
  CHECK(edge.busy == 21.0);
  CHECK(edge.one_core == doctest::Approx(12.0));
  CHECK(edge.off == 0.0);
  const PowerSpec cloud = default_power(NodeKind::cloud, 32);
  CHECK(cloud.idle == 168.0);
  CHECK(cloud.busy == 424.0);
  const PowerSpec qpu = default_power(NodeKind::qpu, 1);
  CHECK(qpu.idle == 25000.0);  // cryogenics draw the same power whether circuits run or not
  CHECK(qpu.busy == qpu.idle);
}

TEST_CASE("default billing: edge boxes are owned, cloud cores and QPU time are rented")
{
  const NodeCostSpec edge = default_node_cost(NodeKind::edge, 4);
  CHECK(edge.billing == NodeCostSpec::Billing::owned);
  CHECK(edge.capital == 1000.0);
  CHECK(edge.lifetime == doctest::Approx(5 * 365.25 * 86400));
  CHECK(default_node_cost(NodeKind::cloud, 32).billing == NodeCostSpec::Billing::core_hours);
  CHECK(default_node_cost(NodeKind::cloud, 32).cores == 32);
  CHECK(default_node_cost(NodeKind::qpu, 1).billing == NodeCostSpec::Billing::device_time);
}

TEST_CASE("costs add up as the hand computation says")
{
  NodeCostSpec owned;  // 8,766 currency over one year, plus 0.5 an hour
  owned.billing            = NodeCostSpec::Billing::owned;
  owned.capital            = 8766;
  owned.lifetime           = seconds_per_year;
  owned.operating_per_hour = 0.5;
  NodeCostSpec rented;
  rented.billing   = NodeCostSpec::Billing::core_hours;
  rented.core_hour = 0.1;
  rented.cores     = 16;
  NodeCostSpec qpu;
  qpu.billing    = NodeCostSpec::Billing::device_time;
  qpu.per_second = 1.6;
  Prices prices;
  prices.energy_per_kWh = 0.2;
  prices.egress_per_GB  = 0.05;
  Usage usage;
  usage.period      = 7200;                     // two hours
  usage.energy      = {3.6e6 * 3, 3.6e6, 1e9};  // 3 kWh bought; rented nodes' energy is in their price
  usage.device_busy = {7200, 7200, 30};
  usage.egress      = 4e9;
  const CostBreakdown c = compute_costs({owned, rented, qpu}, prices, usage);
  // 365.25 days of 24 h: 8766 h, so the capital is 1 an hour.
  CHECK(c.capital == doctest::Approx(2.0));
  CHECK(c.operating == doctest::Approx(1.0));
  CHECK(c.energy == doctest::Approx(0.6));
  CHECK(c.rented == doctest::Approx(16 * 2 * 0.1));
  CHECK(c.device == doctest::Approx(48.0));
  CHECK(c.egress == doctest::Approx(0.2));
  CHECK(c.total == doctest::Approx(2.0 + 1.0 + 0.6 + 3.2 + 48.0 + 0.2));
  REQUIRE(c.node.size() == 3);
  CHECK(c.node[0] == doctest::Approx(3.6));
  CHECK(c.node[1] == doctest::Approx(3.2));
  CHECK(c.node[2] == doctest::Approx(48.0));
}

TEST_CASE("an empty period costs nothing but what was bought")
{
  Usage usage;
  usage.energy      = {0.0};
  usage.device_busy = {0.0};
  const CostBreakdown c = compute_costs({default_node_cost(NodeKind::edge, 4)}, Prices{}, usage);
  CHECK(c.total == 0.0);
}
