#include "sim/stream_driver.hpp"

#include "models/arrivals.hpp"
#include "models/rng.hpp"
#include "sim/dag_job.hpp"
#include "sim/recovery.hpp"

#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <string>

#include <unordered_map>

namespace leptonsim::sim {

class StreamDriver::Group final : public Calendar::Event {
public:
  Group(StreamDriver& driver, const models::Scenario& scenario, size_t index, const SimPlatform& platform,
        Calendar& calendar, Cluster& cluster, Recorder& recorder, TaskPool& pool)
      : driver_(driver)
      , spec_(scenario.workload.groups[index])
      , index_(index)
      , duration_(scenario.workload.duration)
      , gateway_(platform.switches[spec_.site])
      , calendar_(calendar)
      , cluster_(cluster)
      , recorder_(recorder)
      , pool_(pool)
      , rng_(models::make_rng(scenario.seed, "stream:" + spec_.name))
      , work_rng_(models::make_rng(scenario.seed, "work:" + spec_.name))
      , arrivals_(spec_, rng_)
      , policy_(models::make_policy(spec_.policy, cluster.view(), spec_.targets,
                                    models::derive_seed(scenario.seed, "policy:" + spec_.name)))
      , faults_(scenario.faults.enabled)
  {
    if (spec_.dag)
      make_dag_context(scenario, platform);
    if (spec_.privacy.dp)
      releases_.assign(spec_.sensors, 0);
  }

  void make_dag_context(const models::Scenario& scenario, const SimPlatform& platform)
  {
    dag_context_ = std::make_unique<DagJobContext>(
        DagJobContext{scenario, spec_, scenario.workload.dags[*spec_.dag], index_, platform, cluster_, recorder_,
                      pool_, calendar_, work_rng_, [this](const DagJob* job) { dag_job_done(job); },
                      scenario.platform.qpu ? scenario.platform.nodes[*scenario.platform.qpu].speed : 0.0, {}, {}, {}, {}});
    for (size_t n : spec_.targets) {
      dag_context_->any.targets.push_back(n);
      const bool cloud = scenario.platform.nodes[n].kind == models::NodeKind::cloud;
      (cloud ? dag_context_->cloud : dag_context_->edge).targets.push_back(n);
    }
    for (auto* tier : {&dag_context_->any, &dag_context_->edge, &dag_context_->cloud})
      if (!tier->targets.empty())
        tier->policy = models::make_policy(spec_.policy, cluster_.view(), tier->targets,
                                           models::derive_seed(scenario.seed, "policy:" + spec_.name));
    const auto& parties = spec_.privacy.mpc_parties;
    for (size_t p = 0; p < parties.size(); ++p) {
      DagJobContext::Tier tier;
      tier.targets = parties[p];
      tier.policy  = models::make_policy(spec_.policy, cluster_.view(), tier.targets,
                                         models::derive_seed(scenario.seed, "policy:" + spec_.name + ":party" +
                                                                                std::to_string(p)));
      dag_context_->parties.push_back(std::move(tier));
    }
  }

  void start()
  {
    const double first = arrivals_.next();
    if (first < duration_)
      calendar_.at(first, this);
    else
      finish_arrivals();
  }

  // A reading is taken.
  void fire(double time) override
  {
    done_jobs_.clear();
    const uint64_t sensor = arrivals_.sensor();
    recorder_.reading_taken(index_, sensor);
    if (!spec_.privacy.any() || admit(time, sensor)) {
      if (spec_.dag)
        release_job(time);
      else if (spec_.micro_batch)
        add_to_batch(time);
      else
        dispatch(time, nullptr);
    }
    const double next = arrivals_.next();
    if (next < duration_)
      calendar_.at(next, this);
    else
      finish_arrivals();
  }

  void task_done()
  {
    --in_flight_;
    maybe_finished();
  }

