// The platform as a graph: sites are vertices, backbone links are edges (Boost.Graph). Every node
// hangs off its site's switch by its own access link. Routes between sites are shortest paths by
// latency (fewest hops among equal latencies); sim/ installs exactly these routes in SimGrid.
// A platform read from a SimGrid XML file has SimGrid's routes instead, which its RouteOracle
// (models/platform_xml.hpp) reports.
#pragma once

#include "models/scenario.hpp"

#include <optional>
#include <string>
#include <vector>

namespace leptonsim::models {

// One end of a transfer: a node (compute node or QPU) or a site's switch (where sensors and batch
// data enter the platform).
struct Endpoint {
  enum class Kind { node, site } kind = Kind::node;
  size_t index = 0;
  static Endpoint node(size_t i) { return {Kind::node, i}; }
  static Endpoint site(size_t i) { return {Kind::site, i}; }
};

// A link crossed by a route, in the direction it is crossed.
struct Hop {
  enum class Kind { access, backbone } kind = Kind::access;
  size_t index = 0;   // node index (access link) or index into Platform::links (backbone)
  bool up      = true;  // access: node -> switch; backbone: from link.a towards link.b
};

struct RouteSummary {
  double latency   = 0;  // s, sum over hops
  double bandwidth = 0;  // B/s, narrowest hop; +inf for an empty route
  size_t hops      = 0;
};

class Topology {
public:
  explicit Topology(const Platform& platform);

  // A message naming the sites that cannot reach the first site, or nothing if all are connected.
  std::optional<std::string> connectivity_problem() const;

  // Backbone hops from one site's switch to another's (empty for the same site).
  const std::vector<Hop>& site_path(size_t from_site, size_t to_site) const;

  // The hops of a built platform's route (empty for a platform read from SimGrid XML).
  std::vector<Hop> route(Endpoint from, Endpoint to) const;
  RouteSummary summarize(const std::vector<Hop>& hops) const;
  RouteSummary route_summary(Endpoint from, Endpoint to) const;
  // The SimGrid host at an endpoint: a node, or a site's entry host (its switch).
  const std::string& host_name(Endpoint e) const;

  const Platform& platform() const { return platform_; }

private:
  const Platform& platform_;
  std::vector<int> component_;                   // connected component of each site
  std::vector<std::vector<std::vector<Hop>>> paths_;  // [from][to]
  size_t site_of(Endpoint e) const;
};

}  // namespace leptonsim::models
