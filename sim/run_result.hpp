// What a run produced, as plain values in SI units; the CLI turns it into the results folder.
// make_result_shell() gives the same structure with zero values, so that `validate` can check
// expectations against every key a run will write without simulating.
#pragma once

#include "models/cost_model.hpp"
#include "models/federated.hpp"
#include "models/network_model.hpp"
#include "models/scenario.hpp"
#include "models/stats.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace leptonsim::sim {

struct Distribution {
  uint64_t count = 0;
  double mean = 0, min = 0, p50 = 0, p95 = 0, p99 = 0, max = 0;
  static Distribution of(const models::QuantileSketch& s);
};

struct NodeResult {
  uint64_t tasks_completed = 0;
  double flops_done        = 0;
  double bytes_in          = 0;  // B received (task inputs, sharing messages)
  double busy_core_seconds = 0;
  double utilisation       = 0;  // busy core-seconds / (cores * end time)
  double mean_queue        = 0;  // tasks waiting for a core, time average
  double max_queue         = 0;
  double energy            = 0;   // J, up to the run's end time
  double availability      = 1;   // fraction of the run the host was on
};

struct DeadlineResult {
  uint64_t jobs   = 0;        // jobs (readings or DAG jobs) that had a deadline
  uint64_t missed = 0;
  uint64_t missed_after_failure = 0;  // of the missed, those that had lost an execution on the way
  Distribution lateness;      // s, max(0, finish - deadline) over those jobs
  uint64_t task_deadlines = 0;  // DAG tasks with a deadline of their own
  uint64_t tasks_missed   = 0;
};

struct GroupResult {
  uint64_t readings          = 0;
  uint64_t tasks             = 0;
  uint64_t tasks_completed   = 0;
  uint64_t jobs_completed    = 0;  // DAG jobs (equal to readings when every job finished)
  uint64_t tasks_on_edge = 0, tasks_on_cloud = 0, tasks_on_qpu = 0;  // where its tasks ran
  uint64_t lost = 0, rejected = 0, jobs_lost = 0;
  uint64_t sensors_reporting = 0;  // distinct sensors that produced at least one reading
  Distribution latency;            // per reading (or DAG job), s
  DeadlineResult deadline;
};

struct JobResult {
  double start = 0, end = 0;   // s
  double makespan = 0;         // s
  std::vector<uint64_t> chunks_per_node;  // aligned with BatchJob::nodes
  uint64_t participants = 0;
  double eta_measured = 0;     // s, mean duration of a sharing round (last gather sent to last broadcast received)
  uint64_t pieces_completed = 0;
  bool failed = false;         // given up after a lost piece or message (makespan is then meaningless)
  models::BatchPrediction prediction;  // with the assignment that really ran
};

// One round of a federated job.
struct FlRoundRecord {
  uint32_t round   = 0;
  double start     = 0;  // s
  double end       = 0;  // s, end of its aggregation (or when it was given up)
  uint64_t sampled = 0, accepted = 0, discarded = 0, dropped = 0;
  bool failed      = false;  // fewer than min_updates updates, or secure aggregation could not unmask
  double predicted = 0;      // s, the closed form for this round's sample
};

struct FederatedResult {
  double start = 0, end = 0;     // s: first round's start, last round's end
  uint64_t rounds_completed = 0, rounds_failed = 0, rounds_not_run = 0;  // not run: the DP budget stopped them
  uint64_t sampled = 0, accepted = 0, discarded = 0, dropped = 0;      // client updates, over all rounds
  uint64_t clients_participating = 0;  // distinct clients with at least one accepted update
  Distribution round_time;       // s, per round that ran
  double download_bytes = 0, upload_bytes = 0, secagg_bytes = 0, forward_bytes = 0;  // B
  double within_site_bytes = 0, across_sites_bytes = 0;  // B, every transfer of the job by where it went
  uint64_t messages = 0;         // transfers of the job (model downloads included)
  double training_flops = 0, wasted_flops = 0, secagg_flops = 0, aggregation_flops = 0;
  // Differential privacy
  uint64_t releases = 0;         // rounds whose aggregate was released with noise
  double epsilon_spent = 0, delta_spent = 0;
  bool budget_exhausted = false;
  double budget_exhausted_at = -1;  // s; negative when it never ran out
  uint64_t over_budget_rounds = 0;  // "flag": rounds run beyond the budget
  models::FederatedRoundPrediction first_round_prediction;
  double predicted_total = 0;    // s, the closed form summed over the rounds' samples
  std::vector<FlRoundRecord> rounds;
};

