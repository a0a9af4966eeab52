#include "sim/cluster.hpp"

#include "sim/recorder.hpp"

#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/simix.hpp>

#include <algorithm>
#include <stdexcept>

namespace leptonsim::sim {

void Task::activity_ended(bool ok)
{
  if (ok)
    cluster->deliver(*this);
  else
    cluster->transfer_failed(*this);
}

TaskPool::~TaskPool()
{
  for (Task* t : all_)
    delete t;
}

Task* TaskPool::acquire()
{
  if (free_.empty()) {
    all_.push_back(new Task());
    return all_.back();
  }
  Task* t = free_.back();
  free_.pop_back();
  return t;
}

void TaskPool::release(Task* task)
{
  task->reading_times.clear();
  task->next          = nullptr;
  task->readings      = 1;
  task->phase         = 0;
  task->attempt       = 0;
  task->checkpointed  = 0;
  task->executed      = 0;
  task->first_failure = -1;
  task->family        = nullptr;
  task->replica       = false;
  task->cancelled     = false;
  task->core          = nullptr;
  free_.push_back(task);
}

Cluster::Cluster(const models::Scenario& scenario, const SimPlatform& platform, const models::RouteCosts& routes,
                 Activities& activities, Recorder& recorder, TaskPool& pool)
    : loads_(models::idle_loads(scenario.platform))
    , routes_(routes)
    , activities_(activities)
    , recorder_(recorder)
    , pool_(pool)
    , faults_(scenario.faults.enabled)
{
  queues_.resize(loads_.size());
  for (size_t i = 0; i < loads_.size(); ++i) {
    queues_[i].host  = platform.nodes[i];
    queues_[i].speed = loads_[i].speed;
  }
}

Cluster::~Cluster() = default;

void Cluster::start_cores()
{
  for (auto& node : queues_) {
    for (int c = 0; c < node.host->get_core_count(); ++c) {
      node.cores.push_back(std::make_unique<Core>());
      node.cores.back()->index = static_cast<uint32_t>(c);
      node.cores.back()->node  = &node;
    }
    spawn_cores(node);
  }
}

void Cluster::spawn_cores(NodeQueue& node)
{
  node.idle.clear();
  for (auto& owned : node.cores) {
    Core* core  = owned.get();
    core->task  = nullptr;
    core->exec  = nullptr;
    core->actor = simgrid::s4u::Actor::create("core", node.host, [this, &node, core] { run_core(node, *core); });
    // Cores serve as long as there is work; they do not keep the simulation alive by themselves.
    core->actor->daemonize();
    node.idle.push_back(core);
  }
}

bool Cluster::any_up(std::span<const size_t> candidates) const
{
  return std::any_of(candidates.begin(), candidates.end(), [this](size_t n) { return loads_[n].up; });
}

double Cluster::segment(const Task& task, double speed) const
{
  const double remaining = task.remaining();
  if (task.recovery && task.recovery->strategy == models::RecoveryStrategy::checkpoint)
    return std::min(remaining, task.recovery->interval * speed);
  return remaining;
}

void Cluster::run_core(NodeQueue& node, Core& core)
{
  const double speed = node.host->get_speed();
  for (;;) {
    while (core.task == nullptr)
      simgrid::s4u::this_actor::suspend();
    Task* task     = core.task;
    bool cancelled = false;
    try {
      // One execution, or one per checkpoint interval; a retried task resumes at its last checkpoint.
      while (!task->cancelled && task->remaining() > 1e-12 * task->flops) {
        const double amount = segment(*task, speed);
        core.exec           = simgrid::s4u::this_actor::exec_init(amount);
        core.exec_start     = simgrid::s4u::Engine::get_clock();
        core.exec_flops     = amount;
        core.exec->start();
        core.exec->wait();
        core.exec = nullptr;
        task->executed += amount;
        if (task->recovery && task->recovery->strategy == models::RecoveryStrategy::checkpoint &&
            task->remaining() > 1e-12 * task->flops) {
          simgrid::s4u::this_actor::sleep_for(task->recovery->cost);  // the core writes the checkpoint
          task->checkpointed += task->executed;
          task->executed = 0;
        }
      }
    } catch (const simgrid::CancelException&) {
      cancelled = true;  // a replica that lost: maestro already counted its partial work
    }
    core.cancelled = cancelled || task->cancelled;
    // Two pointers fit in std::function's inline storage: no allocation per task for the handover.
    simgrid::kernel::actor::simcall_answered([this, &core] { finished(*core.node, core, *core.task, core.cancelled); });
  }
}

void Cluster::announce(Task& task, bool committed)
{
  task.cluster    = this;
  task.stage      = Task::Stage::transfer;
  task.dispatched = simgrid::s4u::Engine::get_clock();
  task.load    = task.flops - task.checkpointed;
  if (!committed)
    commit(task.node, task.load);
  loads_[task.node].queued_tasks += 1;
  recorder_.dispatched(task);
}

void Cluster::dispatch(Task& task, simgrid::s4u::Host* from, bool send, bool committed)
{
  announce(task, committed);
  task.sent = send;
  if (send)
    activities_.transfer(from, queues_[task.node].host, task.bytes, task);
  else
    deliver(task);
}

void Cluster::dispatch_replicas(Task& task, std::span<const size_t> extra_nodes, simgrid::s4u::Host* from)
{
  auto* family = new TaskFamily();
  std::vector<Task*> copies{&task};
  for (size_t node : extra_nodes) {
    Task* copy = pool_.acquire();
    const uint64_t id = pool_.next_id();
    *copy      = task;  // same reading, another node
    copy->id   = id;
    copy->node = static_cast<uint32_t>(node);
    copy->replica = true;
    copies.push_back(copy);
  }
  for (Task* copy : copies) {
    copy->family = family;
    family->copies.push_back(copy);
  }
  for (Task* copy : copies)
    dispatch(*copy, from, /*send=*/true);
}

void Cluster::deliver(Task& task)
{
  task.arrived  = simgrid::s4u::Engine::get_clock();
  NodeQueue& q  = queues_[task.node];
  if (task.cancelled) {
    drop_copy(task);
    return;
  }
  if (!q.alive) {
    // The input reached a node that is down: the task is lost with it, noticed on detection.
    recorder_.delivered(task);
    recorder_.died(task);
    task.stage = Task::Stage::dead;
    q.dead.push_back(&task);
    return;
  }
  if (!q.idle.empty() && !q.paused) {
    Core* core = q.idle.back();
    q.idle.pop_back();
    recorder_.delivered(task);
    assign(*core, task);
    core->actor->resume();
    return;
  }
  task.stage = Task::Stage::queued;
  recorder_.delivered(task);
  task.next = nullptr;
  if (q.tail)
    q.tail->next = &task;
  else
    q.head = &task;
  q.tail = &task;
}

void Cluster::assign(Core& core, Task& task)
{
  task.started    = simgrid::s4u::Engine::get_clock();
  task.core_index = core.index;
  recorder_.started(task);
  task.stage = Task::Stage::running;
  task.core  = &core;
  core.task  = &task;
}

void Cluster::unload(Task& task)
{
  models::NodeLoad& load = loads_[task.node];
  load.queued_flops -= task.load;
  if (load.queued_flops < 0)
    load.queued_flops = 0;  // rounding
  load.queued_tasks -= 1;
}

void Cluster::start_next(NodeQueue& q, Core& core)
{
  if (q.head && !q.paused) {
    Task* next = q.head;
    q.head     = next->next;
    if (!q.head)
      q.tail = nullptr;
    next->next = nullptr;
    assign(core, *next);  // the core goes straight on with it
  } else {
    q.idle.push_back(&core);
  }
}

void Cluster::finished(NodeQueue& q, Core& core, Task& task, bool cancelled)
{
  // A replica may have lost the race while its own completion was on its way to maestro.
  cancelled = cancelled || task.cancelled;
  core.task = nullptr;
  core.exec = nullptr;
  task.core = nullptr;
  unload(task);
  if (cancelled) {
    recorder_.cancelled(task);
    drop_copy(task);
    start_next(q, core);
    return;
  }
  recorder_.finished(task);
  if (task.family) {
    TaskFamily* family = task.family;
    family->done       = true;
    family->copies.erase(std::find(family->copies.begin(), family->copies.end(), &task));
    task.family = nullptr;
    const std::vector<Task*> losers = family->copies;
    if (losers.empty())
      delete family;
    for (Task* other : losers)
      cancel_copy(*other);
  }
  start_next(q, core);
  task.owner->task_done(task);
}

void Cluster::transfer_failed(Task& task)
{
  if (task.cancelled) {
    recorder_.dropped_in_transit(task);
    drop_copy(task);
    return;
  }
  unload(task);
  recorder_.dropped_in_transit(task);
  // A dispatcher that cannot reach a node stops sending it work until it hears from it again
  // (heartbeats restore it), rather than wait for the detector's timeout.
  loads_[task.node].up = false;
  fail_to_owner(task);
}

void Cluster::fail_to_owner(Task& task)
{
  const double now = simgrid::s4u::Engine::get_clock();
  recorder_.wasted(task.executed);
  task.executed = 0;
  if (task.first_failure < 0)
    task.first_failure = now;
  if (TaskFamily* family = task.family) {
    family->copies.erase(std::find(family->copies.begin(), family->copies.end(), &task));
    if (family->done || !family->copies.empty()) {
      // Another copy finished or may still finish: this one simply goes.
      if (family->done && family->copies.empty())
        delete family;
      task.family = nullptr;
      pool_.release(&task);
      return;
    }
    delete family;  // the last copy failed: the owner decides
    task.family = nullptr;
  }
  task.owner->task_failed(task);
}

void Cluster::cancel_copy(Task& task)
{
  task.cancelled = true;
  switch (task.stage) {
    case Task::Stage::transfer:
      activities_.cancel(task);  // ends in transfer_failed(), which drops it
      break;
    case Task::Stage::queued:
      remove_from_queue(queues_[task.node], task);
      unload(task);
      recorder_.cancelled(task);
      drop_copy(task);
      break;
    case Task::Stage::running: {
      auto* core = static_cast<Core*>(task.core);
      if (core->exec) {
        recorder_.duplicated(core->progress(simgrid::s4u::Engine::get_clock(), queues_[task.node].speed));
        core->exec->cancel();  // the core hands it back as cancelled
      }
      break;  // between two checkpoint segments the core sees the flag itself
    }
    case Task::Stage::dead:
      break;  // dropped when its node's failure is noticed
  }
}

void Cluster::drop_copy(Task& task)
{
  recorder_.duplicated(task.executed);
  if (TaskFamily* family = task.family) {
    auto it = std::find(family->copies.begin(), family->copies.end(), &task);
    if (it != family->copies.end())
      family->copies.erase(it);
    if (family->copies.empty() && family->done)
      delete family;
  }
  task.family = nullptr;
  pool_.release(&task);
}

void Cluster::remove_from_queue(NodeQueue& q, Task& task)
{
  Task* previous = nullptr;
  for (Task* t = q.head; t; previous = t, t = t->next) {
    if (t != &task)
      continue;
    (previous ? previous->next : q.head) = t->next;
    if (q.tail == t)
      q.tail = previous;
    t->next = nullptr;
    return;
  }
}

void Cluster::pause(size_t node)
{
  queues_[node].paused = true;
}

void Cluster::resume(size_t node)
{
  NodeQueue& q = queues_[node];
  q.paused     = false;
  while (q.head && !q.idle.empty() && q.alive) {
    Core* core = q.idle.back();
    q.idle.pop_back();
    start_next(q, *core);
    core->actor->resume();
  }
}

void Cluster::node_failed(size_t node)
{
  NodeQueue& q = queues_[node];
  if (!q.alive)
    return;
  q.alive = false;
  for (auto& owned : q.cores) {
    Core& core = *owned;
    if (Task* task = core.task) {
      task->executed += core.progress(simgrid::s4u::Engine::get_clock(), q.speed);
      recorder_.died(*task);
      task->stage = Task::Stage::dead;
      task->core  = nullptr;
      q.dead.push_back(task);
    }
    core.task = nullptr;
    core.exec = nullptr;
  }
  for (Task* t = q.head; t;) {
    Task* next = t->next;
    t->next    = nullptr;
    recorder_.died(*t);
    t->stage = Task::Stage::dead;
    q.dead.push_back(t);
    t = next;
  }
  q.head = q.tail = nullptr;
  q.idle.clear();
  q.host->turn_off();  // SimGrid kills the core actors
  for (auto& owned : q.cores)
    owned->actor = nullptr;
}

void Cluster::node_repaired(size_t node)
{
  NodeQueue& q = queues_[node];
  if (q.alive)
    return;
  q.host->turn_on();
  q.alive = true;
  ++q.boots;
  spawn_cores(q);
}

void Cluster::node_declared_down(size_t node)
{
  loads_[node].up = false;
  NodeQueue& q     = queues_[node];
  std::vector<Task*> lost;
  lost.swap(q.dead);
  for (Task* task : lost) {
    unload(*task);
    if (task->cancelled)
      drop_copy(*task);
    else
      fail_to_owner(*task);
  }
}

void Cluster::node_declared_up(size_t node)
{
  // A heartbeat from a node that rebooted since the last one also tells what it lost.
  node_declared_down(node);
  loads_[node].up = true;
}

}  // namespace leptonsim::sim
