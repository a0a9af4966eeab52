#include "models/policy.hpp"

#include <doctest/doctest.h>

#include <map>

using namespace leptonsim::models;

namespace {
std::vector<NodeLoad> nodes(std::initializer_list<double> capacities)
{
  std::vector<NodeLoad> v;
  for (double c : capacities)
    v.push_back(NodeLoad{c, 1, c, 0.0, 0, true, NodeKind::edge});
  return v;
}

// Two sites: a (nodes 0 and 1, 1 ms and 5 ms access links) and b (node 2), 20 ms apart.
Scenario two_sites()
{
  return parse_scenario(Json::parse(R"({
    "name": "t",
    "platform": {"sites": [
      {"name": "a", "nodes": [{"name": "near", "speed": "1Gf", "link": {"bandwidth": "1Gbps", "latency": "1ms"}},
                              {"name": "far", "speed": "4Gf", "link": {"bandwidth": "1Gbps", "latency": "5ms"}}]},
      {"name": "b", "kind": "cloud", "nodes": [{"name": "big", "speed": "10Gf", "cores": 8,
                                                "link": {"bandwidth": "10Gbps", "latency": "0.1ms"}}]}],
      "links": [{"between": ["a", "b"], "bandwidth": "100Mbps", "latency": "20ms"}]},
    "workload": {"jobs": [{"name": "j", "units": 1, "flops_per_unit": "1f"}]}
  })"),
                        "t.json");
}
}  // namespace

TEST_CASE("round robin cycles over the candidates and skips nodes that are down")
{
  auto loads = nodes({1, 1, 1, 1});
  std::vector<size_t> candidates{0, 2, 3};
  ClusterView view{loads};
  RoundRobinPolicy rr;
  CHECK(rr.choose(view, candidates, {}) == 0);
  CHECK(rr.choose(view, candidates, {}) == 2);
  CHECK(rr.choose(view, candidates, {}) == 3);
  CHECK(rr.choose(view, candidates, {}) == 0);
  loads[2].up = false;
  CHECK(rr.choose(view, candidates, {}) == 3);
}

TEST_CASE("capacity weighting deals exactly in proportion over each period")
{
  auto loads = nodes({1e9, 2e9, 3e9, 4e9});
  std::vector<size_t> candidates{0, 1, 2, 3};
  ClusterView view{loads};
  CapacityWeightedPolicy cw(view, candidates);
  std::map<size_t, int> count;
  for (int i = 0; i < 120; ++i)
    ++count[cw.choose(view, candidates, {})];
  CHECK(count[0] == 12);
  CHECK(count[1] == 24);
  CHECK(count[2] == 36);
  CHECK(count[3] == 48);
}

TEST_CASE("capacity weighting spreads picks in time rather than in runs")
{
  auto loads = nodes({1, 1});
  std::vector<size_t> candidates{0, 1};
  ClusterView view{loads};
  CapacityWeightedPolicy cw(view, candidates);
  CHECK(cw.choose(view, candidates, {}) == 0);
  CHECK(cw.choose(view, candidates, {}) == 1);
  CHECK(cw.choose(view, candidates, {}) == 0);
}

TEST_CASE("least loaded picks the earliest expected finish")
{
  auto loads = nodes({1e9, 4e9});
  std::vector<size_t> candidates{0, 1};
  ClusterView view{loads};
  LeastLoadedPolicy ll;
  TaskRequest task{1e9, 0, Endpoint::site(0)};
  CHECK(ll.choose(view, candidates, task) == 1);  // 0.25 s against 1 s
  loads[1].queued_flops = 4e9;                    // now 1.25 s against 1 s
  CHECK(ll.choose(view, candidates, task) == 0);
  loads[0].up = false;
  CHECK(ll.choose(view, candidates, task) == 1);
}

TEST_CASE("random picks every candidate about equally often and never one that is down")
{
  auto loads = nodes({1, 1, 1, 1});
  loads[3].up = false;
  std::vector<size_t> candidates{0, 1, 2, 3};
  ClusterView view{loads};
  RandomPolicy random(42);
  std::map<size_t, int> count;
  for (int i = 0; i < 30000; ++i)
    ++count[random.choose(view, candidates, {})];
  CHECK(count[3] == 0);
  for (size_t n : {0, 1, 2})
    CHECK(count[n] == doctest::Approx(10000).epsilon(0.03));
}

