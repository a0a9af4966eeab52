#include "sim/batch_driver.hpp"

#include "models/policy.hpp"

#include <simgrid/s4u/Engine.hpp>

#include <map>
#include <stdexcept>

namespace leptonsim::sim {

class BatchDriver::Job final : public Calendar::Event {
public:
  Job(BatchDriver& driver, const models::Scenario& scenario, const models::Topology& topology, size_t index,
      const SimPlatform& platform, Cluster& cluster, Recorder& recorder, TaskPool& pool, JobResult& result)
      : driver_(driver)
      , scenario_(scenario)
      , topology_(topology)
      , spec_(scenario.workload.batch.jobs[index])
      , index_(index)
      , platform_(platform)
      , source_(platform.switches[spec_.source])
      , cluster_(cluster)
      , recorder_(recorder)
      , pool_(pool)
      , result_(result)
      , chunk_flops_(spec_.chunk_units() * spec_.flops_per_unit)
      , piece_flops_(chunk_flops_ / (spec_.rounds + 1))
      , chunk_bytes_(spec_.chunk_units() * spec_.bytes_per_unit)
  {
  }

  // The job starts: deal the chunks, then ship their inputs or start phase 0.
  void fire(double time) override
  {
    result_.start = time;
    recorder_.milestone("job " + spec_.name + " starts", time);
    auto policy   = models::make_policy(spec_.policy, cluster_.view(), spec_.nodes);
    std::map<size_t, size_t> position;
    for (size_t i = 0; i < spec_.nodes.size(); ++i)
      position[spec_.nodes[i]] = i;
    const models::TaskRequest request{chunk_flops_, chunk_bytes_, spec_.source};
    for (uint64_t c = 0; c < spec_.chunks; ++c) {
      const size_t node = policy->choose(cluster_.view(), spec_.nodes, request);
      cluster_.commit(node, chunk_flops_);
      ++result_.chunks_per_node[position[node]];
    }
    for (size_t i = 0; i < spec_.nodes.size(); ++i) {
      if (result_.chunks_per_node[i] == 0)
        continue;
      Participant p;
      p.node   = spec_.nodes[i];
      p.chunks = result_.chunks_per_node[i];
      p.report = std::make_unique<Message>(*this, p.node, true);
      p.answer = std::make_unique<Message>(*this, p.node, false);
      participants_.push_back(std::move(p));
    }
    result_.participants = participants_.size();
    finished_in_phase_.assign(static_cast<size_t>(spec_.rounds) + 1, 0);
    for (size_t pi = 0; pi < participants_.size(); ++pi) {
      participant_of_[participants_[pi].node] = pi;
      release_phase(participants_[pi], time, /*ship_inputs=*/chunk_bytes_ > 0);
    }
  }

  double start_time() const { return spec_.start; }

  void task_done(Task& task)
  {
    Participant& p = participants_[participant_of_.at(task.node)];
    ++result_.pieces_completed;
    pool_.release(&task);
    if (--p.pieces_left > 0)
      return;
    const double now = simgrid::s4u::Engine::get_clock();
    const uint32_t phase = p.phase;
    const bool last_to_finish = ++finished_in_phase_[phase] == participants_.size();
    if (phase == static_cast<uint32_t>(spec_.rounds)) {
      if (last_to_finish)
        complete(now);
      return;
    }
    if (last_to_finish)
      round_started_ = now;  // the round cannot end before its slowest node has reported
    send(p, /*to_coordinator=*/true);
  }

private:
  // A sharing-round message, to the coordinator (gather) or back to a node (broadcast).
  class Message final : public ActivityWaiter {
  public:
    Message(Job& job, size_t node, bool to_coordinator) : job_(job), node_(node), to_coordinator_(to_coordinator) {}
    void activity_ended(bool ok) override { job_.message_arrived(*this, ok); }
    void sending(uint32_t round, double now)
    {
      round_ = round;
      sent_  = now;
    }
    size_t node() const { return node_; }
    bool to_coordinator() const { return to_coordinator_; }
    uint32_t round() const { return round_; }
    double sent() const { return sent_; }

  private:
    Job& job_;
    size_t node_;
    bool to_coordinator_;
    uint32_t round_ = 0;
    double sent_    = 0;
  };

  struct Participant {
    size_t node = 0;
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
  const SimPlatform& platform_;
  simgrid::s4u::Host* source_;
  Cluster& cluster_;
  Recorder& recorder_;
  TaskPool& pool_;
  JobResult& result_;
  double chunk_flops_;
  double piece_flops_;
  double chunk_bytes_;
  std::vector<Participant> participants_;
  std::map<size_t, size_t> participant_of_;     // node index -> position in participants_
  std::vector<size_t> finished_in_phase_;       // participants done with each phase
  size_t gathered_  = 0;                        // reports received in the current round
  size_t answered_  = 0;                        // answers delivered in the current round
  double round_started_  = 0;
  double round_time_sum_ = 0;

  void release_phase(Participant& p, double now, bool ship_inputs)
  {
    p.pieces_left = p.chunks;
    for (uint64_t c = 0; c < p.chunks; ++c) {
      Task* task    = pool_.acquire();
      task->owner   = &driver_;
      task->id      = pool_.next_id();
      task->source  = static_cast<uint32_t>(index_);
      task->node    = static_cast<uint32_t>(p.node);
      task->phase   = p.phase;
      task->kind    = TaskKind::piece;
      task->created = now;
      task->flops   = piece_flops_;
      task->bytes   = ship_inputs ? chunk_bytes_ : 0.0;
      cluster_.dispatch(*task, source_, ship_inputs, /*committed=*/true);
    }
  }

  void send(Participant& p, bool to_coordinator)
  {
    auto* from       = to_coordinator ? platform_.nodes[p.node] : source_;
    auto* to         = to_coordinator ? source_ : platform_.nodes[p.node];
    Message& message = to_coordinator ? *p.report : *p.answer;
    message.sending(p.phase + 1, simgrid::s4u::Engine::get_clock());  // the round after phase p
    cluster_.activities().transfer(from, to, spec_.round_bytes, message);
  }

  void message_arrived(const Message& m, bool ok)
  {
    if (!ok)
      throw std::logic_error("a sharing-round message failed, but this scenario has no failures");
    const double now = simgrid::s4u::Engine::get_clock();
    recorder_.message_delivered(
        MessageRecord{index_, m.node(), m.to_coordinator(), m.round(), spec_.round_bytes, m.sent()});
    if (m.to_coordinator()) {
      if (++gathered_ < participants_.size())
        return;
      gathered_ = 0;  // every node has reported: answer each of them
      for (auto& p : participants_)
        send(p, /*to_coordinator=*/false);
      return;
    }
    if (++answered_ == participants_.size()) {
      answered_ = 0;
      round_time_sum_ += now - round_started_;
    }
    // A node starts its next phase as soon as its own answer is in.
    Participant& p = participants_[participant_of_.at(m.node())];
    ++p.phase;
    release_phase(p, now, /*ship_inputs=*/false);
  }

  void complete(double now)
  {
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
    : calendar_(calendar), pool_(pool), on_done_(std::move(on_done))
{
  const auto& jobs = scenario.workload.batch.jobs;
  for (size_t j = 0; j < jobs.size(); ++j)
    jobs_.push_back(
        std::make_unique<Job>(*this, scenario, topology, j, platform, cluster, recorder, pool, result.jobs[j]));
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

}  // namespace leptonsim::sim
