// SimGrid platform XML (version 4.1), both ways, without SimGrid itself:
// - platform_to_xml() writes the platform that sim/platform builds for a scenario, so that any
//   SimGrid program can load it;
// - a scenario may instead read its platform from a SimGrid XML file ("platform": {"simgrid_xml":
//   ...}); SimGrid loads it (sim/xml_platform), and the parser sees it through a PlatformLoader:
//   the hosts it declares and a RouteOracle for SimGrid's routes between them.
#pragma once

#include "models/scenario.hpp"
#include "models/topology.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace leptonsim::models {

// The platform as SimGrid XML. `comment` (one line) goes into an XML comment at the top.
std::string platform_to_xml(const Platform& platform, const Topology& topology, const std::string& comment);

// How many hosts, links and routes platform_to_xml() writes (links count a split-duplex link once).
struct XmlCounts {
  size_t hosts  = 0;
  size_t links  = 0;
  size_t routes = 0;  // <route> and <zoneRoute> elements
};
XmlCounts xml_counts(const Platform& platform);

// A host of a loaded SimGrid platform, as the scenario parser needs it.
struct XmlHost {
  std::string name;
  double speed = 0;  // flop/s per core (first pstate)
  int cores    = 1;
  std::map<std::string, std::string> properties;
};

// SimGrid's route between two hosts: the links crossed, in order, each with its bandwidth (B/s)
// and latency (s).
class RouteOracle {
public:
  virtual ~RouteOracle() = default;
  virtual std::vector<LinkSpec> route(const std::string& from_host, const std::string& to_host) const = 0;
};

struct LoadedPlatform {
  std::vector<XmlHost> hosts;  // sorted by name
  std::shared_ptr<const RouteOracle> routes;
};

// A PlatformLoader (models/scenario.hpp) loads a SimGrid platform file and returns this, or throws
// std::runtime_error with SimGrid's message. It is given the network settings because SimGrid
// fixes its models when a platform is loaded.

// The host properties of SimGrid's energy plugin for these power figures: "wattage_per_state" =
// "idle:epsilon:busy" for the single pstate, where the plugin draws epsilon + load * (busy -
// epsilon) at a load in (0, 1] (busy cores / cores), so epsilon is what makes one busy core draw
// one_core; and "wattage_off".
std::vector<std::pair<std::string, std::string>> energy_properties(const PowerSpec& power, int cores);

// The inverse: power figures from a host's "wattage_per_state" ("idle:epsilon:busy", or
// "idle:busy" where epsilon is idle) and "wattage_off"; nothing when the host has none. Throws
// std::invalid_argument with a message when the properties cannot be read.
std::optional<PowerSpec> power_from_properties(const std::map<std::string, std::string>& properties, int cores);

// Glob matching for host patterns: '*' is any run of characters, '?' any one character.
bool glob_match(std::string_view pattern, std::string_view text);
// Orders names so that numbers inside them compare by value ("c-2" before "c-10").
bool natural_less(std::string_view a, std::string_view b);

}  // namespace leptonsim::models
