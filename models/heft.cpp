#include "models/heft.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace leptonsim::models {
namespace {

struct Slot {
  double start;
  double finish;
};

// Earliest start >= ready of a gap of length `duration` between the busy slots (sorted).
double earliest_slot(const std::vector<Slot>& busy, double ready, double duration)
{
  double candidate = ready;
  for (const auto& s : busy) {
    if (candidate + duration <= s.start)
      return candidate;
    candidate = std::max(candidate, s.finish);
  }
  return candidate;
}

}  // namespace

HeftSchedule heft(const HeftProblem& p)
{
  HeftSchedule out;
  const size_t n = p.tasks;
  std::vector<std::vector<size_t>> succ(n), pred(n);
  for (size_t e = 0; e < p.edges.size(); ++e) {
    succ[p.edges[e].from].push_back(e);
    pred[p.edges[e].to].push_back(e);
  }
  // Upward ranks in reverse topological order (Kahn's algorithm from the exits).
  // Mean execution time over the processors able to run the task (an infinite time means unable).
  std::vector<double> mean_w(n, 0.0);
  for (size_t t = 0; t < n; ++t) {
    size_t able = 0;
    for (size_t q = 0; q < p.processors; ++q) {
      const double w = p.compute(t, q);
      if (std::isfinite(w)) {
        mean_w[t] += w;
        ++able;
      }
    }
    mean_w[t] = able ? mean_w[t] / static_cast<double>(able) : 0.0;
  }
  out.rank.assign(n, 0.0);
  std::vector<size_t> pending(n);
  std::vector<size_t> stack;
  for (size_t t = 0; t < n; ++t) {
    pending[t] = succ[t].size();
    if (pending[t] == 0)
      stack.push_back(t);
  }
  while (!stack.empty()) {
    const size_t t = stack.back();
    stack.pop_back();
    double best = 0;
    for (size_t e : succ[t])
      best = std::max(best, p.mean_communicate(e) + out.rank[p.edges[e].to]);
    out.rank[t] = mean_w[t] + best;
    for (size_t e : pred[t])
      if (--pending[p.edges[e].from] == 0)
        stack.push_back(p.edges[e].from);
  }
  out.order.resize(n);
  std::iota(out.order.begin(), out.order.end(), size_t{0});
  // Decreasing rank; ranks equal to the nanosecond keep index order (sums in a different order must
  // not decide a tie). A predecessor ranks higher as long as execution times are positive, so this
  // order is topological.
  std::vector<double> key(n);
  for (size_t t = 0; t < n; ++t)
    key[t] = std::nearbyint(out.rank[t] * 1e9);
  std::stable_sort(out.order.begin(), out.order.end(), [&](size_t a, size_t b) { return key[a] > key[b]; });

  std::vector<std::vector<Slot>> busy(p.processors);
  for (size_t q = 0; q < p.processors && q < p.processor_ready.size(); ++q)
    if (p.processor_ready[q] > 0)
      busy[q].push_back({0.0, p.processor_ready[q]});
  out.processor.assign(n, 0);
  out.start.assign(n, 0.0);
  out.finish.assign(n, 0.0);
  for (size_t t : out.order) {
    double best_finish = std::numeric_limits<double>::infinity();
    size_t best_q      = 0;
    double best_start  = 0;
    for (size_t q = 0; q < p.processors; ++q) {
      double ready = pred[t].empty() && p.entry_ready ? p.entry_ready(t, q) : 0.0;
      for (size_t e : pred[t]) {
        const size_t from = p.edges[e].from;
        ready = std::max(ready, out.finish[from] + p.communicate(e, out.processor[from], q));
      }
      const double w = p.compute(t, q);
      if (!std::isfinite(w))
        continue;
      const double start  = earliest_slot(busy[q], ready, w);
      const double finish = start + w;
      if (finish < best_finish) {
        best_finish = finish;
        best_q      = q;
        best_start  = start;
      }
    }
    out.processor[t] = best_q;
    out.start[t]     = best_start;
    out.finish[t]    = best_finish;
    auto& slots      = busy[best_q];
    slots.insert(std::upper_bound(slots.begin(), slots.end(), best_start,
                                  [](double s, const Slot& slot) { return s < slot.start; }),
                 Slot{best_start, best_finish});
    out.makespan = std::max(out.makespan, best_finish);
  }
  return out;
}

std::vector<size_t> heft_placement(const DagTemplate& dag, const std::vector<double>& flops,
                                   std::span<const size_t> candidates, std::optional<size_t> qpu,
                                   const ClusterView& view, Endpoint source, double input_bytes)
{
  // Processors: the cores of the candidate nodes, then the QPU.
  std::vector<size_t> node_of;
  for (size_t n : candidates)
    for (int c = 0; c < view.nodes[n].cores; ++c)
      node_of.push_back(n);
  if (qpu)
    node_of.push_back(*qpu);
  const auto is_qpu = [&](size_t p) { return qpu && p + 1 == node_of.size(); };

  // Average cost of an edge between two distinct candidate nodes, for the ranks.
  double mean_latency = 0, mean_inverse_bandwidth = 0;
  size_t pairs = 0;
  for (size_t a : candidates)
    for (size_t b : candidates)
      if (a != b) {
        const double latency = view.routes->latency(Endpoint::node(a), Endpoint::node(b));
        mean_latency += latency;
        mean_inverse_bandwidth += view.routes->transfer_time(Endpoint::node(a), Endpoint::node(b), 1.0) - latency;
        ++pairs;
      }
  if (pairs > 0) {
    mean_latency /= static_cast<double>(pairs);
    mean_inverse_bandwidth /= static_cast<double>(pairs);
  }

  HeftProblem problem;
  problem.tasks      = dag.tasks.size();
  problem.processors = node_of.size();
  problem.edges      = dag.edges;
  problem.compute    = [&](size_t t, size_t p) {
    const auto& tier = dag.tasks[t].tier;
    if (dag.tasks[t].on_qpu != is_qpu(p) || (tier && !is_qpu(p) && view.nodes[node_of[p]].kind != *tier))
      return std::numeric_limits<double>::infinity();
    return flops[t] / view.nodes[node_of[p]].speed;
  };
  problem.communicate = [&](size_t e, size_t from, size_t to) {
    if (node_of[from] == node_of[to])
      return 0.0;
    return view.routes->transfer_time(Endpoint::node(node_of[from]), Endpoint::node(node_of[to]), dag.edges[e].bytes);
  };
  problem.mean_communicate = [&](size_t e) { return mean_latency + dag.edges[e].bytes * mean_inverse_bandwidth; };
  problem.entry_ready      = [&](size_t, size_t p) {
    return view.routes->transfer_time(source, Endpoint::node(node_of[p]), input_bytes);
  };
  problem.processor_ready.resize(node_of.size());
  for (size_t p = 0; p < node_of.size(); ++p)
    problem.processor_ready[p] = view.nodes[node_of[p]].backlog();

  const HeftSchedule schedule = heft(problem);
  std::vector<size_t> placement(dag.tasks.size());
  for (size_t t = 0; t < dag.tasks.size(); ++t)
    placement[t] = node_of[schedule.processor[t]];
  return placement;
}

}  // namespace leptonsim::models
