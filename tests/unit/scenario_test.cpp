#include "models/scenario.hpp"

#include <doctest/doctest.h>

using namespace leptonsim::models;

namespace {

Json minimal_batch()
{
  return Json::parse(R"({
    "name": "t",
    "platform": {"sites": [{"name": "edge", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
                            "nodes": [{"name": "n", "count": 3, "speed": "1Gf", "cores": 2}]}]},
    "workload": {"jobs": [{"name": "j", "units": 100, "flops_per_unit": "1Mf"}]}
  })");
}

Json city()
{
  return Json::parse(R"({
    "name": "c",
    "platform": {
      "sites": [
        {"name": "district", "count": 3, "link": {"bandwidth": "1Gbps", "latency": "1ms"},
         "nodes": [{"name": "e", "count": 2, "speed": "2Gf", "cores": 4}]},
        {"name": "cloud", "kind": "cloud", "link": {"bandwidth": "10Gbps", "latency": "0.1ms"},
         "nodes": [{"name": "s", "speed": "3Gf", "cores": 8}]}
      ],
      "links": [{"between": ["district", "cloud"], "bandwidth": "10Gbps", "latency": "5ms"}],
      "qpu": {"site": "cloud", "speed": "1Gf", "link": {"bandwidth": "1Gbps", "latency": "1ms"}}
    },
    "workload": {"duration": "10s", "groups": [
      {"name": "sensors", "site": "district", "sensors": 100, "period": "1s", "flops": "1Mf"},
      {"name": "cams", "site": "district", "sensors": 2, "rate": 10, "flops": "1Gf", "targets": ["cloud"]}
    ]}
  })");
}

std::vector<Diagnostic> problems(const Json& doc)
{
  try {
    parse_scenario(doc, "s.json");
  } catch (const InputError& e) {
    return e.problems();
  }
  return {};
}

bool has_problem(const Json& doc, const std::string& pointer, const std::string& fragment)
{
  for (const auto& p : problems(doc))
    if (p.pointer == pointer && p.message.find(fragment) != std::string::npos)
      return true;
  return false;
}

}  // namespace

TEST_CASE("a minimal batch scenario gets documented defaults")
{
  const Scenario s = parse_scenario(minimal_batch(), "s.json");
  CHECK(s.seed == 1);
  CHECK(s.network.model == NetworkModelKind::ideal);
  REQUIRE(s.platform.nodes.size() == 3);
  CHECK(s.platform.nodes[1].name == "edge.n-1");
  CHECK(s.platform.nodes[1].link.latency == doctest::Approx(1e-3));
  const BatchJob& job = s.workload.jobs.at(0);
  CHECK(job.policy.kind == PolicyKind::least_loaded);
  CHECK(job.chunks == 6);  // one per core of the eligible nodes
  CHECK(job.nodes.size() == 3);
  CHECK(job.source == 0);
  CHECK(job.rounds == 0);
}

TEST_CASE("replicated sites expand into names and links and groups and targets")
{
  const Scenario s = parse_scenario(city(), "s.json");
  const Platform& p = s.platform;
  REQUIRE(p.sites.size() == 4);
  CHECK(p.sites[2].name == "district-2");
  CHECK(p.compute_node_count() == 7);
  REQUIRE(p.qpu.has_value());
  CHECK(p.nodes[*p.qpu].name == "cloud.qpu");
  CHECK(p.nodes[*p.qpu].kind == NodeKind::qpu);
  REQUIRE(p.links.size() == 3);
  CHECK(p.links[1].name == "district-1--cloud");
  const auto& groups = s.workload.groups;
  REQUIRE(groups.size() == 6);
  // Entries expand in order, each into one group per replica of its site.
  CHECK(groups[1].name == "district-1.sensors");
  // Default targets: the group's own district.
  CHECK(groups[1].targets == std::vector<size_t>{2, 3});
  CHECK(groups[3].name == "district-0.cams");
  CHECK(groups[3].targets == std::vector<size_t>{6});
  CHECK(groups[3].period == doctest::Approx(0.1));
}

TEST_CASE("targets that name a site template from elsewhere take every replica")
{
  Json doc = city();
  doc["workload"]["groups"][1]["targets"] = {"district"};
  doc["workload"]["groups"][1]["site"]    = "cloud";
  const Scenario s = parse_scenario(doc, "s.json");
  CHECK(s.workload.groups.back().targets == std::vector<size_t>{0, 1, 2, 3, 4, 5});
}

TEST_CASE("every problem is reported with its own pointer")
{
  Json doc = minimal_batch();
  doc["platform"]["sites"][0]["nodes"][0]["speed"] = "-1Gf";
  doc["platform"]["sites"][0]["nodes"][0]["corse"] = 2;
  doc["workload"]["jobs"][0]["units"]             = 0;
  const auto p = problems(doc);
  CHECK(p.size() == 3);
  CHECK(has_problem(doc, "/platform/sites/0/nodes/0/speed", "must be > 0"));
  CHECK(has_problem(doc, "/platform/sites/0/nodes/0/corse", "did you mean 'cores'"));
  CHECK(has_problem(doc, "/workload/jobs/0/units", "must be > 0"));
}

