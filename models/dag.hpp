// Task graphs (DAG templates): acyclicity with the cycle named when there is one, a topological
// order, and the critical path, the analytic lower bound on a job's duration. Boost.Graph holds
// the graph.
#pragma once

#include "models/scenario.hpp"

#include <functional>
#include <optional>
#include <vector>

namespace leptonsim::models {

// Task indices along a cycle (first == last), or nothing when the graph is acyclic.
std::optional<std::vector<size_t>> find_cycle(size_t tasks, const std::vector<DagEdge>& edges);

// Fills predecessors, successors and order. The template must be acyclic.
void analyse_dag(DagTemplate& dag);

// Longest path where task t costs task_cost(t) and edge e costs edge_cost(e); with
// entry_cost(t) added before every task that has no predecessor.
double critical_path(const DagTemplate& dag, const std::function<double(size_t)>& task_cost,
                     const std::function<double(size_t)>& edge_cost,
                     const std::function<double(size_t)>& entry_cost);

}  // namespace leptonsim::models
