// `leptonsim sweep` as a user meets it: a thousand runs, failures that do not stop the others, a
// sweep killed midway and resumed, shards gathered, Slurm scripts, and bad sweep files.
#include "process.hpp"

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

using namespace leptonsim::test;
namespace fs = std::filesystem;

namespace {

// About 30 ms a run, most of it starting the process.
const char* tiny_scenario = R"({
  "name": "tiny", "seed": 1,
  "policy": {"name": "least_loaded"},
  "platform": {"sites": [{"name": "edge", "link": {"bandwidth": "1Gbps", "latency": "1ms"},
               "nodes": [{"name": "box", "count": 2, "speed": "1Gf"}]}]},
  "workload": {"jobs": [{"name": "job", "units": 100, "flops_per_unit": "1Mf"}]}
})";

void write(const fs::path& path, const std::string& text)
{
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::string> lines_of(const std::string& text)
{
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

std::string field(const std::string& row, size_t index)
{
  std::vector<std::string> fields;
  std::string current;
  bool quoted = false;
  for (char c : row) {
    if (c == '"')
      quoted = !quoted;
    else if (c == ',' && !quoted) {
      fields.push_back(current);
      current.clear();
    } else
      current += c;
  }
  fields.push_back(current);
  return index < fields.size() ? fields[index] : std::string("<no field>");
}

// A stream of Poisson arrivals, so that replications differ, at about 0.2 s a run.
std::string stream_sweep(const std::string& name, const std::string& extra = "")
{
  return R"({"name": ")" + name + R"(", "scenario": ")" + scenario("stream_stable").string() + R"(",
    "set": {"/workload/duration": "20s"},
    "grid": [{"pointer": "/policy/name", "name": "policy",
              "values": ["round_robin", "capacity_weighted", "least_loaded"]},
             {"pointer": "/workload/groups/0/rate", "name": "rate_per_s", "values": [1, 1.5, 2, 2.5]}],
    "replications": 2,
    "metrics": [{"name": "p99_s", "pointer": "/metrics/latency_s/p99"}, "/metrics/tasks_completed"])" +
         extra + "}";
}

}  // namespace

TEST_CASE("a sweep of a thousand runs completes and its CSV has every row in order")
{
  const auto dir = work_dir("sweep_thousand");
  write(dir / "tiny.json", tiny_scenario);
  write(dir / "thousand.json", R"({
    "name": "thousand", "scenario": "tiny.json",
    "grid": [{"pointer": "/workload/jobs/0/units", "name": "units",
              "values": [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]},
             {"pointer": "/platform/sites/0/nodes/0/count", "name": "nodes",
              "values": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]},
             {"pointer": "/platform/sites/0/nodes/0/cores", "name": "cores",
              "values": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}],
    "metrics": [{"name": "makespan_s", "pointer": "/metrics/makespan_s"}]
  })");
  const auto r = run_leptonsim({"sweep", (dir / "thousand.json").string(), "--out", (dir / "out").string(), "-j", "2"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("sweep thousand: 1000 runs: 1000 ok, 0 failed, 0 not run") != std::string::npos);
  CHECK(r.err.find("1000/1000 runs done, 0 failed") != std::string::npos);
  const auto rows = lines_of(read_file(dir / "out" / "sweep.csv"));
  REQUIRE(rows.size() == 1001);
  CHECK(rows[0] == "point,replication,units,nodes,cores,seed,makespan_s,status,error,folder");
  for (size_t i = 0; i < 1000; ++i) {
    const auto& row = rows[i + 1];
    CAPTURE(row);
    CHECK(field(row, 0) == std::to_string(i));
    CHECK(field(row, 2) == std::to_string((i / 100 + 1) * 10));
    CHECK(field(row, 3) == std::to_string(i / 10 % 10 + 1));
    CHECK(field(row, 4) == std::to_string(i % 10 + 1));
    CHECK(!field(row, 6).empty());
    CHECK(field(row, 7) == "ok");
  }
  // 100 units of 1 Mflop on one single-core node of 1 Gflop/s: 0.1 s.
  CHECK(std::stod(field(rows[901], 6)) == doctest::Approx(0.1));
  CHECK(complete_runs(dir / "out" / "runs") == 1000);
  CHECK(lines_of(read_file(dir / "out" / "sweep_summary.csv")).size() == 1001);
}

