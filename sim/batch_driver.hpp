// Batch jobs in the seed document's model: T work units split into chunks that the job's policy
// deals to nodes, computed in S + 1 phases separated by S data-sharing rounds (bulk-synchronous).
// In a round every participating node sends its share to the coordinator at the job's source
// switch; when all have arrived the coordinator answers each one, and a node starts its next
// phase when its answer arrives. Chunk inputs (bytes per unit) travel from the source first.
#pragma once

#include "models/network_model.hpp"
#include "models/scenario.hpp"
#include "models/topology.hpp"
#include "sim/calendar.hpp"
#include "sim/cluster.hpp"
#include "sim/recorder.hpp"
#include "sim/run_result.hpp"
#include "sim/task.hpp"

#include <functional>
#include <memory>
#include <vector>

namespace leptonsim::sim {

class BatchDriver final : public TaskOwner {
public:
  BatchDriver(const models::Scenario& scenario, const models::Topology& topology, const SimPlatform& platform,
              Calendar& calendar, Cluster& cluster, Recorder& recorder, TaskPool& pool, RunResult& result,
              std::function<void()> on_done);
  ~BatchDriver() override;
  void start();
  void task_done(Task& task) override;
  void task_failed(Task& task) override;
  bool finished() const { return active_jobs_ == 0; }

private:
  class Job;
  std::vector<std::unique_ptr<Job>> jobs_;
  Calendar& calendar_;
  std::function<void()> on_done_;
  size_t active_jobs_ = 0;
  void job_finished()
  {
    if (--active_jobs_ == 0)
      on_done_();
  }
};

}  // namespace leptonsim::sim
