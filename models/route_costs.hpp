// What moving data costs between two endpoints of the platform under the network model that
// runs: effective latency and idle-route transfer time. Routes are summarised on first use and
// cached, so policies can ask per task without walking the graph again.
#pragma once

#include "models/network_model.hpp"
#include "models/topology.hpp"

#include <cstdint>
#include <unordered_map>

namespace leptonsim::models {

class RouteCosts {
public:
  RouteCosts(const Topology& topology, const NetworkModelParams& network) : topology_(topology), network_(network) {}

  double latency(Endpoint from, Endpoint to) const { return effective_latency(network_, summary(from, to)); }
  double transfer_time(Endpoint from, Endpoint to, double bytes) const
  {
    return models::transfer_time(network_, summary(from, to), bytes);
  }
  const RouteSummary& summary(Endpoint from, Endpoint to) const;

private:
  const Topology& topology_;
  NetworkModelParams network_;
  mutable std::unordered_map<uint64_t, RouteSummary> cache_;
};

}  // namespace leptonsim::models
