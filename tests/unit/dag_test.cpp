#include "models/dag.hpp"
#include "models/heft.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace leptonsim::models;

namespace {

Json dag_scenario(const Json& tasks)
{
  Json doc = Json::parse(R"({
    "name": "d",
    "platform": {"sites": [{"name": "edge", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
                            "nodes": [{"name": "n", "count": 2, "speed": "1Gf"}]}]},
    "workload": {"duration": "1s", "dags": [{"name": "job", "tasks": []}],
                 "groups": [{"name": "g", "site": "edge", "sensors": 1, "rate": 1, "job": "job"}]}
  })");
  doc["workload"]["dags"][0]["tasks"] = tasks;
  return doc;
}

std::vector<Diagnostic> problems(const Json& doc)
{
  try {
    parse_scenario(doc, "d.json");
  } catch (const InputError& e) {
    return e.problems();
  }
  return {};
}

}  // namespace

TEST_CASE("cycles are found and named")
{
  const std::vector<DagEdge> edges{{0, 1, 0}, {1, 2, 0}, {2, 3, 0}, {3, 1, 0}};
  auto cycle = find_cycle(4, edges);
  REQUIRE(cycle.has_value());
  CHECK(*cycle == std::vector<size_t>{1, 2, 3, 1});
  CHECK_FALSE(find_cycle(4, {{0, 1, 0}, {0, 2, 0}, {1, 3, 0}, {2, 3, 0}}).has_value());
}

TEST_CASE("a DAG template gets a topological order and its critical path")
{
  Json tasks = Json::parse(R"([
    {"name": "fusion", "flops": "10Mf", "output": "1MB"},
    {"name": "detect", "flops": "40Mf", "after": ["fusion"]},
    {"name": "track", "flops": "5Mf", "after": [{"task": "fusion", "bytes": "2MB"}]},
    {"name": "plan", "flops": "20Mf", "after": ["detect", "track"]}
  ])");
  const Scenario s     = parse_scenario(dag_scenario(tasks), "d.json");
  const DagTemplate& d = s.workload.dags.at(0);
  REQUIRE(d.edges.size() == 4);
  CHECK(d.edges[0].bytes == 1e6);  // the predecessor's output
  CHECK(d.edges[1].bytes == 2e6);  // given on the edge
  CHECK(d.order.front() == 0);
  CHECK(d.order.back() == 3);
  const double cp = critical_path(d, [&](size_t t) { return d.tasks[t].work.mean / 1e9; },
                                  [](size_t) { return 0.0; }, [](size_t) { return 0.001; });
  CHECK(cp == doctest::Approx(0.001 + 0.010 + 0.040 + 0.020));
}

TEST_CASE("cyclic DAGs and missing dependencies are errors with pointers")
{
  const auto cyclic = problems(dag_scenario(Json::parse(R"([
    {"name": "a", "flops": "1Mf", "after": ["c"]},
    {"name": "b", "flops": "1Mf", "after": ["a"]},
    {"name": "c", "flops": "1Mf", "after": ["b"]}
  ])")));
  REQUIRE(cyclic.size() == 1);
  CHECK(cyclic[0].pointer == "/workload/dags/0/tasks");
  CHECK(cyclic[0].message == "the tasks form a cycle: a -> b -> c -> a");

  const auto missing = problems(dag_scenario(Json::parse(R"([
    {"name": "fusion", "flops": "1Mf"},
    {"name": "detect", "flops": "1Mf", "after": ["fuson"]}
  ])")));
  REQUIRE(missing.size() >= 1);
  CHECK(missing[0].pointer == "/workload/dags/0/tasks/1/after/0");
  CHECK(missing[0].message.find("no task is named 'fuson' in DAG 'job'; did you mean 'fusion'?") !=
        std::string::npos);

  const auto self = problems(dag_scenario(Json::parse(R"([{"name": "a", "flops": "1Mf", "after": ["a"]}])")));
  REQUIRE(self.size() == 1);
  CHECK(self[0].message == "a task cannot depend on itself");
}

// The example of Topcuoglu, Hariri and Wu (IEEE TPDS 2002, figure 2 and table): ten tasks, three
// processors; HEFT's schedule length is 80.
TEST_CASE("HEFT reproduces the schedule length 80 of the classic ten-task example")
{
  const double w[10][3] = {{14, 16, 9}, {13, 19, 18}, {11, 13, 19}, {13, 8, 17}, {12, 13, 10},
                           {13, 16, 9}, {7, 15, 11},  {5, 11, 14},  {18, 12, 20}, {21, 7, 16}};
  struct E {
    size_t from, to;
    double cost;
  };
  const std::vector<E> e{{0, 1, 18}, {0, 2, 12}, {0, 3, 9},  {0, 4, 11}, {0, 5, 14}, {1, 7, 19}, {1, 8, 16},
                         {2, 6, 23}, {3, 7, 27}, {3, 8, 23}, {4, 8, 13}, {5, 7, 15}, {6, 9, 17}, {7, 9, 11},
                         {8, 9, 13}};
  HeftProblem p;
  p.tasks      = 10;
  p.processors = 3;
  for (const auto& x : e)
    p.edges.push_back({x.from, x.to, 0});
  p.compute          = [&](size_t t, size_t q) { return w[t][q]; };
  p.communicate      = [&](size_t edge, size_t a, size_t b) { return a == b ? 0.0 : e[edge].cost; };
  p.mean_communicate = [&](size_t edge) { return e[edge].cost; };
  const HeftSchedule s = heft(p);
  CHECK(s.rank[0] == doctest::Approx(108.0));
  CHECK(s.rank[2] == doctest::Approx(80.0));
  CHECK(s.rank[9] == doctest::Approx(14.6667).epsilon(1e-4));
  CHECK(s.order == std::vector<size_t>{0, 2, 3, 1, 4, 5, 8, 6, 7, 9});
  CHECK(s.makespan == doctest::Approx(80.0));
}

TEST_CASE("HEFT fills an idle gap when a task fits (insertion)")
{
  // Two independent chains on one processor: a short task slots into the gap left by a transfer.
  HeftProblem p;
  p.tasks            = 3;
  p.processors       = 1;
  p.edges            = {{0, 1, 0}};
  p.compute          = [](size_t t, size_t) { return t == 2 ? 1.0 : 2.0; };
  p.communicate      = [](size_t, size_t, size_t) { return 0.0; };
  p.mean_communicate = [](size_t) { return 0.0; };
  p.processor_ready  = {0.0};
  const auto s = heft(p);
  CHECK(s.makespan == doctest::Approx(5.0));
}
