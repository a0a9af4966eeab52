#include "tools/leptonsim/sweep_runner.hpp"

#include "tools/leptonsim/child_processes.hpp"
#include "tools/leptonsim/interrupt.hpp"

#include <fmt/format.h>

#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <thread>

namespace leptonsim::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::string duration_text(double seconds)
{
  const auto s = static_cast<long long>(seconds + 0.5);
  if (s >= 3600)
    return fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60);
  if (s >= 60)
    return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

// Error text for one CSV cell: the child's messages, one per line, joined.
std::string one_line(const std::string& text)
{
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end       = text.find('\n', start);
    end              = end == std::string::npos ? text.size() : end;
    std::string line = text.substr(start, end - start);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
      line.pop_back();
    if (!line.empty())
      out += (out.empty() ? "" : " | ") + line;
    start = end + 1;
  }
  constexpr size_t max_length = 2000;
  if (out.size() > max_length)
    out = out.substr(0, max_length) + " ...";
  return out;
}

// On a terminal the line is redrawn in place; in a log (Slurm's, CI's) a line is added every
// half minute, so that the log shows progress without filling up.
class Progress {
public:
  Progress(std::string label, const SweepTally& tally, size_t to_run, bool quiet)
      : label_(std::move(label)), tally_(tally), to_run_(to_run), quiet_(quiet), terminal_(::isatty(2) == 1)
  {
  }

  void update(size_t running, bool force = false)
  {
    if (quiet_)
      return;
    const auto now      = Clock::now();
    const auto interval = terminal_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(30000);
    if (!force && now - last_ < interval)
      return;
    last_ = now;
    std::cerr << (terminal_ ? "\r\033[K" : "") << line(running) << (terminal_ ? "" : "\n") << std::flush;
  }

  void finish()
  {
    if (quiet_)
      return;
    std::cerr << (terminal_ ? "\r\033[K" : "") << line(0) << "\n" << std::flush;
  }

private:
  std::string line(size_t running) const
  {
    const size_t done    = tally_.ok + tally_.failed;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    std::string text     = fmt::format("{}: {}/{} runs done", label_, done + tally_.skipped, tally_.share);
    if (tally_.skipped)
      text += fmt::format(" ({} complete before)", tally_.skipped);
    text += fmt::format(", {} failed", tally_.failed);
    if (running)
      text += fmt::format(", {} running", running);
    text += ", " + duration_text(elapsed);
    if (done > 0 && done < to_run_)
      text += ", about " + duration_text(elapsed / static_cast<double>(done) * static_cast<double>(to_run_ - done)) +
              " left";
    return text;
  }

  std::string label_;
  const SweepTally& tally_;
  size_t to_run_;
  bool quiet_;
  bool terminal_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_  = Clock::time_point::min();
};

}  // namespace

size_t available_cores()
{
  cpu_set_t set;
  if (::sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return static_cast<size_t>(CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

SweepTally run_sweep(const SweepFolder& folder, const SweepRunOptions& options)
{
  const models::Sweep& sweep = folder.sweep();
  SweepTally tally;
  std::vector<size_t> todo;
  for (size_t i = 0; i < sweep.run_count(); ++i) {
    if (options.shard && !options.shard->contains(i))
      continue;
    ++tally.share;
    if (folder.complete(i))
      ++tally.skipped;
    else
      todo.push_back(i);
  }
  folder.remove_leftovers(todo);

  const std::string& scenario = sweep.scenario_file;  // the folder's own copy
  std::string label          = "sweep " + sweep.name;
  if (options.shard)
    label += fmt::format(" shard {}/{}", options.shard->index, options.shard->count);
  Progress progress(label, tally, todo.size(), options.quiet);
  progress.update(0, true);

  size_t started = 0;
  ChildCallbacks callbacks;
  callbacks.command = [&](size_t k) {
    ++started;
    const size_t i           = todo[k];
    const models::SweepRun r = sweep.run(i);
    ChildCommand c;
    c.args = {"leptonsim", "run", scenario, "--out", folder.run_dir(i).string(), "--quiet", "--seed",
              std::to_string(sweep.replication_seed(r.replication))};
    for (const auto& o : sweep.run_overrides(r.point)) {
      c.args.push_back("--set");
      c.args.push_back(o.pointer + "=" + o.text);
    }
    c.timeout = sweep.timeout;
    return c;
  };
  callbacks.finished = [&](size_t k, const ChildOutcome& outcome) {
    const size_t i          = todo[k];
    const std::string error = one_line(folder.without_folder(outcome.error_output));
    models::RunStatus status = models::RunStatus::ok;
    std::string message;
    switch (outcome.end) {
      case ChildOutcome::End::timed_out:
        status  = models::RunStatus::timeout;
        message = fmt::format("stopped after the sweep's timeout of {} s", sweep.timeout.value_or(0));
        break;
      case ChildOutcome::End::signalled: {
        const char* abbrev = ::sigabbrev_np(outcome.code);
        status             = models::RunStatus::crashed;
        message            = fmt::format("killed by signal {} (SIG{})", outcome.code, abbrev ? abbrev : "?");
        if (!error.empty())
          message += ": " + error;
        break;
      }
      case ChildOutcome::End::exited:
        if (outcome.code != 0) {
          status  = models::RunStatus::failed;
          message = error.empty() ? fmt::format("exited with code {}", outcome.code) : error;
        } else if (!folder.complete(i)) {
          status  = models::RunStatus::failed;
          message = "exited without writing summary.json";
        }
        break;
    }
    if (status == models::RunStatus::ok) {
      folder.clear_failure(i);
      ++tally.ok;
    } else {
      folder.remove_leftovers({i});  // a killed run's staging folder
      folder.record_failure(i, status, message);
      ++tally.failed;
    }
    progress.update(started - tally.ok - tally.failed);
  };
  callbacks.tick = [&](size_t running) { progress.update(running); };

  try {
    run_children("/proc/self/exe", options.jobs, todo.size(), callbacks);
  } catch (const Interrupted& e) {
    // The runs that were running removed their staging folders when the signal reached them; a
    // run that had to be killed may have left one.
    progress.finish();
    folder.remove_leftovers(todo);
    throw Interrupted(e.signal(), fmt::format("interrupted by {}: the runs under way are stopped, {} of {} runs are "
                                              "complete; run the sweep again to run the others",
                                              signal_name(e.signal()), tally.skipped + tally.ok, tally.share));
  }
  progress.finish();
  return tally;
}

}  // namespace leptonsim::cli
