#include "models/topology.hpp"

#include "models/platform_xml.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <limits>

namespace leptonsim::models {
namespace {

// Edge weight: the link's latency plus one nanosecond per hop, so that among routes of equal
// latency the one with fewer hops wins. Reported latencies sum the real link latencies.
constexpr double hop_penalty = 1e-9;

struct EdgeProps {
  double weight = 0;
  size_t link   = 0;
};
using Graph  = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property, EdgeProps>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;

}  // namespace

Topology::Topology(const Platform& platform) : platform_(platform)
{
  const size_t n = platform.sites.size();
  component_.assign(n, 0);
  paths_.assign(n, std::vector<std::vector<Hop>>(n));
  if (platform.routes)
    return;  // SimGrid routes the platform it read: there is no site graph
  Graph g(n);
  for (size_t i = 0; i < platform.links.size(); ++i) {
    const auto& l = platform.links[i];
    boost::add_edge(l.a, l.b, EdgeProps{l.link.latency + hop_penalty, i}, g);
  }
  if (n > 0)
    boost::connected_components(g, &component_[0]);

  std::vector<Vertex> predecessor(n);
  std::vector<double> distance(n);
  for (size_t src = 0; src < n; ++src) {
    boost::dijkstra_shortest_paths(
        g, src,
        boost::predecessor_map(&predecessor[0]).distance_map(&distance[0]).weight_map(boost::get(&EdgeProps::weight, g)));
    for (size_t dst = 0; dst < n; ++dst) {
      if (dst == src || component_[dst] != component_[src])
        continue;
      // Walk back from dst, choosing for each step the lightest edge between the two vertices.
      std::vector<Hop> reversed;
      for (size_t v = dst; v != src;) {
        const size_t u  = predecessor[v];
        size_t best     = 0;
        double best_w   = std::numeric_limits<double>::infinity();
        auto [ei, eend] = boost::out_edges(u, g);
        for (; ei != eend; ++ei) {
          if (boost::target(*ei, g) == v && g[*ei].weight < best_w) {
            best_w = g[*ei].weight;
            best   = g[*ei].link;
          }
        }
        reversed.push_back(Hop{Hop::Kind::backbone, best, platform.links[best].a == u});
        v = u;
      }
      paths_[src][dst].assign(reversed.rbegin(), reversed.rend());
    }
  }
}

std::optional<std::string> Topology::connectivity_problem() const
{
  std::vector<std::string> cut_off;
  for (size_t i = 0; i < component_.size(); ++i)
    if (component_[i] != component_[0])
      cut_off.push_back(platform_.sites[i].name);
  if (cut_off.empty())
    return std::nullopt;
  std::string list;
  for (size_t i = 0; i < cut_off.size() && i < 5; ++i)
    list += (i ? ", " : "") + cut_off[i];
  if (cut_off.size() > 5)
    list += fmt::format(" and {} more", cut_off.size() - 5);
  return fmt::format("the topology is disconnected: no route from site '{}' to {} {}; add links between them",
                     platform_.sites[0].name, cut_off.size() == 1 ? "site" : "sites", list);
}

const std::vector<Hop>& Topology::site_path(size_t from_site, size_t to_site) const
{
  return paths_.at(from_site).at(to_site);
}

size_t Topology::site_of(Endpoint e) const
{
  return e.kind == Endpoint::Kind::site ? e.index : platform_.nodes.at(e.index).site;
}

const std::string& Topology::host_name(Endpoint e) const
{
  return e.kind == Endpoint::Kind::site ? platform_.sites.at(e.index).entry : platform_.nodes.at(e.index).name;
}

RouteSummary Topology::route_summary(Endpoint from, Endpoint to) const
{
  if (!platform_.routes)
    return summarize(route(from, to));
  // Summed link by link in route order, as summarize() does for a built platform.
  RouteSummary s;
  s.bandwidth       = std::numeric_limits<double>::infinity();
  const auto& a     = host_name(from);
  const auto& b     = host_name(to);
  if (a == b)
    return s;
  for (const auto& l : platform_.routes->route(a, b)) {
    s.latency += l.latency;
    s.bandwidth = std::min(s.bandwidth, l.bandwidth);
    ++s.hops;
  }
  return s;
}

std::vector<Hop> Topology::route(Endpoint from, Endpoint to) const
{
  std::vector<Hop> hops;
  if ((from.kind == to.kind && from.index == to.index) || platform_.routes)
    return hops;
  if (from.kind == Endpoint::Kind::node)
    hops.push_back(Hop{Hop::Kind::access, from.index, true});
  const auto& middle = site_path(site_of(from), site_of(to));
  hops.insert(hops.end(), middle.begin(), middle.end());
  if (to.kind == Endpoint::Kind::node)
    hops.push_back(Hop{Hop::Kind::access, to.index, false});
  return hops;
}

RouteSummary Topology::summarize(const std::vector<Hop>& hops) const
{
  RouteSummary s;
  s.bandwidth = std::numeric_limits<double>::infinity();
  for (const auto& h : hops) {
    const LinkSpec& l = h.kind == Hop::Kind::access ? platform_.nodes[h.index].link : platform_.links[h.index].link;
    s.latency += l.latency;
    s.bandwidth = std::min(s.bandwidth, l.bandwidth);
  }
  s.hops = hops.size();
  return s;
}

}  // namespace leptonsim::models