  // An execution of a reading's task was lost.
  void task_failed(Task& task)
  {
    if (!may_retry(task)) {
      recorder_.lost(task);
      pool_.release(&task);
      task_done();
      return;
    }
    recorder_.retried(task);
    const double at = simgrid::s4u::Engine::get_clock() + retry_delay(task);
    ++task.attempt;
    calendar_.at(at, [this, &task] { send(task); });
  }

private:
  StreamDriver& driver_;
  const models::SensorGroup& spec_;
  size_t index_;
  double duration_;
  simgrid::s4u::Host* gateway_;
  Calendar& calendar_;
  Cluster& cluster_;
  Recorder& recorder_;
  TaskPool& pool_;
  std::mt19937_64 rng_;       // arrival times and sensors
  std::mt19937_64 work_rng_;  // task sizes
  models::ArrivalProcess arrivals_;
  std::unique_ptr<models::Policy> policy_;
  bool faults_;
  uint64_t in_flight_    = 0;  // tasks, or DAG jobs
  bool arrivals_done_    = false;
  bool reported_done_    = false;
  std::vector<double> batch_;  // times of the readings waiting in the current micro-batch
  uint64_t batch_serial_ = 0;  // identifies the micro-batch a pending timeout belongs to
  std::unique_ptr<DagJobContext> dag_context_;
  std::unordered_map<const DagJob*, std::unique_ptr<DagJob>> jobs_;  // in flight
  std::vector<std::unique_ptr<DagJob>> done_jobs_;                   // finished, deleted at the next event
  std::vector<uint32_t> releases_;  // DP: readings each sensor has released

  // Privacy: a reading leaves its sensor only within the sensor's DP budget ("stop"), or leaves and
  // is counted beyond it ("flag"); an encrypted reading costs its sensor the encryption.
  bool admit(double time, uint64_t sensor)
  {
    StreamPrivacyResult& out = recorder_.group_privacy(index_);
    if (spec_.privacy.dp) {
      const auto& dp  = *spec_.privacy.dp;
      uint32_t& count = releases_[sensor];
      if (count >= dp.releases_allowed) {
        if (out.budget_exhausted_at < 0) {
          out.budget_exhausted_at = time;
          recorder_.milestone("group " + spec_.name + ": a sensor's privacy budget is spent", time);
        }
        if (dp.budget.on_exhausted == models::OnExhausted::stop) {
          ++out.withheld;
          return false;
        }
        ++out.over_budget;
      }
      ++count;
      if (count == dp.releases_allowed)
        ++out.sensors_exhausted;
      out.max_releases = std::max<uint64_t>(out.max_releases, count);
    }
    ++out.released;
    if (const auto& he = spec_.privacy.he)
      out.encrypt_flops += spec_.privacy.plain_bytes / he->value_bytes * he->encrypt_flops;
    return true;
  }

  void finish_arrivals()
  {
    arrivals_done_ = true;  // a partial micro-batch still leaves on its timeout
    maybe_finished();
  }

  void dispatch(double now, std::vector<double>* readings)
  {
    Task* task    = pool_.acquire();
    task->owner   = &driver_;
    task->id      = pool_.next_id();
    task->source  = static_cast<uint32_t>(index_);
    task->kind    = TaskKind::reading;
    task->created = now;
    if (readings) {
      task->readings = readings->size();
      task->reading_times.swap(*readings);
      readings->clear();
    } else {
      task->readings = 1;
    }
    task->flops = 0;
    for (uint64_t r = 0; r < task->readings; ++r)
      task->flops += models::sample_work(spec_.work, work_rng_);
    task->bytes    = spec_.bytes * static_cast<double>(task->readings);
    task->recovery = faults_ ? &spec_.recovery : nullptr;
    recorder_.submitted(*task);
    ++in_flight_;
    send(*task);
  }

