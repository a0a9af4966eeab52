#include "models/cost_model.hpp"

#include "models/policy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace leptonsim::models {

std::vector<uint64_t> static_assignment(const Scenario& scenario, const BatchJob& job)
{
  const auto& nodes = scenario.platform.nodes;
  std::vector<NodeLoad> loads(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i)
    loads[i] = NodeLoad{nodes[i].speed, nodes[i].cores, nodes[i].capacity(), 0.0, 0, true};
  ClusterView view{loads};
  auto policy = make_policy(job.policy, view, job.nodes);
  const double chunk_flops = job.chunk_units() * job.flops_per_unit;
  std::vector<uint64_t> per_node(job.nodes.size(), 0);
  std::map<size_t, size_t> position;
  for (size_t i = 0; i < job.nodes.size(); ++i)
    position[job.nodes[i]] = i;
  const TaskRequest request{chunk_flops, job.chunk_units() * job.bytes_per_unit, job.source};
  for (uint64_t c = 0; c < job.chunks; ++c) {
    const size_t node = policy->choose(view, job.nodes, request);
    loads[node].queued_flops += chunk_flops;
    loads[node].queued_tasks += 1;
    per_node[position[node]] += 1;
  }
  return per_node;
}

double sharing_round_time(const Topology& topology, const NetworkModelParams& net, const BatchJob& job,
                          const std::vector<size_t>& participants)
{
  double gather    = 0;
  double broadcast = 0;
  for (size_t node : participants) {
    gather = std::max(gather, transfer_time(net, topology.route_summary(Endpoint::node(node), Endpoint::site(job.source)),
                                            job.round_bytes));
    broadcast = std::max(broadcast, transfer_time(net, topology.route_summary(Endpoint::site(job.source),
                                                                              Endpoint::node(node)),
                                                  job.round_bytes));
  }
  return gather + broadcast;
}

BatchPrediction predict_batch(const Scenario& scenario, const Topology& topology, const NetworkModelParams& net,
                              const BatchJob& job, const std::vector<uint64_t>& chunks_per_node)
{
  const auto& nodes = scenario.platform.nodes;
  BatchPrediction p;
  p.eligible_nodes = job.nodes.size();
  std::vector<size_t> participants;
  for (size_t i = 0; i < job.nodes.size(); ++i) {
    const Node& n = nodes[job.nodes[i]];
    const double units_per_s = n.capacity() / job.flops_per_unit;
    p.total_capacity += units_per_s;
    if (chunks_per_node[i] > 0) {
      participants.push_back(job.nodes[i]);
      const double load = static_cast<double>(chunks_per_node[i]) * job.chunk_units();
      p.bottleneck_compute = std::max(p.bottleneck_compute, load / units_per_s);
      const double input = load * job.bytes_per_unit;
      if (input > 0)
        p.distribution = std::max(
            p.distribution,
            transfer_time(net, topology.route_summary(Endpoint::site(job.source), Endpoint::node(job.nodes[i])), input));
    }
  }
  p.eta              = job.rounds > 0 ? sharing_round_time(topology, net, job, participants) : 0.0;
  const double comm  = job.rounds * p.eta;
  p.compute_balanced = job.units / p.total_capacity;
  p.balanced         = p.compute_balanced + comm;
  p.literal          = static_cast<double>(p.eligible_nodes) * p.compute_balanced + comm;
  p.refined          = p.bottleneck_compute + comm;
  return p;
}

double expected_group_tasks(double duration, const SensorGroup& group)
{
  // Readings are taken at times k / rate for k = 0, 1, ... while earlier than the duration; the
  // small relative slack keeps 60 s * (250000 / 60 s) from rounding up to 250001.
  const double readings = std::ceil(duration * group.rate() * (1 - 1e-12));
  return group.micro_batch ? std::ceil(readings / static_cast<double>(group.micro_batch->size)) : readings;
}

StreamPrediction predict_stream(const Scenario& scenario, const Topology& topology, const NetworkModelParams& net)
{
  const auto& stream = scenario.workload.stream;
  const auto& nodes  = scenario.platform.nodes;
  StreamPrediction p;
  std::vector<std::vector<size_t>> distinct;
  std::vector<bool> targeted(nodes.size(), false);
  for (const auto& g : stream.groups) {
    const double per_task = g.micro_batch ? static_cast<double>(g.micro_batch->size) : 1.0;
    const double rate     = g.rate() / per_task;
    p.group_rate.push_back(rate);
    p.arrival_rate += rate;
    p.expected_tasks += expected_group_tasks(stream.duration, g);
    p.offered += g.rate() * g.flops;
    double best = std::numeric_limits<double>::infinity();
    for (size_t n : g.targets) {
      targeted[n] = true;
      const double t = transfer_time(net, topology.route_summary(Endpoint::site(g.site), Endpoint::node(n)),
                                     g.bytes * per_task) +
                       g.flops * per_task / nodes[n].speed;
      best = std::min(best, t);
    }
    p.group_min_latency.push_back(best);
    if (std::find(distinct.begin(), distinct.end(), g.targets) == distinct.end())
      distinct.push_back(g.targets);
  }
  for (size_t n = 0; n < nodes.size(); ++n)
    if (targeted[n])
      p.capacity += nodes[n].capacity();
  p.rho_total = p.capacity > 0 ? p.offered / p.capacity : 0.0;
  p.rho_max   = p.rho_total;
  for (const auto& set : distinct) {
    TargetSetLoad load;
    load.nodes = set;
    for (size_t n : set)
      load.capacity += nodes[n].capacity();
    for (size_t gi = 0; gi < stream.groups.size(); ++gi) {
      const auto& t = stream.groups[gi].targets;
      if (std::includes(set.begin(), set.end(), t.begin(), t.end())) {
        load.groups.push_back(gi);
        load.offered += stream.groups[gi].rate() * stream.groups[gi].flops;
      }
    }
    load.rho  = load.offered / load.capacity;
    p.rho_max = std::max(p.rho_max, load.rho);
    p.sets.push_back(std::move(load));
  }
  p.stable        = p.rho_max < 1.0;
  p.seed_balanced = p.capacity > 0 ? p.offered * stream.duration / p.capacity : 0.0;
  return p;
}

double relative_error(double simulated, double predicted)
{
  if (predicted == 0.0)
    return simulated == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
  return (simulated - predicted) / predicted;
}

}  // namespace leptonsim::models
