#include "models/cost_model.hpp"

#include "models/dag.hpp"
#include "models/policy.hpp"
#include "models/rng.hpp"
#include "models/route_costs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace leptonsim::models {

std::vector<uint64_t> static_assignment(const Scenario& scenario, const BatchJob& job)
{
  std::vector<NodeLoad> loads = idle_loads(scenario.platform);
  const Topology topology(scenario.platform);
  const RouteCosts routes(topology, network_params(scenario.network));
  ClusterView view{loads, &routes};
  auto policy = make_policy(job.policy, view, job.nodes, derive_seed(scenario.seed, "job:" + job.name));
  const double chunk_flops = job.chunk_units() * job.flops_per_unit;
  std::vector<uint64_t> per_node(job.nodes.size(), 0);
  std::map<size_t, size_t> position;
  for (size_t i = 0; i < job.nodes.size(); ++i)
    position[job.nodes[i]] = i;
  const TaskRequest request{chunk_flops, job.chunk_units() * job.bytes_per_unit, Endpoint::site(job.source)};
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

double critical_path_bound(const Scenario& scenario, const RouteCosts& routes, const SensorGroup& group)
{
  const auto& nodes = scenario.platform.nodes;
  double fastest    = 0;
  for (size_t n : group.targets)
    fastest = std::max(fastest, nodes[n].speed);
  double nearest_input = std::numeric_limits<double>::infinity();
  for (size_t n : group.targets)
    nearest_input = std::min(nearest_input, routes.transfer_time(Endpoint::site(group.site), Endpoint::node(n), group.bytes));
  if (!group.dag)
    return nearest_input + group.work.mean / fastest;
  const DagTemplate& dag = scenario.workload.dags[*group.dag];
  const double qpu_speed = scenario.platform.qpu ? nodes[*scenario.platform.qpu].speed : 1.0;
  // The fastest target able to run each task (its tier, if it has one).
  auto fastest_for = [&](size_t t) {
    double best = 0;
    for (size_t n : group.targets)
      if (!dag.tasks[t].tier || nodes[n].kind == *dag.tasks[t].tier)
        best = std::max(best, nodes[n].speed);
    return dag.tasks[t].on_qpu ? qpu_speed : best;
  };
  const double qpu_input =
      scenario.platform.qpu
          ? routes.transfer_time(Endpoint::site(group.site), Endpoint::node(*scenario.platform.qpu), group.bytes)
          : 0.0;
  return critical_path(
      dag, [&](size_t t) { return dag.tasks[t].work.mean / fastest_for(t); },
      [](size_t) { return 0.0; }, [&](size_t t) { return dag.tasks[t].on_qpu ? qpu_input : nearest_input; });
}

StreamPrediction predict_stream(const Scenario& scenario, const Topology& topology, const NetworkModelParams& net)
{
  const auto& w     = scenario.workload;
  const auto& nodes = scenario.platform.nodes;
  const RouteCosts routes(topology, net);
  StreamPrediction p;
  std::vector<std::vector<size_t>> distinct;
  std::vector<bool> targeted(nodes.size(), false);
  // Offered flop/s of a group on its classical targets, and on the QPU.
  auto cpu_load = [&](const SensorGroup& g) {
    if (!g.dag)
      return g.rate() * g.work.mean;
    double flops = 0;
    for (const auto& t : w.dags[*g.dag].tasks)
      flops += t.on_qpu ? 0.0 : t.work.mean;
    return g.rate() * flops;
  };
  double qpu_offered = 0;
  for (const auto& g : w.groups) {
    const double per_task = g.micro_batch ? static_cast<double>(g.micro_batch->size) : 1.0;
    const double rate     = g.rate() / per_task;
    p.group_rate.push_back(rate);
    p.arrival_rate += rate;
    p.expected_tasks += expected_group_tasks(w.duration, g) * (g.dag ? static_cast<double>(w.dags[*g.dag].tasks.size()) : 1.0);
    p.offered += cpu_load(g);
    if (g.dag)
      for (const auto& t : w.dags[*g.dag].tasks)
        qpu_offered += t.on_qpu ? g.rate() * t.work.mean : 0.0;
    for (size_t n : g.targets)
      targeted[n] = true;
    p.group_min_latency.push_back(critical_path_bound(scenario, routes, g));
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
    for (size_t gi = 0; gi < w.groups.size(); ++gi) {
      const auto& t = w.groups[gi].targets;
      if (std::includes(set.begin(), set.end(), t.begin(), t.end())) {
        load.groups.push_back(gi);
        load.offered += cpu_load(w.groups[gi]);
      }
    }
    load.rho  = load.offered / load.capacity;
    p.rho_max = std::max(p.rho_max, load.rho);
    p.sets.push_back(std::move(load));
  }
  if (qpu_offered > 0) {
    TargetSetLoad load;
    load.nodes    = {*scenario.platform.qpu};
    load.capacity = nodes[*scenario.platform.qpu].capacity();
    load.offered  = qpu_offered;
    load.rho      = load.offered / load.capacity;
    p.rho_max     = std::max(p.rho_max, load.rho);
    p.sets.push_back(std::move(load));
  }
  p.stable        = p.rho_max < 1.0;
  p.seed_balanced = p.capacity > 0 ? p.offered * w.duration / p.capacity : 0.0;
  return p;
}

double relative_error(double simulated, double predicted)
{
  if (predicted == 0.0)
    return simulated == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
  return (simulated - predicted) / predicted;
}

}  // namespace leptonsim::models
