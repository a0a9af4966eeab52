#include "sim/run_result.hpp"

namespace leptonsim::sim {

Distribution Distribution::of(const models::QuantileSketch& s)
{
  Distribution d;
  d.count = s.count();
  d.mean  = s.mean();
  d.min   = s.min();
  d.p50   = s.quantile(0.50);
  d.p95   = s.quantile(0.95);
  d.p99   = s.quantile(0.99);
  d.max   = s.max();
  return d;
}

RunResult make_result_shell(const models::Scenario& scenario)
{
  RunResult r;
  r.network = models::network_params(scenario.network);
  r.nodes.resize(scenario.platform.nodes.size());
  r.groups.resize(scenario.workload.groups.size());
  r.jobs.resize(scenario.workload.jobs.size());
  r.federated.resize(scenario.workload.federated.size());
  r.group_privacy.resize(scenario.workload.groups.size());
  for (size_t j = 0; j < r.jobs.size(); ++j)
    r.jobs[j].chunks_per_node.assign(scenario.workload.jobs[j].nodes.size(), 0);
  for (const auto& link : scenario.platform.links)
    if (link.qkd)
      r.qkd.push_back({link.name, link.qkd->mode == models::QkdSpec::Mode::otp ? "otp" : "aes", link.qkd->key_rate});
  return r;
}

}  // namespace leptonsim::sim
