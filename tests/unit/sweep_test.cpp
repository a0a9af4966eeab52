#include "models/sweep.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace leptonsim::models;

namespace {

Json base()
{
  return Json::parse(R"({
    "name": "t", "seed": 9,
    "policy": {"name": "least_loaded"},
    "platform": {"sites": [{"name": "edge", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
                            "nodes": [{"name": "n", "count": 3, "speed": "1Gf"}]}]},
    "workload": {"jobs": [{"name": "j", "units": 100, "flops_per_unit": "1Mf"}]}
  })");
}

Json sweep_doc()
{
  return Json::parse(R"({
    "name": "s",
    "scenario": "t.json",
    "grid": [{"pointer": "/platform/sites/0/nodes/0/count", "values": [1, 2, 3]},
             {"pointer": "/policy/name", "name": "policy", "values": ["round_robin", "least_loaded"]}],
    "metrics": ["/metrics/makespan_s", {"name": "p99_s", "pointer": "/metrics/latency_s/p99"}]
  })");
}

Sweep parse(const Json& doc) { return parse_sweep(doc, "s.json", base(), "t.json"); }

std::vector<Diagnostic> problems(const Json& doc)
{
  try {
    parse(doc);
  } catch (const InputError& e) {
    return e.problems();
  }
  return {};
}

bool has_problem(const Json& doc, const std::string& pointer, const std::string& fragment)
{
  const auto all = problems(doc);
  for (const auto& p : all)
    if (p.pointer == pointer && p.message.find(fragment) != std::string::npos)
      return true;
  for (const auto& p : all)
    MESSAGE(p.pointer << ": " << p.message);
  return false;
}

Json with(Json doc, const std::string& pointer, const Json& value)
{
  doc[Json::json_pointer(pointer)] = value;
  return doc;
}

}  // namespace

TEST_CASE("a grid is a cartesian product numbered like nested loops")
{
  const Sweep s = parse(sweep_doc());
  CHECK(s.name == "s");
  CHECK(s.point_count() == 6);
  CHECK(s.run_count() == 6);
  REQUIRE(s.parameters().size() == 2);
  CHECK(s.parameters()[0]->name == "platform.sites.0.nodes.0.count");
  CHECK(s.parameters()[1]->name == "policy");
  CHECK(s.point_values(0) == std::vector<Json>{1, "round_robin"});
  CHECK(s.point_values(1) == std::vector<Json>{1, "least_loaded"});
  CHECK(s.point_values(2) == std::vector<Json>{2, "round_robin"});
  CHECK(s.point_values(5) == std::vector<Json>{3, "least_loaded"});
  REQUIRE(s.metrics.size() == 2);
  CHECK(s.metrics[0].name == "metrics.makespan_s");
  CHECK(s.metrics[1].name == "p99_s");
}

TEST_CASE("zipped lists advance together and are the innermost loop")
{
  Json doc   = sweep_doc();
  doc["zip"] = Json::parse(R"([{"pointer": "/workload/jobs/0/units", "values": [10, 20]},
                               {"pointer": "/workload/jobs/0/flops_per_unit", "values": ["1Mf", "2Mf"]}])");
  const Sweep s = parse(doc);
  CHECK(s.point_count() == 12);
  CHECK(s.point_values(0) == std::vector<Json>{1, "round_robin", 10, "1Mf"});
  CHECK(s.point_values(1) == std::vector<Json>{1, "round_robin", 20, "2Mf"});
  CHECK(s.point_values(2) == std::vector<Json>{1, "least_loaded", 10, "1Mf"});
  CHECK(s.point_values(11) == std::vector<Json>{3, "least_loaded", 20, "2Mf"});

  doc.erase("grid");
  const Sweep zip_only = parse(doc);
  CHECK(zip_only.point_count() == 2);
}

TEST_CASE("without parameters a sweep replicates the base scenario")
{
  Json doc = sweep_doc();
  doc.erase("grid");
  doc["replications"] = 30;
  const Sweep s       = parse(doc);
  CHECK(s.point_count() == 1);
  CHECK(s.run_count() == 30);
  CHECK(s.point_values(0).empty());
}

TEST_CASE("runs of one point are neighbours and share seeds across points")
{
  Json doc            = sweep_doc();
  doc["replications"] = 3;
  const Sweep s       = parse(doc);
  CHECK(s.run_count() == 18);
  CHECK(s.run(7).point == 2);
  CHECK(s.run(7).replication == 1);
  // Derived from the base scenario's seed when the sweep gives none.
  CHECK(s.seed == 9);
  std::set<uint64_t> seeds;
  for (size_t r = 0; r < 3; ++r) {
    seeds.insert(s.replication_seed(r));
    CHECK(s.replication_seed(r) <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()));
  }
  CHECK(seeds.size() == 3);
  doc["seed"] = 10;
  const Sweep other = parse(doc);
  CHECK(other.replication_seed(0) != s.replication_seed(0));
  CHECK(other.replication_seed(0) == parse(doc).replication_seed(0));
}

