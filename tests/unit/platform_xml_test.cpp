// SimGrid platform XML without SimGrid: what the exporter writes, and how a scenario maps the hosts
// of a loaded platform (here a fake loader stands for SimGrid) onto sites, nodes and the QPU.
#include "models/cost_model.hpp"
#include "models/costs.hpp"
#include "models/platform_xml.hpp"
#include "models/scenario.hpp"
#include "models/topology.hpp"

#include <doctest/doctest.h>

#include <regex>

using namespace leptonsim::models;

namespace {

size_t count(const std::string& text, const std::string& what)
{
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

Json built()
{
  return Json::parse(R"({
    "name": "b",
    "platform": {
      "sites": [
        {"name": "d", "count": 2, "link": {"bandwidth": "1Gbps", "latency": "1ms"},
         "nodes": [{"name": "e", "count": 2, "speed": "2Gf", "cores": 4,
                    "power": {"idle": "10W", "busy": "50W"}}]},
        {"name": "cloud", "kind": "cloud", "link": {"bandwidth": "10Gbps", "latency": "0.1ms", "sharing": "fatpipe"},
         "nodes": [{"name": "s", "speed": "3.3Gf", "cores": 8}]}
      ],
      "links": [{"name": "up", "between": ["d", "cloud"], "bandwidth": "10Gbps", "latency": "5ms",
                 "sharing": "shared"}],
      "qpu": {"site": "cloud", "speed": "1Gf", "link": {"bandwidth": "1Gbps", "latency": "1ms"}}
    },
    "workload": {"jobs": [{"name": "j", "units": 100, "flops_per_unit": "1Mf"}]}
  })");
}

// A platform as SimGrid would report it: hosts c-0 .. c-11 and gw, all linked to gw by a 1 ms,
// 1 GB/s link; c-k -> c-m crosses both links (2 ms).
class StarRoutes final : public RouteOracle {
public:
  std::vector<LinkSpec> route(const std::string& from, const std::string& to) const override
  {
    if (from == "island" || to == "island")
      throw std::runtime_error("no route from '" + from + "' to '" + to + "'");
    std::vector<LinkSpec> links;
    if (from != "gw")
      links.push_back({1e9, 1e-3, LinkSharing::shared});
    if (to != "gw")
      links.push_back({1e9, 1e-3, LinkSharing::shared});
    return links;
  }
};

int loads = 0;
std::string loaded_path;

PlatformLoader fake_loader()
{
  return [](const std::string& path, const NetworkSpec&) {
    ++loads;
    loaded_path = path;
    if (path.find("missing") != std::string::npos)
      throw std::runtime_error("cannot open '" + path + "'");
    LoadedPlatform p;
    for (const char* name : {"c-0", "c-1", "c-10", "c-11", "c-2", "c-3", "c-4", "c-5", "c-6", "c-7", "c-8", "c-9",
                             "gw", "island", "q"})
      p.hosts.push_back({name, 1e9, 2, {}});
    p.hosts[0].properties = {{"wattage_per_state", "100:120:200"}, {"wattage_off", "5"}};
    p.routes              = std::make_shared<StarRoutes>();
    return p;
  };
}

Json xml_scenario()
{
  return Json::parse(R"({
    "name": "x",
    "platform": {
      "simgrid_xml": "plat/cluster.xml",
      "sites": [{"name": "rack", "count": 3, "entry": "gw", "nodes": ["c-{i}"]},
                {"name": "dc", "kind": "cloud", "entry": "gw", "nodes": ["c-1?", "c-9"]}],
      "qpu": {"host": "q", "site": "dc"}
    },
    "workload": {"jobs": [{"name": "j", "units": 100, "flops_per_unit": "1Mf", "sharing": {"rounds": 1, "bytes": "1MB"}}]}
  })");
}

std::vector<Diagnostic> xml_problems(const Json& doc)
{
  try {
    parse_scenario(doc, "dir/s.json", fake_loader());
  } catch (const InputError& e) {
    return e.problems();
  }
  return {};
}

bool has(const std::vector<Diagnostic>& problems, const std::string& pointer, const std::string& fragment)
{
  for (const auto& p : problems)
    if (p.pointer == pointer && p.message.find(fragment) != std::string::npos)
      return true;
  return false;
}

}  // namespace