TEST_CASE("a failing run and a run past its timeout are recorded and do not stop the others")
{
  const auto dir = work_dir("sweep_failures");
  write(dir / "s.json", R"({
    "name": "failures", "scenario": ")" + scenario("stream_stable").string() + R"(",
    "grid": [{"pointer": "/workload/duration", "name": "duration", "values": ["1s", "3600s", "0s", "2s"]}],
    "metrics": ["/metrics/tasks_completed"],
    "timeout": "3s"
  })");
  const std::vector<std::string> args{"sweep", (dir / "s.json").string(), "--out", (dir / "out").string(), "-j", "2"};
  const auto r = run_leptonsim(args);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("4 runs: 2 ok, 2 failed, 0 not run") != std::string::npos);
  const std::string csv = read_file(dir / "out" / "sweep.csv");
  const auto rows       = lines_of(csv);
  REQUIRE(rows.size() == 5);
  CHECK(field(rows[1], 5) == "ok");
  CHECK(field(rows[2], 5) == "timeout");
  CHECK(field(rows[2], 6) == "stopped after the sweep's timeout of 3 s");
  CHECK(field(rows[3], 5) == "failed");
  CHECK(field(rows[3], 6) == "scenario/stream_stable.json: /workload/duration: must be > 0, got 0 s");
  CHECK(field(rows[4], 5) == "ok");
  CHECK(fs::exists(dir / "out" / "runs" / "p0001-r0.failed.json"));
  CHECK(!fs::exists(dir / "out" / "runs" / "p0001-r0"));
  CHECK(hidden_entries(dir / "out" / "runs").empty());  // the killed run's staging folder is gone

  // A rerun tries the failed runs again, skips the others, and records the same outcome.
  const auto again = run_leptonsim(args);
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("(2 complete before)") != std::string::npos);
  CHECK(read_file(dir / "out" / "sweep.csv") == csv);
}

TEST_CASE("a run that dies of a signal is recorded as crashed")
{
  const auto dir = work_dir("sweep_crash");
  // The first run would take minutes; the test kills it with SIGABRT, the signal of a failed assertion or
  // an uncaught exception, as soon as it is running. (Not SIGSEGV: under AddressSanitizer the child
  // would catch that one, report it and exit with an error code instead of dying of it.)
  write(dir / "s.json", R"({
    "name": "crash", "scenario": ")" + scenario("stream_stable").string() + R"(",
    "grid": [{"pointer": "/workload/duration", "name": "duration", "values": ["36000s", "1s"]}],
    "metrics": ["/metrics/tasks_completed"]
  })");
  const int pid = start_leptonsim({"sweep", (dir / "s.json").string(), "--out", (dir / "out").string(), "-j", "1"},
                                  dir / "crash.out", dir / "crash.err");
  int child     = 0;
  for (int attempt = 0; attempt < 5000 && child == 0; ++attempt) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
    if (!(in >> child))
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  REQUIRE(child != 0);
  ::kill(child, SIGABRT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  const auto rows = lines_of(read_file(dir / "out" / "sweep.csv"));
  REQUIRE(rows.size() == 3);
  CHECK(field(rows[1], 5) == "crashed");
  CHECK(field(rows[1], 6).rfind("killed by signal 6 (SIGABRT)", 0) == 0);
  CHECK(field(rows[2], 5) == "ok");
  CHECK(hidden_entries(dir / "out" / "runs").empty());
}

