// Failures as they happen: explicit down/up events and random up/down cycles drawn from each
// target's MTBF and MTTR, applied with SimGrid's own host and link on/off. An element taken down
// by two causes at once (its own failure and its site's outage) comes back when both have ended.
// Random failures stop being drawn once the workload is done, so that they do not keep the
// simulation running.
#pragma once

#include "models/faults.hpp"
#include "models/scenario.hpp"
#include "sim/calendar.hpp"
#include "sim/cluster.hpp"
#include "sim/recorder.hpp"

#include <simgrid/forward.h>

#include <memory>
#include <random>
#include <vector>

namespace leptonsim::sim {

class FaultInjector {
public:
  FaultInjector(const models::Scenario& scenario, const SimPlatform& platform, Calendar& calendar, Cluster& cluster,
                Recorder& recorder, const bool& workload_done);
  ~FaultInjector();
  void start();

  // When the node's host last went off (for detection delays); negative if it is up.
  double down_since(size_t node) const { return node_down_since_[node]; }

private:
  class RandomCycle;
  const models::Scenario& scenario_;
  const SimPlatform& platform_;
  Calendar& calendar_;
  Cluster& cluster_;
  Recorder& recorder_;
  const bool& done_;
  std::vector<int> node_causes_;        // how many failures hold each node down
  std::vector<int> access_causes_;      // each node's access link
  std::vector<int> backbone_causes_;    // each backbone link
  std::vector<double> node_down_since_;
  std::vector<std::unique_ptr<RandomCycle>> cycles_;

  void apply(const models::FaultTarget& target, bool down);
  void node(size_t index, bool down);
  void access_link(size_t index, bool down);
  void backbone_link(size_t index, bool down);
};

// Heartbeats: every node sends a small message to its site's switch each period; a node whose
// heartbeats stop for the timeout is declared down, and declared up again when they resume (at
// once when it has rebooted in between). The delay between a failure and its detection is thus
// simulated, not assumed.
class FailureDetector {
public:
  FailureDetector(const models::Scenario& scenario, const SimPlatform& platform, Calendar& calendar,
                  Cluster& cluster, Recorder& recorder, const FaultInjector& injector, const bool& workload_done);
  ~FailureDetector();
  void start();

private:
  class Monitor;
  std::vector<std::unique_ptr<Monitor>> monitors_;
  double period_ = 1;
};

}  // namespace leptonsim::sim