TEST_CASE("host patterns: globbing and natural order")
{
  CHECK(glob_match("c-*", "c-10"));
  CHECK(glob_match("*.me", "c-1.me"));
  CHECK(glob_match("c-?", "c-1"));
  CHECK_FALSE(glob_match("c-?", "c-10"));
  CHECK(glob_match("a*b*c", "axxbyyc"));
  CHECK_FALSE(glob_match("a*b*c", "axxbyy"));
  CHECK(glob_match("exact", "exact"));
  CHECK(natural_less("c-2", "c-10"));
  CHECK_FALSE(natural_less("c-10", "c-2"));
  CHECK(natural_less("c-9.me", "c-10.me"));
  CHECK(natural_less("a", "b"));
  CHECK(natural_less("node", "node-0"));
}

TEST_CASE("power figures are read from SimGrid's energy properties")
{
  // The middle figure is the plugin's epsilon: one busy core of four is a load of 1/4, so it draws
  // 120 + (200 - 120) / 4 = 140 W.
  auto p = power_from_properties({{"wattage_per_state", "95:120:200"}, {"wattage_off", "10"}}, 4);
  REQUIRE(p);
  CHECK(p->idle == 95);
  CHECK(p->one_core == 140);
  CHECK(p->busy == 200);
  CHECK(p->off == 10);
  // "idle:busy": one core busy adds a quarter of the span on four cores, as leptonsim's default.
  p = power_from_properties({{"wattage_per_state", "100:200"}}, 4);
  REQUIRE(p);
  CHECK(p->one_core == 125);
  CHECK(p->off == 0);
  CHECK_FALSE(power_from_properties({}, 1));
  CHECK_THROWS_WITH_AS(power_from_properties({{"wattage_per_state", "1:2:3, 4:5:6"}}, 1),
                       doctest::Contains("several pstates"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(power_from_properties({{"wattage_per_state", "a:2"}}, 1), doctest::Contains("'a' is not"),
                       std::invalid_argument);
  CHECK_THROWS_AS(power_from_properties({{"wattage_per_state", "200:100"}}, 1), std::invalid_argument);
}

TEST_CASE("power figures written as SimGrid's energy properties read back the same")
{
  // 4 cores, 10 W idle, 25 W with one core busy, 70 W busy: epsilon = (25 * 4 - 70) / 3 = 10 W.
  const PowerSpec spec{10, 25, 70, 2};
  const auto props = energy_properties(spec, 4);
  REQUIRE(props.size() == 2);
  CHECK(props[0] == std::pair<std::string, std::string>{"wattage_per_state", "10:10:70"});
  CHECK(props[1] == std::pair<std::string, std::string>{"wattage_off", "2"});
  const auto back = power_from_properties({props.begin(), props.end()}, 4);
  REQUIRE(back);
  CHECK(back->idle == 10);
  CHECK(back->one_core == 25);
  CHECK(back->busy == 70);
  CHECK(back->off == 2);
  // One core: the plugin draws busy at a load of 1; epsilon is then idle.
  CHECK(energy_properties(PowerSpec{3, 9, 9, 0}, 1)[0].second == "3:3:9");
}

TEST_CASE("the exported XML holds every host, link and route of the built platform, numbers exact")
{
  const Scenario s = parse_scenario(built(), "b.json");
  const Topology t(s.platform);
  const std::string xml = platform_to_xml(s.platform, t, "test -- comment");
  const XmlCounts c     = xml_counts(s.platform);
  // 3 switches, 4 edge nodes, 1 cloud server, the QPU.
  CHECK(c.hosts == 3 + 4 + 1 + 1);
  CHECK(count(xml, "<host ") == c.hosts);
  CHECK(c.links == 6 + 2);  // an access link per node and QPU, two backbone replicas
  CHECK(count(xml, "<link ") == c.links);
  // Per district: switch + 2 nodes = 3 hosts, 6 ordered pairs; cloud: switch + server + QPU = 6;
  // zone routes between the 3 sites: 6.
  CHECK(c.routes == 6 + 6 + 6 + 6);
  CHECK(count(xml, "<route ") + count(xml, "<zoneRoute ") == c.routes);
  CHECK(xml.find("<platform version=\"4.1\">") != std::string::npos);
  CHECK(xml.find("test - - comment") != std::string::npos);  // "--" may not appear in an XML comment
  // The cloud server's class defaults, 40 + 4 * 8 = 72 W idle and 40 + 12 * 8 = 136 W busy, are
  // linear in the busy cores: epsilon is idle. The edge nodes' 10 W to 50 W too.
  CHECK(xml.find("<host id=\"cloud.s\" speed=\"3300000000f\" core=\"8\">\n"
                 "        <prop id=\"wattage_per_state\" value=\"72:72:136\"/>") != std::string::npos);
  CHECK(xml.find("<prop id=\"wattage_per_state\" value=\"10:10:50\"/>") != std::string::npos);
  CHECK(xml.find("<link id=\"d-0.e-1.link\" bandwidth=\"125000000Bps\" latency=\"0.001s\" "
                 "sharing_policy=\"SPLITDUPLEX\"/>") != std::string::npos);
  CHECK(xml.find("<link id=\"cloud.s.link\" bandwidth=\"1250000000Bps\" latency=\"0.0001s\" "
                 "sharing_policy=\"FATPIPE\"/>") != std::string::npos);
  // A node reaches its switch up its access link; the other way goes down it.
  CHECK(xml.find("<route src=\"d-1.e-0\" dst=\"d-1.switch\" symmetrical=\"NO\"><link_ctn id=\"d-1.e-0.link\" "
                 "direction=\"UP\"/></route>") != std::string::npos);
  // The shared backbone replica has no direction.
  CHECK(xml.find("<zoneRoute src=\"zone:d-1\" dst=\"zone:cloud\" gw_src=\"d-1.switch\" gw_dst=\"cloud.switch\" "
                 "symmetrical=\"NO\"><link_ctn id=\"up-1\"/></zoneRoute>") != std::string::npos);
  // Zones nest: a site zone per site inside the root zone.
  CHECK(count(xml, "<zone ") == 1 + 3);
  CHECK(count(xml, "</zone>") == 1 + 3);
}

TEST_CASE("a scenario maps the hosts of a SimGrid platform onto replicated sites, nodes and the QPU")
{
  loads = 0;
  const Scenario s = parse_scenario(xml_scenario(), "dir/s.json", fake_loader());
  CHECK(loads == 1);
  CHECK(loaded_path == "dir/plat/cluster.xml");  // relative to the scenario's folder
  const Platform& p = s.platform;
  REQUIRE(p.sites.size() == 4);
  CHECK(p.sites[2].name == "rack-2");
  CHECK(p.sites[3].kind == SiteKind::cloud);
  CHECK(p.sites[3].entry == "gw");
  std::vector<std::string> names;
  for (const auto& n : p.nodes)
    names.push_back(n.name);
  // {i} is the replica's number; a pattern's hosts come in natural order, listed names as listed.
  CHECK(names == std::vector<std::string>{"c-0", "c-1", "c-2", "c-10", "c-11", "c-9", "q"});
  CHECK(p.compute_node_count() == 6);
  REQUIRE(p.qpu);
  CHECK(p.nodes[*p.qpu].name == "q");
  CHECK(p.sites[3].nodes == std::vector<size_t>{3, 4, 5});
  CHECK(p.nodes[0].speed == 1e9);
  CHECK(p.nodes[0].cores == 2);
  // "100:120:200" on 2 cores: one busy core is a load of 1/2, 120 + 80 / 2 = 160 W.
  CHECK(p.nodes[0].power.one_core == 160);
  CHECK(p.nodes[0].power.off == 5);
  // A host without energy properties draws nothing, as in SimGrid's plugin.
  CHECK(p.nodes[1].power.idle == 0);
  CHECK(p.nodes[1].power.busy == 0);
  CHECK(p.nodes[3].kind == NodeKind::cloud);

  // Routes are SimGrid's, through the oracle: a node and its entry one link, two nodes two.
  const Topology t(p);
  const RouteSummary to_entry = t.route_summary(Endpoint::site(0), Endpoint::node(0));
  CHECK(to_entry.latency == 1e-3);
  CHECK(to_entry.hops == 1);
  CHECK(to_entry.bandwidth == 1e9);
  CHECK(t.route_summary(Endpoint::node(0), Endpoint::node(4)).latency == 2e-3);
  CHECK(t.route_summary(Endpoint::node(2), Endpoint::node(2)).hops == 0);
  CHECK_FALSE(t.connectivity_problem());
  // The seed's eta: 6 nodes each send 1 MB to gw (1 ms + 1 ms of transfer) and get it back.
  const BatchJob& job = s.workload.jobs[0];
  CHECK(sharing_round_time(t, network_params(s.network), job, job.nodes) == doctest::Approx(2 * (1e-3 + 1e6 / 1e9)));
}

TEST_CASE("a SimGrid platform's sites and QPU take cost figures; nodes without them take their class's")
{
  Json doc = xml_scenario();
  doc["/platform/sites/0/cost"_json_pointer] = Json::parse(R"({"capital": 600, "lifetime_years": 2})");
  doc["/platform/qpu/cost"_json_pointer]     = Json::parse(R"({"per_second": 2.5})");
  const Platform p = parse_scenario(doc, "dir/s.json", fake_loader()).platform;
  // Every replica of rack: owned, 600 over 2 years (in seconds of 365.25 days).
  for (size_t i = 0; i < 3; ++i) {
    CHECK(p.nodes[i].cost.billing == NodeCostSpec::Billing::owned);
    CHECK(p.nodes[i].cost.capital == 600);
    CHECK(p.nodes[i].cost.lifetime == doctest::Approx(2 * 365.25 * 86400));
  }
  // dc's cloud nodes: rented by the core-hour at the class's price, for their 2 cores.
  CHECK(p.nodes[3].cost.billing == NodeCostSpec::Billing::core_hours);
  CHECK(p.nodes[3].cost.core_hour == default_node_cost(NodeKind::cloud, 2).core_hour);
  CHECK(p.nodes[3].cost.cores == 2);
  CHECK(p.nodes[*p.qpu].cost.billing == NodeCostSpec::Billing::device_time);
  CHECK(p.nodes[*p.qpu].cost.per_second == 2.5);
  doc["/platform/sites/1/cost"_json_pointer] = Json::parse(R"({"core_hour": 0.1, "capital": 1})");
  CHECK(has(xml_problems(doc), "/platform/sites/1/cost/core_hour", "a node is either owned"));
}

TEST_CASE("a SimGrid platform's mistakes are reported at their pointers")
{
  auto with = [](const std::string& pointer, const Json& value) {
    Json doc = xml_scenario();
    doc[Json::json_pointer(pointer)] = value;
    return xml_problems(doc);
  };
  CHECK(has(with("/platform/sites/0/entry", "gww"), "/platform/sites/0/entry",
            "the SimGrid platform has no host named 'gww'; did you mean 'gw'?"));
  CHECK(has(with("/platform/sites/1/nodes/0", "z*"), "/platform/sites/1/nodes/0",
            "the pattern 'z*' matches no host"));
  CHECK(has(with("/platform/sites/1/nodes/1", "c-0"), "/platform/sites/1/nodes/1",
            "host 'c-0' is already a node at /platform/sites/0/nodes/0"));
  CHECK(has(with("/platform/sites/1/nodes/1", "q"), "/platform/sites/1/nodes/1", "is the quantum co-processor"));
  CHECK(has(with("/platform/sites/1/entry", "island"), "/platform/sites/1/nodes/0", "no route from 'island'"));
  CHECK(has(with("/platform/simgrid_xml", "missing.xml"), "/platform/simgrid_xml", "cannot open 'dir/missing.xml'"));
  CHECK(has(with("/platform/sites/1/entry", "gw-{i}"), "/platform/sites/1/entry", "needs \"count\""));
  CHECK(has(with("/platform/sites/0/link", Json::object()), "/platform/sites/0/link", "unknown key 'link'"));
  CHECK(has(with("/platform/qpu/host", "qq"), "/platform/qpu/host", "no host named 'qq'; did you mean 'q'?"));
  CHECK(has(with("/faults", Json::parse(R"({"events": [{"target": "c-0.link", "down": "1s"}]})")),
            "/faults/events/0/target", "no node, link or site is named 'c-0.link'"));
  // Without a loader (where SimGrid does not run) such a scenario cannot be read.
  bool refused = false;
  try {
    parse_scenario(xml_scenario(), "s.json");
  } catch (const InputError& e) {
    refused = has(e.problems(), "/platform/simgrid_xml", "read only where SimGrid runs");
  }
  CHECK(refused);
}
