// Load balancing: which node receives the next task. A policy sees a ClusterView (what a
// dispatcher can know: capacities, work it has assigned and not yet seen finish, which nodes are
// up, distances) and never SimGrid. Each dispatcher owns its own policy instance, so stateful
// policies (round-robin counters) are per dispatcher and deterministic.
#pragma once

#include "models/scenario.hpp"

#include <cstdint>
#include <memory>
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
};

struct ClusterView {
  std::span<const NodeLoad> nodes;  // indexed like Platform::nodes
};

struct TaskRequest {
  double flops = 0;
  double bytes = 0;
  size_t source_site = 0;
};

class Policy {
public:
  virtual ~Policy() = default;
  // Picks one of `candidates` (node indices, never empty). Returns an index into Platform::nodes.
  virtual size_t choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest& task) = 0;
};

// One policy instance for a dispatcher whose candidate set is fixed (a sensor group or a job).
std::unique_ptr<Policy> make_policy(const PolicySpec& spec, const ClusterView& view,
                                    std::span<const size_t> candidates);

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

}  // namespace leptonsim::models
