// GCC 12 reports an out-of-bounds subscript inside fmt's integer formatting once a compiled format
// inlines it (a false positive: fmt writes backwards into a buffer sized for the largest value).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#include <fmt/compile.h>
#include <fmt/format.h>
#pragma GCC diagnostic pop

#include "sim/recorder.hpp"

#include "sim/run_trace.hpp"

#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace leptonsim::sim {

const std::string& source_name(const models::Scenario& scenario, const Task& task)
{
  if (task.kind == TaskKind::federated)
    return scenario.workload.federated[task.source].name;
  return task.kind == TaskKind::piece ? scenario.workload.jobs[task.source].name
                                      : scenario.workload.groups[task.source].name;
}

namespace {
// Readings and DAG tasks belong to a sensor group; pieces and federated tasks do not.
bool of_group(const Task& task) { return task.kind == TaskKind::reading || task.kind == TaskKind::dag_task; }
}  // namespace

Recorder::Recorder(const models::Scenario& scenario, RunResult& result, const std::filesystem::path& task_log,
                   double expected_tasks)
    : scenario_(scenario), result_(result)
{
  sites_.resize(scenario.platform.sites.size());
  node_stats_.resize(scenario.platform.nodes.size());
  node_up_.resize(scenario.platform.nodes.size());
  for (auto& up : node_up_)
    up.set(0.0, 1.0);
  const auto& groups = scenario.workload.groups;
  group_latency_.resize(groups.size());
  group_lateness_.resize(groups.size());
  sensors_seen_.resize(groups.size());
  for (size_t g = 0; g < groups.size(); ++g)
    sensors_seen_[g].assign(groups[g].sensors, false);
  const double limit = static_cast<double>(scenario.output.max_task_rows);
  result_.task_log_every =
      limit <= 0 ? 0 : static_cast<uint64_t>(std::max(1.0, std::ceil(expected_tasks / limit)));
  if (!task_log.empty() && result_.task_log_every > 0) {
    task_log_ = std::fopen(task_log.c_str(), "wb");
    if (!task_log_)
      throw std::runtime_error("cannot write " + task_log.string());
    task_log_buffer_.resize(1 << 20);
    std::setvbuf(task_log_, task_log_buffer_.data(), _IOFBF, task_log_buffer_.size());
    std::fputs("task_id,source,kind,phase,node,created_s,arrived_s,started_s,finished_s,latency_s,wait_s,flops,"
               "bytes_B,readings,core\n",
               task_log_);
  }
}

Recorder::~Recorder()
{
  if (task_log_)
    std::fclose(task_log_);
}

void Recorder::reading_taken(size_t group, uint64_t sensor)
{
  auto&& seen = sensors_seen_[group][sensor];
  if (!seen) {
    seen = true;
    ++result_.groups[group].sensors_reporting;
  }
  ++result_.groups[group].readings;
  ++result_.readings;
}

void Recorder::submitted(const Task& task)
{
  ++result_.tasks_submitted;
  ++result_.faults.submitted;
  if (of_group(task))
    ++result_.groups[task.source].tasks;
}

void Recorder::dispatched(const Task& task)
{
  Counters& site = site_of(task);
  ++site.arrived;
  ++site.in_transit;
  ++sites_total_.arrived;
  ++sites_total_.in_transit;
}

void Recorder::delivered(const Task& task)
{
  const double now = task.arrived;
  Counters& site   = site_of(task);
  --site.in_transit;
  --sites_total_.in_transit;
  if (task.stage == Task::Stage::queued) {  // no free core: it waits
    ++site.queued;
    ++sites_total_.queued;
    node_stats_[task.node].queue.add(now, 1);
  }
  result_.nodes[task.node].bytes_in += task.bytes;
  result_.bytes_moved += task.bytes;
  transfer_.add(task.arrived - task.created);
  if (trace_)
    trace_->task_delivered(task);
}

void Recorder::started(const Task& task)
{
  const double now = task.started;
  Counters& site   = site_of(task);
  if (task.stage == Task::Stage::queued) {
    --site.queued;
    --sites_total_.queued;
    node_stats_[task.node].queue.add(now, -1);
  }
  ++site.running;
  ++sites_total_.running;
  node_stats_[task.node].busy.add(now, 1);
  wait_.add(task.started - task.arrived);
  if (scenario_.platform.nodes[task.node].kind == models::NodeKind::qpu)
    qpu_wait_.add(task.started - task.arrived);
}

