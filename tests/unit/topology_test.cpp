#include "models/scenario.hpp"
#include "models/topology.hpp"

#include <doctest/doctest.h>

using namespace leptonsim::models;

namespace {
// Sites a, b, c, d: a-b-d is 2 + 2 ms, a-c-d is 1 + 1 ms, a-d directly 5 ms.
Scenario diamond()
{
  return parse_scenario(Json::parse(R"({
    "name": "d",
    "platform": {
      "sites": [
        {"name": "a", "link": {"bandwidth": "1Gbps", "latency": "1ms"}, "nodes": [{"name": "n", "speed": "1Gf"}]},
        {"name": "b"}, {"name": "c"},
        {"name": "d", "link": {"bandwidth": "100Mbps", "latency": "3ms"}, "nodes": [{"name": "n", "speed": "1Gf"}]}
      ],
      "links": [
        {"between": ["a", "b"], "bandwidth": "10Gbps", "latency": "2ms"},
        {"between": ["b", "d"], "bandwidth": "10Gbps", "latency": "2ms"},
        {"between": ["a", "c"], "bandwidth": "1Gbps", "latency": "1ms"},
        {"between": ["d", "c"], "bandwidth": "1Gbps", "latency": "1ms"},
        {"between": ["a", "d"], "bandwidth": "10Gbps", "latency": "5ms"}
      ]
    },
    "workload": {"jobs": [{"name": "j", "units": 1, "flops_per_unit": "1f"}]}
  })"),
                        "d.json");
}
}  // namespace

TEST_CASE("routes between sites are shortest by latency")
{
  const Scenario s = diamond();
  const Topology t(s.platform);
  const auto& path = t.site_path(0, 3);
  REQUIRE(path.size() == 2);
  CHECK(s.platform.links[path[0].index].name == "a--c");
  CHECK(path[0].up);
  CHECK(s.platform.links[path[1].index].name == "d--c");
  CHECK_FALSE(path[1].up);  // crossed from c to d, against its declared direction
  CHECK(t.site_path(3, 0).size() == 2);
  CHECK(t.site_path(1, 1).empty());
}

TEST_CASE("node-to-node routes add the access links and summaries sum latency and take the narrowest link")
{
  const Scenario s = diamond();
  const Topology t(s.platform);
  const RouteSummary r = t.route_summary(Endpoint::node(0), Endpoint::node(1));
  CHECK(r.hops == 4);
  CHECK(r.latency == doctest::Approx(1e-3 + 1e-3 + 1e-3 + 3e-3));
  CHECK(r.bandwidth == doctest::Approx(12.5e6));
  const RouteSummary from_switch = t.route_summary(Endpoint::site(0), Endpoint::node(0));
  CHECK(from_switch.hops == 1);
  CHECK(from_switch.latency == doctest::Approx(1e-3));
  CHECK(t.route_summary(Endpoint::node(1), Endpoint::node(1)).hops == 0);
}

TEST_CASE("among routes of equal latency the one with fewer hops wins")
{
  Json doc = Json::parse(R"({
    "name": "e",
    "platform": {
      "sites": [{"name": "a", "link": {"bandwidth": "1Gbps", "latency": "1ms"}, "nodes": [{"name": "n", "speed": "1Gf"}]},
                {"name": "b"}, {"name": "c"}],
      "links": [{"between": ["a", "b"], "bandwidth": "1Gbps", "latency": "1ms"},
                {"between": ["b", "c"], "bandwidth": "1Gbps", "latency": "1ms"},
                {"between": ["a", "c"], "bandwidth": "1Gbps", "latency": "2ms"}]
    },
    "workload": {"jobs": [{"name": "j", "units": 1, "flops_per_unit": "1f"}]}
  })");
  const Scenario s = parse_scenario(doc, "e.json");
  const Topology t(s.platform);
  REQUIRE(t.site_path(0, 2).size() == 1);
  CHECK(s.platform.links[t.site_path(0, 2)[0].index].name == "a--c");
}

TEST_CASE("the disconnection message names the sites cut off")
{
  Platform p;
  p.sites = {{"a", SiteKind::edge, {}, "", "a.switch"}, {"b", SiteKind::edge, {}, "", "b.switch"},
             {"c", SiteKind::edge, {}, "", "c.switch"}};
  p.links = {{"a--b", 0, 1, {1e9, 1e-3, LinkSharing::full_duplex}, std::nullopt, ""}};
  const Topology t(p);
  auto problem = t.connectivity_problem();
  REQUIRE(problem.has_value());
  CHECK(problem->find("no route from site 'a' to site c") != std::string::npos);
}
