#include "sim/dag_job.hpp"

#include "models/arrivals.hpp"
#include "models/heft.hpp"
#include "models/rng.hpp"

#include <simgrid/s4u/Engine.hpp>

#include "sim/recovery.hpp"

#include <limits>
#include <stdexcept>

namespace leptonsim::sim {

DagJob::DagJob(DagJobContext& context, double release)
    : context_(context), release_(release), remaining_(context.dag.tasks.size())
{
  const auto& dag = context.dag;
  tasks_.resize(dag.tasks.size());
  const auto& device = context.scenario.platform.qpu_spec.device;
  for (size_t t = 0; t < dag.tasks.size(); ++t) {
    const auto& spec     = dag.tasks[t];
    tasks_[t].preds_left = dag.predecessors[t].size();
    if (spec.circuit)
      tasks_[t].quantum_time = models::circuit_job_time(*device, *spec.circuit);
    // A circuit task runs on the QPU host for as long as the device model says.
    tasks_[t].flops = spec.on_qpu && spec.circuit ? tasks_[t].quantum_time * context.qpu_speed
                                                   : models::sample_work(spec.work, context.rng);
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
  if (dag.tasks[t].on_qpu) {
    tasks_[t].on_qpu = true;
    return *context_.scenario.platform.qpu;
  }
  if (!plan_.empty() && !dag.tasks[t].offload)
    return plan_[t];
  if (const auto& party = dag.tasks[t].party) {
    auto& tier = context_.parties[*party];
    return tier.policy->choose(context_.cluster.view(), tier.targets,
                               models::TaskRequest{tasks_[t].flops, 0.0, models::Endpoint::site(group.site)});
  }
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
  if (dag.tasks[t].offload)
    return place_offload(t, request);
  auto& tier = context_.tier(dag.tasks[t].tier);
  return tier.policy->choose(context_.cluster.view(), tier.targets, request);
}

// An offload task goes where its expected finish is earliest: the best classical node (input
// transfer, backlog, flops / speed) or the QPU (transfer, backlog, device time). Both estimates
// use the durations the simulation runs; the circuit's success probability is reported, not
// traded for time (a user who needs N error-free shots asks for N / p of them).
size_t DagJob::place_offload(size_t t, const models::TaskRequest& request)
{
  const auto view = context_.cluster.view();
  auto& tier      = context_.tier(context_.dag.tasks[t].tier);
  double best     = std::numeric_limits<double>::infinity();
  size_t node     = tier.targets.empty() ? 0 : tier.targets.front();
  for (size_t n : tier.targets) {
    const auto& load = view.nodes[n];
    if (!load.up)
      continue;
    const double finish = std::max(view.routes->transfer_time(request.source, models::Endpoint::node(n), request.bytes),
                                   load.backlog()) +
                          tasks_[t].flops / load.speed;
    if (finish < best) {
      best = finish;
      node = n;
    }
  }
  const size_t qpu  = *context_.scenario.platform.qpu;
  const auto& q     = view.nodes[qpu];
  const double on_q = std::max(view.routes->transfer_time(request.source, models::Endpoint::node(qpu), request.bytes),
                               q.backlog()) +
                      tasks_[t].quantum_time;
  if (q.up && on_q < best) {
    tasks_[t].on_qpu = true;
    tasks_[t].flops  = tasks_[t].quantum_time * context_.qpu_speed;
    return qpu;
  }
  tasks_[t].on_qpu = false;
  return node;
}

bool DagJob::converged(size_t t)
{
  const auto& dag = context_.dag;
  if (!dag.tasks[t].converge_check || !dag.convergence)
    return false;
  return models::uniform01(context_.rng) < dag.convergence->probability;
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
  if (tasks_[t].on_qpu && dag.tasks[t].circuit)
    context_.recorder.quantum_job(tasks_[t].quantum_time, models::circuit_success_probability(
                                                              *context_.scenario.platform.qpu_spec.device,
                                                              *dag.tasks[t].circuit));
  if (dag.tasks[t].offload)
    context_.recorder.offload_decision(tasks_[t].on_qpu);
  context_.pool.release(&task);
  --in_flight_;
  --remaining_;
  if (!failed_ && converged(t)) {
    // The loop has converged: the iterations left are not run.
    for (auto& state : tasks_)
      if (!state.done && state.task == nullptr) {
        state.done = true;
        --remaining_;
      }
  }
  if (dag.tasks[t].deadline)
    context_.recorder.task_deadline(context_.group_index, now - release_ > *dag.tasks[t].deadline);
  if (!failed_) {
    for (size_t e : dag.successors[t]) {
      const size_t next = dag.edges[e].to;
      // A converged loop leaves its remaining iterations done without running them.
      if (--tasks_[next].preds_left == 0 && !tasks_[next].done)
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
