#include "models/policy.hpp"

#include <limits>

namespace leptonsim::models {

std::unique_ptr<Policy> make_policy(const PolicySpec& spec, const ClusterView& view, std::span<const size_t> candidates)
{
  switch (spec.kind) {
    case PolicyKind::round_robin:
      return std::make_unique<RoundRobinPolicy>();
    case PolicyKind::capacity_weighted:
      return std::make_unique<CapacityWeightedPolicy>(view, candidates);
    case PolicyKind::least_loaded:
      return std::make_unique<LeastLoadedPolicy>();
  }
  return std::make_unique<LeastLoadedPolicy>();
}

size_t RoundRobinPolicy::choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest&)
{
  // Skip nodes that are down, but keep the cycle: at most one full turn.
  for (size_t tries = 0; tries < candidates.size(); ++tries) {
    const size_t node = candidates[next_ % candidates.size()];
    next_             = (next_ + 1) % candidates.size();
    if (view.nodes[node].up)
      return node;
  }
  return candidates[0];
}

CapacityWeightedPolicy::CapacityWeightedPolicy(const ClusterView& view, std::span<const size_t> candidates)
    : pass_(candidates.size(), 0.0), stride_(candidates.size(), 0.0)
{
  for (size_t i = 0; i < candidates.size(); ++i) {
    stride_[i] = 1.0 / view.nodes[candidates[i]].capacity;
    // Start each node half a stride in, so that the first picks already follow capacity.
    pass_[i] = stride_[i] / 2.0;
  }
}

size_t CapacityWeightedPolicy::choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest&)
{
  size_t best      = candidates.size();
  double best_pass = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (view.nodes[candidates[i]].up && pass_[i] < best_pass) {
      best_pass = pass_[i];
      best      = i;
    }
  }
  if (best == candidates.size())
    return candidates[0];
  pass_[best] += stride_[best];
  return candidates[best];
}

size_t LeastLoadedPolicy::choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest& task)
{
  size_t best        = candidates[0];
  double best_finish = std::numeric_limits<double>::infinity();
  for (size_t node : candidates) {
    const NodeLoad& n = view.nodes[node];
    if (!n.up)
      continue;
    const double finish = (n.queued_flops + task.flops) / n.capacity;
    if (finish < best_finish) {
      best_finish = finish;
      best        = node;
    }
  }
  return best;
}

}  // namespace leptonsim::models
