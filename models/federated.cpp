#include "models/federated.hpp"

#include "models/concurrent_flows.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace leptonsim::models {

uint64_t FederatedJob::sampled() const
{
  const double wanted = std::ceil(static_cast<double>(clients_per_round) * over_commit - 1e-9);
  return std::min<uint64_t>(clients.size(), static_cast<uint64_t>(wanted));
}

double fl_download_bytes(const FederatedJob& job)
{
  return job.model_bytes() * (job.privacy.he ? job.privacy.he->expansion : 1.0);
}

double fl_update_bytes(const FederatedJob& job)
{
  return fl_download_bytes(job) * (job.privacy.mpc ? static_cast<double>(job.privacy.mpc->parties) : 1.0);
}

double fl_forward_bytes(const FederatedJob& job) { return fl_update_bytes(job); }

double fl_client_flops(const FederatedJob& job)
{
  double flops = job.training_flops();
  if (job.privacy.he)
    flops += job.parameters * (job.privacy.he->encrypt_flops + job.privacy.he->decrypt_flops);
  return flops;
}

double fl_aggregation_flops(const FederatedJob& job, uint64_t updates, bool cloud)
{
  double per_update = job.parameters * job.aggregation_flops_per_parameter;
  if (job.privacy.he)
    per_update *= job.privacy.he->add_slowdown;
  if (job.privacy.mpc)
    per_update *= static_cast<double>(job.privacy.mpc->parties);
  double flops = static_cast<double>(updates) * per_update;
  if (cloud && job.privacy.dp)
    flops += job.privacy.dp->mechanism.flops();
  return flops;
}

uint64_t fl_quota(const FederatedJob& job, uint64_t sampled, uint64_t total_sampled)
{
  if (job.wait_for == FlWaitFor::all || total_sampled == 0)
    return sampled;
  if (!job.hierarchical())
    return std::min(sampled, job.clients_per_round);
  const double share = static_cast<double>(job.clients_per_round) * static_cast<double>(sampled) /
                       static_cast<double>(total_sampled);
  return std::min<uint64_t>(sampled, static_cast<uint64_t>(std::ceil(share - 1e-9)));
}

std::vector<size_t> representative_sample(const FederatedJob& job)
{
  return {job.clients.begin(), job.clients.begin() + static_cast<std::ptrdiff_t>(job.sampled())};
}

double expected_federated_tasks(const FederatedJob& job)
{
  const double per_client = job.privacy.secure_aggregation ? 3.0 : 1.0;
  const double collectors = job.hierarchical() ? static_cast<double>(job.edge_aggregators.size()) + 1 : 1.0;
  return static_cast<double>(job.rounds) * (static_cast<double>(job.sampled()) * per_client + collectors);
}

namespace {

// The k-th smallest value (1-based); k is at least 1 and at most the size.
double kth_smallest(std::vector<double> v, uint64_t k)
{
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k - 1), v.end());
  return v[k - 1];
}

// Transfer times of flows that start at the given moments: flows that start together share links,
// flows that start apart are taken not to meet.
std::vector<double> staggered_transfer_times(const Topology& topology, const NetworkModelParams& net,
                                             const std::vector<Flow>& flows, const std::vector<double>& start)
{
  std::vector<double> times(flows.size(), 0.0);
  std::vector<bool> placed(flows.size(), false);
  for (size_t i = 0; i < flows.size(); ++i) {
    if (placed[i])
      continue;
    std::vector<size_t> together;
    std::vector<Flow> group;
    for (size_t j = i; j < flows.size(); ++j) {
      if (placed[j] || std::abs(start[j] - start[i]) > 1e-9 * std::max(1.0, std::abs(start[i])))
        continue;
      placed[j] = true;
      together.push_back(j);
      group.push_back(flows[j]);
    }
    const auto t = concurrent_transfer_times(topology, net, group);
    for (size_t k = 0; k < together.size(); ++k)
      times[together[k]] = t[k];
  }
  return times;
}

}  // namespace

