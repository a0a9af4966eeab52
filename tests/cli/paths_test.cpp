// Where leptonsim reads and writes: outputs only under the chosen folder, and the files a sweep
// names found relative to the sweep file, wherever leptonsim is started from.
#include "process.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <set>

using namespace leptonsim::test;
namespace fs = std::filesystem;

namespace {

// Every path under `dir`, relative to it.
std::set<std::string> tree(const fs::path& dir)
{
  std::set<std::string> paths;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    paths.insert(fs::relative(e.path(), dir).string());
  return paths;
}

}  // namespace

TEST_CASE("a run writes only inside its --out folder, traces included")
{
  const auto dir = work_dir("paths_out");
  for (const std::string& out : {(dir / "res").string(), (dir / "slash").string() + "/"}) {
    CAPTURE(out);
    const auto r = run_leptonsim({"run", scenario("batch_heterogeneous").string(), "--out", out, "-q", "--trace",
                                  (fs::path(out) / "trace.json").string()});
    REQUIRE(r.exit_code == 0);
  }
  CHECK(tree(dir) == std::set<std::string>{"res", "res/nodes.csv", "res/summary.json", "res/tasks.csv",
                                           "res/timeline.csv", "res/trace.json", "slash", "slash/nodes.csv",
                                           "slash/summary.json", "slash/tasks.csv", "slash/timeline.csv",
                                           "slash/trace.json"});
  CHECK(!fs::exists(fs::current_path() / "results"));  // not the default folder where leptonsim was started
}

TEST_CASE("--out . and .. are refused: a results folder is a folder of its own")
{
  for (const std::string& out : std::vector<std::string>{".", "..", "x/.."}) {
    CAPTURE(out);
    const auto r = run_leptonsim({"run", scenario("batch_heterogeneous").string(), "--out", out, "-q"});
    CHECK(r.exit_code == 2);
    CHECK(r.err == out + ": (document): name a folder of its own for the results, not . or ..\n");
  }
}

TEST_CASE("names that would lead outside the results folder are refused")
{
  const auto r = run_leptonsim({"run", scenario("batch_heterogeneous").string(), "--set", "/name=\"../../escape\""});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("/name: '../../escape' is not a valid name") != std::string::npos);
  CHECK(!fs::exists(fs::current_path() / "results"));
}

TEST_CASE("a sweep finds its base scenario relative to the sweep file, not to where it is started")
{
  const auto dir = work_dir("paths_sweep");
  fs::create_directories(dir / "studies" / "inputs");
  fs::copy_file(scenario("batch_heterogeneous"), dir / "studies" / "inputs" / "base.json");
  std::ofstream(dir / "studies" / "s.json") << R"({"name": "relative", "scenario": "inputs/base.json",
    "grid": [{"pointer": "/workload/jobs/0/chunks", "values": [60, 120]}], "metrics": ["/metrics/end_time_s"]})";
  REQUIRE(!fs::exists(fs::current_path() / "inputs"));
  const auto r = run_leptonsim({"sweep", (dir / "studies" / "s.json").string(), "--out", (dir / "out").string(), "-q"});
  CHECK(r.exit_code == 0);
  CHECK(r.err == "");
  // The sweep folder keeps its own copy, named relative to its sweep.json.
  CHECK(read_file(dir / "out" / "scenario" / "base.json") == read_file(dir / "studies" / "inputs" / "base.json"));
  CHECK(read_file(dir / "out" / "sweep.json").find(R"("scenario": "scenario/base.json")") != std::string::npos);
  CHECK(fs::exists(dir / "out" / "runs" / "p0001-r0" / "summary.json"));
}
