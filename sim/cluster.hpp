// The compute nodes at run time: a FIFO queue per node served by its cores, and the dispatcher's
// view of the load (work assigned and not yet finished). Tasks reach a node over the network,
// wait for a free core, run, and are handed back to their owner.
#pragma once

#include "models/policy.hpp"
#include "models/scenario.hpp"
#include "sim/activities.hpp"
#include "sim/platform.hpp"
#include "sim/task.hpp"

#include <vector>

namespace leptonsim::sim {

class Recorder;

class Cluster {
public:
  Cluster(const models::Scenario& scenario, const SimPlatform& platform, Activities& activities, Recorder& recorder);

  models::ClusterView view() const { return models::ClusterView{loads_}; }

  // Adds work that a dispatcher has promised to a node to the load the policies see.
  void commit(size_t node, double flops) { loads_[node].queued_flops += flops; }
  // Dispatch: counts the task against its node's load (unless its work was committed earlier),
  // then sends its input from `from`, or, when `send` is false, hands it to the node at once
  // because its data is already there.
  void dispatch(Task& task, simgrid::s4u::Host* from, bool send, bool committed = false);
  // The task's input reached its node.
  void deliver(Task& task);
  // The task's execution ended.
  void finished(Task& task);

  Activities& activities() { return activities_; }

private:
  struct NodeQueue {
    simgrid::s4u::Host* host = nullptr;
    int free_cores = 0;
    Task* head = nullptr;
    Task* tail = nullptr;
  };
  std::vector<models::NodeLoad> loads_;
  std::vector<NodeQueue> queues_;
  Activities& activities_;
  Recorder& recorder_;

  void start(Task& task);
};

}  // namespace leptonsim::sim
