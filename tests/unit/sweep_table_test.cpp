#include "models/sweep_table.hpp"

#include <doctest/doctest.h>

using namespace leptonsim::models;

namespace {

Sweep two_by_two()
{
  const Json base = Json::parse(R"({"name": "t", "policy": {"name": "least_loaded"}, "platform": {"sites": []},
                                    "workload": {"jobs": []}})");
  const Json doc  = Json::parse(R"({
    "name": "s", "scenario": "t.json", "replications": 2,
    "grid": [{"pointer": "/policy/name", "name": "policy", "values": ["round_robin", "a,b"]}],
    "metrics": [{"name": "p99_s", "pointer": "/metrics/latency_s/p99"}, "/metrics/overloaded"]
  })");
  return parse_sweep(doc, "s.json", base, "t.json");
}

Json summary(double p99, bool overloaded)
{
  return {{"metrics", {{"latency_s", {{"p99", p99}}}, {"overloaded", overloaded}}}};
}

std::vector<std::string> lines(const std::string& text)
{
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("fields with commas quotes or line breaks are quoted")
{
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("") == "");
}

TEST_CASE("run folders are zero-padded so that listings sort like the table")
{
  const Sweep s = two_by_two();
  CHECK(run_folder_name(s, 0) == "p0000-r0");
  CHECK(run_folder_name(s, 3) == "p0001-r1");
}

TEST_CASE("sweep.csv has one row per run with parameters seed metrics and status")
{
  const Sweep s = two_by_two();
  std::vector<RunRecord> runs(4);
  runs[0] = {RunStatus::ok, "", summary(0.5, false)};
  runs[1] = {RunStatus::ok, "", summary(0.25, true)};
  runs[2] = {RunStatus::failed, "scenario/t.json: /policy/name: 'a,b' is not one of round_robin", {}};
  runs[3] = {RunStatus::missing, "", {}};
  const auto rows = lines(sweep_csv(s, runs));
  REQUIRE(rows.size() == 5);
  CHECK(rows[0] == "point,replication,policy,seed,p99_s,metrics.overloaded,status,error,folder");
  CHECK(rows[1] == "0,0,round_robin," + std::to_string(s.replication_seed(0)) + ",0.5,false,ok,,runs/p0000-r0");
  CHECK(rows[2] == "0,1,round_robin," + std::to_string(s.replication_seed(1)) + ",0.25,true,ok,,runs/p0000-r1");
  CHECK(rows[3] == "1,0,\"a,b\"," + std::to_string(s.replication_seed(0)) +
                       ",,,failed,\"scenario/t.json: /policy/name: 'a,b' is not one of round_robin\",runs/p0001-r0");
  CHECK(rows[4] == "1,1,\"a,b\"," + std::to_string(s.replication_seed(1)) + ",,,missing,,runs/p0001-r1");
}

TEST_CASE("a metric missing from a summary leaves its cell empty and says so")
{
  const Sweep s = two_by_two();
  std::vector<RunRecord> runs(4);
  runs[0] = {RunStatus::ok, "", Json{{"metrics", {{"overloaded", false}}}}};
  const auto rows = lines(sweep_csv(s, runs));
  CHECK(rows[1].find(",,false,ok,summary.json has no value at /metrics/latency_s/p99,") != std::string::npos);
}

TEST_CASE("sweep_summary.csv aggregates the replications of each point")
{
  const Sweep s = two_by_two();
  std::vector<RunRecord> runs(4);
  runs[0] = {RunStatus::ok, "", summary(0.5, false)};
  runs[1] = {RunStatus::ok, "", summary(0.25, true)};
  runs[2] = {RunStatus::ok, "", summary(1.0, false)};
  runs[3] = {RunStatus::timeout, "timed out", {}};
  const auto rows = lines(sweep_summary_csv(s, runs));
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == "point,policy,runs,ok_runs,p99_s_n,p99_s_mean,p99_s_sd,p99_s_ci95_low,p99_s_ci95_high,"
                   "metrics.overloaded_n,metrics.overloaded_mean,metrics.overloaded_sd,metrics.overloaded_ci95_low,"
                   "metrics.overloaded_ci95_high");
  // mean 0.375, sd 0.1767767, half-width t(0.975, 1) * sd / sqrt(2) = 12.7062 * 0.125 = 1.58828
  const std::string first = rows[1];
  CHECK(first.rfind("0,round_robin,2,2,2,0.375,0.1767766952966369,", 0) == 0);
  CHECK(first.find(",-1.213") != std::string::npos);
  CHECK(first.find(",1.963") != std::string::npos);
  CHECK(first.find(",2,0.5,0.7071067811865476,") != std::string::npos);  // booleans as 0 and 1
  // One successful replication: a mean, no spread.
  CHECK(rows[2] == "1,\"a,b\",2,1,1,1,,,,1,0,,,");
}

TEST_CASE("statuses read back as they are written")
{
  for (RunStatus s : {RunStatus::ok, RunStatus::failed, RunStatus::crashed, RunStatus::timeout, RunStatus::missing})
    CHECK(run_status_from(to_string(s)) == s);
  CHECK(!run_status_from("fine"));
}
