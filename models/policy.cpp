#include "models/policy.hpp"

#include <algorithm>
#include <limits>

namespace leptonsim::models {

std::vector<NodeLoad> idle_loads(const Platform& platform)
{
  std::vector<NodeLoad> loads(platform.nodes.size());
  for (size_t i = 0; i < platform.nodes.size(); ++i) {
    const Node& n = platform.nodes[i];
    loads[i]      = NodeLoad{n.speed, n.cores, n.capacity(), 0.0, 0, true, n.kind};
  }
  return loads;
}

std::unique_ptr<Policy> make_policy(const PolicySpec& spec, const ClusterView& view, std::span<const size_t> candidates,
                                    uint64_t seed)
{
  switch (spec.kind) {
    case PolicyKind::round_robin:
      return std::make_unique<RoundRobinPolicy>();
    case PolicyKind::capacity_weighted:
      return std::make_unique<CapacityWeightedPolicy>(view, candidates);
    case PolicyKind::least_loaded:
      return std::make_unique<LeastLoadedPolicy>();
    case PolicyKind::random:
      return std::make_unique<RandomPolicy>(seed);
    case PolicyKind::power_of_two:
      return std::make_unique<PowerOfTwoPolicy>(seed);
    case PolicyKind::nearest:
      return std::make_unique<NearestPolicy>();
    case PolicyKind::edge_first:
      return std::make_unique<EdgeFirstPolicy>(spec.threshold);
    case PolicyKind::heft:
      return std::make_unique<EarliestFinishPolicy>();
  }
  return std::make_unique<LeastLoadedPolicy>();
}

namespace {

// Expected finish of the task on an otherwise fluid node queue.
double expected_finish(const NodeLoad& n, double flops)
{
  return (n.queued_flops + flops) / n.capacity;
}

// The least loaded node among candidates that pass `keep`; candidates.size() when none does.
template <class Keep>
size_t least_loaded_where(const ClusterView& view, std::span<const size_t> candidates, double flops, Keep keep)
{
  size_t best        = candidates.size();
  double best_finish = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < candidates.size(); ++i) {
    const NodeLoad& n = view.nodes[candidates[i]];
    if (!n.up || !keep(candidates[i]))
      continue;
    const double finish = expected_finish(n, flops);
    if (finish < best_finish) {
      best_finish = finish;
      best        = i;
    }
  }
  return best;
}

// A uniform index below n from the generator's raw bits.
size_t draw(std::mt19937_64& rng, size_t n)
{
  return static_cast<size_t>((static_cast<unsigned __int128>(rng()) * n) >> 64);
}

std::vector<size_t> up_candidates(const ClusterView& view, std::span<const size_t> candidates)
{
  std::vector<size_t> up;
  for (size_t c : candidates)
    if (view.nodes[c].up)
      up.push_back(c);
  return up;
}

}  // namespace

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
  const size_t best = least_loaded_where(view, candidates, task.flops, [](size_t) { return true; });
  return best < candidates.size() ? candidates[best] : candidates[0];
}

size_t RandomPolicy::choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest&)
{
  if (candidates.size() == 1)
    return candidates[0];
  const auto up = up_candidates(view, candidates);
  if (up.empty())
    return candidates[0];
  return up[draw(rng_, up.size())];
}

size_t PowerOfTwoPolicy::choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest& task)
{
  if (candidates.size() == 1)
    return candidates[0];
  const auto up = up_candidates(view, candidates);
  if (up.empty())
    return candidates[0];
  if (up.size() == 1)
    return up[0];
  const size_t a = draw(rng_, up.size());
  size_t b       = draw(rng_, up.size() - 1);
  if (b >= a)
    ++b;  // two distinct candidates
  return expected_finish(view.nodes[up[b]], task.flops) < expected_finish(view.nodes[up[a]], task.flops) ? up[b]
                                                                                                          : up[a];
}

size_t NearestPolicy::choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest& task)
{
  double nearest = std::numeric_limits<double>::infinity();
  for (size_t c : candidates)
    if (view.nodes[c].up)
      nearest = std::min(nearest, view.routes->latency(task.source, Endpoint::node(c)));
  const size_t best = least_loaded_where(view, candidates, task.flops, [&](size_t c) {
    return view.routes->latency(task.source, Endpoint::node(c)) <= nearest * (1 + 1e-12);
  });
  return best < candidates.size() ? candidates[best] : candidates[0];
}

size_t EdgeFirstPolicy::choose(const ClusterView& view, std::span<const size_t> candidates, const TaskRequest& task)
{
  const size_t edge = least_loaded_where(view, candidates, task.flops,
                                         [&](size_t c) { return view.nodes[c].kind == NodeKind::edge; });
  if (edge < candidates.size() && view.nodes[candidates[edge]].backlog() <= threshold_)
    return candidates[edge];
  const size_t cloud = least_loaded_where(view, candidates, task.flops,
                                          [&](size_t c) { return view.nodes[c].kind == NodeKind::cloud; });
  if (cloud < candidates.size())
    return candidates[cloud];
  return edge < candidates.size() ? candidates[edge] : candidates[0];
}

size_t EarliestFinishPolicy::choose(const ClusterView& view, std::span<const size_t> candidates,
                                    const TaskRequest& task)
{
  size_t best        = candidates[0];
  double best_finish = std::numeric_limits<double>::infinity();
  for (size_t c : candidates) {
    const NodeLoad& n = view.nodes[c];
    if (!n.up)
      continue;
    const double arrival = view.routes->transfer_time(task.source, Endpoint::node(c), task.bytes);
    const double finish  = std::max(arrival, n.backlog()) + task.flops / n.speed;
    if (finish < best_finish) {
      best_finish = finish;
      best        = c;
    }
  }
  return best;
}

}  // namespace leptonsim::models