TEST_CASE("overrides of a run are the fixed ones then the point's values")
{
  Json doc   = sweep_doc();
  doc["set"] = {{"/workload/jobs/0/units", 500}};
  const Sweep s = parse(doc);
  const auto o  = s.run_overrides(3);
  REQUIRE(o.size() == 3);
  CHECK(o[0].pointer == "/workload/jobs/0/units");
  CHECK(o[0].value == 500);
  CHECK(o[1].pointer == "/platform/sites/0/nodes/0/count");
  CHECK(o[1].value == 2);
  CHECK(o[2].value == "least_loaded");
  CHECK(o[2].text == "\"least_loaded\"");  // quoted, so that it parses back as the same JSON value
}

TEST_CASE("the digest ignores where the scenario file is and nothing else")
{
  const Sweep a = parse(sweep_doc());
  const Sweep b = parse_sweep(with(sweep_doc(), "/scenario", "copy/t.json"), "other.json", base(), "copy/t.json");
  CHECK(a.digest() == b.digest());
  CHECK(parse(with(sweep_doc(), "/grid/0/values/0", 4)).digest() != a.digest());
  Json changed_base = base();
  changed_base["seed"] = 10;
  CHECK(parse_sweep(sweep_doc(), "s.json", changed_base, "t.json").digest() != a.digest());
}

TEST_CASE("pointers must exist in the base scenario or extend an existing object or array")
{
  CHECK(problems(with(sweep_doc(), "/grid/0/pointer", "/platform/sites/0/nodes/0/cores")).empty());  // new key
  CHECK(problems(with(sweep_doc(), "/grid/0/pointer", "/platform/sites/1")).empty());  // next element
  CHECK(has_problem(with(sweep_doc(), "/grid/0/pointer", "/platform/zones/0/name"), "/grid/0/pointer",
                    "the base scenario has nothing at /platform/zones"));
  CHECK(has_problem(with(sweep_doc(), "/grid/0/pointer", "/platfrom/sites/0/count"), "/grid/0/pointer",
                    "nothing at /platfrom; did you mean /platform?"));
  CHECK(has_problem(with(sweep_doc(), "/grid/0/pointer", "/platform/sites/4/count"), "/grid/0/pointer",
                    "the array at /platform/sites has 1 elements, so index 4 is past its end"));
  CHECK(has_problem(with(sweep_doc(), "/grid/0/pointer", "/platform/sites/x/count"), "/grid/0/pointer",
                    "'x' is not an index of the array at /platform/sites"));
  CHECK(has_problem(with(sweep_doc(), "/grid/0/pointer", "/seed/x"), "/grid/0/pointer",
                    "the base scenario has a number at /seed"));
  CHECK(has_problem(with(sweep_doc(), "/grid/0/pointer", "policy/name"), "/grid/0/pointer", "is not a JSON pointer"));
  CHECK(has_problem(with(sweep_doc(), "/grid/0/pointer", ""), "/grid/0/pointer",
                    "must name one value inside the base scenario, not the whole document"));
  CHECK(has_problem(with(sweep_doc(), "/grid/0/pointer", "/seed"), "/grid/0/pointer", "/seed cannot be swept"));
}

TEST_CASE("set applies before parameters are checked")
{
  Json doc   = sweep_doc();
  doc["set"] = {{"/output", Json::object()}};
  doc["grid"][0]["pointer"] = "/output/max_task_rows";
  CHECK(problems(doc).empty());
  doc["set"] = {{"/outptu/x", 1}};
  CHECK(has_problem(doc, "/set/~1outptu~1x", "nothing at /outptu"));
}

TEST_CASE("empty grids and lists are errors")
{
  CHECK(has_problem(with(sweep_doc(), "/grid", Json::array()), "/grid", "must not be empty"));
  CHECK(has_problem(with(sweep_doc(), "/grid/0/values", Json::array()), "/grid/0/values", "must not be empty"));
  CHECK(has_problem(with(sweep_doc(), "/zip", Json::array()), "/zip", "must not be empty"));
  CHECK(has_problem(with(sweep_doc(), "/metrics", Json::array()), "/metrics", "must not be empty"));
}

TEST_CASE("zipped lists of different lengths are errors")
{
  Json doc   = sweep_doc();
  doc["zip"] = Json::parse(R"([{"pointer": "/workload/jobs/0/units", "values": [10, 20, 30]},
                               {"pointer": "/workload/jobs/0/flops_per_unit", "values": ["1Mf", "2Mf"]}])");
  CHECK(has_problem(doc, "/zip/1/values", "has 2 values but the first zipped list has 3"));
}

TEST_CASE("a pointer set twice or around an earlier one is an error")
{
  CHECK(has_problem(with(sweep_doc(), "/grid/1/pointer", "/platform/sites/0/nodes/0/count"), "/grid/1/pointer",
                    "is already set at /grid/0/pointer"));
  CHECK(has_problem(with(sweep_doc(), "/grid/1/pointer", "/platform/sites/0"), "/grid/1/pointer",
                    "contains /platform/sites/0/nodes/0/count set at /grid/0/pointer, and would replace it"));
  Json doc   = sweep_doc();
  doc["set"] = {{"/policy/name", "round_robin"}};
  doc["grid"][1]["pointer"] = "/policy";
  doc["grid"][1]["values"]  = Json::array({Json::object(), Json{{"name", "round_robin"}}});
  CHECK(has_problem(doc, "/grid/1/pointer", "contains /policy/name set at /set/~1policy~1name"));
}

