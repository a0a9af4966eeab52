// The quantum side of a run: the QPU's calibration windows (its queue holds while it
// calibrates) and QKD-secured backbone links, whose key pools gate every transfer that crosses
// them. A key pool is a token bucket fed at the secret key rate: one-time-pad traffic takes one
// key bit per data bit, AES traffic a 256-bit key at each re-keying; a transfer waits until its
// keys exist, so a link's sustained encrypted throughput cannot exceed what its keys allow.
#pragma once

#include "models/scenario.hpp"
#include "models/topology.hpp"
#include "sim/calendar.hpp"
#include "sim/platform.hpp"
#include "sim/run_result.hpp"

#include <simgrid/forward.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace leptonsim::sim {

class Cluster;

class CalibrationSchedule {
public:
  CalibrationSchedule(const models::Scenario& scenario, Calendar& calendar, Cluster& cluster, const bool& done);
  void start();

private:
  const models::Scenario& scenario_;
  Calendar& calendar_;
  Cluster& cluster_;
  const bool& done_;
  void window(const models::QpuSpec::Window& w, double start);
};

class QkdNetwork {
public:
  QkdNetwork(const models::Scenario& scenario, const models::Topology& topology, const SimPlatform& platform);
  bool any() const { return !links_.empty(); }
  // Reserves the keys a transfer needs on every QKD link of its route; returns how long it must
  // wait for them (0 when they are there).
  double reserve(simgrid::s4u::Host* from, simgrid::s4u::Host* to, double bytes);
  std::vector<QkdLinkResult> results(double end_time);

private:
  struct Bucket {
    size_t link = 0;
    const models::QkdSpec* spec = nullptr;
    double level = 0;        // bit; negative while transfers wait for key not yet produced
    double last = 0;         // s of the last update
    double key_time = 0;     // s the current AES key started being used
    double key_bytes = 0;    // B encrypted under the current AES key
    double key_ready = 0;    // s when the current AES key exists (it may still be owed to the pool)
    bool keyed = false;
    QkdLinkResult result;
  };
  const models::Scenario& scenario_;
  const models::Topology& topology_;
  std::vector<Bucket> links_;
  std::vector<int> bucket_of_link_;  // Platform::links index -> links_ index, or -1
  std::unordered_map<const simgrid::s4u::Host*, size_t> site_of_;
  double take(Bucket& b, double now, double bits);  // returns the wait
};

}  // namespace leptonsim::sim