TEST_CASE("power of two choices keeps the less loaded of two distinct draws")
{
  auto loads = nodes({1, 1, 1});
  loads[0].queued_flops = 10;  // always worse
  loads[1].queued_flops = 5;
  std::vector<size_t> candidates{0, 1, 2};
  ClusterView view{loads};
  PowerOfTwoPolicy p2(7);
  std::map<size_t, int> count;
  for (int i = 0; i < 3000; ++i)
    ++count[p2.choose(view, candidates, {1, 0, Endpoint::site(0)})];
  // Node 0 is never the better of two distinct nodes; node 2 wins every pair it is in (2 of 3).
  CHECK(count[0] == 0);
  CHECK(count[2] == doctest::Approx(2000).epsilon(0.05));
  CHECK(count[1] == doctest::Approx(1000).epsilon(0.1));
}

TEST_CASE("nearest follows latency from the data and breaks ties by load")
{
  const Scenario s = two_sites();
  const Topology t(s.platform);
  const RouteCosts routes(t, network_params(s.network));
  auto loads = idle_loads(s.platform);
  ClusterView view{loads, &routes};
  std::vector<size_t> candidates{0, 1, 2};
  NearestPolicy nearest;
  CHECK(nearest.choose(view, candidates, {1e9, 0, Endpoint::site(0)}) == 0);   // 1 ms
  CHECK(nearest.choose(view, candidates, {1e9, 0, Endpoint::site(1)}) == 2);   // 0.1 ms
  CHECK(nearest.choose(view, candidates, {1e9, 0, Endpoint::node(1)}) == 1);   // the data is on node 1 itself
}

TEST_CASE("edge first overflows to the cloud only past the threshold")
{
  const Scenario s = two_sites();
  auto loads = idle_loads(s.platform);
  ClusterView view{loads};
  std::vector<size_t> candidates{0, 1, 2};
  EdgeFirstPolicy policy(0.5);
  const TaskRequest task{1e9, 0, Endpoint::site(0)};
  CHECK(policy.choose(view, candidates, task) == 1);  // least loaded edge node (4 Gflop/s)
  loads[0].queued_flops = 1e9;                        // 1 s of backlog
  loads[1].queued_flops = 1.6e9;                      // 0.4 s: still under 0.5 s
  CHECK(policy.choose(view, candidates, task) == 1);
  loads[1].queued_flops = 4e9;  // 1 s: every edge node is past the threshold
  CHECK(policy.choose(view, candidates, task) == 2);
}

TEST_CASE("earliest finish counts the input transfer")
{
  const Scenario s = two_sites();
  const Topology t(s.platform);
  const RouteCosts routes(t, network_params(s.network));
  auto loads = idle_loads(s.platform);
  ClusterView view{loads, &routes};
  std::vector<size_t> candidates{0, 1, 2};
  EarliestFinishPolicy eft;
  // 1 Gflop from site a: near 1 ms + 1 s, far 5 ms + 0.25 s, cloud 20.1 ms + 0.1 s.
  CHECK(eft.choose(view, candidates, {1e9, 0, Endpoint::site(0)}) == 2);
  // With 100 MB of input the 100 Mb/s uplink costs the cloud 8 s: the far edge node wins.
  CHECK(eft.choose(view, candidates, {1e9, 100e6, Endpoint::site(0)}) == 1);
}

TEST_CASE("make_policy builds the named policy")
{
  auto loads = nodes({1, 2});
  std::vector<size_t> candidates{0, 1};
  ClusterView view{loads};
  CHECK(dynamic_cast<RoundRobinPolicy*>(make_policy({PolicyKind::round_robin}, view, candidates, 1).get()));
  CHECK(dynamic_cast<CapacityWeightedPolicy*>(make_policy({PolicyKind::capacity_weighted}, view, candidates, 1).get()));
  CHECK(dynamic_cast<LeastLoadedPolicy*>(make_policy({PolicyKind::least_loaded}, view, candidates, 1).get()));
  CHECK(dynamic_cast<RandomPolicy*>(make_policy({PolicyKind::random}, view, candidates, 1).get()));
  CHECK(dynamic_cast<PowerOfTwoPolicy*>(make_policy({PolicyKind::power_of_two}, view, candidates, 1).get()));
  CHECK(dynamic_cast<NearestPolicy*>(make_policy({PolicyKind::nearest}, view, candidates, 1).get()));
  CHECK(dynamic_cast<EdgeFirstPolicy*>(make_policy({PolicyKind::edge_first}, view, candidates, 1).get()));
  CHECK(dynamic_cast<EarliestFinishPolicy*>(make_policy({PolicyKind::heft}, view, candidates, 1).get()));
}
