// leptonsim plan as a capacity planner uses it: the answer Erlang C gives, with fewer simulations
// than a scan, and every mistake in the command refused before anything runs.
#include "process.hpp"

#include "models/queueing.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

using namespace leptonsim::test;
namespace fs = std::filesystem;

namespace {

const std::string cores = "/platform/sites/0/nodes/0/cores";

std::string queue_scenario()
{
  return (source_dir() / "tests" / "plan" / "mmc_cores.json").string();
}

// The smallest c whose Erlang C mean wait is under `bound`, for the scenario's 5,000 tasks/s of
// mean 1 ms.
int erlang_c_cores(double bound)
{
  for (int c = 1;; ++c)
    if (5000.0 < 1000.0 * c && leptonsim::models::mmc_wait(c, 5000, 1000) < bound)
      return c;
}

nlohmann::json summary_of(const fs::path& dir)
{
  return nlohmann::json::parse(read_file(dir / "summary.json"));
}

}  // namespace

TEST_CASE("plan finds the number of cores Erlang C gives for a mean wait, with fewer simulations than a scan")
{
  const auto dir = work_dir("plan_mmc");
  const auto r   = run_leptonsim({"plan", queue_scenario(), "--vary", cores, "--range", "1:40", "--slo",
                                  "/metrics/wait_s/mean<0.0001", "--out", (dir / "plan").string(), "-j", "2"});
  CAPTURE(r.out);
  CAPTURE(r.err);
  REQUIRE(r.exit_code == 0);
  const int expected = erlang_c_cores(1e-4);
  CHECK(expected == 8);  // 0.056 ms at 8 cores, 0.162 ms at 7
  const auto s = summary_of(dir / "plan");
  CHECK(s["answer"] == expected);
  CHECK(s["search"] == "bisect");
  const int simulated = s["values_simulated"];
  CHECK(simulated < 40);
  CHECK(simulated <= 2 + 6);  // both ends, then halving 40 values
  CHECK(r.out.find(fmt::format("answer: {} = {}", cores, expected)) != std::string::npos);
  CHECK(r.out.find(fmt::format("simulated {} of 40 values", simulated)) != std::string::npos);
  // One row per value simulated, and one folder per run.
  const std::string csv = read_file(dir / "plan" / "plan.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == simulated + 1);
  CHECK(csv.find(fmt::format("\n{},", expected)) != std::string::npos);
  size_t runs = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir / "plan" / "runs"))
    runs += e.path().filename() == "summary.json";
  CHECK(runs == static_cast<size_t>(simulated));
}

TEST_CASE("a scan and a search for the cheapest value agree with the bisection here")
{
  const auto dir = work_dir("plan_scan_cost");
  const auto scan = run_leptonsim({"plan", queue_scenario(), "--vary", cores, "--range", "1:12", "--slo",
                                   "/metrics/wait_s/mean<0.0001", "--search", "scan", "--out",
                                   (dir / "scan").string(), "-j", "2", "-q"});
  REQUIRE(scan.exit_code == 0);
  CHECK(summary_of(dir / "scan")["answer"] == 8);
  CHECK(summary_of(dir / "scan")["values_simulated"].get<int>() >= 8);  // 1 to 8, perhaps one batch more
  // Cores cost by the hour: more cores, more money. Every value from 8 up is simulated and 8 is
  // the cheapest.
  const auto cost = run_leptonsim({"plan", queue_scenario(), "--vary", cores, "--range", "1:12", "--slo",
                                   "/metrics/wait_s/mean<0.0001", "--minimise", "cost", "--out",
                                   (dir / "cost").string(), "-j", "2", "-q"});
  REQUIRE(cost.exit_code == 0);
  const auto s = summary_of(dir / "cost");
  CHECK(s["answer"] == 8);
  CHECK(s["smallest_meeting_objectives"] == 8);
  CHECK(s["answer_cost"].get<double>() > 0);
  const std::string csv = read_file(dir / "cost" / "plan.csv");
  for (int c = 8; c <= 12; ++c)
    CHECK_MESSAGE(csv.find(fmt::format("\n{},", c)) != std::string::npos, c);
}

TEST_CASE("no value in the range meets the objectives: exit 1 and the plan says so")
{
  const auto dir = work_dir("plan_none");
  const auto r   = run_leptonsim({"plan", queue_scenario(), "--vary", cores, "--range", "1:5", "--slo",
                                  "/metrics/wait_s/mean<0.0001", "--out", (dir / "plan").string(), "-q"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("answer: none") != std::string::npos);
  CHECK(summary_of(dir / "plan")["answer"].is_null());
  CHECK(summary_of(dir / "plan")["values_simulated"] == 1);  // the largest value already misses
}

TEST_CASE("plan refuses a bad objective, range or parameter before simulating anything")
{
  const auto dir = work_dir("plan_bad");
  struct Case {
    const char* name;
    std::vector<std::string> args;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"no such metric", {"--vary", cores, "--range", "1:4", "--slo", "/metrics/wait_s/meen<1"}, "meen"},
      {"not a number", {"--vary", cores, "--range", "1:4", "--slo", "/metrics/wait_s<1"}, "not a number"},
      {"malformed objective", {"--vary", cores, "--range", "1:4", "--slo", "/metrics/wait_s/mean=1"},
       "expected METRIC<VALUE"},
      {"empty range", {"--vary", cores, "--range", "8:2", "--slo", "/metrics/wait_s/mean<1"}, "the range is empty"},
      {"range not numbers", {"--vary", cores, "--range", "one:two", "--slo", "/metrics/wait_s/mean<1"}, "LO:HI"},
      {"a name, not a number", {"--vary", "/platform/sites/0/name", "--range", "1:4", "--slo",
                                "/metrics/wait_s/mean<1"}, "plan varies a number"},
      {"no such value", {"--vary", "/platform/sites/0/nodes/0/coers", "--range", "1:4", "--slo",
                         "/metrics/wait_s/mean<1"}, "cores"},
      {"a value the scenario refuses", {"--vary", cores, "--range", "0:4", "--slo", "/metrics/wait_s/mean<1"},
       "/platform/sites/0/nodes/0/cores"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    std::vector<std::string> args{"plan", queue_scenario(), "--out", (dir / "plan").string()};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto r = run_leptonsim(args);
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.err.find(c.message) != std::string::npos, r.err);
    CHECK(!fs::exists(dir / "plan"));
  }
  CHECK(fs::is_empty(dir));
}

// docs/planning.md's answer to the seed's Q2, kept true: a district of the city needs six boxes,
// the first whose capacity (48 Gflop/s) exceeds the 41.7 Gflop/s its sensors offer.
TEST_CASE("plan answers the city's edge boxes per district as docs/planning.md says")
{
  const auto dir = work_dir("plan_city_district");
  const auto r   = run_leptonsim({"plan", scenario("smart_city_district").string(), "--vary",
                                  "/platform/sites/0/nodes/0/count", "--range", "1:12", "--slo",
                                  "/metrics/latency_s/p99<0.1", "--out", (dir / "plan").string(), "-j", "2"});
  CAPTURE(r.err);
  REQUIRE(r.exit_code == 0);
  const auto s = summary_of(dir / "plan");
  CHECK(s["answer"] == 6);
  CHECK(s["values_simulated"] == 6);
  CHECK(r.out.find("answer: /platform/sites/0/nodes/0/count = 6 (cost 0.00253419 USD, energy 6990.32 J)") !=
        std::string::npos);
}
