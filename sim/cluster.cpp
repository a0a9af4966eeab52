#include "sim/cluster.hpp"

#include "sim/recorder.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/simix.hpp>

#include <stdexcept>

namespace leptonsim::sim {

void Task::activity_ended(bool ok)
{
  if (!ok)
    throw std::logic_error("a task's transfer failed, but this scenario has no failures");
  cluster->deliver(*this);
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
  task->next     = nullptr;
  task->readings = 1;
  task->phase    = 0;
  free_.push_back(task);
}

Cluster::Cluster(const models::Scenario& scenario, const SimPlatform& platform, Activities& activities,
                 Recorder& recorder)
    : activities_(activities), recorder_(recorder)
{
  const auto& nodes = scenario.platform.nodes;
  loads_.resize(nodes.size());
  queues_.resize(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    loads_[i]       = models::NodeLoad{nodes[i].speed, nodes[i].cores, nodes[i].capacity(), 0.0, 0, true};
    queues_[i].host = platform.nodes[i];
  }
}

Cluster::~Cluster() = default;

void Cluster::start_cores()
{
  for (auto& node : queues_) {
    const int cores = node.host->get_core_count();
    for (int c = 0; c < cores; ++c) {
      node.cores.push_back(std::make_unique<Core>());
      Core* core  = node.cores.back().get();
      core->index = static_cast<uint32_t>(c);
      core->actor = simgrid::s4u::Actor::create("core", node.host, [this, &node, core] { run_core(node, *core); });
      // Cores serve as long as there is work; they do not keep the simulation alive by themselves.
      core->actor->daemonize();
      node.idle.push_back(core);
    }
  }
}

void Cluster::run_core(NodeQueue& node, Core& core)
{
  for (;;) {
    while (core.task == nullptr)
      simgrid::s4u::this_actor::suspend();
    Task* task = core.task;
    simgrid::s4u::this_actor::execute(task->flops);
    simgrid::kernel::actor::simcall_answered([this, &node, &core, task] { finished(node, core, *task); });
  }
}

void Cluster::dispatch(Task& task, simgrid::s4u::Host* from, bool send, bool committed)
{
  task.cluster    = this;
  task.dispatched = simgrid::s4u::Engine::get_clock();
  task.sent       = send;
  if (!committed)
    commit(task.node, task.flops);
  loads_[task.node].queued_tasks += 1;
  recorder_.dispatched(task);
  if (send) {
    task.stage = Task::Stage::transfer;
    activities_.transfer(from, queues_[task.node].host, task.bytes, task);
  } else {
    deliver(task);
  }
}

void Cluster::deliver(Task& task)
{
  task.arrived = simgrid::s4u::Engine::get_clock();
  NodeQueue& q = queues_[task.node];
  if (!q.idle.empty()) {
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
  task.started = simgrid::s4u::Engine::get_clock();
  task.core    = core.index;
  recorder_.started(task);
  task.stage = Task::Stage::running;
  core.task  = &task;
}

void Cluster::finished(NodeQueue& q, Core& core, Task& task)
{
  models::NodeLoad& load = loads_[task.node];
  load.queued_flops -= task.flops;
  if (load.queued_flops < 0)
    load.queued_flops = 0;  // rounding
  load.queued_tasks -= 1;
  recorder_.finished(task);
  core.task = nullptr;
  if (q.head) {
    Task* next = q.head;
    q.head     = next->next;
    if (!q.head)
      q.tail = nullptr;
    next->next = nullptr;
    assign(core, *next);  // the core goes straight on with it
  } else {
    q.idle.push_back(&core);
  }
  task.owner->task_done(task);
}

}  // namespace leptonsim::sim
