// Load balancing: which node receives the next task. A policy sees a ClusterView (what a
// dispatcher can know: capacities, work it has assigned and not yet seen finish, which nodes are
// up, distances) and never SimGrid. Each dispatcher owns its own policy instance, so stateful
// policies (round-robin counters) are per dispatcher and deterministic.
#pragma once

#include "models/route_costs.hpp"
#include "models/scenario.hpp"
#include "models/topology.hpp"

#include <cstdint>
#include <memory>
#include <random>
#include <span>
#include <vector>

namespace leptonsim::models {

struct NodeLoad {
  double speed     = 0;  // flop/s per core
  int cores        = 1;
  double capacity  = 0;  // flop/s, speed * cores
  double queued_flops = 0;  // assigned by any dispatcher and not yet finished (in transit, waiting or running)
  uint64_t queued_tasks = 0;
  bool up = true;
  NodeKind kind = NodeKind::edge;

  // Expected time until this node could start new work, if its queue drained at full capacity.
  double backlog() const { return queued_flops / capacity; }
};

struct ClusterView {
  std::span<const NodeLoad> nodes;     // indexed like Platform::nodes
  const RouteCosts* routes = nullptr;  // distances; policies that need them require it
};

struct TaskRequest {
  double flops = 0;
  double bytes = 0;   // input that must reach the chosen node
  Endpoint source;    // where that input is: a site's switch or a node
};

// Builds a view of an idle cluster (every node up, nothing queued).
std::vector<NodeLoad> idle_loads(const Platform& platform);

class Policy {
public:
  virtual ~Policy() = default;
  // Picks one of `candidates` (node indices, never empty). Returns an index into Platform::nodes.
  virtual size_t choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest& task) = 0;
};

// One policy instance for a dispatcher whose candidate set is fixed (a sensor group or a job).
// `seed` feeds the randomised policies.
std::unique_ptr<Policy> make_policy(const PolicySpec& spec, const ClusterView& view,
                                    std::span<const size_t> candidates, uint64_t seed);

// Cyclic order over the candidates, ignoring load and speed.
class RoundRobinPolicy final : public Policy {
public:
  size_t choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest& task) override;

private:
  size_t next_ = 0;
};

// Tasks in proportion to capacity, as evenly spread in time as possible: stride scheduling, where
// each pick advances the chosen node's pass by 1 / capacity and the smallest pass goes next.
class CapacityWeightedPolicy final : public Policy {
public:
  CapacityWeightedPolicy(const ClusterView& view, std::span<const size_t> candidates);
  size_t choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest& task) override;

private:
  std::vector<double> pass_;    // per candidate position
  std::vector<double> stride_;  // 1 / capacity
};

// Earliest expected finish: the node minimising (queued flops + this task's flops) / capacity.
class LeastLoadedPolicy final : public Policy {
public:
  size_t choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest& task) override;
};

// A candidate drawn uniformly at random.
class RandomPolicy final : public Policy {
public:
  explicit RandomPolicy(uint64_t seed) : rng_(seed) {}
  size_t choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest& task) override;

private:
  std::mt19937_64 rng_;
};

// The power of two choices (Mitzenmacher 2001): draw two candidates, keep the less loaded.
class PowerOfTwoPolicy final : public Policy {
public:
  explicit PowerOfTwoPolicy(uint64_t seed) : rng_(seed) {}
  size_t choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest& task) override;

private:
  std::mt19937_64 rng_;
};

// The node of lowest network latency from the task's input; the least loaded among equals.
class NearestPolicy final : public Policy {
public:
  size_t choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest& task) override;
};

// Edge first: the least loaded edge node, unless its backlog exceeds the threshold; then the least
// loaded cloud node (overflow).
class EdgeFirstPolicy final : public Policy {
public:
  explicit EdgeFirstPolicy(double threshold) : threshold_(threshold) {}
  size_t choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest& task) override;

private:
  double threshold_;
};

// Earliest finish time including the input transfer: max(transfer, backlog) + flops / speed. For
// a single task this is what HEFT does for each of a DAG's tasks (see models/heft.hpp).
class EarliestFinishPolicy final : public Policy {
public:
  size_t choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest& task) override;
};

}  // namespace leptonsim::models
