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

namespace {

// Seconds a circuit task holds the QPU, from the device model.
double circuit_time(const Scenario& scenario, const DagTask& task)
{
  return circuit_job_time(*scenario.platform.qpu_spec.device, *task.circuit);
}

}  // namespace

double critical_path_bound(const Scenario& scenario, const RouteCosts& routes, const SensorGroup& group)
{
  const auto& nodes = scenario.platform.nodes;
  const auto input  = [&](const std::vector<size_t>& eligible) {
    double best = std::numeric_limits<double>::infinity();
    for (size_t n : eligible)
      best = std::min(best, routes.transfer_time(Endpoint::site(group.site), Endpoint::node(n), group.bytes));
    return best;
  };
  const auto fastest = [&](const std::vector<size_t>& eligible) {
    double best = 0;
    for (size_t n : eligible)
      best = std::max(best, nodes[n].speed);
    return best;
  };
  if (!group.dag)
    return input(group.targets) + group.work.mean / fastest(group.targets);

  // The nodes each task may run on: the QPU, its tier's targets, or all the group's targets; an
  // offload task may run on its classical nodes or on the QPU.
  const DagTemplate& dag = scenario.workload.dags[*group.dag];
  std::vector<std::vector<size_t>> eligible(dag.tasks.size());
  std::vector<double> cost(dag.tasks.size());
  for (size_t t = 0; t < dag.tasks.size(); ++t) {
    const DagTask& task = dag.tasks[t];
    if (task.on_qpu) {
      eligible[t] = {*scenario.platform.qpu};
      cost[t]     = task.circuit ? circuit_time(scenario, task) : task.work.mean / fastest(eligible[t]);
      continue;
    }
    for (size_t n : group.targets)
      if (!task.tier || nodes[n].kind == *task.tier)
        eligible[t].push_back(n);
    cost[t] = task.work.mean / fastest(eligible[t]);
    if (task.offload) {
      cost[t] = std::min(cost[t], circuit_time(scenario, task));
      eligible[t].push_back(*scenario.platform.qpu);
    }
  }
  // An edge costs nothing if both ends may share a node, else at least its cheapest crossing.
  const auto edge_cost = [&](size_t e) {
    const auto& a = eligible[dag.edges[e].from];
    const auto& b = eligible[dag.edges[e].to];
    double best   = std::numeric_limits<double>::infinity();
    for (size_t x : a) {
      for (size_t y : b) {
        if (x == y)
          return 0.0;
        best = std::min(best, routes.transfer_time(Endpoint::node(x), Endpoint::node(y), dag.edges[e].bytes));
      }
    }
    return best;
  };
  return critical_path(
      dag, [&](size_t t) { return cost[t]; }, edge_cost, [&](size_t t) { return input(eligible[t]); });
}

namespace {

// Where a group's work may run, and how much of it (flop/s): its targets for untiered tasks, and
// its edge and cloud targets for tasks that ask for one tier. QPU work is accounted separately.
struct GroupLoad {
  std::vector<size_t> nodes;
  double offered = 0;
};

std::vector<GroupLoad> group_loads(const Scenario& scenario, const SensorGroup& g)
{
  const auto& nodes = scenario.platform.nodes;
  if (!g.dag)
    return {{g.targets, g.rate() * g.work.mean}};
  GroupLoad any{g.targets, 0}, edge, cloud;
  for (size_t n : g.targets)
    (nodes[n].kind == NodeKind::cloud ? cloud : edge).nodes.push_back(n);
  for (const auto& t : scenario.workload.dags[*g.dag].tasks) {
    if (t.on_qpu)
      continue;
    GroupLoad& into = !t.tier ? any : *t.tier == NodeKind::cloud ? cloud : edge;
    into.offered += g.rate() * t.work.mean;
  }
  std::vector<GroupLoad> loads;
  for (auto* l : {&any, &edge, &cloud})
    if (l->offered > 0)
      loads.push_back(std::move(*l));
  return loads;
}

}  // namespace

StreamPrediction predict_stream(const Scenario& scenario, const Topology& topology, const NetworkModelParams& net)
{
  const auto& w     = scenario.workload;
  const auto& nodes = scenario.platform.nodes;
  const RouteCosts routes(topology, net);
  StreamPrediction p;
  std::vector<GroupLoad> loads;
  std::vector<bool> targeted(nodes.size(), false);
  double qpu_offered = 0;
  for (const auto& g : w.groups) {
    const double per_task = g.micro_batch ? static_cast<double>(g.micro_batch->size) : 1.0;
    const double rate     = g.rate() / per_task;
    p.group_rate.push_back(rate);
    p.arrival_rate += rate;
    p.expected_tasks +=
        expected_group_tasks(w.duration, g) * (g.dag ? static_cast<double>(w.dags[*g.dag].tasks.size()) : 1.0);
    for (auto& l : group_loads(scenario, g)) {
      p.offered += l.offered;
      loads.push_back(std::move(l));
    }
    // A circuit holds the QPU for its device time: as much work as its host does in that time.
    if (g.dag)
      for (const auto& t : w.dags[*g.dag].tasks)
        if (t.on_qpu)
          qpu_offered += g.rate() * (t.circuit ? circuit_time(scenario, t) * nodes[*scenario.platform.qpu].speed
                                               : t.work.mean);
    for (size_t n : g.targets)
      targeted[n] = true;
    p.group_min_latency.push_back(critical_path_bound(scenario, routes, g));
  }
  for (size_t n = 0; n < nodes.size(); ++n)
    if (targeted[n])
      p.capacity += nodes[n].capacity();
  p.rho_total = p.capacity > 0 ? p.offered / p.capacity : 0.0;
  p.rho_max   = p.rho_total;
  // For each distinct node set, the load that can only run inside it must fit in it.
  std::vector<std::vector<size_t>> distinct;
  for (const auto& l : loads)
    if (std::find(distinct.begin(), distinct.end(), l.nodes) == distinct.end())
      distinct.push_back(l.nodes);
  for (const auto& set : distinct) {
    TargetSetLoad load;
    load.nodes = set;
    for (size_t n : set)
      load.capacity += nodes[n].capacity();
    for (const auto& l : loads)
      if (std::includes(set.begin(), set.end(), l.nodes.begin(), l.nodes.end()))
        load.offered += l.offered;
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