void Recorder::finished(const Task& task)
{
  const double now = simgrid::s4u::Engine::get_clock();
  Counters& site   = site_of(task);
  --site.running;
  --sites_total_.running;
  ++site.completed;
  ++sites_total_.completed;
  ++result_.tasks_completed;
  ++result_.faults.completed;
  if (task.first_failure >= 0)
    recovery_.add(now - task.first_failure);
  node_stats_[task.node].busy.add(now, -1);
  NodeResult& node = result_.nodes[task.node];
  ++node.tasks_completed;
  node.flops_done += task.flops;
  if (of_group(task)) {
    GroupResult& g = result_.groups[task.source];
    switch (scenario_.platform.nodes[task.node].kind) {
      case models::NodeKind::edge:
        ++g.tasks_on_edge;
        break;
      case models::NodeKind::cloud:
        ++g.tasks_on_cloud;
        break;
      case models::NodeKind::qpu:
        ++g.tasks_on_qpu;
        break;
    }
  }
  if (task.kind == TaskKind::reading) {
    ++result_.groups[task.source].tasks_completed;
    const bool failed_before = task.first_failure >= 0;
    if (task.reading_times.empty()) {
      job_latency(task.source, now - task.created, failed_before);
    } else {
      for (double taken : task.reading_times)
        job_latency(task.source, now - taken, failed_before);
    }
  } else if (task.kind == TaskKind::dag_task) {
    ++result_.groups[task.source].tasks_completed;  // the job's latency is recorded when its last task ends
  } else {
    latency_.add(now - task.created);
  }
  if (task_log_ && task.id % result_.task_log_every == 0)
    log_task(task, now);
  if (trace_)
    trace_->task_finished(task, now);
}

void Recorder::job_latency(size_t group, double latency, bool failed_before)
{
  latency_.add(latency);
  group_latency_[group].add(latency);
  const auto& deadline = scenario_.workload.groups[group].deadline;
  if (!deadline)
    return;
  DeadlineResult& d   = result_.groups[group].deadline;
  const double late   = latency - *deadline;
  ++d.jobs;
  if (late > 0) {
    ++d.missed;
    if (failed_before)
      ++d.missed_after_failure;
  }
  group_lateness_[group].add(std::max(0.0, late));
  lateness_.add(std::max(0.0, late));
}

void Recorder::job_finished(size_t group, double release, double finish, bool failed_before)
{
  ++result_.groups[group].jobs_completed;
  job_latency(group, finish - release, failed_before);
}

void Recorder::leave_node(const Task& task, double now)
{
  Counters& site = site_of(task);
  if (task.stage == Task::Stage::running) {
    --site.running;
    --sites_total_.running;
    node_stats_[task.node].busy.add(now, -1);
  } else if (task.stage == Task::Stage::queued) {
    --site.queued;
    --sites_total_.queued;
    node_stats_[task.node].queue.add(now, -1);
  }
  ++site.dropped;
  ++sites_total_.dropped;
}

void Recorder::died(const Task& task)
{
  leave_node(task, simgrid::s4u::Engine::get_clock());
}

void Recorder::cancelled(const Task& task)
{
  leave_node(task, simgrid::s4u::Engine::get_clock());
}

void Recorder::dropped_in_transit(const Task& task)
{
  Counters& site = site_of(task);
  --site.in_transit;
  --sites_total_.in_transit;
  ++site.dropped;
  ++sites_total_.dropped;
}

void Recorder::retried(const Task&)
{
  ++result_.faults.retried;
}

void Recorder::lost(const Task& task)
{
  ++result_.faults.lost;
  if (of_group(task))
    ++result_.groups[task.source].lost;
}

void Recorder::rejected(const Task& task)
{
  ++result_.faults.rejected;
  if (of_group(task))
    ++result_.groups[task.source].rejected;
}

void Recorder::job_lost(size_t group)
{
  ++result_.faults.jobs_lost;
  ++result_.groups[group].jobs_lost;
}

void Recorder::node_down(size_t node, double now)
{
  ++result_.faults.node_failures;
  node_up_[node].set(now, 0.0);
  node_event(node, NodeEvent::Kind::down, now);
}

void Recorder::node_up(size_t node, double now)
{
  node_up_[node].set(now, 1.0);
  node_event(node, NodeEvent::Kind::up, now);
}

void Recorder::node_declared(size_t node, bool down, double now)
{
  node_event(node, down ? NodeEvent::Kind::declared_down : NodeEvent::Kind::declared_up, now);
}

void Recorder::node_event(size_t node, NodeEvent::Kind kind, double now)
{
  result_.faults.node_events.push_back(NodeEvent{now, static_cast<uint32_t>(node), kind});
  if (trace_)
    trace_->node_event(node, to_string(kind), now);
}

const char* to_string(NodeEvent::Kind kind)
{
  switch (kind) {
    case NodeEvent::Kind::down: return "down";
    case NodeEvent::Kind::up: return "up";
    case NodeEvent::Kind::declared_down: return "declared_down";
    case NodeEvent::Kind::declared_up: return "declared_up";
  }
  return "";
}

void Recorder::task_deadline(size_t group, bool missed)
{
  DeadlineResult& d = result_.groups[group].deadline;
  ++d.task_deadlines;
  if (missed)
    ++d.tasks_missed;
}

void Recorder::message_delivered(const MessageRecord& message)
{
  if (!message.to_coordinator)
    result_.nodes[message.node].bytes_in += message.bytes;
  result_.bytes_moved += message.bytes;
  if (trace_)
    trace_->message_delivered(message, simgrid::s4u::Engine::get_clock());
}

void Recorder::transfer_delivered(std::optional<size_t> to_node, double bytes)
{
  if (to_node)
    result_.nodes[*to_node].bytes_in += bytes;
  result_.bytes_moved += bytes;
}

