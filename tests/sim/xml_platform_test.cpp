// SimGrid itself loads the platforms leptonsim writes, and the platforms users bring.
#include "models/cost_model.hpp"
#include "models/network_model.hpp"
#include "models/platform_xml.hpp"
#include "models/topology.hpp"
#include "scenario_builder.hpp"
#include "sim/xml_platform.hpp"

#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace leptonsim;
namespace sg4 = simgrid::s4u;

namespace {

const char* mixed_platform = R"({
  "name": "mixed",
  "platform": {
    "sites": [
      {"name": "d", "count": 3, "link": {"bandwidth": "1Gbps", "latency": "1ms"},
       "nodes": [{"name": "e", "count": 2, "speed": "2Gf", "cores": 4, "power": {"idle": "10W", "busy": "50W"}},
                 {"name": "big", "speed": "3Gf", "cores": 16, "link": {"bandwidth": "2Gbps", "latency": "0.5ms",
                                                                      "sharing": "shared"}}]},
      {"name": "hub", "link": {"bandwidth": "10Gbps", "latency": "0.2ms"}},
      {"name": "cloud", "kind": "cloud", "link": {"bandwidth": "10Gbps", "latency": "0.1ms", "sharing": "fatpipe"},
       "nodes": [{"name": "s", "count": 2, "speed": "3Gf", "cores": 32}]}
    ],
    "links": [{"name": "up", "between": ["d", "hub"], "bandwidth": "10Gbps", "latency": "2ms"},
              {"name": "core", "between": ["hub", "cloud"], "bandwidth": "40Gbps", "latency": "3ms", "sharing": "shared"},
              {"name": "direct", "between": ["d-0", "cloud"], "bandwidth": "1Gbps", "latency": "4ms"}],
    "qpu": {"site": "cloud", "speed": "1Gf", "link": {"bandwidth": "1Gbps", "latency": "1ms"}}
  },
  "workload": {"jobs": [{"name": "j", "units": 100, "flops_per_unit": "1Mf"}]}
})";

std::string link_name(const models::Platform& p, const models::Hop& hop)
{
  const bool access         = hop.kind == models::Hop::Kind::access;
  const std::string base    = access ? p.nodes[hop.index].name + ".link" : p.links[hop.index].name;
  const models::LinkSpec& l = access ? p.nodes[hop.index].link : p.links[hop.index].link;
  if (l.sharing != models::LinkSharing::full_duplex)
    return base;
  return base + (hop.up ? "_UP" : "_DOWN");
}