// What a stream group's privacy mechanisms did.
struct StreamPrivacyResult {
  uint64_t released = 0;      // readings sent on (with noise)
  uint64_t withheld = 0;      // readings not sent: their sensor's budget was spent ("stop")
  uint64_t over_budget = 0;   // readings sent beyond their sensor's budget ("flag")
  uint64_t max_releases = 0;  // most readings released by one sensor
  uint64_t sensors_exhausted = 0;
  double budget_exhausted_at = -1;  // s, first reading beyond a sensor's budget; negative if none
  double encrypt_flops = 0;   // HE: spent by the sensors encrypting their readings (outside the nodes)
};

struct TimelineRow {
  double time = 0;
  std::string scope;  // "all" or a site name
  uint64_t arrived = 0, completed = 0, dropped = 0;
  uint64_t in_transit = 0, queued = 0, running = 0;
  double throughput = 0;  // completions per second over the last interval
};

// A node went down or came back (its host really switched), or the failure detector changed its mind.
struct NodeEvent {
  enum class Kind : uint8_t { down, up, declared_down, declared_up };
  double time = 0;  // s
  uint32_t node = 0;
  Kind kind = Kind::down;
};
const char* to_string(NodeEvent::Kind kind);

// What failures did and what recovering from them cost. Counts are of tasks (logical: a task
// retried or replicated counts once), except where they say executions.
struct FaultResult {
  uint64_t submitted = 0, completed = 0, lost = 0, rejected = 0;
  uint64_t retried = 0;          // re-executions started
  uint64_t jobs_lost = 0;        // DAG and batch jobs given up
  double wasted_flops = 0;       // executed by executions that were lost
  double duplicated_flops = 0;   // executed by replicas that did not win
  uint64_t node_failures = 0, link_failures = 0, detections = 0;
  Distribution detection_delay;  // s, from a node's failure to its detection
  Distribution recovery_time;    // s, from a task's first lost execution to its completion
  std::vector<NodeEvent> node_events;  // in time order
};

// One QKD-secured link: how much key its traffic took and how long it waited for it.
struct QkdLinkResult {
  std::string name;
  std::string mode;
  double key_rate = 0;       // bit/s
  double key_consumed = 0;   // bit
  double stall = 0;          // s, summed over the transfers that waited for keys
  double encrypted = 0;      // B
  uint64_t transfers = 0;
  uint64_t rekeys = 0;
  double first_request = 0;  // s, when the first transfer across the link asked for its keys
  double last_release = 0;   // s, when the last transfer had them
};

struct QuantumResult {
  uint64_t jobs = 0;             // circuit jobs run on the QPU
  double busy = 0;               // s of device time
  double success_probability_sum = 0;
  uint64_t offloaded_to_qpu = 0, offloaded_to_classical = 0;  // "offload" tasks, by where they ran
};

struct RunResult {
  models::NetworkModelParams network;
  double end_time = 0;          // s, last completion
  uint64_t tasks_submitted = 0;
  uint64_t tasks_completed = 0;
  uint64_t readings = 0;        // stream: readings generated (several per task with micro-batching)
  Distribution latency;         // s, per reading (stream) or per task (batch)
  Distribution wait;            // s, time a task waited for a core
  Distribution transfer;        // s, time a task's input spent on the network
  DeadlineResult deadline;      // all groups together
  FaultResult faults;
  QuantumResult quantum;
  std::vector<QkdLinkResult> qkd;
  Distribution qpu_wait;        // s, time circuit jobs waited in the QPU's queue
  double bytes_moved = 0;       // B, all transfers
  double egress = 0;            // B sent from cloud sites to other sites
  double energy = 0;            // J, every node and the QPU, up to the run's end time
  std::vector<NodeResult> nodes;  // aligned with Platform::nodes
  std::vector<GroupResult> groups;
  std::vector<JobResult> jobs;
  std::vector<FederatedResult> federated;
  std::vector<StreamPrivacyResult> group_privacy;  // aligned with groups
  std::vector<TimelineRow> timeline;
  double timeline_interval = 0;
  uint64_t task_log_every = 1;  // tasks.csv holds tasks whose id is a multiple of this
  uint64_t trace_slices = 0;     // slices written to the trace, if one was asked for
  uint64_t trace_slices_dropped = 0;  // beyond the trace's slice limit
  // Stream-only observations
  double backlog_growth = 0;     // tasks/s, least-squares slope of tasks in the system over the second half of the arrivals
  double task_rate = 0;          // tasks/s offered (a DAG job counts each of its tasks)
  uint64_t backlog_at_end_of_arrivals = 0;
  double drain_time = 0;         // s from the end of arrivals to the last completion
  bool overloaded = false;
  models::StreamPrediction stream_prediction;
};

RunResult make_result_shell(const models::Scenario& scenario);

}  // namespace leptonsim::sim
