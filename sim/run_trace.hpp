// What a run shows in its trace (docs/outputs.md#traces): a track group per host (compute nodes,
// the QPU, site switches) with a track per core, where each task is a slice, and incoming-transfer
// lanes, where each task input and sharing-round message is a slice; milestones and the tasks in
// the system on the run's own group.
#pragma once

#include "models/scenario.hpp"
#include "sim/recorder.hpp"
#include "sim/run_result.hpp"
#include "sim/task.hpp"
#include "sim/trace_writer.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace leptonsim::sim {

class RunTrace {
public:
  RunTrace(const models::Scenario& scenario, TraceWriter& writer);

  void task_delivered(const Task& task);  // its input transfer, if it crossed the network
  void task_finished(const Task& task, double now);
  void message_delivered(const MessageRecord& message, double now);
  void milestone(std::string_view name, double time);
  // A node went down or up, or was declared so: an instant event on the node's group.
  void node_event(size_t node, std::string_view event, double time);
  void tasks_in_system(double time, uint64_t in_transit, uint64_t queued, uint64_t running);
  // Writes the closing summary and moves the file into place.
  void finish(const RunResult& result);

private:
  static constexpr uint32_t run_pid        = 1;
  static constexpr uint32_t lane_tid_first = 100000;  // above any core index

  const models::Scenario& scenario_;
  TraceWriter& writer_;
  std::vector<TraceLanes> lanes_;  // per host: compute nodes, then switches
  std::vector<std::string> group_from_;  // per sensor group: name of the switch its readings leave
  std::vector<std::string> job_from_;    // per batch job: name of its source switch
  std::vector<std::string> federated_from_;  // per federated job: its aggregator

  uint32_t node_pid(size_t node) const { return 2 + static_cast<uint32_t>(node); }
  uint32_t switch_pid(size_t site) const
  {
    return 2 + static_cast<uint32_t>(scenario_.platform.nodes.size() + site);
  }
  size_t switch_host(size_t site) const { return scenario_.platform.nodes.size() + site; }
  void transfer(size_t host, uint32_t pid, std::string_view name, double start, double end, const std::string& args);
};

}  // namespace leptonsim::sim
