#include "sim/dag_job.hpp"

#include "models/arrivals.hpp"
#include "models/heft.hpp"

#include <simgrid/s4u/Engine.hpp>

#include "sim/recovery.hpp"

#include <stdexcept>

namespace leptonsim::sim {

DagJob::DagJob(DagJobContext& context, double release)
    : context_(context), release_(release), remaining_(context.dag.tasks.size())
{
  const auto& dag = context.dag;
  tasks_.resize(dag.tasks.size());
  for (size_t t = 0; t < dag.tasks.size(); ++t) {
    tasks_[t].flops      = models::sample_work(dag.tasks[t].work, context.rng);
    tasks_[t].preds_left = dag.predecessors[t].size();
  }
  inputs_.reserve(dag.edges.size() + dag.tasks.size());
  for (size_t e = 0; e < dag.edges.size(); ++e)
    inputs_.push_back(std::make_unique<Input>(*this, dag.edges[e].to));
  for (size_t t = 0; t < dag.tasks.size(); ++t)
    inputs_.push_back(std::make_unique<Input>(*this, t));
}

DagJob::~DagJob() = default;

void DagJob::start()
{
  const auto& group = context_.group;
  if (group.policy.kind == models::PolicyKind::heft) {
    std::vector<double> flops(tasks_.size());
    for (size_t t = 0; t < tasks_.size(); ++t)
      flops[t] = tasks_[t].flops;
    plan_ = models::heft_placement(context_.dag, flops, group.targets, context_.scenario.platform.qpu,
                                   context_.cluster.view(), models::Endpoint::site(group.site), group.bytes);
  }
  for (size_t t = 0; t < tasks_.size(); ++t)
    if (tasks_[t].preds_left == 0)
      ready(t, release_);
}

size_t DagJob::place(size_t t)
{
  const auto& dag   = context_.dag;
  const auto& group = context_.group;
  if (dag.tasks[t].on_qpu)
    return *context_.scenario.platform.qpu;
  if (!plan_.empty())
    return plan_[t];
  // The input that weighs most decides where the data is.
  models::TaskRequest request{tasks_[t].flops, group.bytes, models::Endpoint::site(group.site)};
  double heaviest = -1;
  for (size_t e : dag.predecessors[t]) {
    if (dag.edges[e].bytes > heaviest) {
      heaviest       = dag.edges[e].bytes;
      request.bytes  = dag.edges[e].bytes;
      request.source = models::Endpoint::node(tasks_[dag.edges[e].from].node);
    }
  }
  auto& tier = context_.tier(dag.tasks[t].tier);
  return tier.policy->choose(context_.cluster.view(), tier.targets, request);
}

void DagJob::ready(size_t t, double now, Task* retry)
{
  const auto& dag   = context_.dag;
  TaskState& state  = tasks_[t];
  state.node        = place(t);
  Task* task        = retry;
  if (!task) {
    task           = context_.pool.acquire();
    task->owner    = this;
    task->id       = context_.pool.next_id();
    task->source   = static_cast<uint32_t>(context_.group_index);
    task->phase    = static_cast<uint32_t>(t);
    task->kind     = TaskKind::dag_task;
    task->created  = now;
    task->flops    = state.flops;
    task->recovery = context_.scenario.faults.enabled ? &context_.group.recovery : nullptr;
    context_.recorder.submitted(*task);
    ++in_flight_;
  }
  task->node        = static_cast<uint32_t>(state.node);
  task->bytes       = 0;
  state.inputs_left = 0;
  state.task        = task;
  auto* to          = context_.platform.nodes[state.node];
  auto& activities  = context_.cluster.activities();
  if (dag.predecessors[t].empty()) {
    task->bytes       = context_.group.bytes;
    state.inputs_left = 1;
    context_.cluster.announce(*task);
    activities.transfer(context_.platform.switches[context_.group.site], to, context_.group.bytes,
                        *inputs_[dag.edges.size() + t]);
    return;
  }
  for (size_t e : dag.predecessors[t]) {
    if (tasks_[dag.edges[e].from].node != state.node) {
      task->bytes += dag.edges[e].bytes;
      ++state.inputs_left;
    }
  }
  context_.cluster.announce(*task);
  if (state.inputs_left == 0) {
    context_.cluster.deliver(*task);
    return;
  }
  for (size_t e : dag.predecessors[t]) {
    const size_t from = tasks_[dag.edges[e].from].node;
    if (from != state.node)
      activities.transfer(context_.platform.nodes[from], to, dag.edges[e].bytes, *inputs_[e]);
  }
}

void DagJob::input_arrived(size_t t, bool ok)
{
  TaskState& state = tasks_[t];
  if (!ok && state.inputs_left > 0) {
    // One input cannot arrive: this attempt is lost, once every other input has arrived or failed.
    state.input_broken = true;
  }
  if (--state.inputs_left > 0)
    return;
  if (state.input_broken) {
    state.input_broken = false;
    context_.cluster.transfer_failed(*state.task);
    return;
  }
  context_.cluster.deliver(*state.task);
}

void DagJob::task_done(Task& task)
{
  const double now = simgrid::s4u::Engine::get_clock();
  const size_t t   = task.phase;
  const auto& dag  = context_.dag;
  failed_once_     = failed_once_ || task.first_failure >= 0;
  tasks_[t].done   = true;
  tasks_[t].task   = nullptr;
  context_.pool.release(&task);
  --in_flight_;
  --remaining_;
  if (dag.tasks[t].deadline)
    context_.recorder.task_deadline(context_.group_index, now - release_ > *dag.tasks[t].deadline);
  if (!failed_) {
    for (size_t e : dag.successors[t]) {
      const size_t next = dag.edges[e].to;
      if (--tasks_[next].preds_left == 0)
        ready(next, now);
    }
  }
  settle();
}

void DagJob::task_failed(Task& task)
{
  failed_once_ = true;
  const size_t t = task.phase;
  if (!failed_ && may_retry(task)) {
    context_.recorder.retried(task);
    const double at = simgrid::s4u::Engine::get_clock() + retry_delay(task);
    ++task.attempt;
    context_.calendar.at(at, [this, t, &task] {
      if (failed_) {  // another task was lost meanwhile
        context_.recorder.lost(task);
        tasks_[t].task = nullptr;
        context_.pool.release(&task);
        --in_flight_;
        settle();
        return;
      }
      ready(t, simgrid::s4u::Engine::get_clock(), &task);
    });
    return;
  }
  context_.recorder.lost(task);
  tasks_[t].task = nullptr;
  context_.pool.release(&task);
  --in_flight_;
  failed_ = true;
  settle();
}

void DagJob::settle()
{
  const double now = simgrid::s4u::Engine::get_clock();
  if (remaining_ == 0) {
    context_.recorder.job_finished(context_.group_index, release_, now, failed_once_);
    context_.job_done(this);
  } else if (failed_ && in_flight_ == 0) {
    // Tasks never released go with the job; they were never submitted.
    context_.recorder.job_lost(context_.group_index);
    context_.job_done(this);
  }
}

}  // namespace leptonsim::sim
