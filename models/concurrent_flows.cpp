#include "models/concurrent_flows.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

namespace leptonsim::models {

std::vector<double> max_min_rates(const Topology& topology, const NetworkModelParams& net,
                                  const std::vector<Flow>& flows)
{
  const double inf = std::numeric_limits<double>::infinity();
  const Platform& p = topology.platform();
  // A shared resource: (access or backbone, index, direction; 2 for both directions of a shared link).
  std::map<std::tuple<int, size_t, int>, size_t> ids;
  std::vector<double> capacity;
  std::vector<std::vector<size_t>> uses(flows.size());
  std::vector<double> bound(flows.size(), inf);
  for (size_t f = 0; f < flows.size(); ++f) {
    const auto hops = topology.route(flows[f].from, flows[f].to);
    if (hops.empty())
      continue;
    const RouteSummary summary = topology.summarize(hops);
    if (net.tcp_gamma > 0 && summary.latency > 0)
      bound[f] = net.tcp_gamma / (2.0 * summary.latency) * net.bandwidth_factor;
    for (const auto& h : hops) {
      const bool access  = h.kind == Hop::Kind::access;
      const LinkSpec& l  = access ? p.nodes[h.index].link : p.links[h.index].link;
      const double cap   = l.bandwidth * net.bandwidth_factor;
      if (l.sharing == LinkSharing::fatpipe) {
        bound[f] = std::min(bound[f], cap);
        continue;
      }
      const int direction = l.sharing == LinkSharing::shared ? 2 : (h.up ? 1 : 0);
      const auto key      = std::make_tuple(access ? 0 : 1, h.index, direction);
      auto [it, added]    = ids.emplace(key, capacity.size());
      if (added)
        capacity.push_back(cap);
      uses[f].push_back(it->second);
    }
  }
  // Progressive filling.
  std::vector<double> rate(flows.size(), inf);
  std::vector<bool> active(flows.size(), false);
  size_t left = 0;
  for (size_t f = 0; f < flows.size(); ++f)
    if (!uses[f].empty() || bound[f] < inf) {
      active[f] = true;
      ++left;
    }
  std::vector<double> remaining = capacity;
  while (left > 0) {
    std::vector<size_t> count(capacity.size(), 0);
    for (size_t f = 0; f < flows.size(); ++f)
      if (active[f])
        for (size_t r : uses[f])
          ++count[r];
    double share = inf;
    for (size_t r = 0; r < capacity.size(); ++r)
      if (count[r] > 0)
        share = std::min(share, remaining[r] / static_cast<double>(count[r]));
    for (size_t f = 0; f < flows.size(); ++f)
      if (active[f])
        share = std::min(share, bound[f]);
    // Freeze every active flow held at this level: by its own bound or by a saturated resource.
    std::vector<bool> saturated(capacity.size(), false);
    for (size_t r = 0; r < capacity.size(); ++r)
      saturated[r] = count[r] > 0 && remaining[r] / static_cast<double>(count[r]) <= share * (1 + 1e-12);
    for (size_t f = 0; f < flows.size(); ++f) {
      if (!active[f])
        continue;
      const bool held = bound[f] <= share * (1 + 1e-12) ||
                        std::any_of(uses[f].begin(), uses[f].end(), [&](size_t r) { return saturated[r]; });
      if (!held)
        continue;
      rate[f]   = share;
      active[f] = false;
      --left;
      for (size_t r : uses[f])
        remaining[r] = std::max(0.0, remaining[r] - share);
    }
  }
  return rate;
}

std::vector<double> concurrent_transfer_times(const Topology& topology, const NetworkModelParams& net,
                                              const std::vector<Flow>& flows)
{
  const auto rates = max_min_rates(topology, net, flows);
  std::vector<double> times(flows.size(), 0.0);
  for (size_t f = 0; f < flows.size(); ++f) {
    const auto hops = topology.route(flows[f].from, flows[f].to);
    if (hops.empty())
      continue;
    const double latency = topology.summarize(hops).latency * net.latency_factor;
    times[f]             = latency + (flows[f].bytes > 0 ? flows[f].bytes / rates[f] : 0.0);
  }
  return times;
}

}  // namespace leptonsim::models
