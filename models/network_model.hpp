// How long a transfer takes on an idle route under each of SimGrid's network models, so that the
// analytic predictions use the same effective parameters as the simulation that ran.
//
// SimGrid 3.32 (src/surf/network_cm02.cpp): a flow on a route of summed latency L and narrowest
// bandwidth B completes after  L * latency_factor + size / (bandwidth_factor * min(B, gamma / (2 L))),
// where gamma is the TCP window (network/TCP-gamma) and the window bound vanishes when gamma = 0
// (passed to SimGrid as no_window: see simgrid_config()).
//   ideal : CM02 factors (1, 1), no window, no cross-traffic: exactly L + size / B
//   cm02  : factors (1, 1), gamma = 4 MiB by default
//   lv08  : SimGrid's default, factors (13.01, 0.97), gamma = 4 MiB, cross-traffic on
#pragma once

#include "models/scenario.hpp"
#include "models/topology.hpp"

#include <string>
#include <vector>

namespace leptonsim::models {

struct NetworkModelParams {
  std::string simgrid_model;  // value of --cfg=network/model
  double latency_factor   = 1;
  double bandwidth_factor = 1;
  double tcp_gamma        = 0;  // B; 0 disables the window bound
  bool crosstraffic       = false;
};

NetworkModelParams network_params(const NetworkSpec& spec);

// The TCP window given to SimGrid when the model has none (B): its bound gamma / (2 L) is beyond
// any link's bandwidth.
inline constexpr double no_window = 1e30;

// The SimGrid configuration lines ("network/model:CM02", ...) that select this model.
std::vector<std::string> simgrid_config(const NetworkModelParams& p);

// Effective throughput (B/s) and latency (s) of one flow alone on a route.
double effective_latency(const NetworkModelParams& p, const RouteSummary& route);
double effective_bandwidth(const NetworkModelParams& p, const RouteSummary& route);

// Time for `bytes` to cross an otherwise idle route.
double transfer_time(const NetworkModelParams& p, const RouteSummary& route, double bytes);

}  // namespace leptonsim::models
