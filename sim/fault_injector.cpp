#include "sim/fault_injector.hpp"

#include "models/rng.hpp"

#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>

namespace leptonsim::sim {

// One target's alternating up and down times.
class FaultInjector::RandomCycle final : public Calendar::Event {
public:
  RandomCycle(FaultInjector& injector, const models::RandomFaults& spec, const models::FaultTarget& target,
              uint64_t seed)
      : injector_(injector), spec_(spec), target_(target), rng_(models::make_rng(seed, "faults:" + target.name))
  {
  }
  void start() { injector_.calendar_.at(models::draw_uptime(spec_, rng_), this); }
  void fire(double time) override
  {
    if (!down_ && injector_.done_)
      return;  // the work is over: no more failures
    down_ = !down_;
    injector_.apply(target_, down_);
    injector_.calendar_.at(time + (down_ ? models::draw_repair(spec_, rng_) : models::draw_uptime(spec_, rng_)), this);
  }

private:
  FaultInjector& injector_;
  const models::RandomFaults& spec_;
  models::FaultTarget target_;
  std::mt19937_64 rng_;
  bool down_ = false;
};

FaultInjector::FaultInjector(const models::Scenario& scenario, const SimPlatform& platform, Calendar& calendar,
                             Cluster& cluster, Recorder& recorder, const bool& workload_done)
    : scenario_(scenario)
    , platform_(platform)
    , calendar_(calendar)
    , cluster_(cluster)
    , recorder_(recorder)
    , done_(workload_done)
    , node_causes_(scenario.platform.nodes.size(), 0)
    , access_causes_(scenario.platform.nodes.size(), 0)
    , backbone_causes_(scenario.platform.links.size(), 0)
    , node_down_since_(scenario.platform.nodes.size(), -1.0)
{
  for (const auto& random : scenario.faults.random)
    for (const auto& target : random.targets)
      cycles_.push_back(std::make_unique<RandomCycle>(*this, random, target, scenario.seed));
}

FaultInjector::~FaultInjector() = default;

void FaultInjector::start()
{
  // Events planned after the work is over no longer matter.
  for (const auto& e : scenario_.faults.events) {
    calendar_.at(e.down, [this, &e] {
      if (!done_)
        apply(e.target, true);
    });
    if (e.up)
      calendar_.at(*e.up, [this, &e] {
        if (!done_)
          apply(e.target, false);
      });
  }
  for (auto& cycle : cycles_)
    cycle->start();
}

void FaultInjector::apply(const models::FaultTarget& target, bool down)
{
  using Kind = models::FaultTarget::Kind;
  switch (target.kind) {
    case Kind::node:
      node(target.index, down);
      break;
    case Kind::access_link:
      access_link(target.index, down);
      break;
    case Kind::backbone_link:
      backbone_link(target.index, down);
      break;
    case Kind::site:
      // A power outage: every node of the site and its access link.
      for (size_t n = 0; n < scenario_.platform.nodes.size(); ++n) {
        if (scenario_.platform.nodes[n].site != target.index)
          continue;
        node(n, down);
        access_link(n, down);
      }
      break;
  }
}

void FaultInjector::node(size_t index, bool down)
{
  const double now = simgrid::s4u::Engine::get_clock();
  int& causes      = node_causes_[index];
  if (down) {
    if (causes++ > 0)
      return;
    node_down_since_[index] = now;
    recorder_.node_down(index, now);
    cluster_.node_failed(index);
  } else {
    if (causes == 0 || --causes > 0)
      return;
    node_down_since_[index] = -1.0;
    recorder_.node_up(index, now);
    cluster_.node_repaired(index);
  }
}

namespace {
void switch_link(simgrid::s4u::Link* link, bool down)
{
  if (!link)
    return;  // a node of a SimGrid XML platform: leptonsim does not know its links
  if (down)
    link->turn_off();
  else
    link->turn_on();
}
}  // namespace

void FaultInjector::access_link(size_t index, bool down)
{
  int& causes = access_causes_[index];
  if (down ? causes++ > 0 : (causes == 0 || --causes > 0))
    return;
  if (down)
    recorder_.link_failed();
  switch_link(platform_.access[index], down);
}

void FaultInjector::backbone_link(size_t index, bool down)
{
  int& causes = backbone_causes_[index];
  if (down ? causes++ > 0 : (causes == 0 || --causes > 0))
    return;
  if (down)
    recorder_.link_failed();
  switch_link(platform_.backbone[index], down);
}

// One node's heartbeats and the switch's view of them.
class FailureDetector::Monitor final : public Calendar::Event, public ActivityWaiter {
public:
  Monitor(size_t node, const models::Detection& detection, simgrid::s4u::Host* host, simgrid::s4u::Host* sw,
          Calendar& calendar, Cluster& cluster, Recorder& recorder, const FaultInjector& injector, const bool& done)
      : node_(node)
      , detection_(detection)
      , host_(host)
      , switch_(sw)
      , calendar_(calendar)
      , cluster_(cluster)
      , recorder_(recorder)
      , injector_(injector)
      , done_(done)
  {
  }

