// What the simulated period costs: power figures per node class (for SimGrid's energy plugin) and
// money, from capital amortised over a lifetime, operating costs, energy bought at a price per
// kWh, cloud cores rented by the hour, bytes leaving the cloud, and QPU time. Every default and
// its source is in docs/costs.md.
#pragma once

#include <string>
#include <vector>

namespace leptonsim::models {

enum class NodeKind;

// Power figures for SimGrid's host energy plugin (W).
struct PowerSpec {
  double idle     = 0;  // no core busy
  double one_core = 0;  // exactly one core busy
  double busy     = 0;  // every core busy
  double off      = 0;  // host switched off
};

// The power figures a node of this class and core count draws when the scenario gives none: an
// edge box, a cloud server, or a QPU whose cryogenics draw the same power busy or idle.
PowerSpec default_power(NodeKind kind, int cores);

// How a node is paid for.
struct NodeCostSpec {
  enum class Billing {
    owned,        // capital amortised over the lifetime, plus operating costs and bought energy
    core_hours,   // rented: every core, every hour of the period (energy included in the price)
    device_time,  // rented by the second of device time (a cloud QPU; energy included)
  } billing = Billing::owned;
  double capital            = 0;  // currency, owned nodes
  double lifetime           = 0;  // s, owned nodes
  double operating_per_hour = 0;  // currency/h, owned nodes (space, maintenance, staff)
  double core_hour          = 0;  // currency per core and hour, rented nodes
  double per_second         = 0;  // currency per second of device time, QPU
  int cores                 = 1;  // cores billed by core_hours
};

const char* to_string(NodeCostSpec::Billing billing);  // owned, core_hours, device_time

// The node's cost spec when the scenario gives none (docs/costs.md#defaults).
NodeCostSpec default_node_cost(NodeKind kind, int cores);

// Prices that apply to the whole platform.
struct Prices {
  std::string currency   = "USD";
  double energy_per_kWh  = 0.13;  // currency/kWh, for owned nodes
  double egress_per_GB   = 0.09;  // currency per 10^9 B leaving the cloud site for another site
};

// What a run used, as the cost model needs it.
struct Usage {
  double period = 0;              // s, the simulated period (the run's end time)
  std::vector<double> energy;     // J per node, aligned with the cost specs
  std::vector<double> device_busy;  // s of device time per node (used by device_time billing)
  double egress = 0;              // B sent from the cloud site's hosts to other sites
};

struct CostBreakdown {
  std::vector<double> node;   // currency per node, egress excluded
  double capital   = 0;       // amortised capital of owned nodes over the period
  double operating = 0;       // operating costs of owned nodes
  double energy    = 0;       // energy bought for owned nodes
  double rented    = 0;       // core-hours of rented nodes
  double device    = 0;       // QPU device time
  double egress    = 0;       // bytes leaving the cloud
  double total     = 0;
};

CostBreakdown compute_costs(const std::vector<NodeCostSpec>& nodes, const Prices& prices, const Usage& usage);

inline constexpr double seconds_per_year = 365.25 * 24 * 3600;
inline constexpr double joules_per_kWh   = 3.6e6;

}  // namespace leptonsim::models
