#include "sim/batch_driver.hpp"

#include "models/policy.hpp"
#include "models/rng.hpp"
#include "sim/recovery.hpp"

#include <simgrid/s4u/Engine.hpp>

#include <map>
#include <stdexcept>

namespace leptonsim::sim {

class BatchDriver::Job final : public Calendar::Event {
public:
  Job(BatchDriver& driver, const models::Scenario& scenario, const models::Topology& topology, size_t index,
      const SimPlatform& platform, Calendar& calendar, Cluster& cluster, Recorder& recorder, TaskPool& pool,
      JobResult& result)
      : driver_(driver)
      , scenario_(scenario)
      , topology_(topology)
      , spec_(scenario.workload.jobs[index])
      , index_(index)
      , source_(platform.switches[spec_.source])
      , calendar_(calendar)
      , cluster_(cluster)
      , recorder_(recorder)
      , pool_(pool)
      , result_(result)
      , chunk_flops_(spec_.chunk_units() * spec_.flops_per_unit)
      , piece_flops_(chunk_flops_ / (spec_.rounds + 1))
      , chunk_bytes_(spec_.chunk_units() * spec_.bytes_per_unit)
      , faults_(scenario.faults.enabled)
  {
  }

  // The job starts: deal the chunks, then ship their inputs or start phase 0.
  void fire(double time) override
  {
    result_.start = time;
    recorder_.milestone("job " + spec_.name + " starts", time);
    policy_       = models::make_policy(spec_.policy, cluster_.view(), spec_.nodes,
                                        models::derive_seed(scenario_.seed, "job:" + spec_.name));
    std::map<size_t, size_t> position;
    for (size_t i = 0; i < spec_.nodes.size(); ++i)
      position[spec_.nodes[i]] = i;
    const models::TaskRequest request{chunk_flops_, chunk_bytes_, models::Endpoint::site(spec_.source)};
    for (uint64_t c = 0; c < spec_.chunks; ++c) {
      const size_t node = policy_->choose(cluster_.view(), spec_.nodes, request);
      cluster_.commit(node, chunk_flops_);
      ++result_.chunks_per_node[position[node]];
    }
    for (size_t i = 0; i < spec_.nodes.size(); ++i) {
      if (result_.chunks_per_node[i] == 0)
        continue;
      const size_t pi = participants_.size();
      Participant p;
      p.node   = spec_.nodes[i];
      p.chunks = result_.chunks_per_node[i];
      p.report = std::make_unique<Message>(*this, pi, true);
      p.answer = std::make_unique<Message>(*this, pi, false);
      participants_.push_back(std::move(p));
    }
    result_.participants = participants_.size();
    finished_in_phase_.assign(static_cast<size_t>(spec_.rounds) + 1, 0);
    for (size_t pi = 0; pi < participants_.size(); ++pi)
      release_phase(pi, time, /*ship_inputs=*/chunk_bytes_ > 0);
  }

  double start_time() const { return spec_.start; }

  void task_done(Task& task)
  {
    const size_t pi = task.slot;
    Participant& p  = participants_[pi];
    ++result_.pieces_completed;
    pool_.release(&task);
    --in_flight_;
    if (--p.pieces_left > 0 || failed_) {
      settle();
      return;
    }
    const double now     = simgrid::s4u::Engine::get_clock();
    const uint32_t phase = p.phase;
    const bool last_to_finish = ++finished_in_phase_[phase] == participants_.size();
    if (phase == static_cast<uint32_t>(spec_.rounds)) {
      if (last_to_finish)
        complete(now);
      return;
    }
    if (last_to_finish)
      round_started_ = now;  // the round cannot end before its slowest node has reported
    send(pi, /*to_coordinator=*/true);
  }