  // Places the task and sends it (again, for a retry).
  void send(Task& task)
  {
    if (faults_ && !cluster_.any_up(spec_.targets)) {
      // Every target is known to be down.
      if (task.attempt == 0 && !may_retry(task)) {
        recorder_.rejected(task);
        pool_.release(&task);
        task_done();
      } else {
        task_failed(task);
      }
      return;
    }
    const models::TaskRequest request{task.flops, task.bytes, models::Endpoint::site(spec_.site)};
    task.node = static_cast<uint32_t>(policy_->choose(cluster_.view(), spec_.targets, request));
    if (faults_ && spec_.recovery.strategy == models::RecoveryStrategy::replicate) {
      const auto extra = replica_nodes(task);
      cluster_.dispatch_replicas(task, extra, gateway_);
      return;
    }
    cluster_.dispatch(task, gateway_, /*send=*/true);
  }

  // Further nodes for the copies of a replicated task: the least loaded of the targets still up,
  // other than the ones already chosen.
  std::vector<size_t> replica_nodes(const Task& task)
  {
    const auto view = cluster_.view();
    std::vector<size_t> chosen{task.node};
    for (int c = 1; c < spec_.recovery.copies; ++c) {
      size_t best        = view.nodes.size();
      double best_finish = 0;
      for (size_t n : spec_.targets) {
        if (!view.nodes[n].up || std::find(chosen.begin(), chosen.end(), n) != chosen.end())
          continue;
        const double finish = (view.nodes[n].queued_flops + task.flops) / view.nodes[n].capacity;
        if (best == view.nodes.size() || finish < best_finish) {
          best        = n;
          best_finish = finish;
        }
      }
      if (best == view.nodes.size())
        break;  // fewer live targets than copies
      chosen.push_back(best);
    }
    return {chosen.begin() + 1, chosen.end()};
  }

  void release_job(double now)
  {
    ++in_flight_;
    auto job       = std::make_unique<DagJob>(*dag_context_, now);
    DagJob* handle = job.get();
    jobs_.emplace(handle, std::move(job));
    handle->start();
  }

  // Called from inside the finished job: move it aside, delete it at the next event.
  void dag_job_done(const DagJob* job)
  {
    auto it = jobs_.find(job);
    done_jobs_.push_back(std::move(it->second));
    jobs_.erase(it);
    task_done();
  }

  void add_to_batch(double now)
  {
    batch_.push_back(now);
    if (batch_.size() >= spec_.micro_batch->size) {
      flush_batch(now);
      return;
    }
    if (batch_.size() == 1) {
      const uint64_t serial = batch_serial_;
      const double deadline = now + spec_.micro_batch->max_wait;
      calendar_.at(deadline, [this, serial, deadline] {
        if (serial != batch_serial_)
          return;  // that batch filled up and left already
        flush_batch(deadline);
        maybe_finished();
      });
    }
  }

  void flush_batch(double now)
  {
    ++batch_serial_;
    dispatch(now, &batch_);
  }

  void maybe_finished()
  {
    if (arrivals_done_ && batch_.empty() && in_flight_ == 0 && !reported_done_) {
      reported_done_ = true;
      driver_.group_finished();
    }
  }
};

StreamDriver::StreamDriver(const models::Scenario& scenario, const SimPlatform& platform, Calendar& calendar,
                           Cluster& cluster, Recorder& recorder, TaskPool& pool, std::function<void()> on_done)
    : pool_(pool), on_done_(std::move(on_done))
{
  const auto& groups = scenario.workload.groups;
  for (size_t g = 0; g < groups.size(); ++g)
    groups_.push_back(std::make_unique<Group>(*this, scenario, g, platform, calendar, cluster, recorder, pool));
  active_groups_ = groups_.size();
}

StreamDriver::~StreamDriver() = default;

void StreamDriver::start()
{
  for (auto& g : groups_)
    g->start();
}

void StreamDriver::task_done(Task& task)
{
  Group& group = *groups_[task.source];
  pool_.release(&task);
  group.task_done();
}

void StreamDriver::task_failed(Task& task)
{
  groups_[task.source]->task_failed(task);
}

}  // namespace leptonsim::sim
