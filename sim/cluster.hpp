// The compute nodes at run time: a FIFO queue per node served by its cores, and the dispatcher's
// view of the load (work assigned and not yet finished). Tasks reach a node over the network,
// wait for a free core, run, and are handed back to their owner.
//
// Each core is one long-lived SimGrid actor that executes one task at a time. (An execution
// started from maestro would sit in maestro's activity list, which SimGrid 3.32 scans linearly on
// every completion: with hundreds of executions in flight that scan dominated the run time.)
// All bookkeeping runs in maestro's context: a core hands each finished task back through an
// answered simcall.
#pragma once

#include "models/policy.hpp"
#include "models/scenario.hpp"
#include "sim/activities.hpp"
#include "sim/platform.hpp"
#include "sim/task.hpp"

#include <memory>
#include <vector>

namespace leptonsim::sim {

class Recorder;

class Cluster {
public:
  Cluster(const models::Scenario& scenario, const SimPlatform& platform, Activities& activities, Recorder& recorder);
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  // Creates the core actors; before the engine runs. They live until the simulation ends.
  void start_cores();

  models::ClusterView view() const { return models::ClusterView{loads_}; }

  // Adds work that a dispatcher has promised to a node to the load the policies see.
  void commit(size_t node, double flops) { loads_[node].queued_flops += flops; }
  // Dispatch: counts the task against its node's load (unless its work was committed earlier),
  // then sends its input from `from`, or, when `send` is false, hands it to the node at once
  // because its data is already there.
  void dispatch(Task& task, simgrid::s4u::Host* from, bool send, bool committed = false);
  // The task's input reached its node.
  void deliver(Task& task);

  Activities& activities() { return activities_; }

private:
  struct Core {
    simgrid::s4u::ActorPtr actor;
    uint32_t index = 0;    // within its node
    Task* task = nullptr;  // set by maestro; the core runs it and hands it back
  };
  struct NodeQueue {
    simgrid::s4u::Host* host = nullptr;
    std::vector<std::unique_ptr<Core>> cores;
    std::vector<Core*> idle;
    Task* head = nullptr;
    Task* tail = nullptr;
  };
  std::vector<models::NodeLoad> loads_;
  std::vector<NodeQueue> queues_;
  Activities& activities_;
  Recorder& recorder_;

  void assign(Core& core, Task& task);
  void run_core(NodeQueue& node, Core& core);          // the body of a core actor
  void finished(NodeQueue& node, Core& core, Task& task);  // in maestro's context
};

}  // namespace leptonsim::sim