FederatedRoundPrediction predict_federated_round(const Scenario& scenario, const Topology& topology,
                                                 const NetworkModelParams& net, const FederatedJob& job,
                                                 const std::vector<size_t>& sampled)
{
  FederatedRoundPrediction p;
  p.sampled = sampled.size();
  const auto& nodes = scenario.platform.nodes;
  const Endpoint cloud = Endpoint::node(job.aggregator);
  const size_t n = sampled.size();
  if (n == 0)
    return p;
  // Where each client reports: the aggregator, or its edge aggregator.
  std::vector<size_t> collector_of(n, job.aggregator);
  std::map<size_t, std::vector<size_t>> members;  // collector node -> positions in `sampled`
  for (size_t i = 0; i < n; ++i) {
    if (job.hierarchical()) {
      const auto pos  = std::find(job.clients.begin(), job.clients.end(), sampled[i]) - job.clients.begin();
      collector_of[i] = job.edge_aggregators[job.client_edge[static_cast<size_t>(pos)]];
    }
    members[collector_of[i]].push_back(i);
  }
  // Model download: to the edge aggregators first when hierarchical.
  std::vector<double> download(n, 0.0);
  std::map<size_t, double> edge_has_model;
  if (job.hierarchical()) {
    std::vector<Flow> flows;
    for (const auto& [e, _] : members)
      flows.push_back({cloud, Endpoint::node(e), fl_download_bytes(job)});
    const auto times = concurrent_transfer_times(topology, net, flows);
    size_t k = 0;
    for (const auto& [e, _] : members)
      edge_has_model[e] = times[k++];
  }
  {
    std::vector<Flow> flows;
    for (size_t i = 0; i < n; ++i)
      flows.push_back({Endpoint::node(collector_of[i]), Endpoint::node(sampled[i]), fl_download_bytes(job)});
    const auto times = concurrent_transfer_times(topology, net, flows);
    for (size_t i = 0; i < n; ++i)
      download[i] = times[i] + (job.hierarchical() ? edge_has_model[collector_of[i]] : 0.0);
  }
  std::vector<double> compute(n);
  for (size_t i = 0; i < n; ++i)
    compute[i] = fl_client_flops(job) / nodes[sampled[i]].speed;
  // Each client's first message after training: its update, or its keys with secure aggregation.
  const bool secagg = job.privacy.secure_aggregation.has_value();
  const double first_bytes =
      secagg ? secure_aggregation_cost(*job.privacy.secure_aggregation, n, job.parameters).up_bytes[advertise_keys]
             : fl_update_bytes(job);
  // Clients that finish training at the same time upload together; others do not meet on the links.
  std::vector<double> first;
  {
    std::vector<Flow> flows;
    std::vector<double> ready;
    for (size_t i = 0; i < n; ++i) {
      flows.push_back({Endpoint::node(sampled[i]), Endpoint::node(collector_of[i]), first_bytes});
      ready.push_back(download[i] + compute[i]);
    }
    first = staggered_transfer_times(topology, net, flows, ready);
  }
  // Each collector closes on its quota, or at the deadline.
  struct Closed {
    double at = 0;
    std::vector<size_t> included;
  };
  std::map<size_t, Closed> closed;
  for (const auto& [c, who] : members) {
    std::vector<double> ready;
    for (size_t i : who)
      ready.push_back(download[i] + compute[i] + first[i]);
    const uint64_t quota = fl_quota(job, who.size(), n);
    double at            = kth_smallest(ready, quota);
    if (job.deadline && at > *job.deadline)
      at = *job.deadline;
    Closed& cl = closed[c];
    cl.at      = at;
    for (size_t k = 0; k < who.size() && cl.included.size() < quota; ++k)
      if (ready[k] <= at * (1 + 1e-12))
        cl.included.push_back(who[k]);
  }
  std::vector<size_t> included;
  for (const auto& [c, cl] : closed)
    included.insert(included.end(), cl.included.begin(), cl.included.end());
  p.included = included.size();
  for (size_t i : included) {
    p.download = std::max(p.download, download[i]);
    p.compute  = std::max(p.compute, compute[i]);
    if (!secagg)
      p.upload = std::max(p.upload, first[i]);
  }
  // Secure aggregation: three more exchanges, each a barrier at the collector.
  if (secagg) {
    const SecAggParams& sp = *job.privacy.secure_aggregation;
    double secagg_time     = 0;
    for (auto& entry : closed) {
      // Named references, not a structured binding: C++20 lets lambdas capture bindings, but
      // clang 14 (the fuzzing build) does not yet.
      const auto& c         = entry.first;
      auto& cl              = entry.second;
      const SecAggCost cost = secure_aggregation_cost(sp, cl.included.size(), job.parameters);
      auto exchange         = [&](double down, double work, double up) {
        std::vector<Flow> downs, ups;
        for (size_t i : cl.included) {
          downs.push_back({Endpoint::node(c), Endpoint::node(sampled[i]), down});
          ups.push_back({Endpoint::node(sampled[i]), Endpoint::node(c), up});
        }
        const auto d = concurrent_transfer_times(topology, net, downs);
        const auto u = concurrent_transfer_times(topology, net, ups);
        double slowest = 0;
        for (size_t k = 0; k < cl.included.size(); ++k)
          slowest = std::max(slowest, d[k] + work / nodes[sampled[cl.included[k]]].speed + u[k]);
        return std::pair{slowest, u.empty() ? 0.0 : *std::max_element(u.begin(), u.end())};
      };
      const auto s1 = exchange(cost.down_bytes[advertise_keys], cost.client_setup_flops, cost.up_bytes[share_keys]);
      const auto s2 = exchange(cost.down_bytes[share_keys], cost.client_mask_flops, cost.up_bytes[masked_input]);
      const auto s3 = exchange(cost.down_bytes[masked_input], 0.0, cost.up_bytes[unmasking]);
      p.upload      = std::max(p.upload, s2.second);
      double first_up = 0;
      for (size_t i : cl.included)
        first_up = std::max(first_up, first[i]);
      secagg_time = std::max(secagg_time, first_up + s1.first + s2.first - s2.second + s3.first);
      cl.at += s1.first + s2.first + s3.first;
    }
    p.secure_aggregation = secagg_time;
  }
  auto collector_work = [&](size_t c, const Closed& cl, bool is_cloud) {
    double flops = fl_aggregation_flops(job, cl.included.size(), is_cloud);
    if (secagg)
      flops += secure_aggregation_cost(*job.privacy.secure_aggregation, cl.included.size(), job.parameters)
                   .server_flops;
    return flops / nodes[c].speed;
  };
  if (!job.hierarchical()) {
    const Closed& cl = closed.begin()->second;
    p.aggregation    = collector_work(job.aggregator, cl, true);
    p.round          = cl.at + p.aggregation;
    return p;
  }
  // Hierarchical: each edge aggregates and forwards its partial aggregate (sharing links with the
  // edges that forward at the same moment), and the cloud sums them.
  std::vector<size_t> edges;
  std::vector<double> sent;
  for (const auto& [e, cl] : closed) {
    edges.push_back(e);
    sent.push_back(cl.at + collector_work(e, cl, false));
  }
  std::vector<Flow> flows;
  for (size_t e : edges)
    flows.push_back({Endpoint::node(e), cloud, fl_forward_bytes(job)});
  const auto forward = staggered_transfer_times(topology, net, flows, sent);
  double cloud_ready = 0, edge_part = 0;
  size_t k           = 0;
  for (const auto& [e, cl] : closed) {
    cloud_ready = std::max(cloud_ready, sent[k] + forward[k]);
    edge_part   = std::max(edge_part, sent[k] - cl.at + forward[k]);
    ++k;
  }
  double cloud_flops = fl_aggregation_flops(job, closed.size(), true);
  p.edge             = edge_part;
  p.aggregation      = cloud_flops / nodes[job.aggregator].speed;
  p.round            = cloud_ready + p.aggregation;
  return p;
}

}  // namespace leptonsim::models
