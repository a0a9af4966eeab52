#include "models/costs.hpp"

#include "models/scenario.hpp"

#include <stdexcept>

namespace leptonsim::models {

// The figures and their sources are in docs/costs.md; keep the two in step.
PowerSpec default_power(NodeKind kind, int cores)
{
  PowerSpec p;
  const double n = cores;
  switch (kind) {
    case NodeKind::edge:  // an embedded edge box: 5 W of board, 1 W a core idle, 4 W a core busy
      p.idle = 5 + 1 * n;
      p.busy = 5 + 4 * n;
      break;
    case NodeKind::cloud:  // a rack server: 40 W of platform, 4 W a core idle, 12 W a core busy
      p.idle = 40 + 4 * n;
      p.busy = 40 + 12 * n;
      break;
    case NodeKind::qpu:  // the dilution refrigerator and control electronics, running whether busy or not
      p.idle = 25000;
      p.busy = 25000;
      break;
  }
  p.one_core = p.idle + (p.busy - p.idle) / n;
  return p;
}

const char* to_string(NodeCostSpec::Billing billing)
{
  switch (billing) {
    case NodeCostSpec::Billing::owned: return "owned";
    case NodeCostSpec::Billing::core_hours: return "core_hours";
    case NodeCostSpec::Billing::device_time: return "device_time";
  }
  return "";
}

NodeCostSpec default_node_cost(NodeKind kind, int cores)
{
  NodeCostSpec c;
  c.cores = cores;
  switch (kind) {
    case NodeKind::edge:
      c.billing  = NodeCostSpec::Billing::owned;
      c.capital  = 250.0 * cores;
      c.lifetime = 5 * seconds_per_year;
      break;
    case NodeKind::cloud:
      c.billing   = NodeCostSpec::Billing::core_hours;
      c.core_hour = 0.0425;
      break;
    case NodeKind::qpu:
      c.billing    = NodeCostSpec::Billing::device_time;
      c.per_second = 1.60;
      break;
  }
  return c;
}

CostBreakdown compute_costs(const std::vector<NodeCostSpec>& nodes, const Prices& prices, const Usage& usage)
{
  if (usage.energy.size() != nodes.size() || usage.device_busy.size() != nodes.size())
    throw std::logic_error("compute_costs: usage is not aligned with the nodes");
  CostBreakdown b;
  b.node.resize(nodes.size(), 0.0);
  const double hours = usage.period / 3600.0;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const NodeCostSpec& c = nodes[i];
    switch (c.billing) {
      case NodeCostSpec::Billing::owned: {
        const double capital   = c.lifetime > 0 ? c.capital * usage.period / c.lifetime : 0.0;
        const double operating = c.operating_per_hour * hours;
        const double energy    = usage.energy[i] / joules_per_kWh * prices.energy_per_kWh;
        b.capital += capital;
        b.operating += operating;
        b.energy += energy;
        b.node[i] = capital + operating + energy;
        break;
      }
      case NodeCostSpec::Billing::core_hours:
        b.node[i] = c.core_hour * c.cores * hours;
        b.rented += b.node[i];
        break;
      case NodeCostSpec::Billing::device_time:
        b.node[i] = c.per_second * usage.device_busy[i];
        b.device += b.node[i];
        break;
    }
  }
  b.egress = usage.egress / 1e9 * prices.egress_per_GB;
  b.total  = b.capital + b.operating + b.energy + b.rented + b.device + b.egress;
  return b;
}

}  // namespace leptonsim::models
