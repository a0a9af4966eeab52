// The process pool that sweeps run on, with /bin/sh children: limits, outcomes, time limits, and
// children that die with their parent.
#include "tools/leptonsim/child_processes.hpp"

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

using namespace leptonsim::cli;

namespace {

ChildCommand sh(const std::string& script, std::optional<double> timeout = std::nullopt)
{
  return {{"sh", "-c", script}, timeout};
}

std::map<size_t, ChildOutcome> run_all(const std::vector<ChildCommand>& commands, size_t slots)
{
  std::map<size_t, ChildOutcome> outcomes;
  ChildCallbacks callbacks;
  callbacks.command  = [&](size_t i) { return commands[i]; };
  callbacks.finished = [&](size_t i, const ChildOutcome& o) { outcomes[i] = o; };
  run_children("/bin/sh", slots, commands.size(), callbacks);
  return outcomes;
}

// A process that is gone, or a zombie nobody reaps (a container's init may not).
bool gone(pid_t pid)
{
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(stat, text);
  const auto close = text.rfind(')');
  return text.empty() || (close != std::string::npos && text.substr(close + 2, 1) == "Z");
}

}  // namespace

TEST_CASE("every command runs once and never more than the slots at a time")
{
  for (size_t slots : {1, 3}) {
    CAPTURE(slots);
    size_t started = 0, finished = 0, most = 0;
    ChildCallbacks callbacks;
    callbacks.command = [&](size_t i) {
      CHECK(i == started);  // in order
      ++started;
      most = std::max(most, started - finished);
      return sh("sleep 0.05");
    };
    callbacks.finished = [&](size_t, const ChildOutcome& o) {
      ++finished;
      CHECK(o.end == ChildOutcome::End::exited);
      CHECK(o.code == 0);
    };
    run_children("/bin/sh", slots, 10, callbacks);
    CHECK(started == 10);
    CHECK(finished == 10);
    CHECK(most == slots);
  }
}

TEST_CASE("exit codes and stderr come back and stdin is empty")
{
  const auto o = run_all({sh("echo to stdout; echo first >&2; echo second >&2; exit 3"), sh("cat; exit 0"),
                          sh("kill -SEGV $$")},
                         2);
  REQUIRE(o.size() == 3);
  CHECK(o.at(0).end == ChildOutcome::End::exited);
  CHECK(o.at(0).code == 3);
  CHECK(o.at(0).error_output == "first\nsecond\n");
  CHECK(o.at(1).code == 0);  // cat read /dev/null instead of waiting for input
  CHECK(o.at(2).end == ChildOutcome::End::signalled);
  CHECK(o.at(2).code == SIGSEGV);
}

TEST_CASE("a program that cannot start exits 127 and says why")
{
  ChildOutcome outcome;
  ChildCallbacks callbacks;
  callbacks.command  = [](size_t) { return ChildCommand{{"x"}, std::nullopt}; };
  callbacks.finished = [&](size_t, const ChildOutcome& o) { outcome = o; };
  run_children("/no/such/program", 1, 1, callbacks);
  CHECK(outcome.end == ChildOutcome::End::exited);
  CHECK(outcome.code == 127);
  CHECK(outcome.error_output == "cannot start /no/such/program: No such file or directory");
}

TEST_CASE("a child past its time limit is killed with what it started and reported as timed out")
{
  const auto start = std::chrono::steady_clock::now();
  // The shell's own child, sleep, holds the pipe open too: it must be killed with the shell.
  const auto o     = run_all({sh("sleep 30; exit 0", 0.2), sh("exit 0", 5.0)}, 2);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(o.at(0).end == ChildOutcome::End::timed_out);
  CHECK(o.at(1).end == ChildOutcome::End::exited);
  CHECK(elapsed < 10.0);  // it did not wait for the 30 s sleep
}

TEST_CASE("a child that leaves something running behind still counts as ended")
{
  const auto start = std::chrono::steady_clock::now();
  const auto o     = run_all({sh("sleep 3 & exit 6")}, 1);
  CHECK(o.at(0).code == 6);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
}

TEST_CASE("a large stderr does not block the child")
{
  const auto o = run_all({sh("head -c 1000000 /dev/zero | tr '\\\\0' x >&2; exit 5")}, 1);
  CHECK(o.at(0).code == 5);
  CHECK(o.at(0).error_output.size() == 64 * 1024);
}

TEST_CASE("children die when the process that started them is killed")
{
  const auto dir = std::filesystem::temp_directory_path() / ("leptonsim-children-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const pid_t pool = ::fork();
  REQUIRE(pool >= 0);
  if (pool == 0) {
    ChildCallbacks callbacks;
    callbacks.command = [&](size_t i) {
      return sh("echo $$ > " + (dir / std::to_string(i)).string() + "; exec sleep 60");
    };
    callbacks.finished = [](size_t, const ChildOutcome&) {};
    run_children("/bin/sh", 2, 2, callbacks);
    ::_exit(0);
  }
  std::vector<pid_t> children;
  for (int attempt = 0; attempt < 500 && children.size() < 2; ++attempt) {
    children.clear();
    for (const char* name : {"0", "1"}) {
      std::ifstream in(dir / name);
      pid_t pid = 0;
      if (in >> pid)
        children.push_back(pid);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(children.size() == 2);
  for (pid_t c : children)
    CHECK(!gone(c));
  ::kill(pool, SIGKILL);
  ::waitpid(pool, nullptr, 0);
  for (pid_t c : children) {
    bool dead = false;
    for (int attempt = 0; attempt < 500 && !dead; ++attempt) {
      dead = gone(c);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK_MESSAGE(dead, "child " << c << " outlived the pool");
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("run_and_capture returns both outputs and the exit code")
{
  const auto r = run_and_capture({"sh", "-c", "echo out; echo err >&2; exit 4"});
  CHECK(r.exit_code == 4);
  CHECK(r.out == "out\n");
  CHECK(r.err == "err\n");
  const auto missing = run_and_capture({"leptonsim-no-such-program"});
  CHECK(missing.exit_code == 127);
  CHECK(missing.err.find("cannot start leptonsim-no-such-program") != std::string::npos);
}