TEST_CASE("a sweep killed midway with its children and run again gives the same sweep.csv")
{
  const auto dir = work_dir("sweep_killed");
  write(dir / "s.json", stream_sweep("killed"));
  const std::string sweep = (dir / "s.json").string();
  REQUIRE(run_leptonsim({"sweep", sweep, "--out", (dir / "whole").string(), "-j", "2", "-q"}).exit_code == 0);

  const auto runs = dir / "killed" / "runs";
  const int pid   = start_leptonsim({"sweep", sweep, "--out", (dir / "killed").string(), "-j", "2"},
                                    dir / "killed.out", dir / "killed.err");
  // Kill it once some runs are complete and another is half-written.
  bool midway = false;
  for (int attempt = 0; attempt < 6000 && !midway; ++attempt) {
    midway = complete_runs(runs) >= 4 && !hidden_entries(runs).empty();
    if (!midway)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::vector<int> children;
  {
    std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
    for (int child; in >> child;)
      children.push_back(child);
  }
  ::kill(pid, SIGKILL);
  for (int child : children)
    ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(midway);
  CHECK(WIFSIGNALED(status));
  CHECK(!children.empty());
  CHECK(!fs::exists(dir / "killed" / "sweep.csv"));
  const size_t complete = complete_runs(runs);
  CHECK(complete < 24);
  CHECK(!hidden_entries(runs).empty());  // what the killed runs had begun

  const auto resumed = run_leptonsim({"sweep", sweep, "--out", (dir / "killed").string(), "-j", "2"});
  CHECK(resumed.exit_code == 0);
  CHECK(resumed.err.find("(" + std::to_string(complete) + " complete before)") != std::string::npos);
  CHECK(hidden_entries(runs).empty());
  CHECK(read_file(dir / "killed" / "sweep.csv") == read_file(dir / "whole" / "sweep.csv"));
  CHECK(read_file(dir / "killed" / "sweep_summary.csv") == read_file(dir / "whole" / "sweep_summary.csv"));
  for (const auto& e : fs::directory_iterator(dir / "whole" / "runs")) {
    const auto name = e.path().filename();
    CAPTURE(name);
    CHECK(read_file(runs / name / "summary.json") == read_file(e.path() / "summary.json"));
  }
  // Replications differ (Poisson arrivals), so the summary has real confidence intervals.
  const auto rows = lines_of(read_file(dir / "whole" / "sweep.csv"));
  CHECK(field(rows[1], 5) != field(rows[2], 5));
}

TEST_CASE("shards run apart and gathered give the local run's tables")
{
  const auto dir = work_dir("sweep_shards");
  write(dir / "tiny.json", tiny_scenario);
  write(dir / "s.json", R"({
    "name": "shards", "scenario": "tiny.json", "replications": 2,
    "grid": [{"pointer": "/platform/sites/0/nodes/0/count", "values": [1, 2, 3, 4]}],
    "zip": [{"pointer": "/workload/jobs/0/units", "values": [100, 200]},
            {"pointer": "/workload/jobs/0/flops_per_unit", "values": ["1Mf", "3Mf"]}],
    "metrics": ["/metrics/makespan_s"]
  })");
  const std::string sweep = (dir / "s.json").string();
  const std::string out   = (dir / "sharded").string();
  REQUIRE(run_leptonsim({"sweep", sweep, "--out", (dir / "local").string(), "-q"}).exit_code == 0);

  const auto first = run_leptonsim({"sweep", sweep, "--out", out, "--shard", "1/3"});
  CHECK(first.exit_code == 0);
  CHECK(first.out.find("shard 1/3: 6 of 16 runs") != std::string::npos);
  CHECK(!fs::exists(dir / "sharded" / "sweep.csv"));
  REQUIRE(run_leptonsim({"sweep", sweep, "--out", out, "--shard", "2/3", "-q"}).exit_code == 0);
  const auto early = run_leptonsim({"sweep", "--gather", out});
  CHECK(early.exit_code == 1);
  CHECK(early.out.find("16 runs: 11 ok, 0 failed, 5 not run") != std::string::npos);
  CHECK(field(lines_of(read_file(dir / "sharded" / "sweep.csv"))[3], 7) == "missing");

  REQUIRE(run_leptonsim({"sweep", sweep, "--out", out, "--shard", "3/3", "-q"}).exit_code == 0);
  CHECK(run_leptonsim({"sweep", "--gather", out}).exit_code == 0);
  CHECK(read_file(dir / "sharded" / "sweep.csv") == read_file(dir / "local" / "sweep.csv"));
  CHECK(read_file(dir / "sharded" / "sweep_summary.csv") == read_file(dir / "local" / "sweep_summary.csv"));
}

TEST_CASE("--slurm writes a job array of shards and a gather job and runs nothing")
{
  const auto dir = work_dir("sweep_slurm_scripts");
  write(dir / "tiny.json", tiny_scenario);
  write(dir / "s.json", R"({"name": "on_slurm", "scenario": "tiny.json", "replications": 10,
    "metrics": ["/metrics/makespan_s"]})");
  // The sweep file after --sbatch: one --sbatch takes one value.
  const auto r = run_leptonsim({"sweep", "--out", (dir / "out").string(), "--slurm", "--shards", "4",
                                "--cpus-per-task", "2", "--sbatch=--time=00:10:00", (dir / "s.json").string()});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("(4 array tasks)") != std::string::npos);
  CHECK(r.out.find("sbatch --dependency=afterany:") != std::string::npos);
  const auto out          = fs::absolute(dir / "out").lexically_normal();
  const std::string array = read_file(out / "slurm" / "array.sbatch");
  CHECK(array.find("#SBATCH --array=1-4\n") != std::string::npos);
  CHECK(array.find("#SBATCH --cpus-per-task=2\n") != std::string::npos);
  CHECK(array.find("#SBATCH --time=00:10:00\n") != std::string::npos);
  CHECK(array.find("#SBATCH --output=" + (out / "slurm" / "shard-%a.log").string() + "\n") != std::string::npos);
  CHECK(array.find("sweep '" + (out / "sweep.json").string() + "' --out '" + out.string() +
                   "' --shard \"$SLURM_ARRAY_TASK_ID/4\" -j \"${SLURM_CPUS_PER_TASK:-2}\"") != std::string::npos);
  const std::string gather = read_file(out / "slurm" / "gather.sbatch");
  CHECK(gather.find("sweep --gather '" + out.string() + "'") != std::string::npos);
  CHECK(gather.find("#SBATCH --time=00:10:00\n") != std::string::npos);
  CHECK(fs::is_empty(out / "runs"));
  CHECK(fs::exists(out / "sweep.json"));
  CHECK(fs::exists(out / "scenario" / "tiny.json"));
}