  // A piece's execution (or its input) was lost.
  void task_failed(Task& task)
  {
    if (failed_ || !may_retry(task)) {
      recorder_.lost(task);
      pool_.release(&task);
      --in_flight_;
      fail();
      return;
    }
    recorder_.retried(task);
    const double at = simgrid::s4u::Engine::get_clock() + retry_delay(task);
    ++task.attempt;
    calendar_.at(at, [this, &task] { resend(task); });
  }

private:
  // A sharing-round message, to the coordinator (gather) or back to a participant (broadcast).
  class Message final : public ActivityWaiter {
  public:
    Message(Job& job, size_t participant, bool to_coordinator)
        : job_(job), participant_(participant), to_coordinator_(to_coordinator)
    {
    }
    void activity_ended(bool ok) override { job_.message_arrived(*this, ok); }
    void sending(uint32_t round, double now)
    {
      round_ = round;
      sent_  = now;
    }
    size_t participant() const { return participant_; }
    bool to_coordinator() const { return to_coordinator_; }
    uint32_t round() const { return round_; }
    double sent() const { return sent_; }
    int attempts = 0;

  private:
    Job& job_;
    size_t participant_;
    bool to_coordinator_;
    uint32_t round_ = 0;
    double sent_    = 0;
  };

  struct Participant {
    size_t node = 0;  // moves when a piece has to be re-run elsewhere
    uint64_t chunks = 0;
    uint64_t pieces_left = 0;
    uint32_t phase = 0;
    std::unique_ptr<Message> report;  // to the coordinator; at most one in flight
    std::unique_ptr<Message> answer;  // from the coordinator
  };

  BatchDriver& driver_;
  const models::Scenario& scenario_;
  const models::Topology& topology_;
  const models::BatchJob& spec_;
  size_t index_;
  simgrid::s4u::Host* source_;
  Calendar& calendar_;
  Cluster& cluster_;
  Recorder& recorder_;
  TaskPool& pool_;
  JobResult& result_;
  double chunk_flops_;
  double piece_flops_;
  double chunk_bytes_;
  bool faults_;
  std::unique_ptr<models::Policy> policy_;
  std::vector<Participant> participants_;
  std::vector<size_t> finished_in_phase_;  // participants done with each phase
  size_t gathered_  = 0;                   // reports received in the current round
  size_t answered_  = 0;                   // answers delivered in the current round
  double round_started_  = 0;
  double round_time_sum_ = 0;
  size_t in_flight_ = 0;   // pieces and messages under way
  bool failed_      = false;
  bool reported_    = false;

  void release_phase(size_t pi, double now, bool ship_inputs)
  {
    Participant& p = participants_[pi];
    p.pieces_left  = p.chunks;
    for (uint64_t c = 0; c < p.chunks; ++c) {
      Task* task     = pool_.acquire();
      task->owner    = &driver_;
      task->id       = pool_.next_id();
      task->source   = static_cast<uint32_t>(index_);
      task->slot     = static_cast<uint32_t>(pi);
      task->node     = static_cast<uint32_t>(p.node);
      task->phase    = p.phase;
      task->kind     = TaskKind::piece;
      task->created  = now;
      task->flops    = piece_flops_;
      task->bytes    = ship_inputs ? chunk_bytes_ : 0.0;
      task->recovery = faults_ ? &spec_.recovery : nullptr;
      recorder_.submitted(*task);
      ++in_flight_;
      cluster_.dispatch(*task, source_, ship_inputs, /*committed=*/true);
    }
  }

  // A retried piece: on its participant's node if that is still up, else the participant moves to
  // a node the policy picks among those up, and the piece's chunk data is fetched again.
  void resend(Task& task)
  {
    if (failed_) {
      recorder_.lost(task);
      pool_.release(&task);
      --in_flight_;
      settle();
      return;
    }
    Participant& p = participants_[task.slot];
    if (!cluster_.view().nodes[p.node].up) {
      if (!cluster_.any_up(spec_.nodes)) {
        task_failed(task);
        return;
      }
      const models::TaskRequest request{task.flops, chunk_bytes_, models::Endpoint::site(spec_.source)};
      p.node = policy_->choose(cluster_.view(), spec_.nodes, request);
    }
    task.node  = static_cast<uint32_t>(p.node);
    task.bytes = chunk_bytes_;
    cluster_.dispatch(task, source_, /*send=*/chunk_bytes_ > 0);
  }