std::filesystem::path temp_file(const std::string& name)
{
  const auto dir = std::filesystem::temp_directory_path() / ("leptonsim-xml-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

}  // namespace

TEST_CASE("SimGrid loads the exported platform with every host, link and route leptonsim builds")
{
  const models::Scenario s = test::scenario_from(mixed_platform);
  const models::Platform& p = s.platform;
  const models::Topology t(p);
  const auto file = temp_file("mixed.xml");
  std::ofstream(file) << models::platform_to_xml(p, t, "test");
  // Load it as a user's SimGrid program would, through leptonsim's loader.
  const models::LoadedPlatform loaded = sim::xml_platform_loader({})(file.string(), s.network);
  sg4::Engine& engine = *sim::loaded_engine();
  std::filesystem::remove_all(file.parent_path());

  const models::XmlCounts counts = models::xml_counts(p);
  CHECK(engine.get_host_count() == counts.hosts);
  CHECK(loaded.hosts.size() == 5 + 9 + 2 + 1);  // 5 switches, 9 edge nodes, 2 servers, the QPU
  // SimGrid splits each full-duplex link in two and adds its loopback: 6 split access links of the
  // 'e' nodes, 3 shared ones of 'big', 2 fatpipes of the servers, 1 split for the QPU; backbone:
  // 3 split 'up', 1 shared 'core', 1 split 'direct'.
  CHECK(engine.get_link_count() == 6 * 2 + 3 + 2 + 2 + 3 * 2 + 1 + 2 + 1);
  CHECK(counts.links == 6 + 3 + 2 + 1 + 3 + 1 + 1);

  // Every host as built: speed, cores, power properties.
  for (const auto& node : p.nodes) {
    CAPTURE(node.name);
    const sg4::Host* h = sg4::Host::by_name(node.name);
    CHECK(h->get_speed() == node.speed);
    CHECK(h->get_core_count() == node.cores);
    const char* watts = h->get_property("wattage_per_state");
    REQUIRE(watts != nullptr);
    CHECK(std::string(watts) == models::energy_properties(node.power, node.cores)[0].second);
  }
  // 10 W idle, 50 W busy on 4 cores, linear: SimGrid's epsilon is the idle power.
  CHECK(std::string(sg4::Host::by_name("d-1.e-0")->get_property("wattage_per_state")) == "10:10:50");

  // Every route between two endpoints crosses exactly the links of leptonsim's topology, in order.
  std::vector<models::Endpoint> ends;
  for (size_t i = 0; i < p.sites.size(); ++i)
    ends.push_back(models::Endpoint::site(i));
  for (size_t i = 0; i < p.nodes.size(); ++i)
    ends.push_back(models::Endpoint::node(i));
  size_t routes = 0;
  for (const auto& a : ends) {
    for (const auto& b : ends) {
      const std::string from = t.host_name(a), to = t.host_name(b);
      if (from == to)
        continue;
      std::vector<sg4::Link*> links;
      double latency = 0;
      sg4::Host::by_name(from)->route_to(sg4::Host::by_name(to), links, &latency);
      std::vector<std::string> got, want;
      for (const auto* l : links)
        got.push_back(l->get_name());
      for (const auto& hop : t.route(a, b))
        want.push_back(link_name(p, hop));
      CAPTURE(from);
      CAPTURE(to);
      CHECK(got == want);
      CHECK(latency == doctest::Approx(t.route_summary(a, b).latency).epsilon(1e-12));
      ++routes;
    }
  }
  CHECK(routes == ends.size() * (ends.size() - 1));
  // d-1 reaches the cloud over up-1 and core (5 ms), not over d-0's direct link.
  CHECK(t.route_summary(models::Endpoint::site(1), models::Endpoint::site(4)).latency == doctest::Approx(5e-3));
}

TEST_CASE("SimGrid's example small_platform runs as a leptonsim platform, routed by SimGrid")
{
  const auto file = std::filesystem::path(LEPTONSIM_SOURCE_DIR) / "scenarios" / "small_platform_grid.json";
  std::ifstream in(file);
  const models::Json doc = models::Json::parse(in);
  const models::Scenario s = models::parse_scenario(doc, file.string(), sim::xml_platform_loader({}));
  const models::Platform& p = s.platform;
  REQUIRE(p.nodes.size() == 5);
  CHECK(p.nodes[0].name == "Tremblay");
  CHECK(p.nodes[0].speed == doctest::Approx(98.095e6));
  CHECK(p.nodes[4].name == "Bourassa");
  CHECK(p.nodes[4].kind == models::NodeKind::cloud);
  CHECK(p.sites[1].entry == "Ginette");
  // Tremblay -> Fafard crosses links 4, 3, 2, 0, 1 and 8 of the file: 479.78 + 514.433 + 136.931
  // + 59.904 + 514.433 + 270.544 us, and its narrowest is link 8 at 8.158 MB/s.
  const models::Topology t(p);
  const auto r = t.route_summary(models::Endpoint::site(0), models::Endpoint::node(2));
  CHECK(r.hops == 6);
  CHECK(r.latency == doctest::Approx(1976.025e-6));
  CHECK(r.bandwidth == doctest::Approx(8.158e6));
  // Bourassa's route is the longest (links 4, 3, 2, 0, 1, 6, 7: 1955.365 us), but the slowest for
  // 100 kB is Jupiter's single link 9: 1461.517 us + 100 kB / 7.20975 MB/s = 15.33 ms. The seed's
  // eta is the slowest gather plus the slowest broadcast.
  CHECK(t.route_summary(models::Endpoint::node(4), models::Endpoint::site(0)).hops == 7);
  CHECK(t.route_summary(models::Endpoint::node(4), models::Endpoint::site(0)).latency ==
        doctest::Approx(1955.365e-6));
  const double one_way = 1461.517e-6 + 1e5 / 7.20975e6;
  const auto prediction = models::predict_batch(s, t, models::network_params(s.network), s.workload.jobs[0],
                                                models::static_assignment(s, s.workload.jobs[0]));
  CHECK(prediction.eta == doctest::Approx(2 * one_way));
}
