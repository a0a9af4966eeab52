// Everything measured during a run, in memory bounded by the work in flight: streaming
// distributions, per-node time integrals, per-site counters sampled into a timeline, and a task
// log that keeps every k-th task so that tasks.csv stays small whatever the run's size.
#pragma once

#include "models/scenario.hpp"
#include "models/stats.hpp"
#include "sim/run_result.hpp"
#include "sim/task.hpp"

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace leptonsim::sim {

class RunTrace;

// A sharing-round message of a batch job: a node's report to the coordinator at the job's source
// switch, or the coordinator's answer to the node.
struct MessageRecord {
  size_t job          = 0;
  size_t node         = 0;
  bool to_coordinator = false;
  uint32_t round      = 0;  // 1 for the round after phase 0
  double bytes        = 0;
  double sent         = 0;  // s
};

// The sensor group or batch job a task belongs to.
const std::string& source_name(const models::Scenario& scenario, const Task& task);

class Recorder {
public:
  // `task_log` empty: no tasks.csv. `expected_tasks` sets the sampling step of the task log.
  Recorder(const models::Scenario& scenario, RunResult& result, const std::filesystem::path& task_log,
           double expected_tasks);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  void reading_taken(size_t group, uint64_t sensor);
  void dispatched(const Task& task);
  // The input is at the node; the task's stage says whether it must wait (queued) for a core.
  void delivered(const Task& task);
  // Called before the stage changes to running.
  void started(const Task& task);
  void finished(const Task& task);
  void message_delivered(const MessageRecord& message);
  // Something worth marking on the run's timeline (a job starts, the arrivals end).
  void milestone(std::string_view name, double time);

  // Also show the run in a trace (not owned; null for none).
  void set_trace(RunTrace* trace) { trace_ = trace; }

  void sample(double now);
  uint64_t in_system() const { return sites_total_.arrived - sites_total_.completed; }
  // Completes the result: distributions, per-node figures, end time.
  void finish(double end_time);

private:
  struct Counters {
    uint64_t arrived = 0, completed = 0, in_transit = 0, queued = 0, running = 0;
    uint64_t completed_at_sample = 0;
  };
  struct NodeStats {
    models::TimeIntegral busy;   // cores running a task
    models::TimeIntegral queue;  // tasks waiting for a core
  };

  const models::Scenario& scenario_;
  RunResult& result_;
  std::vector<Counters> sites_;
  Counters sites_total_;
  std::vector<NodeStats> node_stats_;
  std::vector<models::QuantileSketch> group_latency_;
  std::vector<std::vector<bool>> sensors_seen_;
  models::QuantileSketch latency_, wait_, transfer_;
  double last_sample_ = 0;
  std::FILE* task_log_ = nullptr;
  std::vector<char> task_log_buffer_;
  std::string row_;
  RunTrace* trace_ = nullptr;

  void log_task(const Task& task, double now);
  Counters& site_of(const Task& task) { return sites_[scenario_.platform.nodes[task.node].site]; }
};

}  // namespace leptonsim::sim
