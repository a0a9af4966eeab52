#include "models/policy.hpp"

#include <doctest/doctest.h>

#include <map>

using namespace leptonsim::models;

namespace {
std::vector<NodeLoad> nodes(std::initializer_list<double> capacities)
{
  std::vector<NodeLoad> v;
  for (double c : capacities)
    v.push_back(NodeLoad{c, 1, c, 0.0, 0, true});
  return v;
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
  TaskRequest task{1e9, 0, 0};
  CHECK(ll.choose(view, candidates, task) == 1);  // 0.25 s against 1 s
  loads[1].queued_flops = 4e9;                    // now 1.25 s against 1 s
  CHECK(ll.choose(view, candidates, task) == 0);
  loads[0].up = false;
  CHECK(ll.choose(view, candidates, task) == 1);
}

TEST_CASE("make_policy builds the named policy")
{
  auto loads = nodes({1, 2});
  std::vector<size_t> candidates{0, 1};
  ClusterView view{loads};
  CHECK(dynamic_cast<RoundRobinPolicy*>(make_policy({PolicyKind::round_robin}, view, candidates).get()));
  CHECK(dynamic_cast<CapacityWeightedPolicy*>(make_policy({PolicyKind::capacity_weighted}, view, candidates).get()));
  CHECK(dynamic_cast<LeastLoadedPolicy*>(make_policy({PolicyKind::least_loaded}, view, candidates).get()));
}