  void start(double phase)
  {
    calendar_.at(phase, this);
    // A node that dies before its first heartbeat is still noticed.
    calendar_.at(detection_.timeout, [this] { check(0.0); });
  }

  // Time to send a heartbeat (if the node is alive) and to schedule the next.
  void fire(double time) override
  {
    if (done_)
      return;
    if (cluster_.alive(node_) && !cluster_.activities().in_flight(*this)) {
      sent_boot_ = cluster_.boot_count(node_);
      cluster_.activities().transfer(host_, switch_, 0, *this);
    }
    calendar_.at(time + detection_.period, this);
  }

  // A heartbeat arrived at the switch (or was lost on the way).
  void activity_ended(bool ok) override
  {
    if (!ok || done_)
      return;
    const double now = simgrid::s4u::Engine::get_clock();
    last_heard_      = now;
    const bool rebooted = sent_boot_ != heard_boot_;
    heard_boot_ = sent_boot_;
    if (declared_down_ || rebooted) {
      if (rebooted && !declared_down_) {  // the failure came and went between two timeouts
        note_detection(now);
        recorder_.node_declared(node_, /*down=*/true, now);
      }
      declared_down_ = false;
      recorder_.node_declared(node_, /*down=*/false, now);
      cluster_.node_declared_up(node_);
    } else {
      cluster_.heard_from(node_);
    }
    const double heard = now;
    calendar_.at(now + detection_.timeout, [this, heard] { check(heard); });
  }

private:
  size_t node_;
  const models::Detection& detection_;
  simgrid::s4u::Host* host_;
  simgrid::s4u::Host* switch_;
  Calendar& calendar_;
  Cluster& cluster_;
  Recorder& recorder_;
  const FaultInjector& injector_;
  const bool& done_;
  double last_heard_    = 0;
  bool declared_down_   = false;
  uint64_t sent_boot_   = 0;
  uint64_t heard_boot_  = 0;
  double last_failure_noted_ = -1;

  void check(double heard)
  {
    if (done_ || declared_down_ || last_heard_ != heard)
      return;  // heard from since, or already down
    declared_down_   = true;
    const double now = simgrid::s4u::Engine::get_clock();
    note_detection(now);
    recorder_.node_declared(node_, /*down=*/true, now);
    cluster_.node_declared_down(node_);
  }

  void note_detection(double now)
  {
    // Only a real failure of the node has a detection delay; a cut link is a false alarm.
    const double since = injector_.down_since(node_);
    if (since >= 0 && since != last_failure_noted_) {
      last_failure_noted_ = since;
      recorder_.detected(now - since);
    }
  }
};

FailureDetector::FailureDetector(const models::Scenario& scenario, const SimPlatform& platform, Calendar& calendar,
                                 Cluster& cluster, Recorder& recorder, const FaultInjector& injector,
                                 const bool& workload_done)
{
  const auto& nodes = scenario.platform.nodes;
  for (size_t n = 0; n < nodes.size(); ++n)
    monitors_.push_back(std::make_unique<Monitor>(n, scenario.faults.detection, platform.nodes[n],
                                                  platform.switches[nodes[n].site], calendar, cluster, recorder,
                                                  injector, workload_done));
  period_ = scenario.faults.detection.period;
}

FailureDetector::~FailureDetector() = default;

void FailureDetector::start()
{
  // Heartbeats are spread over the period rather than sent all at once.
  for (size_t n = 0; n < monitors_.size(); ++n)
    monitors_[n]->start(period_ * static_cast<double>(n) / static_cast<double>(monitors_.size()));
}

}  // namespace leptonsim::sim