TEST_CASE("names must be unique and resolvable")
{
  Json doc = minimal_batch();
  doc["platform"]["sites"].push_back(doc["platform"]["sites"][0]);
  CHECK(has_problem(doc, "/platform/sites/1", "already used"));

  Json dangling = city();
  dangling["platform"]["links"][0]["between"][1] = "clod";
  CHECK(has_problem(dangling, "/platform/links/0/between/1", "did you mean 'cloud'"));

  Json qpu_target = city();
  qpu_target["workload"]["groups"][0]["targets"] = {"cloud.qpu"};
  CHECK(has_problem(qpu_target, "/workload/groups/0/targets/0", "quantum co-processor"));

  Json reserved = minimal_batch();
  reserved["platform"]["sites"][0]["nodes"][0]["name"] = "switch";
  CHECK(has_problem(reserved, "/platform/sites/0/nodes/0/name", "reserved"));
}

TEST_CASE("a disconnected topology is an error")
{
  Json doc = city();
  doc["platform"]["links"] = Json::array();
  CHECK(has_problem(doc, "/platform/sites", "disconnected"));
}

TEST_CASE("a duration needs sensor groups and absurd sizes are refused up front")
{
  Json doc = minimal_batch();
  doc["workload"]["duration"] = "10s";
  CHECK(has_problem(doc, "/workload/duration", "applies to sensor groups"));

  Json huge = city();
  huge["workload"]["groups"][0]["sensors"] = 900000000;
  huge["workload"]["groups"][0]["period"]  = "1ms";
  CHECK(has_problem(huge, "/workload", "more than the limit"));

  Json many = minimal_batch();
  many["platform"]["sites"][0]["nodes"][0]["count"] = 1e12;
  CHECK(has_problem(many, "/platform/sites/0/nodes/0/count", "must be between"));
}

TEST_CASE("period and rate are alternatives")
{
  Json doc = city();
  doc["workload"]["groups"][0]["rate"] = 2;
  CHECK(has_problem(doc, "/workload/groups/0/rate", "not both"));
  Json none = city();
  none["workload"]["groups"][0].erase("period");
  CHECK(has_problem(none, "/workload/groups/0/period", "required"));
}

TEST_CASE("expectations are keyed by pointers and need a bound")
{
  Json doc                         = minimal_batch();
  doc["expect"]["metrics"]          = {{"max", 1}};
  doc["expect"]["/metrics/x"]       = {{"why", "no bound"}};
  doc["expect"]["/metrics/y"]       = {{"min", 2}, {"max", 1}};
  CHECK(has_problem(doc, "/expect/metrics", "JSON pointer"));
  CHECK(has_problem(doc, "/expect/~1metrics~1x", "at least one"));
  CHECK(has_problem(doc, "/expect/~1metrics~1y/max", "below"));
}

TEST_CASE("every node gets power figures and a billing: its own or its class's defaults")
{
  Json doc = city();
  doc["platform"]["sites"][1]["nodes"][0]["cost"] = {{"capital", 20000}, {"lifetime_years", 4}};
  doc["platform"]["sites"][0]["nodes"][0]["power"] = {{"idle", "12W"}, {"busy", "40W"}};
  doc["costs"] = {{"currency", "EUR"}, {"energy_per_kWh", 0.25}};
  const Scenario s = parse_scenario(doc, "s.json");
  const Node& edge = s.platform.nodes[0];
  CHECK(edge.power.idle == 12.0);
  CHECK(edge.power.one_core == doctest::Approx(12.0 + 28.0 / 4));
  CHECK(edge.cost.billing == NodeCostSpec::Billing::owned);
  CHECK(edge.cost.capital == 1000.0);  // 4 cores at the default 250 each
  const Node& server = s.platform.nodes[6];
  REQUIRE(server.kind == NodeKind::cloud);
  CHECK(server.power.idle == default_power(NodeKind::cloud, 8).idle);
  CHECK(server.cost.billing == NodeCostSpec::Billing::owned);  // a private cloud: bought, not rented
  CHECK(server.cost.capital == 20000.0);
  CHECK(server.cost.lifetime == doctest::Approx(4 * seconds_per_year));
  const Node& qpu = s.platform.nodes[*s.platform.qpu];
  CHECK(qpu.power.idle == 25000.0);
  CHECK(qpu.cost.billing == NodeCostSpec::Billing::device_time);
  CHECK(s.prices.currency == "EUR");
  CHECK(s.prices.energy_per_kWh == 0.25);
  CHECK(s.prices.egress_per_GB == 0.09);
}

TEST_CASE("cost and price mistakes are reported where they are")
{
  Json mixed = city();
  mixed["platform"]["sites"][0]["nodes"][0]["cost"] = {{"capital", 100}, {"core_hour", 0.1}};
  CHECK(has_problem(mixed, "/platform/sites/0/nodes/0/cost/core_hour", "either owned"));
  Json owned_cloud = city();
  owned_cloud["platform"]["sites"][1]["nodes"][0]["cost"] = {{"lifetime_years", 3}};
  CHECK(has_problem(owned_cloud, "/platform/sites/1/nodes/0/cost/capital", "required for a cloud node"));
  Json negative = city();
  negative["platform"]["qpu"]["cost"] = {{"per_second", -1}};
  CHECK(has_problem(negative, "/platform/qpu/cost/per_second", ""));
  Json price = city();
  price["costs"] = {{"energy_per_kwh", 0.2}};
  CHECK(has_problem(price, "/costs/energy_per_kwh", "energy_per_kWh"));
  Json lifetime = city();
  lifetime["platform"]["sites"][0]["nodes"][0]["cost"] = {{"lifetime_years", 0}};
  CHECK(has_problem(lifetime, "/platform/sites/0/nodes/0/cost/lifetime_years", ""));
}