TEST_CASE("--dry-run lists the points and seeds and writes nothing")
{
  const auto dir = work_dir("sweep_dry_run");
  write(dir / "tiny.json", tiny_scenario);
  write(dir / "s.json", R"({"name": "dry", "scenario": "tiny.json", "replications": 2,
    "set": {"/workload/jobs/0/units": 500},
    "grid": [{"pointer": "/policy/name", "name": "policy", "values": ["round_robin", "least_loaded"]}],
    "metrics": ["/metrics/makespan_s"]})");
  const auto r = run_leptonsim({"sweep", (dir / "s.json").string(), "--dry-run", "--out", (dir / "out").string()});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("2 points x 2 replications = 4 runs") != std::string::npos);
  CHECK(r.out.find("every run: --set /workload/jobs/0/units=500") != std::string::npos);
  CHECK(r.out.find("point 1: policy=least_loaded") != std::string::npos);
  CHECK(r.out.find("replication 1: --seed ") != std::string::npos);
  CHECK(!fs::exists(dir / "out"));
}

TEST_CASE("the example sweeps are valid")
{
  for (const auto& e : fs::directory_iterator(source_dir() / "scenarios" / "sweeps")) {
    if (e.path().extension() != ".json")
      continue;
    const auto name = e.path().filename().string();
    CAPTURE(name);
    const auto r = run_leptonsim({"sweep", e.path().string(), "--dry-run"});
    CHECK(r.exit_code == 0);
    CHECK_MESSAGE(r.err.empty(), r.err);
  }
}

namespace {

struct BadSweep {
  const char* name;
  std::string sweep;              // the sweep file's text ("" to use `good`)
  std::vector<std::string> args;  // more arguments
  std::string expected;           // in stderr
};

}  // namespace

