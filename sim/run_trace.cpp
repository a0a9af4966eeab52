#include "sim/run_trace.hpp"

#include <leptonsim/version.hpp>

#include <fmt/format.h>

#include <cmath>

namespace leptonsim::sim {

RunTrace::RunTrace(const models::Scenario& scenario, TraceWriter& writer) : scenario_(scenario), writer_(writer)
{
  const auto& p = scenario.platform;
  lanes_.resize(p.nodes.size() + p.sites.size());
  writer_.process(run_pid, "run " + scenario.name, 0);
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    const auto& node = p.nodes[i];
    writer_.process(node_pid(i), node.name, node_pid(i));
    for (int c = 0; c < node.cores; ++c)
      writer_.thread(node_pid(i), static_cast<uint32_t>(c) + 1, fmt::format("core {}", c), c);
  }
  for (size_t s = 0; s < p.sites.size(); ++s)
    writer_.process(switch_pid(s), p.sites[s].name + ".switch", switch_pid(s));
  for (const auto& g : scenario.workload.groups)
    group_from_.push_back(json_string(p.sites[g.site].name + ".switch"));
  for (const auto& j : scenario.workload.jobs)
    job_from_.push_back(json_string(p.sites[j.source].name + ".switch"));
  for (const auto& f : scenario.workload.federated)
    federated_from_.push_back(json_string(p.nodes[f.aggregator].name));
}

void RunTrace::transfer(size_t host, uint32_t pid, std::string_view name, double start, double end,
                        const std::string& args)
{
  const size_t lanes_before = lanes_[host].count();  // the caller has admitted the slice
  const uint32_t lane       = lanes_[host].place(trace_ns(start), trace_ns(end));
  const uint32_t tid        = lane_tid_first + lane;
  if (lanes_[host].count() > lanes_before)
    writer_.thread(pid, tid, fmt::format("network in, lane {}", lane), lane_tid_first + lane);
  writer_.slice(pid, tid, "transfer", name, start, end, args);
}

void RunTrace::task_delivered(const Task& task)
{
  if (!task.sent || !writer_.admit(task.dispatched, task.arrived))
    return;
  const std::string& from = task.kind == TaskKind::piece       ? job_from_[task.source]
                            : task.kind == TaskKind::federated ? federated_from_[task.source]
                                                               : group_from_[task.source];
  transfer(task.node, node_pid(task.node), "input", task.dispatched, task.arrived,
           fmt::format("{{\"task\":{},\"bytes_B\":{},\"from\":{}}}", task.id, task.bytes, from));
}

void RunTrace::task_finished(const Task& task, double now)
{
  if (!writer_.admit(task.started, now))
    return;
  writer_.slice(node_pid(task.node), task.core_index + 1, "task", source_name(scenario_, task), task.started, now,
                fmt::format("{{\"task\":{},\"phase\":{},\"flops\":{},\"readings\":{},\"wait_s\":{}}}", task.id,
                            task.phase, task.flops, task.readings, task.started - task.arrived));
}

void RunTrace::message_delivered(const MessageRecord& m, double now)
{
  if (!writer_.admit(m.sent, now))
    return;
  const auto& job = scenario_.workload.jobs[m.job];
  const std::string args =
      fmt::format("{{\"job\":{},\"round\":{},\"bytes_B\":{},\"from\":{}}}", json_string(job.name), m.round, m.bytes,
                  m.to_coordinator ? json_string(scenario_.platform.nodes[m.node].name) : job_from_[m.job]);
  if (m.to_coordinator)
    transfer(switch_host(job.source), switch_pid(job.source), "report", m.sent, now, args);
  else
    transfer(m.node, node_pid(m.node), "answer", m.sent, now, args);
}

void RunTrace::node_event(size_t node, std::string_view event, double time)
{
  writer_.instant(node_pid(node), "fault", event, time, "");
}

void RunTrace::milestone(std::string_view name, double time)
{
  writer_.instant(run_pid, "milestone", name, time, "");
}

void RunTrace::tasks_in_system(double time, uint64_t in_transit, uint64_t queued, uint64_t running)
{
  writer_.counter(run_pid, "tasks", time,
                  fmt::format("{{\"in_transit\":{},\"queued\":{},\"running\":{}}}", in_transit, queued, running));
}

void RunTrace::finish(const RunResult& result)
{
  const auto& o = writer_.options();
  writer_.finish(fmt::format(
      "\"leptonsim_version\":{},\"scenario\":{},\"seed\":{},"
      "\"clock\":\"simulated time: ts and dur are simulated microseconds\",\"tasks_completed\":{},"
      "\"end_time_s\":{},\"window_from_s\":{},\"window_to_s\":{},\"max_slices\":{},\"slices\":{},"
      "\"slices_dropped\":{}",
      json_string(leptonsim::version), json_string(scenario_.name), scenario_.seed, result.tasks_completed,
      result.end_time, o.from, std::isfinite(o.to) ? fmt::format("{}", o.to) : std::string("null"), o.max_slices,
      writer_.slices_written(), writer_.slices_dropped()));
}

}  // namespace leptonsim::sim
