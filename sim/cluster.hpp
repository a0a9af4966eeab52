// The compute nodes at run time: a FIFO queue per node served by its cores, and the dispatcher's
// view of the load (work assigned and not yet finished). Tasks reach a node over the network,
// wait for a free core, run, and are handed back to their owner.
//
// Each core is one long-lived SimGrid actor that executes one task at a time. (An execution
// started from maestro would sit in maestro's activity list, which SimGrid 3.32 scans linearly on
// every completion: with hundreds of executions in flight that scan dominated the run time.)
// All bookkeeping runs in maestro's context: a core hands each finished task back through an
// answered simcall.
//
// Under faults a node's host goes off: its cores' actors are killed and everything it held is
// lost. The dispatchers learn of it only when the failure detector declares the node down (or
// sees it come back after a reboot); only then do owners hear of the lost tasks and recover.
#pragma once

#include "models/policy.hpp"
#include "models/route_costs.hpp"
#include "models/scenario.hpp"
#include "sim/activities.hpp"
#include "sim/platform.hpp"
#include "sim/task.hpp"

#include <simgrid/s4u/Exec.hpp>

#include <algorithm>
#include <memory>
#include <span>
#include <vector>

namespace leptonsim::sim {

class Recorder;

class Cluster {
public:
  Cluster(const models::Scenario& scenario, const SimPlatform& platform, const models::RouteCosts& routes,
          Activities& activities, Recorder& recorder, TaskPool& pool);
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  // Creates the core actors; before the engine runs.
  void start_cores();

  models::ClusterView view() const { return models::ClusterView{loads_, &routes_}; }
  bool any_up(std::span<const size_t> candidates) const;

  // Adds work that a dispatcher has promised to a node to the load the policies see.
  void commit(size_t node, double flops) { loads_[node].queued_flops += flops; }
  // Counts the task against its node's load (unless its work was committed earlier) and marks it
  // in transit; the caller moves its inputs and calls deliver() when they are in.
  void announce(Task& task, bool committed = false);
  // announce(), then sends the task's input from `from`, or, when `send` is false, hands it to the
  // node at once because its data is already there.
  void dispatch(Task& task, simgrid::s4u::Host* from, bool send, bool committed = false);
  // dispatch() of the task to its node and of one copy to each of `extra_nodes`; the first copy
  // to finish is the one its owner receives, the others are cancelled.
  void dispatch_replicas(Task& task, std::span<const size_t> extra_nodes, simgrid::s4u::Host* from);
  // The task's input reached its node.
  void deliver(Task& task);
  // Its input transfer broke: the owner hears of it at once.
  void transfer_failed(Task& task);

  Activities& activities() { return activities_; }
  simgrid::s4u::Host* host(size_t node) const { return queues_[node].host; }
  bool alive(size_t node) const { return queues_[node].alive; }

  // Fault injection (the host really goes off, or comes back empty).
  void node_failed(size_t node);
  void node_repaired(size_t node);
  // Failure detection (what the dispatchers know).
  void node_declared_down(size_t node);
  void node_declared_up(size_t node);
  // A heartbeat arrived from a node that is not declared down: it is reachable.
  void heard_from(size_t node) { loads_[node].up = true; }

  // A node that holds its queue (the QPU during calibration): waiting tasks stay until resume().
  void pause(size_t node);
  void resume(size_t node);
  uint64_t boot_count(size_t node) const { return queues_[node].boots; }

private:
  struct NodeQueue;
  struct Core {
    simgrid::s4u::ActorPtr actor;
    NodeQueue* node = nullptr;      // the node it belongs to
    bool cancelled = false;         // how the task it hands back to maestro ended
    uint32_t index = 0;             // within its node
    Task* task = nullptr;           // set by maestro; the core runs it and hands it back
    simgrid::s4u::ExecPtr exec;     // the execution under way, so that it can be cancelled
    double exec_start = 0;          // s, when it began
    double exec_flops = 0;          // its size
    // Work done so far by the execution under way: a core runs one task at full speed.
    double progress(double now, double speed) const { return exec ? std::min(exec_flops, (now - exec_start) * speed) : 0; }
  };
  struct NodeQueue {
    simgrid::s4u::Host* host = nullptr;
    double speed = 0;  // flop/s of one core
    std::vector<std::unique_ptr<Core>> cores;
    std::vector<Core*> idle;
    Task* head = nullptr;
    Task* tail = nullptr;
    bool alive = true;
    bool paused = false;
    uint64_t boots = 0;
    std::vector<Task*> dead;  // lost with the node, not yet noticed by the dispatchers
  };
  std::vector<models::NodeLoad> loads_;
  std::vector<NodeQueue> queues_;
  const models::RouteCosts& routes_;
  Activities& activities_;
  Recorder& recorder_;
  TaskPool& pool_;
  bool faults_;

  void spawn_cores(NodeQueue& node);
  void assign(Core& core, Task& task);
  void run_core(NodeQueue& node, Core& core);                           // the body of a core actor
  void finished(NodeQueue& node, Core& core, Task& task, bool cancelled);  // in maestro's context
  void start_next(NodeQueue& node, Core& core);
  void unload(Task& task);                  // removes the task's work from its node's load
  void fail_to_owner(Task& task);           // the task is lost: tell its owner (or its family)
  void cancel_copy(Task& task);             // a replica that lost the race
  void drop_copy(Task& task);               // a replica leaves the system
  void remove_from_queue(NodeQueue& node, Task& task);
  double segment(const Task& task, double speed) const;  // flop until the next checkpoint
};

}  // namespace leptonsim::sim
