// Child processes for sweeps. SimGrid allows one engine per process, so every run of a sweep is a
// process of its own: at most N at a time, each with its stderr kept as its error message and an
// optional time limit, and each killed if the sweep itself dies, so no orphan simulation runs on.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace leptonsim::cli {

struct ChildCommand {
  std::vector<std::string> args;  // args[0] is the child's argv[0]
  std::optional<double> timeout;  // s
};

struct ChildOutcome {
  enum class End { exited, signalled, timed_out };
  End end  = End::exited;
  int code = 0;              // exit code, or the signal's number
  std::string error_output;  // the child's stderr, its first 64 KiB
};

struct ChildCallbacks {
  std::function<ChildCommand(size_t index)> command;
  std::function<void(size_t index, const ChildOutcome&)> finished;  // in the order children end
  std::function<void(size_t running)> tick;                         // about once a second, may be empty
};

// Runs commands 0 .. count-1 in order, at most `slots` at once, each by exec'ing `executable`.
void run_children(const std::string& executable, size_t slots, size_t count, const ChildCallbacks& callbacks);

struct CapturedRun {
  int exit_code = 0;  // 127 when the program could not be started
  std::string out;
  std::string err;
};

// Runs a program found on PATH to its end and returns what it printed (for sbatch).
CapturedRun run_and_capture(const std::vector<std::string>& args);

}  // namespace leptonsim::cli