TEST_CASE("repeated values and clashing column names are errors")
{
  CHECK(has_problem(with(sweep_doc(), "/grid/0/values", {1, 2, 1}), "/grid/0/values/2", "1 is already at index 0"));
  CHECK(has_problem(with(sweep_doc(), "/metrics/1/name", "policy"), "/metrics/1/name",
                    "column name 'policy' is already used by /grid/1/name"));
  CHECK(has_problem(with(sweep_doc(), "/grid/1/name", "seed"), "/grid/1/name", "a column sweep.csv writes itself"));
}

TEST_CASE("unknown keys get suggestions and values are range-checked")
{
  CHECK(has_problem(with(sweep_doc(), "/replicatons", 3), "/replicatons", "did you mean 'replications'?"));
  CHECK(has_problem(with(sweep_doc(), "/grid/0/value", Json::array({1})), "/grid/0/value", "did you mean 'values'?"));
  CHECK(has_problem(with(sweep_doc(), "/replications", 0), "/replications", "must be >= 1"));
  CHECK(has_problem(with(sweep_doc(), "/timeout", "0s"), "/timeout", "must be > 0"));
  CHECK(has_problem(with(sweep_doc(), "/name", "a b"), "/name", "is not a valid name"));
  CHECK(has_problem(with(sweep_doc(), "/metrics/0", 5), "/metrics/0", "must be a JSON pointer into summary.json"));
  CHECK(has_problem(with(sweep_doc(), "/metrics/0", "metrics/x"), "/metrics/0", "is not a JSON pointer"));
  Json doc = sweep_doc();
  doc.erase("scenario");
  CHECK(has_problem(doc, "/scenario", "required key is missing"));
  CHECK(parse(with(sweep_doc(), "/timeout", "2m")).timeout == 120.0);
}

TEST_CASE("a sweep that is too large is refused before anything runs")
{
  Json doc = sweep_doc();
  Json many = Json::array();
  for (int i = 0; i < 1000; ++i)
    many.push_back(i + 1);
  doc["grid"][0]["values"] = many;
  doc["zip"] = Json::parse(R"([{"pointer": "/workload/jobs/0/units", "values": []}])");
  doc["zip"][0]["values"] = many;
  CHECK(has_problem(doc, "", "the sweep has 2000000 runs"));
}

TEST_CASE("shards are I of N counted from 1 and share the runs round-robin")
{
  const Shard s = parse_shard("2/3");
  CHECK(s.index == 2);
  CHECK(s.count == 3);
  CHECK(!s.contains(0));
  CHECK(s.contains(1));
  CHECK(s.contains(4));
  size_t covered = 0;
  for (size_t run = 0; run < 100; ++run) {
    size_t owners = 0;
    for (size_t i = 1; i <= 3; ++i)
      owners += Shard{i, 3}.contains(run);
    CHECK(owners == 1);
    covered += owners;
  }
  CHECK(covered == 100);
  CHECK(parse_shard("1/1").contains(5));
  for (const char* bad : {"3/2", "0/2", "1/0", "1", "a/b", "1/2/3", "-1/2", ""})
    CHECK_THROWS_AS(parse_shard(bad), InputError);
  try {
    parse_shard("3/2");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "--shard: 3/2: shard 3 of 2 does not exist: I must be between 1 and 2");
  }
}

TEST_CASE("load_sweep finds the base scenario beside the sweep file")
{
  const std::string dir = LEPTONSIM_SOURCE_DIR "/scenarios/sweeps";
  const Sweep s         = load_sweep(dir + "/smart_city_capacity.json");
  CHECK(s.scenario_document["name"] == "smart_city_5m");
  CHECK(s.point_count() > 1);
  try {
    load_sweep(LEPTONSIM_SOURCE_DIR "/tests/bad/sweeps/no_such_scenario.json");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("/scenario: there is no scenario file at") != std::string::npos);
  }
}

TEST_CASE("pointer problems name the document and suggest a near key")
{
  const Json summary = Json::parse(R"({"metrics": {"latency_s": {"p99": 1}}})");
  CHECK(pointer_problem(summary, "/metrics/latency_s/p99", "summary.json", false).empty());
  CHECK(pointer_problem(summary, "/metrics/latncy_s/p99", "summary.json", false) ==
        "summary.json has nothing at /metrics/latncy_s; did you mean /metrics/latency_s?");
  CHECK(pointer_problem(summary, "/metrics/latency_s/p999", "summary.json", false) ==
        "summary.json has nothing at /metrics/latency_s/p999; did you mean /metrics/latency_s/p99?");
  CHECK(pointer_problem(summary, "/metrics/latency_s/p999", "summary.json", true).empty());
}
