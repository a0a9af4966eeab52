// Results folders as a user gets them: complete, deterministic, documented units, checkable.
#include "process.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <set>

using namespace leptonsim::test;
namespace fs = std::filesystem;

namespace {

std::set<std::string> files_in(const fs::path& dir)
{
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    names.insert(e.path().filename().string());
  return names;
}

}  // namespace

TEST_CASE("a run writes summary.json and three CSV files whose columns name their units")
{
  const auto dir = work_dir("results_layout");
  const auto r   = run_leptonsim({"run", scenario("stream_stable").string(), "--set", "/workload/duration=5s", "--out",
                                  (dir / "run").string()});
  REQUIRE(r.exit_code == 0);
  CHECK(files_in(dir / "run") == std::set<std::string>{"nodes.csv", "summary.json", "tasks.csv", "timeline.csv"});
  CHECK(files_in(dir) == std::set<std::string>{"run"});
  CHECK(read_file(dir / "run" / "nodes.csv").rfind("node,site,kind,cores,speed_flops_per_s,", 0) == 0);
  CHECK(read_file(dir / "run" / "timeline.csv").rfind("time_s,scope,arrived_tasks,", 0) == 0);
  CHECK(read_file(dir / "run" / "tasks.csv").rfind("task_id,source,kind,phase,node,created_s,", 0) == 0);
  const std::string summary = read_file(dir / "run" / "summary.json");
  for (const char* key : {"\"latency_s\"", "\"p99\"", "\"throughput_per_s\"", "\"rho\"", "\"network\"",
                          "\"seed\": 7", "\"leptonsim_version\"", "\"utilisation\"", "\"bytes_moved_B\""})
    CHECK_MESSAGE(summary.find(key) != std::string::npos, key);
  CHECK(r.out.find("latency ms: mean") != std::string::npos);
  CHECK(r.out.find("results: " + (dir / "run").string()) != std::string::npos);
}

TEST_CASE("the same scenario and seed give byte-identical results and another seed does not")
{
  const auto dir = work_dir("determinism");
  const std::vector<std::string> common{"--set", "/workload/duration=8s", "--quiet"};
  auto run = [&](const std::string& out, const std::string& seed) {
    std::vector<std::string> args{"run", scenario("stream_stable").string(), "--out", (dir / out).string(), "--seed",
                                  seed};
    args.insert(args.end(), common.begin(), common.end());
    REQUIRE(run_leptonsim(args).exit_code == 0);
  };
  run("a", "7");
  run("b", "7");
  run("c", "8");
  for (const auto& name : files_in(dir / "a")) {
    CAPTURE(name);
    CHECK(read_file(dir / "a" / name) == read_file(dir / "b" / name));
  }
  CHECK(read_file(dir / "a" / "summary.json") != read_file(dir / "c" / "summary.json"));
  CHECK(read_file(dir / "a" / "tasks.csv") != read_file(dir / "c" / "tasks.csv"));
}

TEST_CASE("a rerun replaces the previous results folder")
{
  const auto dir = work_dir("rerun");
  const auto out = (dir / "run").string();
  REQUIRE(run_leptonsim({"run", scenario("seed_example_4_3").string(), "--out", out, "-q"}).exit_code == 0);
  REQUIRE(run_leptonsim({"run", scenario("seed_example_4_3").string(), "--out", out, "-q", "--seed", "3"}).exit_code ==
          0);
  CHECK(read_file(dir / "run" / "summary.json").find("\"seed\": 3") != std::string::npos);
  CHECK(files_in(dir) == std::set<std::string>{"run"});
}

TEST_CASE("--check exits 1 when an expectation fails and 0 when all hold")
{
  const auto dir = work_dir("check");
  const auto ok  = run_leptonsim({"run", scenario("seed_example_4_3").string(), "--out", (dir / "ok").string(),
                                  "--check", "-q"});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("check: 5 of 5 expectations hold") != std::string::npos);
  const auto failing = run_leptonsim({"run", scenario("seed_example_4_3").string(), "--out", (dir / "bad").string(),
                                      "--check", "-q", "--set", "/expect/~1jobs~1case_a~1makespan_s={\"max\": 50}"});
  CHECK(failing.exit_code == 1);
  CHECK(failing.out.find("FAIL /jobs/case_a/makespan_s") != std::string::npos);
  CHECK(fs::exists(dir / "bad" / "summary.json"));  // results are complete even when a check fails
}

TEST_CASE("validate and model work without simulating")
{
  const auto v = run_leptonsim({"validate", scenario("smart_city_5m").string()});
  CHECK(v.exit_code == 0);
  CHECK(v.out.find("ok: 21 sites, 64 compute nodes") != std::string::npos);
  const auto m = run_leptonsim({"model", scenario("seed_example_4_3").string()});
  CHECK(m.exit_code == 0);
  CHECK(m.out.find("printed by seed document section 4.3, case B: 1001 ms") != std::string::npos);
  CHECK(m.out.find("literal   N*T/sum(C) + S*eta              500.005 s") != std::string::npos);
  CHECK(m.out.find("its own arithmetic, N*T/sum(C) + S*eta with eta in ms: 505") != std::string::npos);
}

TEST_CASE("help teaches and version names SimGrid")
{
  const auto help = run_leptonsim({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("run") != std::string::npos);
  CHECK(help.out.find("Exit codes") != std::string::npos);
  const auto run_help = run_leptonsim({"run", "--help"});
  CHECK(run_help.exit_code == 0);
  CHECK(run_help.out.find("--set") != std::string::npos);
  CHECK(run_help.out.find("Example") != std::string::npos);
  const auto version = run_leptonsim({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.find("SimGrid 3.32") != std::string::npos);
}
