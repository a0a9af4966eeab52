// Runs, sweeps and plans stopped from outside: SIGINT and SIGTERM stop them with a message and leave no
// folder that looks complete; SIGKILL leaves only hidden staging folders, which the next run
// removes.
#include "process.hpp"

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

using namespace leptonsim::test;
namespace fs = std::filesystem;

namespace {

// Waits (at most two minutes) until `ready` holds.
template <class Condition>
bool wait_until(Condition ready)
{
  for (int attempt = 0; attempt < 60000; ++attempt) {
    if (ready())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

struct Ended {
  bool exited = false;
  int code    = -1;  // exit code, or the signal
};

Ended wait_for(int pid)
{
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? Ended{true, WEXITSTATUS(status)} : Ended{false, WTERMSIG(status)};
}

// Twenty seconds of the city's stream: about ten seconds of simulation on a quiet machine.
std::vector<std::string> long_run(const fs::path& out)
{
  return {"run", scenario("smart_city_5m").string(), "--out", out.string(), "--set", "/workload/duration=20s"};
}

// Starts a long run and waits until it has begun simulating (its staging folder exists and a
// moment has passed for the platform to be built).
int start_long_run(const fs::path& dir, const fs::path& out)
{
  const int pid = start_leptonsim(long_run(out), dir / "run.out", dir / "run.err");
  REQUIRE(wait_until([&] { return !hidden_entries(dir).empty(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  return pid;
}

}  // namespace

TEST_CASE("only AddressSanitizer's stack warning is taken out of a run's messages")
{
  const std::string warning = "==12==WARNING: ASan is ignoring requested __asan_handle_no_return: stack type: default "
                              "top: 0x7ff; bottom 0x7f8; size: 0x007 (7)\nFalse positive error reports may follow\n"
                              "For details see https://github.com/google/sanitizers/issues/189\n";
  const std::string message = "leptonsim: interrupted by SIGINT: stopped, no results written\n";
  CHECK(without_asan_stack_warning(warning + message) == message);
  CHECK(without_asan_stack_warning("before\n" + warning + message) == "before\n" + message);
  CHECK(without_asan_stack_warning(message) == message);
  const std::string report = "==12==ERROR: AddressSanitizer: heap-use-after-free on address 0x602\n";
  CHECK(without_asan_stack_warning(report + message) == report + message);
}

TEST_CASE("SIGINT and SIGTERM stop a run with a message and leave no results folder")
{
  for (const int signal : {SIGINT, SIGTERM}) {
    CAPTURE(signal);
    const auto dir = work_dir("interrupt_run");
    const auto out = dir / "results";
    const int pid  = start_long_run(dir, out);
    ::kill(pid, signal);
    const Ended end = wait_for(pid);
    CHECK(end.exited);
    CHECK(end.code == 128 + signal);  // as a shell reports a process a signal ended
    const std::string name = signal == SIGINT ? "SIGINT" : "SIGTERM";
    CHECK(without_asan_stack_warning(read_file(dir / "run.err")) ==
          "leptonsim: interrupted by " + name + ": stopped, no results written\n");
    CHECK(!fs::exists(out));
    CHECK(hidden_entries(dir).empty());
  }
}

TEST_CASE("an interrupted rerun leaves the previous results as they were")
{
  const auto dir = work_dir("interrupt_rerun");
  const auto out = dir / "results";
  REQUIRE(run_leptonsim({"run", scenario("stream_stable").string(), "--out", out.string(), "-q"}).exit_code == 0);
  const std::string before = read_file(out / "summary.json");
  const int pid            = start_long_run(dir, out);
  ::kill(pid, SIGINT);
  CHECK(wait_for(pid).code == 130);
  CHECK(read_file(out / "summary.json") == before);
  CHECK(hidden_entries(dir).empty());
}

TEST_CASE("SIGKILL leaves only a hidden staging folder, which the next run removes")
{
  const auto dir = work_dir("kill_run");
  const auto out = dir / "results";
  const int pid  = start_long_run(dir, out);
  ::kill(pid, SIGKILL);
  const Ended end = wait_for(pid);
  CHECK(!end.exited);
  CHECK(!fs::exists(out));
  const auto left = hidden_entries(dir);
  REQUIRE(left.size() == 1);
  CHECK(left[0] == ".results.tmp-" + std::to_string(pid));

  REQUIRE(run_leptonsim({"run", scenario("stream_stable").string(), "--out", out.string(), "-q"}).exit_code == 0);
  CHECK(fs::exists(out / "summary.json"));
  CHECK(hidden_entries(dir).empty());
}

TEST_CASE("SIGINT stops a sweep and its runs, writes no sweep.csv, and running the sweep again finishes it")
{
  const auto dir = work_dir("interrupt_sweep");
  {
    std::ofstream(dir / "s.json") << R"({"name": "stopped", "scenario": ")" + scenario("stream_stable").string() +
                                         R"(", "set": {"/workload/duration": "40s"},
      "grid": [{"pointer": "/workload/groups/0/rate", "values": [1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75]}],
      "metrics": ["/metrics/tasks_completed"]})";
  }
  const auto folder = dir / "sweep";
  const auto runs   = folder / "runs";
  const int pid     = start_leptonsim({"sweep", (dir / "s.json").string(), "--out", folder.string(), "-j", "2"},
                                      dir / "sweep.out", dir / "sweep.err");
  // Stop it once a run is complete and others are under way (their staging folders exist).
  REQUIRE(wait_until([&] { return complete_runs(runs) >= 1 && !hidden_entries(runs).empty(); }));
  ::kill(pid, SIGINT);
  const Ended end = wait_for(pid);
  CHECK(end.exited);
  CHECK(end.code == 130);
  const std::string err = read_file(dir / "sweep.err");
  CHECK(err.find("leptonsim: interrupted by SIGINT: the runs under way are stopped, ") != std::string::npos);
  CHECK(err.find("of 8 runs are complete; run the sweep again to run the others") != std::string::npos);
  CHECK(!fs::exists(folder / "sweep.csv"));
  CHECK(hidden_entries(runs).empty());  // the runs under way removed their staging folders
  const size_t complete = complete_runs(runs);
  CHECK(complete >= 1);
  CHECK(complete < 8);
  for (const auto& e : fs::directory_iterator(runs))
    CHECK(fs::exists(e.path() / "summary.json"));  // every run folder there is complete

  const auto resumed = run_leptonsim({"sweep", (dir / "s.json").string(), "--out", folder.string(), "-j", "2"});
  CHECK(resumed.exit_code == 0);
  CHECK(resumed.err.find("(" + std::to_string(complete) + " complete before)") != std::string::npos);
  CHECK(complete_runs(runs) == 8);
}

TEST_CASE("SIGTERM stops a plan and its runs and leaves no plan folder")
{
  const auto dir  = work_dir("interrupt_plan");
  const auto out  = dir / "plan";
  const int pid   = start_leptonsim({"plan", scenario("stream_stable").string(), "--set", "/workload/duration=3600s",
                                     "--vary", "/workload/groups/0/rate", "--range", "1:4", "--slo",
                                     "/metrics/latency_s/p99<1", "--out", out.string(), "-j", "2"},
                                    dir / "plan.out", dir / "plan.err");
  int child = 0;
  REQUIRE(wait_until([&] {
    std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
    return static_cast<bool>(in >> child);
  }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the runs are simulating
  ::kill(pid, SIGTERM);
  const Ended end = wait_for(pid);
  CHECK(end.exited);
  CHECK(end.code == 143);
  CHECK(read_file(dir / "plan.err").find("leptonsim: interrupted by SIGTERM: stopped, no results written\n") !=
        std::string::npos);
  CHECK(::kill(child, 0) == -1);  // the run was stopped and reaped, not left running
  CHECK(!fs::exists(out));
  CHECK(hidden_entries(dir).empty());
}
