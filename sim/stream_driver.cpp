#include "sim/stream_driver.hpp"

#include "models/rng.hpp"

#include <cmath>

namespace leptonsim::sim {

class StreamDriver::Group final : public Calendar::Event {
public:
  Group(StreamDriver& driver, const models::Scenario& scenario, size_t index, const SimPlatform& platform,
        Calendar& calendar, Cluster& cluster, Recorder& recorder, TaskPool& pool)
      : driver_(driver)
      , spec_(scenario.workload.stream.groups[index])
      , index_(index)
      , duration_(scenario.workload.stream.duration)
      , gateway_(platform.switches[spec_.site])
      , calendar_(calendar)
      , cluster_(cluster)
      , recorder_(recorder)
      , pool_(pool)
      , rng_(models::make_rng(scenario.seed, "stream:" + spec_.name))
      , policy_(models::make_policy(spec_.policy, cluster.view(), spec_.targets))
      , slot_(spec_.period / static_cast<double>(spec_.sensors))
  {
  }

  void start()
  {
    const double first = next_time();
    if (first < duration_)
      calendar_.at(first, this);
    else
      driver_.group_finished();
  }

  // A reading is taken.
  void fire(double time) override
  {
    const uint64_t sensor = spec_.arrival == models::ArrivalKind::periodic
                                ? taken_ % spec_.sensors
                                : static_cast<uint64_t>((static_cast<unsigned __int128>(rng_()) * spec_.sensors) >> 64);
    ++taken_;
    recorder_.reading_taken(index_, sensor);
    if (spec_.micro_batch)
      add_to_batch(time);
    else
      dispatch(time, nullptr);
    const double next = next_time();
    if (next < duration_) {
      calendar_.at(next, this);
    } else {
      arrivals_done_ = true;  // a partial micro-batch still leaves on its timeout
      maybe_finished();
    }
  }

  void task_done() { --in_flight_; maybe_finished(); }

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
  std::mt19937_64 rng_;
  std::unique_ptr<models::Policy> policy_;
  double slot_;             // periodic: time between two consecutive sensors' readings
  uint64_t taken_ = 0;      // readings taken so far
  double poisson_time_ = 0;
  uint64_t in_flight_ = 0;
  bool arrivals_done_ = false;
  bool reported_done_ = false;
  std::vector<double> batch_;   // times of the readings waiting in the current micro-batch
  uint64_t batch_serial_ = 0;  // identifies the micro-batch a pending timeout belongs to

  double next_time()
  {
    if (spec_.arrival == models::ArrivalKind::periodic) {
      const double offset = spec_.jitter > 0 ? spec_.jitter * models::uniform01(rng_) : 0.0;
      return (static_cast<double>(taken_) + offset) * slot_;
    }
    poisson_time_ += models::exponential(rng_, spec_.rate());
    return poisson_time_;
  }

  void dispatch(double now, std::vector<double>* readings)
  {
    Task* task   = pool_.acquire();
    task->owner  = &driver_;
    task->id     = pool_.next_id();
    task->source = static_cast<uint32_t>(index_);
    task->kind   = TaskKind::reading;
    task->created = now;
    if (readings) {
      task->readings = readings->size();
      task->reading_times.swap(*readings);
      readings->clear();
    } else {
      task->readings = 1;
    }
    task->flops = spec_.flops * static_cast<double>(task->readings);
    task->bytes = spec_.bytes * static_cast<double>(task->readings);
    const models::TaskRequest request{task->flops, task->bytes, spec_.site};
    task->node = static_cast<uint32_t>(policy_->choose(cluster_.view(), spec_.targets, request));
    ++in_flight_;
    cluster_.dispatch(*task, gateway_, /*send=*/true);
  }

  void add_to_batch(double now)
  {
    batch_.push_back(now);
    if (batch_.size() >= spec_.micro_batch->size) {
      flush_batch(now);
      return;
    }
    if (batch_.size() == 1) {
      const uint64_t serial  = batch_serial_;
      const double deadline  = now + spec_.micro_batch->max_wait;
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
  const auto& groups = scenario.workload.stream.groups;
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

}  // namespace leptonsim::sim