void Recorder::milestone(std::string_view name, double time)
{
  if (trace_)
    trace_->milestone(name, time);
}

namespace {

// One tasks.csv row, through a format compiled at build time: the same text as fmt::format would
// give (shortest round-trip doubles).
template <typename Out>
Out write_task_row(Out out, const Task& task, const std::string& source, const char* kind, const std::string& node,
                   double now)
{
  return fmt::format_to(out, FMT_COMPILE("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n"), task.id, source, kind,
                        task.phase, node, task.created, task.arrived, task.started, now, now - task.created,
                        task.started - task.arrived, task.flops, task.bytes, task.readings, task.core_index);
}

}  // namespace

void Recorder::log_task(const Task& task, double now)
{
  const std::string& source = source_name(scenario_, task);
  const std::string& node = scenario_.platform.nodes[task.node].name;
  const char* kind = task.kind == TaskKind::reading     ? "reading"
                     : task.kind == TaskKind::piece    ? "piece"
                     : task.kind == TaskKind::dag_task ? "dag_task"
                                                       : "federated";
  // Straight into a stack array when the row surely fits (each of the 13 fields other than the
  // two names takes at most 24 characters, 15 separators): a third cheaper than a growing buffer,
  // which writes character by character.
  char row[512];
  if (source.size() + node.size() + 13 * 24 + 15 <= sizeof row) {
    const char* end = write_task_row(row, task, source, kind, node, now);
    std::fwrite(row, 1, static_cast<size_t>(end - row), task_log_);
    return;
  }
  fmt::memory_buffer long_row;
  write_task_row(fmt::appender(long_row), task, source, kind, node, now);
  std::fwrite(long_row.data(), 1, long_row.size(), task_log_);
}

void Recorder::sample(double now)
{
  if (!result_.timeline.empty() && now <= last_sample_)
    return;  // already sampled at this instant
  const double span = now - last_sample_;
  auto row = [&](const std::string& scope, Counters& c) {
    TimelineRow r;
    r.time       = now;
    r.scope      = scope;
    r.arrived    = c.arrived;
    r.completed  = c.completed;
    r.dropped    = c.dropped;
    r.in_transit = c.in_transit;
    r.queued     = c.queued;
    r.running    = c.running;
    r.throughput = span > 0 ? static_cast<double>(c.completed - c.completed_at_sample) / span : 0.0;
    c.completed_at_sample = c.completed;
    result_.timeline.push_back(std::move(r));
  };
  row("all", sites_total_);
  if (trace_)
    trace_->tasks_in_system(now, sites_total_.in_transit, sites_total_.queued, sites_total_.running);
  if (sites_.size() > 1)
    for (size_t s = 0; s < sites_.size(); ++s)
      row(scenario_.platform.sites[s].name, sites_[s]);
  last_sample_ = now;
}

void Recorder::finish(double end_time)
{
  if (task_log_) {
    const bool failed = std::fflush(task_log_) != 0 || std::ferror(task_log_);
    std::fclose(task_log_);
    task_log_ = nullptr;
    if (failed)
      throw std::runtime_error("writing tasks.csv failed (disk full?)");
  }
  result_.end_time = end_time;
  result_.latency  = Distribution::of(latency_);
  result_.wait     = Distribution::of(wait_);
  result_.transfer = Distribution::of(transfer_);
  result_.deadline = DeadlineResult{};
  for (size_t g = 0; g < group_latency_.size(); ++g) {
    GroupResult& gr       = result_.groups[g];
    gr.latency            = Distribution::of(group_latency_[g]);
    gr.deadline.lateness  = Distribution::of(group_lateness_[g]);
    result_.deadline.jobs += gr.deadline.jobs;
    result_.deadline.missed += gr.deadline.missed;
    result_.deadline.task_deadlines += gr.deadline.task_deadlines;
    result_.deadline.tasks_missed += gr.deadline.tasks_missed;
    result_.deadline.missed_after_failure += gr.deadline.missed_after_failure;
  }
  result_.deadline.lateness = Distribution::of(lateness_);
  result_.faults.detection_delay = Distribution::of(detection_);
  result_.faults.detections      = detection_.count();
  result_.faults.recovery_time   = Distribution::of(recovery_);
  result_.qpu_wait               = Distribution::of(qpu_wait_);
  const auto& nodes = scenario_.platform.nodes;
  for (size_t i = 0; i < nodes.size(); ++i) {
    NodeResult& r            = result_.nodes[i];
    r.busy_core_seconds      = node_stats_[i].busy.integral(end_time);
    r.utilisation            = end_time > 0 ? r.busy_core_seconds / (nodes[i].cores * end_time) : 0.0;
    r.mean_queue             = end_time > 0 ? node_stats_[i].queue.integral(end_time) / end_time : 0.0;
    r.max_queue              = node_stats_[i].queue.peak();
    r.availability           = end_time > 0 ? node_up_[i].integral(end_time) / end_time : 1.0;
  }
}

}  // namespace leptonsim::sim
