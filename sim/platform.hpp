// Builds the SimGrid platform of a scenario: one star zone per site (a switch host at the centre,
// each node on its own access link), under a full zone whose routes between sites follow the
// shortest paths that models::Topology computed on the site graph.
#pragma once

#include "models/scenario.hpp"
#include "models/topology.hpp"

#include <simgrid/forward.h>

#include <vector>

namespace leptonsim::sim {

struct SimPlatform {
  std::vector<simgrid::s4u::Host*> nodes;     // aligned with Platform::nodes
  std::vector<simgrid::s4u::Host*> switches;  // one per site: where sensors and batch data enter
  std::vector<simgrid::s4u::Link*> access;    // each node's access link (aligned with nodes); nullptr for XML
  std::vector<simgrid::s4u::Link*> backbone;  // aligned with Platform::links
};

// Must run after the Engine exists and before it runs. Enables the energy plugin: every node has
// power figures, given or the defaults of its class. For a platform read from SimGrid XML
// (already loaded, with the plugin), finds its hosts.
SimPlatform build_platform(const models::Scenario& scenario, const models::Topology& topology);

}  // namespace leptonsim::sim
