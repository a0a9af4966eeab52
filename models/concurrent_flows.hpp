// Transfers that start together on idle links and share them, as SimGrid's max-min fairness
// shares them: each flow gets the rate progressive filling gives it (a link's capacity split
// evenly among the flows that are not held back elsewhere, a full-duplex link's two directions
// apart, a fatpipe not shared at all, each flow also bounded by the TCP window when the model has
// one). A flow then takes effective latency + bytes / rate. Exact when the flows are symmetric
// (they all finish together); otherwise an upper bound, since rates only grow when others end.
#pragma once

#include "models/network_model.hpp"
#include "models/topology.hpp"

#include <vector>

namespace leptonsim::models {

struct Flow {
  Endpoint from;
  Endpoint to;
  double bytes = 0;
};

// Max-min fair rate of each flow (B/s); +inf for a flow that crosses no link.
std::vector<double> max_min_rates(const Topology& topology, const NetworkModelParams& net,
                                  const std::vector<Flow>& flows);

// Time each flow takes when all start at once.
std::vector<double> concurrent_transfer_times(const Topology& topology, const NetworkModelParams& net,
                                              const std::vector<Flow>& flows);

}  // namespace leptonsim::models
