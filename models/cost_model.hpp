// The seed document's analytic cost model (its section 4), evaluated for every scenario so that
// results can say how far a simulation lands from the formula, and why.
//
//   balanced : T / sum(C_i) + S * eta          (the design card's reading of section 4.2)
//   literal  : N * T / sum(C_i) + S * eta      (section 4.2 as printed, with its factor N)
//   refined  : max_i(load_i / C_i) + S * eta   (uses the policy's actual assignment)
// with C_i a node's capacity in work units per second (cores * speed / flop per unit), T the work
// units of the job, S its data-sharing rounds and eta the cost of one round on idle links. For
// streams: utilisation rho = offered load / capacity, stable when rho < 1.
#pragma once

#include "models/network_model.hpp"
#include "models/route_costs.hpp"
#include "models/scenario.hpp"
#include "models/topology.hpp"

#include <cstdint>
#include <vector>

namespace leptonsim::models {

// Chunks per node (aligned with job.nodes) that the job's policy gives on an otherwise idle
// cluster, dealing chunks one at a time exactly as the simulation's dispatcher does.
std::vector<uint64_t> static_assignment(const Scenario& scenario, const BatchJob& job);

// One sharing round: every participant sends round_bytes to the source switch (gather), which
// answers each with round_bytes (broadcast); on idle links it lasts the slowest gather plus the
// slowest broadcast.
double sharing_round_time(const Topology& topology, const NetworkModelParams& net, const BatchJob& job,
                          const std::vector<size_t>& participants);

struct BatchPrediction {
  size_t eligible_nodes  = 0;  // N
  double total_capacity  = 0;  // sum(C_i), work units per second
  double eta             = 0;  // s, one sharing round
  double compute_balanced = 0;  // s, T / sum(C_i)
  double balanced        = 0;  // s
  double literal         = 0;  // s
  double refined         = 0;  // s
  double bottleneck_compute = 0;  // s, max_i load_i / C_i
  double distribution    = 0;  // s, slowest chunk-input transfer alone on idle links (not in the seed's model)
};

// `chunks_per_node` is aligned with job.nodes.
BatchPrediction predict_batch(const Scenario& scenario, const Topology& topology, const NetworkModelParams& net,
                              const BatchJob& job, const std::vector<uint64_t>& chunks_per_node);

struct TargetSetLoad {
  std::vector<size_t> nodes;    // a distinct set of nodes some work is confined to (a group's targets, or their
                                // edge or cloud part for tiered DAG tasks)
  double offered  = 0;          // flop/s
  double capacity = 0;          // flop/s
  double rho      = 0;
};

struct StreamPrediction {
  double arrival_rate     = 0;  // tasks/s, all groups
  double expected_tasks   = 0;  // tasks (a DAG job counts each of its tasks)
  double offered          = 0;  // flop/s, all groups
  double capacity         = 0;  // flop/s, every node that some group targets
  double rho_total        = 0;
  double rho_max          = 0;  // worst target set
  bool stable             = true;
  double seed_balanced    = 0;  // s, the seed's formula on all readings of the run: total flop / capacity
  std::vector<TargetSetLoad> sets;
  std::vector<double> group_rate;           // tasks/s per group
  std::vector<double> group_min_latency;    // s: critical_path_bound() of each group
};

// Jobs a group releases over the run (readings, micro-batches of them, or DAG instances).
double expected_group_tasks(double duration, const SensorGroup& group);

// No job of the group can finish sooner after its reading: its input reaching the nearest eligible
// node, then its critical path with each task on its fastest eligible node and each edge free when
// both ends may share a node, else at its cheapest crossing on idle links. A circuit task costs its
// device time; an offload task the shorter of its classical and quantum times. (With random task
// sizes the bound uses mean sizes, so a job drawing small tasks may beat it.)
double critical_path_bound(const Scenario& scenario, const RouteCosts& routes, const SensorGroup& group);

StreamPrediction predict_stream(const Scenario& scenario, const Topology& topology, const NetworkModelParams& net);

// (simulated - predicted) / predicted; 0 when both are 0.
double relative_error(double simulated, double predicted);

}  // namespace leptonsim::models
