#include "models/expect.hpp"

#include <doctest/doctest.h>

using namespace leptonsim::models;

TEST_CASE("expectations pass or fail or report missing values")
{
  const Json summary = Json::parse(R"({"metrics": {"p99": 0.05, "overloaded": false, "count": 5}})");
  std::vector<Expectation> e(5);
  e[0].metric = "/metrics/p99";
  e[0].max    = 0.1;
  e[1].metric = "/metrics/p99";
  e[1].min    = 0.06;
  e[2].metric = "/metrics/overloaded";
  e[2].equals = Json(false);
  e[3].metric = "/metrics/count";
  e[3].equals = Json(5.0);
  e[4].metric = "/metrics/nothing";
  e[4].max    = 1;
  const auto r = check_expectations(e, summary);
  CHECK(r[0].passed);
  CHECK_FALSE(r[1].passed);
  CHECK(r[1].detail == "below min 0.06");
  CHECK(r[2].passed);
  CHECK(r[3].passed);
  CHECK_FALSE(r[4].passed);
  CHECK(r[4].actual == "missing");
}

TEST_CASE("bounds on a non-number fail")
{
  std::vector<Expectation> e(1);
  e[0].metric = "/a";
  e[0].min    = 0;
  CHECK_FALSE(check_expectations(e, Json::parse(R"({"a": "x"})"))[0].passed);
}

TEST_CASE("unknown metrics are found against a skeleton")
{
  std::vector<Expectation> e(2);
  e[0].metric  = "/metrics/latency_s/p99";
  e[1].metric  = "/metrics/latency_s/p999";
  e[1].pointer = "/expect/~1metrics~1latency_s~1p999";
  const auto problems = unknown_metrics(e, Json::parse(R"({"metrics": {"latency_s": {"p99": 0}}})"));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].pointer == e[1].pointer);
}
