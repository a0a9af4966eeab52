// Sensor streams: each group is one event source at its site's switch. A reading is taken at its
// arrival time, handed to the group's dispatcher (its policy), sent to the chosen node and queued
// there. Periodic groups stagger their sensors evenly over the period (optionally jittered);
// Poisson groups draw exponential gaps for the whole group. Micro-batching, when asked for,
// bundles readings into one task.
#pragma once

#include "models/policy.hpp"
#include "models/scenario.hpp"
#include "sim/calendar.hpp"
#include "sim/cluster.hpp"
#include "sim/recorder.hpp"
#include "sim/task.hpp"

#include <functional>
#include <memory>
#include <random>
#include <vector>

namespace leptonsim::sim {

class StreamDriver final : public TaskOwner {
public:
  // `on_done` runs once, when the last reading of the last group has been processed.
  StreamDriver(const models::Scenario& scenario, const SimPlatform& platform, Calendar& calendar, Cluster& cluster,
               Recorder& recorder, TaskPool& pool, std::function<void()> on_done);
  ~StreamDriver() override;
  void start();
  void task_done(Task& task) override;
  void task_failed(Task& task) override;
  bool finished() const { return active_groups_ == 0; }

private:
  class Group;
  std::vector<std::unique_ptr<Group>> groups_;
  TaskPool& pool_;
  std::function<void()> on_done_;
  size_t active_groups_ = 0;
  void group_finished()
  {
    if (--active_groups_ == 0)
      on_done_();
  }
};

}  // namespace leptonsim::sim
