// One job instance of a DAG template in flight: a task becomes ready when all its predecessors
// are done, is placed (by the group's policy, or by a HEFT plan made when the job is released),
// receives its inputs (from the group's switch for entry tasks, from its predecessors' nodes
// otherwise) and then queues at its node.
#pragma once

#include "models/policy.hpp"
#include "models/scenario.hpp"
#include "sim/calendar.hpp"
#include "sim/cluster.hpp"
#include "sim/platform.hpp"
#include "sim/recorder.hpp"
#include "sim/task.hpp"

#include <functional>
#include <memory>
#include <random>
#include <vector>

namespace leptonsim::sim {

// What every job of one sensor group shares.
struct DagJobContext {
  const models::Scenario& scenario;
  const models::SensorGroup& group;
  const models::DagTemplate& dag;
  size_t group_index;
  const SimPlatform& platform;
  Cluster& cluster;
  Recorder& recorder;
  TaskPool& pool;
  Calendar& calendar;
  std::mt19937_64& rng;
  std::function<void(const class DagJob*)> job_done;  // a job's last task is done (the job may be deleted after)
  double qpu_speed = 0;                              // flop/s of the QPU host's core
  // Candidates and a policy instance for tasks of any tier, edge tasks and cloud tasks.
  struct Tier {
    std::vector<size_t> targets;
    std::unique_ptr<models::Policy> policy;
  };
  Tier any, edge, cloud;
  std::vector<Tier> parties;  // MPC: the nodes of each party (tasks with a `party` run there)

  Tier& tier(const std::optional<models::NodeKind>& kind)
  {
    return !kind ? any : *kind == models::NodeKind::cloud ? cloud : edge;
  }
};

class DagJob final : public TaskOwner {
public:
  DagJob(DagJobContext& context, double release);
  ~DagJob() override;
  void start();
  void task_done(Task& task) override;
  void task_failed(Task& task) override;

private:
  // One input of one task: an edge from a predecessor, or the job's input for an entry task.
  class Input final : public ActivityWaiter {
  public:
    Input(DagJob& job, size_t task) : job_(job), task_(task) {}
    void activity_ended(bool ok) override { job_.input_arrived(task_, ok); }

  private:
    DagJob& job_;
    size_t task_;
  };
  struct TaskState {
    Task* task          = nullptr;
    double flops        = 0;     // classical work, or the QPU time's equivalent on the QPU host
    double quantum_time = 0;     // s on the QPU, for circuit tasks
    bool on_qpu         = false; // where it was placed
    size_t preds_left   = 0;
    size_t inputs_left  = 0;
    size_t node         = 0;
    bool done           = false;
    bool input_broken   = false;  // an input of the current attempt failed
  };

  DagJobContext& context_;
  double release_;
  size_t remaining_;       // tasks not done yet
  size_t in_flight_ = 0;   // tasks placed and not yet done or given up
  bool failed_      = false;  // a task was lost: the job is given up once nothing is in flight
  bool failed_once_ = false;  // an execution was lost on the way (for deadline accounting)
  std::vector<TaskState> tasks_;
  std::vector<size_t> plan_;                    // HEFT placement, when the policy is heft
  std::vector<std::unique_ptr<Input>> inputs_;  // edges first, then one per task for the job input

  void ready(size_t t, double now, Task* retry = nullptr);
  size_t place(size_t t);
  size_t place_offload(size_t t, const models::TaskRequest& request);
  bool converged(size_t t);  // a variational loop may stop after this task
  void input_arrived(size_t t, bool ok);
  void settle();  // a task left the system: finish the job if nothing more can happen
};

}  // namespace leptonsim::sim