  void send(size_t pi, bool to_coordinator)
  {
    Participant& p = participants_[pi];
    Message& m     = to_coordinator ? *p.report : *p.answer;
    auto* node     = cluster_.host(p.node);
    m.sending(p.phase + 1, simgrid::s4u::Engine::get_clock());  // the round after phase p
    ++in_flight_;
    cluster_.activities().transfer(to_coordinator ? node : source_, to_coordinator ? source_ : node,
                                   spec_.round_bytes, m);
  }

  void message_arrived(Message& m, bool ok)
  {
    --in_flight_;
    if (!ok) {
      // A participant or a link is down: try again later, a bounded number of times.
      if (failed_ || !faults_ || spec_.recovery.strategy == models::RecoveryStrategy::none ||
          m.attempts + 1 >= spec_.recovery.max_attempts) {
        fail();
        return;
      }
      const double delay = spec_.recovery.backoff * std::ldexp(1.0, m.attempts++);
      ++in_flight_;
      calendar_.at(simgrid::s4u::Engine::get_clock() + delay, [this, &m] {
        --in_flight_;
        if (failed_) {
          settle();
          return;
        }
        send(m.participant(), m.to_coordinator());
      });
      return;
    }
    m.attempts = 0;
    if (failed_) {
      settle();
      return;
    }
    const double now = simgrid::s4u::Engine::get_clock();
    recorder_.message_delivered(MessageRecord{index_, participants_[m.participant()].node, m.to_coordinator(),
                                              m.round(), spec_.round_bytes, m.sent()});
    if (m.to_coordinator()) {
      if (++gathered_ < participants_.size())
        return;
      gathered_ = 0;  // every node has reported: answer each of them
      for (size_t pi = 0; pi < participants_.size(); ++pi)
        send(pi, /*to_coordinator=*/false);
      return;
    }
    Participant& p = participants_[m.participant()];
    if (++answered_ == participants_.size()) {
      answered_ = 0;
      round_time_sum_ += now - round_started_;
    }
    // A node starts its next phase as soon as its own answer is in.
    ++p.phase;
    release_phase(m.participant(), now, /*ship_inputs=*/false);
  }

  void fail()
  {
    failed_ = true;
    settle();
  }

  // Once nothing of a failed job is under way any more, it ends.
  void settle()
  {
    if (!failed_ || in_flight_ > 0 || reported_)
      return;
    reported_       = true;
    result_.failed  = true;
    result_.end     = simgrid::s4u::Engine::get_clock();
    result_.makespan = result_.end - result_.start;
    result_.prediction = models::predict_batch(scenario_, topology_, models::network_params(scenario_.network), spec_,
                                               result_.chunks_per_node);
    recorder_.batch_job_lost();
    driver_.job_finished();
  }

  void complete(double now)
  {
    reported_            = true;
    result_.end          = now;
    result_.makespan     = now - result_.start;
    recorder_.milestone("job " + spec_.name + " ends", now);
    result_.eta_measured = spec_.rounds > 0 ? round_time_sum_ / spec_.rounds : 0.0;
    result_.prediction   = models::predict_batch(scenario_, topology_, models::network_params(scenario_.network),
                                                 spec_, result_.chunks_per_node);
    driver_.job_finished();
  }
};

BatchDriver::BatchDriver(const models::Scenario& scenario, const models::Topology& topology,
                         const SimPlatform& platform, Calendar& calendar, Cluster& cluster, Recorder& recorder,
                         TaskPool& pool, RunResult& result, std::function<void()> on_done)
    : calendar_(calendar), on_done_(std::move(on_done))
{
  const auto& jobs = scenario.workload.jobs;
  for (size_t j = 0; j < jobs.size(); ++j)
    jobs_.push_back(std::make_unique<Job>(*this, scenario, topology, j, platform, calendar, cluster, recorder, pool,
                                          result.jobs[j]));
  active_jobs_ = jobs_.size();
}

BatchDriver::~BatchDriver() = default;

void BatchDriver::start()
{
  for (auto& job : jobs_)
    calendar_.at(job->start_time(), job.get());
}

void BatchDriver::task_done(Task& task)
{
  jobs_[task.source]->task_done(task);
}

void BatchDriver::task_failed(Task& task)
{
  jobs_[task.source]->task_failed(task);
}

}  // namespace leptonsim::sim
