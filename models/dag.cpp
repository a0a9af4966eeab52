#include "models/dag.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>

#include <algorithm>

namespace leptonsim::models {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;

Graph build(size_t tasks, const std::vector<DagEdge>& edges)
{
  Graph g(tasks);
  for (const auto& e : edges)
    boost::add_edge(e.from, e.to, g);
  return g;
}

// Records the DFS tree and the first back edge, which closes a cycle.
struct CycleFinder : boost::default_dfs_visitor {
  std::vector<Vertex>* parent;
  std::optional<std::pair<Vertex, Vertex>>* back;
  void tree_edge(boost::graph_traits<Graph>::edge_descriptor e, const Graph& g) const
  {
    (*parent)[boost::target(e, g)] = boost::source(e, g);
  }
  void back_edge(boost::graph_traits<Graph>::edge_descriptor e, const Graph& g) const
  {
    if (!*back)
      *back = std::make_pair(boost::source(e, g), boost::target(e, g));
  }
};

}  // namespace

std::optional<std::vector<size_t>> find_cycle(size_t tasks, const std::vector<DagEdge>& edges)
{
  const Graph g = build(tasks, edges);
  std::vector<Vertex> parent(tasks);
  for (size_t i = 0; i < tasks; ++i)
    parent[i] = i;
  std::optional<std::pair<Vertex, Vertex>> back;
  CycleFinder visitor;
  visitor.parent = &parent;
  visitor.back   = &back;
  std::vector<boost::default_color_type> colors(tasks);
  boost::depth_first_search(g, boost::visitor(visitor).color_map(&colors[0]));
  if (!back)
    return std::nullopt;
  // The back edge u -> v closes the tree path v -> ... -> u.
  const auto [u, v] = *back;
  std::vector<size_t> path{u};
  for (Vertex x = u; x != v; x = parent[x])
    path.push_back(parent[x]);
  std::reverse(path.begin(), path.end());
  path.push_back(v);
  return path;
}

void analyse_dag(DagTemplate& dag)
{
  const size_t n = dag.tasks.size();
  dag.predecessors.assign(n, {});
  dag.successors.assign(n, {});
  for (size_t e = 0; e < dag.edges.size(); ++e) {
    dag.successors[dag.edges[e].from].push_back(e);
    dag.predecessors[dag.edges[e].to].push_back(e);
  }
  const Graph g = build(n, dag.edges);
  std::vector<Vertex> reversed;
  boost::topological_sort(g, std::back_inserter(reversed));
  dag.order.assign(reversed.rbegin(), reversed.rend());
}

double critical_path(const DagTemplate& dag, const std::function<double(size_t)>& task_cost,
                     const std::function<double(size_t)>& edge_cost,
                     const std::function<double(size_t)>& entry_cost)
{
  std::vector<double> finish(dag.tasks.size(), 0.0);
  double longest = 0;
  for (size_t t : dag.order) {
    double start = dag.predecessors[t].empty() ? entry_cost(t) : 0.0;
    for (size_t e : dag.predecessors[t])
      start = std::max(start, finish[dag.edges[e].from] + edge_cost(e));
    finish[t] = start + task_cost(t);
    longest   = std::max(longest, finish[t]);
  }
  return longest;
}

}  // namespace leptonsim::models
