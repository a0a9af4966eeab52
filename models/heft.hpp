// HEFT, Heterogeneous Earliest Finish Time (Topcuoglu, Hariri and Wu, IEEE TPDS 13(3), 2002):
// tasks in decreasing upward rank, each placed on the processor where it finishes first, using
// the earliest idle slot long enough to hold it (insertion-based).
#pragma once

#include "models/policy.hpp"
#include "models/scenario.hpp"

#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace leptonsim::models {

struct HeftProblem {
  size_t tasks      = 0;
  size_t processors = 0;
  std::vector<DagEdge> edges;                                            // from, to
  std::function<double(size_t task, size_t processor)> compute;          // execution time
  std::function<double(size_t edge, size_t from_p, size_t to_p)> communicate;  // 0 on the same processor
  std::function<double(size_t edge)> mean_communicate;                   // average over processor pairs, for ranks
  std::function<double(size_t task, size_t processor)> entry_ready;      // earliest start of an entry task; may be null
  std::vector<double> processor_ready;                                   // busy until; empty means all 0
};

struct HeftSchedule {
  std::vector<double> rank;       // upward rank of each task
  std::vector<size_t> order;      // tasks in scheduling order
  std::vector<size_t> processor;  // chosen processor per task
  std::vector<double> start, finish;
  double makespan = 0;
};

HeftSchedule heft(const HeftProblem& problem);

// HEFT placement of one DAG job on the cluster as it is now: every core of every candidate node
// is a processor, ready when its node's backlog would have drained; transfers between nodes cost
// what the network model says on idle routes, and nothing within a node. Tasks marked for the
// QPU go to `qpu`. Returns the node of each task.
std::vector<size_t> heft_placement(const DagTemplate& dag, const std::vector<double>& flops,
                                   std::span<const size_t> candidates, std::optional<size_t> qpu,
                                   const ClusterView& view, Endpoint source, double input_bytes);

}  // namespace leptonsim::models
