// Chrome trace-event JSON (the format the Perfetto UI and chrome://tracing open), streamed to disk
// as the run goes on so that memory does not grow with the number of events. Simulated seconds are
// written as the format's microseconds, from integer nanoseconds, so that slices that touch never
// overlap through rounding (Perfetto drops slices that overlap on one track).
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace leptonsim::sim {

struct TraceOptions {
  std::filesystem::path path;  // empty: no trace
  // Only what overlaps [from, to] (simulated seconds) is written.
  double from = 0;
  double to   = std::numeric_limits<double>::infinity();
  uint64_t max_slices = 0;  // slices written at most; 0 means no limit
};

// `text` as a JSON string literal, quotes included.
std::string json_string(std::string_view text);

class TraceWriter {
public:
  // Writes into a temporary file beside `options.path`; throws std::runtime_error when it cannot.
  explicit TraceWriter(TraceOptions options);
  // Removes the temporary file unless finish() succeeded: a failed run leaves no trace behind.
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  // Names a track group (a process) or a track (a thread); sort indices order them in the UI.
  void process(uint32_t pid, std::string_view name, int64_t sort_index);
  void thread(uint32_t pid, uint32_t tid, std::string_view name, int64_t sort_index);

  // Whether a slice over [start, end] is to be written: it overlaps the window and the limit is
  // not reached (a slice refused by the limit is counted as dropped). Ask before formatting args.
  bool admit(double start, double end);
  // A complete event on track (pid, tid) that admit() accepted. `args` is the text of a JSON
  // object, or empty. Slices on one track must not overlap; lay them out on lanes (TraceLanes).
  void slice(uint32_t pid, uint32_t tid, std::string_view category, std::string_view name, double start, double end,
             std::string_view args);
  // A moment on a process's track group (failures, recoveries, milestones).
  void instant(uint32_t pid, std::string_view category, std::string_view name, double time, std::string_view args);
  // Values of a counter track (args: a JSON object of numbers).
  void counter(uint32_t pid, std::string_view name, double time, std::string_view args);

  // Closes the event list, adds `other_data` (members of a JSON object, without braces) and moves
  // the file into place. Throws std::runtime_error when writing failed (disk full).
  void finish(std::string_view other_data);

  uint64_t slices_written() const { return slices_; }
  uint64_t slices_dropped() const { return dropped_; }  // past max_slices
  bool truncated() const { return dropped_ > 0; }
  const TraceOptions& options() const { return options_; }

private:
  TraceOptions options_;
  std::filesystem::path temporary_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  std::string event_;
  bool first_event_ = true;
  bool finished_    = false;
  uint64_t slices_  = 0;
  uint64_t dropped_ = 0;

  void begin_event();
  void end_event();
};

// Nanoseconds of simulated time: the integer clock of the trace.
int64_t trace_ns(double seconds);

// Lays intervals that may overlap onto as few tracks ("lanes") as a first-fit pass allows, given
// intervals in order of their end. Memory is one number per lane, not per interval.
class TraceLanes {
public:
  // The lowest lane whose last interval ended by `start_ns`; a new lane when none has.
  uint32_t place(int64_t start_ns, int64_t end_ns);
  size_t count() const { return last_end_.size(); }

private:
  std::vector<int64_t> last_end_;
};

}  // namespace leptonsim::sim
