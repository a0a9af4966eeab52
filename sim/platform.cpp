#include "sim/platform.hpp"

#include "models/platform_xml.hpp"

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>

#include <fmt/core.h>

namespace leptonsim::sim {
namespace {

namespace sg4 = simgrid::s4u;

// A link in SimGrid terms: full duplex links are split into an UP and a DOWN half.
struct BuiltLink {
  sg4::Link* shared = nullptr;           // for shared and fatpipe links
  sg4::SplitDuplexLink* duplex = nullptr;

  sg4::Link* link() const { return duplex ? static_cast<sg4::Link*>(duplex) : shared; }

  sg4::LinkInRoute crossed(bool up) const
  {
    if (duplex)
      return sg4::LinkInRoute(duplex, up ? sg4::LinkInRoute::Direction::UP : sg4::LinkInRoute::Direction::DOWN);
    return sg4::LinkInRoute(shared);
  }
};

BuiltLink make_link(sg4::NetZone* zone, const std::string& name, const models::LinkSpec& spec)
{
  BuiltLink built;
  if (spec.sharing == models::LinkSharing::full_duplex) {
    built.duplex = zone->create_split_duplex_link(name, spec.bandwidth);
    built.duplex->set_latency(spec.latency)->seal();
  } else {
    built.shared = zone->create_link(name, spec.bandwidth);
    built.shared->set_latency(spec.latency);
    if (spec.sharing == models::LinkSharing::fatpipe)
      built.shared->set_sharing_policy(sg4::Link::SharingPolicy::FATPIPE);
    built.shared->seal();
  }
  return built;
}

void set_power(sg4::Host* host, int cores, const models::PowerSpec& p)
{
  for (const auto& [key, value] : models::energy_properties(p, cores))
    host->set_property(key, value);
}

// A platform loaded from SimGrid XML: its hosts are found by name; links and routes are SimGrid's.
SimPlatform find_xml_platform(const models::Platform& p)
{
  SimPlatform found;
  for (const auto& node : p.nodes) {
    found.nodes.push_back(sg4::Host::by_name(node.name));
    found.access.push_back(nullptr);
  }
  for (const auto& site : p.sites)
    found.switches.push_back(sg4::Host::by_name(site.entry));
  return found;
}

}  // namespace

SimPlatform build_platform(const models::Scenario& scenario, const models::Topology& topology)
{
  const models::Platform& p = scenario.platform;
  if (!p.simgrid_xml.empty())
    return find_xml_platform(p);
  sg_host_energy_plugin_init();

  SimPlatform built;
  built.nodes.resize(p.nodes.size(), nullptr);
  built.access.resize(p.nodes.size(), nullptr);
  auto* root = sg4::create_full_zone("zone:leptonsim");

  std::vector<sg4::NetZone*> zones;
  for (size_t s = 0; s < p.sites.size(); ++s) {
    const auto& site = p.sites[s];
    auto* zone       = sg4::create_star_zone("zone:" + site.name);
    zone->set_parent(root);
    auto* sw = zone->create_host(site.name + ".switch", 1e9);
    set_power(sw, 1, models::PowerSpec{});  // the network's power is not modelled: 0 W
    sw->seal();
    zone->add_route(sw->get_netpoint(), nullptr, nullptr, nullptr, {}, true);
    built.switches.push_back(sw);
    zones.push_back(zone);
  }
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    const auto& node = p.nodes[i];
    auto* zone       = zones[node.site];
    auto* host       = zone->create_host(node.name, node.speed);
    host->set_core_count(node.cores);
    set_power(host, node.cores, node.power);
    host->seal();
    const BuiltLink link = make_link(zone, node.name + ".link", node.link);
    zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, {link.crossed(true)}, true);
    built.nodes[i]  = host;
    built.access[i] = link.link();
  }
  for (auto* zone : zones)
    zone->seal();

  std::vector<BuiltLink> backbone;
  for (const auto& l : p.links) {
    backbone.push_back(make_link(root, l.name, l.link));
    built.backbone.push_back(backbone.back().link());
  }
  for (size_t a = 0; a < p.sites.size(); ++a) {
    for (size_t b = 0; b < p.sites.size(); ++b) {
      if (a == b)
        continue;
      std::vector<sg4::LinkInRoute> links;
      for (const auto& hop : topology.site_path(a, b))
        links.push_back(backbone[hop.index].crossed(hop.up));
      root->add_route(zones[a]->get_netpoint(), zones[b]->get_netpoint(), built.switches[a]->get_netpoint(),
                      built.switches[b]->get_netpoint(), links, false);
    }
  }
  root->seal();
  return built;
}

}  // namespace leptonsim::sim
