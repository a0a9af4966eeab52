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
#include <optional>
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
  // A new task exists (counted once, however many times or copies it runs).
  void submitted(const Task& task);
  // A copy of it leaves for a node.
  void dispatched(const Task& task);
  // The input is at the node; the task's stage says whether it must wait (queued) for a core.
  void delivered(const Task& task);
  // Called before the stage changes to running.
  void started(const Task& task);
  // The task completed (the winning copy, for replicas).
  void finished(const Task& task);
  // A copy left the system without completing: lost with its node, cancelled (a replica that lost
  // the race), or dropped in transit (its input transfer broke or was cancelled).
  void died(const Task& task);
  void cancelled(const Task& task);
  void dropped_in_transit(const Task& task);
  // Work thrown away: partial executions lost to failures, and replicas' duplicated work (flop).
  void wasted(double flops) { result_.faults.wasted_flops += flops; }
  void duplicated(double flops) { result_.faults.duplicated_flops += flops; }
  // What owners decide about a task whose execution was lost.
  void retried(const Task& task);
  void lost(const Task& task);
  void rejected(const Task& task);
  // A DAG job (of a group) or a batch job given up after a loss.
  void job_lost(size_t group);
  void batch_job_lost() { ++result_.faults.jobs_lost; }
  // Failures and their detection.
  void node_down(size_t node, double now);
  void node_up(size_t node, double now);
  // The failure detector declared a node down, or up again.
  void node_declared(size_t node, bool down, double now);
  void link_failed() { ++result_.faults.link_failures; }
  // A circuit job ran on the QPU for `time` with this success probability per shot.
  void quantum_job(double time, double probability)
  {
    ++result_.quantum.jobs;
    result_.quantum.busy += time;
    result_.quantum.success_probability_sum += probability;
  }
  void offload_decision(bool to_qpu) { ++(to_qpu ? result_.quantum.offloaded_to_qpu : result_.quantum.offloaded_to_classical); }
  void detected(double delay) { detection_.add(delay); }
  // A DAG job released at `release` finished at `finish`; `failed_before` if it lost an execution.
  void job_finished(size_t group, double release, double finish, bool failed_before);
  // A DAG task with a deadline of its own finished; `missed` says whether it was late.
  void task_deadline(size_t group, bool missed);
  void message_delivered(const MessageRecord& message);
  // What a sensor group's privacy mechanisms did (the stream driver keeps it up to date).
  StreamPrivacyResult& group_privacy(size_t group) { return result_.group_privacy[group]; }
  // Any other message (federated rounds): `bytes` arrived at a node (or at a switch, with no node).
  void transfer_delivered(std::optional<size_t> to_node, double bytes);
  // Something worth marking on the run's timeline (a job starts, the arrivals end).
  void milestone(std::string_view name, double time);

  // Also show the run in a trace (not owned; null for none).
  void set_trace(RunTrace* trace) { trace_ = trace; }

  void sample(double now);
  uint64_t in_system() const
  {
    return sites_total_.arrived - sites_total_.completed - sites_total_.dropped;
  }
  // Completes the result: distributions, per-node figures, end time.
  void finish(double end_time);

private:
  struct Counters {
    uint64_t arrived = 0, completed = 0, dropped = 0, in_transit = 0, queued = 0, running = 0;
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
  std::vector<models::QuantileSketch> group_lateness_;
  models::QuantileSketch lateness_;
  std::vector<std::vector<bool>> sensors_seen_;
  models::QuantileSketch latency_, wait_, transfer_;
  models::QuantileSketch detection_, recovery_, qpu_wait_;
  std::vector<models::TimeIntegral> node_up_;  // 1 while a node's host is on
  double last_sample_ = 0;
  std::FILE* task_log_ = nullptr;
  std::vector<char> task_log_buffer_;
  RunTrace* trace_ = nullptr;

  void node_event(size_t node, NodeEvent::Kind kind, double now);
  void log_task(const Task& task, double now);
  void job_latency(size_t group, double latency, bool failed_before);
  void leave_node(const Task& task, double now);  // a running or queued copy leaves its node
  Counters& site_of(const Task& task) { return sites_[scenario_.platform.nodes[task.node].site]; }
};

}  // namespace leptonsim::sim
