// Federated learning jobs, round by round. A round samples ceil(K * over_commit) of the clients
// the dispatcher believes up, sends each the model (as its training task's input, through its edge
// aggregator when hierarchical), trains on the client's node, and collects the updates at the
// aggregator (or the client's edge aggregator) until its quota is in (the first K, or all), or the
// round's deadline passes; later updates are discarded. With secure aggregation the collector then
// runs the protocol's remaining rounds with the clients it accepted (key lists, shares, masked
// inputs, unmasking shares), each a barrier that a client's failure resolves. The collector
// aggregates; edge aggregators forward their partial sums to the cloud, which aggregates them.
// Clients whose node fails drop out; nothing is retried. A DP budget may stop the job early.
#pragma once

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

class FederatedDriver final : public TaskOwner {
public:
  FederatedDriver(const models::Scenario& scenario, const models::Topology& topology, Calendar& calendar,
                  Cluster& cluster, Recorder& recorder, TaskPool& pool, RunResult& result,
                  std::function<void()> on_done);
  ~FederatedDriver() override;
  void start();
  void task_done(Task& task) override;
  void task_failed(Task& task) override;

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