TEST_CASE("bad sweep files and arguments exit 2 with a pointer message and write nothing")
{
  const auto dir = work_dir("sweep_bad");
  write(dir / "tiny.json", tiny_scenario);
  const std::string good = R"({"name": "bad", "scenario": "tiny.json",
    "grid": [{"pointer": "/platform/sites/0/nodes/0/count", "values": [1, 2]}], "metrics": ["/metrics/makespan_s"]})";
  const auto with = [](std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
  };
  const std::string file = (dir / "s.json").string();
  const std::vector<BadSweep> cases{
      {"pointer not in the base scenario", with(good, "/platform/sites/0/nodes/0/count", "/platform/zones/0/count"), {},
       file + ": /grid/0/pointer: the base scenario has nothing at /platform/zones"},
      {"misspelt pointer", with(good, "/platform/sites/0/nodes/0/count", "/platfrom/sites/0/count"), {},
       file + ": /grid/0/pointer: the base scenario has nothing at /platfrom; did you mean /platform?"},
      {"key the scenario format lacks", with(good, "/platform/sites/0/nodes/0/count", "/platform/sites/0/nodes/0/cont"),
       {}, file + ": /grid/0/pointer: the scenario format has no such key: unknown key 'cont'; did you mean 'count'?"},
      {"empty grid", with(good, R"([{"pointer": "/platform/sites/0/nodes/0/count", "values": [1, 2]}])", "[]"), {},
       file + ": /grid: must not be empty"},
      {"empty values", with(good, "[1, 2]", "[]"), {}, file + ": /grid/0/values: must not be empty"},
      {"shard 3 of 2", good, {"--shard", "3/2"},
       "--shard: 3/2: shard 3 of 2 does not exist: I must be between 1 and 2"},
      {"shard without a count", good, {"--shard", "3"}, "--shard: 3: expected I/N"},
      {"unknown sweep key", with(good, "\"metrics\"", "\"replicatons\": 3, \"metrics\""), {},
       file + ": /replicatons: unknown key 'replicatons'; did you mean 'replications'?"},
      {"metric summary.json lacks", with(good, "/metrics/makespan_s", "/metrics/latncy_s/p99"), {},
       file + ": /metrics/0: summary.json has nothing at /metrics/latncy_s; did you mean /metrics/latency_s?"},
      {"zipped lists of different lengths",
       with(good, "\"metrics\"",
            R"("zip": [{"pointer": "/workload/jobs/0/units", "values": [1, 2]},
                       {"pointer": "/workload/jobs/0/flops_per_unit", "values": [1]}], "metrics")"),
       {}, file + ": /zip/1/values: has 1 values but the first zipped list has 2"},
      {"swept seed", with(good, "/platform/sites/0/nodes/0/count", "/seed"), {},
       file + ": /grid/0/pointer: every run's seed comes from the sweep's 'seed' and 'replications'"},
      {"missing base scenario", with(good, "tiny.json", "nothing.json"), {},
       file + ": /scenario: there is no scenario file at " + (dir / "nothing.json").string()},
      {"invalid base scenario", with(good, "\"metrics\"", R"("set": {"/workload/jobs/0/units": -1}, "metrics")"), {},
       (dir / "tiny.json").string() + ": /workload/jobs/0/units: must be > 0"},
      {"invalid JSON", with(good, "\"metrics\"", ", \"metrics\""), {}, file + ": line 2, column"},
      {"zero jobs", good, {"-j", "0"}, "-j"},
      {"gather and a sweep file", good, {"--gather", (dir / "x").string()}, "excludes"},
      {"submit without slurm", good, {"--submit"}, "--submit requires --slurm"},
  };
  for (const auto& c : cases) {
    const std::string name = c.name;
    CAPTURE(name);
    write(dir / "s.json", c.sweep);
    std::vector<std::string> args{"sweep", file, "--out", (dir / "out").string()};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto r = run_leptonsim(args);
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.err.find(c.expected) != std::string::npos, "stderr was: " << r.err);
    CHECK(r.out.empty());
    CHECK(!fs::exists(dir / "out"));
  }
}

TEST_CASE("a sweep never writes into a folder that holds something else")
{
  const auto dir = work_dir("sweep_refuse");
  write(dir / "tiny.json", tiny_scenario);
  write(dir / "a.json", R"({"name": "a", "scenario": "tiny.json", "metrics": ["/metrics/makespan_s"]})");
  write(dir / "b.json",
        R"({"name": "b", "scenario": "tiny.json", "replications": 2, "metrics": ["/metrics/makespan_s"]})");
  write(dir / "thesis" / "chapter1.tex", "do not delete");
  const auto into_thesis = run_leptonsim({"sweep", (dir / "a.json").string(), "--out", (dir / "thesis").string()});
  CHECK(into_thesis.exit_code == 2);
  CHECK(into_thesis.err.find("thesis: (document): exists and is not a sweep folder") != std::string::npos);
  CHECK(read_file(dir / "thesis" / "chapter1.tex") == "do not delete");
  CHECK(std::distance(fs::directory_iterator(dir / "thesis"), fs::directory_iterator()) == 1);

  REQUIRE(run_leptonsim({"sweep", (dir / "a.json").string(), "--out", (dir / "out").string(), "-q"}).exit_code == 0);
  const auto other = run_leptonsim({"sweep", (dir / "b.json").string(), "--out", (dir / "out").string()});
  CHECK(other.exit_code == 2);
  CHECK(other.err.find("holds the runs of another sweep") != std::string::npos);
  const auto gather = run_leptonsim({"sweep", "--gather", (dir / "thesis").string()});
  CHECK(gather.exit_code == 2);
  CHECK(gather.err.find("is not a sweep folder: it has no sweep.json") != std::string::npos);
}

TEST_CASE("sweep help teaches")
{
  const auto help = run_leptonsim({"sweep", "--help"});
  CHECK(help.exit_code == 0);
  for (const char* word : {"--slurm", "--shard", "--gather", "-j", "Example", "sweep_summary.csv"})
    CHECK_MESSAGE(help.out.find(word) != std::string::npos, word);
  const auto none = run_leptonsim({"sweep"});
  CHECK(none.exit_code == 2);
  CHECK(none.err.find("give a SWEEP file, or --gather DIR") != std::string::npos);
}
